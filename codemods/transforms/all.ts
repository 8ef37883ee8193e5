import { sqlTransform } from './sql.ts';
import type { Transform } from './transform.ts';

/** Every transform, in the order the runner applies them. */
export const ALL_TRANSFORMS: readonly Transform[] = [sqlTransform];

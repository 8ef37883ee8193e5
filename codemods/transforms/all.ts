import { clockTransform } from './clock.ts';
import { configTransform } from './config.ts';
import { httpOutTransform } from './http-out.ts';
import { kvTransform } from './kv.ts';
import { logTransform } from './log.ts';
import { messagingTransform } from './messaging.ts';
import { randomTransform } from './random.ts';
import { sqlTransform } from './sql.ts';
import type { Transform } from './transform.ts';

/**
 * Every transform, in the order the runner applies them. Config runs first so `process.env.X` inside a client's
 * constructor is rewritten before the client is found unused and removed.
 */
export const ALL_TRANSFORMS: readonly Transform[] = [
  configTransform,
  sqlTransform,
  messagingTransform,
  kvTransform,
  httpOutTransform,
  clockTransform,
  randomTransform,
  logTransform,
];

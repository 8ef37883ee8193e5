import { clockTransform } from './clock.ts';
import { configTransform } from './config.ts';
import { httpOutTransform } from './http-out.ts';
import { kvTransform } from './kv.ts';
import { logTransform } from './log.ts';
import { messagingTransform } from './messaging.ts';
import { randomTransform } from './random.ts';
import { runtimeShimsTransform } from './runtime-shims.ts';
import { sqlTransform } from './sql.ts';
import type { Transform } from './transform.ts';

/**
 * Every transform, in the order the runner applies them. The port's runtime modules are replaced first, so the
 * others see the caps-backed module. Config runs next so `process.env.X` inside a client's
 * constructor is rewritten before the client is found unused and removed.
 */
export const ALL_TRANSFORMS: readonly Transform[] = [
  runtimeShimsTransform,
  configTransform,
  sqlTransform,
  messagingTransform,
  kvTransform,
  httpOutTransform,
  clockTransform,
  randomTransform,
  logTransform,
];

import { describe, expect, it } from 'vitest';
import { clockTransform } from '../../../codemods/transforms/clock.ts';
import { logTransform } from '../../../codemods/transforms/log.ts';
import { randomTransform } from '../../../codemods/transforms/random.ts';
import type { Transform } from '../../../codemods/transforms/transform.ts';
import { checkCase, type Case } from './harness.ts';

const table: [string, Transform, Case[]][] = [
  [
    'clock',
    clockTransform,
    [
      {
        name: 'rewrites Date.now() and new Date() but not new Date(value)',
        input: `export const stamp = () => ({ at: new Date(), ms: Date.now(), parsed: new Date('2024-01-01') });
`,
        expected: `import { caps } from './caps/capabilities.ts';

export const stamp = () => ({ at: new Date(caps.clock.nowMs()), ms: caps.clock.nowMs(), parsed: new Date('2024-01-01') });
`,
      },
      {
        name: 'no change when already migrated',
        input: `import { caps } from './caps/capabilities.ts';
export const at = new Date(caps.clock.nowMs());
`,
        expected: `import { caps } from './caps/capabilities.ts';
export const at = new Date(caps.clock.nowMs());
`,
      },
    ],
  ],
  [
    'random',
    randomTransform,
    [
      {
        name: 'rewrites the global crypto.randomUUID() and Math.random()',
        input: `export const id = () => \`ORD-\${crypto.randomUUID()}\`;
export const jitter = () => Math.random() * 100;
`,
        expected: `import { caps } from './caps/capabilities.ts';

export const id = () => \`ORD-\${caps.random.uuid()}\`;
export const jitter = () => caps.random.float() * 100;
`,
      },
      {
        name: 'rewrites randomUUID imported from node:crypto and drops the import',
        input: `import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';

export const id = () => randomUUID();
export const hash = (s: string) => createHash('sha256').update(s).digest('hex');
`,
        expected: `import { createHash } from 'node:crypto';
import { caps } from './caps/capabilities.ts';

export const id = () => caps.random.uuid();
export const hash = (s: string) => createHash('sha256').update(s).digest('hex');
`,
      },
      {
        name: 'no change when already migrated',
        input: `import { caps } from './caps/capabilities.ts';
export const id = () => caps.random.uuid();
`,
        expected: `import { caps } from './caps/capabilities.ts';
export const id = () => caps.random.uuid();
`,
      },
    ],
  ],
  [
    'log',
    logTransform,
    [
      {
        name: 'rewrites console calls to the matching level and keeps their arguments',
        input: `export function placed(id: string) {
  console.log('order placed', id);
  console.error(new Error('x')); // kept
}
`,
        expected: `import { caps } from './caps/capabilities.ts';

export function placed(id: string) {
  caps.log.info('order placed', id);
  caps.log.error(new Error('x')); // kept
}
`,
      },
      {
        name: 'rewrites pino logger calls and drops the unused logger',
        input: `import pino from 'pino';
const logger = pino();
export const warn = () => logger.warn('low stock');
`,
        expected: `import { caps } from './caps/capabilities.ts';
export const warn = () => caps.log.warn('low stock');
`,
      },
      {
        name: 'no change when already migrated',
        input: `import { caps } from './caps/capabilities.ts';
caps.log.info('ready');
`,
        expected: `import { caps } from './caps/capabilities.ts';
caps.log.info('ready');
`,
      },
    ],
  ],
];

describe.each(table)('%s transform', (_name, transform, cases) => {
  it.each(cases)('$name', (c) => {
    const { first, second } = checkCase(c, [transform]);
    expect(first).toBe(c.expected);
    expect(second).toBe(first);
  });
});

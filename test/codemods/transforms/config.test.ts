import { describe, expect, it } from 'vitest';
import { configTransform } from '../../../codemods/transforms/config.ts';
import { checkCase, transformText, type Case } from './harness.ts';

const cases: Case[] = [
  {
    name: 'rewrites process.env.X and process.env["X"] reads, keeping comments',
    input: `const port = Number(process.env.PORT ?? 8080); // HTTP port
const url = process.env['INVENTORY_URL'];
export { port, url };
`,
    expected: `import { caps } from './caps/capabilities.ts';

const port = Number(caps.config.get('PORT') ?? 8080); // HTTP port
const url = caps.config.get('INVENTORY_URL');
export { port, url };
`,
  },
  {
    name: 'follows an imported process and a computed key',
    input: `import process from 'node:process';
export const read = (key: string) => process.env[key];
`,
    expected: `import { caps } from './caps/capabilities.ts';

export const read = (key: string) => caps.config.get(key);
`,
  },
  {
    name: 'leaves a local object named process alone',
    input: `const process = { env: { PORT: '1' } };
export const port = process.env.PORT;
`,
    expected: `const process = { env: { PORT: '1' } };
export const port = process.env.PORT;
`,
  },
  {
    name: 'rewrites names destructured from process.env, with defaults and renames',
    input: `const { DATABASE_URL, PORT = '3000', 'NATS_URL': nats } = process.env;
export { DATABASE_URL, PORT, nats };
`,
    expected: `import { caps } from './caps/capabilities.ts';

const DATABASE_URL = caps.config.get('DATABASE_URL'), PORT = caps.config.get('PORT') ?? '3000', nats = caps.config.get('NATS_URL');
export { DATABASE_URL, PORT, nats };
`,
  },
  {
    name: 'leaves a destructuring with a rest element (a note says why)',
    input: `const { PORT, ...rest } = process.env;
export { PORT, rest };
`,
    expected: `const { PORT, ...rest } = process.env;
export { PORT, rest };
`,
  },
  {
    name: 'no change when already migrated',
    input: `import { caps } from './caps/capabilities.ts';
export const port = caps.config.get('PORT');
`,
    expected: `import { caps } from './caps/capabilities.ts';
export const port = caps.config.get('PORT');
`,
  },
];

describe('config transform', () => {
  it.each(cases)('$name', (c) => {
    const { first, second } = checkCase(c, [configTransform]);
    expect(first).toBe(c.expected);
    expect(second).toBe(first);
  });

  it('notes writes to process.env and leaves them', () => {
    const input = `process.env.DEBUG = '1';\n`;
    const { output, result } = transformText(input, [configTransform]);
    expect(output).toBe(input);
    expect(result.files[0]?.notes).toEqual([
      { transform: 'config', line: 1, message: expect.stringContaining('written') },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseHostConfig } from '../../bridge/host/config.ts';
import { parseGatewayConfig } from '../../bridge/gateway/load-config.ts';

describe('parseConfigText on YAML that parses but cannot load', () => {
  it('reports an alias to an undefined anchor as MIG_CONFIG at the alias', () => {
    expect(() => parseHostConfig('backends: {}\ncomponents:\n  - *missing\n', 'host.yaml')).toThrow(
      expect.objectContaining({
        code: 'MIG_CONFIG',
        message: expect.stringContaining('Unresolved alias'),
        location: { file: 'host.yaml', line: 3, column: 5, excerpt: '  - *missing' },
      }),
    );
  });

  it('reports a merge key of an undefined anchor in a gateway config', () => {
    expect(() => parseGatewayConfig('routes: []\n<<: *defaults\n', 'gateway.yaml')).toThrow(
      expect.objectContaining({ code: 'MIG_CONFIG', location: expect.objectContaining({ line: 2 }) }),
    );
  });

  it('refuses a map key that is a list, deeply nested, at its line, without expanding it', () => {
    const key = `${'['.repeat(300)}1${']'.repeat(300)}`;
    expect(() => parseHostConfig(`components: []\n${key}: x\n`, 'host.yaml')).toThrow(
      expect.objectContaining({
        code: 'MIG_CONFIG',
        message: expect.stringContaining('a map key is a list or a map'),
        location: expect.objectContaining({ line: 2, column: 1 }),
      }),
    );
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f'].entries()) {
      const prev = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array<string>(10).fill(`*${prev}`).join(', ')}]`);
    }
    expect(() => parseHostConfig(`${levels.join('\n')}\n`, 'host.yaml')).toThrow(
      expect.objectContaining({ code: 'MIG_CONFIG', message: expect.stringContaining('alias') }),
    );
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCliCaptured } from '../helpers/run-cli.ts';

const ESTATE = fileURLToPath(
  new URL('../deploy/kubernetes/fixtures/spring-orders.estate.json', import.meta.url),
);

describe('migrate manifests', () => {
  it('prints multi-document YAML of the components and the router, warnings on stderr', async () => {
    const run = await runCliCaptured(['manifests', ESTATE, '--target', 'spin', '--registry', 'reg.test/o']);
    expect(run.code).toBe(0);
    const kinds = parseAllDocuments(run.stdout).map((d) => (d.toJS() as { kind: string }).kind);
    expect(kinds.filter((k) => k === 'SpinApp')).toHaveLength(4);
    expect(run.stderr).toContain('order-service: blocked on spin');
  });

  it('refuses an unknown router with exit 2', async () => {
    const run = await runCliCaptured(['manifests', ESTATE, '--router', 'ingress']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--router must be one of gateway, httproute');
  });
});

// samples/spring-orders/host.yaml is the README's way to run the four ported services: its grants, paths and
// addresses must fit what `migrate port … --build --target embedded` makes of each service today.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuildPlan } from '../../codemods/build/plan.ts';
import { getServiceName } from '../../codemods/build/build-service.ts';
import { checkImports } from '../../bridge/host/capabilities.ts';
import { loadHostConfig } from '../../bridge/host/config.ts';
import type { HostConfig } from '../../bridge/host/config.ts';
import { portAndCodemod, SAMPLE_ESTATE } from '../helpers/port-service.ts';

const REPO = join(import.meta.dirname, '../..');
const SERVICES = {
  order: 'order-service',
  inventory: 'inventory-service',
  product: 'product-service',
  notification: 'notification-service',
} as const;

describe('samples/spring-orders/host.yaml', () => {
  let dir = '';
  let config: HostConfig;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'migrate-sample-host-'));
    config = await loadHostConfig(join(SAMPLE_ESTATE, 'host.yaml'));
  });

  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('grants each ported component every interface its world imports', async () => {
    expect(config.components.map((c) => c.name).sort()).toEqual(Object.keys(SERVICES).sort());
    for (const component of config.components) {
      const service = SERVICES[component.name as keyof typeof SERVICES];
      const root = await portAndCodemod(dir, service);
      const plan = loadBuildPlan(root, 'embedded');
      expect(plan.unsupported).toEqual([]);
      expect(() => checkImports(component.name, plan.imports, component.capabilities)).not.toThrow();
      // Where the README's `port … --out ported/<service> --build` writes the component.
      expect(component.wasm).toBe(
        resolve(REPO, 'ported', service, 'dist', `${getServiceName(join(dir, service))}.wasm`),
      );
      if (plan.exports.includes('wasmcloud:messaging/handler@0.2.0'))
        expect(component.subscriptions).not.toEqual([]);
    }
  }, 600_000);

  it('points order at the inventory component, allowed, and notification at the subject order publishes', () => {
    const byName = new Map(config.components.map((c) => [c.name, c]));
    const inventory = `127.0.0.1:${byName.get('inventory')?.port}`;
    expect(byName.get('order')?.config['INVENTORY_URL']).toBe(`http://${inventory}`);
    expect(byName.get('order')?.allowedHosts).toContain(inventory);
    expect(byName.get('notification')?.subscriptions).toEqual([byName.get('order')?.config['NATS_SUBJECT']]);
  });
});

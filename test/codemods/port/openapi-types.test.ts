import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeEstate } from '../../../analyzer/index.ts';
import { createOpenApi } from '../../../analyzer/openapi.ts';
import { portJavaSources, readJavaSources } from '../../../codemods/index.ts';
import { typeCheck, writeProject } from './helpers.ts';

const ESTATE = join(import.meta.dirname, '../../../samples/spring-orders');

describe('port with the OpenAPI types of migrate analyze', () => {
  let dir = '';
  let openapi: Record<string, Record<string, unknown>> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'migrate-port-openapi-'));
    const estate = await analyzeEstate(ESTATE);
    openapi = Object.fromEntries(estate.services.map((s) => [s.id, createOpenApi(s)]));
  });

  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('writes src/api/openapi.ts and checks each route body against its schema; the projects pass tsc --strict', async () => {
    for (const service of ['order-service', 'inventory-service', 'product-service', 'notification-service']) {
      const ported = await portJavaSources(service, await readJavaSources(join(ESTATE, service)), {
        openapi: openapi[service]!,
      });
      expect(ported.files.get('src/api/openapi.ts')).toMatch(/export interface components \{/);
      await writeProject(join(dir, service), ported.files);
      expect(typeCheck(join(dir, service))).toEqual([]);
      if (service !== 'order-service') continue;
      const controller = (ported.files.get('src/controller/order-controller.ts') ?? '').replace(/\s+/g, ' ');
      expect(controller).toContain("import type { JsonOf, components } from '../api/openapi.ts';");
      expect(controller).toContain("satisfies JsonOf<components['schemas']['OrderResponse'][]>");
      expect(controller).toContain("satisfies JsonOf< components['schemas']['OrderPlacedResponse'] >");
    }
  }, 600_000);

  it('fails type checking when the port and the API contract disagree', async () => {
    // The contract says an inventory answer also has a warehouse; the ported DTO has none: tsc must say so.
    const document = structuredClone(openapi['inventory-service']!) as {
      components: { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }> };
    };
    const schema = document.components.schemas['InventoryResponse']!;
    schema.properties['warehouse'] = { type: 'string' };
    schema.required.push('warehouse');
    const ported = await portJavaSources(
      'inventory-service',
      await readJavaSources(join(ESTATE, 'inventory-service')),
      { openapi: document },
    );
    await writeProject(join(dir, 'inventory'), ported.files);
    const diagnostics = typeCheck(join(dir, 'inventory'));
    expect(diagnostics.join('\n')).toMatch(/inventory-controller\.ts:\d+ .*warehouse/s);
  }, 600_000);
});

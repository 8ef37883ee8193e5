import { parseConfigText, readConfigText, type ConfigKind } from '../../shared/config-file.ts';
import { gatewayConfigSchema, type GatewayConfig } from './config-schema.ts';

const kind: ConfigKind = { label: 'gateway config', docs: 'docs/gateway.md' };

/** Reads and validates a gateway config file; errors carry file:line:col and the line. */
export async function loadGatewayConfig(file: string): Promise<GatewayConfig> {
  return parseGatewayConfig(await readConfigText(file, kind), file);
}

/** Parses YAML (or JSON) text into a validated config. Pure. */
export function parseGatewayConfig(text: string, file: string): GatewayConfig {
  return parseConfigText(text, file, gatewayConfigSchema, kind);
}

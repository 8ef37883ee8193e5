// Public door of bridge/: the gateway (traffic shift between container and component) and, later, the host.
export { Gateway, type GatewayOptions } from './gateway/gateway.ts';
export { loadGatewayConfig, parseGatewayConfig } from './gateway/load-config.ts';
export {
  gatewayConfigSchema,
  type GatewayConfig,
  type RouteConfig,
  type Side,
} from './gateway/config-schema.ts';
export { createAdminClient, type AdminClientOptions } from './gateway/admin-client.ts';
export type { GatewayState, RouteSnapshot } from './gateway/gateway-state.ts';
export type { GatewayEvent } from './gateway/event-log.ts';
export type { WarmResult } from './gateway/warm.ts';
// The component host (bridge/host): runs components with real capability backends.
export {
  createHost,
  type Host,
  type HostRequest,
  type HostResponse,
  type RunningComponent,
} from './host/host.ts';
export {
  loadHostConfig,
  parseHostConfig,
  hostConfigSchema,
  type HostConfig,
  type HostComponentConfig,
} from './host/config.ts';
export { createNdjsonLogger, createTextLogger, silentLogger, type HostLogger } from './host/logger.ts';
export {
  HOST_CAPABILITIES,
  checkImports,
  resolveAllowedImports,
  type HostCapability,
} from './host/capabilities.ts';
// The message side of the shift: each message of a split subject to exactly one side, by the route's weight.
export {
  startMessageSplitter,
  messageSplitConfigSchema,
  type MessageSplitConfig,
  type MessageSplitter,
} from './messaging/message-splitter.ts';
export { createWeightedChoice } from './messaging/weighted-choice.ts';

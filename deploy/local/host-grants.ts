import {
  checkImports,
  HOST_CAPABILITIES,
  resolveAllowedImports,
  type HostCapability,
} from '../../bridge/index.ts';

const bare = (name: string): string => (name.includes('@') ? name.slice(0, name.indexOf('@')) : name);

/** The host capability serving an effect kind of the build plan (outbound HTTP, clocks and random are imported
 * by every componentize-js component, so only the effect says whether the service really uses them). */
const BY_EFFECT: Record<string, HostCapability> = {
  'http-out': 'http-out',
  clock: 'clocks',
  random: 'random',
  log: 'logging',
  config: 'config',
};

/**
 * The least the host must grant a component: each capability one of whose interfaces (beyond what every
 * componentize-js component imports anyway) the component's world imports, and those its effects use. Checked
 * with the host's own rule, so a component the grants do not cover fails here, before anything starts. Pure.
 */
export function getRequiredCapabilities(
  component: string,
  imports: readonly string[],
  effectKinds: readonly string[] = [],
): HostCapability[] {
  const baseline = new Set([...resolveAllowedImports([]).keys()].map(bare));
  const wanted = new Set(imports.map(bare).filter((name) => !baseline.has(name)));
  const fromEffects = new Set(effectKinds.map((kind) => BY_EFFECT[kind]));
  const grants = HOST_CAPABILITIES.filter(
    (capability) =>
      fromEffects.has(capability) ||
      [...resolveAllowedImports([capability]).keys()].some((offered) => wanted.has(bare(offered))),
  );
  checkImports(component, imports, grants);
  return grants;
}

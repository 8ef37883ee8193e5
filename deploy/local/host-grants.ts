import {
  checkImports,
  HOST_CAPABILITIES,
  resolveAllowedImports,
  type HostCapability,
} from '../../bridge/index.ts';

const bare = (name: string): string => (name.includes('@') ? name.slice(0, name.indexOf('@')) : name);

/**
 * The least the host must grant a component: each capability one of whose interfaces (beyond what every
 * componentize-js component imports anyway) the component's world imports. Checked with the host's own rule,
 * so a component the grants do not cover fails here, before anything starts. Pure.
 */
export function getRequiredCapabilities(component: string, imports: readonly string[]): HostCapability[] {
  const baseline = new Set([...resolveAllowedImports([]).keys()].map(bare));
  const wanted = new Set(imports.map(bare).filter((name) => !baseline.has(name)));
  const grants = HOST_CAPABILITIES.filter((capability) =>
    [...resolveAllowedImports([capability]).keys()].some((offered) => wanted.has(bare(offered))),
  );
  checkImports(component, imports, grants);
  return grants;
}

// The catalog's per-target pins come from the runtimes' own host worlds: every interface a real target binds a
// capability to is served by that runtime (Wasmtime's rule), and the host serves every target's pins.
import { describe, expect, it } from 'vitest';
import { checkImports, HOST_CAPABILITIES } from '../../../bridge/host/capabilities.ts';
import { loadRuntimeWorld } from '../../../codemods/build/link-check.ts';
import { EFFECT_KINDS, getCapabilitySupport, resolvePinsTarget } from '../../../shared/catalog.ts';
import { findServing, getServedNames } from '../../../shared/link-rule.ts';
import { getRuntime, REAL_TARGETS } from '../../../shared/runtimes.ts';

/** Capabilities a component exports rather than imports. */
const EXPORTED = new Set(['http-in', 'subscribe']);

describe('capability catalog pins', () => {
  it.each(REAL_TARGETS)('every %s pin is served by its runtime’s host world', (target) => {
    const served = getServedNames(loadRuntimeWorld(getRuntime(target)).keys());
    const pins = EFFECT_KINDS.filter((kind) => !EXPORTED.has(kind)).flatMap((kind) => {
      const support = getCapabilitySupport(kind, target);
      return support.supported ? support.bindings.map((b) => b.interface) : [];
    });
    expect(pins.filter((pin) => findServing(pin, served) === undefined)).toEqual([]);
  });

  it('pins wasmCloud 2’s config version, and Spin’s drafts for both Spins', () => {
    const config = (target: (typeof REAL_TARGETS)[number]): string | undefined => {
      const support = getCapabilitySupport('config', target);
      return support.supported ? support.bindings[0]!.interface : undefined;
    };
    expect(REAL_TARGETS.map(config)).toEqual([
      'wasi:config/store@0.2.0-rc.1',
      'wasi:config/store@0.2.0-draft-2024-09-27',
      'wasi:config/store@0.2.0-draft-2024-09-27',
    ]);
  });

  it('builds for embedded with wasmCloud’s pins, Spin’s for Redis structures, none for Redis plus NATS', () => {
    expect(resolvePinsTarget('embedded', ['sql', 'config', 'log'])).toBe('wasmcloud');
    expect(resolvePinsTarget('embedded', ['redis', 'log'])).toBe('spin');
    expect(resolvePinsTarget('embedded', ['redis', 'publish'])).toBeUndefined();
    expect(resolvePinsTarget('spin4', ['sql'])).toBe('spin4');
  });

  it.each(REAL_TARGETS)('migrate’s host serves every %s pin', (target) => {
    // `secret` is not a host capability: the facade has no secrets (analyze scores it; build never binds it).
    const served = EFFECT_KINDS.filter((kind) => !EXPORTED.has(kind) && kind !== 'secret');
    const pins = served.flatMap((kind) => {
      const support = getCapabilitySupport(kind, target);
      return support.supported ? support.bindings.map((b) => b.interface) : [];
    });
    expect(() => checkImports('c', pins, HOST_CAPABILITIES)).not.toThrow();
  });

  it('the host names a foreign pin it does not serve', () => {
    expect(() => checkImports('c', ['wasi:config/store@0.2.0-draft-1999'], HOST_CAPABILITIES)).toThrow(
      /imports wasi:config\/store@0\.2\.0-draft-1999, but the host gives wasi:config\/store@/,
    );
  });
});

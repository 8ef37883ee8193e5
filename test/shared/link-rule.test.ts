import { describe, expect, it } from 'vitest';
import { findServing, getCompatibilityKey, isLinkCompatible } from '../../shared/link-rule.ts';

describe("Wasmtime's linking rule", () => {
  it('matches release versions by semver: 0.x by minor, 1.x and up by major, 0.0.z exactly', () => {
    expect(['0.2.12', '1.4.0', '0.0.3', '2.1.0'].map(getCompatibilityKey)).toEqual([
      '0.2',
      '1',
      '0.0.3',
      '2',
    ]);
    expect(isLinkCompatible('0.2.12', '0.2.6')).toBe(true);
    expect(isLinkCompatible('4.0.0', '4.2.0')).toBe(true);
    expect(isLinkCompatible('0.3.0', '0.2.6')).toBe(false);
  });

  it('matches prerelease versions only exactly', () => {
    expect(isLinkCompatible('0.2.0-draft', '0.2.0-rc.1')).toBe(false);
    expect(isLinkCompatible('0.2.0-draft', '0.2.0-draft2')).toBe(false);
    expect(isLinkCompatible('0.2.0-rc.1', '0.2.0-rc.1')).toBe(true);
  });

  it('finds what an import binds to, if anything', () => {
    const served = ['wasi:config/store@0.2.0-rc.1', 'wasi:http/types@0.2.0'];
    expect(findServing('wasi:http/types@0.2.10', served)).toBe('wasi:http/types@0.2.0');
    expect(findServing('wasi:config/store@0.2.0-draft', served)).toBeUndefined();
  });
});

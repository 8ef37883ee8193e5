import { describe, expect, it } from 'vitest';
import { generateComponentBind, getBindingKey } from '../../../codemods/build/component-bind.ts';

describe('component-bind: the binding module migrate build generates', () => {
  it('imports each interface the binding takes and passes it to createComponentCapabilities', () => {
    const text = generateComponentBind([
      'wasmcloud:postgres/query@0.1.1-draft',
      'wasi:clocks/wall-clock@0.2.10',
      'wasi:http/outgoing-handler@0.2.10',
    ]);
    expect(text).toContain("import * as sql from 'wasmcloud:postgres/query@0.1.1-draft';");
    expect(text).toContain("import * as clock from 'wasi:clocks/wall-clock@0.2.10';");
    // outgoing-handler comes with the wasi:http types it builds requests from.
    expect(text).toContain("import * as outgoingHandler from 'wasi:http/outgoing-handler@0.2.10';");
    expect(text).toContain("import * as httpTypes from 'wasi:http/types@0.2.10';");
    expect(text).toContain('createComponentCapabilities({ clock, outgoingHandler, httpTypes, sql })');
    expect(text).toContain('installProcessShim(binding);');
  });

  it('imports no wasi:http interface when the world does not import outgoing-handler', () => {
    expect(generateComponentBind(['wasi:clocks/wall-clock@0.2.10'])).not.toContain('wasi:http');
  });

  it('knows the interfaces by name whatever their version', () => {
    expect(getBindingKey('wasi:logging/logging@0.1.0-draft')).toBe('log');
    expect(getBindingKey('wasi:keyvalue/store')).toBe('kv');
    expect(getBindingKey('wasi:http/types@0.2.10')).toBe('httpTypes');
    expect(getBindingKey('wasi:http/incoming-handler@0.2.10')).toBeUndefined();
  });
});

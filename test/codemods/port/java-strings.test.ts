import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portJavaSources, readJavaSources, type PortedService } from '../../../codemods/index.ts';
import { javaString } from '../../../codemods/port/java/runtime/java.ts';
import { typeCheck, writeProject } from './helpers.ts';

// A map or collection as text (`x.toString()`, or concatenated to a string) is Java's `{k=v}` / `[a, b]`, where
// JavaScript's String() would give `[object Map]` and `a,b`. Expected values: what the same Java prints.
const FIXTURE = join(import.meta.dirname, 'fixtures', 'java-strings');

interface Texts {
  record(id: number, name: string): void;
  concatenated(): string;
  viaToString(): string;
  empty(): string;
}

let ported: PortedService;
let dir: string;
let texts: Texts;

beforeAll(async () => {
  ported = await portJavaSources('texts', await readJavaSources(FIXTURE));
  dir = await mkdtemp(join(tmpdir(), 'migrate-port-strings-'));
  await writeProject(dir, ported.files);
  const module = (await import(pathToFileURL(join(dir, 'src/com/ex/texts.ts')).href)) as {
    Texts: new () => Texts;
  };
  texts = new module.Texts();
  texts.record(2, 'Bo');
  texts.record(1, 'Al');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('maps and collections as text in the port', () => {
  it('writes them with the runtime javaString, and compiles', () => {
    const text = ported.files.get('src/com/ex/texts.ts') ?? '';
    expect(text).toContain('javaString(this.names)');
    expect(text).toContain('javaString(this.byId)');
    expect(typeCheck(dir)).toEqual([]);
  });

  it('gives the text Java gives', () => {
    expect(texts.concatenated()).toBe('names [Bo, Al] by id {1=Al, 2=Bo}');
    expect(texts.viaToString()).toBe('{1=Al, 2=Bo};[al, bo]');
    expect(texts.empty()).toBe('none={}');
  });

  it('writes null, nested collections and plain values as String.valueOf does', () => {
    expect(javaString(null)).toBe('null');
    expect(javaString(new Map([['k', [1, 2]]]))).toBe('{k=[1, 2]}');
    expect(javaString(new Set([true]))).toBe('[true]');
    expect(javaString(42)).toBe('42');
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portJavaSources, readJavaSources, type PortedService } from '../../../codemods/index.ts';
import { typeCheck, writeProject } from './helpers.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'sorted-collections');

interface Ledger {
  record(id: number, name: string): void;
  names(): string[];
  ids(): number[];
  scoreOrder(): string[];
  seenBelow(limit: number): number[];
  tagsFrom(from: string): string[];
  window(from: number, to: number): string;
  navigation(key: number): string[];
  rename(id: number, name: string): string | null;
  drop(id: number): string | null;
}

let ported: PortedService;
let dir: string;
let ledger: Ledger;

beforeAll(async () => {
  ported = await portJavaSources('ledger', await readJavaSources(FIXTURE));
  dir = await mkdtemp(join(tmpdir(), 'migrate-port-sorted-'));
  await writeProject(dir, ported.files);
  const module = (await import(pathToFileURL(join(dir, 'src/com/ex/ledger.ts')).href)) as {
    Ledger: new () => Ledger;
  };
  ledger = new module.Ledger();
  // out of key order, as the fixture's Java was run with
  for (const [id, name] of [
    [5, 'Eve'],
    [1, 'bob'],
    [9, 'Al'],
    [3, 'carol'],
    [7, 'Dan'],
  ] as const)
    ledger.record(id, name);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sorted maps and sets in the port', () => {
  it('carries TreeMap, ConcurrentSkipListMap, TreeSet and ConcurrentSkipListSet as the runtime sorted map and set, and compiles', () => {
    const text = ported.files.get('src/com/ex/ledger.ts') ?? '';
    expect(text).toContain("import { TreeMap, TreeSet } from '../../runtime/sorted-map.ts';");
    expect(text).toContain('private readonly byId: Map<number, string> = new TreeMap();');
    expect(text).not.toContain('new Map(');
    expect(text).not.toContain('new Set(');
    expect(typeCheck(dir)).toEqual([]);
    expect(ported.report).toMatchObject({ typecheck_errors: 0 });
  });

  // the expected lines are what the fixture's Ledger.java printed on OpenJDK 17 for the same calls
  it('iterates in key order as Java does, whatever the insertion order, with a comparator when given', () => {
    expect(ledger.names()).toEqual(['bob', 'carol', 'Eve', 'Dan', 'Al']);
    expect(ledger.ids()).toEqual([1, 3, 5, 7, 9]);
    expect(ledger.scoreOrder()).toEqual(['carol=5', 'bob=3', 'Eve=3', 'Dan=3', 'Al=2']);
    expect(ledger.seenBelow(6)).toEqual([1, 3, 5]);
    expect(ledger.tagsFrom('bob')).toEqual(['bob', 'carol', 'dan', 'eve']);
  });

  it('answers the NavigableMap methods and views as Java does', () => {
    expect(ledger.window(3, 9)).toBe('3:carol,Eve,Dan');
    expect(ledger.navigation(4)).toEqual([
      'first=1',
      'last=9',
      'ceiling=5',
      'floor=3',
      'higher=5',
      'desc=Al,Dan,Eve,carol,bob',
      'polled=1:bob',
      'headSize=1',
    ]);
    expect(ledger.navigation(9)).toEqual([
      'first=1',
      'last=9',
      'ceiling=9',
      'floor=9',
      'higher=null',
      'desc=Al,Dan,Eve,carol,bob',
      'polled=1:bob',
      'headSize=4',
    ]);
  });

  it('answers put and remove with the value they replaced or removed, as Java does, when that value is used', () => {
    expect([ledger.rename(11, 'Zed'), ledger.rename(11, 'Zoe'), ledger.drop(11), ledger.drop(11)]).toEqual([
      null,
      'Zed',
      'Zoe',
      null,
    ]);
    expect(ledger.names()).toEqual(['bob', 'carol', 'Eve', 'Dan', 'Al']);
  });

  it('leaves what it does not carry (Map.merge) as a TODO with the Java file and line', () => {
    expect(ported.report.todos).toEqual([
      expect.objectContaining({ file: 'src/main/java/com/ex/Ledger.java', line: 86, member: 'Ledger.bump' }),
    ]);
    expect(ported.files.get('src/com/ex/ledger.ts')).toContain('(Ledger.java:86)');
  });
});

import { describe, expect, it } from 'vitest';
import { TreeMap, TreeSet } from '../../../../codemods/port/java/runtime/sorted-map.ts';

// Java's TreeMap/TreeSet contracts the runtime keeps; each expectation is what java.util answers for the same calls.
describe('runtime TreeMap', () => {
  it('finds a key by the comparator, as Java does, and keeps the first key it was given', () => {
    const byName = new TreeMap<string, number>((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    byName.set('Ada', 1);
    byName.set('ADA', 2);
    expect([...byName]).toEqual([['Ada', 2]]);
    expect(byName.get('ada')).toBe(2);
    expect(byName.has('aDa')).toBe(true);
  });

  it('orders dates by time and finds one by an equal date', () => {
    const byDay = new TreeMap<Date, string>();
    byDay.set(new Date('2026-03-01'), 'march');
    byDay.set(new Date('2026-01-01'), 'january');
    expect([...byDay.values()]).toEqual(['january', 'march']);
    expect(byDay.get(new Date('2026-03-01'))).toBe('march');
  });

  it('refuses a null key in natural order, as Java throws a NullPointerException', () => {
    const map = new TreeMap<string | null, number>();
    expect(() => map.set(null, 1)).toThrow(TypeError);
    expect(() => map.get(null)).toThrow(TypeError);
  });

  it('shares a view with its map both ways, and refuses a key outside the view', () => {
    const map = new TreeMap<number, string>(null, [
      [10, 'a'],
      [20, 'b'],
      [30, 'c'],
    ]);
    const tail = map.tailMap(20);
    map.set(25, 'x');
    expect([...tail.keys()]).toEqual([20, 25, 30]);
    tail.delete(30);
    expect([...map.keys()]).toEqual([10, 20, 25]);
    expect(() => tail.set(5, 'no')).toThrow('key out of range');
    expect(tail.size).toBe(2);
    expect(tail.headMap(25).firstKey()).toBe(20);
  });

  it('navigates a descending view in its own order', () => {
    const map = new TreeMap<number, string>(null, [
      [1, 'a'],
      [3, 'b'],
      [5, 'c'],
    ]);
    const down = map.descendingMap();
    expect(down.firstKey()).toBe(5);
    expect(down.higherKey(3)).toBe(1);
    expect(down.ceilingKey(4)).toBe(3);
    expect([...down.headMap(3).keys()]).toEqual([5]);
    expect(down.pollFirstEntry()).toEqual({ key: 5, value: 'c' });
    expect([...map.keys()]).toEqual([1, 3]);
  });

  it('throws on firstKey of an empty map and answers null for firstEntry', () => {
    const map = new TreeMap<number, string>();
    expect(() => map.firstKey()).toThrow('No such element');
    expect(map.firstEntry()).toBeNull();
    expect(map.pollLastEntry()).toBeNull();
  });

  it('keeps iterating a snapshot when the loop writes to the map', () => {
    const map = new TreeMap<number, number>(null, [
      [1, 1],
      [2, 2],
    ]);
    const seen: number[] = [];
    for (const [key] of map) {
      seen.push(key);
      map.set(key + 10, key);
    }
    expect(seen).toEqual([1, 2]);
    expect([...map.keys()]).toEqual([1, 2, 11, 12]);
  });

  it('writes JSON as an object in key order, and a TreeSet as an array', () => {
    const map = new TreeMap<string, number>(null, [
      ['b', 2],
      ['a', 1],
    ]);
    expect(JSON.stringify({ map })).toBe('{"map":{"a":1,"b":2}}');
    expect(JSON.stringify(new TreeSet<number>(null, [3, 1, 2]))).toBe('[1,2,3]');
  });
});

describe('runtime TreeSet', () => {
  it('iterates in order with the NavigableSet methods and shared views', () => {
    const set = new TreeSet<number>(null, [5, 1, 3]);
    expect([...set]).toEqual([1, 3, 5]);
    expect([set.first(), set.last(), set.ceiling(4), set.floor(4), set.higher(5)]).toEqual([
      1,
      5,
      5,
      3,
      null,
    ]);
    const head = set.headSet(4);
    set.add(2);
    expect([...head]).toEqual([1, 2, 3]);
    expect([...set.descendingSet()]).toEqual([5, 3, 2, 1]);
    expect(set.pollFirst()).toBe(1);
    expect(set.size).toBe(3);
  });
});

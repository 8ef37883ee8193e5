/**
 * Java's sorted collections: `TreeMap`/`ConcurrentSkipListMap` (and the `SortedMap`/`NavigableMap` they are
 * declared as) and `TreeSet`/`ConcurrentSkipListSet`. They are a `Map`/`Set` to the code that holds them, but
 * iterate in key order (natural order of numbers, strings, booleans and dates, or the comparator given), and
 * have the NavigableMap/NavigableSet methods under their Java names. Views (`headMap`, `tailMap`, `subMap`,
 * `descendingMap` and the set's) share the map, as Java's do: a write through one is seen by the other.
 * Iterating reads a snapshot of the keys taken when the iteration starts (as a ConcurrentSkipListMap's iterator
 * may), so a write during the loop does not fail as a TreeMap's ConcurrentModificationException would.
 */
import { compareNatural, type Comparator, type MapEntry } from './java.ts';

interface Store<K, V> {
  keys: K[];
  values: V[];
  readonly compare: Comparator<K>;
  readonly comparator: Comparator<K> | null;
}

/** The part of the keys a view sees: bounds (each inclusive or not) and the direction. */
interface Range<K> {
  lo?: { key: K; inclusive: boolean };
  hi?: { key: K; inclusive: boolean };
  descending: boolean;
}

const FULL: Range<never> = { descending: false };

function naturalKey<K>(compare: Comparator<K>): Comparator<K> {
  return (a, b) => {
    // Java: a TreeMap with natural ordering refuses a null key (NullPointerException)
    if (a === null || a === undefined || b === null || b === undefined)
      throw new TypeError('a sorted map or set in natural order takes no null key');
    return compare(a, b);
  };
}

function createStore<K, V>(comparator: Comparator<K> | null | undefined): Store<K, V> {
  const given = comparator ?? null;
  return {
    keys: [],
    values: [],
    compare: given ?? naturalKey<K>(compareNatural),
    comparator: given,
  };
}

/** The first index whose key is >= key (`after`: > key). */
function bound<K>(store: Store<K, unknown>, key: K, after: boolean): number {
  let lo = 0;
  let hi = store.keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const order = store.compare(store.keys[mid] as K, key);
    if (order < 0 || (after && order === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function noSuchElement(): Error {
  const error = new Error('No such element');
  error.name = 'NoSuchElementException';
  return error;
}

/** Shared by the map and the set: a range of a store, in its direction. */
class SortedView<K, V> {
  readonly #store: Store<K, V>;
  readonly #range: Range<K>;

  constructor(store: Store<K, V>, range: Range<K>) {
    this.#store = store;
    this.#range = range;
  }

  get store(): Store<K, V> {
    return this.#store;
  }

  get range(): Range<K> {
    return this.#range;
  }

  /** The store indices [start, end) this view covers. */
  span(): [number, number] {
    const { lo, hi } = this.#range;
    const start = lo === undefined ? 0 : bound(this.#store, lo.key, !lo.inclusive);
    const end = hi === undefined ? this.#store.keys.length : bound(this.#store, hi.key, hi.inclusive);
    return [start, Math.max(start, end)];
  }

  inRange(key: K): boolean {
    const { lo, hi } = this.#range;
    const compare = this.#store.compare;
    if (lo !== undefined) {
      const order = compare(key, lo.key);
      if (order < 0 || (order === 0 && !lo.inclusive)) return false;
    }
    if (hi !== undefined) {
      const order = compare(key, hi.key);
      if (order > 0 || (order === 0 && !hi.inclusive)) return false;
    }
    return true;
  }

  /** The store index of `key`, or -1. */
  indexOf(key: K): number {
    this.#store.compare(key, key); // a null key fails as in Java, even in an empty map
    if (!this.inRange(key)) return -1;
    const i = bound(this.#store, key, false);
    return i < this.#store.keys.length && this.#store.compare(this.#store.keys[i] as K, key) === 0 ? i : -1;
  }

  size(): number {
    const [start, end] = this.span();
    return end - start;
  }

  /** Store indices in this view's order, as they are now. */
  order(): number[] {
    const [start, end] = this.span();
    const indices = Array.from({ length: end - start }, (_, i) => start + i);
    return this.#range.descending ? indices.reverse() : indices;
  }

  /** A snapshot of the entries, in this view's order. */
  entries(): [K, V][] {
    return this.order().map((i) => [this.#store.keys[i] as K, this.#store.values[i] as V]);
  }

  put(key: K, value: V): void {
    this.#store.compare(key, key);
    if (!this.inRange(key)) throw new RangeError('key out of range');
    const i = bound(this.#store, key, false);
    if (i < this.#store.keys.length && this.#store.compare(this.#store.keys[i] as K, key) === 0) {
      // Java keeps the key it has and replaces the value
      this.#store.values[i] = value;
      return;
    }
    this.#store.keys.splice(i, 0, key);
    this.#store.values.splice(i, 0, value);
  }

  remove(key: K): boolean {
    const i = this.indexOf(key);
    if (i < 0) return false;
    this.#store.keys.splice(i, 1);
    this.#store.values.splice(i, 1);
    return true;
  }

  clear(): void {
    const [start, end] = this.span();
    this.#store.keys.splice(start, end - start);
    this.#store.values.splice(start, end - start);
  }

  /** The store index of the first key in this view's order (0) or the last (-1); -1 when empty. */
  edge(last: boolean): number {
    const [start, end] = this.span();
    if (start === end) return -1;
    return last !== this.#range.descending ? end - 1 : start;
  }

  /**
   * The store index of the nearest key to `key` in this view's order: `ceiling` (>=), `higher` (>),
   * `floor` (<=), `lower` (<); -1 when there is none.
   */
  nearest(key: K, how: 'ceiling' | 'higher' | 'floor' | 'lower'): number {
    this.#store.compare(key, key);
    // in a descending view, "higher" is towards the smaller keys
    const flip = this.#range.descending;
    const up = (how === 'ceiling' || how === 'higher') !== flip;
    const strict = how === 'higher' || how === 'lower';
    const i = up ? bound(this.#store, key, strict) : bound(this.#store, key, !strict) - 1;
    const [start, end] = this.span();
    return i >= start && i < end ? i : -1;
  }

  /** A view of this view: bounds are in this view's order (`from` is the first key), within its own. */
  sub(
    from: { key: K; inclusive: boolean } | undefined,
    to: { key: K; inclusive: boolean } | undefined,
  ): Range<K> {
    const [lo, hi] = this.#range.descending ? [to, from] : [from, to];
    for (const b of [lo, hi]) {
      if (b !== undefined && !this.inRange(b.key)) {
        const edge = b === lo ? this.#range.lo : this.#range.hi;
        // Java allows the view's own exclusive bound as the new exclusive bound
        if (!(edge !== undefined && !b.inclusive && this.#store.compare(edge.key, b.key) === 0))
          throw new RangeError('key out of range');
      }
    }
    if (lo !== undefined && hi !== undefined && this.#store.compare(lo.key, hi.key) > 0)
      throw new RangeError('fromKey > toKey');
    return { lo: lo ?? this.#range.lo, hi: hi ?? this.#range.hi, descending: this.#range.descending };
  }
}

/** `TreeMap`, `ConcurrentSkipListMap`: a Map in key order, with the NavigableMap methods. */
export class TreeMap<K, V> extends Map<K, V> {
  #view: SortedView<K, V>;

  /**
   * `new TreeMap<>()` (natural order), `new TreeMap<>(comparator)`, and `new TreeMap<>(comparator, map)` for
   * `new TreeMap<>(map)` (`null` for the natural order, or the source SortedMap's comparator).
   */
  constructor(comparator?: Comparator<K> | null, entries?: Iterable<readonly [K, V]>) {
    super();
    this.#view = new SortedView(createStore<K, V>(comparator), FULL);
    for (const [key, value] of entries ?? []) this.#view.put(key, value);
  }

  static #of<K, V>(view: SortedView<K, V>): TreeMap<K, V> {
    const map = new TreeMap<K, V>();
    map.#view = view;
    return map;
  }

  override get size(): number {
    return this.#view.size();
  }

  override get(key: K): V | undefined {
    const view = this.#view;
    const i = view.indexOf(key);
    return i < 0 ? undefined : view.store.values[i];
  }

  override has(key: K): boolean {
    return this.#view.indexOf(key) >= 0;
  }

  override set(key: K, value: V): this {
    this.#view.put(key, value);
    return this;
  }

  override delete(key: K): boolean {
    return this.#view.remove(key);
  }

  override clear(): void {
    this.#view.clear();
  }

  override *entries(): MapIterator<[K, V]> {
    yield* this.#view.entries();
  }

  override *keys(): MapIterator<K> {
    for (const [key] of this.#view.entries()) yield key;
  }

  override *values(): MapIterator<V> {
    for (const [, value] of this.#view.entries()) yield value;
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  override forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.#view.entries()) callback.call(thisArg, value, key, this);
  }

  /** Jackson writes a map as an object, in the map's order. */
  toJSON(): Record<string, V> {
    return Object.fromEntries([...this.entries()].map(([k, v]) => [String(k), v]));
  }

  /** `null` for the natural order, as in Java. */
  comparator(): Comparator<K> | null {
    return this.#view.store.comparator;
  }

  #key(i: number): K {
    if (i < 0) throw noSuchElement();
    return this.#view.store.keys[i] as K;
  }

  #entry(i: number): MapEntry<K, V> | null {
    const store = this.#view.store;
    return i < 0 ? null : { key: store.keys[i] as K, value: store.values[i] as V };
  }

  firstKey(): K {
    return this.#key(this.#view.edge(false));
  }

  lastKey(): K {
    return this.#key(this.#view.edge(true));
  }

  firstEntry(): MapEntry<K, V> | null {
    return this.#entry(this.#view.edge(false));
  }

  lastEntry(): MapEntry<K, V> | null {
    return this.#entry(this.#view.edge(true));
  }

  pollFirstEntry(): MapEntry<K, V> | null {
    const entry = this.firstEntry();
    if (entry !== null) this.delete(entry.key);
    return entry;
  }

  pollLastEntry(): MapEntry<K, V> | null {
    const entry = this.lastEntry();
    if (entry !== null) this.delete(entry.key);
    return entry;
  }

  ceilingKey(key: K): K | null {
    return this.#entry(this.#view.nearest(key, 'ceiling'))?.key ?? null;
  }

  floorKey(key: K): K | null {
    return this.#entry(this.#view.nearest(key, 'floor'))?.key ?? null;
  }

  higherKey(key: K): K | null {
    return this.#entry(this.#view.nearest(key, 'higher'))?.key ?? null;
  }

  lowerKey(key: K): K | null {
    return this.#entry(this.#view.nearest(key, 'lower'))?.key ?? null;
  }

  ceilingEntry(key: K): MapEntry<K, V> | null {
    return this.#entry(this.#view.nearest(key, 'ceiling'));
  }

  floorEntry(key: K): MapEntry<K, V> | null {
    return this.#entry(this.#view.nearest(key, 'floor'));
  }

  higherEntry(key: K): MapEntry<K, V> | null {
    return this.#entry(this.#view.nearest(key, 'higher'));
  }

  lowerEntry(key: K): MapEntry<K, V> | null {
    return this.#entry(this.#view.nearest(key, 'lower'));
  }

  /** `headMap(toKey)` (exclusive) and `headMap(toKey, inclusive)`: a view of the keys before `toKey`. */
  headMap(toKey: K, inclusive = false): TreeMap<K, V> {
    return this.#sub(undefined, { key: toKey, inclusive });
  }

  /** `tailMap(fromKey)` (inclusive) and `tailMap(fromKey, inclusive)`: a view from `fromKey` on. */
  tailMap(fromKey: K, inclusive = true): TreeMap<K, V> {
    return this.#sub({ key: fromKey, inclusive }, undefined);
  }

  /** `subMap(from, fromInclusive, to, toInclusive)`; Java's `subMap(from, to)` is `(from, true, to, false)`. */
  subMap(fromKey: K, fromInclusive: boolean, toKey: K, toInclusive: boolean): TreeMap<K, V> {
    return this.#sub({ key: fromKey, inclusive: fromInclusive }, { key: toKey, inclusive: toInclusive });
  }

  /** A view in the reverse order. */
  descendingMap(): TreeMap<K, V> {
    const view = this.#view;
    return TreeMap.#of(new SortedView(view.store, { ...view.range, descending: !view.range.descending }));
  }

  #sub(from: Range<K>['lo'], to: Range<K>['hi']): TreeMap<K, V> {
    const view = this.#view;
    return TreeMap.#of(new SortedView(view.store, view.sub(from, to)));
  }
}

/** `TreeSet`, `ConcurrentSkipListSet`: a Set in order, with the NavigableSet methods. */
export class TreeSet<T> extends Set<T> {
  #map: TreeMap<T, true>;

  /** `new TreeSet<>()`, `new TreeSet<>(comparator)`, and `new TreeSet<>(comparator, items)`. */
  constructor(comparator?: Comparator<T> | null, items?: Iterable<T>) {
    super();
    this.#map = new TreeMap<T, true>(comparator);
    for (const item of items ?? []) this.#map.set(item, true);
  }

  static #over<T>(map: TreeMap<T, true>): TreeSet<T> {
    const set = new TreeSet<T>();
    set.#map = map;
    return set;
  }

  override get size(): number {
    return this.#map.size;
  }

  override has(value: T): boolean {
    return this.#map.has(value);
  }

  override add(value: T): this {
    this.#map.set(value, true);
    return this;
  }

  override delete(value: T): boolean {
    return this.#map.delete(value);
  }

  override clear(): void {
    this.#map.clear();
  }

  override *values(): SetIterator<T> {
    yield* [...this.#map.keys()];
  }

  override keys(): SetIterator<T> {
    return this.values();
  }

  override *entries(): SetIterator<[T, T]> {
    for (const value of [...this.#map.keys()]) yield [value, value];
  }

  override [Symbol.iterator](): SetIterator<T> {
    return this.values();
  }

  override forEach(callback: (value: T, value2: T, set: Set<T>) => void, thisArg?: unknown): void {
    for (const value of [...this.#map.keys()]) callback.call(thisArg, value, value, this);
  }

  /** Jackson writes a set as an array, in the set's order. */
  toJSON(): T[] {
    return [...this.#map.keys()];
  }

  comparator(): Comparator<T> | null {
    return this.#map.comparator();
  }

  first(): T {
    return this.#map.firstKey();
  }

  last(): T {
    return this.#map.lastKey();
  }

  pollFirst(): T | null {
    return this.#map.pollFirstEntry()?.key ?? null;
  }

  pollLast(): T | null {
    return this.#map.pollLastEntry()?.key ?? null;
  }

  ceiling(value: T): T | null {
    return this.#map.ceilingKey(value);
  }

  floor(value: T): T | null {
    return this.#map.floorKey(value);
  }

  higher(value: T): T | null {
    return this.#map.higherKey(value);
  }

  lower(value: T): T | null {
    return this.#map.lowerKey(value);
  }

  headSet(to: T, inclusive = false): TreeSet<T> {
    return TreeSet.#over(this.#map.headMap(to, inclusive));
  }

  tailSet(from: T, inclusive = true): TreeSet<T> {
    return TreeSet.#over(this.#map.tailMap(from, inclusive));
  }

  /** `subSet(from, fromInclusive, to, toInclusive)`; Java's `subSet(from, to)` is `(from, true, to, false)`. */
  subSet(from: T, fromInclusive: boolean, to: T, toInclusive: boolean): TreeSet<T> {
    return TreeSet.#over(this.#map.subMap(from, fromInclusive, to, toInclusive));
  }

  descendingSet(): TreeSet<T> {
    return TreeSet.#over(this.#map.descendingMap());
  }
}

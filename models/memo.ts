/**
 * Bounded memos for series that depend only on reference data (a climate year, a tariff calendar, a
 * power curve and workload shape): computed once, kept while their owner object is referenced, and
 * only the most recently used few per owner, so editing inputs one by one cannot grow memory without
 * bound. The values are shared: read them, do not write them.
 */

/**
 * `map.get(key)`, or `make()` stored under `key`; the map keeps its `max` most recently used entries
 * (a hit moves to the end, an insertion past `max` drops the oldest).
 *
 * @example
 * lruGet(new Map(), 'a', () => 1, 2) // → 1
 */
export function lruGet<K, V>(map: Map<K, V>, key: K, make: () => V, max: number): V {
  if (map.has(key)) {
    const hit = map.get(key) as V;
    map.delete(key); // most recently used last
    map.set(key, hit);
    return hit;
  }
  const v = make();
  map.set(key, v);
  if (map.size > max) map.delete(map.keys().next().value as K);
  return v;
}

/** The map `memo` keeps for `owner` (made empty on first use). */
export function mapOf<K, V>(memo: WeakMap<object, Map<K, V>>, owner: object): Map<K, V> {
  let m = memo.get(owner);
  if (!m) {
    m = new Map();
    memo.set(owner, m);
  }
  return m;
}

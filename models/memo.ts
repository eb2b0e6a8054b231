/**
 * Bounded memo helpers for the engine cache (models/engine-cache.ts): plain functions on maps the
 * caller owns. They hold nothing themselves.
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

/**
 * The value `memo` keeps for `owner`, made on first use.
 *
 * @example
 * ownedBy(new WeakMap(), climate, () => new Map()) // → the map kept for `climate`
 */
export function ownedBy<V>(memo: WeakMap<object, V>, owner: object, make: () => V): V {
  let m = memo.get(owner);
  if (m === undefined) {
    m = make();
    memo.set(owner, m);
  }
  return m;
}

/**
 * The first number in a result that is NaN or ±Infinity, by path (`clusters[0].annual[3].pue`), or
 * null. JSON would silently store such a number as `null`, so a run whose result holds one must fail
 * instead of being stored as `done`. Typed arrays (hourly series) are checked element by element.
 *
 * @example
 * firstNonFinite({ a: [1, { b: NaN }] }) // 'a[1].b'
 */
export function firstNonFinite(value: unknown, path = ''): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path || '(value)';
  if (value === null || typeof value !== 'object') return null;
  if (ArrayBuffer.isView(value)) {
    const a = value as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return `${path}[${i}]`;
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = firstNonFinite(value[i], `${path}[${i}]`);
      if (p) return p;
    }
    return null;
  }
  for (const k of Object.keys(value)) {
    const p = firstNonFinite((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    if (p) return p;
  }
  return null;
}

/**
 * Bounds on the work one request may ask for, checked on the main thread before anything heavy: the
 * walk is linear in the body (≤ 1 MiB), so a request within them costs the worker pool at most
 * `MAX_RESOLVED_VALUES` expression evaluations of at most `MAX_EXPRESSION_CHARS` characters.
 */

/** Longest string a scenario may give for a quantity (an expression, a value with a unit) or an id. */
export const MAX_EXPRESSION_CHARS = 200;
/**
 * Most values validation may resolve: every year-dependent expression counts once per simulated
 * year, every other string once, for every cluster (defaults count for each cluster they apply to).
 */
export const MAX_RESOLVED_VALUES = 100_000;

/** Keys whose strings are free text, not quantities or ids. */
const TEXT_KEYS = new Set(['$comment', 'label']);

interface Tally {
  values: number;
  first: { path: string; message: string } | null;
}

function walk(v: unknown, path: string, years: number, t: Tally): void {
  if (typeof v === 'string') {
    if (v.length > MAX_EXPRESSION_CHARS && !t.first) {
      t.first = { path, message: `must be at most ${MAX_EXPRESSION_CHARS} characters (got ${v.length})` };
    }
    t.values += /year/.test(v) ? years : 1;
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      walk(x, `${path}[${i}]`, years, t);
    });
    return;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      // JSON.parse makes "__proto__" an own key; zod's records (year schedules) drop it silently, so the
      // document stored would differ from the one validated: refuse it like any unknown key.
      if (k === '__proto__' && !t.first) t.first = { path: `${path}.__proto__`, message: 'unknown field' };
      if (!TEXT_KEYS.has(k)) walk(x, `${path}.${k}`, years, t);
    }
  }
}

/**
 * The first bound a raw scenario breaks (`{ path, message }`, path under `scenario`), or null; an own
 * `__proto__` key anywhere is refused too. Shapes it does not understand are left to the validator.
 *
 * @example
 * workBudgetProblem({ years: 100, clusters: [{ occupancy: 'x'.repeat(300) }] })
 * // { path: 'scenario.clusters[0].occupancy', message: 'must be at most 200 characters (got 300)' }
 */
export function workBudgetProblem(scenario: unknown): { path: string; message: string } | null {
  if (!scenario || typeof scenario !== 'object') return null;
  const s = scenario as { years?: unknown; defaults?: unknown; clusters?: unknown };
  const years = typeof s.years === 'number' && s.years >= 1 && s.years <= 100 ? Math.floor(s.years) : 1;
  if (!Array.isArray(s.clusters)) return null;
  const t: Tally = { values: 0, first: null };
  const defaults =
    s.defaults && typeof s.defaults === 'object' ? (s.defaults as Record<string, unknown>) : {};
  const d: Tally = { values: 0, first: null };
  walk(defaults, 'scenario.defaults', years, d);
  if (d.first) return d.first;
  s.clusters.forEach((c, i) => {
    walk(c, `scenario.clusters[${i}]`, years, t);
    // The defaults' fields this cluster does not set apply to it too.
    const own = c && typeof c === 'object' ? (c as Record<string, unknown>) : {};
    for (const [k, x] of Object.entries(defaults)) {
      if (!(k in own) && !TEXT_KEYS.has(k)) walk(x, `scenario.defaults.${k}`, years, t);
    }
  });
  if (t.first) return t.first;
  if (t.values > MAX_RESOLVED_VALUES) {
    return {
      path: 'scenario',
      message: `asks for ${t.values} resolved values (each year-dependent expression once per year, per cluster); at most ${MAX_RESOLVED_VALUES}`,
    };
  }
  return null;
}

/** The resolved-value count of a scenario, for tests and docs. */
export function resolvedValues(scenario: unknown): number {
  const s = scenario as { years?: number; defaults?: Record<string, unknown>; clusters?: unknown[] };
  const years = s.years ?? 1;
  const t: Tally = { values: 0, first: null };
  for (const c of s.clusters ?? []) {
    walk(c, '', years, t);
    const own = c && typeof c === 'object' ? (c as Record<string, unknown>) : {};
    for (const [k, x] of Object.entries(s.defaults ?? {})) if (!(k in own)) walk(x, '', years, t);
  }
  return t.values;
}

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
 * The first bound a raw scenario breaks (`{ path, message }`, path under `scenario`), or null: its free
 * text (`textProblem`), the length of its strings and the values it resolves; an own `__proto__` key
 * anywhere is refused too. Shapes it does not understand are left to the validator.
 *
 * @example
 * workBudgetProblem({ years: 100, clusters: [{ occupancy: 'x'.repeat(300) }] })
 * // { path: 'scenario.clusters[0].occupancy', message: 'must be at most 200 characters (got 300)' }
 */
export function workBudgetProblem(scenario: unknown): { path: string; message: string } | null {
  if (!scenario || typeof scenario !== 'object') return null;
  const text = textProblem(scenario);
  if (text) return text;
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

/** Longest free-text string a `$comment` may hold (as `sources` entries, models/scenario.ts). */
export const MAX_TEXT_CHARS = 2_000;
/** Most entries of a `$comment` list or of `sources`. */
export const MAX_TEXT_ITEMS = 50;
/**
 * Most characters of free text one scenario may hold: every `$comment`, `sources`, `description`,
 * `label` and `name` together (the bundled scenarios hold 1,500–3,700).
 */
export const MAX_SCENARIO_TEXT_CHARS = 20_000;

/** A `$comment` or `sources` value: its length bounds, and the characters it adds to the total. */
function textList(v: unknown, path: string, t: { chars: number; first: Problem | null }): void {
  const items = Array.isArray(v) ? v : [v];
  if (Array.isArray(v) && v.length > MAX_TEXT_ITEMS && !t.first)
    t.first = { path, message: `must have at most ${MAX_TEXT_ITEMS} entries (got ${v.length})` };
  items.forEach((x, i) => {
    if (typeof x !== 'string') return; // the schema names what is not text
    t.chars += x.length;
    if (x.length > MAX_TEXT_CHARS && !t.first) {
      const at = Array.isArray(v) ? `${path}[${i}]` : path;
      t.first = { path: at, message: `must be at most ${MAX_TEXT_CHARS} characters (got ${x.length})` };
    }
  });
}

type Problem = { path: string; message: string };

/**
 * The bounds on a scenario's free text, which the engine's schema leaves open (`$comment` has no
 * length bound; `sources` up to 200 entries of 2,000 characters): each `$comment` string at most
 * `MAX_TEXT_CHARS`, a `$comment` list or `sources` at most `MAX_TEXT_ITEMS` entries, and all free text
 * together at most `MAX_SCENARIO_TEXT_CHARS`. The first bound broken (path under `scenario`), or null.
 *
 * @example
 * textProblem({ name: 'x', $comment: 'y'.repeat(3000) })
 * // { path: 'scenario.$comment', message: 'must be at most 2000 characters (got 3000)' }
 */
export function textProblem(scenario: unknown): Problem | null {
  const t = { chars: 0, first: null as Problem | null };
  const visit = (v: unknown, path: string, top: boolean) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        visit(x, `${path}[${i}]`, false);
      });
      return;
    }
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      const at = `${path}.${k}`;
      if (k === '$comment' || (top && k === 'sources')) textList(x, at, t);
      else if (typeof x === 'string' && (k === 'label' || (top && (k === 'name' || k === 'description'))))
        t.chars += x.length;
      else visit(x, at, false);
    }
  };
  visit(scenario, 'scenario', true);
  if (t.first) return t.first;
  if (t.chars > MAX_SCENARIO_TEXT_CHARS) {
    return {
      path: 'scenario',
      message: `holds ${t.chars} characters of free text ($comment, sources, description, labels, name); at most ${MAX_SCENARIO_TEXT_CHARS}`,
    };
  }
  return null;
}

/** Most bytes of JSON one user cluster may take (a seeded cluster takes 1.4–2.2 kB). */
export const MAX_CLUSTER_BYTES = 32 * 1024;

/**
 * The bounds on a user cluster's document, which the seed schema leaves open: every string at most
 * `MAX_TEXT_CHARS`, every list at most `MAX_TEXT_ITEMS` entries, all of it at most `MAX_CLUSTER_BYTES`
 * of JSON. The first bound broken (path under `cluster`), or null.
 *
 * @example
 * clusterSizeProblem({ id: 'mine', references: ['x'.repeat(2001)] })
 * // { path: 'cluster.references[0]', message: 'must be at most 2000 characters (got 2001)' }
 */
export function clusterSizeProblem(cluster: unknown): Problem | null {
  let first: Problem | null = null;
  const visit = (v: unknown, path: string) => {
    if (first) return;
    if (typeof v === 'string') {
      if (v.length > MAX_TEXT_CHARS)
        first = { path, message: `must be at most ${MAX_TEXT_CHARS} characters (got ${v.length})` };
    } else if (Array.isArray(v)) {
      if (v.length > MAX_TEXT_ITEMS)
        first = { path, message: `must have at most ${MAX_TEXT_ITEMS} entries (got ${v.length})` };
      v.forEach((x, i) => {
        visit(x, `${path}[${i}]`);
      });
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) visit(x, `${path}.${k}`);
    }
  };
  visit(cluster, 'cluster');
  if (first) return first;
  const bytes = Buffer.byteLength(JSON.stringify(cluster) ?? '');
  if (bytes > MAX_CLUSTER_BYTES)
    return { path: 'cluster', message: `takes ${bytes} bytes of JSON; at most ${MAX_CLUSTER_BYTES}` };
  return null;
}

/** Bounds on what users save: scenarios (every version counted) and user clusters. */
export interface SavedLimits {
  /** Saved scenarios kept (not counting deleted ones; default 1,000: `DCPLAN_KEEP_SCENARIOS`). */
  maxScenarios: number;
  /** Meter checks kept (default 1,000: `DCPLAN_KEEP_CHECKS`). */
  maxChecks: number;
  /**
   * Bytes of every saved scenario version, user cluster and meter check together (default 100 MiB:
   * `DCPLAN_SAVED_MB`).
   */
  maxSavedBytes: number;
}

export const DEFAULT_SAVED_LIMITS: SavedLimits = {
  maxScenarios: 1000,
  maxChecks: 1000,
  maxSavedBytes: 100 * 1024 * 1024,
};

/**
 * Largest meter file `POST /api/checks` reads, CSV or JSON (8 MiB: a 15-minute year with every column
 * is ≈ 4 MB as CSV).
 */
export const MAX_METER_BYTES = 8 * 1024 * 1024;

/** Most user clusters kept. */
export const MAX_USER_CLUSTERS = 1000;

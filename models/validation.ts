import type { z } from 'zod';

/**
 * Validation errors: one line per problem, `path: rule` (`clusters[0].occupancy: must be ≤ 1`), from
 * zod issues or from the resolver. Shared by the scenario schema, the engine and the API.
 */

export interface FieldError {
  path: string;
  message: string;
}

/** Thrown for invalid input; `message` is the one-line `path: rule` of the first problem. */
export class ValidationError extends Error {
  readonly errors: FieldError[];
  /**
   * Set by the scenario parser when only some clusters failed the schema: the scenario with the others
   * parsed and their indices, so that the reference checks can still report their errors too.
   */
  partial?: { scenario: never; valid: number[] };
  constructor(errors: FieldError[]) {
    super(errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message))[0] ?? 'invalid input');
    this.name = 'ValidationError';
    this.errors = errors;
  }
}

/** Format a zod issue path as `clusters[0].buildout[1].racks`. */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

const article = (w: string) => (/^[aeiou]/.test(w) ? `an ${w}` : `a ${w}`);
const TYPE_NAMES: Record<string, string> = { int: 'whole number', nan: 'number' };
const bound = (v: unknown) => (typeof v === 'bigint' ? String(v) : String(v));

/**
 * zod's default wording → the project's terse rules, from the issue's code (not its English):
 * `must be a number (got string)`, `must be ≥ 1`, `must have at most 200 characters`,
 * `must be one of "a", "b"`. A message the schema itself set (e.g. a regex rule) is kept.
 */
export function ruleOf(i: z.core.$ZodIssue, value?: unknown): string {
  const custom = !/^(Invalid|Too (small|big)|Expected|Unrecognized)/.test(i.message);
  if (custom) return i.message;
  switch (i.code) {
    case 'invalid_type': {
      const want = TYPE_NAMES[i.expected] ?? i.expected;
      const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
      return `must be ${article(want)}${value === undefined ? '' : ` (got ${got})`}`;
    }
    case 'too_small': {
      const n = bound(i.minimum);
      if (i.origin === 'string') return `must have at least ${n} character${n === '1' ? '' : 's'}`;
      if (i.origin === 'array' || i.origin === 'set')
        return `must have at least ${n} item${n === '1' ? '' : 's'}`;
      return `must be ${i.inclusive === false ? '>' : '≥'} ${n}`;
    }
    case 'too_big': {
      const n = bound(i.maximum);
      if (i.origin === 'string') return `must have at most ${n} characters`;
      if (i.origin === 'array' || i.origin === 'set') return `must have at most ${n} items`;
      return `must be ${i.inclusive === false ? '<' : '≤'} ${n}`;
    }
    case 'invalid_value':
      return `must be ${i.values.length === 1 ? '' : 'one of '}${i.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return i.format === 'regex' ? 'has the wrong format' : `must be ${article(i.format)}`;
    case 'not_multiple_of':
      return `must be a multiple of ${bound(i.divisor)}`;
    case 'invalid_key':
      return 'has an invalid key';
    default:
      return 'is invalid';
  }
}

/** The value at a zod issue's path in the input (undefined where the path leaves the objects). */
export function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Is the schema at this path a quantity (number, string with unit or expression, year schedule)? */
function isQuantityUnion(i: z.core.$ZodIssue): boolean {
  if (i.code !== 'invalid_union') return false;
  // A quantity's branches are exactly number | string | distribution | record.
  const expected = i.errors.map((branch) => branch.find((x) => x.path.length === 0));
  const last = expected[expected.length - 1];
  return (
    expected.length === 4 &&
    expected[0]?.code === 'invalid_type' &&
    expected[0].expected === 'number' &&
    last?.code === 'invalid_type' &&
    last.expected === 'record'
  );
}

export function issuesToErrors(issues: z.core.$ZodIssue[], prefix: string, input: unknown): FieldError[] {
  return issues.map((i) => {
    const path = formatPath(i.path, prefix) || prefix;
    if (i.code === 'unrecognized_keys') {
      return { path, message: `unknown field ${i.keys.map((k) => `"${k}"`).join(', ')}` };
    }
    const value = valueAt(input, i.path);
    if ((i.code === 'invalid_type' || i.code === 'invalid_union') && value === undefined) {
      return { path, message: 'is required' };
    }
    if (isQuantityUnion(i)) {
      return {
        path,
        message: 'must be a number, a string with a unit or expression, a year schedule or a distribution',
      };
    }
    if (i.code === 'invalid_union') {
      const last = i.path[i.path.length - 1];
      if (last === '$comment') return { path, message: 'must be a string or an array of strings' };
      const note = (i as { note?: string }).note;
      if (note === 'No matching discriminator')
        return { path: `${path}.kind`, message: 'is not a known kind' };
      return { path, message: 'does not match any allowed form' };
    }
    return { path, message: ruleOf(i, value) };
  });
}

/**
 * Edit distance between two strings (optimal string alignment: insertions, deletions, substitutions
 * and swaps of neighbours each count 1), case-insensitive.
 *
 * @example
 * editDistance('occupnacy', 'occupancy') // → 1
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const u = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= u.length; j++) d[0][j] = j;
  for (let i = 1; i <= s.length; i++)
    for (let j = 1; j <= u.length; j++) {
      const cost = s[i - 1] === u[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === u[j - 2] && s[i - 2] === u[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[s.length][u.length];
}

/**
 * The known name closest to `given` when it is close enough to be a slip (at most a third of its
 * letters off, or one name containing the other), else null.
 *
 * @example
 * didYouMean('evaporative', ['air-cooled-chiller', 'indirect-evaporative']) // → 'indirect-evaporative'
 */
export function didYouMean(given: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const dist = editDistance(given, k);
    if (dist < bestD) {
      bestD = dist;
      best = k;
    }
  }
  if (best !== null && bestD <= Math.max(1, Math.floor(given.length / 3))) return best;
  const g = given.toLowerCase();
  const inside = known.filter(
    (k) => g.length >= 3 && (k.toLowerCase().includes(g) || g.includes(k.toLowerCase())),
  );
  return inside.length === 1 ? inside[0] : null;
}

/**
 * An unknown name in words, with the closest known one and every choice:
 * `unknown cooling design "evap" — did you mean "indirect-evaporative"? (known: a, b, …)`.
 * `named` false leaves the name out (it is the last part of the error's path).
 */
export function unknownChoice(kind: string, given: string, known: readonly string[], named = true): string {
  const near = didYouMean(given, known);
  return `unknown ${kind}${named ? ` "${given}"` : ''}${near ? ` — did you mean "${near}"?` : ''} (known: ${known.join(', ')})`;
}

/** The value at a field path such as `clusters[0].buildout[2].racks` (undefined where it leaves the data). */
export function valueAtPath(input: unknown, path: string): unknown {
  const keys = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) =>
    m[2] !== undefined ? Number(m[2]) : m[1],
  );
  return valueAt(input, keys);
}

/**
 * Errors made to say what to do, from what the rules alone cannot know: the closest known name and
 * the choices for an unknown id or parameter (`unknown calendar "x" (known: a, b)`), a percentage
 * typed into a fraction field (`occupancy: 65` → `must be ≤ 1 — for 65 %, write 0.65`), and the
 * closest field for an unknown one (`knownKeys` gives the fields allowed at a path).
 *
 * @example
 * explainErrors([{ path: 'clusters[0].occupancy', message: 'must be ≤ 1' }], { clusters: [{ occupancy: 65 }] })
 * // → [{ path: 'clusters[0].occupancy', message: 'must be ≤ 1 — for 65 %, write 0.65 (or "65 %")' }]
 */
export function explainErrors(
  errors: FieldError[],
  input: unknown,
  knownKeys?: (path: string) => readonly string[] | null,
): FieldError[] {
  return errors.map((e) => {
    const known = /^unknown (.+?) "([^"]*)" \(known: (.*)\)$/.exec(e.message);
    if (known)
      return { ...e, message: unknownChoice(known[1], known[2], known[3].split(', ').filter(Boolean)) };
    const param = /^unknown parameter \(known: (.*)\)$/.exec(e.message);
    if (param) {
      const name = e.path.slice(e.path.lastIndexOf('.') + 1);
      return { ...e, message: unknownChoice('parameter', name, param[1].split(', '), false) };
    }
    const field = /^unknown field (.*)$/.exec(e.message);
    if (field && knownKeys) {
      const keys = knownKeys(e.path) ?? [];
      const names = [...field[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
      const hints = names.flatMap((n) => {
        const near = didYouMean(n, keys);
        return near ? [names.length > 1 ? `"${near}" for "${n}"` : `"${near}"`] : [];
      });
      const fields = keys.filter((k) => !k.startsWith('$'));
      return {
        ...e,
        message: `${e.message}${hints.length ? ` — did you mean ${hints.join(', ')}?` : ''}${fields.length ? ` (known: ${fields.join(', ')})` : ''}`,
      };
    }
    if (e.message === 'must be ≤ 1') {
      const v = valueAtPath(input, e.path);
      if (typeof v === 'number' && v >= 2 && v <= 100)
        return {
          ...e,
          message: `must be ≤ 1 — for ${v} %, write ${Number((v / 100).toPrecision(6))} (or "${v} %")`,
        };
    }
    return e;
  });
}

/**
 * Where a JSON text fails to parse, as line and column (1-based), from the position the parser names
 * (`… at position 45`, or its own `(line 3 column 5)`); null when the message names neither.
 *
 * @example
 * jsonErrorAt('{\n  "a": 1,\n}', new SyntaxError('Unexpected token } in JSON at position 12')) // → { line: 3, column: 1 }
 */
export function jsonErrorAt(text: string, e: Error): { line: number; column: number } | null {
  const lc = /line (\d+) column (\d+)/.exec(e.message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(e.message);
  if (!pos) {
    if (/Unexpected end of JSON input/.test(e.message)) {
      const lines = text.split('\n');
      return { line: lines.length, column: lines[lines.length - 1].length + 1 };
    }
    return null;
  }
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  return { line, column: Number(pos[1]) - before.lastIndexOf('\n') };
}

/**
 * A JSON parse error in words with its line and column and the line itself, e.g.
 * `invalid JSON at line 3, column 1: Unexpected token } … — a comma before a closing brace?`
 */
export function jsonErrorText(text: string, e: Error): string {
  const at = jsonErrorAt(text, e);
  const why = e.message
    .replace(/ in JSON at position \d+( \(line \d+ column \d+\))?/, '')
    .replace(/^JSON\.parse: /, '');
  if (!at) return `invalid JSON: ${why}`;
  const line = text.split('\n')[at.line - 1] ?? '';
  const hint =
    /Unexpected token '?[}\]]/.test(e.message) ||
    /after property value|Expected double-quoted property name/.test(e.message)
      ? ' — a comma before a closing brace or bracket, or a missing comma?'
      : '';
  return `invalid JSON at line ${at.line}, column ${at.column}: ${why}${hint}\n  ${line.trim()}`;
}

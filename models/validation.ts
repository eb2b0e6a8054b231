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

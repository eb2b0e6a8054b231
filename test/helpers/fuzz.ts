import fc from 'fast-check';

/**
 * Arbitraries shared by the property-based tests (issue 10, point 21): junk values and mutations of
 * valid documents (a field replaced, added or deleted).
 */

/** Cases per property: DCPLAN_PROPERTY_RUNS (default 1,000; the bench uses 10,000). */
export const PROPERTY_RUNS = Number(process.env.DCPLAN_PROPERTY_RUNS ?? 1000);
/**
 * Seed of the generated cases: fixed by default so `npm test` is deterministic; DCPLAN_PROPERTY_SEED sets
 * another (fast-check prints the seed of a counter-example) and `random` draws a new one each run.
 */
export const PROPERTY_SEED =
  process.env.DCPLAN_PROPERTY_SEED === 'random'
    ? undefined
    : Number(process.env.DCPLAN_PROPERTY_SEED ?? 20261201);

/** Names that trip lookups in plain objects. */
export const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

/** Junk to put in place of a field: any JSON, edge numbers, quantity-like and expression-like strings. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      0,
      -0,
      -1,
      1,
      0.5,
      2,
      1e308,
      -1e308,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      5e-324,
      2 ** 53,
      -(2 ** 53),
      1e-300,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      'NaN',
      'Infinity',
      '-Infinity',
      '1e309',
      '1e999 kW',
      '-5 kW',
      '2.5 kW',
      '2.5 MW',
      '0x10',
      '1_000',
      '',
      ' ',
      'year',
      'year * 2',
      'year ^ 400',
      '1 / 0',
      '0 / 0',
      'log(-1)',
      'sqrt(-1)',
      'year > 2030 ? 1 : 0',
      'import("fs")',
      'constructor.constructor("return process")()',
      '\u0000',
      '\uD800',
      'x'.repeat(5000),
      null,
      true,
      false,
      [],
      {},
      [null],
      [{}],
      ...PROTO_NAMES,
    ),
  },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: -3000, max: 3000 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.double({ noNaN: true }), fc.constantFrom('kW', 'MW', 'W', 'kWh', '%', 'CNY', 'm'))
      .map(([n, u]) => `${n} ${u}`),
  },
);

/** A key to add beside existing ones: a prototype name, an existing-looking name or any string. */
const newKey = fc.oneof(
  fc.constantFrom(...PROTO_NAMES, 'cluster', 'racks', 'year', 'overrides', 'design', '2025', '-1', '1e3'),
  fc.string({ maxLength: 12 }),
);

/** Every path (list of keys) to a value inside `v`, including the root (`[]`). */
function paths(v: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  out.push(prefix);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) paths(v[i], [...prefix, i], out);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  }
  return out;
}

/** Set an own property (also `__proto__`, which plain assignment would treat as the prototype). */
export function setOwn(obj: object, key: string | number, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

export interface Mutation {
  at: number;
  kind: 'replace' | 'add' | 'delete';
  key: string;
  value: unknown;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom<Mutation['kind']>('replace', 'replace', 'replace', 'add', 'delete'),
  key: newKey,
  value: junk,
});

/** Apply mutations to a deep copy of a scenario. */
export function mutate(base: unknown, ms: Mutation[]): unknown {
  let doc: unknown = structuredClone(base);
  for (const m of ms) {
    const all = paths(doc);
    const path = all[m.at % all.length];
    if (path.length === 0) {
      if (m.kind === 'replace') doc = structuredClone(m.value);
      else if (m.kind === 'add' && doc !== null && typeof doc === 'object') setOwn(doc, m.key, m.value);
      continue;
    }
    let parent = doc as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    const target = parent[last];
    if (m.kind === 'replace') setOwn(parent, last, structuredClone(m.value));
    else if (m.kind === 'delete') {
      // not splice: an array given an own "constructor" key by an earlier mutation breaks species lookup
      if (Array.isArray(parent) && typeof last === 'number') {
        parent.copyWithin(last, last + 1);
        parent.length -= 1;
      } else delete parent[last];
    } else if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
      setOwn(target, m.key, structuredClone(m.value));
    } else if (Array.isArray(target)) {
      target.push(structuredClone(m.value));
    } else setOwn(parent, m.key, structuredClone(m.value));
  }
  return doc;
}

/** One of `bases`, with 1–`maxLength` mutations. */
export const mutatedFrom = (bases: unknown[], maxLength: number) =>
  fc
    .tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength }))
    .map(([s, ms]) => mutate(s, ms));

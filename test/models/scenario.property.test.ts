import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, ValidationError } from '../../models/scenario.ts';
import { prepareRun } from '../../models/simulate.ts';
import { engineReference } from '../../seeds/index.ts';
import { runScenario } from '../../server/run.ts';

/**
 * Property-based tests of the scenario validator (issue 10, point 21): whatever it is given — any JSON
 * value, or a valid scenario with fields replaced by junk — `parseScenario` followed by `prepareRun`
 * either succeeds or throws a `ValidationError` with a field path and a message; never anything else.
 *
 * Cases: DCPLAN_PROPERTY_RUNS (default 1,000; the bench uses 10,000). DCPLAN_PROPERTY_SEED replays a
 * failure (fast-check prints the seed and path of the shrunk counter-example).
 */
const RUNS = Number(process.env.DCPLAN_PROPERTY_RUNS ?? 1000);
const SEED = process.env.DCPLAN_PROPERTY_SEED ? Number(process.env.DCPLAN_PROPERTY_SEED) : undefined;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIOS: unknown[] = readdirSync(join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(ROOT, 'scenarios', f), 'utf8')));
const ref = engineReference();

type Outcome = { ok: true } | { ok: false; path: string; message: string };

/** Validate as the server does (parse, then resolve every quantity for every year). */
function validate(input: unknown): Outcome {
  try {
    prepareRun(parseScenario(input), ref);
    return { ok: true };
  } catch (e) {
    if (!(e instanceof ValidationError)) {
      throw new Error(`not a ValidationError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
    return { ok: false, path: e.errors[0]?.path, message: e.errors[0]?.message };
  }
}

function expectValidOutcome(o: Outcome): void {
  if (o.ok) return;
  expect(typeof o.path).toBe('string');
  expect(typeof o.message).toBe('string');
  expect(o.message.length).toBeGreaterThan(0);
}

/** Names that trip lookups in plain objects. */
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

/** Junk to put in place of a field: any JSON, edge numbers, quantity-like and expression-like strings. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
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
function setOwn(obj: object, key: string | number, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

interface Mutation {
  at: number;
  kind: 'replace' | 'add' | 'delete';
  key: string;
  value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom<Mutation['kind']>('replace', 'replace', 'replace', 'add', 'delete'),
  key: newKey,
  value: junk,
});

/** Apply mutations to a deep copy of a scenario. */
function mutate(base: unknown, ms: Mutation[]): unknown {
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
      if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
      else delete parent[last];
    } else if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
      setOwn(target, m.key, structuredClone(m.value));
    } else if (Array.isArray(target)) {
      target.push(structuredClone(m.value));
    } else setOwn(parent, m.key, structuredClone(m.value));
  }
  return doc;
}

const mutatedBy = (maxLength: number) =>
  fc
    .tuple(fc.constantFrom(...SCENARIOS), fc.array(mutation, { minLength: 1, maxLength }))
    .map(([s, ms]) => mutate(s, ms));
const mutated = mutatedBy(4);

const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, seed: SEED });

describe('the scenario validator under fuzzing (issue 10, point 21)', () => {
  it('the shipped scenarios are valid (the mutations start from valid input)', () => {
    for (const s of SCENARIOS) expect(validate(s)).toEqual({ ok: true });
  });

  it(`any JSON value: succeeds or is a ValidationError with a path (${Math.ceil(RUNS / 4)} cases)`, () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => expectValidOutcome(validate(v))),
      params(Math.ceil(RUNS / 4)),
    );
  });

  it(`valid scenarios with fields replaced by junk: succeeds or is a ValidationError with a path (${RUNS} cases)`, () => {
    let refused = 0;
    fc.assert(
      fc.property(mutated, (doc) => {
        const o = validate(doc);
        if (!o.ok) refused++;
        expectValidOutcome(o);
      }),
      params(RUNS),
    );
    // The mutations must actually reach the validator's rules, not only pass through.
    expect(refused).toBeGreaterThan(RUNS / 10);
  });

  it('a sample of mutated scenarios that validate also simulate (or fail validation), 1-year horizon', () => {
    // Simulating is the expensive part: only a few, over one year.
    let simulated = 0;
    fc.assert(
      fc.property(mutatedBy(1), (doc) => {
        if (!validate(doc).ok) return;
        const oneYear = { ...(doc as Record<string, unknown>), years: 1 };
        try {
          runScenario(oneYear, ref);
          simulated++;
        } catch (e) {
          // A finite-results check failure is a refused run (the server stores it as failed), not a crash.
          if (e instanceof ValidationError) return;
          if (e instanceof Error && /non-finite number/.test(e.message)) return;
          throw e;
        }
      }),
      params(Math.min(60, RUNS)),
    );
    // Most single mutations are refused; some must get through to the engine.
    expect(simulated).toBeGreaterThan(0);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, ValidationError } from '../../models/scenario.ts';
import { prepareRun } from '../../models/simulate.ts';
import { engineReference } from '../../seeds/index.ts';
import { runScenario } from '../../server/run.ts';
import { mutatedFrom, PROPERTY_RUNS, PROPERTY_SEED } from '../helpers/fuzz.ts';

/**
 * Property-based tests of the scenario validator (issue 10, point 21): whatever it is given — any JSON
 * value, or a valid scenario with fields replaced by junk — `parseScenario` followed by `prepareRun`
 * either succeeds or throws a `ValidationError` with a field path and a message; never anything else.
 *
 * Cases: DCPLAN_PROPERTY_RUNS (default 1,000; the bench uses 10,000). DCPLAN_PROPERTY_SEED replays a
 * failure (fast-check prints the seed and path of the shrunk counter-example).
 */
const RUNS = PROPERTY_RUNS;
const SEED = PROPERTY_SEED;

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

const mutatedBy = (maxLength: number) => mutatedFrom(SCENARIOS, maxLength);
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

  it(`valid scenarios with fields replaced by junk: succeeds or is a ValidationError with a path (${RUNS} cases)`, {
    timeout: 60_000 + RUNS * 20,
  }, () => {
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

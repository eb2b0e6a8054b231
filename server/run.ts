import type { RunResult } from '../models/result.ts';
import {
  checkScenario,
  type EngineReference,
  type HourlySeries,
  type RunOptions,
  simulate,
} from '../models/simulate.ts';
import { firstNonFinite } from './finite.ts';

/**
 * Run a scenario object end to end against reference data: validate (zod), resolve quantities for every
 * year, simulate hour by hour. Throws `ValidationError` (every field error, each `path: rule`) on bad input before any
 * simulation work, and throws when any number of the result is NaN or ±Infinity (never stored). Used by the CLI, the API's worker threads and the benchmarks.
 */
export function runScenario(
  input: unknown,
  ref: EngineReference,
  opts: RunOptions = {},
): RunResult & { hourly: HourlySeries[] } {
  const { prepared } = checkScenario(input, ref, opts); // every field error at once
  const out = simulate(prepared, ref, opts);
  const { hourly: _hourly, ...result } = out;
  const bad = firstNonFinite(result);
  if (bad) {
    throw new Error(
      `the simulation produced a non-finite number at ${bad}; the inputs are outside what the engine can compute`,
    );
  }
  return out;
}

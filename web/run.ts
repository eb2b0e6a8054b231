import type { RunResult } from '../models/result.ts';
import { parseScenario } from '../models/scenario.ts';
import { type EngineReference, prepareRun, simulate } from '../models/simulate.ts';

/** Validate and simulate a scenario in the browser (same engine as the server). */
export function runScenarioInBrowser(input: unknown, ref: EngineReference): RunResult {
  const { hourly: _h, ...result } = simulate(prepareRun(parseScenario(input), ref), ref);
  return result;
}

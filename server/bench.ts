import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseScenario } from '../models/scenario.ts';
import { prepareRun, simulate } from '../models/simulate.ts';
import { engineReference } from '../seeds/index.ts';

/** Engine throughput report (the `dcplan bench` contract: with --format json, one JSON object). */
export interface BenchReport {
  scenario: string;
  years: number;
  clusterHours: number;
  reps: number;
  referenceBuildMs: number;
  prepareMs: number;
  simulateMedianMs: number;
  simulateBestMs: number;
  clusterHoursPerSecond: number;
  goalMs: number;
  goalMet: boolean;
  node: string;
  text: string;
}

const SCENARIO = new URL('../scenarios/east-west-compare.json', import.meta.url);

/**
 * Time the hourly engine on scenarios/east-west-compare.json (4 clusters × `years` × 8,760 h).
 * Reference data (climate years rebuilt from seeds) are built once and timed separately, as the
 * server does at start-up; the simulate step is what a re-run costs.
 */
export async function runBench(opts: {
  years: number;
  reps: number;
  log?: (s: string) => void;
}): Promise<BenchReport> {
  const log = opts.log ?? (() => {});
  if (!(opts.years >= 1 && opts.years <= 100)) throw new Error('--years: must be 1–100');
  if (!(opts.reps >= 1 && opts.reps <= 1000)) throw new Error('--reps: must be 1–1000');
  let t = performance.now();
  const ref = engineReference();
  const referenceBuildMs = performance.now() - t;

  const input = JSON.parse(readFileSync(SCENARIO, 'utf8'));
  input.years = opts.years;
  t = performance.now();
  const prepared = prepareRun(parseScenario(input), ref);
  const prepareMs = performance.now() - t;

  for (let i = 0; i < 3; i++) simulate(prepared, ref); // warm-up (JIT)
  const times: number[] = [];
  let clusterHours = 0;
  for (let i = 0; i < opts.reps; i++) {
    t = performance.now();
    const r = simulate(prepared, ref);
    times.push(performance.now() - t);
    clusterHours = r.engine.clusterHours;
    log(`  rep ${i + 1}/${opts.reps}: ${times[i].toFixed(1)} ms`);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const goalMs = 50;
  const report: Omit<BenchReport, 'text'> = {
    scenario: 'scenarios/east-west-compare.json',
    years: opts.years,
    clusterHours,
    reps: opts.reps,
    referenceBuildMs,
    prepareMs,
    simulateMedianMs: median,
    simulateBestMs: times[0],
    clusterHoursPerSecond: clusterHours / (median / 1000),
    goalMs,
    goalMet: opts.years === 15 ? median < goalMs : median < (goalMs * opts.years) / 15,
    node: process.version,
  };
  const text = [
    `dcplan bench — ${report.scenario}, ${opts.years} years, ${clusterHours.toLocaleString('en-US')} cluster-hours`,
    `  reference data (climate rebuilt from seeds, once): ${referenceBuildMs.toFixed(1)} ms`,
    `  prepare (parse, resolve quantities):               ${prepareMs.toFixed(1)} ms`,
    `  simulate: median ${median.toFixed(1)} ms, best ${times[0].toFixed(1)} ms over ${opts.reps} runs`,
    `  throughput: ${(report.clusterHoursPerSecond / 1e6).toFixed(1)} M cluster-hours/s (goal ≥ 10.5 M: whole scenario < ${goalMs} ms) — ${report.goalMet ? 'met' : 'NOT met'}`,
  ].join('\n');
  return { ...report, text };
}

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median } from 'simple-statistics';
import { parseScenario } from '../models/scenario.ts';
import { engineCache, prepareRun, simulate } from '../models/simulate.ts';
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
  /** A whole run on one thread — parse, prepare, simulate — as a worker does it: median, ms. */
  runMedianMs: number;
  clusterHoursPerSecond: number;
  goalMs: number;
  goalMet: boolean;
  node: string;
  text: string;
}

const SCENARIO = new URL('../scenarios/east-west-compare.json', import.meta.url);
const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Goal of the engine on the 15-year east-west scenario: the median simulate step on one thread, ms.
 * 16 ms since the hourly loops are TypeScript again (issue 19: the WebAssembly kernels that reached
 * 10.4–10.8 ms were removed for simplicity; the TypeScript loops measured 14.5–15.4 ms in a quiet phase).
 */
export const ENGINE_GOAL_MS = 16;
/** Goal of a cold `dcplan simulate scenarios/gansu-2017.json --format json`: median wall time, ms. */
export const COLD_START_GOAL_MS = 500;

/**
 * Time the hourly engine on scenarios/east-west-compare.json (4 clusters × `years` × 8,760 h).
 * Reference data (the seeded climate years) are made once and timed separately, as the server does
 * at start-up; the simulate step is what a re-run costs: series that depend only on a climate, a
 * tariff or a power curve (cooling profile, PV and wind output per kW, hourly prices, TOU periods,
 * arbitrage windows, server power fractions) and the hourly buffers carry over from earlier runs, as
 * in a server worker or the page's worker; the facility loop of every distinct load-year, the
 * dispatch, bill and rows of every cluster-year, targets and finance run in full every time.
 */
export async function runBench(opts: {
  years: number;
  reps: number;
  log?: (s: string) => void;
  /** Called after each timed repetition (the CLI draws a bar on a terminal instead of logging reps). */
  onProgress?: (done: number, total: number) => void;
}): Promise<BenchReport> {
  const log = opts.log ?? (() => {});
  if (!(opts.years >= 1 && opts.years <= 100)) throw new Error('--years: must be 1–100');
  if (!(opts.reps >= 1 && opts.reps <= 1000)) throw new Error('--reps: must be 1–1000');
  let t = performance.now();
  const ref = engineReference();
  // Climate years are made on first read (from dist/climates.bin when the CLI found it, else rebuilt
  // from the seeded statistics): read them all here, so this line times what it says.
  for (const id of Object.keys(ref.climates)) void ref.climates[id];
  const referenceBuildMs = performance.now() - t;

  const input = JSON.parse(readFileSync(SCENARIO, 'utf8'));
  input.years = opts.years;
  t = performance.now();
  const prepared = prepareRun(parseScenario(input), ref);
  const prepareMs = performance.now() - t;

  const cache = engineCache(); // as a server worker or the page's worker keeps one
  for (let i = 0; i < 10; i++) simulate(prepared, ref, { cache }); // warm-up: until the JIT has tiered up
  const times: number[] = [];
  let clusterHours = 0;
  for (let i = 0; i < opts.reps; i++) {
    t = performance.now();
    const r = simulate(prepared, ref, { cache });
    times.push(performance.now() - t);
    clusterHours = r.engine.clusterHours;
    if (opts.onProgress) opts.onProgress(i + 1, opts.reps);
    else log(`  rep ${i + 1}/${opts.reps}: ${times[i].toFixed(1)} ms`);
  }
  times.sort((a, b) => a - b);
  const medianMs = median(times);
  const whole: number[] = [];
  for (let i = 0; i < opts.reps; i++) {
    t = performance.now();
    simulate(prepareRun(parseScenario(input), ref, { cache }), ref, { cache });
    whole.push(performance.now() - t);
  }
  const runMedianMs = median(whole);
  const goalMs = ENGINE_GOAL_MS;
  // The goal as throughput: the 15-year scenario's cluster-hours within goalMs.
  const goalMhPerS = (clusterHours * 15) / opts.years / goalMs / 1000;
  const report: Omit<BenchReport, 'text'> = {
    scenario: 'scenarios/east-west-compare.json',
    years: opts.years,
    clusterHours,
    reps: opts.reps,
    referenceBuildMs,
    prepareMs,
    simulateMedianMs: medianMs,
    simulateBestMs: times[0],
    runMedianMs,
    clusterHoursPerSecond: clusterHours / (medianMs / 1000),
    goalMs,
    goalMet: opts.years === 15 ? medianMs < goalMs : medianMs < (goalMs * opts.years) / 15,
    node: process.version,
  };
  const text = [
    `dcplan bench — ${report.scenario}, ${opts.years} years, ${clusterHours.toLocaleString('en-US')} cluster-hours`,
    `  reference data (seeded climate years, once):       ${referenceBuildMs.toFixed(1)} ms`,
    `  prepare (parse, resolve quantities):               ${prepareMs.toFixed(1)} ms`,
    `  simulate: median ${medianMs.toFixed(1)} ms, best ${times[0].toFixed(1)} ms over ${opts.reps} runs`,
    `  a whole run (parse + prepare + simulate): median ${runMedianMs.toFixed(1)} ms`,
    `  throughput: ${(report.clusterHoursPerSecond / 1e6).toFixed(1)} M cluster-hours/s (goal ≥ ${goalMhPerS.toFixed(1)} M: the 15-year scenario < ${goalMs} ms median) — ${report.goalMet ? 'met' : 'NOT met'}`,
  ].join('\n');
  return { ...report, text };
}

/** Cold-start report: wall time of fresh `dcplan` processes (the `dcplan bench --cold` contract). */
export interface ColdStartReport {
  command: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median wall time of `node -e ""` on the same machine at the same time: what Node alone costs. */
  nodeMedianMs: number;
  goalMs: number;
  goalMet: boolean;
  text: string;
}

/** Spawn `node args…` in the repository root; resolves with the wall time (ms) and stdout. */
function timedRun(args: string[]): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const ms = performance.now() - t0;
      if (err) reject(new Error(`${args.join(' ')} failed: ${String(stderr).trim() || err.message}`));
      else resolve({ ms, stdout });
    });
  });
}

/**
 * Time `runs` cold starts of the real CLI — `node bin/dcplan.js simulate scenarios/gansu-2017.json
 * --format json`, each a new process, one after the other — after one untimed run (which also builds
 * dist/ when it is stale). Reports the median and the range against the 0.5 s goal, and, for scale,
 * the median start of a bare `node -e ""` measured alongside (on a busy machine both grow).
 */
export async function runColdStartBench(opts: {
  runs: number;
  log?: (s: string) => void;
  onProgress?: (done: number, total: number) => void;
}): Promise<ColdStartReport> {
  const log = opts.log ?? (() => {});
  if (!(Number.isInteger(opts.runs) && opts.runs >= 1 && opts.runs <= 100))
    throw new Error('--cold-runs: must be 1–100');
  const args = ['bin/dcplan.js', 'simulate', 'scenarios/gansu-2017.json', '--format', 'json'];
  const check = (stdout: string) => {
    const name = (JSON.parse(stdout) as { scenario?: { name?: string } }).scenario?.name;
    if (!name?.startsWith('Gansu 2017'))
      throw new Error(`cold start: unexpected output: ${stdout.slice(0, 80)}`);
  };
  check((await timedRun(args)).stdout);
  const times: number[] = [];
  const nodeTimes: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const { ms, stdout } = await timedRun(args);
    check(stdout);
    times.push(ms);
    nodeTimes.push((await timedRun(['-e', ''])).ms);
    if (opts.onProgress) opts.onProgress(i + 1, opts.runs);
    else log(`  cold start ${i + 1}/${opts.runs}: ${ms.toFixed(0)} ms`);
  }
  const medianMs = median(times);
  const report: Omit<ColdStartReport, 'text'> = {
    command: `node ${args.join(' ')}`,
    runs: opts.runs,
    medianMs,
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    nodeMedianMs: median(nodeTimes),
    goalMs: COLD_START_GOAL_MS,
    goalMet: medianMs <= COLD_START_GOAL_MS,
  };
  const fromSource =
    process.env.DCPLAN_FROM_SOURCE === '1' ? ' (DCPLAN_FROM_SOURCE=1: TypeScript sources via tsx)' : '';
  const text = [
    `cold start — ${report.command}${fromSource}, ${opts.runs} fresh processes:`,
    `  median ${medianMs.toFixed(0)} ms, min ${report.minMs.toFixed(0)} ms, max ${report.maxMs.toFixed(0)} ms (goal ≤ ${COLD_START_GOAL_MS} ms median) — ${report.goalMet ? 'met' : 'NOT met'}`,
    `  for scale: node -e "" starts in ${report.nodeMedianMs.toFixed(0)} ms (median, measured alongside)`,
  ].join('\n');
  return { ...report, text };
}

/** Pooled throughput (issue 19): the same scenario with its clusters on worker threads. */
export interface PooledBenchReport {
  threads: number;
  /** One run at a time, its clusters spread over the pool: median and best wall time, ms. */
  splitMedianMs: number;
  splitBestMs: number;
  /** Many runs in flight at once (as a busy server has): cluster-hours per second over the batch. */
  batchRuns: number;
  batchClusterHoursPerSecond: number;
  /** The batch's throughput over one thread's running whole runs (parse, prepare, simulate) one after another. */
  speedUpOverOneThread: number;
  text: string;
}

/**
 * Time scenarios/east-west-compare.json on a pool of worker threads (server/parallel.ts): one run at a
 * time with its four clusters spread over the pool (what a single user waits for), then a batch of
 * runs in flight together (what a server or a sweep gets). Workers are started and warmed first;
 * they keep their engine cache between jobs, as the server's workers do.
 */
export async function runPooledBench(opts: {
  years: number;
  reps: number;
  threads: number;
  /** A whole run on one thread (parse, prepare, simulate), median ms: what a pooled run is compared with. */
  oneThreadRunMs: number;
  log?: (s: string) => void;
}): Promise<PooledBenchReport> {
  const { enginePool, runScenarioOnPool } = await import('./parallel.ts');
  const input = JSON.parse(readFileSync(SCENARIO, 'utf8'));
  input.years = opts.years;
  const pool = enginePool(opts.threads);
  try {
    for (let i = 0; i < 5; i++) await runScenarioOnPool(input, pool); // start and warm every worker
    const times: number[] = [];
    let clusterHours = 0;
    for (let i = 0; i < opts.reps; i++) {
      const t = performance.now();
      const r = await runScenarioOnPool(input, pool);
      times.push(performance.now() - t);
      clusterHours = r.engine.clusterHours;
    }
    times.sort((a, b) => a - b);
    const batchRuns = Math.max(8, opts.threads * 8);
    const t = performance.now();
    // Each run whole on one worker: with runs in flight, splitting them only adds messages.
    await Promise.all(Array.from({ length: batchRuns }, () => runScenarioOnPool(input, pool, { groups: 1 })));
    const batchMs = performance.now() - t;
    const batchRate = (clusterHours * batchRuns) / (batchMs / 1000);
    const oneRate = clusterHours / (opts.oneThreadRunMs / 1000);
    const report = {
      threads: opts.threads,
      splitMedianMs: median(times),
      splitBestMs: times[0],
      batchRuns,
      batchClusterHoursPerSecond: batchRate,
      speedUpOverOneThread: batchRate / oneRate,
    };
    const text = [
      `dcplan bench — pooled, ${opts.threads} worker threads (server/parallel.ts)`,
      `  one run split over the pool: median ${report.splitMedianMs.toFixed(1)} ms, best ${report.splitBestMs.toFixed(1)} ms over ${opts.reps} runs`,
      `  ${batchRuns} runs in flight, one job each: ${(batchRate / 1e6).toFixed(1)} M cluster-hours/s, ${report.speedUpOverOneThread.toFixed(2)}× one thread running whole runs (${(oneRate / 1e6).toFixed(1)} M)`,
    ].join('\n');
    return { ...report, text };
  } finally {
    await pool.close();
  }
}

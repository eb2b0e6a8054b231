import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Command, CommanderError, Option } from 'commander';
import type { ClimateYear } from '../models/climate.ts';
import { COOLING_DESIGN_NAMES } from '../models/cooling.ts';
import { FACILITY_CLASSES } from '../models/electrical.ts';
import { loadLpSolver } from '../models/lp.ts';
import { runCheck } from '../models/operator/check.ts';
import type { MeterInterval } from '../models/operator/meter.ts';
import type { ItMeterPoint } from '../models/operator/metrics.ts';
import type { RunResult } from '../models/result.ts';
import { ValidationError } from '../models/scenario.ts';
import { checkScenario } from '../models/simulate.ts';
import { jsonErrorText } from '../models/validation.ts';
import pkg from '../package.json' with { type: 'json' };
import { engineReference } from '../seeds/index.ts';
import { registerMonteCarlo } from './cli-montecarlo.ts';
import { registerSize } from './cli-size.ts';
import { useClimateCache } from './climate-cache.ts';
import { formatComparison, formatCsv, formatTable } from './format.ts';
import { formatCheck, formatRefusal } from './format-check.ts';
import { parseEpw } from './import/epw.ts';
import { weatherWarnings } from './import/epw-check.ts';
import { defaultThreads, enginePool, runScenarioOnPool } from './parallel.ts';
import { progressBar } from './progress.ts';
import { runScenario } from './run.ts';

/** Exit codes of the CLI contract (DESIGN.md). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_INVALID = 2;

/** Bad input the user can fix: exit code 2 with the one-line message. */
export class InputError extends Error {}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'file not found',
  EISDIR: 'is a directory; give a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
};

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    const why = Object.hasOwn(FILE_ERRORS, code) ? FILE_ERRORS[code] : (e as Error).message;
    throw new InputError(`${what} ${path}: ${why}`);
  }
}

/** Read and parse a scenario file (a UTF-8 byte-order mark is allowed); errors name the file and the problem. */
export function readScenarioFile(path: string): unknown {
  const text = readText(path, 'scenario').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (e) {
    // where it fails, by line and column, and the line itself
    throw new InputError(`scenario ${path}: ${jsonErrorText(text, e as Error)}`);
  }
}

/** The cluster ids a scenario document names (`clusters[].cluster`), before validation. */
function scenarioClusterIds(input: unknown): string[] {
  const list = (input as { clusters?: unknown } | null)?.clusters;
  if (!Array.isArray(list)) return [];
  return list.map((c) => (c as { cluster?: unknown } | null)?.cluster).filter((x) => typeof x === 'string');
}

/**
 * Parse `--weather cluster=file.epw` options into climate years by cluster id. With the scenario
 * given, a cluster it does not contain is an error (it would be silently ignored otherwise).
 */
export function readWeatherOptions(specs: string[], scenario?: unknown): Record<string, ClimateYear> {
  const out: Record<string, ClimateYear> = {};
  const ids = scenario === undefined ? null : scenarioClusterIds(scenario);
  for (const spec of specs) {
    const m = /^([a-z0-9_-]+)=(.+)$/i.exec(spec);
    if (!m) throw new InputError(`--weather: expected <cluster>=<file.epw>, got "${spec}"`);
    const [, cluster, file] = m;
    if (ids && !ids.includes(cluster)) {
      throw new InputError(
        `--weather ${cluster}: the scenario has no cluster "${cluster}" (it has: ${[...new Set(ids)].join(', ') || 'none'})`,
      );
    }
    try {
      out[cluster] = parseEpw(readText(file, 'weather'), { id: cluster });
      // a file the cluster's own station makes implausible is used, with a warning on stderr
      const ref = engineReference();
      const station = ref.clusters[cluster] ? ref.climates[ref.clusters[cluster].climate] : undefined;
      if (station)
        for (const w of weatherWarnings(cluster, out[cluster], station))
          process.stderr.write(`dcplan: warning: ${w}\n`);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`--weather ${cluster}: ${(e as Error).message}`);
    }
  }
  return out;
}

/** Cluster-years from which a multi-cluster run goes to worker threads by default (below, starting them costs more). */
const POOL_FROM_CLUSTER_YEARS = 200;

/** `--threads`: a whole number 1–64, or `auto`. */
function threadsOf(option: string | undefined, input: unknown): number {
  if (option === undefined || option === 'auto') {
    const s = input as { clusters?: unknown[]; years?: unknown } | null;
    const clusters = Array.isArray(s?.clusters) ? s.clusters.length : 1;
    const years = typeof s?.years === 'number' ? s.years : 1;
    return clusters > 1 && clusters * years >= POOL_FROM_CLUSTER_YEARS ? defaultThreads() : 1;
  }
  const n = Number(option);
  if (!(Number.isInteger(n) && n >= 1 && n <= 64))
    throw new InputError(`--threads: must be a whole number 1–64 or auto (got "${option}")`);
  return n;
}

/**
 * Simulate a scenario on this thread, or with its clusters on `threads` worker threads (the same
 * result to the last bit: server/parallel.ts), with a progress bar on a terminal.
 */
async function simulateInput(
  input: unknown,
  weather: Record<string, ClimateYear>,
  threads: number,
): Promise<RunResult> {
  // A bar on a terminal for runs of more than one cluster-year; nothing in a pipe or a script.
  const bar = await progressBar('simulating', 'cluster-years');
  const onProgress = bar ? (done: number, total: number) => total > 1 && bar.update(done, total) : undefined;
  const clusters = (input as { clusters?: unknown[] } | null)?.clusters;
  // A battery dispatched optimally needs HiGHS (loaded here, on this thread: the run pool has none).
  const lp = JSON.stringify(input).includes('"optimal"') ? await loadLpSolver() : undefined;
  try {
    if (!lp && threads > 1 && Array.isArray(clusters) && clusters.length > 1) {
      // every field error at once before the pool splits the clusters (its groups stop at their first)
      checkScenario(input, engineReference(), { weather });
      const pool = enginePool(Math.min(threads, clusters.length));
      try {
        return await runScenarioOnPool(input, pool, { weather, onProgress: onProgress ?? undefined });
      } finally {
        await pool.close();
      }
    }
    const { hourly: _hourly, ...result } = runScenario(input, engineReference(), {
      weather,
      onProgress: onProgress ?? undefined,
      lp,
    });
    return result;
  } finally {
    bar?.stop();
  }
}

async function cmdSimulate(
  file: string,
  options: { format: string; weather: string[]; threads?: string },
): Promise<void> {
  if (!['table', 'json', 'csv'].includes(options.format)) {
    throw new InputError(`--format: must be table, json or csv (got "${options.format}")`);
  }
  const input = readScenarioFile(file);
  const weather = readWeatherOptions(options.weather, input);
  const threads = threadsOf(options.threads, input);
  const t0 = performance.now();
  const result = await simulateInput(input, weather, threads);
  const ms = performance.now() - t0;
  if (options.format === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (options.format === 'csv') process.stdout.write(formatCsv(result));
  else process.stdout.write(formatTable(result));
  process.stderr.write(
    `dcplan: ${result.engine.clusterHours.toLocaleString('en-US')} cluster-hours simulated in ${ms.toFixed(0)} ms${threads > 1 ? ` on ${threads} threads` : ''}\n`,
  );
}

/** The server load check of `dcplan bench --load` / `--quick-load`: its report and its text. */
async function loadBenchPart(
  options: { quickLoad?: boolean; loadSeconds?: string; connections?: string },
  log: (s: string) => void,
): Promise<{ data: unknown; text: string }> {
  // --load: 100 clients × 60 s per phase; --quick-load: 20 × 10 s; either overridden by the options.
  const seconds = Number(options.loadSeconds ?? (options.quickLoad ? 10 : 60));
  const connections = Number(options.connections ?? (options.quickLoad ? 20 : 100));
  if (!(Number.isInteger(seconds) && seconds >= 1 && seconds <= 600))
    throw new InputError('--load-seconds: must be 1–600');
  if (!(Number.isInteger(connections) && connections >= 1 && connections <= 1000))
    throw new InputError('--connections: must be 1–1000');
  const { runLoadBench, formatLoadReport } = await import('./bench-load.ts');
  const phases = await runLoadBench({ seconds, connections, log });
  const text = [
    `server load check — ${connections} concurrent clients for ${seconds} s per phase against dcplan serve on 127.0.0.1 (2 run workers; /api/health probed every 100 ms from another thread):`,
    ...phases.map((r) => `  ${r.phase}: ${r.what}\n    ${formatLoadReport(r)}`),
  ].join('\n');
  return { data: { seconds, connections, phases }, text };
}

/** The what-if redraw timing of `dcplan bench --web`: its report and its text. */
async function webBenchPart(log: (s: string) => void): Promise<{ data: unknown; text: string }> {
  const { runWebBench } = await import('./bench-web.ts');
  const w = await runWebBench({ edits: 20, log });
  const text = w.skipped
    ? `what-if redraw: skipped (${w.skipped})`
    : `what-if redraw on /plan (one cluster, 10 years, ${w.edits} edits, 1440 × 900, edit → the figures in view redrawn): median ${w.medianMs!.toFixed(1)} ms (of which worker ${w.engineMedianMs!.toFixed(1)} ms), p90 ${w.p90Ms!.toFixed(1)} ms, max ${w.maxMs!.toFixed(1)} ms (goal ≤ ${w.goalMs} ms) — ${w.goalMet ? 'met' : 'NOT met'}; every figure, those out of view included: median ${w.allMedianMs!.toFixed(1)} ms`;
  return { data: w, text };
}

async function cmdBench(options: {
  format: string;
  years: string;
  reps: string;
  cold?: boolean;
  coldRuns: string;
  load?: boolean;
  quickLoad?: boolean;
  web?: boolean;
  uncertainty?: boolean;
  loadSeconds?: string;
  threads?: string;
  connections?: string;
}): Promise<void> {
  if (!['text', 'json'].includes(options.format)) {
    throw new InputError(`--format: must be text or json (got "${options.format}")`);
  }
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const { runBench, runColdStartBench } = await import('./bench.ts');
  const years = Number(options.years);
  const reps = Number(options.reps);
  const coldRuns = Number(options.coldRuns);
  if (!(years >= 1 && years <= 100)) throw new InputError('--years: must be 1–100');
  if (!(Number.isInteger(reps) && reps >= 1 && reps <= 1000)) throw new InputError('--reps: must be 1–1000');
  if (!(Number.isInteger(coldRuns) && coldRuns >= 1 && coldRuns <= 100))
    throw new InputError('--cold-runs: must be 1–100');
  // On a terminal, bars instead of a log line per repetition.
  const engineBar = await progressBar('engine', 'runs');
  let engineReport: Awaited<ReturnType<typeof runBench>>;
  try {
    engineReport = await runBench({ years, reps, log, onProgress: engineBar?.update });
  } finally {
    engineBar?.stop();
  }
  const { text, ...engine } = engineReport;
  const { runPooledBench } = await import('./bench.ts');
  const threads = options.threads === undefined ? defaultThreads() : Number(options.threads);
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= 64))
    throw new InputError(`--threads: must be a whole number 1–64 (got "${options.threads}")`);
  const { text: pooledText, ...pooled } = await runPooledBench({
    years,
    reps,
    threads,
    oneThreadRunMs: engine.runMedianMs,
    log,
  });
  let cold: unknown = null;
  let coldText = '';
  if (options.cold) {
    const coldBar = await progressBar('cold starts', 'processes');
    try {
      const { text: t, ...c } = await runColdStartBench({ runs: coldRuns, log, onProgress: coldBar?.update });
      cold = c;
      coldText = t;
    } finally {
      coldBar?.stop();
    }
  }
  const { data: load, text: loadText } =
    options.load || options.quickLoad ? await loadBenchPart(options, log) : { data: null, text: '' };
  const { data: web, text: webText } = options.web ? await webBenchPart(log) : { data: null, text: '' };
  const { data: uncertainty, text: uncertaintyText } = options.uncertainty
    ? await (await import('./bench-uncertainty.ts')).runUncertaintyBench({ samples: [1000, 10000], log })
    : { data: null, text: '' };
  if (options.format === 'json')
    process.stdout.write(`${JSON.stringify({ ...engine, pooled, cold, load, web, uncertainty })}\n`);
  else
    process.stdout.write(
      [text, pooledText, coldText, loadText, webText, uncertaintyText]
        .filter(Boolean)
        .map((t) => `${t}\n`)
        .join(''),
    );
}

/** `--threads`: shared by simulate and compare. */
function threadsOption(): Option {
  return new Option(
    '--threads <n>',
    `simulate the clusters on n worker threads, or auto: the machine's cores for runs of two or more clusters and ≥ ${POOL_FROM_CLUSTER_YEARS} cluster-years, else 1`,
  ).default('auto');
}

/** `--weather <cluster>=<file.epw>`, repeatable: shared by simulate and compare. */
function weatherOption(): Option {
  return new Option('--weather <cluster=file.epw>', 'use a full EPW weather file for a cluster (repeatable)')
    .argParser((v: string, acc: string[]) => [...acc, v])
    .default([] as string[]);
}

/** `dcplan compare`: the investor ranking of a scenario's clusters (two or more). */
async function cmdCompare(
  file: string,
  options: { format: string; weather: string[]; threads?: string },
): Promise<void> {
  if (!['table', 'json'].includes(options.format)) {
    throw new InputError(`--format: must be table or json (got "${options.format}")`);
  }
  const input = readScenarioFile(file);
  const n = (input as { clusters?: unknown } | null)?.clusters;
  if (Array.isArray(n) && n.length < 2) {
    throw new InputError(
      `compare ${file}: the scenario has ${n.length === 1 ? 'one cluster' : 'no clusters'}; compare needs two or more (use simulate for one)`,
    );
  }
  const weather = readWeatherOptions(options.weather, input);
  const result = await simulateInput(input, weather, threadsOf(options.threads, input));
  if (options.format === 'json') process.stdout.write(`${JSON.stringify(result.comparison, null, 2)}\n`);
  else process.stdout.write(formatComparison(result));
}

/** Options of `dcplan check`. */
interface CheckOptions {
  cluster: string;
  cooling?: string;
  class?: string;
  weather?: string;
  designKw?: string;
  upsKw?: string;
  itMeter?: string;
  interval?: string;
  price?: string;
  format: string;
}

/** A positive number option, or an InputError naming it. */
function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(Number.isFinite(n) && n > 0)) throw new InputError(`${name}: must be a positive number (got "${v}")`);
  return n;
}

/**
 * `dcplan check <meters.csv> --cluster <id>`: the operator's meter check. A refused file prints one
 * line per defect (the first 20 and a count) on stderr and exits 2; nothing is checked.
 */
async function cmdCheck(file: string, o: CheckOptions): Promise<number> {
  if (!['table', 'json'].includes(o.format))
    throw new InputError(`--format: must be table or json (got "${o.format}")`);
  const ref = engineReference();
  if (!Object.hasOwn(ref.clusters, o.cluster))
    throw new InputError(
      `--cluster: unknown cluster "${o.cluster}" (known: ${Object.keys(ref.clusters).join(', ')})`,
    );
  if (o.cooling !== undefined && !(COOLING_DESIGN_NAMES as readonly string[]).includes(o.cooling))
    throw new InputError(
      `--cooling: unknown design "${o.cooling}" (known: ${COOLING_DESIGN_NAMES.join(', ')})`,
    );
  if (o.class !== undefined && !(FACILITY_CLASSES as readonly string[]).includes(o.class))
    throw new InputError(`--class: must be one of ${FACILITY_CLASSES.join(', ')} (got "${o.class}")`);
  if (o.itMeter !== undefined && !['ups', 'pdu', 'it'].includes(o.itMeter))
    throw new InputError(`--it-meter: must be ups, pdu or it (got "${o.itMeter}")`);
  const intervals: Record<string, MeterInterval> = { '15': 15, '60': 60, '1440': 1440, month: 'month' };
  if (o.interval !== undefined && !Object.hasOwn(intervals, o.interval))
    throw new InputError(`--interval: must be 15, 60, 1440 or month (got "${o.interval}")`);
  let siteEpw: ClimateYear | undefined;
  if (o.weather) {
    try {
      siteEpw = parseEpw(readText(o.weather, 'weather'), { id: o.cluster });
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`--weather: ${(e as Error).message}`);
    }
  }
  const text = readText(file, 'meter file');
  const r = runCheck(
    text,
    {
      cluster: o.cluster,
      cooling: o.cooling,
      facilityClass: o.class,
      designItKw: positive('--design-kw', o.designKw),
      upsOnlineKw: positive('--ups-kw', o.upsKw),
      itMeterPoint: o.itMeter as ItMeterPoint | undefined,
      interval: o.interval === undefined ? undefined : intervals[o.interval],
      priceCnyPerKwh: positive('--price', o.price),
    },
    ref,
    siteEpw,
  );
  if (!r.ok) {
    process.stderr.write(formatRefusal(file, r.refusal));
    return EXIT_INVALID;
  }
  if (o.format === 'json') process.stdout.write(`${JSON.stringify(r.result, null, 2)}\n`);
  else process.stdout.write(formatCheck(r.result));
  return EXIT_OK;
}

/** The CLI; returns the exit code (0 ok, 2 invalid input, 1 other failure). */
export async function main(argv: string[]): Promise<number> {
  useClimateCache(); // seeded climate years as the build rebuilt them (dist/climates.bin), when present
  const program = new Command();
  program
    .name('dcplan')
    .description('Planning simulator for regional data-center clusters')
    .version(pkg.version, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program
    .command('simulate')
    .description('simulate a scenario file hour by hour and print annual results')
    .argument('<scenario>', 'scenario JSON file')
    .option('--format <format>', 'table | json | csv', 'table')
    .addOption(weatherOption())
    .addOption(threadsOption())
    .action(cmdSimulate);
  program
    .command('compare')
    .description(
      'rank the clusters of a scenario for an investor: cost per rack-year, NPV, IRR, PUE, green share, carbon, and the drivers of the differences',
    )
    .argument('<scenario>', 'scenario JSON file')
    .option('--format <format>', 'table | json', 'table')
    .addOption(weatherOption())
    .addOption(threadsOption())
    .action(cmdCompare);
  const cliDeps = { readScenarioFile, readWeatherOptions, InputError };
  registerMonteCarlo(program, cliDeps, { weather: weatherOption });
  registerSize(program, cliDeps, { weather: weatherOption });
  program
    .command('bench')
    .description('engine throughput on scenarios/east-west-compare.json; with --cold, cold starts of the CLI')
    .option('--format <format>', 'text | json (json: the last stdout line is one JSON object)', 'text')
    .option('--years <n>', 'simulated years', '15')
    .option('--reps <n>', 'timed repetitions', '20')
    .option('--threads <n>', "worker threads of the pooled part (default: the machine's cores)")
    .option(
      '--cold',
      'also time cold starts: fresh `dcplan simulate scenarios/gansu-2017.json --format json` processes (goal ≤ 0.5 s median)',
    )
    .option('--cold-runs <n>', 'cold starts timed with --cold', '7')
    .option(
      '--load',
      'also run the server load check: fresh runs, cached runs, stored results, hourly export, comparisons, the largest result (autocannon on 127.0.0.1; 100 clients × 60 s per phase, 10 for the largest result)',
    )
    .option('--quick-load', 'a short load check: 20 clients × 10 s per phase')
    .option('--web', 'also time what-if redraws of the planner page in headless Chromium')
    .option(
      '--uncertainty',
      'also time Monte Carlo (1,000 and 10,000 samples of a 15-year cluster, pool against one worker) and a sizing over 8,760 hours',
    )
    .option('--load-seconds <n>', 'duration of each load phase (default 60; 10 with --quick-load)')
    .option('--connections <n>', 'concurrent clients in the load check (default 100; 20 with --quick-load)')
    .action(cmdBench);
  let exitCode = EXIT_OK;
  program
    .command('check')
    .description(
      "check an operator's meter data (CSV) against green data-centre benchmarks: PUE, WUE, CUE, REF, GB 40879 grade, targets, measured versus expected PUE by month, calibration and retrofits",
    )
    .argument(
      '<meters>',
      'meter CSV: timestamp,it_kwh,facility_kwh[,cooling_kwh,water_m3,onsite_green_kwh,contracted_green_kwh,certificates_mwh,racks_in_service,outdoor_temp_c,reused_heat_kwh]',
    )
    .requiredOption(
      '--cluster <id>',
      'the cluster the site is in (province, grid factors, targets, station weather)',
    )
    .option('--cooling <design>', `cooling design of the site (${COOLING_DESIGN_NAMES.join(', ')})`)
    .option('--class <class>', `facility class (${FACILITY_CLASSES.join(', ')})`)
    .option('--weather <epw>', "the site's own typical-year EPW (default: the cluster's station)")
    .option('--design-kw <kW>', 'IT design power of the halls (default: the highest metered hourly IT load)')
    .option('--ups-kw <kW>', 'UPS capacity online, kW (default: the highest metered hourly IT load)')
    .option('--it-meter <point>', 'where IT energy is metered: ups | pdu | it (sets the PUE category)')
    .option('--interval <n>', 'row interval: 15 | 60 | 1440 | month (default: detected)')
    .option(
      '--price <CNY/kWh>',
      "delivered grid price for the retrofits' savings (default: the engine's estimate)",
    )
    .option('--format <format>', 'table | json', 'table')
    .action(async (file: string, o: CheckOptions) => {
      exitCode = await cmdCheck(file, o);
    });
  program
    .command('serve')
    .description('start the API and web app (SQLite, created and seeded on first start; see docs/api.md)')
    .action(async () => {
      const { startServer } = await import('./main.ts');
      await startServer();
      await new Promise(() => {}); // serve until a signal stops the process
    });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0)
        return EXIT_OK;
      return EXIT_INVALID;
    }
    if (e instanceof ValidationError && e.errors.length > 1) {
      // every error, one a line: the file's field path and what to do
      const lines = e.errors.map((x) => `  ${x.path ? `${x.path}: ` : ''}${x.message}`);
      process.stderr.write(`dcplan: ${e.errors.length} invalid fields:\n${lines.join('\n')}\n`);
      return EXIT_INVALID;
    }
    if (e instanceof ValidationError || e instanceof InputError) {
      process.stderr.write(`dcplan: ${e.message}\n`);
      return EXIT_INVALID;
    }
    process.stderr.write(`dcplan: ${(e as Error).message}\n`);
    return EXIT_FAILURE;
  }
}

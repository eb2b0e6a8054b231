import { performance } from 'node:perf_hooks';
import { type Command, Option } from 'commander';
import type { ClimateYear } from '../models/climate.ts';
import { loadLpSolver } from '../models/lp.ts';
import { ANNUAL_FIELDS, FINANCE_FIELDS } from '../models/result.ts';
import type { MonteCarloReport } from '../models/uncertainty/montecarlo.ts';
import { MAX_SAMPLES } from '../models/uncertainty/plan.ts';
import type { Spread } from '../models/uncertainty/summary.ts';
import { engineReference } from '../seeds/index.ts';
import { CancelledError } from './jobs/pool.ts';
import { runMonteCarlo } from './montecarlo.ts';
import { defaultThreads } from './parallel.ts';
import { progressBar } from './progress.ts';

/**
 * `dcplan montecarlo <scenario> --samples N [--seed S] [--grades] [--format table|json]` (issue 22,
 * point 3): the scenario's distributions (and with --grades the bands of its defaults) sampled N
 * times on the worker pool; P10/P50/P90 of every metric per cluster, target and cost-rank
 * probabilities, the inputs ranked by rank correlation with an output, and with --tornado a tornado.
 * Ctrl-C (SIGINT) cancels. With --format json stdout carries one JSON object.
 */

/** What the CLI's shared parts give this command. */
export interface MonteCarloCliDeps {
  readScenarioFile: (path: string) => unknown;
  readWeatherOptions: (specs: string[], scenario?: unknown) => Record<string, ClimateYear>;
  InputError: new (message: string) => Error;
}

interface Options {
  samples: string;
  seed: string;
  grades?: boolean;
  method: string;
  correlate: string[];
  output: string;
  cluster?: string;
  tornado?: boolean;
  threads: string;
  format: string;
  weather: string[];
}

/** The metrics the table shows per cluster (every one is in the JSON), with scale and unit. */
const TABLE_METRICS: Array<{
  part: 'annual' | 'finance';
  key: string;
  unit: string;
  scale: number;
  digits: number;
}> = [
  { part: 'annual', key: 'pue', unit: '', scale: 1, digits: 3 },
  { part: 'annual', key: 'facilityEnergyMwh', unit: 'GWh', scale: 1e-3, digits: 1 },
  { part: 'annual', key: 'electricityCostCny', unit: 'M CNY', scale: 1e-6, digits: 1 },
  { part: 'annual', key: 'averagePriceCnyPerKwh', unit: 'CNY/kWh', scale: 1, digits: 4 },
  { part: 'annual', key: 'greenShare', unit: '%', scale: 100, digits: 1 },
  { part: 'annual', key: 'carbonLocationTco2', unit: 'kt', scale: 1e-3, digits: 1 },
  { part: 'finance', key: 'capexCny', unit: 'M CNY', scale: 1e-6, digits: 1 },
  { part: 'finance', key: 'npvCny', unit: 'M CNY', scale: 1e-6, digits: 1 },
  { part: 'finance', key: 'irr', unit: '%', scale: 100, digits: 2 },
  { part: 'finance', key: 'costPerRackYearCny', unit: 'CNY', scale: 1, digits: 0 },
];

const num = (v: number | null | undefined, digits: number, scale = 1) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : (v * scale).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map(
      (r) =>
        `  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}`,
    )
    .join('\n');
}

/** The report as text: inputs, per cluster P10/P50/P90 of the main metrics, targets, ranks, sensitivity. */
export function formatMonteCarlo(r: MonteCarloReport): string {
  const out: string[] = [];
  out.push(
    `${r.scenario.name} — Monte Carlo, ${r.samples.toLocaleString('en-US')} samples (${r.method === 'lhs' ? 'Latin hypercube' : 'random'}, seed ${r.seed}${r.grades ? ', grade bands on the defaults' : ''})`,
  );
  if (r.failed.count)
    out.push(`  ${r.failed.count} samples failed and are left out (first: ${r.failed.first})`);
  out.push('', `Uncertain inputs (${r.inputs.length}):`);
  out.push(
    pad([
      ['input', 'distribution', 'P10', 'P50', 'P90'],
      ...r.inputs
        .slice(0, 25)
        .map((x) => [x.key, x.distribution, num(x.p10, 4), num(x.p50, 4), num(x.p90, 4)]),
    ]),
  );
  if (r.inputs.length > 25) out.push(`  … and ${r.inputs.length - 25} more (--format json lists them all)`);
  for (const c of r.clusters) {
    out.push('', `${c.name} (${c.clusterId}) — over the simulated years (sums of amounts, means of rates):`);
    const rows = [['metric', 'unit', 'P10', 'P50', 'P90', 'mean', 'SD']];
    for (const m of TABLE_METRICS) {
      const s: Spread | null | undefined = (m.part === 'annual' ? c.annual : c.finance)[m.key];
      const label = (m.part === 'annual' ? ANNUAL_FIELDS : FINANCE_FIELDS)[m.key as never] as {
        label: string;
      };
      if (!s) continue;
      rows.push([
        label.label,
        m.unit,
        num(s.p10, m.digits, m.scale),
        num(s.p50, m.digits, m.scale),
        num(s.p90, m.digits, m.scale),
        num(s.mean, m.digits, m.scale),
        num(s.sd, m.digits, m.scale),
      ]);
    }
    out.push(pad(rows));
    if (c.targets.length) {
      out.push('  targets — probability met in every year checked:');
      for (const t of c.targets)
        out.push(`    ${t.probabilityMet === null ? '—' : `${num(t.probabilityMet, 0, 100)} %`}  ${t.label}`);
    }
    if (c.costRank)
      out.push(
        `  cheapest per rack-year in ${num(c.costRank[0], 0, 100)} % of samples (rank ${c.costRank.map((p, i) => `${i + 1}: ${num(p, 0, 100)} %`).join(', ')})`,
      );
  }
  const sens = r.sensitivity;
  out.push('', `Inputs by rank correlation with ${sens.output} of cluster ${sens.cluster}:`);
  out.push(pad([['input', 'ρ'], ...sens.rankCorrelation.slice(0, 10).map((x) => [x.key, num(x.rho, 3)])]));
  if (sens.tornado) {
    out.push(
      '',
      `Tornado on ${sens.output} (each input at its P10 and P90, the others at their medians; base ${num(sens.tornado.base, 2)}):`,
    );
    out.push(
      pad([
        ['input', 'at P10', 'at P90', 'swing'],
        ...sens.tornado.bars
          .slice(0, 15)
          .map((b) => [b.key, num(b.atP10, 2), num(b.atP90, 2), num(b.swing, 2)]),
      ]),
    );
  }
  return `${out.join('\n')}\n`;
}

/**
 * `--correlate a:b=rho` → a correlation between two inputs by their keys. Keys may hold a colon
 * (`grade:finance.x@0`): the split is at the first colon after which a key begins.
 */
export function correlationOf(spec: string, InputError: MonteCarloCliDeps['InputError']) {
  const m = /^(.+)=(-?[0-9.]+)$/.exec(spec);
  const pair = m?.[1] ?? '';
  let split = -1;
  for (let i = pair.indexOf(':'); i > 0; i = pair.indexOf(':', i + 1))
    if (/^(defaults\.|clusters\[|grade:)/.test(pair.slice(i + 1))) {
      split = i;
      break;
    }
  if (!m || split < 0)
    throw new InputError(`--correlate: expected <input>:<input>=<rho> with the inputs' keys, got "${spec}"`);
  return { a: pair.slice(0, split), b: pair.slice(split + 1), rho: Number(m[2]) };
}

/** Register `dcplan montecarlo` on the program. */
export function registerMonteCarlo(
  program: Command,
  deps: MonteCarloCliDeps,
  shared: { weather: () => Option },
): void {
  program
    .command('montecarlo')
    .description(
      "sample a scenario's distributions (and with --grades its defaults' grade bands): P10/P50/P90 of every metric, target and cost-rank probabilities, sensitivity",
    )
    .argument('<scenario>', 'scenario JSON file')
    .option('--samples <n>', `samples, 2–${MAX_SAMPLES}`, '1000')
    .option(
      '--seed <s>',
      'seed of the sampling plan (0–4294967295): the same seed gives the same report',
      '1',
    )
    .option(
      '--grades',
      'put a band on every default the run uses, from its grade (docs/models/uncertainty.md)',
    )
    .option('--method <m>', 'lhs (Latin hypercube) | random', 'lhs')
    .addOption(
      new Option('--correlate <a:b=rho>', 'rank correlation between two inputs by their keys (repeatable)')
        .argParser((v: string, acc: string[]) => [...acc, v])
        .default([] as string[]),
    )
    .option(
      '--output <metric>',
      'the output the inputs are ranked on (a finance or annual field)',
      'costPerRackYearCny',
    )
    .option('--cluster <id>', 'the cluster of that output: an id or a position (default the first)')
    .option('--tornado', 'also run the tornado: each input at its P10 and P90, the others at their medians')
    .option('--threads <n>', "worker threads, or auto (the machine's cores)", 'auto')
    .option('--format <format>', 'table | json', 'table')
    .addOption(shared.weather())
    .action((file: string, o: Options) => cmdMonteCarlo(file, o, deps));
}

async function cmdMonteCarlo(file: string, o: Options, deps: MonteCarloCliDeps): Promise<void> {
  const { InputError } = deps;
  const problems: string[] = [];
  if (!['table', 'json'].includes(o.format))
    problems.push(`--format: must be table or json (got "${o.format}")`);
  if (!['lhs', 'random'].includes(o.method))
    problems.push(`--method: must be lhs or random (got "${o.method}")`);
  const samples = Number(o.samples);
  if (!(Number.isInteger(samples) && samples >= 2 && samples <= MAX_SAMPLES))
    problems.push(`--samples: must be a whole number 2–${MAX_SAMPLES} (got "${o.samples}")`);
  const seed = Number(o.seed);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))
    problems.push(`--seed: must be a whole number 0–4294967295 (got "${o.seed}")`);
  const threads = o.threads === 'auto' ? defaultThreads() : Number(o.threads);
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= 64))
    problems.push(`--threads: must be a whole number 1–64 or auto (got "${o.threads}")`);
  if (problems.length) throw new InputError(problems.join('; '));
  const correlations = o.correlate.map((c) => correlationOf(c, InputError));
  const input = deps.readScenarioFile(file);
  const weather = deps.readWeatherOptions(o.weather, input);
  const clusters = ((input as { clusters?: Array<{ cluster?: unknown }> } | null)?.clusters ?? []).map(
    (c) => c?.cluster,
  );
  let cluster = 0;
  if (o.cluster !== undefined) {
    cluster = /^\d+$/.test(o.cluster) ? Number(o.cluster) : clusters.indexOf(o.cluster);
    if (!(cluster >= 0 && cluster < clusters.length))
      throw new InputError(
        `--cluster: the scenario has no cluster "${o.cluster}" (it has: ${clusters.join(', ')})`,
      );
  }
  const needsLp = JSON.stringify(input).includes('"optimal"');
  const lp = needsLp ? await loadLpSolver() : undefined;
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const used = Math.min(threads, samples);
  process.stderr.write(
    `dcplan: sampling ${samples.toLocaleString('en-US')} runs on ${used} thread${used > 1 ? 's' : ''} (Ctrl-C cancels)\n`,
  );
  const bar = await progressBar('sampling', 'runs');
  const t0 = performance.now();
  let report: MonteCarloReport;
  try {
    report = await runMonteCarlo(input, engineReference(), {
      samples,
      seed,
      method: o.method as 'lhs' | 'random',
      grades: Boolean(o.grades),
      correlations,
      output: o.output,
      cluster,
      tornado: Boolean(o.tornado),
      threads: Math.min(threads, samples),
      weather,
      lp,
      signal: abort.signal,
      onProgress: bar ? (d, t) => bar.update(d, t) : undefined,
    });
  } catch (e) {
    if (e instanceof CancelledError || abort.signal.aborted) throw new Error('montecarlo: cancelled');
    if (/^output: /.test((e as Error).message)) throw new InputError(`--${(e as Error).message}`);
    if (/^montecarlo: nothing is uncertain/.test((e as Error).message))
      throw new InputError((e as Error).message);
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
    bar?.stop();
  }
  if (o.format === 'json') process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(formatMonteCarlo(report));
  process.stderr.write(
    `dcplan: ${samples.toLocaleString('en-US')} samples${o.tornado ? ` and a tornado of ${2 * report.inputs.length + 1} runs` : ''} in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${Math.min(threads, samples)} thread${threads > 1 ? 's' : ''}\n`,
  );
}

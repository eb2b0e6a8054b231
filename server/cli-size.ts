import type { Command, Option } from 'commander';
import type { ClimateYear } from '../models/climate.ts';
import { loadLpSolver } from '../models/lp.ts';
import type { SizingBounds } from '../models/sizing.ts';
import { engineReference } from '../seeds/index.ts';
import { progressBar } from './progress.ts';
import { type SizeReport, sizePrograms, sizeReport } from './sizing.ts';

export type { SizeReport } from './sizing.ts';

/**
 * `dcplan size <scenario> --cluster <id> --green-share 0.8 [--hourly 0.8] [--format table|json]`
 * (issue 22, point 6): the least-cost PV, wind, storage and contracted green power that meet the
 * target in one cluster-year (models/sizing.ts, HiGHS), confirmed by a full simulation; the cost of
 * the target against the cheapest mix without one, and the trade-off curve (target 0.5–0.95 → cost).
 */

export interface SizeCliDeps {
  readScenarioFile: (path: string) => unknown;
  readWeatherOptions: (specs: string[], scenario?: unknown) => Record<string, ClimateYear>;
  InputError: new (message: string) => Error;
}

interface Options {
  cluster: string;
  greenShare: string;
  hourly?: string;
  year?: string;
  maxPvKw?: string;
  maxWindKw?: string;
  maxBatteryKwh?: string;
  maxBatteryKw?: string;
  maxContractedShare?: string;
  curve: boolean;
  timeLimit: string;
  format: string;
  weather: string[];
}

const f = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The report as text. */
export function formatSize(r: SizeReport): string {
  const t = r.target;
  const what =
    t.hourlyLevel !== undefined
      ? `${f(100 * t.greenShare, 0)} % of hours with green supply ≥ ${f(100 * t.hourlyLevel, 0)} % of the load`
      : `an annual green share of ${f(100 * t.greenShare, 1)} %`;
  const lines = [
    `${r.scenario} — least-cost green supply for ${r.clusterId} in ${r.year}: ${what}`,
    `  solver: ${r.status}${r.mipGap ? ` (MIP gap ${f(100 * r.mipGap, 2)} %)` : ''}, ${f(r.solveMs)} ms`,
    '',
    `  PV                   ${f(r.pvKw).padStart(12)} kW`,
    `  wind                 ${f(r.windKw).padStart(12)} kW`,
    `  battery              ${f(r.batteryKwh).padStart(12)} kWh, ${f(r.batteryKw)} kW (surplus-charged)`,
    `  contracted green     ${f(100 * r.contractedShare, 1).padStart(12)} % of the import serving the load (${f(r.contractedMwh)} MWh)`,
    '',
    `  re-simulated: green share ${f(100 * r.greenShare, 2)} %${r.hoursShare !== null ? `, hours at the level ${f(100 * r.hoursShare, 1)} %` : ''} — target ${r.met ? 'met' : 'NOT met'}`,
    `  annual cost ${f(r.annualCostCny / 1e6, 2)} M CNY (electricity ${'with the mix'} + capital recovery and O&M of the mix; the program said ${f(r.lpCostCny / 1e6, 2)} M)`,
  ];
  if (r.noTarget)
    lines.push(
      `  without a target the cheapest mix is PV ${f(r.noTarget.pvKw)} kW, wind ${f(r.noTarget.windKw)} kW, battery ${f(r.noTarget.batteryKwh)} kWh, contracts ${f(100 * r.noTarget.contractedShare, 1)} %: ${f(r.noTarget.annualCostCny / 1e6, 2)} M CNY a year`,
      `  the target costs ${f((r.targetCostCny ?? 0) / 1e6, 2)} M CNY a year`,
    );
  if (r.curveNote) lines.push(`  ${r.curveNote}`);
  if (r.curve.length) {
    lines.push('', '  trade-off (target → least annual cost, program figures):');
    lines.push('    target   cost M CNY        PV kW      wind kW   battery kWh  contracts %');
    for (const c of r.curve)
      lines.push(
        `    ${f(100 * c.target, 0).padStart(4)} %  ${(c.status === 'optimal' ? f(c.annualCostCny / 1e6, 2) : c.status).padStart(11)}  ${f(c.pvKw).padStart(11)}  ${f(c.windKw).padStart(11)}  ${f(c.batteryKwh).padStart(12)}  ${f(100 * c.contractedShare, 1).padStart(11)}`,
      );
  }
  lines.push('', '  figures the sizer took:');
  for (const a of r.assumptions)
    lines.push(`    ${a.field}: ${a.value}${a.unit ? ` ${a.unit}` : ''} — ${a.source} (${a.grade})`);
  return `${lines.join('\n')}\n`;
}

export function registerSize(program: Command, deps: SizeCliDeps, shared: { weather: () => Option }): void {
  program
    .command('size')
    .description(
      'least-cost PV, wind, storage and contracted green power meeting a green target for one cluster-year (HiGHS), confirmed by a full simulation',
    )
    .argument('<scenario>', 'scenario JSON file')
    .requiredOption('--cluster <id>', 'the cluster to size: its id or its position')
    .requiredOption(
      '--green-share <x>',
      'the target: an annual green share (0–1), or with --hourly the share of hours',
    )
    .option(
      '--hourly <level>',
      'count hours whose green supply is at least this share of the load (24×7; a MILP)',
    )
    .option('--year <y>', 'the year sized (default the last simulated year)')
    .option('--max-pv-kw <kW>', 'upper bound of PV (default 5 × the peak facility load)')
    .option('--max-wind-kw <kW>', 'upper bound of wind (default 5 × the peak facility load)')
    .option('--max-battery-kwh <kWh>', 'upper bound of storage energy (default 12 h of the peak load)')
    .option('--max-battery-kw <kW>', 'upper bound of storage power (default the energy bound ÷ 2 h)')
    .option(
      '--max-contracted-share <x>',
      'upper bound of contracted green power, share of the import serving the load (default 1)',
    )
    .option('--no-curve', 'skip the cheapest mix without a target and the trade-off curve')
    .option('--time-limit <s>', 'seconds per solve before HiGHS stops with its best mix', '300')
    .option('--format <format>', 'table | json', 'table')
    .addOption(shared.weather())
    .action((file: string, o: Options) => cmdSize(file, o, deps));
}

async function cmdSize(file: string, o: Options, deps: SizeCliDeps): Promise<void> {
  const { InputError } = deps;
  const problems: string[] = [];
  const share = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!(Number.isFinite(x) && x >= 0 && x <= 1))
      problems.push(`--${name}: must be a number 0–1 (got "${v}")`);
    return x;
  };
  const pos = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!(Number.isFinite(x) && x >= 0)) problems.push(`--${name}: must be a number ≥ 0 (got "${v}")`);
    return x;
  };
  if (!['table', 'json'].includes(o.format))
    problems.push(`--format: must be table or json (got "${o.format}")`);
  const greenShare = share('green-share', o.greenShare) as number;
  const hourlyLevel = share('hourly', o.hourly);
  const year = o.year === undefined ? undefined : Number(o.year);
  if (o.year !== undefined && !Number.isInteger(year))
    problems.push(`--year: must be a year (got "${o.year}")`);
  const bounds: SizingBounds = {
    maxPvKw: pos('max-pv-kw', o.maxPvKw),
    maxWindKw: pos('max-wind-kw', o.maxWindKw),
    maxBatteryKwh: pos('max-battery-kwh', o.maxBatteryKwh),
    maxBatteryKw: pos('max-battery-kw', o.maxBatteryKw),
    maxContractedShare: share('max-contracted-share', o.maxContractedShare),
  };
  const timeLimitS = Number(o.timeLimit);
  if (!(Number.isFinite(timeLimitS) && timeLimitS > 0 && timeLimitS <= 3600))
    problems.push(`--time-limit: must be 1–3600 s (got "${o.timeLimit}")`);
  if (problems.length) throw new InputError(problems.join('; '));
  const input = deps.readScenarioFile(file);
  const weather = deps.readWeatherOptions(o.weather, input);
  const ids = ((input as { clusters?: Array<{ cluster?: unknown }> } | null)?.clusters ?? []).map(
    (c) => c?.cluster,
  );
  const cluster = /^\d+$/.test(o.cluster) ? Number(o.cluster) : ids.indexOf(o.cluster);
  if (!(cluster >= 0 && cluster < ids.length))
    throw new InputError(`--cluster: the scenario has no cluster "${o.cluster}" (it has: ${ids.join(', ')})`);
  const lp = await loadLpSolver();
  const bar = await progressBar('solving', 'programs');
  try {
    const name = (input as { name?: string }).name ?? file;
    const report = sizeReport(
      input,
      engineReference(),
      { cluster, year, bounds, greenShare, hourlyLevel, curve: o.curve, timeLimitS, weather, name },
      lp,
      (done, total) => bar?.update(done, total),
    );
    const total = sizePrograms({ curve: o.curve, hourlyLevel });
    const solveMs = report.solveMs;
    bar?.stop();
    if (o.format === 'json') process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(formatSize(report));
    process.stderr.write(
      `dcplan: sized in ${f(solveMs)} ms (${total} program${total > 1 ? 's' : ''} solved)\n`,
    );
  } finally {
    bar?.stop();
  }
}

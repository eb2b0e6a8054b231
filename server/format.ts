import { PRICE_PARTS, priceMakeUp } from '../models/compare.ts';
import { type AnnualRow, annualColumns, type RunResult } from '../models/result.ts';
import { EXTENSIVE_METRICS, type TargetMetric } from '../models/targets.ts';
import { csvTable } from './csv.ts';

/** Columns of the terminal table: the figures a planner reads first, with units in the header. */
const TABLE_COLUMNS: Array<{
  key: keyof AnnualRow;
  head: string;
  unit: string;
  digits: number;
  scale?: number;
}> = [
  { key: 'year', head: 'year', unit: '', digits: 0 },
  { key: 'standardRacks', head: 'std racks', unit: '', digits: 0 },
  { key: 'occupancy', head: 'occup.', unit: '%', digits: 0, scale: 100 },
  { key: 'itEnergyMwh', head: 'IT', unit: 'GWh', digits: 1, scale: 1e-3 },
  { key: 'facilityEnergyMwh', head: 'facility', unit: 'GWh', digits: 1, scale: 1e-3 },
  { key: 'pue', head: 'PUE', unit: '', digits: 3 },
  { key: 'peakFacilityKw', head: 'peak', unit: 'MW', digits: 1, scale: 1e-3 },
  { key: 'freeCoolingHours', head: 'free-cool', unit: 'h', digits: 0 },
  { key: 'wueLPerKwh', head: 'WUE', unit: 'L/kWh', digits: 2 },
  { key: 'electricityCostCny', head: 'electricity', unit: 'M CNY', digits: 1, scale: 1e-6 },
  { key: 'averagePriceCnyPerKwh', head: 'price', unit: 'CNY/kWh', digits: 3 },
  { key: 'greenShare', head: 'green', unit: '%', digits: 0, scale: 100 },
  { key: 'carbonLocationTco2', head: 'CO2 loc.', unit: 'kt', digits: 1, scale: 1e-3 },
  { key: 'egressGbps', head: 'egress', unit: 'Gbps', digits: 0 },
];

function fmt(v: number | null, digits: number, scale = 1, grouping = true): string {
  if (v === null || v === undefined) return '—';
  const x = v * scale;
  return (Math.abs(x) < 0.5 * 10 ** -digits ? 0 : x).toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: grouping,
  });
}

/** A target's value or limit in its own unit: shares as %, PUE to 3 decimals, counts whole. */
function fmtTarget(v: number | null, unit: string, metric: string): string {
  if (v === null) return '—';
  if (metric === 'occupancy' || metric === 'greenShare') return `${fmt(v, 1, 100)} %`;
  if (metric === 'pue' || metric === 'wueLPerKwh') return fmt(v, 3);
  return `${fmt(v, 0)}${unit && unit !== 'grade' ? ` ${unit}` : ''}`;
}

/** A table as aligned text, indented by two spaces: the first column left-aligned, the others right. */
function pad(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
    .map((l) => `  ${l}`)
    .join('\n');
}

/**
 * The human-readable report of a run: per cluster, the year-by-year table, the target scorecard,
 * latency to demand centres, and the assumptions and warnings that shaped the numbers.
 */
export function formatTable(result: RunResult): string {
  const out: string[] = [];
  out.push(
    `${result.scenario.name} — ${result.scenario.startYear}–${result.scenario.startYear + result.scenario.years - 1}`,
  );
  for (const c of result.clusters) {
    out.push('');
    out.push(
      `■ ${c.name} [${c.clusterId}, ${c.province}] — cooling ${c.coolingDesign}; tariff ${c.tariffCalendar}, ${c.tariffClass.voltage} ${c.tariffClass.structure} (contract up to ${fmt(c.tariffClass.maxContractKva, 0)} kVA)`,
    );
    out.push(`  climate: ${c.climateSource}`);
    const head = TABLE_COLUMNS.map((col) => (col.unit ? `${col.head} ${col.unit}` : col.head));
    const rows = c.annual.map((row) =>
      TABLE_COLUMNS.map((col) =>
        fmt(row[col.key] as number | null, col.digits, col.scale, col.key !== 'year'),
      ),
    );
    out.push(pad([head, ...rows]));
    out.push(...priceLines(c.annual));
    if (c.targets.length) {
      out.push('  targets:');
      const byId = new Map<string, typeof c.targets>();
      for (const t of c.targets) byId.set(t.id, [...(byId.get(t.id) ?? []), t]);
      for (const [, checks] of byId) {
        const t = checks[0];
        const missed = checks.filter((x) => x.met === false).map((x) => x.year);
        const unknown = checks.filter((x) => x.met === null).map((x) => x.year);
        const status =
          unknown.length === checks.length
            ? 'n/a  '
            : missed.length === 0
              ? 'MET  '
              : missed.length === checks.length
                ? 'MISS '
                : 'MISS ';
        const years =
          checks.length === 1
            ? `${t.year}: ${fmtTarget(t.value, t.unit, t.metric)} ${t.comparator} ${fmtTarget(t.limit, t.unit, t.metric)}`
            : `${checks[0].year}–${checks[checks.length - 1].year}${missed.length ? `, missed ${missed.join(', ')}` : ''}`;
        const scope =
          t.scope === 'project'
            ? ''
            : ` {${t.scope}-wide${EXTENSIVE_METRICS.includes(t.metric as TargetMetric) ? '' : ': this scenario stands in for the average'}}`;
        out.push(
          `    ${status} ${t.label} (${years})${scope} — ${t.source} [${t.grade}]${unknown.length && unknown.length < checks.length ? ' (some years not computed)' : ''}`,
        );
      }
    }
    if (c.greenProfile) {
      const gp = c.greenProfile;
      const pct = (v: number) => `${Math.round(v * 100)}`.padStart(3);
      out.push(
        `  green supply ${gp.year} (hourly matched, % of load): ${gp.hoursAtLeast80.toLocaleString('en-US')} h of 8,760 at ≥ 80 %`,
      );
      out.push(`    by hour  00–23: ${gp.byHourOfDay.map(pct).join('')}`);
      out.push(`    by month Jan–Dec: ${gp.byMonth.map(pct).join('')}`);
    }
    const lat = c.latency
      .slice()
      .sort((a, b) => a.oneWayMs - b.oneWayMs)
      .map((l) => `${l.name} ${l.oneWayMs.toFixed(1)}`)
      .join(', ');
    const eq = c.latency[0]?.equipmentMs ?? 0;
    const rf =
      c.latency[0] && c.latency[0].distanceKm > 0 ? c.latency[0].routeKm / c.latency[0].distanceKm : null;
    out.push(
      `  latency one-way ms (great circle × route factor ${rf === null ? '' : rf.toFixed(2)} × 5 µs/km + ${eq.toFixed(2)} ms equipment): ${lat}`,
    );
    for (const p of c.publishedLatency) out.push(`  published: ${p.text} (${p.source}) [${p.grade}]`);
    const f = c.finance;
    out.push(
      `  finance: cost per occupied rack-year ${fmt(f.costPerRackYearCny, 0)} CNY per physical rack, ${fmt(f.costPerStandardRackYearCny, 0)} CNY per 2.5 kW standard rack; per MWh IT ${fmt(f.costPerMwhItCny, 0)} CNY`,
      `    capex ${fmt(f.capexCny, 1, 1e-6)} M CNY (facility ${fmt(f.capexPerMwItCny, 1, 1e-6)} M CNY per MW IT: ${Object.entries(
        f.capexBreakdownCny,
      )
        .map(([k, v]) => `${k} ${fmt(v, 1, 1e-6)}`)
        .join(', ')}); opex over the years ${Object.entries(f.opexBreakdownCny)
        .filter(([, v]) => v !== 0)
        .map(([k, v]) => `${k} ${fmt(v, 1, 1e-6)}`)
        .join(', ')} M CNY; salvage ${fmt(f.salvageCny, 1, 1e-6)} M CNY`,
      `    NPV ${fmt(f.npvCny, 1, 1e-6)} M CNY; IRR ${f.irr === null ? '—' : `${(f.irr * 100).toFixed(1)} %`}; payback ${f.paybackYears === null ? 'none within the years' : `${f.paybackYears.toFixed(1)} yr`}`,
    );
    if (c.assumptions.length) out.push('  defaults used:', ...defaultsLines(c.assumptions));
    for (const w of c.warnings) out.push(`  warning: ${w}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * The delivered price's make-up, CNY per billed kWh: the first year, the last and all years (weighted by
 * billed energy), each part of the bill in order.
 */
function priceLines(annual: RunResult['clusters'][number]['annual']): string[] {
  if (!annual.length) return [];
  const head = ['price CNY/kWh', ...PRICE_PARTS.map((p) => p.label.toLowerCase()), 'delivered'];
  const row = (label: string, rows: typeof annual) => {
    const m = priceMakeUp(rows);
    return [label, ...PRICE_PARTS.map((p) => fmt(m[p.key], 4)), fmt(m.delivered, 4)];
  };
  const first = annual[0];
  const last = annual[annual.length - 1];
  const rows = [row(String(first.year), [first])];
  if (annual.length > 1) rows.push(row(String(last.year), [last]), row('all years', annual));
  return [
    '  delivered grid price by component (per billed kWh; TOU-weighted, demand charge included):',
    pad([head, ...rows]),
  ];
}

/** Parameter tables listed row by row in the JSON result, summarised in one line each in the table. */
const TABLE_PREFIXES = ['cooling.overrides.', 'green.pv.overrides.', 'green.wind.overrides.'];

/**
 * The "defaults used" lines: each reference default with its source; each parameter table (cooling,
 * PV, wind) as one line counting its rows at their defaults by grade — every row, with its value and
 * source, is in `--format json` (`clusters[].assumptions`).
 */
function defaultsLines(list: RunResult['clusters'][number]['assumptions']): string[] {
  const out: string[] = [];
  const tables = new Map<string, Map<string, number>>();
  for (const a of list) {
    const prefix = TABLE_PREFIXES.find((p) => a.field.startsWith(p));
    if (!prefix) {
      out.push(`    ${a.field} = ${a.value} — ${a.source} [${a.grade}]`);
      continue;
    }
    const grades = tables.get(prefix) ?? new Map<string, number>();
    grades.set(a.grade, (grades.get(a.grade) ?? 0) + 1);
    tables.set(prefix, grades);
  }
  for (const [prefix, grades] of tables) {
    const n = [...grades.values()].reduce((x, y) => x + y, 0);
    const by = [...grades].map(([g, k]) => `${k} ${g}`).join(', ');
    out.push(
      `    ${prefix}* — ${n} parameters at their table defaults (${by}); each with its source in --format json`,
    );
  }
  return out;
}

/** CSV of the annual rows of every cluster (one row per cluster-year; units in the column names). */
export function formatCsv(result: RunResult): string {
  const cols = annualColumns();
  const rows: unknown[][] = [['clusterId', ...cols.map((c) => c.key)]];
  for (const c of result.clusters) {
    for (const row of c.annual) rows.push([c.clusterId, ...cols.map((col) => row[col.key])]);
  }
  return csvTable(rows);
}

/** The investor comparison of a run: ranking and cost drivers against the cheapest cluster. */
export function formatComparison(result: RunResult): string {
  const cmp = result.comparison;
  if (!cmp) return 'compare: the scenario has one cluster; add others to compare them\n';
  const name = (id: string, label: string) => `${label} [${id}]`;
  const out: string[] = [
    `${result.scenario.name} — clusters ranked by cost per occupied rack-year (1 = best)`,
    '',
  ];
  const head = [
    'cluster',
    'cost/rack-yr CNY',
    'per 2.5 kW std rack',
    'levelized CNY',
    'NPV M CNY',
    'IRR',
    'PUE',
    'green %',
    'CO2 kt',
    'price CNY/kWh',
    'ranks cost/NPV/IRR/PUE/green/CO2',
  ];
  const rows = cmp.ranking.map((r) => {
    const x = r as typeof r & { rank: Record<string, number | null> };
    return [
      name(x.clusterId, x.name),
      fmt(x.costPerRackYearCny, 0),
      fmt(x.costPerStandardRackYearCny, 0),
      fmt(x.levelizedCostPerRackYearCny, 0),
      fmt(x.npvCny, 1, 1e-6),
      x.irr === null ? '—' : `${(x.irr * 100).toFixed(1)} %`,
      fmt(x.pue, 3),
      fmt(x.greenShare, 0, 100),
      fmt(x.carbonLocationTco2, 1, 1e-3),
      fmt(x.averagePriceCnyPerKwh, 3),
      ['cost', 'npv', 'irr', 'pue', 'green', 'carbon'].map((k) => x.rank[k] ?? '—').join('/'),
    ];
  });
  out.push(pad([head, ...rows]));
  out.push('', 'delivered grid price by component over the years (CNY per billed kWh):');
  const ph = ['cluster', ...PRICE_PARTS.map((p) => p.label.toLowerCase()), 'delivered'];
  const prows = cmp.ranking.map((r) => [
    name(r.clusterId, r.name),
    ...PRICE_PARTS.map((p) => fmt(r.priceMakeUp[p.key], 4)),
    fmt(r.priceMakeUp.delivered, 4),
  ]);
  out.push(pad([ph, ...prows]));
  if (cmp.best === null) {
    out.push('', `  ${cmp.note}`);
    return `${out.join('\n')}\n`;
  }
  out.push('', `what drives the gap to ${cmp.best} (CNY per occupied rack-year):`);
  const dh = ['cluster', 'gap', 'price', 'capacity charge', 'energy (PUE, on-site)', 'green, capex, other'];
  const drows = cmp.drivers.map((d) => [
    name(d.clusterId, d.name),
    fmt(d.gapCnyPerRackYear, 0),
    fmt(d.priceEffect, 0),
    fmt(d.capacityChargeEffect, 0),
    fmt(d.pueEnergyEffect, 0),
    fmt(d.greenAndOtherEffect, 0),
  ]);
  out.push(pad([dh, ...drows]));
  out.push('', `  ${cmp.note}`);
  return `${out.join('\n')}\n`;
}

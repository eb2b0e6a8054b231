import * as Plot from '@observablehq/plot';
import { ANNUAL_FIELDS, FINANCE_FIELDS } from '../../models/result.ts';
import type { Spread } from '../../models/uncertainty/summary.ts';
import { formatNumber } from '../format.ts';
import { t } from '../i18n.ts';
import { tu } from '../uncertainty-i18n.ts';
import type {
  FanKey,
  MonteCarloProgress,
  SizingPoint,
  TornadoAnswer,
  TornadoOutput,
} from '../uncertainty-types.ts';
import type { FigureSpec } from './figure.ts';

/**
 * Charts of a Monte Carlo and of the sizing curve (issue 22, point 7): the probability of each cost
 * rank, histograms and CDFs of NPV and cost per rack-year with P10/P50/P90 marked, a tornado, a fan
 * chart of annual outputs, and the target → cost curve. Each is `(data, options) → FigureSpec`; they
 * never fetch.
 */

/** Chart size. */
export interface UncertaintyChartOptions {
  width: number;
}

const P_COLOURS = { P10: '#e76f51', P50: '#1d2430', P90: '#1f6feb' } as const;
const RANK_COLOURS = ['#2a9d8f', '#8ab17d', '#e9c46a', '#f4a261', '#e76f51', '#9d4edd', '#6c757d'];
const nameMargin = (width: number) => Math.min(200, width * 0.3);
const clip = (n: number) => (s: string) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const pcts = (done: number, total: number) =>
  `${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`;

/** How an output is shown: its label, the unit shown and the factor from the result's unit. */
export function outputDisplay(key: TornadoOutput | FanKey): { label: string; unit: string; scale: number } {
  const f =
    (FINANCE_FIELDS as Record<string, { label: string; unit: string }>)[key] ??
    (ANNUAL_FIELDS as Record<string, { label: string; unit: string }>)[key];
  const label = t(f.label);
  switch (key) {
    case 'npvCny':
    case 'electricityCostCny':
      return { label, unit: 'M CNY', scale: 1e-6 };
    case 'greenShare':
      return { label, unit: '%', scale: 100 };
    case 'carbonLocationTco2':
      return { label, unit: 'kt CO₂', scale: 1e-3 };
    case 'facilityEnergyMwh':
      return { label, unit: 'GWh', scale: 1e-3 };
    case 'peakFacilityKw':
      return { label, unit: 'MW', scale: 1e-3 };
    default:
      return { label, unit: f.unit, scale: 1 };
  }
}

const axis = (d: { label: string; unit: string }) => (d.unit ? `${d.label} (${d.unit})` : d.label);

/** The probability of each cost rank per cluster, stacked (cheapest first). */
export function rankChart(p: MonteCarloProgress, o: UncertaintyChartOptions): FigureSpec {
  const k = p.clusters.length;
  const rankName = (r: number) => `${tu('Rank')} ${r}`;
  const data = p.clusters.flatMap((c) =>
    (c.costRank ?? []).map((prob, r) => ({ cluster: c.name, rank: rankName(r + 1), pct: prob * 100 })),
  );
  const order = [...p.clusters]
    .sort((a, b) => (b.costRank?.[0] ?? 0) - (a.costRank?.[0] ?? 0))
    .map((c) => c.name);
  const chart = Plot.plot({
    width: o.width,
    height: 70 + 40 * k,
    marginLeft: nameMargin(o.width),
    marginRight: 20,
    x: { label: tu('Share of samples (%)'), domain: [0, 100], grid: true },
    y: { label: null, domain: order, tickFormat: clip(Math.floor(nameMargin(o.width) / 6.5)) },
    color: {
      legend: true,
      domain: Array.from({ length: k }, (_, r) => rankName(r + 1)),
      range: RANK_COLOURS.slice(0, k),
    },
    marks: [
      Plot.barX(data, { x: 'pct', y: 'cluster', fill: 'rank', tip: { format: { pct: '.1f' } } }),
      Plot.ruleX([0]),
    ],
  });
  return {
    id: 'chart-rank-probability',
    title: tu('Probability of each cost rank'),
    description: `${p.clusters
      .map((c) => `${c.name}: ${tu('cheapest in')} ${formatNumber((c.costRank?.[0] ?? 0) * 100, 0)} %`)
      .join('; ')} (${pcts(p.done, p.total)} ${tu('samples')}).`,
    chart,
    table: {
      columns: [
        { key: 'name', label: 'Cluster' },
        ...Array.from({ length: k }, (_, r) => ({
          key: `r${r + 1}`,
          label: rankName(r + 1),
          unit: '%',
          digits: 1,
        })),
      ],
      rows: p.clusters.map((c) => ({
        name: c.name,
        ...Object.fromEntries((c.costRank ?? []).map((prob, r) => [`r${r + 1}`, prob * 100])),
      })),
    },
  };
}

type DistKey = 'npvCny' | 'costPerRackYearCny';

const DIST_TITLES: Record<DistKey, { hist: string; cdf: string; axis: string; scale: number; unit: string }> =
  {
    npvCny: {
      hist: 'Distribution of NPV',
      cdf: 'Cumulative distribution of NPV',
      axis: 'NPV (M CNY)',
      scale: 1e-6,
      unit: 'M CNY',
    },
    costPerRackYearCny: {
      hist: 'Distribution of cost per occupied rack-year',
      cdf: 'Cumulative distribution of cost per occupied rack-year',
      axis: 'Cost per occupied rack-year (CNY)',
      scale: 1,
      unit: 'CNY/rack-yr',
    },
  };

/** P10/P50/P90 of a metric per cluster, in the unit shown. */
function pMarks(p: MonteCarloProgress, key: DistKey) {
  const s = DIST_TITLES[key].scale;
  return p.clusters.flatMap((c) => {
    const sp = c.finance[key] as Spread | null;
    if (!sp) return [];
    return (['P10', 'P50', 'P90'] as const).map((q) => ({
      cluster: c.name,
      p: q,
      v: sp[q.toLowerCase() as 'p10' | 'p50' | 'p90'] * s,
      share: q === 'P10' ? 10 : q === 'P50' ? 50 : 90,
    }));
  });
}

/** The P-values' table of a metric: cluster, P10, P50, P90, mean, SD, samples. */
function spreadTable(p: MonteCarloProgress, key: DistKey): FigureSpec['table'] {
  const d = DIST_TITLES[key];
  const digits = key === 'npvCny' ? 2 : 0;
  return {
    columns: [
      { key: 'name', label: 'Cluster' },
      { key: 'p10', label: 'P10', unit: d.unit, digits },
      { key: 'p50', label: 'P50', unit: d.unit, digits },
      { key: 'p90', label: 'P90', unit: d.unit, digits },
      { key: 'mean', label: 'Mean', unit: d.unit, digits },
      { key: 'sd', label: 'SD', unit: d.unit, digits },
      { key: 'n', label: tu('Samples'), digits: 0 },
    ],
    rows: p.clusters.map((c) => {
      const sp = c.finance[key] as Spread | null;
      return sp
        ? {
            name: c.name,
            p10: sp.p10 * d.scale,
            p50: sp.p50 * d.scale,
            p90: sp.p90 * d.scale,
            mean: sp.mean * d.scale,
            sd: sp.sd * d.scale,
            n: sp.n,
          }
        : { name: c.name, p10: null, p50: null, p90: null, mean: null, sd: null, n: 0 };
    }),
  };
}

const describeSpread = (p: MonteCarloProgress, key: DistKey) =>
  p.clusters
    .map((c) => {
      const sp = c.finance[key] as Spread | null;
      const s = DIST_TITLES[key].scale;
      const dg = key === 'npvCny' ? 1 : 0;
      return sp
        ? `${c.name}: P10 ${formatNumber(sp.p10 * s, dg)}, P50 ${formatNumber(sp.p50 * s, dg)}, P90 ${formatNumber(sp.p90 * s, dg)} ${DIST_TITLES[key].unit}`
        : `${c.name}: —`;
    })
    .join('; ');

/** A histogram of a metric per cluster (one row each) with P10, P50 and P90 marked. */
export function histogramChart(p: MonteCarloProgress, key: DistKey, o: UncertaintyChartOptions): FigureSpec {
  const d = DIST_TITLES[key];
  const data = p.clusters.flatMap((c, i) =>
    p.values[i][key].map((v) => ({ cluster: c.name, v: v * d.scale })),
  );
  const marks = pMarks(p, key);
  const chart = Plot.plot({
    width: o.width,
    height: 40 + 110 * p.clusters.length,
    marginLeft: 56,
    marginRight: Math.min(160, o.width * 0.22),
    x: { label: tu(d.axis), grid: true },
    y: { label: tu('Samples (count)'), grid: true },
    fy: { label: null, tickFormat: clip(22) },
    color: {
      legend: true,
      domain: ['P10', 'P50', 'P90'],
      range: [P_COLOURS.P10, P_COLOURS.P50, P_COLOURS.P90],
    },
    marks: [
      Plot.rectY(
        data,
        Plot.binX(
          { y: 'count' },
          // fy facets the bins by cluster (Plot's binX takes a mark's facet channels; its types do not list them)
          {
            x: 'v',
            fy: 'cluster',
            fill: '#8ab4f8',
            thresholds: 20,
            tip: true,
          } as Plot.BinXInputs<Plot.RectYOptions>,
        ),
      ),
      Plot.ruleX(
        marks.filter((m) => m.p !== 'P50'),
        {
          x: 'v',
          fy: 'cluster',
          stroke: 'p',
          strokeWidth: 2,
          strokeDasharray: '4,3',
          tip: { format: { v: ',.2f' } },
        },
      ),
      Plot.ruleX(
        marks.filter((m) => m.p === 'P50'),
        { x: 'v', fy: 'cluster', stroke: 'p', strokeWidth: 2, tip: { format: { v: ',.2f' } } },
      ),
      Plot.ruleY([0]),
    ],
  });
  return {
    id: `chart-hist-${key}`,
    title: tu(d.hist),
    description: `${describeSpread(p, key)} (${pcts(p.done, p.total)} ${tu('samples')}).`,
    chart,
    table: spreadTable(p, key),
    csv: () => ({
      columns: [
        { key: 'cluster', label: 'Cluster' },
        { key: 'v', label: tu(d.axis) },
      ],
      rows: data,
    }),
  };
}

/** The empirical CDF of a metric per cluster, with dots at P10, P50 and P90. */
export function cdfChart(p: MonteCarloProgress, key: DistKey, o: UncertaintyChartOptions): FigureSpec {
  const d = DIST_TITLES[key];
  const data = p.clusters.flatMap((c, i) => {
    const v = p.values[i][key].map((x) => x * d.scale).sort((a, b) => a - b);
    return v.map((x, j) => ({ cluster: c.name, v: x, share: (100 * (j + 1)) / v.length }));
  });
  const marks = pMarks(p, key);
  const chart = Plot.plot({
    width: o.width,
    height: 300,
    marginLeft: 56,
    marginRight: 20,
    x: { label: tu(d.axis), grid: true },
    y: { label: tu('Cumulative share of samples (%)'), domain: [0, 100], grid: true },
    color: { legend: true },
    marks: [
      Plot.line(data, { x: 'v', y: 'share', stroke: 'cluster', curve: 'step-after', strokeWidth: 2 }),
      Plot.dot(marks, { x: 'v', y: 'share', stroke: 'cluster', fill: 'white', r: 4, strokeWidth: 2 }),
      Plot.text(
        marks.filter((m) => m.cluster === p.clusters[0]?.name),
        { x: 'v', y: 'share', text: 'p', dx: -14, fontWeight: 600 },
      ),
      Plot.tip(
        data,
        Plot.pointer({ x: 'v', y: 'share', stroke: 'cluster', format: { v: ',.2f', share: '.0f' } }),
      ),
    ],
  });
  return {
    id: `chart-cdf-${key}`,
    title: tu(d.cdf),
    description: `${describeSpread(p, key)}; dots mark P10, P50 and P90.`,
    chart,
    table: spreadTable(p, key),
  };
}

/** The tornado: the output with each input at its P10 and at its P90 (others at their medians), widest first. */
export function tornadoChart(a: TornadoAnswer, clusterName: string, o: UncertaintyChartOptions): FigureSpec {
  const d = outputDisplay(a.output);
  const bars = a.bars.filter((b) => Number.isFinite(b.swing)).slice(0, 15);
  const rho = new Map(a.rankCorrelation.map((r) => [r.key, r.rho]));
  const base = a.base * d.scale;
  const lab = (b: { key: string; label: string }) =>
    `${b.label}${b.key.startsWith('grade:') ? ' (grade)' : ''}`;
  const data = bars.flatMap((b) => [
    { input: lab(b), side: tu('input at P10'), x1: base, x2: b.atP10 * d.scale },
    { input: lab(b), side: tu('input at P90'), x1: base, x2: b.atP90 * d.scale },
  ]);
  const margin = Math.min(280, o.width * 0.4);
  const chart = Plot.plot({
    width: o.width,
    height: 70 + 26 * Math.max(1, bars.length),
    marginLeft: margin,
    marginRight: 24,
    x: { label: axis(d), grid: true },
    y: { label: null, domain: bars.map(lab), tickFormat: clip(Math.floor(margin / 6.5)) },
    color: {
      legend: true,
      domain: [tu('input at P10'), tu('input at P90')],
      range: [P_COLOURS.P10, P_COLOURS.P90],
    },
    marks: [
      Plot.barX(data, {
        x1: 'x1',
        x2: 'x2',
        y: 'input',
        fill: 'side',
        fillOpacity: 0.85,
        tip: { format: { x1: false, x2: ',.3~f' } },
      }),
      Plot.ruleX([base], { stroke: '#000', strokeWidth: 2 }),
    ],
  });
  const top = bars[0];
  return {
    id: 'chart-tornado',
    title: `${tu('Tornado: one input at a time at its P10 and P90')} — ${d.label}, ${clusterName}`,
    description: `${d.label} of ${clusterName} with every input at its median: ${formatNumber(base, 3)} ${d.unit}. ${
      top
        ? `Widest swing: ${lab(top)}, ${formatNumber(top.atP10 * d.scale, 3)} → ${formatNumber(top.atP90 * d.scale, 3)} ${d.unit}.`
        : ''
    }`,
    chart,
    table: {
      columns: [
        { key: 'input', label: tu('Input'), minWidth: '14rem' },
        { key: 'inputP10', label: tu('Input at P10') },
        { key: 'inputP90', label: tu('Input at P90') },
        { key: 'atP10', label: tu('Output at P10'), unit: d.unit },
        { key: 'atP90', label: tu('Output at P90'), unit: d.unit },
        { key: 'swing', label: tu('Swing'), unit: d.unit },
        { key: 'rho', label: tu('Rank correlation'), digits: 3 },
      ],
      rows: a.bars.map((b) => ({
        input: lab(b),
        inputP10: b.inputP10,
        inputP90: b.inputP90,
        atP10: b.atP10 * d.scale,
        atP90: b.atP90 * d.scale,
        swing: b.swing * Math.abs(d.scale),
        rho: rho.get(b.key) ?? null,
      })),
    },
  };
}

/** The fan chart: an annual output's P10–P90 band by year, its P50 and the plain run. */
export function fanChart(
  fan: NonNullable<MonteCarloProgress['fan']>,
  key: FanKey,
  done: number,
  total: number,
  o: UncertaintyChartOptions,
): FigureSpec {
  const d = outputDisplay(key);
  const rows = fan.years.map((y) => {
    const sp = y.spread[key];
    const v = (x: number | null | undefined) => (x === null || x === undefined ? null : x * d.scale);
    return { year: y.year, p10: v(sp?.p10), p50: v(sp?.p50), p90: v(sp?.p90), plain: v(y.plain[key]) };
  });
  const band = rows.filter((r) => r.p10 !== null && r.p90 !== null);
  const names = [tu('P10–P90'), 'P50', tu('plain run')];
  const years = rows.map((r) => r.year);
  const chart = Plot.plot({
    width: o.width,
    height: 300,
    marginLeft: 64,
    marginRight: 16,
    x: { label: t('Year'), tickFormat: 'd', ticks: years.length > 12 ? undefined : years },
    y: { label: axis(d), grid: true },
    color: { legend: true, domain: names, range: ['#c9d7ee', '#1f6feb', '#1d2430'] },
    marks: [
      Plot.areaY(band, { x: 'year', y1: 'p10', y2: 'p90', fill: () => names[0], fillOpacity: 0.9 }),
      Plot.lineY(band, { x: 'year', y: 'p50', stroke: () => names[1], strokeWidth: 2, marker: true }),
      Plot.lineY(
        rows.filter((r) => r.plain !== null),
        { x: 'year', y: 'plain', stroke: () => names[2], strokeDasharray: '5,4', strokeWidth: 1.5 },
      ),
      Plot.tip(
        band,
        Plot.pointerX({
          x: 'year',
          y: 'p50',
          title: (r: (typeof rows)[number]) =>
            `${r.year}\nP90 ${formatNumber(r.p90, 3)}\nP50 ${formatNumber(r.p50, 3)}\nP10 ${formatNumber(r.p10, 3)}\n${names[2]} ${formatNumber(r.plain, 3)} ${d.unit}`,
        }),
      ),
    ],
  });
  const lastRow = band.at(-1);
  return {
    id: 'chart-fan',
    title: `${tu('Annual outputs: P10–P90 band')} — ${d.label}, ${fan.name}`,
    description: `${d.label} by year over ${pcts(done, total)} ${tu('samples')}.${
      lastRow
        ? ` ${lastRow.year}: P10 ${formatNumber(lastRow.p10, 3)}, P50 ${formatNumber(lastRow.p50, 3)}, P90 ${formatNumber(lastRow.p90, 3)} ${d.unit} (plain run ${formatNumber(lastRow.plain, 3)}).`
        : ''
    }`,
    chart,
    table: {
      columns: [
        { key: 'year', label: 'Year', digits: 0 },
        { key: 'p10', label: 'P10', unit: d.unit },
        { key: 'p50', label: 'P50', unit: d.unit },
        { key: 'p90', label: 'P90', unit: d.unit },
        { key: 'plain', label: tu('plain run'), unit: d.unit },
      ],
      rows,
    },
  };
}

/** The sizing curve: green-share target → least annual cost, with the cost of no target as a line. */
export function sizingCurveChart(points: SizingPoint[], o: UncertaintyChartOptions): FigureSpec {
  const curve = points
    .filter((p) => p.target !== null && Number.isFinite(p.annualCostCny))
    .map((p) => ({ ...p, targetPct: (p.target as number) * 100, mcny: p.annualCostCny / 1e6 }));
  const free = points.find((p) => p.target === null && Number.isFinite(p.annualCostCny));
  const names = [tu('Annual cost'), tu('no target')];
  // A curve that barely rises (the cheapest mix already meets the low targets) is drawn on at least
  // ±0.5 % of its cost, so the axis does not magnify rounding into a slope.
  const costs = [...curve.map((p) => p.mcny), ...(free ? [free.annualCostCny / 1e6] : [])];
  const lo = Math.min(...costs);
  const hi = Math.max(...costs);
  const pad = Math.max(0.005 * Math.abs(hi), (hi - lo) * 0.1);
  const chart = Plot.plot({
    width: o.width,
    height: 300,
    marginLeft: 64,
    marginRight: 16,
    x: { label: tu('Green-share target (%)'), domain: [45, 100], grid: true },
    y: {
      label: tu('Annual cost (M CNY)'),
      grid: true,
      tickFormat: ',.2f',
      ...(costs.length ? { domain: [lo - pad, hi + pad] } : {}),
    },
    color: { legend: true, domain: names, range: ['#1f6feb', '#6c757d'] },
    marks: [
      free
        ? Plot.ruleY([free.annualCostCny / 1e6], { stroke: () => names[1], strokeDasharray: '5,4' })
        : null,
      Plot.line(curve, { x: 'targetPct', y: 'mcny', stroke: () => names[0], strokeWidth: 2 }),
      Plot.dot(curve, { x: 'targetPct', y: 'mcny', fill: () => names[0], r: 4 }),
      Plot.tip(
        curve,
        Plot.pointer({
          x: 'targetPct',
          y: 'mcny',
          title: (p: (typeof curve)[number]) =>
            `${formatNumber(p.targetPct, 0)} %: ${formatNumber(p.mcny, 2)} M CNY\nPV ${formatNumber(p.pvKw / 1000, 1)} MW, wind ${formatNumber(p.windKw / 1000, 1)} MW\nstorage ${formatNumber(p.batteryKwh / 1000, 1)} MWh / ${formatNumber(p.batteryKw / 1000, 1)} MW\ncontracts ${formatNumber(p.contractedShare * 100, 1)} %`,
        }),
      ),
    ],
  });
  return {
    id: 'chart-sizing-curve',
    title: tu('Least-cost green supply: target → cost'),
    description: `${curve.map((p) => `${formatNumber(p.targetPct, 0)} %: ${formatNumber(p.mcny, 2)} M CNY`).join('; ')}${
      free ? `; ${tu('no target')}: ${formatNumber(free.annualCostCny / 1e6, 2)} M CNY` : ''
    }.`,
    chart,
    table: sizingTable(points),
  };
}

/** The mixes of the curve as a table (MW, MWh, %). */
export function sizingTable(points: SizingPoint[]): FigureSpec['table'] {
  return {
    columns: [
      { key: 'target', label: tu('Target'), unit: '%' },
      { key: 'cost', label: tu('Annual cost'), unit: 'M CNY', digits: 2 },
      { key: 'pv', label: tu('PV array DC rating'), unit: 'MW', digits: 1 },
      { key: 'wind', label: tu('Wind farm rating'), unit: 'MW', digits: 1 },
      { key: 'kwh', label: tu('Battery energy'), unit: 'MWh', digits: 1 },
      { key: 'kw', label: tu('Battery power'), unit: 'MW', digits: 1 },
      { key: 'contracted', label: tu('Contracted green power'), unit: '%', digits: 1 },
      { key: 'status', label: 'HiGHS' },
    ],
    rows: points.map((p) => ({
      target: p.target === null ? tu('no target') : formatNumber(p.target * 100, 0),
      cost: Number.isFinite(p.annualCostCny) ? p.annualCostCny / 1e6 : null,
      pv: p.pvKw / 1000,
      wind: p.windKw / 1000,
      kwh: p.batteryKwh / 1000,
      kw: p.batteryKw / 1000,
      contracted: p.contractedShare * 100,
      status: p.status,
    })),
  };
}

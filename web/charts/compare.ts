import * as Plot from '@observablehq/plot';
import { type Comparison, PRICE_PARTS } from '../../models/compare.ts';
import type { ClusterResult } from '../../models/result.ts';
import { formatNumber } from '../format.ts';
import { t, tf, unitText } from '../i18n.ts';
import type { FigureSpec } from './figure.ts';
import { type ChartOptions, PLOT_STYLE, SERIES_COLOURS, yearAxis } from './plan.ts';

/** Left margin of a bar chart with cluster names, and the names cut to fit it (≈ 6.5 px a character). */
const nameMargin = (width: number) => Math.min(220, width * 0.35);
const clip = (width: number) => {
  // a CJK character is about twice as wide as a Latin one at 12 px
  const room = Math.floor(nameMargin(width) / 7) - 1;
  return (s: string) => {
    const n = /[\u3000-\u9fff]/.test(s) ? Math.max(4, Math.floor(room / 1.8)) : Math.max(8, room);
    return s.length > n ? `${s.slice(0, n - 1)}…` : s;
  };
};

const DRIVERS = [
  { key: 'priceEffect', label: 'price (tariff, TOU, incentives)', colour: '#e76f51' },
  { key: 'capacityChargeEffect', label: 'capacity/demand charge', colour: '#6c757d' },
  { key: 'pueEnergyEffect', label: 'energy (PUE, on-site supply)', colour: '#1f6feb' },
  { key: 'greenAndOtherEffect', label: 'green premiums, capex, other', colour: '#52b788' },
] as const;

/**
 * The cost gap of each cluster to the cheapest, split into its drivers (stacked; negative parts to the
 * left of zero) with a black tick at the gap itself — the parts add up to it.
 */
export function gapChart(cmp: Comparison, o: ChartOptions): FigureSpec {
  const order = cmp.ranking.map((r) => r.name);
  const data = cmp.drivers.flatMap((d) =>
    DRIVERS.map((k) => ({ cluster: d.name, driver: t(k.label), cny: d[k.key] })),
  );
  const gaps = cmp.drivers.map((d) => ({ cluster: d.name, gap: d.gapCnyPerRackYear }));
  const chart = Plot.plot({
    width: o.width,
    height: 60 + 44 * order.length,
    marginLeft: nameMargin(o.width),
    marginRight: 70,
    style: PLOT_STYLE,
    x: { label: t('Cost gap to the cheapest (CNY per occupied physical rack-year)'), grid: true, nice: true },
    y: { label: null, domain: order, tickFormat: clip(o.width) },
    color: { legend: true, domain: DRIVERS.map((d) => t(d.label)), range: DRIVERS.map((d) => d.colour) },
    marks: [
      Plot.barX(data, { x: 'cny', y: 'cluster', fill: 'driver', tip: { format: { cny: ',.0f' } } }),
      Plot.tickX(gaps, { x: 'gap', y: 'cluster', stroke: '#000', strokeWidth: 3 }),
      Plot.text(gaps, {
        x: 'gap',
        y: 'cluster',
        text: (d: { gap: number }) => `${d.gap >= 0 ? '+' : ''}${formatNumber(d.gap, 0)}`,
        dx: 8,
        textAnchor: 'start',
        fontWeight: 600,
      }),
      Plot.ruleX([0]),
    ],
  });
  return {
    id: 'chart-gap',
    title: t('Cost gap to the cheapest, by driver'),
    description: `${tf('{name} is cheapest per occupied rack-year.', {
      name: cmp.ranking.find((x) => x.clusterId === cmp.best)?.name ?? cmp.best ?? '—',
    })} ${cmp.drivers
      .filter((d) => d.gapCnyPerRackYear !== 0)
      .map((d) =>
        tf('{name}: +{gap} CNY/rack-yr (price {price}, capacity {cap}, energy {energy}, other {other})', {
          name: d.name,
          gap: formatNumber(d.gapCnyPerRackYear, 0),
          price: formatNumber(d.priceEffect, 0),
          cap: formatNumber(d.capacityChargeEffect, 0),
          energy: formatNumber(d.pueEnergyEffect, 0),
          other: formatNumber(d.greenAndOtherEffect, 0),
        }),
      )
      .join(t('; '))}${t('.')} ${t(
      'Cost gaps per occupied rack-year against the cheapest cluster, split into price (tariff level, TOU and incentives), capacity/demand charges, energy via PUE, and the rest (green premiums, certificates, capex, water, staff).',
    )}`,
    chart,
    table: {
      columns: [
        { key: 'name', label: 'Cluster' },
        { key: 'gapCnyPerRackYear', label: 'Gap to cheapest', unit: 'CNY/rack-yr', digits: 0 },
        ...DRIVERS.map((d) => ({ key: d.key, label: d.label, unit: 'CNY/rack-yr', digits: 0 })),
      ],
      rows: cmp.drivers.map((d) => ({ ...d })),
    },
  };
}

const PART_COLOURS: Record<string, string> = {
  energy: '#1f6feb',
  lineLoss: '#8ab4f8',
  td: '#e76f51',
  systemOperation: '#f4a261',
  funds: '#e9c46a',
  capacity: '#6c757d',
  incentive: '#52b788',
};

/**
 * The delivered grid price of each cluster, stacked by the parts of the bill (CNY per billed kWh over
 * the simulated years; an incentive is a negative part, left of zero), with a black tick at the price
 * paid — the parts add up to it.
 */
export function priceChart(cmp: Comparison, o: ChartOptions): FigureSpec {
  const order = cmp.ranking.map((r) => r.name);
  const label = (k: string) => t(PRICE_PARTS.find((p) => p.key === k)!.label);
  const data = cmp.ranking.flatMap((r) =>
    PRICE_PARTS.filter((p) => r.priceMakeUp[p.key] !== 0).map((p) => ({
      cluster: r.name,
      part: label(p.key),
      cnyPerKwh: r.priceMakeUp[p.key],
    })),
  );
  const paid = cmp.ranking.map((r) => ({ cluster: r.name, price: r.priceMakeUp.delivered }));
  const chart = Plot.plot({
    width: o.width,
    height: 60 + 44 * order.length,
    marginLeft: nameMargin(o.width),
    marginRight: 70,
    style: PLOT_STYLE,
    x: { label: t('Delivered grid price (CNY per billed kWh)'), grid: true, nice: true },
    y: { label: null, domain: order, tickFormat: clip(o.width) },
    color: {
      legend: true,
      domain: PRICE_PARTS.map((p) => label(p.key)),
      range: PRICE_PARTS.map((p) => PART_COLOURS[p.key]),
    },
    marks: [
      Plot.barX(data, { x: 'cnyPerKwh', y: 'cluster', fill: 'part', tip: { format: { cnyPerKwh: '.4f' } } }),
      Plot.tickX(paid, { x: 'price', y: 'cluster', stroke: '#000', strokeWidth: 3 }),
      Plot.text(paid, {
        x: 'price',
        y: 'cluster',
        text: (d: { price: number }) => formatNumber(d.price, 3),
        dx: 8,
        textAnchor: 'start',
        fontWeight: 600,
      }),
      Plot.ruleX([0]),
    ],
  });
  return {
    id: 'chart-price',
    title: t('Delivered price by component'),
    description: `${t('Per billed kWh over the simulated years, by part of the bill; the black tick is the price paid (an incentive is a negative part).')} ${cmp.ranking
      .map((r) => `${r.name} ${formatNumber(r.priceMakeUp.delivered, 3)}`)
      .join(t(', '))} ${unitText('CNY/kWh')}${t('.')}`,
    chart,
    table: {
      columns: [
        { key: 'name', label: 'Cluster' },
        ...PRICE_PARTS.map((p) => ({ key: p.key, label: p.label, unit: 'CNY/kWh', digits: 4 })),
        { key: 'delivered', label: 'Delivered', unit: 'CNY/kWh', digits: 4 },
      ],
      rows: cmp.ranking.map((r) => ({ name: r.name, ...r.priceMakeUp })),
    },
  };
}

/**
 * The end-of-line labels of a line chart, moved apart vertically so that lines ending close together
 * (a near tie) keep readable labels: at least 14 px between neighbours, in data units of a chart
 * `height` px tall (≈ 50 px of margins).
 */
function endLabels<T extends { mcny: number }>(
  ends: T[],
  all: T[],
  height: number,
): Array<T & { labelY: number }> {
  const ys = [0, ...all.map((d) => d.mcny)];
  const span = Math.max(...ys) - Math.min(...ys) || 1;
  const gap = (14 * span) / Math.max(60, height - 50);
  const sorted = [...ends].sort((a, b) => b.mcny - a.mcny);
  let prev = Number.POSITIVE_INFINITY;
  const placed = sorted.map((d) => {
    const labelY = Math.min(d.mcny, prev - gap);
    prev = labelY;
    return { ...d, labelY };
  });
  return placed;
}

/** How the cash-flow chart shows the clusters: cumulative discounted, or the difference to the cheapest. */
export type CashFlowMode = 'cumulative' | 'difference';

/**
 * Cumulative discounted cash flow of each cluster by year: Σ flow_k ÷ (1 + r)^(k+1) up to each year —
 * the NPV's own discounting (models/finance.ts `npv`), so the last point of a line is the cluster's NPV.
 *
 * @example
 * cumulativeDiscounted([-100, 60, 60], 0.1) // → [-90.91, -41.32, 3.76]
 */
export function cumulativeDiscounted(flows: readonly number[], rate: number): number[] {
  let v = 0;
  let d = 1;
  return flows.map((f) => {
    d /= 1 + rate;
    v += f * d;
    return v;
  });
}

/**
 * Cumulative discounted cash flow by year for each cluster (M CNY), each line labelled at its end (its
 * NPV) — or, in `difference` mode, each cluster's line minus the cheapest cluster's, so clusters whose
 * totals differ by a few per cent are told apart. NPV, IRR and payback in the description and table.
 */
export function cashFlowChart(
  clusters: ClusterResult[],
  startYear: number,
  o: ChartOptions & { mode?: CashFlowMode; cheapest?: string | null },
): FigureSpec {
  const mode = o.mode ?? 'cumulative';
  const cum = clusters.map((c) => cumulativeDiscounted(c.finance.cashFlowCny, c.finance.discountRate));
  const refIndex = Math.max(
    0,
    clusters.findIndex((c) => c.clusterId === o.cheapest),
  );
  const data = clusters.flatMap((c, ci) =>
    cum[ci].map((v, i) => ({
      cluster: c.name,
      year: startYear + i,
      mcny: (mode === 'difference' ? v - (cum[refIndex][i] ?? 0) : v) / 1e6,
      flow: c.finance.cashFlowCny[i] / 1e6,
    })),
  );
  const ends = clusters.map((c) => data.filter((d) => d.cluster === c.name).at(-1)!);
  const height = o.height ?? 320;
  const labels = endLabels(ends, data, height);
  const yLabel =
    mode === 'difference'
      ? tf('Discounted cash flow minus {name}’s, cumulative (M CNY)', {
          name: clusters[refIndex]?.name ?? '',
        })
      : t('Cumulative discounted cash flow (M CNY)');
  const chart = Plot.plot({
    width: o.width,
    height,
    style: PLOT_STYLE,
    marginLeft: 64,
    marginRight: Math.min(160, o.width * 0.22),
    x: { ...yearAxis(clusters[0]?.annual.map((a) => a.year) ?? [], o.width), nice: false },
    y: { label: yLabel, grid: true, nice: true },
    color: { legend: true, domain: clusters.map((c) => c.name), range: SERIES_COLOURS },
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(data, { x: 'year', y: 'mcny', stroke: 'cluster', strokeWidth: 2, marker: true }),
      Plot.text(labels, {
        x: 'year',
        y: 'labelY',
        fill: 'cluster',
        text: (d: { cluster: string; mcny: number }) =>
          `${clip(o.width)(d.cluster.replace(/\s*[(（].*$/, ''))} ${formatNumber(d.mcny, Math.abs(d.mcny) < 10 ? 1 : 0)}`,
        dx: 8,
        textAnchor: 'start',
        fontWeight: 600,
      }),
      Plot.tip(data, Plot.pointer({ x: 'year', y: 'mcny', stroke: 'cluster', format: { mcny: ',.2f' } })),
    ],
  });
  const npv = (c: ClusterResult) =>
    c.finance.npvCny === null ? '—' : `${formatNumber(c.finance.npvCny / 1e6, 1)} ${t('M CNY')}`;
  return {
    id: 'chart-cashflow',
    title:
      mode === 'difference'
        ? tf('Discounted cash flow against {name}', { name: clusters[refIndex]?.name ?? '' })
        : t('Cumulative discounted cash flow'),
    description: `${t(
      mode === 'difference'
        ? 'Each cluster’s cumulative discounted cash flow minus the cheapest cluster’s: above zero it is ahead.'
        : 'Revenue minus capex and opex, discounted at the discount rate and summed year by year: the last point is the NPV.',
    )} ${clusters
      .map((c) =>
        tf('{name}: NPV {npv}, IRR {irr}, payback {payback}', {
          name: c.name,
          npv: npv(c),
          irr: c.finance.irr === null ? '—' : `${formatNumber(c.finance.irr * 100, 1)} %`,
          payback:
            c.finance.paybackYears === null
              ? t('none within the horizon')
              : `${formatNumber(c.finance.paybackYears, 1)} ${t('yr')}`,
        }),
      )
      .join(t('; '))}${t('.')}`,
    chart,
    legend: null,
    table: {
      columns: [
        { key: 'cluster', label: 'Cluster' },
        { key: 'year', label: 'Year', digits: 0 },
        { key: 'flow', label: 'Net cash flow', unit: t('M CNY'), digits: 2 },
        {
          key: 'mcny',
          label:
            mode === 'difference'
              ? 'Difference to the cheapest, cumulative discounted'
              : 'Cumulative discounted',
          unit: t('M CNY'),
          digits: 2,
        },
      ],
      rows: data,
    },
  };
}

import * as Plot from '@observablehq/plot';
import type { Comparison } from '../../models/compare.ts';
import type { ClusterResult } from '../../models/result.ts';
import { formatNumber } from '../format.ts';
import { t } from '../i18n.ts';
import type { FigureSpec } from './figure.ts';
import { type ChartOptions, yearAxis } from './plan.ts';

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
    DRIVERS.map((k) => ({ cluster: d.name, driver: k.label, cny: d[k.key] })),
  );
  const gaps = cmp.drivers.map((d) => ({ cluster: d.name, gap: d.gapCnyPerRackYear }));
  const chart = Plot.plot({
    width: o.width,
    height: 60 + 44 * order.length,
    marginLeft: Math.min(220, o.width * 0.35),
    marginRight: 70,
    x: { label: t('Cost gap to the cheapest (CNY per occupied rack-year)'), grid: true },
    y: { label: null, domain: order, tickFormat: (s: string) => (s.length > 28 ? `${s.slice(0, 27)}…` : s) },
    color: { legend: true, domain: DRIVERS.map((d) => d.label), range: DRIVERS.map((d) => d.colour) },
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
    description: `${cmp.ranking.find((x) => x.clusterId === cmp.best)?.name ?? cmp.best ?? 'No cluster'} is cheapest per occupied rack-year. ${cmp.drivers
      .filter((d) => d.gapCnyPerRackYear !== 0)
      .map(
        (d) =>
          `${d.name}: +${formatNumber(d.gapCnyPerRackYear, 0)} CNY/rack-yr (price ${formatNumber(d.priceEffect, 0)}, capacity ${formatNumber(d.capacityChargeEffect, 0)}, energy ${formatNumber(d.pueEnergyEffect, 0)}, other ${formatNumber(d.greenAndOtherEffect, 0)})`,
      )
      .join('; ')}. ${cmp.note}`,
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

/** Net cash flow by year for each cluster (M CNY), with NPV, IRR and payback in the table. */
export function cashFlowChart(clusters: ClusterResult[], startYear: number, o: ChartOptions): FigureSpec {
  const data = clusters.flatMap((c) =>
    c.finance.cashFlowCny.map((v, i) => ({ cluster: c.name, year: startYear + i, mcny: v / 1e6 })),
  );
  const chart = Plot.plot({
    width: o.width,
    height: o.height ?? 300,
    marginLeft: 64,
    marginRight: 16,
    x: yearAxis(clusters[0]?.annual.map((a) => a.year) ?? [], o.width),
    y: { label: t('Net cash flow (M CNY)'), grid: true },
    color: { legend: true },
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(data, { x: 'year', y: 'mcny', stroke: 'cluster', strokeWidth: 2, marker: true }),
      Plot.tip(data, Plot.pointer({ x: 'year', y: 'mcny', stroke: 'cluster', format: { mcny: ',.2f' } })),
    ],
  });
  return {
    id: 'chart-cashflow',
    title: t('Net cash flow by year'),
    description: `Revenue minus capex and opex in each year, per cluster (undiscounted, M CNY). ${clusters
      .map(
        (c) =>
          `${c.name}: NPV ${c.finance.npvCny === null ? '—' : `${formatNumber(c.finance.npvCny / 1e6, 1)} M CNY`}, IRR ${c.finance.irr === null ? '—' : `${formatNumber(c.finance.irr * 100, 1)} %`}, payback ${c.finance.paybackYears === null ? 'none within the horizon' : `${formatNumber(c.finance.paybackYears, 1)} yr`}`,
      )
      .join('; ')}.`,
    chart,
    table: {
      columns: [
        { key: 'cluster', label: 'Cluster' },
        { key: 'year', label: 'Year', digits: 0 },
        { key: 'mcny', label: 'Net cash flow', unit: 'M CNY', digits: 2 },
      ],
      rows: data,
    },
  };
}

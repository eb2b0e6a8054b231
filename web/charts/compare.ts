import * as Plot from '@observablehq/plot';
import { type Comparison, PRICE_PARTS } from '../../models/compare.ts';
import type { ClusterResult } from '../../models/result.ts';
import { formatNumber } from '../format.ts';
import { t } from '../i18n.ts';
import type { FigureSpec } from './figure.ts';
import { type ChartOptions, yearAxis } from './plan.ts';

/** Left margin of a bar chart with cluster names, and the names cut to fit it (≈ 6.5 px a character). */
const nameMargin = (width: number) => Math.min(220, width * 0.35);
const clip = (width: number) => {
  const n = Math.max(8, Math.floor(nameMargin(width) / 6.5) - 1);
  return (s: string) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
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
    DRIVERS.map((k) => ({ cluster: d.name, driver: k.label, cny: d[k.key] })),
  );
  const gaps = cmp.drivers.map((d) => ({ cluster: d.name, gap: d.gapCnyPerRackYear }));
  const chart = Plot.plot({
    width: o.width,
    height: 60 + 44 * order.length,
    marginLeft: nameMargin(o.width),
    marginRight: 70,
    x: { label: t('Cost gap to the cheapest (CNY per occupied physical rack-year)'), grid: true },
    y: { label: null, domain: order, tickFormat: clip(o.width) },
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
    x: { label: t('Delivered grid price (CNY per billed kWh)'), grid: true },
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
      .join(', ')} CNY/kWh.`,
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

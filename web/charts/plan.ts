import * as Plot from '@observablehq/plot';
import type { AnnualRow, ClusterResult } from '../../models/result.ts';
import { el } from '../dom.ts';
import type { FocusView, MonthlyCost } from '../engine-types.ts';
import { annual as field, fieldColumn, labelOf } from '../fields.ts';
import { formatNumber, pct } from '../format.ts';
import { t } from '../i18n.ts';
import type { FigureSpec } from './figure.ts';

/** Chart size defaults: width follows the container, capped for readability. */
export interface ChartOptions {
  width: number;
  height?: number;
}

/** Month abbreviations, January first (axis labels and table rows). */
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const margin = (o: ChartOptions) => ({ marginLeft: o.width < 500 ? 52 : 64, marginRight: 16 });

/** A linear year axis with whole-year ticks (see `yearTicks`). */
export function yearAxis(years: number[], width: number) {
  return { label: t('Year'), tickFormat: 'd', ticks: yearTicks(years, width) };
}

/** Whole-year ticks: every year up to 12 years, then every 2nd, 5th or 10th. */
export function yearTicks(years: number[], width = 800): number[] {
  const room = Math.max(4, Math.floor(width / 60));
  const step = [1, 2, 5, 10, 20].find((s) => years.length / s <= room) ?? 25;
  return years.filter((y) => (y - years[0]) % step === 0);
}

/** Racks in service by year: occupied and vacant standard racks (stacked). */
export function racksChart(annual: AnnualRow[], o: ChartOptions): FigureSpec {
  const data = annual.flatMap((a) => [
    { year: a.year, part: 'occupied', racks: a.standardRacks * a.occupancy },
    { year: a.year, part: 'vacant', racks: a.standardRacks * (1 - a.occupancy) },
  ]);
  const chart = Plot.plot({
    width: o.width,
    height: o.height ?? 260,
    ...margin(o),
    x: {
      label: t('Year'),
      type: 'band',
      tickFormat: (y: number) =>
        yearTicks(
          annual.map((a) => a.year),
          o.width,
        ).includes(y)
          ? String(y)
          : '',
    },
    y: {
      label: `${labelOf(field('standardRacks'))} (${field('standardRacks').unit})`,
      grid: true,
      tickFormat: '~s',
    },
    color: { legend: true, domain: ['occupied', 'vacant'], range: ['#1f6feb', '#c9d7ee'] },
    marks: [
      Plot.barY(data, { x: 'year', y: 'racks', fill: 'part', tip: { format: { racks: ',.0f' } } }),
      Plot.ruleY([0]),
    ],
  });
  return {
    id: 'chart-racks',
    title: labelOf(field('racksInService')),
    description: `Standard racks (2.5 kW equivalents) in service each year, split into occupied (上架率 × racks) and vacant. ${annual
      .filter((_, i) => i === 0 || i === annual.length - 1)
      .map((a) => `${a.year}: ${formatNumber(a.standardRacks, 0)} racks, occupancy ${pct(a.occupancy, 0)}`)
      .join('; ')}.`,
    chart,
    table: {
      columns: [
        { key: 'year', label: 'Year', digits: 0 },
        fieldColumn(field('racksInService'), 'racksInService', 0),
        fieldColumn(field('standardRacks'), 'standardRacks', 0),
        fieldColumn(field('occupancy'), 'occupancy', 1, '%'),
      ],
      rows: annual.map((a) => ({
        year: a.year,
        racksInService: a.racksInService,
        standardRacks: a.standardRacks,
        occupancy: a.occupancy * 100,
      })),
    },
  };
}

/** Mean IT and facility power by year, and peak facility power (MW). */
export function loadChart(annual: AnnualRow[], o: ChartOptions): FigureSpec {
  const series = [
    { key: 'IT (mean)', f: (a: AnnualRow) => a.itEnergyMwh / 8760 },
    { key: 'Facility (mean)', f: (a: AnnualRow) => a.facilityEnergyMwh / 8760 },
    { key: 'Facility (peak)', f: (a: AnnualRow) => a.peakFacilityKw / 1000 },
  ];
  const data = annual.flatMap((a) => series.map((s) => ({ year: a.year, series: s.key, mw: s.f(a) })));
  const chart = Plot.plot({
    width: o.width,
    height: o.height ?? 260,
    ...margin(o),
    x: yearAxis(
      annual.map((a) => a.year),
      o.width,
    ),
    y: { label: t('Power (MW)'), grid: true, zero: true },
    color: {
      legend: true,
      domain: series.map((s) => s.key),
      range: ['#1f6feb', '#d4711c', '#8a3ffc'],
    },
    marks: [
      Plot.lineY(data, { x: 'year', y: 'mw', stroke: 'series', strokeWidth: 2, marker: annual.length < 20 }),
      Plot.tip(data, Plot.pointerX({ x: 'year', y: 'mw', stroke: 'series', format: { mw: '.2f' } })),
      Plot.ruleY([0]),
    ],
  });
  const last = annual[annual.length - 1];
  return {
    id: 'chart-load',
    title: t('IT and facility load by year'),
    description: `Mean IT and facility power (annual energy ÷ 8,760 h) and the peak hourly facility power, in MW. In ${last.year}: IT ${formatNumber(last.itEnergyMwh / 8760, 2)} MW, facility ${formatNumber(last.facilityEnergyMwh / 8760, 2)} MW, peak ${formatNumber(last.peakFacilityKw / 1000, 2)} MW, PUE ${formatNumber(last.pue, 3)}.`,
    chart,
    table: {
      columns: [
        { key: 'year', label: 'Year', digits: 0 },
        fieldColumn(field('itEnergyMwh'), 'it', 0),
        fieldColumn(field('facilityEnergyMwh'), 'facility', 0),
        fieldColumn(field('pue'), 'pue', 3),
        fieldColumn(field('peakFacilityKw'), 'peak', 0),
        fieldColumn(field('wueLPerKwh'), 'wue', 3),
        fieldColumn(field('waterM3'), 'water', 0),
        fieldColumn(field('electricityCostCny'), 'cost', 0),
        fieldColumn(field('greenShare'), 'green', 1, '%'),
        fieldColumn(field('carbonLocationTco2'), 'co2', 0),
      ],
      rows: annual.map((a) => ({
        year: a.year,
        it: a.itEnergyMwh,
        facility: a.facilityEnergyMwh,
        pue: a.pue,
        peak: a.peakFacilityKw,
        wue: a.wueLPerKwh,
        water: a.waterM3,
        cost: a.electricityCostCny,
        green: a.greenShare * 100,
        co2: a.carbonLocationTco2,
      })),
    },
  };
}

const COST_PARTS: Array<{ key: keyof MonthlyCost; label: string; colour: string }> = [
  { key: 'valleyCny', label: 'valley energy', colour: '#2a9d8f' },
  { key: 'flatCny', label: 'flat energy', colour: '#8ab17d' },
  { key: 'peakCny', label: 'peak energy', colour: '#e76f51' },
  { key: 'criticalCny', label: 'critical-peak energy', colour: '#9d0208' },
  { key: 'capacityCny', label: 'capacity/demand charge', colour: '#6c757d' },
  { key: 'greenPremiumCny', label: 'green premium & certificates', colour: '#52b788' },
];

/** Monthly electricity cost stacked by TOU period, capacity/demand charge and green premiums. */
export function monthlyCostChart(focus: FocusView, cluster: ClusterResult, o: ChartOptions): FigureSpec {
  const biggest = Math.max(
    ...focus.monthlyCost.map((mc) => COST_PARTS.reduce((s, p) => s + (mc[p.key] as number), 0)),
  );
  const scale = biggest >= 1e7 ? 1e6 : 1e3;
  const data = focus.monthlyCost.flatMap((mc) =>
    COST_PARTS.map((p) => ({ month: MONTHS[mc.month - 1], part: p.label, kcny: mc[p.key] / scale })),
  );
  const chart = Plot.plot({
    width: o.width,
    height: o.height ?? 280,
    ...margin(o),
    x: { label: t('Month'), domain: MONTHS },
    y: { label: scale === 1e6 ? 'Cost (M CNY)' : 'Cost (thousand CNY)', grid: true },
    color: { legend: true, domain: COST_PARTS.map((p) => p.label), range: COST_PARTS.map((p) => p.colour) },
    marks: [
      Plot.barY(data, { x: 'month', y: 'kcny', fill: 'part', tip: { format: { kcny: ',.1f' } } }),
      Plot.ruleY([0]),
    ],
  });
  const annual = cluster.annual.find((a) => a.year === focus.year)!;
  const totals = COST_PARTS.map((p) => focus.monthlyCost.reduce((s, mc) => s + (mc[p.key] as number), 0));
  return {
    id: 'chart-monthly-cost',
    title: `${t('Monthly electricity cost by TOU period')} — ${cluster.name}, ${focus.year}`,
    description: `Energy charge of each month split by time-of-use period (in proportion to grid kWh × hourly price; the months add up to the engine's energy charge), plus the capacity/demand charge and green premiums (apportioned by green kWh). Year total ${formatNumber((annual.electricityCostCny + annual.greenCostCny) / 1e6, 2)} M CNY; ${COST_PARTS.map((p, i) => `${p.label} ${formatNumber(totals[i] / 1e6, 2)} M`).join(', ')}.`,
    chart,
    table: {
      columns: [
        { key: 'month', label: 'Month' },
        ...COST_PARTS.map((p) => ({ key: p.key, label: p.label, unit: 'CNY', digits: 0 })),
      ],
      rows: focus.monthlyCost.map((mc) => ({ ...mc, month: MONTHS[mc.month - 1] })),
    },
  };
}

const PERIODS = ['valley', 'flat', 'peak', 'critical'];
const PERIOD_COLOURS = ['#2a9d8f', '#cfe1b9', '#e76f51', '#9d0208'];

/** The tariff calendar: period of each hour of each month (12 × 24), with the all-in price. */
export function tariffChart(focus: FocusView, o: ChartOptions): FigureSpec {
  const cal = focus.calendar;
  const data = cal.weekday.flatMap((row, m) =>
    row.map((p, hr) => ({
      month: MONTHS[m],
      hour: hr,
      period: PERIODS[p],
      price: cal.pricesByMonthPeriod[m][hr],
    })),
  );
  const chart = Plot.plot({
    width: o.width,
    height: o.height ?? 300,
    ...margin(o),
    padding: 0.04,
    x: {
      label: t('Hour of day (local standard time)'),
      type: 'band',
      tickFormat: (h: number) => (h % 3 ? '' : String(h)),
    },
    y: { label: t('Month'), domain: MONTHS },
    color: { legend: true, domain: PERIODS, range: PERIOD_COLOURS },
    marks: [
      Plot.cell(data, {
        x: 'hour',
        y: 'month',
        fill: 'period',
        tip: { format: { price: '.4f', x: true, y: true, fill: true } },
        channels: { price: { value: 'price', label: 'Price (CNY/kWh)' } },
      }),
    ],
  });
  const status = cal.status === 'in-force' ? 'in force' : cal.status.toUpperCase();
  return {
    id: 'chart-tariff',
    title: `${t('Tariff calendar')} ${cal.id} — ${status}`,
    description: `${cal.label}; effective ${cal.effectiveFrom}; status ${status}${cal.status !== 'in-force' ? ' — results on this calendar carry a warning' : ''}. Cells show the period of each hour; the tooltip gives the all-in price in CNY/kWh for ${focus.year}${cal.incentive !== 'none' ? ` after the ${cal.incentive} incentive` : ''}.`,
    chart,
    notes: cal.status !== 'in-force' ? [`This calendar is a ${cal.status} text, not a rule in force.`] : [],
    table: {
      columns: [
        { key: 'month', label: 'Month' },
        ...Array.from({ length: 24 }, (_, hr) => ({ key: `h${hr}`, label: `${hr}:00` })),
      ],
      rows: cal.weekday.map((row, m) => {
        const r: Record<string, string> = { month: MONTHS[m] };
        row.forEach((p, hr) => {
          r[`h${hr}`] = `${PERIODS[p]} ${cal.pricesByMonthPeriod[m][hr].toFixed(4)}`;
        });
        return r;
      }),
    },
  };
}

/** Green share of supply by hour of day and by month (24×7 matching), with the 80 % line. */
export function greenChart(cluster: ClusterResult, o: ChartOptions): FigureSpec | null {
  const g = cluster.greenProfile;
  if (!g) return null;
  const byHour = g.byHourOfDay.map((v, h) => ({
    axis: 'hour of day',
    at: h,
    label: `${h}:00`,
    share: v * 100,
  }));
  const byMonth = g.byMonth.map((v, m) => ({ axis: 'month', at: m, label: MONTHS[m], share: v * 100 }));
  const panel = (data: typeof byHour, xLabel: string, domain: string[]) =>
    Plot.plot({
      width: o.width < 700 ? o.width : o.width / 2 - 8,
      height: 220,
      ...margin(o),
      x: {
        label: xLabel,
        domain,
        tickFormat: (d: string, i: number) => (domain.length > 12 && i % 3 ? '' : d),
      },
      y: { label: t('Green share (%)'), domain: [0, 100], grid: true },
      marks: [
        Plot.barY(data, { x: 'label', y: 'share', fill: '#52b788', tip: { format: { share: '.1f' } } }),
        Plot.ruleY([80], { stroke: '#cf222e', strokeDasharray: '4,3' }),
        Plot.text([80], {
          x: domain[0],
          y: (d: number) => d,
          text: () => '80 %',
          dy: -6,
          textAnchor: 'start',
          fill: '#cf222e',
        }),
      ],
    });
  const wrap = el('div', { class: 'chart-pair' });
  wrap.append(
    panel(
      byHour,
      'Hour of day',
      byHour.map((d) => d.label),
    ),
    panel(byMonth, 'Month', MONTHS),
  );
  return {
    id: 'chart-green',
    title: `${t('Green supply by hour of day and month')} — ${cluster.name}, ${g.year}`,
    description: `Share of facility energy met by green supply (on-site, stored green, contracted), matched hour by hour in ${g.year}. ${formatNumber(g.hoursAtLeast80, 0)} of 8,760 hours reach 80 %. Lowest hour of day ${pct(Math.min(...g.byHourOfDay), 0)}, highest ${pct(Math.max(...g.byHourOfDay), 0)}.`,
    chart: wrap,
    table: {
      columns: [
        { key: 'axis', label: 'By' },
        { key: 'label', label: 'Hour / month' },
        fieldColumn(field('greenShare'), 'share', 1, '%'),
      ],
      rows: [...byHour, ...byMonth],
    },
  };
}

/** Peak egress demand against outbound capacity, by year (Gbps). */
export function bandwidthChart(annual: AnnualRow[], o: ChartOptions): FigureSpec {
  const demand = annual
    .filter((a) => a.egressGbps !== null)
    .map((a) => ({ year: a.year, gbps: a.egressGbps!, series: 'peak egress demand' }));
  const cap = annual
    .filter((a) => a.outboundCapacityGbps !== null)
    .map((a) => ({ year: a.year, gbps: a.outboundCapacityGbps!, series: 'outbound capacity' }));
  const data = [...demand, ...cap];
  const chart = data.length
    ? Plot.plot({
        width: o.width,
        height: o.height ?? 240,
        ...margin(o),
        x: yearAxis(
          annual.map((a) => a.year),
          o.width,
        ),
        y: { label: t('Bandwidth (Gbps)'), grid: true, zero: true },
        color: {
          legend: true,
          domain: cap.length ? ['peak egress demand', 'outbound capacity'] : ['peak egress demand'],
          range: ['#1f6feb', '#cf222e'],
        },
        marks: [
          Plot.lineY(data, {
            x: 'year',
            y: 'gbps',
            stroke: 'series',
            strokeWidth: 2,
            marker: true,
            tip: true,
          }),
          Plot.ruleY([0]),
        ],
      })
    : el(
        'p',
        { class: 'empty' },
        'Egress is not computed: give network.gbpsPerStandardRack (and outboundCapacityGbps) to compare demand with capacity.',
      );
  const last = annual[annual.length - 1];
  return {
    id: 'chart-bandwidth',
    title: t('Outbound bandwidth: demand against capacity'),
    description: data.length
      ? `Peak egress = occupied standard racks × Gbps per rack × peak factor. ${last.year}: demand ${formatNumber(last.egressGbps ?? Number.NaN, 1)} Gbps, capacity ${last.outboundCapacityGbps === null ? 'not given' : `${formatNumber(last.outboundCapacityGbps, 0)} Gbps`}.`
      : 'Egress demand is not computed for this scenario.',
    chart,
    table: {
      columns: [
        { key: 'year', label: 'Year', digits: 0 },
        fieldColumn(field('egressGbps'), 'egress', 1),
        fieldColumn(field('outboundCapacityGbps'), 'cap', 0),
      ],
      rows: annual.map((a) => ({ year: a.year, egress: a.egressGbps, cap: a.outboundCapacityGbps })),
    },
  };
}

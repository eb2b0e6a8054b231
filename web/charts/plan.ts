import * as Plot from '@observablehq/plot';
import type { AnnualRow, ClusterResult } from '../../models/result.ts';
import { el } from '../dom.ts';
import type { DispatchView, FocusView, MonthlyCost } from '../engine-types.ts';
import { annual as field, fieldColumn, labelOf } from '../fields.ts';
import { formatNumber, pct } from '../format.ts';
import { monthNames, t, tf, unitText } from '../i18n.ts';
import type { FigureSpec } from './figure.ts';

/** Chart size defaults: width follows the container, capped for readability. */
export interface ChartOptions {
  width: number;
  height?: number;
}

/** Colours of series told apart by name (clusters): distinct in hue and lightness, colour-blind safe (Okabe–Ito). */
export const SERIES_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];

/** Chart text: 12 px, never below 11 px on a phone (charts are drawn at the width they are shown). */
export const PLOT_STYLE = { fontSize: '12px', fontFamily: 'inherit', overflow: 'visible' };

/** Month abbreviations, January first, in the page's language (axis labels and table rows). */
export const months = (): string[] => monthNames();
// room below the ticks for the axis label (Plot puts it at marginBottom − 3: 30 px met the tick labels)
const margin = (o: ChartOptions) => ({
  marginLeft: o.width < 500 ? 56 : 68,
  marginRight: 16,
  marginBottom: 42,
});

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
  const parts = [t('occupied'), t('vacant')];
  const data = annual.flatMap((a) => [
    { year: a.year, part: parts[0], racks: a.standardRacks * a.occupancy },
    { year: a.year, part: parts[1], racks: a.standardRacks * (1 - a.occupancy) },
  ]);
  const chart = Plot.plot({
    width: o.width,
    height: o.height ?? 260,
    style: PLOT_STYLE,
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
      label: `${labelOf(field('standardRacks'))} (${unitText(field('standardRacks').unit)})`,
      grid: true,
      nice: true,
      tickFormat: '~s',
    },
    color: { legend: true, domain: parts, range: ['#1f6feb', '#c9d7ee'] },
    marks: [
      Plot.barY(data, { x: 'year', y: 'racks', fill: 'part', tip: { format: { racks: ',.0f' } } }),
      Plot.ruleY([0]),
    ],
  });
  return {
    id: 'chart-racks',
    title: labelOf(field('racksInService')),
    description: `${t('Standard racks (2.5 kW equivalents) in service each year, split into occupied (上架率 × racks) and vacant.')} ${annual
      .filter((_, i) => i === 0 || i === annual.length - 1)
      .map((a) =>
        tf('{year}: {racks} racks, occupancy {occ}', {
          year: a.year,
          racks: formatNumber(a.standardRacks, 0),
          occ: pct(a.occupancy, 0),
        }),
      )
      .join(t('; '))}${t('.')}`,
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
    { key: t('IT (mean)'), f: (a: AnnualRow) => a.itEnergyMwh / 8760 },
    { key: t('Facility (mean)'), f: (a: AnnualRow) => a.facilityEnergyMwh / 8760 },
    { key: t('Facility (peak)'), f: (a: AnnualRow) => a.peakFacilityKw / 1000 },
  ];
  const data = annual.flatMap((a) => series.map((s) => ({ year: a.year, series: s.key, mw: s.f(a) })));
  const chart = Plot.plot({
    width: o.width,
    height: o.height ?? 260,
    style: PLOT_STYLE,
    ...margin(o),
    x: yearAxis(
      annual.map((a) => a.year),
      o.width,
    ),
    y: { label: t('Power (MW)'), grid: true, zero: true, nice: true },
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
    description: tf(
      'Mean IT and facility power (annual energy ÷ 8,760 h) and the peak hourly facility power, in MW. In {year}: IT {it} MW, facility {fac} MW, peak {peak} MW, PUE {pue}.',
      {
        year: last.year,
        it: formatNumber(last.itEnergyMwh / 8760, 2),
        fac: formatNumber(last.facilityEnergyMwh / 8760, 2),
        peak: formatNumber(last.peakFacilityKw / 1000, 2),
        pue: formatNumber(last.pue, 3),
      },
    ),
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
  const MONTHS = months();
  const biggest = Math.max(
    ...focus.monthlyCost.map((mc) => COST_PARTS.reduce((s, p) => s + (mc[p.key] as number), 0)),
  );
  const scale = biggest >= 1e7 ? 1e6 : 1e3;
  const data = focus.monthlyCost.flatMap((mc) =>
    COST_PARTS.map((p) => ({ month: MONTHS[mc.month - 1], part: t(p.label), kcny: mc[p.key] / scale })),
  );
  const chart = Plot.plot({
    width: o.width,
    height: o.height ?? 280,
    style: PLOT_STYLE,
    ...margin(o),
    x: { label: t('Month'), domain: MONTHS },
    y: { label: t(scale === 1e6 ? 'Cost (M CNY)' : 'Cost (thousand CNY)'), grid: true, nice: true },
    color: {
      legend: true,
      domain: COST_PARTS.map((p) => t(p.label)),
      range: COST_PARTS.map((p) => p.colour),
    },
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
    description: `${t(
      "Energy charge of each month split by time-of-use period (in proportion to grid kWh × hourly price; the months add up to the engine's energy charge), plus the capacity/demand charge and green premiums (apportioned by green kWh).",
    )} ${tf('Year total {total} M CNY', { total: formatNumber((annual.electricityCostCny + annual.greenCostCny) / 1e6, 2) })}${t('; ')}${COST_PARTS.map(
      (p, i) => `${t(p.label)} ${formatNumber(totals[i] / 1e6, 2)} ${unitText('M CNY')}`,
    ).join(t(', '))}${t('.')}`,
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
  const MONTHS = months();
  const periods = PERIODS.map((p) => t(p));
  const cal = focus.calendar;
  const data = cal.weekday.flatMap((row, m) =>
    row.map((p, hr) => ({
      month: MONTHS[m],
      hour: hr,
      period: periods[p],
      price: cal.pricesByMonthPeriod[m][hr],
    })),
  );
  const chart = Plot.plot({
    width: o.width,
    height: o.height ?? 300,
    style: PLOT_STYLE,
    ...margin(o),
    padding: 0.04,
    x: {
      label: t('Hour of day (local standard time)'),
      type: 'band',
      tickFormat: (h: number) => (h % 3 ? '' : String(h)),
    },
    y: { label: t('Month'), domain: MONTHS },
    color: { legend: true, domain: periods, range: PERIOD_COLOURS },
    marks: [
      Plot.cell(data, {
        x: 'hour',
        y: 'month',
        fill: 'period',
        tip: { format: { price: '.4f', x: true, y: true, fill: true } },
        channels: { price: { value: 'price', label: `${t('Price')} (${unitText('CNY/kWh')})` } },
      }),
    ],
  });
  const status = t(cal.status === 'in-force' ? 'in force' : cal.status);
  return {
    id: 'chart-tariff',
    title: `${t('Tariff calendar')} ${cal.id} — ${status}`,
    description: tf(
      'Effective {from}; status {status}. Cells show the TOU period of each hour; the tooltip gives the all-in price in CNY/kWh for {year}.',
      { from: cal.effectiveFrom, status, year: focus.year },
    ),
    chart,
    notes:
      cal.status !== 'in-force'
        ? [tf('This calendar is a {status} text, not a rule in force.', { status: t(cal.status) })]
        : [],
    table: {
      columns: [
        { key: 'month', label: 'Month' },
        ...Array.from({ length: 24 }, (_, hr) => ({ key: `h${hr}`, label: `${hr}:00` })),
      ],
      rows: cal.weekday.map((row, m) => {
        const r: Record<string, string> = { month: MONTHS[m] };
        row.forEach((p, hr) => {
          r[`h${hr}`] = `${periods[p]} ${cal.pricesByMonthPeriod[m][hr].toFixed(4)}`;
        });
        return r;
      }),
    },
  };
}

/** Green share of supply by hour of day and by month (24×7 matching), with the 80 % line. */
export function greenChart(cluster: ClusterResult, o: ChartOptions): FigureSpec | null {
  const MONTHS = months();
  const g = cluster.greenProfile;
  if (!g) return null;
  const byHour = g.byHourOfDay.map((v, h) => ({
    axis: t('hour of day'),
    at: h,
    label: `${h}:00`,
    share: v * 100,
  }));
  const byMonth = g.byMonth.map((v, m) => ({ axis: t('month'), at: m, label: MONTHS[m], share: v * 100 }));
  const panel = (data: typeof byHour, xLabel: string, domain: string[]) =>
    Plot.plot({
      width: o.width < 700 ? o.width : o.width / 2 - 8,
      height: 220,
      style: PLOT_STYLE,
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
      t('Hour of day'),
      byHour.map((d) => d.label),
    ),
    panel(byMonth, t('Month'), MONTHS),
  );
  return {
    id: 'chart-green',
    title: `${t('Green supply by hour of day and month')} — ${cluster.name}, ${g.year}`,
    description: tf(
      'Share of facility energy met by green supply (on-site, stored green, contracted), matched hour by hour in {year}. {hours} of 8,760 hours reach 80 %. Lowest hour of day {lo}, highest {hi}.',
      {
        year: g.year,
        hours: formatNumber(g.hoursAtLeast80, 0),
        lo: pct(Math.min(...g.byHourOfDay), 0),
        hi: pct(Math.max(...g.byHourOfDay), 0),
      },
    ),
    chart: wrap,
    legendItems: [{ label: t('Green share (%)'), colour: '#52b788' }],
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
  const names = [t('peak egress demand'), t('outbound capacity')];
  const demand = annual
    .filter((a) => a.egressGbps !== null)
    .map((a) => ({ year: a.year, gbps: a.egressGbps!, series: names[0] }));
  const cap = annual
    .filter((a) => a.outboundCapacityGbps !== null)
    .map((a) => ({ year: a.year, gbps: a.outboundCapacityGbps!, series: names[1] }));
  const data = [...demand, ...cap];
  const chart = data.length
    ? Plot.plot({
        width: o.width,
        height: o.height ?? 240,
        style: PLOT_STYLE,
        ...margin(o),
        x: yearAxis(
          annual.map((a) => a.year),
          o.width,
        ),
        y: { label: t('Bandwidth (Gbps)'), grid: true, zero: true, nice: true },
        color: {
          legend: true,
          domain: cap.length ? names : [names[0]],
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
        t(
          'Egress is not computed: give the egress per occupied standard rack (and the outbound capacity) under Network to compare demand with capacity.',
        ),
      );
  const last = annual[annual.length - 1];
  return {
    id: 'chart-bandwidth',
    title: t('Outbound bandwidth: demand against capacity'),
    description: data.length
      ? tf(
          'Peak egress = occupied standard racks × Gbps per rack × peak factor. {year}: demand {demand} Gbps, capacity {cap}.',
          {
            year: last.year,
            demand: formatNumber(last.egressGbps ?? Number.NaN, 1),
            cap:
              last.outboundCapacityGbps === null
                ? t('not given')
                : `${formatNumber(last.outboundCapacityGbps, 0)} Gbps`,
          },
        )
      : t('Egress demand is not computed for this scenario.'),
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

/** The parts of the dispatch chart: what meets the load (above zero) and where surplus goes (below). */
const DISPATCH_PARTS = [
  { key: 'pvKw', label: 'PV', colour: '#f2c14e', sign: 1 },
  { key: 'windKw', label: 'Wind', colour: '#4d9de0', sign: 1 },
  { key: 'dischargeKw', label: 'Battery discharge', colour: '#8a3ffc', sign: 1 },
  { key: 'contractedKw', label: 'Contracted green power', colour: '#52b788', sign: 1 },
  { key: 'gridKw', label: 'Other grid import', colour: '#8c959f', sign: 1 },
  { key: 'chargeKw', label: 'Battery charging', colour: '#c9a8ff', sign: -1 },
  { key: 'surplusKw', label: 'Exported or curtailed', colour: '#e9c46a', sign: -1 },
] as const;

/** The week (0–51) that holds an hour of the year; week 52 has the year's last day. */
export const weekOf = (hour: number): number => Math.min(51, Math.floor(hour / 168));

/**
 * One week of hourly dispatch, stacked: PV, wind, battery discharge, contracted green power and other
 * grid import meet the facility load (the black line); battery charging and surplus (export or
 * curtailment) below zero. In MW. The week is chosen with `week` (0 = from 1 January), by default
 * the one with the year's highest facility load.
 */
export function dispatchChart(
  d: DispatchView,
  cluster: ClusterResult,
  year: number,
  o: ChartOptions & { week?: number },
): FigureSpec {
  const week = o.week ?? weekOf(d.peakHour);
  const start = week * 168;
  const end = Math.min(8760, start + 168);
  const day0 = Date.UTC(year, 0, 1);
  const rows: Array<Record<string, number | string | null>> = [];
  const data: Array<{ hour: number; part: string; mw: number }> = [];
  const load: Array<{ hour: number; mw: number }> = [];
  const labels = DISPATCH_PARTS.map((p) => t(p.label));
  const sums = DISPATCH_PARTS.map(() => 0);
  for (let h = start; h < end; h++) {
    const row: Record<string, number | string | null> = {
      hour: h,
      time: new Date(day0 + h * 3600_000).toISOString().slice(0, 13).replace('T', ' '),
      load: d.loadKw[h] / 1000,
    };
    DISPATCH_PARTS.forEach((p, i) => {
      const mw = d[p.key][h] / 1000;
      row[p.key] = mw;
      sums[i] += mw;
      if (mw > 0) data.push({ hour: h - start, part: labels[i], mw: p.sign * mw });
    });
    load.push({ hour: h - start, mw: d.loadKw[h] / 1000 });
    rows.push(row);
  }
  const dayTicks = Array.from({ length: 8 }, (_, i) => i * 24);
  const dayName = (h: number) => {
    const date = new Date(day0 + (start + h) * 3600_000);
    return `${date.getUTCMonth() + 1}/${date.getUTCDate()}`;
  };
  const chart = Plot.plot({
    width: o.width,
    height: o.height ?? 300,
    style: PLOT_STYLE,
    ...margin(o),
    x: {
      label: t('Day (local standard time)'),
      ticks: dayTicks,
      tickFormat: dayName,
      domain: [0, end - start],
    },
    y: { label: t('Power (MW)'), grid: true, nice: true },
    color: { legend: true, domain: labels, range: DISPATCH_PARTS.map((p) => p.colour) },
    marks: [
      Plot.areaY(data, {
        x: 'hour',
        y: 'mw',
        fill: 'part',
        curve: 'step-after',
        order: labels,
      }),
      Plot.lineY(load, { x: 'hour', y: 'mw', stroke: '#1d2430', strokeWidth: 1.5, curve: 'step-after' }),
      Plot.ruleY([0]),
      Plot.tip(load, Plot.pointerX({ x: 'hour', y: 'mw', format: { mw: '.2f', x: false } })),
    ],
  });
  const first = new Date(day0 + start * 3600_000).toISOString().slice(0, 10);
  const lastDay = new Date(day0 + (end - 1) * 3600_000).toISOString().slice(0, 10);
  const mwh = (i: number) => formatNumber(sums[i], 0);
  return {
    id: 'chart-dispatch',
    title: `${t('Hourly dispatch')} — ${cluster.name}, ${first} – ${lastDay}`,
    description: `${
      d.annualShareOnly
        ? t(
            'This scenario buys its green share on the year’s energy (no on-site supply, storage or contract hour by hour): the grid meets every hour.',
          )
        : t(
            'What meets the facility load (black line) each hour of the week: on-site PV and wind, battery discharge, contracted green power and other grid import; battery charging and surplus (exported or curtailed) below zero.',
          )
    } ${tf('Week total, MWh: {parts}.', {
      parts: DISPATCH_PARTS.map((_, i) => `${labels[i]} ${mwh(i)}`).join(t(', ')),
    })}`,
    chart,
    table: {
      columns: [
        { key: 'time', label: 'Hour (local standard time)' },
        { key: 'load', label: 'Facility load', unit: 'MW', digits: 3 },
        ...DISPATCH_PARTS.map((p) => ({ key: p.key, label: p.label, unit: 'MW', digits: 3 })),
      ],
      rows,
    },
  };
}

import * as Plot from '@observablehq/plot';
import * as d3 from 'd3';
import { monthOfHour } from '../../models/calendar.ts';
import type { AnnualRow, ClusterResult } from '../../models/result.ts';
import { cite, el } from '../dom.ts';
import type { FocusView, MonthlyCost } from '../engine-types.ts';
import { formatNumber, pct } from '../format.ts';
import { t } from '../i18n.ts';
import type { FigureSpec } from './figure.ts';

/** Chart size defaults: width follows the container, capped for readability. */
export interface ChartOptions {
  width: number;
  height?: number;
}

/** A target check as the result carries it. */
type TargetCheck = ClusterResult['targets'][number];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const margin = (o: ChartOptions) => ({ marginLeft: o.width < 500 ? 52 : 64, marginRight: 16 });

/** Whole-year ticks: every year up to 12 years, then every 2nd, 5th or 10th. */
/** A linear year axis with whole-year ticks (see `yearTicks`). */
export function yearAxis(years: number[], width: number) {
  return { label: t('Year'), tickFormat: 'd', ticks: yearTicks(years, width) };
}

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
    y: { label: t('Standard racks (2.5 kW)'), grid: true, tickFormat: '~s' },
    color: { legend: true, domain: ['occupied', 'vacant'], range: ['#1f6feb', '#c9d7ee'] },
    marks: [
      Plot.barY(data, { x: 'year', y: 'racks', fill: 'part', tip: { format: { racks: ',.0f' } } }),
      Plot.ruleY([0]),
    ],
  });
  return {
    id: 'chart-racks',
    title: t('Racks in service'),
    description: `Standard racks (2.5 kW equivalents) in service each year, split into occupied (上架率 × racks) and vacant. ${annual
      .filter((_, i) => i === 0 || i === annual.length - 1)
      .map((a) => `${a.year}: ${formatNumber(a.standardRacks, 0)} racks, occupancy ${pct(a.occupancy, 0)}`)
      .join('; ')}.`,
    chart,
    table: {
      columns: [
        { key: 'year', label: 'Year', digits: 0 },
        { key: 'racksInService', label: 'Racks in service', unit: 'racks', digits: 0 },
        { key: 'standardRacks', label: 'Standard racks (2.5 kW)', unit: 'std racks', digits: 0 },
        { key: 'occupancy', label: 'Occupancy (上架率)', unit: '%', digits: 1 },
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
        { key: 'it', label: 'IT energy', unit: 'MWh', digits: 0 },
        { key: 'facility', label: 'Facility energy', unit: 'MWh', digits: 0 },
        { key: 'pue', label: 'PUE', digits: 3 },
        { key: 'peak', label: 'Peak facility power', unit: 'kW', digits: 0 },
        { key: 'wue', label: 'WUE', unit: 'L/kWh', digits: 3 },
        { key: 'water', label: 'Site water', unit: 'm³', digits: 0 },
        { key: 'cost', label: 'Electricity cost', unit: 'CNY', digits: 0 },
        { key: 'green', label: 'Green share', unit: '%', digits: 1 },
        { key: 'co2', label: 'Carbon, location-based', unit: 'tCO2', digits: 0 },
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

const MODE_NAMES = ['mechanical', 'partial', 'free'];
const MONTH_OF_HOUR = monthOfHour();
const MODE_COLOURS = ['#d4711c', '#e9c46a', '#2a9d8f'];

/** Draw day × hour cells of a series into a data-URL image (8,760 SVG rects would be slow to draw). */
function cellsImage(n: number, rgb: (i: number) => [number, number, number]): string {
  const canvas = document.createElement('canvas');
  canvas.width = 365;
  canvas.height = 24;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(365, 24);
  for (let i = 0; i < n && i < 8760; i++) {
    const [r, g, b] = rgb(i);
    const at = ((i % 24) * 365 + Math.floor(i / 24)) * 4;
    img.data[at] = r;
    img.data[at + 1] = g;
    img.data[at + 2] = b;
    img.data[at + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL('image/png');
}

/** A colour scale as a 256-entry RGB look-up table over [lo, hi]. */
function rgbTable(colour: (v: number) => string, lo: number, hi: number): Array<[number, number, number]> {
  return Array.from({ length: 256 }, (_, k) => {
    const c = d3.rgb(colour(lo + ((hi - lo) * k) / 255));
    return [c.r, c.g, c.b] as [number, number, number];
  });
}

/** Hourly PUE heat map (day of year × hour of day) above the cooling mode of each hour. */
export function pueHeatmap(focus: FocusView, clusterName: string, o: ChartOptions): FigureSpec {
  const w = o.width;
  const m = { left: 44, right: 12, top: 8, bottom: 30, gap: 34 };
  const panel = Math.max(90, Math.min(170, (w - m.left - m.right) * 0.32));
  const h = m.top + panel + m.gap + panel * 0.5 + m.bottom + 36;
  const x = d3.scaleLinear([0, 365], [m.left, w - m.right]);
  const yP = d3.scaleLinear([0, 24], [m.top, m.top + panel]);
  const top2 = m.top + panel + m.gap;
  const yM = d3.scaleLinear([0, 24], [top2, top2 + panel * 0.5]);
  const finite = Array.from(focus.pue).filter(Number.isFinite);
  const lo = d3.quantile(finite, 0.01) ?? 1;
  const hi = d3.quantile(finite, 0.99) ?? 1.5;
  const colour = d3.scaleSequential(d3.interpolateYlOrRd).domain([lo, hi]).clamp(true);
  const svg = d3
    .create('svg')
    .attr('viewBox', `0 0 ${w} ${h}`)
    .attr('width', w)
    .attr('height', h)
    .attr('style', 'max-width:100%;height:auto;font:11px system-ui,sans-serif');
  const img = (top: number, height: number, href: string) =>
    svg
      .append('image')
      .attr('x', m.left)
      .attr('y', top)
      .attr('width', w - m.left - m.right)
      .attr('height', height)
      .attr('preserveAspectRatio', 'none')
      .attr('style', 'image-rendering:pixelated')
      .attr('href', href);
  const lut = rgbTable(colour, lo, hi);
  const grey: [number, number, number] = [238, 238, 238];
  const span = hi > lo ? 255 / (hi - lo) : 0;
  img(
    m.top,
    panel,
    cellsImage(focus.pue.length, (i) => {
      const v = focus.pue[i];
      return Number.isFinite(v) ? lut[Math.max(0, Math.min(255, Math.round((v - lo) * span)))] : grey;
    }),
  );
  const modeRgb = MODE_COLOURS.map((c) => {
    const x = d3.rgb(c);
    return [x.r, x.g, x.b] as [number, number, number];
  });
  img(
    top2,
    panel * 0.5,
    cellsImage(focus.coolingMode.length, (i) => modeRgb[focus.coolingMode[i]] ?? grey),
  );
  const monthStarts = d3.cumsum([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30]);
  const xAxis = d3
    .axisBottom(x)
    .tickValues(Array.from(monthStarts))
    .tickFormat((_d, i) => MONTHS[i]);
  svg
    .append('g')
    .attr('transform', `translate(0,${top2 + panel * 0.5})`)
    .call(xAxis);
  svg
    .append('g')
    .attr('transform', `translate(${m.left},0)`)
    .call(d3.axisLeft(yP).tickValues([0, 6, 12, 18, 24]));
  svg
    .append('g')
    .attr('transform', `translate(${m.left},0)`)
    .call(d3.axisLeft(yM).tickValues([0, 12, 24]));
  svg
    .append('text')
    .attr('x', m.left)
    .attr('y', top2 - 6)
    .attr('font-weight', 600)
    .text('Cooling mode of each hour');
  svg
    .append('text')
    .attr('transform', `translate(12,${m.top + panel / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text('Hour of day');
  svg
    .append('text')
    .attr('x', (m.left + w - m.right) / 2)
    .attr('y', top2 + panel * 0.5 + 28)
    .attr('text-anchor', 'middle')
    .text('Day of year (month starts)');
  // legends: PUE ramp and mode swatches
  const ly = h - 14;
  const ramp = 140;
  const grad = svg.append('defs').append('linearGradient').attr('id', 'pue-ramp');
  for (let i = 0; i <= 10; i++)
    grad
      .append('stop')
      .attr('offset', `${i * 10}%`)
      .attr('stop-color', colour(lo + ((hi - lo) * i) / 10));
  svg
    .append('rect')
    .attr('x', m.left + 40)
    .attr('y', ly - 9)
    .attr('width', ramp)
    .attr('height', 10)
    .attr('fill', 'url(#pue-ramp)');
  svg.append('text').attr('x', m.left).attr('y', ly).text('PUE');
  svg
    .append('text')
    .attr('x', m.left + 40)
    .attr('y', ly + 12)
    .attr('font-size', 9)
    .text(formatNumber(lo, 2));
  svg
    .append('text')
    .attr('x', m.left + 40 + ramp)
    .attr('y', ly + 12)
    .attr('font-size', 9)
    .attr('text-anchor', 'end')
    .text(formatNumber(hi, 2));
  MODE_NAMES.forEach((name, i) => {
    const x0 = m.left + 200 + i * 90;
    if (x0 + 80 > w) return;
    svg
      .append('rect')
      .attr('x', x0)
      .attr('y', ly - 9)
      .attr('width', 10)
      .attr('height', 10)
      .attr('fill', MODE_COLOURS[i]);
    svg
      .append('text')
      .attr('x', x0 + 14)
      .attr('y', ly)
      .text(name);
  });
  // tooltip
  const tip = svg.append('g').attr('class', 'tip').attr('display', 'none');
  const tipBox = tip.append('rect').attr('fill', '#fff').attr('stroke', '#888').attr('rx', 3);
  const tipText = tip.append('text').attr('font-size', 11);
  const day0 = Date.UTC(focus.year, 0, 1);
  svg.on('pointermove', (ev: PointerEvent) => {
    const [px, py] = d3.pointer(ev);
    const inP = py >= m.top && py < m.top + panel;
    const inM = py >= top2 && py < top2 + panel * 0.5;
    if (px < m.left || px > w - m.right || !(inP || inM)) {
      tip.attr('display', 'none');
      return;
    }
    const day = Math.min(364, Math.floor(x.invert(px)));
    const hour = Math.min(23, Math.floor((inP ? yP : yM).invert(py)));
    const i = day * 24 + hour;
    const date = new Date(day0 + day * 86400000).toISOString().slice(0, 10);
    const text = `${date} ${String(hour).padStart(2, '0')}:00 · PUE ${formatNumber(focus.pue[i], 3)} · ${MODE_NAMES[focus.coolingMode[i]]}`;
    tipText.text(text);
    const tw = text.length * 5.8 + 10;
    const tx = Math.min(px + 10, w - tw - 2);
    tip.attr('display', null).attr('transform', `translate(${tx},${Math.max(py - 26, 2)})`);
    tipBox.attr('width', tw).attr('height', 18);
    tipText.attr('x', 5).attr('y', 13);
  });
  svg.on('pointerleave', () => tip.attr('display', 'none'));
  const node = svg.node()!;
  // table: monthly mean PUE by hour; the CSV has all 8,760 hours
  const sums = Array.from({ length: 12 }, () => new Float64Array(24));
  const counts = Array.from({ length: 12 }, () => new Float64Array(24));
  const modeHours = [0, 0, 0];
  for (let i = 0; i < focus.pue.length; i++) {
    modeHours[focus.coolingMode[i]]++;
    if (!Number.isFinite(focus.pue[i])) continue;
    sums[MONTH_OF_HOUR[i]][i % 24] += focus.pue[i];
    counts[MONTH_OF_HOUR[i]][i % 24]++;
  }
  const cols = [
    { key: 'month', label: 'Month' },
    ...Array.from({ length: 24 }, (_, hr) => ({ key: `h${hr}`, label: `${hr}:00`, digits: 3 })),
  ];
  return {
    id: 'chart-pue-heatmap',
    title: `${t('Hourly PUE and cooling mode')} — ${clusterName}, ${focus.year}`,
    description: `Each pixel is one hour of ${focus.year}: columns are days, rows are hours of the day. PUE ranges from ${formatNumber(lo, 3)} to ${formatNumber(hi, 3)} (1st–99th percentile). Cooling mode hours: ${modeHours[2]} free, ${modeHours[1]} partial, ${modeHours[0]} mechanical.`,
    chart: node,
    table: {
      columns: cols,
      rows: sums.map((row, mi) => {
        const r: Record<string, number | string | null> = { month: MONTHS[mi] };
        row.forEach((s, hr) => {
          r[`h${hr}`] = counts[mi][hr] ? s / counts[mi][hr] : null;
        });
        return r;
      }),
    },
    csv: () => ({
      columns: [
        { key: 'hour', label: 'Hour of year' },
        { key: 'date', label: 'Date' },
        { key: 'hourOfDay', label: 'Hour of day' },
        { key: 'pue', label: 'PUE' },
        { key: 'mode', label: 'Cooling mode' },
      ],
      rows: Array.from(focus.pue, (p, i) => ({
        hour: i,
        date: new Date(day0 + Math.floor(i / 24) * 86400000).toISOString().slice(0, 10),
        hourOfDay: i % 24,
        pue: Number.isFinite(p) ? Number(p.toFixed(5)) : null,
        mode: MODE_NAMES[focus.coolingMode[i]],
      })),
    }),
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
        { key: 'share', label: 'Green share', unit: '%', digits: 1 },
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
        { key: 'egress', label: 'Peak egress demand', unit: 'Gbps', digits: 1 },
        { key: 'cap', label: 'Outbound capacity', unit: 'Gbps', digits: 0 },
      ],
      rows: annual.map((a) => ({ year: a.year, egress: a.egressGbps, cap: a.outboundCapacityGbps })),
    },
  };
}

/** One row per target: the worst value against the limit, the years missed and by how much. */
export interface ScoreRow {
  id: string;
  metric: string;
  label: string;
  source: string;
  grade: string;
  unit: string;
  limit: number;
  comparator: string;
  status: 'met' | 'missed' | 'not computed';
  worst: number | null;
  yearsMissed: number[];
  yearsNotComputed: number[];
  gap: number | null;
}

/** Group target checks by id: a target is met only when every computed year meets it. */
export function scorecard(targets: TargetCheck[]): ScoreRow[] {
  const ids = [...new Set(targets.map((x) => x.id))];
  return ids.map((id) => {
    const all = targets.filter((x) => x.id === id);
    const first = all[0];
    const computed = all.filter((x) => x.value !== null && x.met !== null);
    const missed = computed.filter((x) => x.met === false);
    const upper = first.comparator.startsWith('<');
    const worstOf = (xs: TargetCheck[]) =>
      xs.length
        ? upper
          ? Math.max(...xs.map((x) => x.value!))
          : Math.min(...xs.map((x) => x.value!))
        : null;
    const worst = worstOf(computed);
    return {
      id,
      metric: first.metric,
      label: first.label,
      source: first.source,
      grade: first.grade,
      unit: first.unit,
      limit: first.limit,
      comparator: first.comparator,
      status: computed.length === 0 ? 'not computed' : missed.length ? 'missed' : 'met',
      worst,
      yearsMissed: missed.map((x) => x.year),
      yearsNotComputed: all.filter((x) => x.value === null || x.met === null).map((x) => x.year),
      gap: missed.length && worst !== null ? worst - first.limit : null,
    };
  });
}

function yearsText(ys: number[]): string {
  if (!ys.length) return '';
  const runs: string[] = [];
  let start = ys[0];
  let prev = ys[0];
  for (const y of [...ys.slice(1), Number.NaN]) {
    if (y === prev + 1) {
      prev = y;
      continue;
    }
    runs.push(start === prev ? String(start) : `${start}–${prev}`);
    start = y;
    prev = y;
  }
  return runs.join(', ');
}

const SHARES = new Set(['occupancy', 'greenShare']);
const SYMBOL: Record<string, string> = { '<=': '≤', '<': '<', '>=': '≥', '>': '>' };

/** A target value in its unit: shares as percentages, grades as numbers, others with their unit. */
function fmtTarget(v: number | null, r: Pick<ScoreRow, 'metric' | 'unit'>, signed = false): string {
  if (v === null) return '—';
  const sign = signed && v > 0 ? '+' : '';
  if (SHARES.has(r.metric)) return `${sign}${formatNumber(v * 100, 1)}${signed ? ' pp' : ' %'}`;
  if (r.metric === 'pue') return `${sign}${formatNumber(v, 3)}`;
  return `${sign}${formatNumber(v)}${r.unit ? ` ${r.unit}` : ''}`;
}

/** The target scorecard as an accessible table: status words, never colour alone. */
export function scorecardTable(rows: ScoreRow[]): HTMLElement {
  const wrap = el('div', {
    class: 'table-wrap',
    tabindex: '0',
    role: 'region',
    'aria-label': t('Target scorecard'),
  });
  const table = el('table', { class: 'scorecard' });
  table.append(el('caption', {}, t('Target scorecard')));
  const head = el('tr');
  for (const h of ['Status', 'Target', 'Limit', 'Worst value', 'Years missed (by how much)', 'Source'])
    head.append(el('th', { scope: 'col' }, t(h)));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr', { 'data-target': r.id });
    const badge = el('span', { class: `badge ${r.status.replace(' ', '-')}` }, t(r.status));
    tr.append(
      el('td', {}, badge),
      el('td', {}, r.label),
      el('td', { class: 'num' }, `${SYMBOL[r.comparator] ?? r.comparator} ${fmtTarget(r.limit, r)}`),
      el('td', { class: 'num' }, r.status === 'not computed' ? t('not computed') : fmtTarget(r.worst, r)),
      el(
        'td',
        {},
        r.yearsMissed.length
          ? `${yearsText(r.yearsMissed)} (${fmtTarget(r.gap, r, true)})`
          : r.yearsNotComputed.length
            ? `${t('not computed')}: ${yearsText(r.yearsNotComputed)}`
            : '—',
      ),
      el('td', { class: 'src' }, ...cite(`${r.source} [${r.grade}]`)),
    );
    body.append(tr);
  }
  table.append(body);
  wrap.append(table);
  return wrap;
}

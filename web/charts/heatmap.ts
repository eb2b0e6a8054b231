import * as d3 from 'd3';
import { monthOfHour } from '../../models/calendar.ts';
import type { FocusView } from '../engine-types.ts';
import { formatNumber } from '../format.ts';
import { t, tf } from '../i18n.ts';
import type { FigureSpec, TableData } from './figure.ts';
import { type ChartOptions, months } from './plan.ts';

const MODE_NAMES = ['mechanical', 'partial', 'free'];
const modeName = (i: number) => t(MODE_NAMES[i] ?? '');
const MONTH_OF_HOUR = monthOfHour();
const MODE_COLOURS = ['#d4711c', '#e9c46a', '#2a9d8f'];

type Rgb = [number, number, number];
type Svg = d3.Selection<SVGSVGElement, undefined, null, undefined>;

/** Geometry of the heat map: the PUE panel above the cooling-mode panel, sharing the day axis. */
interface HeatmapLayout {
  w: number;
  h: number;
  m: { left: number; right: number; top: number; bottom: number; gap: number };
  /** Height of the PUE panel (the mode panel is half as high). */
  panel: number;
  /** Top of the mode panel. */
  top2: number;
  x: d3.ScaleLinear<number, number>;
  yP: d3.ScaleLinear<number, number>;
  yM: d3.ScaleLinear<number, number>;
}

/** The PUE colour scale over the 1st–99th percentile of the year's hours. */
interface PueScale {
  lo: number;
  hi: number;
  colour: d3.ScaleSequential<string>;
}

/** Draw day × hour cells of a series into a data-URL image (8,760 SVG rects would be slow to draw). */
function cellsImage(n: number, rgb: (i: number) => Rgb): string {
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
function rgbTable(colour: (v: number) => string, lo: number, hi: number): Rgb[] {
  return Array.from({ length: 256 }, (_, k) => {
    const c = d3.rgb(colour(lo + ((hi - lo) * k) / 255));
    return [c.r, c.g, c.b] as Rgb;
  });
}

/** Panel sizes and scales of the heat map for a chart width. */
function heatmapLayout(w: number): HeatmapLayout {
  const m = { left: 44, right: 12, top: 8, bottom: 30, gap: 34 };
  const panel = Math.max(90, Math.min(170, (w - m.left - m.right) * 0.32));
  const h = m.top + panel + m.gap + panel * 0.5 + m.bottom + (w < 560 ? 60 : 38);
  const x = d3.scaleLinear([0, 365], [m.left, w - m.right]);
  const yP = d3.scaleLinear([0, 24], [m.top, m.top + panel]);
  const top2 = m.top + panel + m.gap;
  const yM = d3.scaleLinear([0, 24], [top2, top2 + panel * 0.5]);
  return { w, h, m, panel, top2, x, yP, yM };
}

/** The PUE colour scale, clamped to the 1st–99th percentile of the finite hourly values. */
function pueScale(pue: FocusView['pue']): PueScale {
  const finite = Array.from(pue).filter(Number.isFinite);
  const lo = d3.quantile(finite, 0.01) ?? 1;
  const hi = d3.quantile(finite, 0.99) ?? 1.5;
  const colour = d3.scaleSequential(d3.interpolateYlOrRd).domain([lo, hi]).clamp(true);
  return { lo, hi, colour };
}

/** The two cell images: hourly PUE in the top panel, the cooling mode of each hour below. */
function drawCells(svg: Svg, l: HeatmapLayout, focus: FocusView, s: PueScale): void {
  const { m, w } = l;
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
  const { lo, hi } = s;
  const lut = rgbTable(s.colour, lo, hi);
  const grey: Rgb = [238, 238, 238];
  const span = hi > lo ? 255 / (hi - lo) : 0;
  img(
    m.top,
    l.panel,
    cellsImage(focus.pue.length, (i) => {
      const v = focus.pue[i];
      return Number.isFinite(v) ? lut[Math.max(0, Math.min(255, Math.round((v - lo) * span)))] : grey;
    }),
  );
  const modeRgb = MODE_COLOURS.map((c) => {
    const x = d3.rgb(c);
    return [x.r, x.g, x.b] as Rgb;
  });
  const hours = modeHours(focus);
  const only = hours.indexOf(focus.coolingMode.length);
  if (only >= 0) {
    // one mode all year: a solid band says nothing — say it in words on the mode's colour
    svg
      .append('rect')
      .attr('x', m.left)
      .attr('y', l.top2)
      .attr('width', w - m.left - m.right)
      .attr('height', l.panel * 0.5)
      .attr('fill', MODE_COLOURS[only])
      .attr('fill-opacity', 0.35);
    svg
      .append('text')
      .attr('class', 'mode-note')
      .attr('x', (m.left + w - m.right) / 2)
      .attr('y', l.top2 + l.panel * 0.25 + 5)
      .attr('text-anchor', 'middle')
      .attr('font-weight', 600)
      .text(
        t(
          [
            'Mechanical cooling every hour of the year',
            'Partial free cooling every hour of the year',
            'Free cooling every hour of the year',
          ][only],
        ),
      );
    return;
  }
  img(
    l.top2,
    l.panel * 0.5,
    cellsImage(focus.coolingMode.length, (i) => modeRgb[focus.coolingMode[i]] ?? grey),
  );
}

/** The month axis under both panels, the hour axes beside them, and the axis titles. */
function drawAxes(svg: Svg, l: HeatmapLayout): void {
  const { m, w, panel, top2 } = l;
  const monthStarts = d3.cumsum([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30]);
  const xAxis = d3
    .axisBottom(l.x)
    .tickValues(Array.from(monthStarts))
    .tickFormat((_d, i) => months()[i]);
  svg
    .append('g')
    .attr('transform', `translate(0,${top2 + panel * 0.5})`)
    .call(xAxis)
    .attr('font-size', 12);
  svg
    .append('g')
    .attr('transform', `translate(${m.left},0)`)
    .call(d3.axisLeft(l.yP).tickValues([0, 6, 12, 18, 24]))
    .attr('font-size', 12);
  svg
    .append('g')
    .attr('transform', `translate(${m.left},0)`)
    .call(d3.axisLeft(l.yM).tickValues([0, 12, 24]))
    .attr('font-size', 12);
  svg
    .append('text')
    .attr('x', m.left)
    .attr('y', top2 - 6)
    .attr('font-weight', 600)
    .text(t('Cooling mode of each hour'));
  svg
    .append('text')
    .attr('transform', `translate(12,${m.top + panel / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(t('Hour of day'));
  svg
    .append('text')
    .attr('x', (m.left + w - m.right) / 2)
    .attr('y', top2 + panel * 0.5 + 28)
    .attr('text-anchor', 'middle')
    .text(t('Day of year (month starts)'));
}

/** The legends along the bottom: the PUE colour ramp with its range, then the cooling-mode swatches. */
function drawLegends(svg: Svg, l: HeatmapLayout, s: PueScale): void {
  const { m, w } = l;
  const { lo, hi, colour } = s;
  const ly = l.h - 14;
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
    .attr('y', ly + 13)
    .text(formatNumber(lo, 2));
  svg
    .append('text')
    .attr('x', m.left + 40 + ramp)
    .attr('y', ly + 13)
    .attr('text-anchor', 'end')
    .text(formatNumber(hi, 2));
  // the cooling-mode swatches: beside the ramp where they fit, else on a row of their own above it
  const wide = m.left + 200 + 3 * 100 <= w;
  MODE_NAMES.forEach((_, i) => {
    const x0 = wide ? m.left + 200 + i * 100 : m.left + i * 100;
    const y0 = wide ? ly : ly - 22;
    svg
      .append('rect')
      .attr('x', x0)
      .attr('y', y0 - 9)
      .attr('width', 10)
      .attr('height', 10)
      .attr('fill', MODE_COLOURS[i]);
    svg
      .append('text')
      .attr('x', x0 + 14)
      .attr('y', y0)
      .text(modeName(i));
  });
}

/** A tooltip that follows the pointer over either panel: date, hour, PUE and cooling mode. */
function addTooltip(svg: Svg, l: HeatmapLayout, focus: FocusView): void {
  const { m, w, panel, top2 } = l;
  const tip = svg.append('g').attr('class', 'tip').attr('display', 'none');
  const tipBox = tip.append('rect').attr('fill', '#fff').attr('stroke', '#888').attr('rx', 3);
  const tipText = tip.append('text').attr('font-size', 12);
  const day0 = Date.UTC(focus.year, 0, 1);
  svg.on('pointermove', (ev: PointerEvent) => {
    const [px, py] = d3.pointer(ev);
    const inP = py >= m.top && py < m.top + panel;
    const inM = py >= top2 && py < top2 + panel * 0.5;
    if (px < m.left || px > w - m.right || !(inP || inM)) {
      tip.attr('display', 'none');
      return;
    }
    const day = Math.min(364, Math.floor(l.x.invert(px)));
    const hour = Math.min(23, Math.floor((inP ? l.yP : l.yM).invert(py)));
    const i = day * 24 + hour;
    const date = new Date(day0 + day * 86400000).toISOString().slice(0, 10);
    const text = `${date} ${String(hour).padStart(2, '0')}:00 · PUE ${formatNumber(focus.pue[i], 3)} · ${modeName(focus.coolingMode[i])}`;
    tipText.text(text);
    const tw = text.length * (/[\u3000-\u9fff]/.test(text) ? 8 : 6.4) + 10;
    const tx = Math.min(px + 10, w - tw - 2);
    tip.attr('display', null).attr('transform', `translate(${tx},${Math.max(py - 26, 2)})`);
    tipBox.attr('width', tw).attr('height', 18);
    tipText.attr('x', 5).attr('y', 13);
  });
  svg.on('pointerleave', () => tip.attr('display', 'none'));
}

/** Hours spent in each cooling mode (mechanical, partial, free). */
function modeHours(focus: FocusView): number[] {
  const hours = [0, 0, 0];
  for (let i = 0; i < focus.pue.length; i++) hours[focus.coolingMode[i]]++;
  return hours;
}

/** The figure's table: monthly mean PUE by hour of day. */
function monthlyPueTable(focus: FocusView): TableData {
  const sums = Array.from({ length: 12 }, () => new Float64Array(24));
  const counts = Array.from({ length: 12 }, () => new Float64Array(24));
  for (let i = 0; i < focus.pue.length; i++) {
    if (!Number.isFinite(focus.pue[i])) continue;
    sums[MONTH_OF_HOUR[i]][i % 24] += focus.pue[i];
    counts[MONTH_OF_HOUR[i]][i % 24]++;
  }
  const cols = [
    { key: 'month', label: 'Month' },
    ...Array.from({ length: 24 }, (_, hr) => ({ key: `h${hr}`, label: `${hr}:00`, digits: 3 })),
  ];
  return {
    columns: cols,
    rows: sums.map((row, mi) => {
      const r: Record<string, number | string | null> = { month: months()[mi] };
      row.forEach((s, hr) => {
        r[`h${hr}`] = counts[mi][hr] ? s / counts[mi][hr] : null;
      });
      return r;
    }),
  };
}

/** The figure's CSV: all 8,760 hours with date, hour of day, PUE and cooling mode. */
function hourlyPueCsv(focus: FocusView): TableData {
  const day0 = Date.UTC(focus.year, 0, 1);
  return {
    columns: [
      { key: 'hour', label: 'Hour of year', digits: 0 },
      { key: 'date', label: 'Date' },
      { key: 'hourOfDay', label: 'Hour of day', digits: 0 },
      { key: 'pue', label: 'PUE', digits: 4 },
      { key: 'mode', label: 'Cooling mode' },
    ],
    rows: Array.from(focus.pue, (p, i) => ({
      hour: i,
      date: new Date(day0 + Math.floor(i / 24) * 86400000).toISOString().slice(0, 10),
      hourOfDay: i % 24,
      pue: Number.isFinite(p) ? p : null,
      mode: modeName(focus.coolingMode[i]),
    })),
  };
}

/** Hourly PUE heat map (day of year × hour of day) above the cooling mode of each hour. */
export function pueHeatmap(focus: FocusView, clusterName: string, o: ChartOptions): FigureSpec {
  const l = heatmapLayout(o.width);
  const s = pueScale(focus.pue);
  const svg = d3
    .create('svg')
    .attr('viewBox', `0 0 ${l.w} ${l.h}`)
    .attr('width', l.w)
    .attr('height', l.h)
    .attr('style', 'max-width:100%;height:auto;font:12px system-ui,"Noto Sans CJK SC",sans-serif');
  drawCells(svg, l, focus, s);
  drawAxes(svg, l);
  drawLegends(svg, l, s);
  addTooltip(svg, l, focus);
  const modes = modeHours(focus);
  return {
    id: 'chart-pue-heatmap',
    title: `${t('Hourly PUE and cooling mode')} — ${clusterName}, ${focus.year}`,
    description: tf(
      'Each pixel is one hour of {year}: columns are days, rows are hours of the day. PUE ranges from {lo} to {hi} (1st–99th percentile). Cooling mode hours: {free} free, {partial} partial, {mech} mechanical.',
      {
        year: focus.year,
        lo: formatNumber(s.lo, 3),
        hi: formatNumber(s.hi, 3),
        free: formatNumber(modes[2], 0),
        partial: formatNumber(modes[1], 0),
        mech: formatNumber(modes[0], 0),
      },
    ),
    legendItems: [],
    chart: svg.node()!,
    table: monthlyPueTable(focus),
    csv: () => hourlyPueCsv(focus),
  };
}

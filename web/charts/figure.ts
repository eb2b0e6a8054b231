import { csvFormatRows } from 'd3';
import { cite, el } from '../dom.ts';
import { csvNumber, formatValue } from '../format.ts';
import { dateOnly, t, unitText } from '../i18n.ts';

/** A column of a chart's table: the row key, its label and unit (shown in headers and CSV). */
export interface Column {
  key: string;
  label: string;
  unit?: string;
  /** Digits after the decimal point (default: by magnitude); also the CSV's rounding. */
  digits?: number;
  /** Minimum width of the column, e.g. `12rem` (long names). */
  minWidth?: string;
}

/** The numbers behind a chart, as a table. */
export interface TableData {
  columns: Column[];
  rows: Array<Record<string, number | string | null>>;
}

/** One entry of a chart's legend (for exported figures, where the page's HTML legend is not). */
export interface LegendItem {
  label: string;
  colour: string;
}

/** What a chart figure shows: title, a text description for screen readers, the chart and its table. */
export interface FigureSpec {
  /** Stable id: the figure's DOM id and the stem of exported file names. */
  id: string;
  title: string;
  description: string;
  chart: Element;
  legend?: Element | null;
  /** The legend of an exported figure; by default read from an Observable Plot chart's colour scale. */
  legendItems?: LegendItem[];
  table: TableData;
  /** Rows for CSV export when they differ from the table (e.g. 8,760 hourly rows behind a monthly table); built on demand. */
  csv?: () => TableData;
  /** Warnings and assumptions that affect this chart's numbers. */
  notes?: string[];
  /** Controls above the chart (a week picker); not exported. */
  controls?: Element | null;
}

/** What an exported figure is stamped with: the scenario on screen (web/main.ts sets it). */
export const exportContext: { scenario: () => string } = { scenario: () => '' };

const header = (c: Column) => (c.unit ? `${t(c.label)} (${unitText(c.unit)})` : t(c.label));

/** Render a table with a caption; wide tables scroll inside their own container. */
export function renderTable(data: TableData, caption?: string, opts: { id?: string } = {}): HTMLElement {
  const wrap = el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption ?? '' });
  const table = el('table', opts.id ? { id: opts.id } : {});
  if (caption) table.append(el('caption', {}, caption));
  const head = el('tr');
  for (const c of data.columns)
    head.append(el('th', { scope: 'col', 'data-key': c.key }, t(c.label), c.unit ? unitSpan(c.unit) : null));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  for (const r of data.rows) {
    const tr = el('tr');
    for (const c of data.columns) {
      const v = r[c.key];
      const text = c.key === 'year' && typeof v === 'number' ? String(v) : formatValue(v, c.digits);
      const td = el(
        'td',
        { class: typeof v === 'number' ? 'num' : '' },
        ...(typeof v === 'string' && /source/i.test(c.key) ? cite(text) : [text]),
      );
      if (c.minWidth) td.style.minWidth = c.minWidth;
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  wrap.append(table);
  return wrap;
}

const unitSpan = (unit: string) => el('span', { class: 'unit' }, ` (${unitText(unit)})`);

/** CSV text of a table, units in the header; numbers rounded to their column's digits (else 6 figures). */
export function tableCsv(data: TableData): string {
  return csvFormatRows([
    data.columns.map(header),
    ...data.rows.map((r) =>
      data.columns.map((c) => {
        const v = r[c.key];
        if (v === null || v === undefined) return '';
        return typeof v === 'number' ? csvNumber(v, c.key === 'year' ? 0 : c.digits) : String(v);
      }),
    ),
  ]);
}

/** Offer a file for download. */
export function download(name: string, blob: Blob): void {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function svgOf(chart: Element): SVGSVGElement | null {
  if (chart instanceof SVGSVGElement) return chart;
  // Observable Plot wraps a chart with a legend in a <figure>: the chart is its direct <svg> child.
  return chart.querySelector(':scope > svg') ?? chart.querySelector('svg');
}

/** The legend of a Plot chart from its colour scale (ordinal ones), else none. */
function plotLegend(chart: Element): LegendItem[] {
  const scale = (
    chart as unknown as { scale?: (n: string) => { domain?: unknown[]; range?: unknown[] } }
  ).scale?.('color');
  if (!scale?.domain || !scale.range || scale.domain.length > 12) return [];
  return scale.domain.map((d, i) => ({
    label: String(d),
    colour: String(scale.range![i % scale.range!.length]),
  }));
}

const NS = 'http://www.w3.org/2000/svg';
const svgEl = (tag: string, attrs: Record<string, string | number>, text?: string) => {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
};

/**
 * A chart as a standalone SVG for export: its title above, its legend (colour swatches and names), the
 * chart itself (axis labels carry the units), and a stamp below — dcplan, the scenario and the date.
 */
export function exportSvg(spec: FigureSpec): { text: string; width: number; height: number } | null {
  const svgs = spec.chart instanceof SVGSVGElement ? [spec.chart] : [...spec.chart.querySelectorAll('svg')];
  const charts = svgs.filter(
    (s) => !s.closest('[class$="-swatches"]') && s.getBoundingClientRect().width > 40,
  );
  if (!charts.length && !svgOf(spec.chart)) return null;
  const boxes = charts.map((s) => s.getBoundingClientRect());
  const chartW = Math.max(...boxes.map((b) => Math.round(b.width)), 320);
  const width = Math.max(chartW, 480);
  const legend = spec.legendItems ?? plotLegend(spec.chart);
  const root = svgEl('svg', { xmlns: NS, width, height: 0 });
  root.setAttribute('style', 'font-family: system-ui, "Noto Sans CJK SC", sans-serif; font-size: 12px');
  root.append(svgEl('rect', { x: 0, y: 0, width, height: '100%', fill: '#fff' }));
  root.append(
    svgEl('text', { x: 12, y: 22, 'font-size': 15, 'font-weight': 600, fill: '#1d2430' }, spec.title),
  );
  let y = 34;
  // the legend, wrapped into rows
  let x = 12;
  if (legend.length) {
    y += 4;
    for (const item of legend) {
      const w = 22 + item.label.length * (/[\u3000-\u9fff]/.test(item.label) ? 12 : 6.6);
      if (x + w > width - 12) {
        x = 12;
        y += 18;
      }
      root.append(svgEl('rect', { x, y: y - 9, width: 12, height: 12, fill: item.colour }));
      root.append(svgEl('text', { x: x + 16, y: y + 1, fill: '#1d2430' }, item.label));
      x += w + 10;
    }
    y += 14;
  }
  // the charts, side by side when there are two (a chart pair), each at its drawn size
  let cx = 0;
  let rowH = 0;
  charts.forEach((s, i) => {
    const b = boxes[i];
    if (cx + b.width > width + 1) {
      cx = 0;
      y += rowH;
      rowH = 0;
    }
    const copy = s.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('x', String(cx));
    copy.setAttribute('y', String(y));
    copy.setAttribute('width', String(Math.round(b.width)));
    copy.setAttribute('height', String(Math.round(b.height)));
    if (!copy.getAttribute('viewBox'))
      copy.setAttribute('viewBox', `0 0 ${Math.round(b.width)} ${Math.round(b.height)}`);
    root.append(copy);
    cx += b.width;
    rowH = Math.max(rowH, b.height);
  });
  y += rowH + 18;
  const stamp = ['dcplan', exportContext.scenario(), dateOnly()].filter(Boolean).join(' · ');
  root.append(svgEl('text', { x: 12, y, 'font-size': 11, fill: '#5b6576' }, stamp));
  const height = Math.ceil(y + 10);
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.insertBefore(svgEl('title', {}, spec.title), root.firstChild);
  return { text: new XMLSerializer().serializeToString(root), width, height };
}

async function png(spec: FigureSpec): Promise<Blob> {
  const svg = exportSvg(spec);
  if (!svg) throw new Error('nothing to export');
  const { text, width: w, height: h } = svg;
  const img = new Image();
  img.width = w;
  img.height = h;
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('could not render the SVG'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  });
  const canvas = el('canvas', { width: String(w * 2), height: String(h * 2) });
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(2, 2);
  ctx.drawImage(img, 0, 0, w, h);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed'))), 'image/png'),
  );
}

/**
 * A chart with its title, description, legend, notes, a table view and SVG/PNG/CSV export.
 * The chart element gets `role="img"` and the description as its accessible description.
 */
export function figure(spec: FigureSpec): HTMLElement {
  const titleId = `${spec.id}-title`;
  const descId = `${spec.id}-desc`;
  const fig = el('figure', { class: 'chart', id: spec.id, 'aria-labelledby': titleId });
  const cap = el('figcaption');
  cap.append(el('h3', { id: titleId }, spec.title), el('p', { class: 'desc', id: descId }, spec.description));
  fig.append(cap);
  if (spec.controls) fig.append(spec.controls);
  const body = el('div', { class: 'chart-body' });
  if (spec.legend) body.append(spec.legend);
  spec.chart.setAttribute('role', 'img');
  spec.chart.setAttribute('aria-labelledby', titleId);
  spec.chart.setAttribute('aria-describedby', descId);
  body.append(spec.chart);
  fig.append(body);
  if (spec.notes?.length) {
    const ul = el('ul', { class: 'notes' });
    for (const n of spec.notes) ul.append(el('li', {}, n));
    fig.append(ul);
  }
  const tools = el('div', { class: 'chart-tools' });
  const tableBox = el('div', { class: 'chart-table', hidden: '' });
  const toggle = el(
    'button',
    { type: 'button', 'aria-expanded': 'false', 'data-act': 'table' },
    t('Show table'),
  );
  toggle.addEventListener('click', () => {
    const open = tableBox.hidden;
    if (open && !tableBox.firstChild) tableBox.append(renderTable(spec.table, spec.title));
    tableBox.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = t(open ? 'Hide table' : 'Show table');
  });
  const svgBtn = el('button', { type: 'button', 'data-act': 'svg', translate: 'no' }, 'SVG');
  svgBtn.title = t('Download SVG');
  svgBtn.addEventListener('click', () => {
    const svg = exportSvg(spec);
    if (svg) download(`${spec.id}.svg`, new Blob([svg.text], { type: 'image/svg+xml' }));
  });
  const pngBtn = el('button', { type: 'button', 'data-act': 'png', translate: 'no' }, 'PNG');
  pngBtn.title = t('Download PNG');
  pngBtn.addEventListener('click', async () => {
    download(`${spec.id}.png`, await png(spec));
  });
  const csvBtn = el('button', { type: 'button', 'data-act': 'csv', translate: 'no' }, 'CSV');
  csvBtn.title = t('Download CSV');
  csvBtn.addEventListener('click', () => {
    download(
      `${spec.id}.csv`,
      new Blob([tableCsv(spec.csv ? spec.csv() : spec.table)], { type: 'text/csv' }),
    );
  });
  tools.append(toggle, svgBtn, pngBtn, csvBtn);
  fig.append(tools, tableBox);
  return fig;
}

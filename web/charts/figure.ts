import { csvFormatRows } from 'd3';
import { cite, el } from '../dom.ts';
import { formatValue } from '../format.ts';
import { t } from '../i18n.ts';

/** A column of a chart's table: the row key, its label and unit (shown in headers and CSV). */
export interface Column {
  key: string;
  label: string;
  unit?: string;
  /** Digits after the decimal point (default: by magnitude). */
  digits?: number;
  /** Minimum width of the column, e.g. `12rem` (long names). */
  minWidth?: string;
}

/** The numbers behind a chart, as a table. */
export interface TableData {
  columns: Column[];
  rows: Array<Record<string, number | string | null>>;
}

/** What a chart figure shows: title, a text description for screen readers, the chart and its table. */
export interface FigureSpec {
  /** Stable id: the figure's DOM id and the stem of exported file names. */
  id: string;
  title: string;
  description: string;
  chart: Element;
  legend?: Element | null;
  table: TableData;
  /** Rows for CSV export when they differ from the table (e.g. 8,760 hourly rows behind a monthly table); built on demand. */
  csv?: () => TableData;
  /** Warnings and assumptions that affect this chart's numbers. */
  notes?: string[];
}

const header = (c: Column) => (c.unit ? `${t(c.label)} (${c.unit})` : t(c.label));

/** Render a table with a caption; wide tables scroll inside their own container. */
export function renderTable(data: TableData, caption?: string): HTMLElement {
  const wrap = el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption ?? '' });
  const table = el('table');
  if (caption) table.append(el('caption', {}, caption));
  const head = el('tr');
  for (const c of data.columns) head.append(el('th', { scope: 'col' }, header(c)));
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

/** CSV text of a table, units in the header. */
export function tableCsv(data: TableData): string {
  return csvFormatRows([
    data.columns.map((c) => (c.unit ? `${c.label} (${c.unit})` : c.label)),
    ...data.rows.map((r) => data.columns.map((c) => (r[c.key] === null ? '' : String(r[c.key] ?? '')))),
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

function serialise(svg: SVGSVGElement, title: string): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  const box = svg.getBoundingClientRect();
  if (!copy.getAttribute('width')) copy.setAttribute('width', String(Math.round(box.width)));
  if (!copy.getAttribute('height')) copy.setAttribute('height', String(Math.round(box.height)));
  const tt = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  tt.textContent = title;
  copy.insertBefore(tt, copy.firstChild);
  // resolve CSS variables and the page font for standalone viewing
  copy.setAttribute('style', `font-family: system-ui, sans-serif; background: #fff; color: #1d2430`);
  return new XMLSerializer().serializeToString(copy);
}

async function png(svg: SVGSVGElement, title: string): Promise<Blob> {
  const text = serialise(svg, title);
  const box = svg.getBoundingClientRect();
  const w = Math.max(1, Math.round(box.width));
  const h = Math.max(1, Math.round(box.height));
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
  const svgBtn = el('button', { type: 'button', 'data-act': 'svg' }, 'SVG');
  svgBtn.title = t('Download SVG');
  svgBtn.addEventListener('click', () => {
    const svg = svgOf(spec.chart);
    if (svg) download(`${spec.id}.svg`, new Blob([serialise(svg, spec.title)], { type: 'image/svg+xml' }));
  });
  const pngBtn = el('button', { type: 'button', 'data-act': 'png' }, 'PNG');
  pngBtn.title = t('Download PNG');
  pngBtn.addEventListener('click', async () => {
    const svg = svgOf(spec.chart);
    if (svg) download(`${spec.id}.png`, await png(svg, spec.title));
  });
  const csvBtn = el('button', { type: 'button', 'data-act': 'csv' }, 'CSV');
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

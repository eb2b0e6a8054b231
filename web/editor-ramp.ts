import { el } from './dom.ts';
import { parseQuantityText } from './editor-schema.ts';
import { t, tf } from './i18n.ts';

/**
 * A quantity written by year — a year schedule `{ "2025": 0.4, "2028": 0.65 }`, each value held until
 * the next year given — as a small table of year and value, instead of JSON. `percent` shows and takes
 * fractions as percentages (0.65 ↔ 65). A constant becomes a one-row schedule only when a second row
 * is added; removing rows down to one gives the constant back.
 */
export function rampTable(opts: {
  value: unknown;
  /** The year a new first row takes (the scenario's first year). */
  firstYear: number;
  percent?: boolean;
  unit?: string;
  path: string;
  label: string;
  onChange: (v: unknown, rebuild?: boolean) => void;
}): HTMLElement {
  const { value, percent } = opts;
  const toShown = (v: unknown) =>
    typeof v === 'number' ? String(percent ? Number((v * 100).toPrecision(6)) : v) : String(v ?? '');
  const fromShown = (s: string): unknown => {
    const v = parseQuantityText(s);
    return typeof v === 'number' && percent ? Number((v / 100).toPrecision(8)) : v;
  };
  let rows: Array<[string, unknown]>;
  if (value && typeof value === 'object' && !Array.isArray(value))
    rows = Object.entries(value as Record<string, unknown>).sort((a, b) => Number(a[0]) - Number(b[0]));
  else if (value === undefined) rows = [];
  else rows = [[String(opts.firstYear), value]];
  const write = (rebuild = false) => {
    const clean = rows.filter(([y]) => /^\d{4}$/.test(y));
    if (clean.length === 0) opts.onChange(undefined, rebuild);
    else if (clean.length === 1 && typeof value !== 'object') opts.onChange(clean[0][1], rebuild);
    else opts.onChange(Object.fromEntries(clean), rebuild);
  };
  const unit = percent ? '%' : (opts.unit ?? '');
  const table = el('table', { class: 'edit-table ramp' });
  table.append(
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col', class: 'sticky-col' }, t('From year')),
        el('th', { scope: 'col' }, opts.label, unit ? el('span', { class: 'unit' }, ` (${unit})`) : null),
        el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, t('Remove'))),
      ),
    ),
  );
  const body = el('tbody');
  rows.forEach((r, i) => {
    const year = el('input', {
      type: 'text',
      inputmode: 'numeric',
      size: '5',
      'aria-label': `${t('From year')}, ${tf('row {n}', { n: i + 1 })}`,
    });
    year.value = r[0];
    year.addEventListener('change', () => {
      r[0] = year.value.trim();
      write();
    });
    const v = el('input', {
      type: 'text',
      inputmode: 'decimal',
      size: '7',
      'data-path': opts.path,
      'aria-label': `${opts.label}, ${tf('row {n}', { n: i + 1 })}`,
    });
    v.value = toShown(r[1]);
    v.addEventListener('input', () => {
      r[1] = fromShown(v.value);
      write();
    });
    const rm = el(
      'button',
      { type: 'button', 'aria-label': `${t('Remove')} ${tf('row {n}', { n: i + 1 })}` },
      '×',
    );
    rm.addEventListener('click', () => {
      rows.splice(i, 1);
      write(true);
    });
    body.append(
      el(
        'tr',
        {},
        el('td', { class: 'sticky-col' }, year),
        el('td', {}, v, el('span', { class: 'field-error', 'aria-live': 'polite' })),
        el('td', {}, rm),
      ),
    );
  });
  table.append(body);
  const add = el('button', { type: 'button', class: 'small' }, t('Add a year'));
  add.addEventListener('click', () => {
    const lastRow = rows[rows.length - 1];
    rows.push([
      String(lastRow ? Number(lastRow[0]) + 1 : opts.firstYear),
      lastRow ? lastRow[1] : percent ? 0.5 : 0,
    ]);
    opts.onChange(Object.fromEntries(rows.filter(([y]) => /^\d{4}$/.test(y))), true);
  });
  return el(
    'div',
    { class: 'ramp-box' },
    el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': opts.label }, table),
    add,
  );
}

import { el } from './dom.ts';
import { parseQuantityText } from './editor-schema.ts';
import { t, tf } from './i18n.ts';

/**
 * A value written by year — a quantity's year schedule `{ "2025": 0.4, "2028": 0.65 }` or the escalation
 * factors — as a small table of year and value, instead of JSON. `percent` shows and takes fractions as
 * percentages (0.65 ↔ 65). A quantity's constant becomes a one-row schedule only when a second row is
 * added, and a quantity left with one row is that row's constant again (the same value in every year).
 * `yearKeyed` (the escalation factors) always writes the year → value map, and each row's input carries
 * its year's path (`…factors.2027`), as the validator names it.
 */
export function rampTable(opts: {
  value: unknown;
  /** The year a new first row takes (the scenario's first year). */
  firstYear: number;
  percent?: boolean;
  unit?: string;
  path: string;
  label: string;
  /** The value column's heading, when the label stands above the table already (default: the label). */
  column?: string;
  yearKeyed?: boolean;
  /** The value of a first row added to an empty table (0.5 in per cent, else 0). */
  newValue?: number;
  onChange: (v: unknown, rebuild?: boolean) => void;
}): HTMLElement {
  const { value, percent, yearKeyed } = opts;
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
    else if (clean.length === 1 && !yearKeyed) opts.onChange(clean[0][1], rebuild);
    else opts.onChange(Object.fromEntries(clean), rebuild);
  };
  const unit = percent ? '%' : (opts.unit ?? '');
  // a year-keyed map (escalation factors) holds each value until the next year given
  // (models/tariff.ts escalationFactor); a quantity's schedule is linear between its years
  // (models/quantity.ts), held before the first and after the last
  const yearHead = yearKeyed ? 'From year' : 'Year';
  const how = yearKeyed
    ? 'Each value holds from its year until the next year given.'
    : 'Between the years given the value changes linearly; before the first and after the last it is held.';
  const table = el('table', { class: 'edit-table ramp' });
  table.append(
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col', class: 'sticky-col' }, t(yearHead)),
        el(
          'th',
          { scope: 'col' },
          opts.column ?? opts.label,
          unit ? el('span', { class: 'unit' }, ` (${unit})`) : null,
        ),
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
      'aria-label': `${t(yearHead)}, ${tf('row {n}', { n: i + 1 })}`,
    });
    year.value = r[0];
    const rowPath = () => (yearKeyed ? `${opts.path}.${r[0]}` : opts.path);
    year.addEventListener('change', () => {
      r[0] = year.value.trim();
      v.dataset.path = rowPath();
      write();
    });
    const v = el('input', {
      type: 'text',
      inputmode: 'decimal',
      size: '7',
      'data-path': rowPath(),
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
      lastRow ? lastRow[1] : (opts.newValue ?? (percent ? 0.5 : 0)),
    ]);
    opts.onChange(Object.fromEntries(rows.filter(([y]) => /^\d{4}$/.test(y))), true);
  });
  return el(
    'div',
    { class: 'ramp-box' },
    el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': opts.label }, table),
    rows.length > 1 ? el('small', { class: 'help' }, t(how)) : null,
    add,
  );
}

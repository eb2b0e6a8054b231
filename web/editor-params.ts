import { COOLING_DESIGN_NAMES, coolingDesign } from '../models/cooling.ts';
import type { InputTable } from '../models/input-row.ts';
import { PV_TABLE } from '../models/pv.ts';
import { WIND_TABLE } from '../models/wind.ts';
import { el } from './dom.ts';
import { type EditorContext, getIn, type Key, setIn } from './editor-schema.ts';
import { formatNumber } from './format.ts';
import { t, tf, unitText } from './i18n.ts';

/**
 * The parameter overrides of a model table (`cooling.overrides`, `green.pv.overrides`,
 * `green.wind.overrides`) as a small table: a row a parameter, chosen from the table's own rows (named,
 * with their default and unit), and its value — the same name → number object the scenario file holds.
 */

/** A default as typed (a midpoint's float noise rounded off: 0.9450000000000001 → 0.945). */
const plain = (v: number) => String(Number(v.toPrecision(12)));

/** The cooling parameters of the design and class the entry (or its defaults) names; every design's when it names none. */
function coolingTable(cluster: Record<string, unknown>, inherited: Record<string, unknown>): InputTable {
  const pick = (k: string) => getIn(cluster, ['cooling', k]) ?? getIn(inherited, ['cooling', k]);
  const design = pick('design');
  const cls = pick('facilityClass');
  try {
    return coolingDesign(String(design), {}, cls === undefined ? undefined : String(cls)).table;
  } catch {
    // no design yet, or one the engine does not know (its error is shown at the design)
    return Object.assign({}, ...COOLING_DESIGN_NAMES.map((d) => coolingDesign(d).table));
  }
}

/** The model parameter table an overrides field overrides, by its key path within a cluster, or null. */
export function paramTable(
  keyPath: string,
  cluster: Record<string, unknown>,
  inherited: Record<string, unknown>,
): InputTable | null {
  if (keyPath === 'cooling.overrides') return coolingTable(cluster, inherited);
  if (keyPath === 'green.pv.overrides') return PV_TABLE;
  if (keyPath === 'green.wind.overrides') {
    // the hub height is a field of its own (green.wind.hubHeightM)
    const { hubHeightM: _hub, ...rest } = WIND_TABLE;
    return rest;
  }
  return null;
}

/** The overrides table: a row a parameter (a select of the known ones, a number, a remove button), and an add button. */
export function overridesTable(opts: {
  obj: Record<string, unknown>;
  here: Key[];
  /** The field's path in the scenario (`clusters[0].cooling.overrides`). */
  path: string;
  label: string;
  table: InputTable;
  ctx: EditorContext;
}): HTMLElement {
  const { obj, here, path, label, table, ctx } = opts;
  const own = (getIn(obj, here) as Record<string, number> | undefined) ?? {};
  const body = el('tbody');
  const selects: HTMLSelectElement[] = [];
  /** Each select offers the parameters no other row has chosen. */
  const refresh = () => {
    for (const s of selects)
      for (const o of s.options)
        o.disabled = o.value !== '' && o.value !== s.value && Object.hasOwn(own, o.value);
  };
  const addRow = (name: string) => {
    const n = selects.length + 1;
    const sel = el('select', { 'aria-label': `${t('Parameter')}, ${tf('row {n}', { n })}` });
    sel.append(el('option', { value: '' }, t('— choose a parameter —')));
    for (const [k, row] of Object.entries(table))
      sel.append(
        el(
          'option',
          { value: k, title: `${k} — ${row.source} [${row.grade}]` },
          tf('{label} (default {value})', {
            label: t(row.label),
            value: `${formatNumber(row.value)}${row.unit ? ` ${unitText(row.unit)}` : ''}`,
          }),
        ),
      );
    // a name the table does not know (another design's, a typo in a file) stays, for its error
    if (name && !Object.hasOwn(table, name)) sel.append(el('option', { value: name }, name));
    sel.value = name;
    selects.push(sel);
    const input = el('input', {
      type: 'number',
      step: 'any',
      size: '8',
      'aria-label': `${t('Value')}, ${tf('row {n}', { n })}`,
    });
    const unit = el('span', { class: 'unit' });
    const show = () => {
      const row = Object.hasOwn(table, sel.value) ? table[sel.value] : undefined;
      input.dataset.path = sel.value ? `${path}.${sel.value}` : path;
      sel.dataset.path = `${input.dataset.path}.$name`;
      input.placeholder = row ? plain(row.value) : '';
      input.disabled = sel.value === '';
      unit.textContent = row?.unit ? ` ${unitText(row.unit)}` : '';
    };
    input.value = name && own[name] !== undefined ? String(own[name]) : '';
    show();
    const write = (key: string, v: number | undefined) => {
      setIn(obj, [...here, key], v);
      if (v === undefined) delete own[key];
      else own[key] = v;
    };
    sel.addEventListener('change', () => {
      const before = input.dataset.path?.slice(path.length + 1);
      if (before) write(before, undefined);
      if (sel.value) {
        // a new choice starts at its default: the scenario's numbers do not move until the value does
        if (input.value === '' && Object.hasOwn(table, sel.value))
          input.value = plain(table[sel.value].value);
        write(sel.value, input.value === '' ? undefined : Number(input.value));
      }
      show();
      refresh();
      ctx.onChange();
    });
    input.addEventListener('input', () => {
      if (!sel.value) return;
      write(sel.value, input.value === '' ? undefined : Number(input.value));
      ctx.onChange();
    });
    const rm = el('button', { type: 'button', 'aria-label': `${t('Remove')} ${tf('row {n}', { n })}` }, '×');
    rm.addEventListener('click', () => {
      if (sel.value) write(sel.value, undefined);
      ctx.onChange(true);
    });
    body.append(
      el(
        'tr',
        {},
        // the select's slot shows an error about the whole field (its path is the field's, then `.$name`)
        el('td', {}, sel, el('span', { class: 'field-error', 'aria-live': 'polite' })),
        el('td', {}, input, unit, el('span', { class: 'field-error', 'aria-live': 'polite' })),
        el('td', {}, rm),
      ),
    );
  };
  for (const name of Object.keys(own)) addRow(name);
  refresh();
  const add = el('button', { type: 'button', class: 'small' }, t('Add a parameter'));
  add.addEventListener('click', () => {
    addRow('');
    refresh();
    selects[selects.length - 1].focus();
  });
  const tableEl = el(
    'table',
    { class: 'edit-table params' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, t('Parameter')),
        el('th', { scope: 'col' }, t('Value')),
        el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, t('Remove'))),
      ),
    ),
    body,
  );
  return el(
    'fieldset',
    { class: 'group table-field' },
    el('legend', {}, label),
    el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, tableEl),
    add,
    el('small', { class: 'help' }, t('Parameters left out keep their default (shown in each choice).')),
  );
}

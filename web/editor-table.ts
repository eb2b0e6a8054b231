import { el } from './dom.ts';
import {
  type EditorContext,
  getIn,
  isQuantity,
  type JS,
  type Key,
  labelOf,
  parseQuantityText,
  pathText,
  quantityText,
  setIn,
} from './editor-schema.ts';
import { t, tf, unitText } from './i18n.ts';

type Row = Record<string, unknown>;

/** An array of objects (build-out phases) as an editable table. */
export function renderTableField(
  obj: Record<string, unknown>,
  here: Key[],
  key: string,
  s: JS,
  ctx: EditorContext,
) {
  const box = el('fieldset', { class: 'group table-field' });
  box.append(el('legend', {}, key === 'buildout' ? t('Build-out phases') : labelOf(key, s)));
  const own = getIn(obj, here) as Row[] | undefined;
  const inherited = getIn(ctx.inherited, here) as Row[] | undefined;
  if (!own && inherited) {
    box.append(...inheritedPhases(obj, here, inherited, ctx));
    return box;
  }
  const rows = own ?? [];
  const cols = Object.entries(s.items.properties as Record<string, JS>).filter(([k]) => k !== '$comment');
  const body = el('div');
  body.append(phaseTable(obj, here, rows, cols, ctx), addPhaseButton(obj, here, rows, own, ctx));
  box.append(body, el('span', { class: 'field-error', 'data-path-group': pathText(ctx.prefix, here) }));
  return box;
}

/** The phases a cluster inherits from the defaults (a count), and a button that copies them to edit. */
function inheritedPhases(obj: Row, here: Key[], inherited: Row[], ctx: EditorContext): HTMLElement[] {
  const note = el(
    'p',
    { class: 'help' },
    `${t('All clusters (defaults)')}: ${tf('{n} phase(s).', { n: inherited.length })}`,
  );
  const copy = el('button', { type: 'button' }, t('Override for this cluster'));
  copy.addEventListener('click', () => {
    setIn(obj, here, structuredClone(inherited));
    ctx.onChange(true);
  });
  return [note, copy];
}

/** The scrollable table of the phases: a column per phase property, a row per phase. */
function phaseTable(
  obj: Row,
  here: Key[],
  rows: Row[],
  cols: Array<[string, JS]>,
  ctx: EditorContext,
): HTMLElement {
  const wrap = el('div', {
    class: 'table-wrap',
    tabindex: '0',
    role: 'region',
    'aria-label': t('Build-out phases'),
  });
  const table = el('table', { class: 'edit-table' });
  const head = el('tr');
  for (const [k, c] of cols)
    head.append(
      el(
        'th',
        { scope: 'col' },
        labelOf(k, c),
        c.unit ? el('span', { class: 'unit' }, ` (${unitText(c.unit)})`) : null,
      ),
    );
  head.append(el('th', {}, ''));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  rows.forEach((_r, i) => {
    body.append(phaseRow(obj, here, rows, i, cols, ctx));
  });
  table.append(body);
  wrap.append(table);
  return wrap;
}

/** One phase as a row: an input per property, then a button that removes the phase. */
function phaseRow(
  obj: Row,
  here: Key[],
  rows: Row[],
  i: number,
  cols: Array<[string, JS]>,
  ctx: EditorContext,
): HTMLElement {
  const tr = el('tr');
  for (const [k, c] of cols)
    tr.append(phaseCell(obj, [...here, i, k], `${labelOf(k, c)}, phase ${i + 1}`, c, ctx));
  const rm = el('button', { type: 'button', 'aria-label': `${t('Remove')} phase ${i + 1}` }, '×');
  rm.addEventListener('click', () => {
    rows.splice(i, 1);
    ctx.onChange(true);
  });
  tr.append(el('td', {}, rm));
  return tr;
}

/** The cell of one phase property: its input (a quantity, else a number) and its error slot. */
function phaseCell(obj: Row, cellPath: Key[], label: string, c: JS, ctx: EditorContext): HTMLElement {
  const input = el('input', {
    type: 'text',
    size: '8',
    spellcheck: 'false',
    'data-path': pathText(ctx.prefix, cellPath),
    'aria-label': label,
  });
  input.value = quantityText(getIn(obj, cellPath));
  input.addEventListener('input', () => {
    const v = isQuantity(c)
      ? parseQuantityText(input.value)
      : input.value.trim() === ''
        ? undefined
        : Number(input.value);
    setIn(obj, cellPath, v);
    ctx.onChange();
  });
  const err = el('span', { class: 'field-error', 'aria-live': 'polite' });
  return el('td', {}, input, err);
}

/** The button that adds a phase: a year after the last one with its values, or a first phase. */
function addPhaseButton(
  obj: Row,
  here: Key[],
  rows: Row[],
  own: Row[] | undefined,
  ctx: EditorContext,
): HTMLElement {
  const add = el('button', { type: 'button' }, t('Add phase'));
  add.addEventListener('click', () => {
    const last = rows[rows.length - 1];
    const next = last
      ? { ...last, year: Number(last.year ?? 2025) + 1 }
      : { year: 2025, racks: 1000, kwPerRack: 5 };
    delete (next as Record<string, unknown>).$comment;
    if (own) rows.push(next);
    else setIn(obj, here, [next]);
    ctx.onChange(true);
  });
  return add;
}

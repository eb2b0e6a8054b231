import type { FieldError } from '../models/scenario.ts';
import { el } from './dom.ts';
import { buildoutTable } from './editor-buildout.ts';
import { overridesTable, paramTable } from './editor-params.ts';
import { rampTable } from './editor-ramp.ts';
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
  variants,
} from './editor-schema.ts';
import { renderTableField } from './editor-table.ts';
import { t, tf, unitText } from './i18n.ts';
import { ruleText } from './messages.ts';
import { refNodes, sourceMarked, valueMarked } from './source-text.ts';

export { CLUSTER_SCHEMA, DEFAULTS_SCHEMA, type DefaultInfo } from './editor-schema.ts';

/**
 * The scenario editor, generated from the scenario schema's own JSON Schema and its metadata (label,
 * unit, bounds, `x-quantity`) — no field is hand-copied. Quantity fields take every form a scenario
 * file accepts: a number in the field's unit, a number with a unit ("10 MW") or an expression of `year`
 * ("0.4 + 0.05 * (year - 2025)") as text, a year schedule ({"2025": 0.4, "2028": 0.65}) as a small
 * table of years. Parameter overrides, the escalation factors and the lists of targets are small tables
 * and checklists too: no field is typed as JSON.
 */

let uid = 0;

/** A labelled row: the control with its label (and unit), its help and the slot for its error. */
function fieldRow(
  label: string,
  unit: string | undefined,
  input: HTMLElement,
  path: string,
  help?: string | null,
) {
  const id = `f${++uid}`;
  input.id = id;
  input.setAttribute('data-path', path);
  const err = el('span', { class: 'field-error', id: `${id}-err`, 'aria-live': 'polite' });
  input.setAttribute('aria-describedby', `${id}-err${help ? ` ${id}-help` : ''}`);
  const row = el(
    'div',
    { class: 'field' },
    el('label', { for: id }, label, unit ? el('span', { class: 'unit' }, ` (${unitText(unit)})`) : null),
    input,
    help ? el('small', { class: 'help', id: `${id}-help` }, ...refNodes(help)) : null,
    err,
  );
  return row;
}

/** One field being rendered: where it sits in the edited object, its schema, value and inherited value. */
interface Field {
  obj: Record<string, unknown>;
  /** Path of the object holding the field. */
  path: Key[];
  /** Path of the field itself. */
  here: Key[];
  key: string;
  s: JS;
  ctx: EditorContext;
  /** Key path within a cluster, without array indices (`cooling.design`). */
  keyPath: string;
  /** Path in the scenario (`clusters[0].cooling.design`). */
  full: string;
  value: unknown;
  inherited: unknown;
}

/** The help under a field: what it inherits from the defaults, its default, its description. */
function defaultHelp({ ctx, keyPath, s, inherited }: Field): string | null {
  const parts: string[] = [];
  if (inherited !== undefined) parts.push(`${t('All clusters (defaults)')}: ${quantityText(inherited)}`);
  const d = ctx.defaults.get(keyPath);
  const unit = s.unit ? ` ${s.unit}` : '';
  // The default the last run used (with its source), else what the schema declares (models/inputs.ts).
  if (d)
    parts.push(
      `${t('Default')}: ${typeof d.value === 'string' ? valueMarked(d.value) : d.value}${unit} — ${sourceMarked(d.source)} [${t(d.grade)}]`,
    );
  else if (s.default !== undefined)
    parts.push(
      `${t('Default')}: ${String(s.default)}${unit} — ${sourceMarked(String(s['x-source'] ?? ''))} [${t(String(s['x-grade'] ?? ''))}]`,
    );
  else if (typeof s['x-default-ref'] === 'string') parts.push(`${t('Default')}: ${t(s['x-default-ref'])}`);
  if (s.description) parts.push(t(String(s.description)));
  return parts.length ? parts.join(' · ') : null;
}

/** Render one field in the control its schema calls for (null for the schema's own comment keys). */
function renderField(
  obj: Record<string, unknown>,
  path: Key[],
  key: string,
  s: JS,
  ctx: EditorContext,
): HTMLElement | null {
  const here = [...path, key];
  const f: Field = {
    obj,
    path,
    here,
    key,
    s,
    ctx,
    keyPath: here.filter((k) => typeof k === 'string').join('.'),
    full: pathText(ctx.prefix, here),
    value: getIn(obj, here),
    inherited: getIn(ctx.inherited, here),
  };
  if (key === '$comment' || key === '$schema') return null;
  if (isQuantity(s)) return quantityField(f);
  const vs = variants(s);
  if (vs) return renderVariant(obj, here, key, s, vs, ctx);
  const alt = wordOrObject(s);
  if (alt) return wordOrObjectField(f, alt.words, alt.object);
  if (s.type === 'object' && s.properties) return objectField(f);
  // the build-out in the unit the scenario uses, the year column kept in view (a phase inherited from
  // the shared defaults stays in the generic table, which shows it read-only until copied)
  if (key === 'buildout' && here.length === 1 && (f.value !== undefined || f.inherited === undefined))
    return el(
      'fieldset',
      { class: 'group table-field' },
      el('legend', {}, t('Build-out phases')),
      buildoutTable(obj, here, ctx),
    );
  if (s.type === 'array' && s.items?.type === 'object') return renderTableField(obj, here, key, s, ctx);
  if (s.type === 'array' && s['x-refers']) return idsField(f, ctx.choices[f.keyPath] ?? []);
  if (s.type === 'object' && s.propertyNames?.pattern === '^\\d{4}$') return yearMapField(f);
  const table = s['x-table'] ? paramTable(f.keyPath, obj, ctx.inherited) : null;
  if (table) return overridesTable({ obj, here, path: f.full, label: labelOf(key, s), table, ctx });
  const choices = s.enum
    ? (s.enum as string[]).map((v) => ({ value: v, label: t(v) }))
    : ctx.choices[f.keyPath];
  if (choices) return choiceField(f, choices);
  if (s.type === 'number' || s.type === 'integer') return numberField(f);
  return textField(f);
}

/** The quantity fields the user asked to write by year while they still hold one value (a page visit's choice). */
const byYear = new Set<string>();

/** A year schedule of a quantity ({"2025": 0.4, "2028": 0.65}), as against a distribution or a text. */
const isSchedule = (v: unknown): boolean =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).every((k) => /^\d{4}$/.test(k));

/**
 * A quantity field: a number, a number with a unit or an expression as text, with a button that writes
 * it by year instead; a year schedule as a small table of years (rows removed down to one give the
 * constant back, and the text field).
 */
function quantityField(f: Field): HTMLElement {
  const { obj, here, key, s, ctx, inherited } = f;
  const label = labelOf(key, s);
  if (isSchedule(f.value) || byYear.has(f.full)) {
    const used = ctx.defaults.get(f.keyPath)?.value;
    const ramp = rampTable({
      value: f.value ?? inherited,
      firstYear: ctx.firstYear,
      unit: s.unit || undefined,
      path: f.full,
      label,
      column: t('Value'),
      newValue: typeof used === 'number' ? used : undefined,
      onChange: (v, rebuild) => {
        setIn(obj, here, v);
        if (rebuild && !isSchedule(v)) byYear.delete(f.full);
        ctx.onChange(rebuild);
      },
    });
    return el(
      'fieldset',
      { class: 'group table-field' },
      el('legend', {}, label, s.unit ? el('span', { class: 'unit' }, ` (${s.unit})`) : null),
      ramp,
      el('small', { class: 'help' }, ...refNodes(defaultHelp(f) ?? '')),
    );
  }
  const input = el('input', { type: 'text', inputmode: 'text', autocomplete: 'off', spellcheck: 'false' });
  input.value = quantityText(f.value);
  input.placeholder =
    inherited !== undefined
      ? quantityText(inherited)
      : (ctx.defaults.get(f.keyPath)?.value?.toString() ?? '');
  input.addEventListener('input', () => {
    setIn(obj, here, parseQuantityText(input.value));
    ctx.onChange();
  });
  const row = fieldRow(label, s.unit || undefined, input, f.full, defaultHelp(f));
  const split = el(
    'button',
    { type: 'button', class: 'small by-year', 'aria-label': `${t('By year')}: ${label}` },
    t('By year'),
  );
  split.addEventListener('click', () => {
    byYear.add(f.full);
    ctx.onChange(true);
  });
  input.after(split);
  return row;
}

/** A sub-object as a group of its fields; a nested one can be included or left out with a checkbox. */
function objectField(f: Field): HTMLElement {
  const { obj, path, here, key, s, ctx } = f;
  const box = el('fieldset', { class: 'group' });
  box.append(el('legend', {}, labelOf(key, s)));
  const optional = path.length > 0 || !['cooling'].includes(key);
  const present = f.value !== undefined;
  if (optional && !present && path.length > 0) {
    // an optional sub-object (e.g. green.pv): a checkbox adds it with its required fields empty
    box.append(includeToggle(f, false));
    return box;
  }
  if (path.length > 0) box.append(includeToggle(f, true));
  for (const [k, sub] of Object.entries(s.properties as Record<string, JS>)) {
    const field = renderField(obj, here, k, sub, ctx);
    if (field) box.append(field);
  }
  return box;
}

/** The checkbox that adds a sub-object (empty) or, ticked, removes it; either rebuilds the form. */
function includeToggle(f: Field, included: boolean): HTMLElement {
  const cb = el('input', { type: 'checkbox' });
  cb.checked = included;
  cb.addEventListener('change', () => {
    setIn(f.obj, f.here, included ? undefined : {});
    f.ctx.onChange(true);
  });
  const label = `${t('Include')} ${labelOf(f.key, f.s).toLowerCase()}`;
  return fieldRow(label, undefined, cb, included ? `${f.full}.$include` : f.full);
}

/** A year → number map (the escalation factors) as a small table of years; each row's input has its year's path. */
function yearMapField(f: Field): HTMLElement {
  const { obj, here, key, s, ctx } = f;
  const label = labelOf(key, s);
  return el(
    'fieldset',
    { class: 'group table-field' },
    el('legend', {}, label),
    rampTable({
      value: f.value,
      firstYear: ctx.firstYear,
      path: f.full,
      label: t('Factor'),
      yearKeyed: true,
      newValue: 1,
      onChange: (v, rebuild) => {
        setIn(obj, here, v);
        ctx.onChange(rebuild);
      },
    }),
    el('small', { class: 'help' }, ...refNodes(defaultHelp(f) ?? '')),
  );
}

/** A choice of a select or checklist (ids the reference data knows, by name). */
type Choice = EditorContext['choices'][string][number];

/**
 * A list of ids of reference data (the targets to check or leave out) as checkboxes of the known ones
 * by name; an id the reference does not know stays listed, ticked, until unticked (the validator names it).
 */
function idsField(f: Field, choices: Choice[]): HTMLElement {
  const { obj, here, key, s, ctx } = f;
  const label = labelOf(key, s);
  const chosen = [...((f.value as string[] | undefined) ?? [])];
  const known = new Set(choices.map((c) => c.value));
  const all: Choice[] = [
    ...chosen.filter((id) => !known.has(id)).map((id) => ({ value: id, label: `${id} (${t('unknown')})` })),
    ...choices,
  ];
  const list = el('div', { class: 'checklist', role: 'group', 'aria-label': label });
  for (const c of all) {
    const id = `f${++uid}`;
    const cb = el('input', { type: 'checkbox', id, 'data-path': `${f.full}.${c.value}` });
    cb.checked = chosen.includes(c.value);
    cb.addEventListener('change', () => {
      const i = chosen.indexOf(c.value);
      if (cb.checked && i < 0) chosen.push(c.value);
      if (!cb.checked && i >= 0) chosen.splice(i, 1);
      setIn(obj, here, chosen.length ? [...chosen] : undefined);
      ctx.onChange();
    });
    list.append(
      el(
        'div',
        { class: 'check' },
        cb,
        el('label', { for: id, title: c.title ?? c.value }, c.label),
        el('span', { class: 'field-error', 'aria-live': 'polite' }),
      ),
    );
  }
  if (all.length === 0) list.append(el('p', { class: 'help' }, t('None to choose.')));
  const help = defaultHelp(f);
  return el(
    'fieldset',
    { class: 'group' },
    el('legend', {}, label),
    list,
    help ? el('small', { class: 'help' }, ...refNodes(help)) : null,
  );
}

/** A string field with a list of choices as a select (the inherited value, or none, first). */
function choiceField(f: Field, choices: Array<{ value: string; label: string }>): HTMLElement {
  const { obj, here, key, s, ctx, value, inherited } = f;
  const sel = el('select');
  sel.append(el('option', { value: '' }, inherited !== undefined ? `(${String(inherited)})` : '—'));
  for (const c of choices) sel.append(el('option', { value: c.value }, c.label));
  if (value !== undefined && !choices.some((c) => c.value === value))
    sel.append(el('option', { value: String(value) }, String(value)));
  sel.value = value === undefined ? '' : String(value);
  sel.addEventListener('change', () => {
    setIn(obj, here, sel.value === '' ? undefined : sel.value);
    // the cooling design and class set which parameters the overrides table offers, with which defaults
    ctx.onChange(f.keyPath.startsWith('cooling.'));
  });
  return fieldRow(labelOf(key, s), s.unit || undefined, sel, f.full, defaultHelp(f));
}

/** A plain number field, with the schema's bounds and step. */
function numberField(f: Field): HTMLElement {
  const { obj, here, key, s, ctx, value, inherited } = f;
  const input = el('input', { type: 'number', step: s.type === 'integer' ? '1' : 'any' });
  if (s.minimum !== undefined) input.min = String(s.minimum);
  if (s.maximum !== undefined) input.max = String(s.maximum);
  input.value = value === undefined ? '' : String(value);
  if (inherited !== undefined) input.placeholder = String(inherited);
  input.addEventListener('input', () => {
    setIn(obj, here, input.value === '' ? undefined : Number(input.value));
    ctx.onChange();
  });
  return fieldRow(labelOf(key, s), s.unit || undefined, input, f.full, defaultHelp(f));
}

/** A free text field. */
function textField(f: Field): HTMLElement {
  const { obj, here, key, s, ctx, value } = f;
  const input = el('input', { type: 'text' });
  input.value = value === undefined ? '' : String(value);
  input.addEventListener('input', () => {
    setIn(obj, here, input.value === '' ? undefined : input.value);
    ctx.onChange();
  });
  return fieldRow(labelOf(key, s), undefined, input, f.full, defaultHelp(f));
}

/** What each `kind` of a variant field means, in words (the scenario files keep the ids). */
const KIND_NAMES: Record<string, string> = {
  none: 'None',
  capacity: 'Capacity charge (per kVA of contract)',
  demand: 'Demand charge (per kW of the month’s peak)',
  rate: 'A yearly rate',
  schedule: 'A value for each year',
  'delivered-price': 'Delivered price (direct trade)',
  discount: 'Discount on the energy bill',
  cap: 'Price cap',
  seeded: 'The incentive the reference data holds for the cluster',
};

/** An object told apart by `kind`: a select of the kind (named in words), then the chosen kind's fields. */
function renderVariant(
  obj: Record<string, unknown>,
  here: Key[],
  key: string,
  s: JS,
  vs: JS[],
  ctx: EditorContext,
) {
  const box = el('fieldset', { class: 'group' });
  box.append(el('legend', {}, labelOf(key, s)));
  const value = getIn(obj, here) as Record<string, unknown> | undefined;
  const sel = el('select');
  sel.append(el('option', { value: '' }, '—'));
  for (const v of vs) {
    const id = v.properties.kind.const as string;
    sel.append(el('option', { value: id }, Object.hasOwn(KIND_NAMES, id) ? t(KIND_NAMES[id]) : id));
  }
  sel.value = (value?.kind as string) ?? '';
  sel.addEventListener('change', () => {
    setIn(obj, here, sel.value === '' ? undefined : { kind: sel.value });
    ctx.onChange(true);
  });
  box.append(fieldRow(t('Type'), undefined, sel, `${pathText(ctx.prefix, here)}.kind`));
  const chosen = vs.find((v) => v.properties.kind.const === value?.kind);
  if (chosen) {
    for (const [k, sub] of Object.entries(chosen.properties as Record<string, JS>)) {
      if (k === 'kind') continue;
      const f = renderField(obj, here, k, sub, ctx);
      if (f) box.append(f);
    }
  }
  return box;
}

/** A field that is one of a few words or an object (the wind resource: `"station"` or a figure with its source). */
function wordOrObject(s: JS): { words: string[]; object: JS } | null {
  const alts = s.anyOf as JS[] | undefined;
  if (!alts) return null;
  const words = alts.filter((a) => typeof a.const === 'string').map((a) => a.const as string);
  const objects = alts.filter((a) => a.type === 'object' && a.properties);
  return words.length > 0 && objects.length === 1 && words.length + 1 === alts.length
    ? { words, object: objects[0] }
    : null;
}

/** What each word of a word-or-object field means (the scenario files keep the words). */
const WORD_NAMES: Record<string, string> = {
  station: 'The station’s own wind, as measured',
};

/** A select of the words and "a figure with its source"; the figure's fields below when chosen. */
function wordOrObjectField(f: Field, words: string[], object: JS): HTMLElement {
  const { obj, here, key, s, ctx, value } = f;
  const box = el('fieldset', { class: 'group' });
  box.append(el('legend', {}, labelOf(key, s)));
  const sel = el('select');
  // the object's first field names the choice ("Wind full-load hours of your own, with the source")
  const first = Object.entries(object.properties as Record<string, JS>)[0];
  const objectLabel = tf('{what} of your own, with the source', { what: labelOf(first[0], first[1]) });
  sel.append(el('option', { value: '' }, `— ${t('Default')}`));
  for (const w of words)
    sel.append(el('option', { value: w }, Object.hasOwn(WORD_NAMES, w) ? t(WORD_NAMES[w]) : w));
  sel.append(el('option', { value: '{}' }, objectLabel));
  sel.value = value === undefined ? '' : typeof value === 'object' ? '{}' : String(value);
  sel.addEventListener('change', () => {
    setIn(obj, here, sel.value === '' ? undefined : sel.value === '{}' ? {} : sel.value);
    ctx.onChange(true);
  });
  box.append(fieldRow(t('Type'), undefined, sel, f.full, defaultHelp(f)));
  if (value && typeof value === 'object')
    for (const [k, sub] of Object.entries(object.properties as Record<string, JS>)) {
      const row = renderField(obj, here, k, sub, ctx);
      if (row) box.append(row);
    }
  return box;
}

/** Sections of the cluster form, in the order a planner fills them. */
const SECTIONS: Array<{ title: string; keys: string[] }> = [
  {
    title: 'Build-out and load',
    keys: [
      'label',
      'buildout',
      'occupancy',
      'serverUtilisation',
      'workloadShape',
      'workloadPhaseShiftHours',
      'powerCurve',
    ],
  },
  { title: 'Cooling', keys: ['cooling'] },
  { title: 'Electricity tariff', keys: ['tariff'] },
  { title: 'Green power and storage', keys: ['greenShare', 'green', 'gridFactorKgPerKwh'] },
  { title: 'Network', keys: ['network'] },
  { title: 'Finance', keys: ['finance'] },
  { title: 'Targets', keys: ['targets'] },
];

/** The sections the user opened or closed, kept open or closed when the form is rebuilt (a row added). */
const openSections = new Map<string, boolean>();

/**
 * Render the form of one cluster entry (or of the shared defaults) into sections. `onChange(true)`
 * asks for the form to be rebuilt (a structural change: a phase added, a variant switched).
 */
export function clusterForm(obj: Record<string, unknown>, schema: JS, ctx: EditorContext): HTMLElement {
  const form = el('div', { class: 'cluster-form' });
  const props = schema.properties as Record<string, JS>;
  SECTIONS.forEach((sec, i) => {
    const det = el('details', { class: 'section' });
    det.open = openSections.get(sec.title) ?? i < 2;
    det.addEventListener('toggle', () => openSections.set(sec.title, det.open));
    det.append(el('summary', {}, t(sec.title)));
    for (const k of sec.keys) {
      if (!props[k]) continue;
      const f = renderField(obj, [], k, props[k], ctx);
      if (f) det.append(f);
    }
    form.append(det);
  });
  return form;
}

/** Put the validator's messages beside their fields; returns the errors no field showed. */
export function showErrors(
  root: HTMLElement,
  errors: FieldError[],
  alias?: (path: string) => string,
): FieldError[] {
  for (const e of root.querySelectorAll('.field-error')) e.textContent = '';
  for (const e of root.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
  const unplaced: FieldError[] = [];
  for (const err of errors) {
    const paths = [err.path, alias?.(err.path)].filter(Boolean) as string[];
    let placed = false;
    for (const p of paths) {
      // the field itself, or the closest enclosing field (`…buildout[0]` → its first input)
      const input =
        root.querySelector(`[data-path="${CSS.escape(p)}"]`) ??
        root.querySelector(`[data-path^="${CSS.escape(p)}."], [data-path^="${CSS.escape(p)}["]`);
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        const slot = input.parentElement?.querySelector('.field-error');
        if (slot) slot.textContent = ruleText(err.message);
        placed = true;
        break;
      }
    }
    if (!placed) unplaced.push(err);
  }
  return unplaced;
}

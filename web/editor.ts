import type { FieldError } from '../models/scenario.ts';
import { el } from './dom.ts';
import { buildoutTable } from './editor-buildout.ts';
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
import { t, unitText } from './i18n.ts';
import { ruleText } from './messages.ts';

export { CLUSTER_SCHEMA, DEFAULTS_SCHEMA, type DefaultInfo } from './editor-schema.ts';

/**
 * The scenario editor, generated from the scenario schema's own JSON Schema and its metadata (label,
 * unit, bounds, `x-quantity`) — no field is hand-copied. Quantity fields take every form a scenario
 * file accepts: a number in the field's unit, a number with a unit ("10 MW"), an expression of `year`
 * ("0.4 + 0.05 * (year - 2025)") or a year schedule ({"2025": 0.4, "2028": 0.65}).
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
    help ? el('small', { class: 'help', id: `${id}-help` }, help) : null,
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
  if (d) parts.push(`${t('Default')}: ${d.value}${unit} — ${d.source} [${d.grade}]`);
  else if (s.default !== undefined)
    parts.push(
      `${t('Default')}: ${String(s.default)}${unit} — ${String(s['x-source'] ?? '')} [${String(s['x-grade'] ?? '')}]`,
    );
  else if (typeof s['x-default-ref'] === 'string') parts.push(`${t('Default')}: ${s['x-default-ref']}`);
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
  if (s.type === 'array' || (s.type === 'object' && s.additionalProperties)) return jsonField(f);
  const choices = s.enum
    ? (s.enum as string[]).map((v) => ({ value: v, label: t(v) }))
    : ctx.choices[f.keyPath];
  if (choices) return choiceField(f, choices);
  if (s.type === 'number' || s.type === 'integer') return numberField(f);
  return textField(f);
}

/** A quantity field: a number, a number with a unit, an expression of `year` or a year schedule. */
function quantityField(f: Field): HTMLElement {
  const { obj, here, key, s, ctx, inherited } = f;
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
  return fieldRow(labelOf(key, s), s.unit || undefined, input, f.full, defaultHelp(f));
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

/** A list of ids or a parameter map as JSON text; text that does not parse is reported, not kept. */
function jsonField(f: Field): HTMLElement {
  const { obj, here, key, s, ctx } = f;
  const input = el('input', { type: 'text', spellcheck: 'false' });
  input.value = f.value === undefined ? '' : JSON.stringify(f.value);
  input.placeholder = s.type === 'array' ? '["id", …]' : '{"name": value}';
  input.addEventListener('input', () => {
    try {
      setIn(obj, here, input.value.trim() === '' ? undefined : JSON.parse(input.value));
      input.setCustomValidity('');
      ctx.onChange();
    } catch {
      input.setCustomValidity('not valid JSON');
      input.reportValidity();
    }
  });
  return fieldRow(labelOf(key, s), undefined, input, f.full, defaultHelp(f));
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
    ctx.onChange();
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

/**
 * Render the form of one cluster entry (or of the shared defaults) into sections. `onChange(true)`
 * asks for the form to be rebuilt (a structural change: a phase added, a variant switched).
 */
export function clusterForm(obj: Record<string, unknown>, schema: JS, ctx: EditorContext): HTMLElement {
  const form = el('div', { class: 'cluster-form' });
  const props = schema.properties as Record<string, JS>;
  SECTIONS.forEach((sec, i) => {
    const det = el('details', { class: 'section' });
    if (i < 2) det.open = true;
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

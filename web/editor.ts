import { z } from 'zod';
import type { FieldError } from '../models/scenario.ts';
import { ClusterDefaultsSchema, ClusterScenarioSchema } from '../models/scenario.ts';
import { el } from './dom.ts';
import { t } from './i18n.ts';

/**
 * The scenario editor, generated from the scenario schema's own JSON Schema and its metadata (label,
 * unit, bounds, `x-quantity`) — no field is hand-copied. Quantity fields take every form a scenario
 * file accepts: a number in the field's unit, a number with a unit ("10 MW"), an expression of `year`
 * ("0.4 + 0.05 * (year - 2025)") or a year schedule ({"2025": 0.4, "2028": 0.65}).
 */
// biome-ignore lint/suspicious/noExplicitAny: JSON Schema is untyped data
type JS = Record<string, any>;

const jsonSchema = (s: z.ZodType): JS => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JS;

/** The JSON Schema of one cluster entry of a scenario (and of the shared defaults). */
export const CLUSTER_SCHEMA: JS = jsonSchema(ClusterScenarioSchema);
export const DEFAULTS_SCHEMA: JS = jsonSchema(ClusterDefaultsSchema);

/** A default the engine reported using (from the result's `assumptions`), keyed by field path. */
export interface DefaultInfo {
  value: number | string;
  source: string;
  grade: string;
}

export interface EditorContext {
  /** Path prefix of the edited object in the scenario (`clusters[0]` or `defaults`). */
  prefix: string;
  /** Values inherited from the scenario's defaults (shown as placeholders in a cluster entry). */
  inherited: Record<string, unknown>;
  /** Choices for string fields, by key path within a cluster (`cooling.design`, `tariff.calendar`…). */
  choices: Record<string, Array<{ value: string; label: string }>>;
  /** Defaults the engine used, by key path within a cluster. */
  defaults: Map<string, DefaultInfo>;
  onChange: (rebuild?: boolean) => void;
}

type Key = string | number;

export function getIn(obj: unknown, path: Key[]): unknown {
  let v: unknown = obj;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<Key, unknown>)[k];
  }
  return v;
}

/** Set a value (undefined deletes it); objects on the way are created, emptied ones removed. */
export function setIn(obj: Record<string, unknown>, path: Key[], value: unknown): void {
  const stack: Array<Record<Key, unknown>> = [obj];
  let cur: Record<Key, unknown> = obj;
  for (const k of path.slice(0, -1)) {
    if (cur[k] === null || typeof cur[k] !== 'object') {
      if (value === undefined) return;
      cur[k] = typeof k === 'number' ? [] : {};
    }
    cur = cur[k] as Record<Key, unknown>;
    stack.push(cur);
  }
  const last = path[path.length - 1];
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  for (let i = stack.length - 1; i > 0; i--) {
    const o = stack[i];
    if (!Array.isArray(o) && Object.keys(o).length === 0) delete stack[i - 1][path[i - 1]];
  }
}

/** `buildout[1].racks` from ['buildout', 1, 'racks']. */
export function pathText(prefix: string, path: Key[]): string {
  let out = prefix;
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}

/** Parse the text of a quantity field into what a scenario file holds. */
export function parseQuantityText(text: string): unknown {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  if (s.startsWith('{')) {
    try {
      return JSON.parse(s);
    } catch {
      return s;
    }
  }
  return s;
}

/** Show a quantity as text. */
export function quantityText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const humanise = (k: string) =>
  k
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/Cny/g, 'CNY')
    .replace(/Kw/g, 'kW')
    .replace(/Deg$/, '(°)')
    .replace(/ M$/, ' (m)')
    .replace(/^./, (c) => c.toUpperCase());

const labelOf = (key: string, s: JS) => t(s.label ?? humanise(key));

const isQuantity = (s: JS) => s['x-quantity'] === true;
const variants = (s: JS): JS[] | null => {
  const list = (s.oneOf ?? s.anyOf) as JS[] | undefined;
  if (!list?.every((v) => v.type === 'object' && v.properties?.kind?.const !== undefined)) return null;
  return list;
};

let uid = 0;

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
    el('label', { for: id }, label, unit ? el('span', { class: 'unit' }, ` (${unit})`) : null),
    input,
    help ? el('small', { class: 'help', id: `${id}-help` }, help) : null,
    err,
  );
  return row;
}

function defaultHelp(ctx: EditorContext, key: string, s: JS, inherited: unknown): string | null {
  const parts: string[] = [];
  if (inherited !== undefined) parts.push(`${t('All clusters (defaults)')}: ${quantityText(inherited)}`);
  const d = ctx.defaults.get(key);
  const unit = s.unit ? ` ${s.unit}` : '';
  // The default the last run used (with its source), else what the schema declares (models/inputs.ts).
  if (d) parts.push(`${t('Default')}: ${d.value}${unit} — ${d.source} [${d.grade}]`);
  else if (s.default !== undefined)
    parts.push(
      `${t('Default')}: ${String(s.default)}${unit} — ${String(s['x-source'] ?? '')} [${String(s['x-grade'] ?? '')}]`,
    );
  else if (typeof s['x-default-ref'] === 'string') parts.push(`${t('Default')}: ${s['x-default-ref']}`);
  if (s.description) parts.push(s.description);
  return parts.length ? parts.join(' · ') : null;
}

function renderField(
  obj: Record<string, unknown>,
  path: Key[],
  key: string,
  s: JS,
  ctx: EditorContext,
): HTMLElement | null {
  const here = [...path, key];
  const keyPath = here.filter((k) => typeof k === 'string').join('.');
  const full = pathText(ctx.prefix, here);
  const value = getIn(obj, here);
  const inherited = getIn(ctx.inherited, here);
  if (key === '$comment' || key === '$schema') return null;
  if (isQuantity(s)) {
    const input = el('input', { type: 'text', inputmode: 'text', autocomplete: 'off', spellcheck: 'false' });
    input.value = quantityText(value);
    input.placeholder =
      inherited !== undefined
        ? quantityText(inherited)
        : (ctx.defaults.get(keyPath)?.value?.toString() ?? '');
    input.addEventListener('input', () => {
      setIn(obj, here, parseQuantityText(input.value));
      ctx.onChange();
    });
    return fieldRow(
      labelOf(key, s),
      s.unit || undefined,
      input,
      full,
      defaultHelp(ctx, keyPath, s, inherited),
    );
  }
  const vs = variants(s);
  if (vs) return renderVariant(obj, here, key, s, vs, ctx);
  if (s.type === 'object' && s.properties) {
    const box = el('fieldset', { class: 'group' });
    box.append(el('legend', {}, labelOf(key, s)));
    const optional = path.length > 0 || !['cooling'].includes(key);
    const present = value !== undefined;
    if (optional && !present && path.length > 0) {
      // an optional sub-object (e.g. green.pv): a checkbox adds it with its required fields empty
      const cb = el('input', { type: 'checkbox' });
      cb.addEventListener('change', () => {
        setIn(obj, here, {});
        ctx.onChange(true);
      });
      box.append(fieldRow(`${t('Include')} ${labelOf(key, s).toLowerCase()}`, undefined, cb, full));
      return box;
    }
    if (path.length > 0) {
      const cb = el('input', { type: 'checkbox' });
      cb.checked = true;
      cb.addEventListener('change', () => {
        setIn(obj, here, undefined);
        ctx.onChange(true);
      });
      box.append(
        fieldRow(`${t('Include')} ${labelOf(key, s).toLowerCase()}`, undefined, cb, `${full}.$include`),
      );
    }
    for (const [k, sub] of Object.entries(s.properties as Record<string, JS>)) {
      const f = renderField(obj, here, k, sub, ctx);
      if (f) box.append(f);
    }
    return box;
  }
  if (s.type === 'array' && s.items?.type === 'object') return renderTableField(obj, here, key, s, ctx);
  if (s.type === 'array' || (s.type === 'object' && s.additionalProperties)) {
    // lists of ids and parameter maps: JSON text
    const input = el('input', { type: 'text', spellcheck: 'false' });
    input.value = value === undefined ? '' : JSON.stringify(value);
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
    return fieldRow(labelOf(key, s), undefined, input, full, defaultHelp(ctx, keyPath, s, inherited));
  }
  const choices = s.enum ? (s.enum as string[]).map((v) => ({ value: v, label: v })) : ctx.choices[keyPath];
  if (choices) {
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
    return fieldRow(labelOf(key, s), s.unit || undefined, sel, full, defaultHelp(ctx, keyPath, s, inherited));
  }
  if (s.type === 'number' || s.type === 'integer') {
    const input = el('input', { type: 'number', step: s.type === 'integer' ? '1' : 'any' });
    if (s.minimum !== undefined) input.min = String(s.minimum);
    if (s.maximum !== undefined) input.max = String(s.maximum);
    input.value = value === undefined ? '' : String(value);
    if (inherited !== undefined) input.placeholder = String(inherited);
    input.addEventListener('input', () => {
      setIn(obj, here, input.value === '' ? undefined : Number(input.value));
      ctx.onChange();
    });
    return fieldRow(
      labelOf(key, s),
      s.unit || undefined,
      input,
      full,
      defaultHelp(ctx, keyPath, s, inherited),
    );
  }
  const input = el('input', { type: 'text' });
  input.value = value === undefined ? '' : String(value);
  input.addEventListener('input', () => {
    setIn(obj, here, input.value === '' ? undefined : input.value);
    ctx.onChange();
  });
  return fieldRow(labelOf(key, s), undefined, input, full, defaultHelp(ctx, keyPath, s, inherited));
}

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
  for (const v of vs) sel.append(el('option', { value: v.properties.kind.const }, v.properties.kind.const));
  sel.value = (value?.kind as string) ?? '';
  sel.addEventListener('change', () => {
    setIn(obj, here, sel.value === '' ? undefined : { kind: sel.value });
    ctx.onChange(true);
  });
  box.append(fieldRow(t('Kind'), undefined, sel, `${pathText(ctx.prefix, here)}.kind`));
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

/** An array of objects (build-out phases) as an editable table. */
function renderTableField(obj: Record<string, unknown>, here: Key[], key: string, s: JS, ctx: EditorContext) {
  const box = el('fieldset', { class: 'group table-field' });
  box.append(el('legend', {}, key === 'buildout' ? t('Build-out phases') : labelOf(key, s)));
  const own = getIn(obj, here) as Array<Record<string, unknown>> | undefined;
  const inherited = getIn(ctx.inherited, here) as Array<Record<string, unknown>> | undefined;
  if (!own && inherited) {
    box.append(el('p', { class: 'help' }, `${t('All clusters (defaults)')}: ${inherited.length} phase(s).`));
    const copy = el('button', { type: 'button' }, 'Override for this cluster');
    copy.addEventListener('click', () => {
      setIn(obj, here, structuredClone(inherited));
      ctx.onChange(true);
    });
    box.append(copy);
    return box;
  }
  const rows = own ?? [];
  const cols = Object.entries(s.items.properties as Record<string, JS>).filter(([k]) => k !== '$comment');
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
        c.unit ? el('span', { class: 'unit' }, ` (${c.unit})`) : null,
      ),
    );
  head.append(el('th', {}, ''));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  rows.forEach((_r, i) => {
    const tr = el('tr');
    for (const [k, c] of cols) {
      const cellPath = [...here, i, k];
      const full = pathText(ctx.prefix, cellPath);
      const input = el('input', {
        type: 'text',
        size: '8',
        spellcheck: 'false',
        'data-path': full,
        'aria-label': `${labelOf(k, c)}, phase ${i + 1}`,
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
      tr.append(el('td', {}, input, err));
    }
    const rm = el('button', { type: 'button', 'aria-label': `${t('Remove')} phase ${i + 1}` }, '×');
    rm.addEventListener('click', () => {
      rows.splice(i, 1);
      ctx.onChange(true);
    });
    tr.append(el('td', {}, rm));
    body.append(tr);
  });
  table.append(body);
  wrap.append(table);
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
  const body2 = el('div');
  body2.append(wrap, add);
  box.append(body2, el('span', { class: 'field-error', 'data-path-group': pathText(ctx.prefix, here) }));
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
        if (slot) slot.textContent = err.message;
        placed = true;
        break;
      }
    }
    if (!placed) unplaced.push(err);
  }
  return unplaced;
}

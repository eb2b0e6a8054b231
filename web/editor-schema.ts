import { z } from 'zod';
import { ClusterDefaultsSchema, ClusterScenarioSchema, ScenarioSchema } from '../models/scenario.ts';
import { lang, t } from './i18n.ts';

/**
 * What the scenario editor works from: the scenario schema as JSON Schema with the metadata it reads
 * (label, unit, `x-quantity`, variants by `kind`), the context a form is rendered in, and the paths
 * and values of the edited object.
 */
// biome-ignore lint/suspicious/noExplicitAny: JSON Schema is untyped data
export type JS = Record<string, any>;

const jsonSchema = (s: z.ZodType): JS => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JS;

/** The JSON Schema of one cluster entry of a scenario (and of the shared defaults). */
export const CLUSTER_SCHEMA: JS = jsonSchema(ClusterScenarioSchema);
export const DEFAULTS_SCHEMA: JS = jsonSchema(ClusterDefaultsSchema);
/** The JSON Schema of a whole scenario (its top-level fields' labels, for messages). */
export const SCENARIO_SCHEMA: JS = jsonSchema(ScenarioSchema);

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
  choices: Record<string, Array<{ value: string; label: string; title?: string }>>;
  /** The scenario's first simulated year (a year schedule's first row). */
  firstYear: number;
  /** Defaults the engine used, by key path within a cluster. */
  defaults: Map<string, DefaultInfo>;
  onChange: (rebuild?: boolean) => void;
}

export type Key = string | number;

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

/** The label of a field: its schema label (its `x-zh` in 中文), else its key in words (translated). */
export const labelOf = (key: string, s: JS): string =>
  lang() === 'zh' && s['x-zh'] ? String(s['x-zh']) : t(s.label ?? humanise(key));

/** Whether a field takes a quantity (a number, a number with a unit, an expression or a schedule). */
export const isQuantity = (s: JS) => s['x-quantity'] === true;

/** The variants of a field that is one of several objects told apart by `kind`, else null. */
export const variants = (s: JS): JS[] | null => {
  const list = (s.oneOf ?? s.anyOf) as JS[] | undefined;
  if (!list?.every((v) => v.type === 'object' && v.properties?.kind?.const !== undefined)) return null;
  return list;
};

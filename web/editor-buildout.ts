import { STANDARD_RACK_KW } from '../models/capacity.ts';
import { el } from './dom.ts';
import {
  type EditorContext,
  getIn,
  type Key,
  parseQuantityText,
  pathText,
  quantityText,
  setIn,
} from './editor-schema.ts';
import { formatNumber } from './format.ts';
import { t, tf, unitText } from './i18n.ts';

type Phase = Record<string, unknown>;

/** The units a build-out is written in: physical racks with their kW, standard racks, or MW of IT. */
export type BuildUnit = 'racks' | 'standardRacks' | 'mw';

/** The field of a phase each unit writes its amount to, and the amount's unit as shown. */
const UNIT: Record<BuildUnit, { key: 'racks' | 'standardRacks' | 'itPowerKw'; label: string; unit: string }> =
  {
    racks: { key: 'racks', label: 'Racks added', unit: 'racks' },
    standardRacks: { key: 'standardRacks', label: 'Standard racks added', unit: 'std racks' },
    mw: { key: 'itPowerKw', label: 'IT design power added', unit: 'MW' },
  };

/** The unit a phase is written in. */
export function phaseUnit(p: Phase): BuildUnit | null {
  if (p.racks !== undefined) return 'racks';
  if (p.standardRacks !== undefined) return 'standardRacks';
  if (p.itPowerKw !== undefined) return 'mw';
  return null;
}

/** The unit of a build-out: the first phase's (a scenario's phases are nearly always written alike). */
export function buildoutUnit(phases: Phase[]): BuildUnit {
  for (const p of phases) {
    const u = phaseUnit(p);
    if (u) return u;
  }
  return 'standardRacks';
}

/**
 * A literal amount in kW ("10 MW", "5 kW", "800 W" or a number in `unitKw`), else null (an expression
 * or a year schedule: not converted).
 *
 * @example
 * literalKw('10 MW', 1) // → 10000
 */
export function literalKw(v: unknown, unitKw = 1): number | null {
  if (typeof v === 'number') return v * unitKw;
  if (typeof v !== 'string') return null;
  const m = /^\s*([\d.]+)\s*(kW|MW|W)?\s*$/.exec(v);
  if (!m) return null;
  const x = Number(m[1]);
  return m[2] === 'MW' ? x * 1000 : m[2] === 'W' ? x / 1000 : m[2] === 'kW' ? x : x * unitKw;
}

/** A phase's IT design power, kW, when its amount and rack power are literal numbers. */
export function phaseKw(p: Phase): number | null {
  const u = phaseUnit(p);
  if (u === 'standardRacks') {
    const n = literalKw(p.standardRacks);
    return n === null ? null : n * STANDARD_RACK_KW;
  }
  if (u === 'racks') {
    const n = literalKw(p.racks);
    const kw = literalKw(p.kwPerRack);
    return n === null || kw === null ? null : n * kw;
  }
  if (u === 'mw') return literalKw(p.itPowerKw);
  return null;
}

/**
 * Rewrite a phase in another unit, keeping its IT design power (racks need a power per rack: the
 * phase's own, else 8 kW). Returns false when the amount is not a literal number (left as it is).
 */
export function convertPhase(p: Phase, to: BuildUnit): boolean {
  const kw = phaseKw(p);
  if (kw === null) return false;
  const perRack = literalKw(p.kwPerRack) ?? 8;
  delete p.racks;
  delete p.standardRacks;
  delete p.itPowerKw;
  if (to === 'racks') {
    p.racks = Math.round(kw / perRack);
    p.kwPerRack = perRack;
  } else if (to === 'standardRacks') {
    p.standardRacks = Math.round(kw / STANDARD_RACK_KW);
    delete p.kwPerRack;
  } else {
    p.itPowerKw = `${Number((kw / 1000).toPrecision(6))} MW`;
    p.kwPerRack = perRack;
  }
  return true;
}

/** The text of an amount in the table's unit (MW shown without its unit). */
function amountText(p: Phase, u: BuildUnit): string {
  const v = p[UNIT[u].key];
  if (u === 'mw') {
    const kw = literalKw(v);
    return kw === null ? quantityText(v) : String(Number((kw / 1000).toPrecision(6)));
  }
  return quantityText(v);
}

/** The stored value of an amount typed in the table's unit. */
function amountValue(text: string, u: BuildUnit): unknown {
  const v = parseQuantityText(text);
  if (u === 'mw' && typeof v === 'number') return `${v} MW`;
  return v;
}

/**
 * The build-out as a table in the unit the scenario uses (a select converts it): the year column first
 * and kept in view, the amount, the power per rack where the unit needs it, the retirement year. Each
 * input carries its field's path, so the validator's messages land beside it.
 */
export function buildoutTable(
  obj: Record<string, unknown>,
  here: Key[],
  ctx: EditorContext,
  opts: { simple?: boolean } = {},
): HTMLElement {
  const phases = (getIn(obj, here) as Phase[] | undefined) ?? [];
  const unit = buildoutUnit(phases);
  const box = el('div', { class: 'buildout' });
  const unitSel = el('select', { class: 'build-unit', 'aria-label': t('Unit of the build-out') });
  for (const u of ['racks', 'standardRacks', 'mw'] as const)
    unitSel.append(
      el(
        'option',
        { value: u },
        t(
          u === 'racks'
            ? 'Physical racks (with kW per rack)'
            : u === 'mw'
              ? 'MW of IT design power'
              : 'Standard racks (2.5 kW)',
        ),
      ),
    );
  unitSel.value = unit;
  const note = el('p', { class: 'help' });
  unitSel.addEventListener('change', () => {
    const to = unitSel.value as BuildUnit;
    const stuck = phases.filter((p) => !convertPhase(p, to)).length;
    if (stuck)
      note.textContent = tf('{n} phase(s) have an expression or a schedule: convert them by hand.', {
        n: stuck,
      });
    ctx.onChange(true);
  });
  const needsKw = unit !== 'standardRacks';
  const wrap = el('div', {
    class: 'table-wrap buildout-wrap',
    tabindex: '0',
    role: 'region',
    'aria-label': t('Build-out phases'),
  });
  const table = el('table', { class: 'edit-table' });
  const head = el(
    'tr',
    {},
    el('th', { scope: 'col', class: 'sticky-col' }, t('Year')),
    el(
      'th',
      { scope: 'col' },
      t(UNIT[unit].label),
      el('span', { class: 'unit' }, ` (${unitText(UNIT[unit].unit)})`),
    ),
    needsKw ? el('th', { scope: 'col' }, t('kW per rack')) : null,
    opts.simple ? null : el('th', { scope: 'col' }, t('Retired from')),
    el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, t('Remove'))),
  );
  table.append(el('thead', {}, head));
  const body = el('tbody');
  let total = 0;
  let totalKnown = true;
  phases.forEach((p, i) => {
    const cell = (key: string, text: string, label: string, write: (s: string) => unknown, cls = '') => {
      const input = el('input', {
        type: 'text',
        inputmode: 'decimal',
        size: '7',
        spellcheck: 'false',
        'data-path': pathText(ctx.prefix, [...here, i, key]),
        'aria-label': `${label}, ${tf('phase {n}', { n: i + 1 })}`,
      });
      input.value = text;
      input.addEventListener('input', () => {
        setIn(obj, [...here, i, key], write(input.value));
        ctx.onChange();
      });
      return el('td', { class: cls }, input, el('span', { class: 'field-error', 'aria-live': 'polite' }));
    };
    const year = (s: string) => (s.trim() === '' ? undefined : Number(s));
    const tr = el('tr');
    tr.append(
      cell('year', quantityText(p.year), t('Year'), year, 'sticky-col'),
      cell(UNIT[unit].key, amountText(p, unit), t(UNIT[unit].label), (s) => amountValue(s, unit)),
    );
    if (needsKw) tr.append(cell('kwPerRack', quantityText(p.kwPerRack), t('kW per rack'), parseQuantityText));
    if (!opts.simple) tr.append(cell('retireYear', quantityText(p.retireYear), t('Retired from'), year));
    const rm = el(
      'button',
      { type: 'button', 'aria-label': `${t('Remove')} ${tf('phase {n}', { n: i + 1 })}` },
      '×',
    );
    rm.addEventListener('click', () => {
      phases.splice(i, 1);
      ctx.onChange(true);
    });
    tr.append(el('td', {}, rm));
    body.append(tr);
    const kw = phaseKw(p);
    if (kw === null) totalKnown = false;
    else total += kw;
  });
  table.append(body);
  wrap.append(table);
  const add = el('button', { type: 'button' }, t('Add phase'));
  add.addEventListener('click', () => {
    const lastPhase = phases[phases.length - 1];
    const next: Phase = lastPhase
      ? { ...lastPhase, year: Number(lastPhase.year ?? 2025) + 1 }
      : { year: 2025, standardRacks: 1000 };
    delete next.$comment;
    delete next.retireYear;
    if (getIn(obj, here)) phases.push(next);
    else setIn(obj, here, [next]);
    ctx.onChange(true);
  });
  box.append(
    el('div', { class: 'field inline' }, el('label', {}, t('Unit'), unitSel)),
    note,
    wrap,
    el(
      'p',
      { class: 'help' },
      totalKnown && phases.length
        ? tf('In all: {mw} MW of IT design power = {std} standard racks of 2.5 kW.', {
            mw: formatNumber(total / 1000, 1),
            std: formatNumber(total / STANDARD_RACK_KW, 0),
          })
        : '',
    ),
    add,
    el('span', { class: 'field-error', 'data-path-group': pathText(ctx.prefix, here) }),
  );
  return box;
}

import { COOLING_DESIGN_NAMES } from '../../models/cooling.ts';
import type { App } from '../app.ts';
import { cite, el } from '../dom.ts';
import { buildoutTable } from '../editor-buildout.ts';
import { rampTable } from '../editor-ramp.ts';
import { CLUSTER_SCHEMA, type EditorContext, getIn, type JS, setIn } from '../editor-schema.ts';
import { formatNumber } from '../format.ts';
import { bi, t, tf, unitText } from '../i18n.ts';
import { schemaLabel } from '../messages.ts';
import { refNodes, sourceMarked, valueMarked } from '../source-text.ts';

/** The schema node of a cluster field (`tariff.voltage`). */
function node(path: string): JS {
  let s: JS = CLUSTER_SCHEMA;
  for (const k of path.split('.')) s = s?.properties?.[k] ?? {};
  return s;
}

/** A short line on what a cooling design is, for the planner choosing one. */
export const DESIGN_NOTES: Record<string, string> = {
  'air-cooled-chiller': 'Air-cooled chiller + CRAH, no economizer',
  'water-cooled-chiller-wse': 'Water-cooled chiller + waterside economizer + cooling tower',
  'indirect-evaporative': 'Indirect evaporative air-to-air cooling with DX trim',
  'liquid-cold-plate':
    'Liquid cold plates + dry coolers; residual air heat by CRAH + waterside-economized chiller',
  'direct-airside-adiabatic': 'Direct airside economizer with adiabatic (evaporative) assist and DX trim',
  'water-cooled-chiller': 'Water-cooled chiller + cooling tower + CRAH, no economizer',
  'dx-crac': 'DX computer-room air conditioners (CRAC), air-cooled condensers',
};

/**
 * What a simple field says about its default: the value the last run used with its source and grade
 * (the result's assumptions), else what the schema declares (models/inputs.ts), else "required".
 */
function defaultNote(ctx: EditorContext, path: string, opts: { percent?: boolean } = {}): string {
  const d = ctx.defaults.get(path);
  const s = node(path);
  const unit = s.unit ? ` ${unitText(String(s.unit))}` : '';
  const show = (v: unknown) =>
    typeof v === 'number'
      ? opts.percent
        ? `${formatNumber(v * 100, 1)} %`
        : `${formatNumber(v)}${unit}`
      : valueMarked(String(v));
  if (d)
    return tf('Default: {value} — {source} [{grade}]', {
      value: show(d.value),
      source: sourceMarked(d.source),
      grade: t(d.grade),
    });
  if (s.default !== undefined)
    return tf('Default: {value} — {source} [{grade}]', {
      value: show(s.default),
      source: sourceMarked(String(s['x-source'] ?? '')),
      grade: t(String(s['x-grade'] ?? '')),
    });
  if (typeof s['x-default-ref'] === 'string') return tf('Default: {rule}', { rule: t(s['x-default-ref']) });
  return t('No default: required.');
}

/** A labelled simple field: its label with unit, the control, where its default comes from, its error slot. */
function simpleField(
  id: string,
  label: string,
  unit: string | null,
  control: HTMLElement,
  help: string,
  step: number,
): HTMLElement {
  control.id ||= id;
  return el(
    'div',
    { class: 'field simple-field' },
    el(
      'label',
      { for: control.id },
      el('span', { class: 'step' }, String(step)),
      ` ${label}`,
      unit ? el('span', { class: 'unit' }, ` (${unit})`) : null,
    ),
    control,
    el('small', { class: 'help' }, ...refNodes(help)),
    el('span', { class: 'field-error', 'aria-live': 'polite' }),
  );
}

/** A select bound to a field of the edited object ('' = leave it out: the default). */
function boundSelect(
  obj: Record<string, unknown>,
  path: string,
  options: Array<[string, string]>,
  ctx: EditorContext,
  inherit: string,
): HTMLSelectElement {
  const sel = el('select', { 'data-path': `${ctx.prefix}.${path}` });
  sel.append(el('option', { value: '' }, inherit));
  for (const [v, text] of options) sel.append(el('option', { value: v }, text));
  const value = getIn(obj, path.split('.'));
  sel.value = typeof value === 'string' ? value : '';
  sel.addEventListener('change', () => {
    setIn(obj, path.split('.'), sel.value === '' ? undefined : sel.value);
    ctx.onChange();
  });
  return sel;
}

/** How the green target is met: bought on the year's energy, or contracted and matched hour by hour. */
type GreenMeans = 'none' | 'annual' | 'contracted';

function greenMeansOf(obj: Record<string, unknown>, inherited: Record<string, unknown>): GreenMeans {
  const green = (obj.green ?? inherited.green) as Record<string, unknown> | undefined;
  if ((green?.contracted as Record<string, unknown> | undefined)?.share !== undefined) return 'contracted';
  if ((obj.greenShare ?? inherited.greenShare) !== undefined) return 'annual';
  return 'none';
}

/**
 * The planner's simple mode: the handful of choices a planner makes, in order, each with its unit, its
 * default and where that default comes from — the site, racks per year (in physical racks with their
 * kW, standard racks or MW), the occupancy ramp, the cooling design, the supply voltage and billing,
 * and the green target with how it is met. Everything else stays in the full editor; both edit the
 * same scenario.
 */
export function simpleEditor(app: App, obj: Record<string, unknown>, ctx: EditorContext): HTMLElement {
  const box = el('div', { class: 'simple' });
  const firstYear = Number(app.scenario.startYear ?? 2025);
  const inherited = ctx.inherited;
  let step = 0;
  // 1. site
  if (ctx.prefix !== 'defaults') {
    const site = el('select', { id: 'simple-site', 'data-path': `${ctx.prefix}.cluster` });
    for (const c of app.clusters)
      site.append(
        el(
          'option',
          { value: c.id },
          `${bi(c.name, c.nameZh)} — ${t(c.province)}${c.hubNode ? ` · ${t('national hub node')}` : ''}`,
        ),
      );
    site.value = String(obj.cluster);
    site.addEventListener('change', () => {
      obj.cluster = site.value;
      ctx.onChange(true);
    });
    box.append(
      simpleField(
        'simple-site',
        t('Site (cluster)'),
        null,
        site,
        t(
          'The site sets the weather, the province’s tariff and grid emission factor, and the targets that bind it.',
        ),
        ++step,
      ),
    );
  }
  // 2. racks per year, in the planner's unit
  box.append(
    el(
      'div',
      { class: 'field simple-field' },
      el(
        'span',
        { class: 'label' },
        el('span', { class: 'step' }, String(++step)),
        ` ${t('Racks added per year')}`,
      ),
      buildoutTable(obj, ['buildout'], ctx, { simple: true }),
      el(
        'small',
        { class: 'help' },
        ...cite(
          t(
            'A standard rack is 2.5 kW of IT design power (MIIT statistics convention [miit-standard-rack]); physical racks take their own kW. No default: required.',
          ),
        ),
      ),
    ),
  );
  // 3. occupancy ramp
  box.append(
    el(
      'div',
      { class: 'field simple-field' },
      el(
        'span',
        { class: 'label' },
        el('span', { class: 'step' }, String(++step)),
        ` ${schemaLabel(node('occupancy'))}`,
      ),
      rampTable({
        value: obj.occupancy ?? inherited.occupancy,
        firstYear,
        percent: true,
        path: `${ctx.prefix}.occupancy`,
        label: t('Racks occupied'),
        onChange: (v, rebuild) => {
          setIn(obj, ['occupancy'], v);
          ctx.onChange(rebuild);
        },
      }),
      el(
        'small',
        { class: 'help' },
        ...cite(
          t(
            'Share of built racks populated and powered; between the years given it changes linearly. Hub-node clusters are held to ≥ 65 % [gansu-hub-approval-2021]. No default: required.',
          ),
        ),
      ),
      el('span', { class: 'field-error', 'aria-live': 'polite' }),
    ),
  );
  // 4. cooling design
  const cooling = boundSelect(
    obj,
    'cooling.design',
    COOLING_DESIGN_NAMES.map((d) => [d, t(DESIGN_NOTES[d])]),
    ctx,
    inherited.cooling ? `(${t('All clusters (defaults)')})` : '—',
  );
  box.append(
    simpleField(
      'simple-cooling',
      schemaLabel(node('cooling.design')),
      null,
      cooling,
      defaultNote(ctx, 'cooling.design'),
      ++step,
    ),
  );
  // 5. tariff: voltage level and billing structure
  const voltage = boundSelect(
    obj,
    'tariff.voltage',
    (node('tariff.voltage').enum as string[]).map((v) => [v, v]),
    ctx,
    t('By contract capacity (default)'),
  );
  const structure = boundSelect(
    obj,
    'tariff.structure',
    (node('tariff.structure').enum as string[]).map((v) => [v, t(v)]),
    ctx,
    t('By contract capacity (default)'),
  );
  voltage.id = 'simple-voltage';
  structure.id = 'simple-structure';
  box.append(
    el(
      'div',
      { class: 'field simple-field' },
      el(
        'span',
        { class: 'label' },
        el('span', { class: 'step' }, String(++step)),
        ` ${t('Tariff: supply voltage and billing')}`,
      ),
      el('label', { for: 'simple-voltage', class: 'sub' }, schemaLabel(node('tariff.voltage'))),
      voltage,
      el('small', { class: 'help' }, ...refNodes(defaultNote(ctx, 'tariff.voltage'))),
      el('span', { class: 'field-error', 'aria-live': 'polite' }),
      el('label', { for: 'simple-structure', class: 'sub' }, schemaLabel(node('tariff.structure'))),
      structure,
      el('small', { class: 'help' }, ...refNodes(defaultNote(ctx, 'tariff.structure'))),
      el('span', { class: 'field-error', 'aria-live': 'polite' }),
    ),
  );
  // 6. green target and how it is met
  box.append(greenTarget(obj, ctx, firstYear, ++step));
  return box;
}

/** The green target: a share by year, and whether it is bought on the year's energy or contracted hourly. */
function greenTarget(
  obj: Record<string, unknown>,
  ctx: EditorContext,
  firstYear: number,
  step: number,
): HTMLElement {
  const means = greenMeansOf(obj, ctx.inherited);
  const sel = el('select', { id: 'simple-green-means' });
  for (const [v, text] of [
    ['none', 'No green target'],
    ['annual', 'Green power bought on the year’s energy (绿电/绿证, annual matching)'],
    ['contracted', 'Contracted green power matched hour by hour (绿电交易)'],
  ] as const)
    sel.append(el('option', { value: v }, t(text)));
  sel.value = means;
  const path = means === 'contracted' ? ['green', 'contracted', 'share'] : ['greenShare'];
  const current = getIn(obj, path) ?? getIn(ctx.inherited, path);
  sel.addEventListener('change', () => {
    const share = current ?? 0.5;
    setIn(obj, ['greenShare'], undefined);
    setIn(obj, ['green', 'contracted', 'share'], undefined);
    if (sel.value === 'annual') setIn(obj, ['greenShare'], share);
    if (sel.value === 'contracted') setIn(obj, ['green', 'contracted', 'share'], share);
    ctx.onChange(true);
  });
  return el(
    'div',
    { class: 'field simple-field' },
    el(
      'label',
      { for: 'simple-green-means' },
      el('span', { class: 'step' }, String(step)),
      ` ${t('Green target and how it is met')}`,
    ),
    sel,
    means === 'none'
      ? null
      : rampTable({
          value: current,
          firstYear,
          percent: true,
          path: `${ctx.prefix}.${path.join('.')}`,
          label: t('Green share'),
          onChange: (v, rebuild) => {
            setIn(obj, path, v);
            ctx.onChange(rebuild);
          },
        }),
    el(
      'small',
      { class: 'help' },
      ...(means === 'contracted'
        ? refNodes(
            `${t('A share of the grid import bought as green power, matched hour by hour; its premium over the grid price is a default you can set in the full editor.')} ${defaultNote(ctx, 'green.contracted.premiumCnyPerMwh')}`,
          )
        : cite(
            t(
              'New data centres at hub nodes: > 80 % green power by the end of 2025 [dc-green-action-2024]. Default: none (no green power is counted).',
            ),
          )),
    ),
    el('span', { class: 'field-error', 'aria-live': 'polite' }),
  );
}

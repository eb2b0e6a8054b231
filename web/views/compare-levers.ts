import type { RunResult } from '../../models/result.ts';
import { SEEDS } from '../../seeds/index.ts';

import type { App } from '../app.ts';
import { el } from '../dom.ts';
import { formatNumber } from '../format.ts';
import { t } from '../i18n.ts';
import { LEVER_VOLTAGES, type Levers } from '../levers.ts';

type Obj = Record<string, unknown>;

/** A slider's input range, label and unit, its value, and what to call when it moves or is reset. */
interface SliderSpec {
  id: string;
  label: string;
  unit: string;
  min: number;
  max: number;
  step: number;
  value: number;
  set: boolean;
  onInput: (v: number | undefined) => void;
}

/** A labelled range input with its value and, once set, a button that resets it. */
function slider(s: SliderSpec): HTMLElement {
  const input = el('input', {
    type: 'range',
    id: s.id,
    min: String(s.min),
    max: String(s.max),
    step: String(s.step),
  });
  input.value = String(s.value);
  const out = el('output', { for: s.id, class: s.set ? 'set' : '' }, `${formatNumber(s.value)} ${s.unit}`);
  input.addEventListener('input', () => {
    out.textContent = `${formatNumber(Number(input.value))} ${s.unit}`;
    out.className = 'set';
    s.onInput(Number(input.value));
  });
  const reset = el(
    'button',
    { type: 'button', class: 'link', 'aria-label': `${t('Reset')} ${s.label}` },
    t('Reset'),
  );
  reset.addEventListener('click', () => s.onInput(undefined));
  return el('div', { class: 'lever' }, el('label', { for: s.id }, s.label), input, out, s.set ? reset : null);
}

/** The energy price cluster `i` pays without a lever: as the first run used it, else its seed's reference. */
function ownPrice(clusters: Obj[], base: RunResult | null, i: number): number {
  const res = base?.clusters[i];
  const a = res?.assumptions.find((x) => x.field === 'tariff.energyPriceCnyPerKwh');
  if (a && typeof a.value === 'number') return a.value;
  const seed = SEEDS.clusters.find((c) => c.id === clusters[i].cluster);
  return seed?.referenceEnergyPriceCnyPerKwh.value ?? 0.35;
}

/** One energy-price slider per cluster of the scenario. */
function priceSliders(app: App, lv: Levers, base: RunResult | null, changed: () => void): HTMLElement[] {
  const clusters = app.scenario.clusters as Obj[];
  const rows: HTMLElement[] = [];
  clusters.forEach((c, i) => {
    rows.push(
      slider({
        id: `price-${i}`,
        label: `${t('Energy price (flat period)')} — ${base?.clusters[i]?.name ?? String(c.cluster)}`,
        unit: 'CNY/kWh',
        min: 0.1,
        max: 0.8,
        step: 0.005,
        value: lv.price[i] ?? ownPrice(clusters, base, i),
        set: lv.price[i] !== undefined,
        onInput: (v) => {
          if (v === undefined) delete lv.price[i];
          else lv.price[i] = v;
          changed();
        },
      }),
    );
  });
  return rows;
}

/** A labelled select of `options` ([value, text]) bound to a lever; '' = the scenario's own. */
function select(
  id: string,
  label: string,
  options: Array<[string, string]>,
  value: string,
  onChange: (v: string) => void,
): HTMLElement {
  const s = el('select', { id });
  for (const [v, text] of options) s.append(el('option', { value: v }, text));
  s.value = value;
  s.addEventListener('change', () => onChange(s.value));
  return el('div', { class: 'lever' }, el('label', { for: id }, label), s);
}

/** The incentive kind and the province it applies to; picking a kind sets its usual value. */
function incentiveSelects(app: App, lv: Levers, changed: () => void): HTMLElement[] {
  const provinces = [...new Set(clusterProvinces(app))].sort();
  return [
    select(
      'incentive-kind',
      t('Incentive'),
      [
        ['', t('(scenario’s own)')],
        ...['none', 'delivered-price', 'discount', 'cap'].map((k): [string, string] => [k, t(k)]),
      ],
      lv.incentive ?? '',
      (v) => {
        lv.incentive = (v || undefined) as Levers['incentive'];
        lv.incentiveValue = lv.incentive === 'discount' ? 0.1 : lv.incentive ? 0.28 : undefined;
        changed();
      },
    ),
    select(
      'incentive-province',
      t('Incentive applies to'),
      [['', t('every cluster')], ...provinces.map((p): [string, string] => [p, `${t(p)} ${t('only')}`])],
      lv.incentiveProvince ?? '',
      (v) => {
        lv.incentiveProvince = v || undefined;
        changed();
      },
    ),
  ];
}

/** The supply-voltage lever: the T&D and demand rates of the level for every cluster. */
function voltageSelect(lv: Levers, changed: () => void): HTMLElement {
  return select(
    'voltage',
    t('Supply voltage (all clusters)'),
    [['', t('by contract capacity')], ...LEVER_VOLTAGES.map((v): [string, string] => [v, v])],
    lv.voltage ?? '',
    (v) => {
      lv.voltage = (v || undefined) as Levers['voltage'];
      changed();
    },
  );
}

/** The province of each of the scenario's clusters (seeded ones; a user cluster not known here is skipped). */
export function provinceOf(id: string): string | undefined {
  return SEEDS.clusters.find((c) => c.id === id)?.province;
}

function clusterProvinces(app: App): string[] {
  return (app.scenario.clusters as Obj[]).flatMap((c) => provinceOf(String(c.cluster)) ?? []);
}

/** The slider for the picked incentive's value (discount fraction or price); none without an incentive. */
function incentiveValueSlider(lv: Levers, changed: () => void): HTMLElement | null {
  return lv.incentive && lv.incentive !== 'none'
    ? slider({
        id: 'incentive-value',
        label:
          lv.incentive === 'discount' ? 'Discount' : lv.incentive === 'cap' ? 'Price cap' : 'Delivered price',
        unit: lv.incentive === 'discount' ? '(fraction)' : 'CNY/kWh',
        min: lv.incentive === 'discount' ? 0 : 0.1,
        max: lv.incentive === 'discount' ? 0.5 : 0.8,
        step: lv.incentive === 'discount' ? 0.01 : 0.005,
        value: lv.incentiveValue ?? 0.28,
        set: true,
        onInput: (v) => {
          lv.incentiveValue = v;
          changed();
        },
      })
    : null;
}

/** A lever that applies to every cluster, by its key in `Levers`. */
type SharedKey = 'discountRate' | 'buildCnyPerKwIt' | 'rentCnyPerKwMonth' | 'greenPremiumCnyPerMwh';

/** A slider for a lever shared by all clusters; it shows `dflt` (the scenario's own value) until set. */
function sharedSlider(
  lv: Levers,
  changed: () => void,
  key: SharedKey,
  s: Pick<SliderSpec, 'id' | 'label' | 'unit' | 'min' | 'max' | 'step'> & { dflt: number },
): HTMLElement {
  const { dflt, ...spec } = s;
  return slider({
    ...spec,
    value: lv[key] ?? dflt,
    set: lv[key] !== undefined,
    onInput: (v) => {
      lv[key] = v;
      changed();
    },
  });
}

/** The default a finance lever shows until set: the scenario's own number, else the engine's default (listed). */
function financeDefault(app: App, base: RunResult | null, key: string): number | undefined {
  const d = ((app.scenario.defaults as Obj)?.finance as Obj) ?? {};
  if (typeof d[key] === 'number') return d[key] as number;
  const a = base?.clusters[0]?.assumptions.find((x) => x.field === `finance.${key}`);
  return a && typeof a.value === 'number' ? a.value : undefined;
}

/** The finance levers shared by all clusters: discount rate, build cost per kW of IT, rent per kW. */
function sharedSliders(app: App, lv: Levers, base: RunResult | null, changed: () => void): HTMLElement[] {
  return [
    sharedSlider(lv, changed, 'discountRate', {
      id: 'dr',
      label: t('Discount rate'),
      unit: '1/yr',
      min: 0,
      max: 0.15,
      step: 0.005,
      dflt: financeDefault(app, base, 'discountRate') ?? 0.08,
    }),
    sharedSlider(lv, changed, 'buildCnyPerKwIt', {
      id: 'build',
      label: t('Build cost per kW of IT (shell, site, power, cooling)'),
      unit: 'CNY/kW',
      min: 10000,
      max: 80000,
      step: 500,
      dflt: financeDefault(app, base, 'buildCnyPerKwIt') ?? 45433,
    }),
    sharedSlider(lv, changed, 'rentCnyPerKwMonth', {
      id: 'rent',
      label: t('Rent per occupied kW·month, power included'),
      unit: 'CNY',
      min: 100,
      max: 1500,
      step: 10,
      dflt: financeDefault(app, base, 'rentCnyPerKwMonth') ?? 510,
    }),
  ];
}

/** The green-power premium slider, or a note when no cluster has contracted green power. */
function greenPremiumLever(app: App, lv: Levers, changed: () => void): HTMLElement {
  const d = (app.scenario.defaults as Obj) ?? {};
  const hasContracts = (app.scenario.clusters as Obj[]).some(
    (c) => ((c.green ?? d.green) as Obj | undefined)?.contracted,
  );
  return hasContracts
    ? sharedSlider(lv, changed, 'greenPremiumCnyPerMwh', {
        id: 'gp',
        label: t('Green-power premium over the grid price'),
        unit: 'CNY/MWh',
        min: -50,
        max: 200,
        step: 1,
        dflt: 30,
      })
    : el('p', { class: 'help' }, t('Green premium: no contracted green power in this scenario.'));
}

/** Draw the investor levers into `box`; `base` (the first run) supplies the clusters' own prices. */
export function drawLevers(
  box: HTMLElement,
  app: App,
  lv: Levers,
  base: RunResult | null,
  changed: () => void,
): void {
  box.replaceChildren(
    el('h2', { id: 'levers-h' }, t('Investor levers')),
    el(
      'p',
      { class: 'help' },
      t(
        'Each lever re-runs the whole scenario in the browser. “Reset” returns a lever to the scenario’s own value.',
      ),
    ),
    el(
      'div',
      { class: 'lever-grid' },
      ...priceSliders(app, lv, base, changed),
      voltageSelect(lv, changed),
      ...incentiveSelects(app, lv, changed),
      incentiveValueSlider(lv, changed),
      ...sharedSliders(app, lv, base, changed),
      greenPremiumLever(app, lv, changed),
    ),
  );
}

import type { RunResult } from '../../models/result.ts';
import { SEEDS } from '../../seeds/index.ts';

import type { App } from '../app.ts';
import { el } from '../dom.ts';
import { formatNumber } from '../format.ts';
import { bi, t } from '../i18n.ts';
import { LEVER_VOLTAGES, type Levers } from '../levers.ts';

type Obj = Record<string, unknown>;

/**
 * What the lever panel calls when a lever moves: `structural` when the panel's shape must change
 * (another incentive kind shows or hides its value slider). A slider being dragged is never redrawn:
 * only its own read-out changes, so the pointer, the keyboard and focus stay on it.
 */
export type LeverChange = (structural?: boolean) => void;

/** A slider's input range, label, how its value reads, the scenario's own value, and its setter. */
interface SliderSpec {
  id: string;
  label: string;
  min: number;
  max: number;
  step: number;
  /** The value shown until the lever is set: the scenario's own. */
  dflt: number;
  value: number | undefined;
  /** The value as read beside the slider (with its unit). */
  show: (v: number) => string;
  set: (v: number | undefined) => void;
}

/** A labelled range input with its read-out and a reset button (shown once set); updated in place. */
function slider(s: SliderSpec, changed: LeverChange): HTMLElement {
  const input = el('input', {
    type: 'range',
    id: s.id,
    min: String(s.min),
    max: String(s.max),
    step: String(s.step),
    'aria-describedby': `${s.id}-out`,
  });
  input.value = String(s.value ?? s.dflt);
  const out = el('output', { for: s.id, id: `${s.id}-out` });
  const reset = el(
    'button',
    { type: 'button', class: 'link', 'aria-label': `${t('Reset')}: ${s.label}` },
    t('Reset'),
  );
  const show = (v: number, set: boolean) => {
    out.textContent = s.show(v);
    out.className = set ? 'set' : '';
    reset.hidden = !set;
    input.setAttribute('aria-valuetext', s.show(v));
  };
  show(s.value ?? s.dflt, s.value !== undefined);
  input.addEventListener('input', () => {
    const v = Number(input.value);
    show(v, true);
    s.set(v);
    changed();
  });
  reset.addEventListener('click', () => {
    input.value = String(s.dflt);
    show(s.dflt, false);
    s.set(undefined);
    changed();
    input.focus();
  });
  return el(
    'div',
    { class: 'lever' },
    el('label', { for: s.id }, s.label),
    input,
    el('div', { class: 'lever-value' }, out, reset),
  );
}

/** The energy price cluster `i` pays without a lever: as the first run used it, else its seed's reference. */
function ownPrice(clusters: Obj[], base: RunResult | null, i: number): number {
  const res = base?.clusters[i];
  const a = res?.assumptions.find((x) => x.field === 'tariff.energyPriceCnyPerKwh');
  if (a && typeof a.value === 'number') return a.value;
  const seed = SEEDS.clusters.find((c) => c.id === clusters[i].cluster);
  return seed?.referenceEnergyPriceCnyPerKwh.value ?? 0.35;
}

/** A cluster entry's name in the page's language (its label, else the seed's name). */
function clusterName(c: Obj): string {
  if (typeof c.label === 'string') return c.label;
  const seed = SEEDS.clusters.find((x) => x.id === c.cluster);
  return seed ? bi(seed.name, seed.nameZh) : String(c.cluster);
}

const cnyPerKwh = (v: number) => `${formatNumber(v, 3)} ${t('CNY/kWh')}`;

/** One energy-price slider per cluster of the scenario. */
function priceSliders(app: App, lv: Levers, base: RunResult | null, changed: LeverChange): HTMLElement[] {
  const clusters = app.scenario.clusters as Obj[];
  return clusters.map((c, i) =>
    slider(
      {
        id: `price-${i}`,
        label: `${t('Energy price (flat period)')} — ${clusterName(c)}`,
        min: 0.1,
        max: 0.8,
        step: 0.005,
        dflt: ownPrice(clusters, base, i),
        value: lv.price[i],
        show: cnyPerKwh,
        set: (v) => {
          if (v === undefined) delete lv.price[i];
          else lv.price[i] = v;
        },
      },
      changed,
    ),
  );
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

/** The incentives a lever can set, by name (the scenario files' `kind`). */
export const INCENTIVE_NAMES: Record<NonNullable<Levers['incentive']>, string> = {
  none: 'No incentive',
  'delivered-price': 'Delivered price (direct trade)',
  discount: 'Discount on the energy bill',
  cap: 'Price cap',
};

/** The incentive kind and the province it applies to; picking a kind sets its usual value. */
function incentiveSelects(app: App, lv: Levers, changed: LeverChange): HTMLElement[] {
  const provinces = [...new Set(clusterProvinces(app))].sort();
  return [
    select(
      'incentive-kind',
      t('Incentive'),
      [
        ['', t('(scenario’s own)')],
        ...Object.entries(INCENTIVE_NAMES).map(([k, name]): [string, string] => [k, t(name)]),
      ],
      lv.incentive ?? '',
      (v) => {
        lv.incentive = (v || undefined) as Levers['incentive'];
        lv.incentiveValue = lv.incentive === 'discount' ? 0.1 : lv.incentive ? 0.28 : undefined;
        changed(true);
      },
    ),
    select(
      'incentive-province',
      t('Incentive applies to'),
      [['', t('every cluster')], ...provinces.map((p): [string, string] => [p, `${t('only')} ${t(p)}`])],
      lv.incentiveProvince ?? '',
      (v) => {
        lv.incentiveProvince = v || undefined;
        changed();
      },
    ),
  ];
}

/** The supply-voltage lever: the T&D and demand rates of the level for every cluster. */
function voltageSelect(lv: Levers, changed: LeverChange): HTMLElement {
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

/** The slider for the picked incentive's value (discount as a percentage, or a price); none without one. */
function incentiveValueSlider(lv: Levers, changed: LeverChange): HTMLElement | null {
  if (!lv.incentive || lv.incentive === 'none') return null;
  const discount = lv.incentive === 'discount';
  return slider(
    {
      id: 'incentive-value',
      label: t(discount ? 'Discount' : lv.incentive === 'cap' ? 'Price cap' : 'Delivered price'),
      min: discount ? 0 : 0.1,
      max: discount ? 0.5 : 0.8,
      step: discount ? 0.01 : 0.005,
      dflt: discount ? 0.1 : 0.28,
      value: lv.incentiveValue ?? (discount ? 0.1 : 0.28),
      show: discount ? (v) => `${formatNumber(v * 100, 0)} %` : cnyPerKwh,
      set: (v) => {
        lv.incentiveValue = v ?? (discount ? 0.1 : 0.28);
      },
    },
    changed,
  );
}

/** A lever that applies to every cluster, by its key in `Levers`. */
type SharedKey = 'discountRate' | 'buildCnyPerKwIt' | 'rentCnyPerKwMonth' | 'greenPremiumCnyPerMwh';

/** A slider for a lever shared by all clusters; it shows `dflt` (the scenario's own value) until set. */
function sharedSlider(
  lv: Levers,
  changed: LeverChange,
  key: SharedKey,
  s: Pick<SliderSpec, 'id' | 'label' | 'min' | 'max' | 'step' | 'dflt' | 'show'>,
): HTMLElement {
  return slider(
    {
      ...s,
      value: lv[key],
      set: (v) => {
        lv[key] = v;
      },
    },
    changed,
  );
}

/** The default a finance lever shows until set: the scenario's own number, else the engine's default (listed). */
function financeDefault(app: App, base: RunResult | null, key: string): number | undefined {
  const d = ((app.scenario.defaults as Obj)?.finance as Obj) ?? {};
  if (typeof d[key] === 'number') return d[key] as number;
  const a = base?.clusters[0]?.assumptions.find((x) => x.field === `finance.${key}`);
  return a && typeof a.value === 'number' ? a.value : undefined;
}

/** The finance levers shared by all clusters: discount rate, build cost per kW of IT, rent per kW. */
function sharedSliders(app: App, lv: Levers, base: RunResult | null, changed: LeverChange): HTMLElement[] {
  return [
    sharedSlider(lv, changed, 'discountRate', {
      id: 'dr',
      label: t('Discount rate'),
      min: 0,
      max: 0.15,
      step: 0.005,
      dflt: financeDefault(app, base, 'discountRate') ?? 0.08,
      show: (v) => `${formatNumber(v * 100, 1)} % ${t('a year')}`,
    }),
    sharedSlider(lv, changed, 'buildCnyPerKwIt', {
      id: 'build',
      label: t('Build cost per kW of IT (shell, site, power, cooling)'),
      min: 10000,
      max: 80000,
      step: 500,
      dflt: financeDefault(app, base, 'buildCnyPerKwIt') ?? 45433,
      show: (v) => `${formatNumber(v, 0)} ${t('CNY/kW')}`,
    }),
    sharedSlider(lv, changed, 'rentCnyPerKwMonth', {
      id: 'rent',
      label: t('Rent per occupied kW·month, power included'),
      min: 100,
      max: 1500,
      step: 10,
      dflt: financeDefault(app, base, 'rentCnyPerKwMonth') ?? 510,
      show: (v) => `${formatNumber(v, 0)} ${t('CNY/kW·month')}`,
    }),
  ];
}

/** The green-power premium slider, or a note when no cluster has contracted green power. */
function greenPremiumLever(app: App, lv: Levers, changed: LeverChange): HTMLElement {
  const d = (app.scenario.defaults as Obj) ?? {};
  const hasContracts = (app.scenario.clusters as Obj[]).some(
    (c) => ((c.green ?? d.green) as Obj | undefined)?.contracted,
  );
  return hasContracts
    ? sharedSlider(lv, changed, 'greenPremiumCnyPerMwh', {
        id: 'gp',
        label: t('Green-power premium over the grid price'),
        min: -50,
        max: 200,
        step: 1,
        dflt: 30,
        show: (v) => `${formatNumber(v, 0)} ${t('CNY/MWh')}`,
      })
    : el('p', { class: 'help' }, t('Green premium: no contracted green power in this scenario.'));
}

/**
 * Draw the investor levers into `box`; `base` (the first run) supplies the clusters' own prices. Called
 * once per scenario and when the panel's shape changes — never while a slider moves.
 */
export function drawLevers(
  box: HTMLElement,
  app: App,
  lv: Levers,
  base: RunResult | null,
  changed: LeverChange,
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

import type { RunResult } from '../../models/result.ts';
import { SEEDS } from '../../seeds/index.ts';

import type { App } from '../app.ts';
import { el } from '../dom.ts';
import { formatNumber } from '../format.ts';
import { t } from '../i18n.ts';
import type { Levers } from '../levers.ts';

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

/** The incentive kind for all clusters; picking one sets its usual value. */
function incentiveSelect(lv: Levers, changed: () => void): HTMLElement {
  const inc = el('select', { id: 'incentive-kind' });
  for (const k of ['', 'none', 'delivered-price', 'discount', 'cap'])
    inc.append(el('option', { value: k }, k || '(scenario’s own)'));
  inc.value = lv.incentive ?? '';
  inc.addEventListener('change', () => {
    lv.incentive = (inc.value || undefined) as Levers['incentive'];
    lv.incentiveValue = lv.incentive === 'discount' ? 0.1 : lv.incentive ? 0.28 : undefined;
    changed();
  });
  return el(
    'div',
    { class: 'lever' },
    el('label', { for: 'incentive-kind' }, 'Incentive (all clusters)'),
    inc,
  );
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
type SharedKey = Exclude<keyof Levers, 'price' | 'incentive' | 'incentiveValue'>;

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

/** The tariff (T&D, funds) and finance (discount rate, capex, rent) levers shared by all clusters. */
function sharedSliders(app: App, lv: Levers, changed: () => void): HTMLElement[] {
  const d = (app.scenario.defaults as Obj) ?? {};
  const fin = (d.finance as Obj) ?? {};
  const numberOr = (v: unknown, x: number) => (typeof v === 'number' ? v : x);
  return [
    sharedSlider(lv, changed, 'td', {
      id: 'td',
      label: 'T&D charge (all clusters)',
      unit: 'CNY/kWh',
      min: 0,
      max: 0.3,
      step: 0.005,
      dflt: 0,
    }),
    sharedSlider(lv, changed, 'funds', {
      id: 'funds',
      label: 'Government funds (all clusters)',
      unit: 'CNY/kWh',
      min: 0,
      max: 0.1,
      step: 0.001,
      dflt: 0,
    }),
    sharedSlider(lv, changed, 'discountRate', {
      id: 'dr',
      label: 'Discount rate',
      unit: '1/yr',
      min: 0,
      max: 0.15,
      step: 0.005,
      dflt: numberOr(fin.discountRate, 0.08),
    }),
    sharedSlider(lv, changed, 'capexCnyPerRack', {
      id: 'capex',
      label: 'Capex per rack (building + M&E)',
      unit: 'CNY',
      min: 50000,
      max: 1200000,
      step: 5000,
      dflt: numberOr(fin.capexCnyPerRack, 180000),
    }),
    sharedSlider(lv, changed, 'rentCnyPerRackMonth', {
      id: 'rent',
      label: 'Rack rental per occupied rack-month',
      unit: 'CNY',
      min: 0,
      max: 10000,
      step: 50,
      dflt: numberOr(fin.rentCnyPerRackMonth, 3500),
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
        label: 'Green-power premium over the grid price',
        unit: 'CNY/MWh',
        min: -50,
        max: 200,
        step: 1,
        dflt: 30,
      })
    : el('p', { class: 'help' }, 'Green premium: no contracted green power in this scenario.');
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
      'Each lever re-runs the whole scenario in the browser. “Reset” returns a lever to the scenario’s own value.',
    ),
    el(
      'div',
      { class: 'lever-grid' },
      ...priceSliders(app, lv, base, changed),
      incentiveSelect(lv, changed),
      incentiveValueSlider(lv, changed),
      ...sharedSliders(app, lv, changed),
      greenPremiumLever(app, lv, changed),
    ),
  );
}

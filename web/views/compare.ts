import type { RunResult } from '../../models/result.ts';
import { SEEDS } from '../../seeds/index.ts';

import type { App } from '../app.ts';
import { cashFlowChart, gapChart } from '../charts/compare.ts';
import { figure, renderTable } from '../charts/figure.ts';
import { el } from '../dom.ts';
import { formatNumber } from '../format.ts';
import { t } from '../i18n.ts';
import { applyLevers, type Levers, leversFromUrl } from '../levers.ts';
import { contextBox, pickScenario, scenarioPicker } from './plan.ts';

type Obj = Record<string, unknown>;

function leverParams(lv: Levers, n: number): Record<string, string | number | null> {
  const p: Record<string, string | number | null> = {
    inc: lv.incentive ?? null,
    incv: lv.incentiveValue ?? null,
    td: lv.td ?? null,
    funds: lv.funds ?? null,
    dr: lv.discountRate ?? null,
    capex: lv.capexCnyPerRack ?? null,
    rent: lv.rentCnyPerRackMonth ?? null,
    gp: lv.greenPremiumCnyPerMwh ?? null,
  };
  for (let i = 0; i < Math.max(n, 50); i++) p[`p${i}`] = lv.price[i] ?? null;
  return p;
}

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

/** The investor's view: ranking, cost-gap drivers, cash flows and levers that re-run the engine. */
export async function compareView(root: HTMLElement, app: App, params: URLSearchParams): Promise<void> {
  const lv = leversFromUrl(params);
  const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const leversBox = el('section', { class: 'levers', 'aria-labelledby': 'levers-h' });
  const out = el('div', { id: 'compare-results', 'aria-live': 'polite' });
  let base: RunResult | null = null;
  const width = () => Math.min(900, Math.max(300, out.clientWidth || root.clientWidth || 800));

  const run = async () => {
    status.textContent = t('Simulating…');
    const scenario = applyLevers(app.scenario, lv);
    const ans = await app.engine.run(scenario, { clusterIndex: 0 }, 'compare');
    if (!ans) return;
    if (!ans.ok) {
      status.textContent = `Not simulated: ${ans.errors[0].path}: ${ans.errors[0].message}`;
      return;
    }
    status.textContent = `${ans.result.engine.clusterHours.toLocaleString('en-US')} cluster-hours simulated in ${Math.round(ans.ms)} ms.`;
    if (!base) {
      base = ans.result;
      drawLevers();
    }
    drawResults(ans.result);
  };

  const changed = () => {
    app.syncUrl(leverParams(lv, (app.scenario.clusters as unknown[]).length));
    drawLevers();
    void run();
  };

  const drawLevers = () => {
    const clusters = app.scenario.clusters as Obj[];
    const rows: HTMLElement[] = [];
    const priceOf = (i: number): number => {
      const res = base?.clusters[i];
      const a = res?.assumptions.find((x) => x.field === 'tariff.energyPriceCnyPerKwh');
      if (a && typeof a.value === 'number') return a.value;
      const seed = SEEDS.clusters.find((c) => c.id === clusters[i].cluster);
      return seed?.referenceEnergyPriceCnyPerKwh.value ?? 0.35;
    };
    clusters.forEach((c, i) => {
      rows.push(
        slider({
          id: `price-${i}`,
          label: `${t('Energy price (flat period)')} — ${base?.clusters[i]?.name ?? String(c.cluster)}`,
          unit: 'CNY/kWh',
          min: 0.1,
          max: 0.8,
          step: 0.005,
          value: lv.price[i] ?? priceOf(i),
          set: lv.price[i] !== undefined,
          onInput: (v) => {
            if (v === undefined) delete lv.price[i];
            else lv.price[i] = v;
            changed();
          },
        }),
      );
    });
    const inc = el('select', { id: 'incentive-kind' });
    for (const k of ['', 'none', 'delivered-price', 'discount', 'cap'])
      inc.append(el('option', { value: k }, k || '(scenario’s own)'));
    inc.value = lv.incentive ?? '';
    inc.addEventListener('change', () => {
      lv.incentive = (inc.value || undefined) as Levers['incentive'];
      lv.incentiveValue = lv.incentive === 'discount' ? 0.1 : lv.incentive ? 0.28 : undefined;
      changed();
    });
    const incRow = el(
      'div',
      { class: 'lever' },
      el('label', { for: 'incentive-kind' }, 'Incentive (all clusters)'),
      inc,
    );
    const incValue =
      lv.incentive && lv.incentive !== 'none'
        ? slider({
            id: 'incentive-value',
            label:
              lv.incentive === 'discount'
                ? 'Discount'
                : lv.incentive === 'cap'
                  ? 'Price cap'
                  : 'Delivered price',
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
    const global = (
      id: string,
      key: Exclude<keyof Levers, 'price' | 'incentive' | 'incentiveValue'>,
      label: string,
      unit: string,
      min: number,
      max: number,
      step: number,
      dflt: number,
    ) =>
      slider({
        id,
        label,
        unit,
        min,
        max,
        step,
        value: lv[key] ?? dflt,
        set: lv[key] !== undefined,
        onInput: (v) => {
          lv[key] = v;
          changed();
        },
      });
    const d = (app.scenario.defaults as Obj) ?? {};
    const fin = (d.finance as Obj) ?? {};
    const numberOr = (v: unknown, x: number) => (typeof v === 'number' ? v : x);
    const hasContracts = (app.scenario.clusters as Obj[]).some(
      (c) => ((c.green ?? d.green) as Obj | undefined)?.contracted,
    );
    leversBox.replaceChildren(
      el('h2', { id: 'levers-h' }, t('Investor levers')),
      el(
        'p',
        { class: 'help' },
        'Each lever re-runs the whole scenario in the browser. “Reset” returns a lever to the scenario’s own value.',
      ),
      el(
        'div',
        { class: 'lever-grid' },
        ...rows,
        incRow,
        incValue,
        global('td', 'td', 'T&D charge (all clusters)', 'CNY/kWh', 0, 0.3, 0.005, 0),
        global('funds', 'funds', 'Government funds (all clusters)', 'CNY/kWh', 0, 0.1, 0.001, 0),
        global(
          'dr',
          'discountRate',
          'Discount rate',
          '1/yr',
          0,
          0.15,
          0.005,
          numberOr(fin.discountRate, 0.08),
        ),
        global(
          'capex',
          'capexCnyPerRack',
          'Capex per rack (building + M&E)',
          'CNY',
          50000,
          1200000,
          5000,
          numberOr(fin.capexCnyPerRack, 180000),
        ),
        global(
          'rent',
          'rentCnyPerRackMonth',
          'Rack rental per occupied rack-month',
          'CNY',
          0,
          10000,
          50,
          numberOr(fin.rentCnyPerRackMonth, 3500),
        ),
        hasContracts
          ? global(
              'gp',
              'greenPremiumCnyPerMwh',
              'Green-power premium over the grid price',
              'CNY/MWh',
              -50,
              200,
              1,
              30,
            )
          : el('p', { class: 'help' }, 'Green premium: no contracted green power in this scenario.'),
      ),
    );
  };

  const drawResults = (r: RunResult) => {
    if (!r.comparison) {
      out.replaceChildren(
        el(
          'p',
          {},
          'The investor comparison needs at least two clusters: pick a scenario with several (e.g. “East–west compare”).',
        ),
      );
      return;
    }
    const cmp = r.comparison;
    const ranking = {
      columns: [
        { key: 'rank', label: '#', digits: 0 },
        { key: 'name', label: 'Cluster', minWidth: '14rem' },
        { key: 'cost', label: 'Cost per occupied rack-year', unit: 'CNY/rack-yr', digits: 0 },
        { key: 'lcost', label: 'Levelized cost per rack-year', unit: 'CNY/rack-yr', digits: 0 },
        { key: 'npv', label: 'NPV', unit: 'M CNY', digits: 1 },
        { key: 'irr', label: 'IRR', unit: '%', digits: 1 },
        { key: 'payback', label: 'Simple payback', unit: 'yr', digits: 1 },
        { key: 'pue', label: 'PUE', digits: 3 },
        { key: 'green', label: 'Green share', unit: '%', digits: 1 },
        { key: 'co2', label: 'Carbon, location-based', unit: 'kt CO2', digits: 1 },
        { key: 'price', label: 'Average grid price', unit: 'CNY/kWh', digits: 4 },
      ],
      rows: cmp.ranking.map((x) => {
        const c = r.clusters.find((y) => y.clusterId === x.clusterId && y.name === x.name)!;
        return {
          rank: x.rank.cost,
          name: x.name,
          cost: x.costPerRackYearCny,
          lcost: x.levelizedCostPerRackYearCny,
          npv: x.npvCny === null ? null : x.npvCny / 1e6,
          irr: x.irr === null ? null : x.irr * 100,
          payback: c.finance.paybackYears,
          pue: x.pue,
          green: x.greenShare * 100,
          co2: x.carbonLocationTco2 / 1000,
          price: x.averagePriceCnyPerKwh,
        };
      }),
    };
    const o = { width: width() };
    const ctx = el('div', { class: 'contexts' });
    for (const c of r.clusters) if (c.warnings.length) ctx.append(contextBox(c));
    out.replaceChildren(
      el(
        'section',
        { 'aria-labelledby': 'rank-h' },
        el('h2', { id: 'rank-h' }, `${t('Ranking')} — ${t('Cost per occupied rack-year')}`),
        renderTable(
          ranking,
          `Cheapest: ${r.clusters.find((c) => c.clusterId === cmp.best)?.name ?? cmp.best ?? '—'}`,
        ),
      ),
      figure(gapChart(cmp, o)),
      figure(cashFlowChart(r.clusters, r.scenario.startYear, o)),
      el('p', { class: 'help' }, cmp.note),
      ctx,
    );
  };

  const picker = await scenarioPicker(app, async (v) => {
    await pickScenario(app, v);
    lv.price = {};
    base = null;
    changed();
  });
  root.replaceChildren(
    el(
      'p',
      { class: 'lead' },
      'The same build in each cluster, ranked by cost per occupied rack-year once tariffs, time-of-use, capacity charges, incentives, PUE and green premiums are counted. Move a lever: the clusters re-rank as the engine re-runs.',
    ),
    el('div', { class: 'toolbar' }, picker),
    status,
    el('div', { class: 'compare-grid' }, leversBox, out),
  );
  drawLevers();
  await run();
}

import type { Comparison } from '../../models/compare.ts';
import type { ClusterResult, RunResult } from '../../models/result.ts';

import type { App } from '../app.ts';
import { type CashFlowMode, cashFlowChart, gapChart, priceChart } from '../charts/compare.ts';
import { figure, renderTable, type TableData } from '../charts/figure.ts';
import { el } from '../dom.ts';
import { formatNumber } from '../format.ts';
import { t, tf } from '../i18n.ts';
import { applyLevers, type Levers, leversFromUrl } from '../levers.ts';
import { verdict } from '../verdict.ts';
import { drawLevers, type LeverChange, provinceOf } from './compare-levers.ts';
import { contextBox, localName, runStatus } from './context.ts';
import { pickScenario, scenarioPicker } from './scenario-picker.ts';
import { uncertaintyCompare } from './uncertainty.ts';

/** The levers as URL parameters (null drops one), with a price slot for every cluster. */
export function leverParams(lv: Levers, n: number): Record<string, string | number | null> {
  const p: Record<string, string | number | null> = {
    inc: lv.incentive ?? null,
    incv: lv.incentiveValue ?? null,
    incp: lv.incentiveProvince ?? null,
    v: lv.voltage ?? null,
    dr: lv.discountRate ?? null,
    build: lv.buildCnyPerKwIt ?? null,
    rent: lv.rentCnyPerKwMonth ?? null,
    gp: lv.greenPremiumCnyPerMwh ?? null,
  };
  for (let i = 0; i < Math.max(n, 50); i++) p[`p${i}`] = lv.price[i] ?? null;
  return p;
}

/** The design power of a cluster's physical racks, kW (IT design power ÷ racks in its last year). */
function rackKw(c: ClusterResult): number | null {
  const a = c.annual.at(-1);
  return a && a.racksInService > 0 ? a.designItKw / a.racksInService : null;
}

/** "5 kW racks" when every cluster's racks are alike, else null (each row then names its own). */
function commonRack(clusters: ClusterResult[]): number | null {
  const kws = clusters.map(rackKw);
  const first = kws[0];
  return first !== null && kws.every((k) => k !== null && Math.abs(k - first) < 0.01) ? first : null;
}

/**
 * The ranking table: the headline columns first (cost per occupied rack-year, naming the rack; NPV;
 * IRR; payback), then PUE, green share, carbon, the delivered price and the other costs.
 */
function rankingTable(r: RunResult, cmp: Comparison): TableData {
  const common = commonRack(r.clusters);
  const costLabel =
    common === null
      ? t('Cost per occupied rack-year')
      : tf('Cost per occupied {kw} kW rack-year', { kw: formatNumber(common, common % 1 ? 1 : 0) });
  return {
    columns: [
      { key: 'rank', label: '#', digits: 0 },
      { key: 'name', label: 'Cluster', minWidth: '9rem' },
      { key: 'cost', label: costLabel, unit: t('CNY'), digits: 0 },
      { key: 'npv', label: 'NPV', unit: t('M CNY'), digits: 1 },
      { key: 'irr', label: 'IRR', unit: '%', digits: 1 },
      { key: 'payback', label: 'Simple payback', unit: t('yr'), digits: 1 },
      { key: 'pue', label: 'PUE', digits: 3 },
      { key: 'green', label: 'Green share', unit: '%', digits: 1 },
      { key: 'co2', label: 'Carbon, location-based', unit: t('kt CO₂'), digits: 1 },
      { key: 'price', label: 'Average electricity price', unit: t('CNY/kWh'), digits: 4 },
      { key: 'std', label: 'Cost per occupied standard-rack-year (2.5 kW)', unit: t('CNY'), digits: 0 },
      {
        key: 'lcost',
        label: 'Levelized cost per occupied physical rack-year (discounted)',
        unit: t('CNY'),
        digits: 0,
      },
    ],
    rows: cmp.ranking.map((x) => {
      const c = r.clusters.find((y) => y.clusterId === x.clusterId && y.name === x.name)!;
      const kw = rackKw(c);
      return {
        rank: x.rank.cost,
        name:
          common === null && kw !== null
            ? `${x.name} · ${tf('{kw} kW racks', { kw: formatNumber(kw, kw % 1 ? 1 : 0) })}`
            : x.name,
        cost: x.costPerRackYearCny,
        std: x.costPerStandardRackYearCny,
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
}

/** Draw a run's comparison into `out`: verdict, ranking, price, cost-gap and cash-flow charts, warnings. */
function drawResults(out: HTMLElement, r: RunResult, width: () => number, app: App): void {
  if (!r.comparison) {
    out.replaceChildren(
      el(
        'p',
        {},
        t(
          'The investor comparison needs at least two clusters: pick a scenario with several (e.g. “East–west compare”).',
        ),
      ),
    );
    return;
  }
  const named = { ...r, clusters: r.clusters.map((c) => localName(app, c)) };
  const cmp = localComparison(r.comparison, r.clusters, named.clusters);
  const o = { width: width() };
  const v = verdict(cmp);
  const ctx = el('div', { class: 'contexts' });
  for (const c of named.clusters) if (c.warnings.length) ctx.append(contextBox(c));
  let mode: CashFlowMode = 'difference';
  const cashBox = el('div', { class: 'cashflow' });
  const drawCash = () => {
    const spec = cashFlowChart(named.clusters, r.scenario.startYear, { ...o, mode, cheapest: cmp.best });
    const toggle = el('div', { class: 'segmented', role: 'group', 'aria-label': t('Show the cash flow as') });
    for (const [m, label] of [
      ['difference', 'Difference to the cheapest'],
      ['cumulative', 'Cumulative discounted'],
    ] as const) {
      const b = el(
        'button',
        { type: 'button', 'aria-pressed': String(m === mode), 'data-mode': m },
        t(label),
      );
      b.addEventListener('click', () => {
        mode = m;
        drawCash();
        cashBox.querySelector<HTMLButtonElement>(`button[data-mode="${m}"]`)?.focus();
      });
      toggle.append(b);
    }
    cashBox.replaceChildren(toggle, figure(spec));
  };
  drawCash();
  out.replaceChildren(
    el(
      'section',
      { 'aria-labelledby': 'rank-h' },
      el('h2', { id: 'rank-h' }, t('Ranking')),
      el('p', { class: `verdict${v.tie ? ' tie' : ''}`, id: 'verdict' }, v.text),
      renderTable(rankingTable(named, cmp), t('Cost, returns, PUE, green share and carbon by cluster'), {
        id: 'ranking',
      }),
    ),
    figure(priceChart(cmp, o)),
    figure(gapChart(cmp, o)),
    cashBox,
    ctx,
  );
}

/** The comparison with the clusters' names in the page's language (the seeds carry Chinese names). */
function localComparison(cmp: Comparison, own: ClusterResult[], named: ClusterResult[]): Comparison {
  const nameOf = (id: string, name: string) => {
    const i = own.findIndex((c) => c.clusterId === id && c.name === name);
    return i >= 0 ? named[i].name : name;
  };
  return {
    ...cmp,
    ranking: cmp.ranking.map((x) => ({ ...x, name: nameOf(x.clusterId, x.name) })),
    drivers: cmp.drivers.map((x) => ({ ...x, name: nameOf(x.clusterId, x.name) })),
  };
}

/** The investor's view: ranking, cost-gap drivers, cash flows and levers that re-run the engine. */
export async function compareView(root: HTMLElement, app: App, params: URLSearchParams): Promise<void> {
  let lv = leversFromUrl(params);
  const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'compare-status' });
  const leversBox = el('section', { class: 'levers', 'aria-labelledby': 'levers-h' });
  const out = el('div', { id: 'compare-results' });
  let base: RunResult | null = null;
  const width = () => Math.min(900, Math.max(280, (out.clientWidth || root.clientWidth || 800) - 28));

  // the scenario's generation: an answer for a scenario picked away from is not drawn nor kept as base
  let generation = 0;
  const run = async () => {
    const gen = generation;
    const key = JSON.stringify(lv);
    const scenario = applyLevers(app.scenario, lv, provinceOf);
    runStatus(status, 'running');
    out.classList.add('updating');
    const ans = await app.engine.run(scenario, { clusterIndex: 0 }, 'compare', 'compare');
    if (!ans || app.viewSignal.aborted || gen !== generation) return;
    if (!ans.ok) {
      runStatus(status, 'invalid', ans.errors, { listErrors: true });
      return;
    }
    if (!base) {
      base = ans.result;
      if (!leversBox.contains(document.activeElement)) redrawLevers();
    }
    drawResults(out, ans.result, width, app);
    out.dataset.levers = key;
    if (!ans.superseded) out.classList.remove('updating');
    runStatus(status, ans.superseded ? 'running' : 'done', ans);
  };

  const changed: LeverChange = (structural) => {
    app.syncUrl(leverParams(lv, (app.scenario.clusters as unknown[]).length));
    if (structural) redrawLevers();
    void run();
  };

  const redrawLevers = () => drawLevers(leversBox, app, lv, base, changed);

  const picker = await scenarioPicker(app, async (v) => {
    const before = (app.scenario.clusters as unknown[]).length;
    await pickScenario(app, v);
    // another scenario: its own prices, capex, rent and tariff — the last one's levers do not carry over
    lv = { price: {} };
    base = null;
    generation++;
    app.syncUrl(leverParams(lv, Math.max(before, (app.scenario.clusters as unknown[]).length)));
    redrawLevers();
    void run();
  });
  root.replaceChildren(
    el(
      'p',
      { class: 'lead' },
      t(
        'The same build in each cluster, ranked by cost per occupied rack-year once the delivered tariff (energy, line loss, T&D, system operation, funds, demand charge), incentives, PUE, build and running costs and green premiums are counted. Move a lever: the clusters re-rank as the engine re-runs.',
      ),
    ),
    el('div', { class: 'toolbar' }, picker),
    status,
    el('div', { class: 'compare-grid' }, leversBox, out),
    uncertaintyCompare(app, () => applyLevers(app.scenario, lv, provinceOf)),
  );
  redrawLevers();
  await run();
}

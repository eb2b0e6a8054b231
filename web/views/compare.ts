import type { Comparison } from '../../models/compare.ts';
import type { RunResult } from '../../models/result.ts';

import type { App } from '../app.ts';
import { cashFlowChart, gapChart, priceChart } from '../charts/compare.ts';
import { figure, renderTable, type TableData } from '../charts/figure.ts';
import { el } from '../dom.ts';
import { annual, fieldColumn, finance, labelOf, ranking as rankingField } from '../fields.ts';
import { t } from '../i18n.ts';
import { applyLevers, type Levers, leversFromUrl } from '../levers.ts';
import { drawLevers, provinceOf } from './compare-levers.ts';
import { contextBox } from './plan.ts';
import { pickScenario, scenarioPicker } from './scenario-picker.ts';
import { uncertaintyCompare } from './uncertainty.ts';

/** The levers as URL parameters (null drops one), with a price slot for every cluster. */
function leverParams(lv: Levers, n: number): Record<string, string | number | null> {
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

/** Run the scenario with the levers applied, reporting progress in `status`; null when there is no result. */
async function simulateWithLevers(app: App, lv: Levers, status: HTMLElement): Promise<RunResult | null> {
  status.textContent = t('Simulating…');
  const scenario = applyLevers(app.scenario, lv, provinceOf);
  const ans = await app.engine.run(scenario, { clusterIndex: 0 }, 'compare');
  if (!ans) return null;
  if (!ans.ok) {
    status.textContent = `Not simulated: ${ans.errors[0].path}: ${ans.errors[0].message}`;
    return null;
  }
  status.textContent = `${ans.result.engine.clusterHours.toLocaleString('en-US')} cluster-hours simulated in ${Math.round(ans.ms)} ms.`;
  return ans.result;
}

/** The ranking table: each cluster's costs, returns, PUE, green share, carbon and grid price. */
function rankingTable(r: RunResult, cmp: Comparison): TableData {
  return {
    columns: [
      { key: 'rank', label: '#', digits: 0 },
      { key: 'name', label: 'Cluster', minWidth: '14rem' },
      fieldColumn(rankingField('costPerRackYearCny'), 'cost', 0),
      fieldColumn(rankingField('costPerStandardRackYearCny'), 'std', 0),
      fieldColumn(rankingField('levelizedCostPerRackYearCny'), 'lcost', 0),
      fieldColumn(rankingField('npvCny'), 'npv', 1, 'M CNY'),
      fieldColumn(rankingField('irr'), 'irr', 1, '%'),
      fieldColumn(finance('paybackYears'), 'payback', 1),
      fieldColumn(annual('pue'), 'pue', 3),
      fieldColumn(annual('greenShare'), 'green', 1, '%'),
      fieldColumn(annual('carbonLocationTco2'), 'co2', 1, 'kt CO2'),
      fieldColumn(rankingField('averagePriceCnyPerKwh'), 'price', 4),
    ],
    rows: cmp.ranking.map((x) => {
      const c = r.clusters.find((y) => y.clusterId === x.clusterId && y.name === x.name)!;
      return {
        rank: x.rank.cost,
        name: x.name,
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

/** Draw a run's comparison into `out`: ranking, cost-gap and cash-flow charts, note and cluster warnings. */
function drawResults(out: HTMLElement, r: RunResult, width: () => number): void {
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
  const ranking = rankingTable(r, cmp);
  const o = { width: width() };
  const ctx = el('div', { class: 'contexts' });
  for (const c of r.clusters) if (c.warnings.length) ctx.append(contextBox(c));
  out.replaceChildren(
    el(
      'section',
      { 'aria-labelledby': 'rank-h' },
      el('h2', { id: 'rank-h' }, `${t('Ranking')} — ${labelOf(rankingField('costPerRackYearCny'))}`),
      renderTable(
        ranking,
        `${t('Cheapest')}: ${r.clusters.find((c) => c.clusterId === cmp.best)?.name ?? cmp.best ?? '—'}`,
      ),
    ),
    figure(priceChart(cmp, o)),
    figure(gapChart(cmp, o)),
    figure(cashFlowChart(r.clusters, r.scenario.startYear, o)),
    el('p', { class: 'help' }, cmp.note),
    ctx,
  );
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
    const result = await simulateWithLevers(app, lv, status);
    if (!result) return;
    if (!base) {
      base = result;
      redrawLevers();
    }
    drawResults(out, result, width);
  };

  const changed = () => {
    app.syncUrl(leverParams(lv, (app.scenario.clusters as unknown[]).length));
    redrawLevers();
    void run();
  };

  const redrawLevers = () => drawLevers(leversBox, app, lv, base, changed);

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

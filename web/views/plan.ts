import type { AnnualRow, ClusterResult, RunResult } from '../../models/result.ts';
import type { FieldError } from '../../models/scenario.ts';
import type { App } from '../app.ts';
import { download, figure, renderTable, tableCsv } from '../charts/figure.ts';
import { pueHeatmap } from '../charts/heatmap.ts';
import {
  bandwidthChart,
  type ChartOptions,
  greenChart,
  loadChart,
  monthlyCostChart,
  racksChart,
  tariffChart,
} from '../charts/plan.ts';
import { scorecard, scorecardTable } from '../charts/scorecard.ts';
import { cite, el } from '../dom.ts';
import { type DefaultInfo, showErrors } from '../editor.ts';
import type { EngineResponse, FocusView } from '../engine-types.ts';
import { annual, fieldColumn, finance, labelOf } from '../fields.ts';
import { formatNumber, pct } from '../format.ts';
import { bi, lang, t } from '../i18n.ts';
import { buildEditor, type EditorHooks } from './plan-editor.ts';
import { uncertaintyPlan } from './uncertainty.ts';

/** The key figures of the focus year, as tiles. */
function kpis(c: ClusterResult, year: number): HTMLElement {
  const a = c.annual.find((x) => x.year === year) ?? c.annual[c.annual.length - 1];
  const tile = (label: string, value: string, unit = '') =>
    el(
      'div',
      { class: 'kpi' },
      el('span', { class: 'kpi-label' }, label),
      el('strong', {}, value),
      unit ? el('span', { class: 'unit' }, ` ${unit}`) : null,
    );
  return el(
    'div',
    { class: 'kpis', 'aria-label': `Key figures ${a.year}` },
    tile(
      `${labelOf(annual('standardRacks'))} ${a.year}`,
      formatNumber(a.standardRacks, 0),
      annual('standardRacks').unit,
    ),
    tile(labelOf(annual('pue')), a.itEnergyMwh > 0 ? formatNumber(a.pue, 3) : t('not computed')),
    tile(labelOf(annual('peakFacilityKw')), formatNumber(a.peakFacilityKw / 1000, 2), 'MW'),
    tile(labelOf(annual('electricityCostCny')), formatNumber(a.electricityCostCny / 1e6, 2), 'M CNY'),
    tile(labelOf(annual('wueLPerKwh')), formatNumber(a.wueLPerKwh, 2), annual('wueLPerKwh').unit),
    tile(labelOf(annual('greenShare')), pct(a.greenShare, 1)),
    tile(labelOf(annual('carbonLocationTco2')), formatNumber(a.carbonLocationTco2 / 1000, 1), 'kt CO₂'),
    tile(
      labelOf(finance('costPerRackYearCny')),
      c.finance.costPerRackYearCny === null ? '—' : formatNumber(c.finance.costPerRackYearCny, 0),
      finance('costPerRackYearCny').unit,
    ),
    tile(
      labelOf(finance('costPerStandardRackYearCny')),
      c.finance.costPerStandardRackYearCny === null
        ? '—'
        : formatNumber(c.finance.costPerStandardRackYearCny, 0),
      finance('costPerStandardRackYearCny').unit,
    ),
  );
}

/** Warnings and the defaults the engine used, next to the numbers they affect. */
export function contextBox(c: ClusterResult): HTMLElement {
  const box = el('div', { class: 'context' });
  if (c.warnings.length) {
    const ul = el('ul', { class: 'warnings', 'aria-label': t('Warnings') });
    for (const w of c.warnings) ul.append(el('li', {}, ...cite(w)));
    box.append(el('h3', {}, `${t('Warnings')} — ${c.name}`), ul);
  }
  if (c.assumptions.length) {
    const det = el('details', { class: 'assumptions' });
    det.append(
      el('summary', {}, `${t('Assumptions')}: ${c.assumptions.length} defaults used (value, source, grade)`),
    );
    det.append(
      renderTable({
        columns: [
          { key: 'field', label: 'Field' },
          { key: 'value', label: 'Value' },
          { key: 'grade', label: 'Grade' },
          { key: 'source', label: 'Source' },
        ],
        rows: c.assumptions.map((a) => ({ ...a })),
      }),
    );
    box.append(det);
  }
  return box;
}

/** The results-by-year table of a cluster, with its CSV export. */
function annualFigure(c: ClusterResult): HTMLElement {
  const col = (key: keyof AnnualRow, digits: number, unit?: string) =>
    fieldColumn(annual(key), key, digits, unit);
  const cols = [
    { ...col('year', 0), unit: undefined },
    col('standardRacks', 0),
    col('occupancy', 1, '%'),
    col('itEnergyMwh', 0),
    col('facilityEnergyMwh', 0),
    col('pue', 3),
    col('peakFacilityKw', 0),
    col('freeCoolingHours', 0),
    col('waterM3', 0),
    col('wueLPerKwh', 3),
    col('electricityCostCny', 0),
    col('averagePriceCnyPerKwh', 4),
    col('greenShare', 1, '%'),
    col('carbonLocationTco2', 0),
    col('carbonMarketTco2', 0),
    col('egressGbps', 1),
  ];
  const data = {
    columns: cols,
    rows: c.annual.map((a) => ({
      ...a,
      occupancy: a.occupancy * 100,
      greenShare: a.greenShare * 100,
      pue: a.itEnergyMwh > 0 ? a.pue : null,
    })) as unknown as Array<Record<string, number | string | null>>,
  };
  const box = el('section', { class: 'annual', 'aria-labelledby': 'annual-h' });
  const btn = el('button', { type: 'button', 'data-act': 'csv' }, 'CSV');
  btn.addEventListener('click', () =>
    download(`annual-${c.clusterId}.csv`, new Blob([tableCsv(data)], { type: 'text/csv' })),
  );
  box.append(
    el('h3', { id: 'annual-h' }, `${t('Results by year')} — ${c.name}`),
    renderTable(data),
    el('div', { class: 'chart-tools' }, btn),
  );
  return box;
}

/** Build a part of the page, with a `draw:<name>` performance measure (the bench reports them). */
function timed<T>(name: string, build: () => T): T {
  const t0 = performance.now();
  const out = build();
  performance.measure(`draw:${name}`, { start: t0, end: performance.now() });
  return out;
}

const memoed = new Map<string, { key: string; node: unknown }>();

/** Reuse a figure whose inputs (summarised by `key`) have not changed since the last redraw. */
function memo<T extends HTMLElement | null>(name: string, key: string, build: () => T): T {
  const hit = memoed.get(name);
  if (hit && hit.key === key) return hit.node as T;
  const node = timed(name, build);
  memoed.set(name, { key, node });
  return node;
}

/** A cluster result named in the page's language (the seeds carry Chinese names). */
export function localName(app: App, c: ClusterResult): ClusterResult {
  const seed = app.clusters.find((x) => x.id === c.clusterId);
  return seed && c.name === seed.name ? { ...c, name: bi(seed.name, seed.nameZh) } : c;
}

/** The cluster and focus-year selects above the results; a change asks the view to re-simulate (`refocus`). */
function focusPicker(box: HTMLElement, r: RunResult, ci: number, year: number, app: App): HTMLElement {
  const c = r.clusters[ci];
  const pick = el('div', { class: 'focus-pick' });
  const cs = el('select', { id: 'focus-cluster' });
  r.clusters.forEach((x, i) => {
    cs.append(el('option', { value: String(i) }, `${i + 1}. ${localName(app, x).name}`));
  });
  cs.value = String(ci);
  const ys = el('select', { id: 'focus-year' });
  for (const a of c.annual) ys.append(el('option', { value: String(a.year) }, String(a.year)));
  ys.value = String(year);
  pick.append(
    el('label', { for: 'focus-cluster' }, t('Cluster')),
    cs,
    el('label', { for: 'focus-year' }, t('Focus year')),
    ys,
  );
  cs.addEventListener('change', () => {
    app.clusterIndex = Number(cs.value);
    box.dispatchEvent(new CustomEvent('refocus'));
  });
  ys.addEventListener('change', () => {
    app.year = Number(ys.value);
    box.dispatchEvent(new CustomEvent('refocus'));
  });
  return pick;
}

/** The charts of a cluster: by year, then the focus year's hourly and monthly ones, green supply, bandwidth. */
function resultCharts(c: ClusterResult, focus: FocusView | null, o: ChartOptions): HTMLElement {
  const charts = el('div', { class: 'charts' });
  const lk = `${o.width}|${lang()}`;
  charts.append(
    timed('racks', () => figure(racksChart(c.annual, o))),
    timed('load', () => figure(loadChart(c.annual, o))),
  );
  if (focus) {
    charts.append(
      timed('pue-heatmap', () => figure(pueHeatmap(focus, c.name, o))),
      timed('monthly-cost', () => figure(monthlyCostChart(focus, c, o))),
      memo('tariff', `${lk}|${focus.year}|${JSON.stringify(focus.calendar)}`, () =>
        figure(tariffChart(focus, o)),
      ),
    );
  }
  const g = memo('green', `${lk}|${c.name}|${JSON.stringify(c.greenProfile)}`, () => {
    const spec = greenChart(c, o);
    return spec ? figure(spec) : null;
  });
  if (g) charts.append(g);
  const bw = c.annual.map((a) => [a.year, a.egressGbps, a.outboundCapacityGbps]);
  charts.append(memo('bandwidth', `${lk}|${JSON.stringify(bw)}`, () => figure(bandwidthChart(c.annual, o))));
  return charts;
}

/** Draw the results of a run for the focused cluster. */
export function renderResults(
  box: HTMLElement,
  r: RunResult,
  focus: FocusView | null,
  app: App,
  width: number,
) {
  const ci = Math.min(app.clusterIndex, r.clusters.length - 1);
  const c = r.clusters[ci];
  const year = focus?.year ?? c.annual[c.annual.length - 1].year;
  const pick = focusPicker(box, r, ci, year, app);
  const charts = resultCharts(c, focus, { width });
  const sc = el('section', { class: 'scorecard-box', 'aria-label': t('Target scorecard') });
  sc.append(timed('scorecard', () => scorecardTable(scorecard(c.targets))));
  box.replaceChildren(
    pick,
    kpis(c, year),
    contextBox(c),
    charts,
    sc,
    timed('annual-table', () => annualFigure(c)),
  );
}

/** The page's frame: a lead line, then the editor beside the results (status line, then the result box). */
function planLayout(root: HTMLElement) {
  const editor = el('section', { class: 'editor', 'aria-labelledby': 'editor-h' });
  const results = el('section', { class: 'results', 'aria-labelledby': 'results-h' });
  const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'run-status' });
  const summary = el('div', { class: 'error-summary', role: 'alert', hidden: '' });
  const out = el('div', { id: 'plan-results' });
  results.append(el('h2', { id: 'results-h' }, t('Results')), status, out);
  root.replaceChildren(
    el(
      'p',
      { class: 'lead' },
      t('Edit a field: the scenario re-simulates in the browser and every chart redraws.'),
    ),
    el('div', { class: 'plan-grid' }, editor, results),
  );
  return { editor, results, status, summary, out };
}

/** An answer to a run that simulated. */
type Simulated = Extract<EngineResponse, { ok: true }>;

/** Measure an edit's trip to the worker and back (`whatif-to-worker`, `whatif-from-worker`). */
function measureWorkerTrip(ans: Simulated): void {
  performance.mark('whatif-answered');
  const now = performance.timeOrigin + performance.now();
  const edited = performance.getEntriesByName('whatif-edit').at(-1);
  if (edited) {
    const sent = performance.timeOrigin + edited.startTime;
    performance.measure('whatif-to-worker', { start: edited.startTime, duration: ans.receivedAt - sent });
    performance.measure('whatif-from-worker', {
      start: ans.postedAt - performance.timeOrigin,
      duration: now - ans.postedAt,
    });
  }
}

/** Measure an edit from input to answer (`whatif-engine`) and to redrawn page (`whatif`). */
function measureWhatIf(): void {
  performance.mark('whatif-redrawn');
  try {
    performance.measure('whatif-engine', 'whatif-edit', 'whatif-answered');
    performance.measure('whatif', 'whatif-edit', 'whatif-redrawn');
  } catch {
    // no edit mark (first run)
  }
}

/** The defaults the engine used for the edited cluster (the first one while editing shared defaults). */
function defaultsUsed(result: RunResult, editTarget: number): Map<string, DefaultInfo> {
  const defaults = new Map<string, DefaultInfo>();
  const c = result.clusters[Math.max(0, editTarget)] ?? result.clusters[0];
  for (const a of c.assumptions) defaults.set(a.field, { value: a.value, source: a.source, grade: a.grade });
  return defaults;
}

/** Simulate the scenario in the worker, with hourly detail for the focused cluster and year. */
function runPlan(app: App) {
  return app.engine.run(
    app.scenario,
    { clusterIndex: app.clusterIndex, year: app.year ?? undefined },
    'plan',
  );
}

/** The planner's view: the editor beside the results, re-simulated in the worker on every edit. */
export async function planView(root: HTMLElement, app: App): Promise<void> {
  const { editor, results, status, summary, out } = planLayout(root);
  results.append(uncertaintyPlan(app, () => void hooks.reload()));
  let defaults = new Map<string, DefaultInfo>();
  let lastErrors: FieldError[] = [];
  let last: { result: RunResult; focus: FocusView | null } | null = null;
  const width = () => Math.min(860, Math.max(300, out.clientWidth || results.clientWidth || 700));

  const draw = () => {
    if (!last) return;
    renderResults(out, last.result, last.focus, app, width());
  };
  out.addEventListener('refocus', () => {
    app.syncUrl({ c: app.clusterIndex, y: app.year });
    void simulateNow(false);
  });

  const simulateNow = async (edit: boolean) => {
    status.textContent = t('Simulating…');
    const ans = await runPlan(app);
    if (!ans) return;
    if (!ans.ok) {
      lastErrors = ans.errors;
      placeErrors();
      status.textContent = `Not simulated: ${ans.errors.length} invalid field${ans.errors.length > 1 ? 's' : ''} — ${ans.errors[0].path}: ${ans.errors[0].message}`;
      status.className = 'status bad';
      return;
    }
    if (edit) measureWorkerTrip(ans);
    lastErrors = [];
    placeErrors();
    last = { result: ans.result, focus: ans.focus };
    defaults = defaultsUsed(ans.result, app.editTarget);
    draw();
    status.className = 'status';
    status.textContent = `${ans.result.engine.clusterHours.toLocaleString('en-US')} cluster-hours simulated in ${Math.round(ans.ms)} ms (engine ${ans.result.engine.version}).`;
    if (edit) measureWhatIf();
    if (firstDefaults) {
      firstDefaults = false;
      hooks.rebuild();
    }
  };
  let firstDefaults = true;

  const placeErrors = () => {
    const alias = (p: string) => (app.editTarget < 0 ? p.replace(/^clusters\[\d+\]/, 'defaults') : p);
    const unplaced = showErrors(editor, lastErrors, alias);
    summary.hidden = unplaced.length === 0;
    summary.replaceChildren(...unplaced.map((e) => el('p', {}, `${e.path}: ${e.message}`)));
  };

  const changed = (rebuild?: boolean) => {
    performance.mark('whatif-edit');
    app.edited = true;
    app.syncUrl();
    if (rebuild) hooks.rebuild();
    void simulateNow(true);
  };

  const hooks: EditorHooks = {
    defaults: () => defaults,
    changed,
    rebuild: () => buildEditor(app, editor, summary, hooks),
    reload: async () => {
      firstDefaults = true;
      await buildEditor(app, editor, summary, hooks);
      void simulateNow(false);
    },
    simulate: () => void simulateNow(false),
    placeErrors,
  };

  await hooks.rebuild();
  await simulateNow(false);
  window.addEventListener('resize', draw, { signal: app.viewSignal });
}

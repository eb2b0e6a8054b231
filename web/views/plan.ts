import type { AnnualRow, ClusterResult, RunResult } from '../../models/result.ts';
import type { FieldError } from '../../models/scenario.ts';
import type { App } from '../app.ts';
import { download, figure, renderTable, tableCsv } from '../charts/figure.ts';
import { pueHeatmap } from '../charts/heatmap.ts';
import {
  bandwidthChart,
  type ChartOptions,
  dispatchChart,
  greenChart,
  loadChart,
  monthlyCostChart,
  racksChart,
  tariffChart,
  weekOf,
} from '../charts/plan.ts';
import { scorecard, scorecardTable } from '../charts/scorecard.ts';
import { el } from '../dom.ts';
import { type DefaultInfo, showErrors } from '../editor.ts';
import type { EngineResponse, FocusView } from '../engine-types.ts';
import { annual, fieldColumn, finance, labelOf } from '../fields.ts';
import { type FigureSlots, figureSlots, timed } from '../figure-slots.ts';
import { formatNumber, pct } from '../format.ts';
import { lang, t, tf, unitText } from '../i18n.ts';
import { errorText } from '../messages.ts';
import { contextBox, localName, runStatus, storeRun } from './context.ts';
import { buildEditor, type EditorHooks } from './plan-editor.ts';
import { uncertaintyPlan } from './uncertainty.ts';

export { contextBox, localName, runStatus } from './context.ts';

/** The key figures of the focus year, as tiles. */
function kpis(c: ClusterResult, year: number): HTMLElement {
  const a = c.annual.find((x) => x.year === year) ?? c.annual[c.annual.length - 1];
  const tile = (label: string, value: string, unit = '') =>
    el(
      'div',
      { class: 'kpi' },
      el('span', { class: 'kpi-label' }, label),
      el('strong', {}, value),
      unit ? el('span', { class: 'unit' }, ` ${unitText(unit)}`) : null,
    );
  return el(
    'div',
    { class: 'kpis', 'aria-label': `${t('Key figures')} ${a.year}` },
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
  const btn = el('button', { type: 'button', 'data-act': 'csv', translate: 'no' }, 'CSV');
  btn.title = t('Download CSV');
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

/** A fingerprint of a typed array (FNV-1a over every 32-bit word: ≈ 0.02 ms for a year of hours). */
function fingerprint(a: ArrayLike<number> & { buffer: ArrayBufferLike }): string {
  const w = new Uint32Array(a.buffer, 0, Math.floor(a.buffer.byteLength / 4));
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w[i], 0x01000193) >>> 0;
  return `${w.length}:${h}`;
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

/** The week picker of the dispatch chart: the peak week, or any week of the year by its first day. */
function weekPicker(year: number, peakWeek: number, week: number | null, onPick: (w: number | null) => void) {
  const sel = el('select', { id: 'dispatch-week' });
  sel.append(el('option', { value: '' }, tf('Peak week ({date})', { date: weekStart(year, peakWeek) })));
  for (let w = 0; w < 52; w++)
    sel.append(el('option', { value: String(w) }, tf('Week of {date}', { date: weekStart(year, w) })));
  sel.value = week === null ? '' : String(week);
  sel.addEventListener('change', () => onPick(sel.value === '' ? null : Number(sel.value)));
  return el('div', { class: 'field inline' }, el('label', { for: 'dispatch-week' }, t('Week')), sel);
}

const weekStart = (year: number, w: number) =>
  new Date(Date.UTC(year, 0, 1) + w * 7 * 86400_000).toISOString().slice(5, 10);

/** The dispatch figure of the focus year, with its week picker; redraws itself when the week changes. */
function dispatchFigure(focus: FocusView, c: ClusterResult, o: ChartOptions, app: App): HTMLElement {
  const holder = el('div', { class: 'dispatch' });
  const draw = () => {
    const spec = dispatchChart(focus.dispatch, c, focus.year, { ...o, week: app.dispatchWeek ?? undefined });
    spec.controls = weekPicker(focus.year, weekOf(focus.dispatch.peakHour), app.dispatchWeek, (w) => {
      app.dispatchWeek = w;
      draw();
      holder.querySelector<HTMLSelectElement>('#dispatch-week')?.focus();
    });
    holder.replaceChildren(figure(spec));
  };
  draw();
  return holder;
}

/**
 * The charts of a cluster: by year, then the focus year's hourly and monthly ones, green supply,
 * bandwidth — each in its slot, keyed by what it draws (a chart whose inputs did not change is kept).
 */
function resultCharts(
  c: ClusterResult,
  focus: FocusView | null,
  o: ChartOptions,
  app: App,
  slots: FigureSlots,
): HTMLElement {
  const charts = el('div', { class: 'charts' });
  const lk = `${o.width}|${lang()}|${c.name}`;
  const byYear = `${lk}|${JSON.stringify(c.annual)}`;
  charts.append(
    slots.slot('racks', byYear, () => figure(racksChart(c.annual, o))),
    slots.slot('load', byYear, () => figure(loadChart(c.annual, o))),
  );
  if (focus) {
    const d = focus.dispatch;
    charts.append(
      slots.slot(
        'pue-heatmap',
        `${lk}|${focus.year}|${fingerprint(focus.pue)}|${fingerprint(focus.coolingMode)}`,
        () => figure(pueHeatmap(focus, c.name, o)),
      ),
      slots.slot(
        'dispatch',
        `${byYear}|${focus.year}|${app.dispatchWeek}|${[d.loadKw, d.pvKw, d.windKw, d.chargeKw, d.dischargeKw, d.contractedKw, d.gridKw].map(fingerprint).join()}`,
        () => dispatchFigure(focus, c, o, app),
      ),
      slots.slot('monthly-cost', `${lk}|${focus.year}|${JSON.stringify(focus.monthlyCost)}`, () =>
        figure(monthlyCostChart(focus, c, o)),
      ),
      slots.slot('tariff', `${lk}|${focus.year}|${JSON.stringify(focus.calendar)}`, () =>
        figure(tariffChart(focus, o)),
      ),
    );
  }
  charts.append(
    slots.slot('green', `${lk}|${JSON.stringify(c.greenProfile)}`, () => {
      const spec = greenChart(c, o);
      return spec ? figure(spec) : null;
    }),
  );
  const bw = c.annual.map((a) => [a.year, a.egressGbps, a.outboundCapacityGbps]);
  charts.append(
    slots.slot('bandwidth', `${lk}|${JSON.stringify(bw)}`, () => figure(bandwidthChart(c.annual, o))),
  );
  return charts;
}

/** Draw the results of a run for the focused cluster (figures in `slots`, see web/figure-slots.ts). */
export function renderResults(
  box: HTMLElement,
  r: RunResult,
  focus: FocusView | null,
  app: App,
  width: number,
  slots: FigureSlots,
) {
  const ci = Math.min(app.clusterIndex, r.clusters.length - 1);
  const c = localName(app, r.clusters[ci]);
  const year = focus?.year ?? c.annual[c.annual.length - 1].year;
  const pick = focusPicker(box, r, ci, year, app);
  const charts = resultCharts(c, focus, { width }, app, slots);
  const sc = el('section', { class: 'scorecard-box', 'aria-label': t('Target scorecard') });
  sc.append(
    slots.slot('scorecard', `${lang()}|${JSON.stringify(c.targets)}`, () =>
      scorecardTable(scorecard(c.targets)),
    ),
  );
  box.replaceChildren(
    pick,
    timed('kpis', () => kpis(c, year)),
    contextBox(c),
    charts,
    sc,
    slots.slot('annual-table', `${lang()}|${c.name}|${JSON.stringify(c.annual)}`, () => annualFigure(c)),
  );
  slots.commit();
}

/** The key figures of the last run in one line: the summary that stays in view beside the editor on a phone. */
function summaryLine(c: ClusterResult, year: number): string {
  const a = c.annual.find((x) => x.year === year) ?? c.annual[c.annual.length - 1];
  return [
    `${a.year}`,
    `${formatNumber(a.standardRacks, 0)} ${unitText('std racks')}`,
    `PUE ${a.itEnergyMwh > 0 ? formatNumber(a.pue, 3) : '—'}`,
    `${labelOf(annual('electricityCostCny'))} ${formatNumber(a.electricityCostCny / 1e6, 1)} ${unitText('M CNY')}`,
    `${labelOf(annual('greenShare'))} ${pct(a.greenShare, 0)}`,
  ].join(' · ');
}

/**
 * The page's frame: a lead line, tabs (on a phone: the editor or the results, with a summary of the
 * results that stays in view above the editor), then the editor beside the results.
 */
function planLayout(root: HTMLElement) {
  const editor = el('section', { class: 'editor', 'aria-labelledby': 'editor-h', id: 'plan-editor' });
  const results = el('section', { class: 'results', 'aria-labelledby': 'results-h', id: 'plan-results-box' });
  const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'run-status' });
  const summary = el('div', { class: 'error-summary', role: 'alert', hidden: '', id: 'error-summary' });
  const stale = el(
    'p',
    { class: 'stale-note', id: 'stale-note', hidden: '' },
    t('These results are from the last valid input: fix the marked fields and they update.'),
  );
  const out = el('div', { id: 'plan-results' });
  const store = el('button', { type: 'button', id: 'store-run' }, t('Store this run'));
  const storeMsg = el('span', { class: 'store-msg', id: 'store-msg', role: 'status', 'aria-live': 'polite' });
  results.append(
    el('h2', { id: 'results-h' }, t('Results')),
    el('div', { class: 'status-row' }, status, store, storeMsg),
    stale,
    out,
  );
  const grid = el('div', { class: 'plan-grid', 'data-tab': 'editor' }, editor, results);
  const sticky = el('button', { type: 'button', class: 'plan-summary', id: 'plan-summary', hidden: '' });
  sticky.addEventListener('click', () => showTab('results'));
  const tabs = el('div', { class: 'plan-tabs', role: 'tablist', 'aria-label': t('Plan') });
  const showTab = (which: 'editor' | 'results') => {
    grid.dataset.tab = which;
    // the results were drawn while hidden: draw them at their width now
    window.dispatchEvent(new Event('resize'));
    for (const b of tabs.querySelectorAll('button'))
      b.setAttribute('aria-selected', String(b.dataset.tab === which));
    window.scrollTo({ top: 0 });
  };
  for (const [tab, label] of [
    ['editor', 'Edit'],
    ['results', 'Results'],
  ] as const) {
    const b = el(
      'button',
      { type: 'button', role: 'tab', 'data-tab': tab, 'aria-selected': String(tab === 'editor') },
      t(label),
    );
    b.addEventListener('click', () => showTab(tab));
    tabs.append(b);
  }
  root.replaceChildren(
    el(
      'p',
      { class: 'lead' },
      t('Edit a field: the scenario re-simulates in the browser and every chart redraws.'),
    ),
    tabs,
    sticky,
    grid,
  );
  return { editor, results, status, summary, out, stale, store, storeMsg, sticky };
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
    'plan',
  );
}

/** A cluster entry's name for messages (`2. Wuhan`). */
function clusterNamer(app: App): (i: number) => string {
  return (i) => {
    const c = (app.scenario.clusters as Array<Record<string, unknown>>)[i];
    const seed = app.clusters.find((x) => x.id === c?.cluster);
    const name =
      typeof c?.label === 'string'
        ? c.label
        : seed
          ? lang() === 'zh' && seed.nameZh
            ? seed.nameZh
            : seed.name
          : String(c?.cluster ?? i + 1);
    return `${i + 1}. ${name}`;
  };
}

/** The planner's view: the editor beside the results, re-simulated in the worker on every edit. */
export async function planView(root: HTMLElement, app: App): Promise<void> {
  const { editor, results, status, summary, out, stale, store, storeMsg, sticky } = planLayout(root);
  results.append(uncertaintyPlan(app, () => void hooks.reload()));
  let defaults = new Map<string, DefaultInfo>();
  let lastErrors: FieldError[] = [];
  let last: { result: RunResult; focus: FocusView | null } | null = null;
  // the width a chart is drawn at: its card's inner width (the results box less the card's padding),
  // or — while the results tab is hidden on a phone — the window's
  const width = () =>
    Math.min(860, Math.max(280, (out.clientWidth || Math.min(window.innerWidth - 24, 728)) - 28));
  const names = clusterNamer(app);
  store.addEventListener('click', () => void storeRun(app, storeMsg, store));

  // every figure drawn after an edit: `whatif-all` (the figures out of view follow the edits' pause)
  let editDrawing = false;
  const slots = figureSlots(out, app.viewSignal, () => {
    if (!editDrawing || !last) return;
    editDrawing = false;
    performance.measure('whatif-all', 'whatif-edit');
  });
  const draw = () => {
    if (!last) return;
    renderResults(out, last.result, last.focus, app, width(), slots);
  };
  // a printed page carries every figure as it is now
  window.addEventListener('beforeprint', () => slots.flush(), { signal: app.viewSignal });
  out.addEventListener('refocus', () => {
    app.syncUrl({ c: app.clusterIndex, y: app.year });
    void simulateNow(false);
  });

  /** Mark the results stale (an input is invalid) or current, in words and for assistive technology. */
  const markStale = (isStale: boolean) => {
    results.classList.toggle('stale', isStale && last !== null);
    out.dataset.stale = String(isStale && last !== null);
    stale.hidden = !(isStale && last !== null);
    sticky.classList.toggle('stale', isStale);
    store.disabled = isStale;
  };

  const simulateNow = async (edit: boolean) => {
    runStatus(status, 'running');
    const ans = await runPlan(app);
    if (!ans || app.viewSignal.aborted) return;
    if (!ans.ok) {
      lastErrors = ans.errors;
      placeErrors();
      runStatus(status, 'invalid', ans.errors);
      markStale(true);
      return;
    }
    if (edit) {
      measureWorkerTrip(ans);
      editDrawing = true;
    }
    lastErrors = [];
    placeErrors();
    last = { result: ans.result, focus: ans.focus };
    defaults = defaultsUsed(ans.result, app.editTarget);
    draw();
    markStale(false);
    runStatus(status, ans.superseded ? 'running' : 'done', ans);
    const c = ans.result.clusters[Math.min(app.clusterIndex, ans.result.clusters.length - 1)];
    sticky.hidden = false;
    sticky.textContent = `${localName(app, c).name}: ${summaryLine(c, ans.focus?.year ?? c.annual.at(-1)!.year)} →`;
    if (edit) measureWhatIf();
    if (firstDefaults) {
      firstDefaults = false;
      hooks.rebuild();
    }
  };
  let firstDefaults = true;

  const placeErrors = () => {
    const alias = (p: string) => (app.editTarget < 0 ? p.replace(/^clusters\[\d+\]/, 'defaults') : p);
    const active = editor;
    const unplaced = showErrors(active, lastErrors, alias);
    // every error is listed at the top of the editor by its label; those shown beside a field link to it
    summary.hidden = lastErrors.length === 0;
    summary.replaceChildren(
      el(
        'p',
        {},
        el(
          'strong',
          {},
          tf(lastErrors.length === 1 ? '1 input to fix:' : '{n} inputs to fix:', { n: lastErrors.length }),
        ),
      ),
      el(
        'ul',
        {},
        ...lastErrors.map((e) => {
          const x = errorText(e, names);
          const placed = !unplaced.includes(e);
          const label = placed ? el('a', { href: '#', 'data-path': '' }, x.label) : el('strong', {}, x.label);
          if (placed)
            label.addEventListener('click', (ev) => {
              ev.preventDefault();
              const input = active.querySelector<HTMLElement>('[aria-invalid="true"]');
              const target = [...active.querySelectorAll<HTMLElement>('[aria-invalid="true"]')].find(
                (i) => i.dataset.path === e.path || i.dataset.path === alias(e.path),
              );
              (target ?? input)?.focus();
            });
          return el('li', {}, label, `${t(': ')}${x.rule}`);
        }),
      ),
    );
  };

  const changed = (rebuild?: boolean) => {
    performance.mark('whatif-edit');
    app.edited = true;
    if (rebuild) hooks.rebuild();
    void simulateNow(true);
    // the URL (a compressed copy of the scenario) after the request is on its way
    app.syncUrlSoon();
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

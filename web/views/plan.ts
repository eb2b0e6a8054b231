import { COOLING_DESIGN_NAMES } from '../../models/cooling.ts';
import type { ClusterResult, RunResult } from '../../models/result.ts';
import type { FieldError } from '../../models/scenario.ts';
import { SEEDS } from '../../seeds/index.ts';
import { ApiError, type App, api, BUNDLED, clone } from '../app.ts';
import { download, figure, renderTable, tableCsv } from '../charts/figure.ts';
import {
  bandwidthChart,
  greenChart,
  loadChart,
  monthlyCostChart,
  pueHeatmap,
  racksChart,
  scorecard,
  scorecardTable,
  tariffChart,
} from '../charts/plan.ts';
import { cite, el } from '../dom.ts';
import { CLUSTER_SCHEMA, clusterForm, DEFAULTS_SCHEMA, type DefaultInfo, showErrors } from '../editor.ts';
import type { FocusView } from '../engine-types.ts';
import { formatNumber, pct } from '../format.ts';
import { bi, lang, t } from '../i18n.ts';

/** Field choices the schema leaves open (ids the reference data knows). */
export function fieldChoices(app: App) {
  return {
    'cooling.design': COOLING_DESIGN_NAMES.map((v) => ({ value: v, label: v })),
    'tariff.calendar': SEEDS.tariffs.map((c) => ({ value: c.id, label: `${c.id} (${c.status})` })),
    workloadShape: SEEDS.workload.shapes.map((s) => ({ value: s.id, label: s.label })),
    powerCurve: SEEDS.servers.curves.map((c) => ({ value: c.id, label: `${c.model} (${c.specResultId})` })),
    cluster: app.clusters.map((c) => ({ value: c.id, label: `${c.name}${c.seeded ? '' : ' (user)'}` })),
  };
}

/** Scenario picker: bundled files and scenarios saved through the API. */
export async function scenarioPicker(app: App, onPick: (value: string) => void): Promise<HTMLElement> {
  const sel = el('select', { id: 'scenario-pick' });
  const g1 = el('optgroup', { label: t('Bundled scenarios') });
  for (const [stem, s] of Object.entries(BUNDLED))
    g1.append(el('option', { value: `s:${stem}` }, String(s.name)));
  sel.append(g1);
  try {
    const saved = await api<Array<{ id: number; name: string; latestVersion: number }>>('/api/scenarios');
    if (saved.length) {
      const g2 = el('optgroup', { label: t('Saved scenarios') });
      for (const s of saved)
        g2.append(el('option', { value: `id:${s.id}` }, `${s.name} (v${s.latestVersion})`));
      sel.append(g2);
    }
  } catch {
    // no API (static hosting): bundled scenarios only
  }
  sel.value = app.origin.kind === 'bundled' ? `s:${app.origin.stem}` : `id:${app.origin.id}`;
  if (app.edited) {
    const o = el('option', { value: 'edited' }, `${String(app.scenario.name)} (${t('edited')})`);
    sel.prepend(o);
    sel.value = 'edited';
  }
  sel.addEventListener('change', () => onPick(sel.value));
  return el('div', { class: 'field' }, el('label', { for: 'scenario-pick' }, t('Load a scenario')), sel);
}

/** Load a picked scenario into the app state. */
export async function pickScenario(app: App, value: string): Promise<void> {
  if (value.startsWith('s:')) {
    const stem = value.slice(2);
    app.scenario = clone(BUNDLED[stem]);
    app.origin = { kind: 'bundled', stem };
  } else if (value.startsWith('id:')) {
    const s = await api<{ id: number; name: string; version: number; scenario: Record<string, unknown> }>(
      `/api/scenarios/${value.slice(3)}`,
    );
    app.scenario = s.scenario;
    app.origin = { kind: 'saved', id: s.id, version: s.version, name: s.name };
  }
  app.edited = false;
  app.clusterIndex = 0;
  app.editTarget = 0;
  app.year = null;
}

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
    tile(`${t('Racks in service')} ${a.year}`, formatNumber(a.standardRacks, 0), 'std racks'),
    tile('PUE', a.itEnergyMwh > 0 ? formatNumber(a.pue, 3) : t('not computed')),
    tile(t('Peak facility power'), formatNumber(a.peakFacilityKw / 1000, 2), 'MW'),
    tile(t('Electricity cost'), formatNumber(a.electricityCostCny / 1e6, 2), 'M CNY'),
    tile('WUE', formatNumber(a.wueLPerKwh, 2), 'L/kWh'),
    tile(t('Green share'), pct(a.greenShare, 1)),
    tile(t('Carbon, location-based'), formatNumber(a.carbonLocationTco2 / 1000, 1), 'kt CO₂'),
    tile(
      t('Cost per occupied rack-year'),
      c.finance.costPerRackYearCny === null ? '—' : formatNumber(c.finance.costPerRackYearCny, 0),
      'CNY',
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

function annualFigure(c: ClusterResult): HTMLElement {
  const cols = [
    { key: 'year', label: 'Year', digits: 0 },
    { key: 'standardRacks', label: 'Standard racks (2.5 kW)', unit: 'std racks', digits: 0 },
    { key: 'occupancy', label: 'Occupancy (上架率)', unit: '%', digits: 1 },
    { key: 'itEnergyMwh', label: 'IT energy', unit: 'MWh', digits: 0 },
    { key: 'facilityEnergyMwh', label: 'Facility energy', unit: 'MWh', digits: 0 },
    { key: 'pue', label: 'PUE', digits: 3 },
    { key: 'peakFacilityKw', label: 'Peak facility power', unit: 'kW', digits: 0 },
    { key: 'freeCoolingHours', label: 'Free-cooling hours', unit: 'h', digits: 0 },
    { key: 'waterM3', label: 'Site water', unit: 'm³', digits: 0 },
    { key: 'wueLPerKwh', label: 'WUE', unit: 'L/kWh', digits: 3 },
    { key: 'electricityCostCny', label: 'Electricity cost', unit: 'CNY', digits: 0 },
    { key: 'averagePriceCnyPerKwh', label: 'Average electricity price', unit: 'CNY/kWh', digits: 4 },
    { key: 'greenShare', label: 'Green share', unit: '%', digits: 1 },
    { key: 'carbonLocationTco2', label: 'Carbon, location-based', unit: 'tCO2', digits: 0 },
    { key: 'carbonMarketTco2', label: 'Carbon, market-based', unit: 'tCO2', digits: 0 },
    { key: 'egressGbps', label: 'Peak egress demand', unit: 'Gbps', digits: 1 },
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
  const o = { width };
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
  const charts = el('div', { class: 'charts' });
  const lk = `${width}|${lang()}`;
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

/** The planner's view: the editor beside the results, re-simulated in the worker on every edit. */
export async function planView(root: HTMLElement, app: App): Promise<void> {
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
    const ans = await app.engine.run(
      app.scenario,
      { clusterIndex: app.clusterIndex, year: app.year ?? undefined },
      'plan',
    );
    if (!ans) return;
    if (!ans.ok) {
      lastErrors = ans.errors;
      placeErrors();
      status.textContent = `Not simulated: ${ans.errors.length} invalid field${ans.errors.length > 1 ? 's' : ''} — ${ans.errors[0].path}: ${ans.errors[0].message}`;
      status.className = 'status bad';
      return;
    }
    if (edit) {
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
    lastErrors = [];
    placeErrors();
    last = { result: ans.result, focus: ans.focus };
    defaults = new Map();
    const c = ans.result.clusters[Math.max(0, app.editTarget)] ?? ans.result.clusters[0];
    for (const a of c.assumptions)
      defaults.set(a.field, { value: a.value, source: a.source, grade: a.grade });
    draw();
    status.className = 'status';
    status.textContent = `${ans.result.engine.clusterHours.toLocaleString('en-US')} cluster-hours simulated in ${Math.round(ans.ms)} ms (engine ${ans.result.engine.version}).`;
    if (edit) {
      performance.mark('whatif-redrawn');
      try {
        performance.measure('whatif-engine', 'whatif-edit', 'whatif-answered');
        performance.measure('whatif', 'whatif-edit', 'whatif-redrawn');
      } catch {
        // no edit mark (first run)
      }
    }
    if (firstDefaults) {
      firstDefaults = false;
      buildEditor();
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
    if (rebuild) buildEditor();
    void simulateNow(true);
  };

  const buildEditor = async () => {
    const clusters = app.scenario.clusters as Array<Record<string, unknown>>;
    const hasDefaults = app.scenario.defaults !== undefined || clusters.length > 1;
    if (!hasDefaults && app.editTarget < 0) app.editTarget = 0;
    const picker = await scenarioPicker(app, async (v) => {
      if (v === 'edited') return;
      await pickScenario(app, v);
      app.syncUrl({ c: null, y: null });
      firstDefaults = true;
      await buildEditor();
      void simulateNow(false);
    });
    const files = fileButtons(app, async () => {
      firstDefaults = true;
      await buildEditor();
      void simulateNow(false);
    });
    const top = el('fieldset', { class: 'group' }, el('legend', {}, t('Scenario')));
    const scalar = (key: 'name' | 'startYear' | 'years', label: string, type: string) => {
      const input = el('input', { type, id: `sc-${key}`, 'data-path': key });
      input.value = String(app.scenario[key] ?? '');
      input.addEventListener('input', () => {
        app.scenario[key] =
          type === 'number' ? (input.value === '' ? undefined : Number(input.value)) : input.value;
        changed();
      });
      return el(
        'div',
        { class: 'field' },
        el('label', { for: `sc-${key}` }, t(label)),
        input,
        el('span', { class: 'field-error' }),
      );
    };
    top.append(
      scalar('name', 'Scenario name', 'text'),
      scalar('startYear', 'First simulated year', 'number'),
      scalar('years', 'Simulated years', 'number'),
    );
    const target = el('select', { id: 'edit-target' });
    if (hasDefaults) target.append(el('option', { value: '-1' }, t('All clusters (defaults)')));
    clusters.forEach((c, i) => {
      const label = `${i + 1}. ${String(c.cluster)}${c.label ? ` — ${String(c.label)}` : ''}`;
      target.append(el('option', { value: String(i) }, label));
    });
    target.value = String(app.editTarget);
    target.addEventListener('change', () => {
      app.editTarget = Number(target.value);
      if (app.editTarget >= 0) {
        app.clusterIndex = app.editTarget;
        app.syncUrl({ c: app.clusterIndex });
        void simulateNow(false);
      }
      buildEditor();
    });
    const addCluster = el('button', { type: 'button' }, `+ ${t('Cluster')}`);
    addCluster.addEventListener('click', () => {
      const used = new Set(clusters.map((c) => c.cluster));
      const next = app.clusters.find((c) => !used.has(c.id)) ?? app.clusters[0];
      clusters.push({ cluster: next.id });
      if (!app.scenario.defaults) {
        const { cluster: _c, label: _l, ...shared } = clusters[0];
        app.scenario.defaults = shared;
        clusters[0] = { cluster: clusters[0].cluster };
      }
      app.editTarget = clusters.length - 1;
      changed(true);
    });
    const rmCluster = el('button', { type: 'button' }, `${t('Remove')} ${t('Cluster').toLowerCase()}`);
    rmCluster.disabled = app.editTarget < 0 || clusters.length < 2;
    rmCluster.addEventListener('click', () => {
      clusters.splice(app.editTarget, 1);
      app.editTarget = Math.min(app.editTarget, clusters.length - 1);
      app.clusterIndex = Math.max(0, app.editTarget);
      changed(true);
    });
    const targetRow = el(
      'div',
      { class: 'field' },
      el('label', { for: 'edit-target' }, t('Edit')),
      target,
      el('div', { class: 'row-buttons' }, addCluster, rmCluster),
    );
    const ctx = {
      prefix: app.editTarget < 0 ? 'defaults' : `clusters[${app.editTarget}]`,
      inherited: app.editTarget < 0 ? {} : ((app.scenario.defaults as Record<string, unknown>) ?? {}),
      choices: fieldChoices(app),
      defaults,
      onChange: changed,
    };
    let obj: Record<string, unknown>;
    if (app.editTarget < 0) {
      app.scenario.defaults ??= {};
      obj = app.scenario.defaults as Record<string, unknown>;
    } else obj = clusters[app.editTarget];
    const form = clusterForm(obj, app.editTarget < 0 ? DEFAULTS_SCHEMA : CLUSTER_SCHEMA, ctx);
    if (app.editTarget >= 0) {
      // the cluster id first
      const idSel = el('select', { id: 'cluster-id', 'data-path': `clusters[${app.editTarget}].cluster` });
      for (const c of ctx.choices.cluster) idSel.append(el('option', { value: c.value }, c.label));
      idSel.value = String(obj.cluster);
      idSel.addEventListener('change', () => {
        obj.cluster = idSel.value;
        changed(true);
      });
      form.prepend(
        el(
          'div',
          { class: 'field' },
          el('label', { for: 'cluster-id' }, t('Cluster')),
          idSel,
          el('span', { class: 'field-error' }),
        ),
      );
    }
    editor.replaceChildren(
      el('h2', { id: 'editor-h' }, t('Scenario editor')),
      picker,
      files,
      summary,
      top,
      targetRow,
      form,
    );
    placeErrors();
  };

  await buildEditor();
  await simulateNow(false);
  window.addEventListener('resize', draw);
}

/** Upload, download and save buttons of the editor. */
function fileButtons(app: App, reload: () => Promise<void>): HTMLElement {
  const box = el('div', { class: 'file-buttons' });
  const msg = el('p', { class: 'save-msg', role: 'status', 'aria-live': 'polite' });
  const upload = el('input', {
    type: 'file',
    accept: 'application/json,.json',
    id: 'upload',
    class: 'visually-hidden',
  });
  upload.addEventListener('change', async () => {
    const f = upload.files?.[0];
    if (!f) return;
    try {
      app.scenario = JSON.parse((await f.text()).replace(/^\uFEFF/, ''));
      app.edited = true;
      app.syncUrl();
      msg.textContent = `Loaded ${f.name}.`;
      await reload();
    } catch (e) {
      msg.textContent = `${f.name}: not valid JSON (${(e as Error).message})`;
    }
  });
  const up = el('label', { for: 'upload', class: 'button', tabindex: '0' }, t('Upload JSON'));
  up.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') upload.click();
  });
  const dl = el('button', { type: 'button', id: 'download-json' }, t('Download JSON'));
  dl.addEventListener('click', () => {
    const name = String(app.scenario.name ?? 'scenario')
      .replace(/[^\w-]+/g, '-')
      .toLowerCase();
    download(
      `${name}.json`,
      new Blob([`${JSON.stringify(app.scenario, null, 2)}\n`], { type: 'application/json' }),
    );
  });
  const save = el('button', { type: 'button', id: 'save' }, t('Save as new version'));
  const doSave = async (base?: number) => {
    try {
      if (app.origin.kind === 'saved') {
        const r = await api<{ id: number; version: number; name: string }>(
          `/api/scenarios/${app.origin.id}`,
          {
            method: 'PUT',
            body: JSON.stringify({ scenario: app.scenario, baseVersion: base ?? app.origin.version }),
          },
        );
        app.origin = { kind: 'saved', id: r.id, version: r.version, name: r.name };
      } else {
        const r = await api<{ id: number; version: number; name: string }>('/api/scenarios', {
          method: 'POST',
          body: JSON.stringify(app.scenario),
        });
        app.origin = { kind: 'saved', id: r.id, version: r.version, name: r.name };
      }
      app.edited = false;
      app.syncUrl();
      msg.replaceChildren(`Saved as scenario ${app.origin.id}, version ${app.origin.version}.`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && app.origin.kind === 'saved') {
        const again = el('button', { type: 'button' }, t('Save on top of the latest version'));
        const id = app.origin.id;
        again.addEventListener('click', async () => {
          const head = await api<{ version: number }>(`/api/scenarios/${id}`);
          await doSave(head.version);
        });
        msg.replaceChildren(`${e.message} `, again);
      } else if (e instanceof ApiError) {
        msg.textContent = `Not saved: ${e.body.errors?.map((x) => `${x.path}: ${x.message}`).join('; ') || e.message}`;
      } else msg.textContent = `Not saved: ${(e as Error).message}`;
    }
  };
  save.addEventListener('click', () => void doSave());
  box.append(upload, up, dl, save, msg);
  return box;
}

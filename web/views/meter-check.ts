import sampleCsv from '../../docs/examples/meter-sample-lanzhou.csv?raw';
import { COOLING_DESIGN_NAMES } from '../../models/cooling.ts';
import { FACILITY_CLASSES } from '../../models/electrical.ts';
import type { CheckRequest, CheckResult } from '../../models/operator/check.ts';
import { METER_COLUMNS, type MeterRefusal } from '../../models/operator/meter.ts';
import { SEEDS } from '../../seeds/index.ts';
import { ApiError, type App, api } from '../app.ts';
import { download, figure, renderTable, type TableData } from '../charts/figure.ts';
import { monthlyPueChart } from '../charts/operator.ts';
import { Checker } from '../check-client.ts';
import { el } from '../dom.ts';
import { formatNumber, pct } from '../format.ts';
import { bi, t } from '../i18n.ts';
import { operatorText } from '../operator-text.ts';
import { targetLabel, targetSource } from '../targets-text.ts';
import { DESIGN_NOTES } from './simple-editor.ts';

/** The sample's site: what tools/meter-sample.ts simulated (6 MW, 70 % occupied, large class). */
const SAMPLE: Required<
  Pick<CheckRequest, 'cluster' | 'cooling' | 'facilityClass' | 'designItKw' | 'upsOnlineKw'>
> = {
  cluster: 'lanzhou',
  cooling: 'water-cooled-chiller-wse',
  facilityClass: 'large',
  designItKw: 6000,
  upsOnlineKw: 4200,
};

const checker = new Checker();

/** A labelled control. */
const field = (id: string, label: string, control: HTMLElement, help?: string) =>
  el(
    'div',
    { class: 'meter-field' },
    el('label', { for: id }, label),
    control,
    help ? el('small', { class: 'help' }, help) : null,
  );

const select = (id: string, options: Array<[string, string]>, value: string) => {
  const s = el('select', { id, name: id });
  for (const [v, text] of options) s.append(el('option', { value: v }, text));
  s.value = value;
  return s;
};

const number = (id: string, placeholder: string) =>
  el('input', { id, name: id, type: 'number', min: '0', step: 'any', inputmode: 'decimal', placeholder });

/** The defects of a refused file, by line and column, and what to do. */
function refusalView(name: string, r: MeterRefusal): HTMLElement {
  return el(
    'div',
    { class: 'errors', role: 'alert' },
    el(
      'p',
      {},
      `${name}: ${t('the file was not checked — fix these and try again')} (${r.total} ${t(r.total === 1 ? 'defect' : 'defects')})`,
    ),
    el(
      'ul',
      {},
      ...r.defects.map((d) =>
        el('li', {}, `${t('line')} ${d.line}${d.column ? `, ${t('column')} ${d.column}` : ''}: ${d.message}`),
      ),
      r.total > r.defects.length ? el('li', {}, `… ${r.total - r.defects.length} ${t('more')}`) : null,
    ),
  );
}

/** The headline metrics of the check as a table (value, unit, standard). */
function metricsTable(r: CheckResult): TableData {
  const grade =
    r.gb40879Grade === null
      ? '—'
      : r.gb40879Grade === 4
        ? t('4 — worse than the limit')
        : String(r.gb40879Grade);
  const row = (metric: string, value: number | string | null, unit: string, standard: string) => ({
    metric: t(metric),
    value,
    unit,
    standard: t(standard),
  });
  return {
    columns: [
      { key: 'metric', label: 'Metric' },
      { key: 'value', label: 'Value', digits: 3 },
      { key: 'unit', label: 'Unit' },
      { key: 'standard', label: 'Defined by' },
    ],
    rows: [
      row('PUE (energy-weighted)', r.pue, '', 'ISO/IEC 30134-2; GB/T 32910.3'),
      row('GB 40879 grade', grade, '', 'GB 40879-2021'),
      row('pPUE of cooling', r.pPueCooling, '', 'ISO/IEC 30134-2'),
      row('WUE', r.wueLPerKwh, 'L/kWh', 'ISO/IEC 30134-9'),
      row('CUE, location-based', r.cueLocationKgPerKwh, 'kg CO2/kWh', 'ISO/IEC 30134-8; provincial factor'),
      row('CUE, market-based', r.cueMarketKgPerKwh, 'kg CO2/kWh', 'ISO/IEC 30134-8; residual mix'),
      row('REF (green share)', r.ref === null ? null : pct(r.ref, 1), '', 'ISO/IEC 30134-3'),
      row('ERF', r.erf === null ? null : pct(r.erf, 1), '', 'ISO/IEC 30134-6'),
    ],
  };
}

/** The benchmarks, met or missed, with the months that miss. */
function benchmarksTable(r: CheckResult): HTMLElement {
  const table = el('table');
  table.append(el('caption', {}, t('Benchmarks that bind this site')));
  const head = el('tr');
  for (const h of ['Benchmark', 'Value', 'Limit', 'Status', 'Months that miss', 'Source'])
    head.append(el('th', { scope: 'col' }, t(h)));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  const fmt = (v: number | null, metric: string) =>
    v === null
      ? '—'
      : metric === 'greenShare'
        ? pct(v, 1)
        : metric === 'gb40879Grade'
          ? String(v)
          : formatNumber(v, 3);
  for (const b of r.targets) {
    const status =
      b.met === null
        ? el('span', { class: 'badge' }, t('not computed'))
        : el('span', { class: `badge ${b.met ? 'met' : 'missed'}` }, t(b.met ? 'met' : 'missed'));
    const worst = b.monthsMissed.reduce<(typeof b.monthsMissed)[number] | null>(
      (a, m) => (a === null || Math.abs(m.by) > Math.abs(a.by) ? m : a),
      null,
    );
    const signed = (m: { by: number }) => `${m.by > 0 ? '+' : ''}${fmt(m.by, b.metric)}`;
    const months =
      worst === null
        ? '—'
        : b.monthsMissed.length <= 4
          ? b.monthsMissed.map((m) => `${m.month} (${signed(m)})`).join(', ')
          : `${b.monthsMissed.length} ${t('months')}; ${t('worst')} ${worst.month} (${signed(worst)})`;
    body.append(
      el(
        'tr',
        {},
        el(
          'td',
          {},
          `${targetLabel(b.id, b.label)}${b.scope === 'project' ? '' : ` (${t(`${b.scope}-wide average`)})`}`,
        ),
        el('td', { class: 'num' }, fmt(b.value, b.metric)),
        el('td', { class: 'num' }, `${b.comparator} ${fmt(b.limit, b.metric)}`),
        el('td', {}, status),
        el('td', {}, months),
        el('td', { class: 'src' }, `${targetSource(b.id, b.source)} [${b.grade}]`),
      ),
    );
  }
  table.append(body);
  return el(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('Benchmarks that bind this site') },
    table,
  );
}

/** The calibration: what was fitted, how well, and whether it holds. */
function calibrationView(r: CheckResult): HTMLElement {
  const c = r.calibration;
  const f4 = (v: number | null) => (v === null ? '—' : formatNumber(v, 4));
  return el(
    'div',
    { class: `context ${c.claim ? '' : 'warn'}` },
    el('h4', {}, `${t('Calibration')}: ${t(c.claim ? 'holds' : 'not claimed')}`),
    el('p', {}, operatorText(c.reason)),
    el(
      'p',
      {},
      `${t('RMS monthly PUE error')}: ${t('before')} ${f4(c.rmseBefore)}, ${t('fitted months')} ${f4(c.rmseFit)}, ${t('held-out months')} ${f4(c.rmseTest)}`,
    ),
    c.params.length
      ? el(
          'ul',
          {},
          ...c.params.map((p) =>
            el(
              'li',
              {},
              `${t(p.label)}: ${formatNumber(p.start, 4)} → ${formatNumber(p.value, 4)} ${p.unit}${p.atBound ? ` (${t('at the edge of its usual range')})` : ''}`,
            ),
          ),
        )
      : null,
  );
}

/** The retrofits priced on the calibrated plant. */
function retrofitTable(r: CheckResult): TableData {
  return {
    columns: [
      { key: 'label', label: 'Retrofit', minWidth: '14rem' },
      { key: 'pue', label: 'PUE after', digits: 3 },
      { key: 'grade', label: 'GB 40879 grade', digits: 0 },
      { key: 'green', label: 'Green share', unit: '%', digits: 1 },
      { key: 'mwh', label: 'Grid energy saved', unit: 'MWh/yr', digits: 0 },
      { key: 'cny', label: 'Saved', unit: '10k CNY/yr', digits: 1 },
      { key: 'co2', label: 'CO2 saved', unit: 't/yr', digits: 0 },
      { key: 'capex', label: 'Capex', unit: '10k CNY', digits: 0 },
      { key: 'payback', label: 'Simple payback', unit: 'yr', digits: 1 },
      { key: 'source', label: 'Source' },
    ],
    rows: r.retrofits.map((o) => ({
      label: operatorText(o.label),
      pue: o.pue,
      grade: o.gb40879Grade,
      green: o.greenShare * 100,
      mwh: o.savedGridKwh / 1000,
      cny: Number.isFinite(o.savedCnyPerYear) ? o.savedCnyPerYear / 1e4 : null,
      co2: o.savedTco2PerYear,
      capex: o.capexCny / 1e4,
      payback: o.simplePaybackYears,
      source: operatorText(o.source),
    })),
  };
}

/** The report of one check: what a printed page shows. */
function reportView(r: CheckResult, width: number): HTMLElement {
  const s = r.site;
  const printBtn = el('button', { type: 'button', id: 'meter-print' }, t('Print the report (A4)'));
  printBtn.addEventListener('click', () => window.print());
  const jsonBtn = el('button', { type: 'button', id: 'meter-json' }, t('Download JSON'));
  jsonBtn.addEventListener('click', () =>
    download('meter-check.json', new Blob([JSON.stringify(r, null, 2)], { type: 'application/json' })),
  );
  return el(
    'article',
    { id: 'meter-report', class: 'report' },
    el(
      'h3',
      {},
      `${t('Meter check')} — ${bi(s.name, SEEDS.clusters.find((c) => c.id === s.cluster)?.nameZh ?? null)}`,
    ),
    el(
      'p',
      { class: 'help' },
      `${t('Plant modelled as')} ${t(DESIGN_NOTES[s.cooling] ?? s.cooling)} (${t(s.facilityClass)}), ${formatNumber(s.designItKw, 0)} kW ${t('IT design power')} (${t(s.designItKwSource)}), ${t('UPS online')} ${formatNumber(s.upsOnlineKw, 0)} kW${t('. ')}${operatorText(r.coverage.note)} ${operatorText(r.category.note)}${t('.')}`,
    ),
    el('div', { class: 'toolbar no-print' }, printBtn, jsonBtn),
    renderTable(metricsTable(r), t('Metrics over the period')),
    benchmarksTable(r),
    figure(monthlyPueChart(r, { width })),
    calibrationView(r),
    renderTable(retrofitTable(r), t('Retrofits on the calibrated plant (typical year)')),
    r.warnings.length
      ? el(
          'div',
          { class: 'context' },
          el('h4', {}, t('Warnings')),
          el('ul', {}, ...r.warnings.map((w) => el('li', {}, operatorText(w)))),
        )
      : null,
  );
}

/** A stored check as `GET /api/checks` lists it. */
interface StoredCheck {
  id: string;
  site: string;
  cluster: string;
  createdAt: string;
  periodStart: string;
  periodEnd: string;
  coverageShare: number;
  pue: number | null;
  gb40879Grade: number | null;
}

/**
 * The site's history on this server: store the check just made (the file is sent only on this
 * button: `POST /api/checks`, checked again there and kept) and list the site's stored checks, newest
 * first, each with the change in PUE from the one before.
 */
function historyPanel(app: App, file: { text: string; request: CheckRequest }): HTMLElement {
  const site = el('input', {
    id: 'meter-site',
    type: 'text',
    maxlength: '200',
    value: file.request.cluster,
    autocomplete: 'off',
  });
  const store = el('button', { type: 'button', id: 'meter-store' }, t('Store this check on the server'));
  const note = el('p', { class: 'status', role: 'status', id: 'meter-history-status' });
  const list = el('div', { id: 'meter-history' });
  const day = (iso: string) => iso.slice(0, 10);
  const show = async () => {
    const name = site.value.trim() || file.request.cluster;
    let page: { total: number; checks: StoredCheck[] };
    try {
      page = await api(`/api/checks?site=${encodeURIComponent(name)}&limit=50`);
    } catch (e) {
      note.textContent = `${t('The history could not be read')}: ${(e as Error).message}`;
      return;
    }
    if (app.viewSignal.aborted) return;
    if (!page.checks.length) {
      list.replaceChildren(el('p', { class: 'help' }, `${t('No stored checks for this site yet')}: ${name}`));
      return;
    }
    const data: TableData = {
      columns: [
        { key: 'stored', label: t('Stored'), unit: '' },
        { key: 'period', label: t('Period'), unit: '' },
        { key: 'coverage', label: t('Coverage'), unit: '%' },
        { key: 'pue', label: 'PUE', unit: '' },
        { key: 'change', label: t('Change from the check before'), unit: '' },
        { key: 'grade', label: t('GB 40879 grade'), unit: '' },
      ],
      rows: page.checks.map((c, i) => {
        const before = page.checks[i + 1];
        const change =
          before && c.pue !== null && before.pue !== null
            ? `${c.pue - before.pue >= 0 ? '+' : ''}${formatNumber(c.pue - before.pue, 3)}`
            : '—';
        return {
          stored: day(c.createdAt),
          period: `${day(c.periodStart)} – ${day(c.periodEnd)}`,
          coverage: formatNumber(c.coverageShare * 100, 1),
          pue: c.pue === null ? '—' : formatNumber(c.pue, 3),
          change,
          grade: c.gb40879Grade === null ? '—' : String(c.gb40879Grade),
        };
      }),
    };
    list.replaceChildren(
      el(
        'p',
        { class: 'help' },
        `${name}: ${page.total} ${t(page.total === 1 ? 'stored check' : 'stored checks')}`,
      ),
      renderTable(data, t('Stored checks of this site, newest first')),
    );
  };
  store.addEventListener('click', async () => {
    const name = site.value.trim() || file.request.cluster;
    const q = new URLSearchParams({ site: name });
    for (const [k, v] of Object.entries(file.request)) if (v !== undefined) q.set(k, String(v));
    store.disabled = true;
    note.textContent = t('Storing…');
    try {
      await api(`/api/checks?${q}`, {
        method: 'POST',
        body: file.text,
        headers: { 'Content-Type': 'text/csv' },
      });
      note.textContent = `${t('Stored in the history of')} ${name}.`;
      await show();
    } catch (e) {
      const why =
        e instanceof ApiError && e.status === 401
          ? t('this server needs a token for writes')
          : (e as Error).message;
      note.textContent = `${t('Not stored')}: ${why}`;
    } finally {
      store.disabled = false;
    }
  });
  site.addEventListener('change', () => void show());
  void show();
  return el(
    'section',
    { class: 'no-print', 'aria-labelledby': 'meter-history-h' },
    el('h3', { id: 'meter-history-h' }, t("The site's history on this server")),
    el(
      'p',
      { class: 'help' },
      t(
        'Storing sends the file to this dcplan server, which checks it again and keeps the result under the site’s name (GET /api/checks?site=…). Nothing is sent until you press the button.',
      ),
    ),
    el('div', { class: 'toolbar' }, field('meter-site', t('Site'), site), store),
    note,
    list,
  );
}

/**
 * The operator's meter check: drop or choose a CSV (or try the sample), say what the site is, and get
 * the scorecard, the months measured against expected, the calibration and the retrofits — computed in
 * the page's check worker.
 */
export function meterCheckSection(app: App): HTMLElement {
  const out = el('div', { id: 'meter-out', 'aria-live': 'polite' });
  const status = el('p', { class: 'status', role: 'status', id: 'meter-status' });
  const file = el('input', { id: 'meter-file', type: 'file', accept: '.csv,text/csv' });
  const cluster = select(
    'meter-cluster',
    SEEDS.clusters.map((c) => [c.id, bi(c.name, c.nameZh)]),
    SAMPLE.cluster,
  );
  const cooling = select(
    'meter-cooling',
    COOLING_DESIGN_NAMES.map((d) => [d, t(DESIGN_NOTES[d] ?? d)]),
    SAMPLE.cooling,
  );
  const cls = select(
    'meter-class',
    FACILITY_CLASSES.map((c) => [c, t(c)]),
    'large',
  );
  const design = number('meter-design-kw', t('highest metered hourly IT load'));
  const ups = number('meter-ups-kw', t('highest metered hourly IT load'));
  const price = number('meter-price', t("the engine's estimate"));
  let text: string | null = null;
  let name = '';
  const width = () => Math.min(900, Math.max(300, out.clientWidth || 800));

  const run = async () => {
    if (text === null) {
      status.textContent = t('Choose a meter file first, or try the sample.');
      return;
    }
    const num = (i: HTMLInputElement) => (i.value.trim() === '' ? undefined : Number(i.value));
    const bad = [design, ups, price].filter((i) => i.value.trim() !== '' && !(Number(i.value) > 0));
    if (bad.length) {
      status.textContent = `${t('Must be a positive number')}: ${bad.map((i) => document.querySelector(`label[for="${i.id}"]`)?.textContent ?? i.id).join(', ')}`;
      return;
    }
    status.textContent = `${t('Checking')} ${name}…`;
    const request: CheckRequest = {
      cluster: cluster.value,
      cooling: cooling.value,
      facilityClass: cls.value,
      designItKw: num(design),
      upsOnlineKw: num(ups),
      priceCnyPerKwh: num(price),
    };
    const checked = text;
    const reply = await checker.check(checked, request);
    if (!reply || app.viewSignal.aborted) return;
    if (reply.ok) {
      status.textContent = `${name}: ${reply.result.coverage.rows.toLocaleString('en-US')} ${t('rows checked')}.`;
      out.replaceChildren(reportView(reply.result, width()), historyPanel(app, { text: checked, request }));
    } else if ('refusal' in reply) {
      status.textContent = '';
      out.replaceChildren(refusalView(name, reply.refusal));
    } else {
      status.textContent = reply.error;
      out.replaceChildren();
    }
  };

  const load = async (f: File) => {
    name = f.name;
    text = await f.text();
    void run();
  };
  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f) void load(f);
  });
  const drop = el(
    'label',
    { class: 'dropzone', for: 'meter-file', id: 'meter-drop' },
    el('strong', {}, t('Drop a meter CSV here, or choose a file')),
    el('br'),
    el('small', {}, `${t('Columns')}: ${METER_COLUMNS.map((c) => c.name).join(', ')}`),
  );
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files?.[0];
    if (f) void load(f);
  });
  const sample = el('button', { type: 'button', id: 'meter-sample' }, t('Try it with a sample'));
  sample.addEventListener('click', () => {
    name = 'meter-sample-lanzhou.csv';
    text = sampleCsv;
    cluster.value = SAMPLE.cluster;
    cooling.value = SAMPLE.cooling;
    cls.value = SAMPLE.facilityClass;
    design.value = String(SAMPLE.designItKw);
    ups.value = String(SAMPLE.upsOnlineKw);
    void run();
  });
  const again = el('button', { type: 'button', id: 'meter-run' }, t('Check again'));
  again.addEventListener('click', () => void run());
  return el(
    'section',
    { 'aria-labelledby': 'meter-h', id: 'meter-check' },
    el('h2', { id: 'meter-h' }, t('Check your meter data')),
    el(
      'p',
      { class: 'help no-print' },
      t(
        'A CSV of 15-minute, hourly, daily or monthly readings (timestamps in ISO 8601; without an offset, China time). dcplan computes PUE, WUE, CUE and REF as the standards define them, grades the site against GB 40879 and the policy caps, compares each month with what the plant should do on that IT load and weather, calibrates the plant and prices retrofits. The file stays in your browser.',
      ),
    ),
    el('div', { class: 'no-print' }, drop, file, el('div', { class: 'toolbar' }, sample, again)),
    el(
      'div',
      { class: 'lever-grid no-print' },
      field('meter-cluster', t('Cluster (province, grid factor, targets, weather)'), cluster),
      field('meter-cooling', t('Cooling design'), cooling),
      field('meter-class', t('Facility class'), cls),
      field('meter-design-kw', `${t('IT design power')} (kW)`, design),
      field('meter-ups-kw', `${t('UPS online')} (kW)`, ups),
      field('meter-price', `${t('Delivered grid price')} (CNY/kWh)`, price, t('for the retrofits’ savings')),
    ),
    status,
    out,
  );
}

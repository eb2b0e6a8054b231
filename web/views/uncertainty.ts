import type { MonteCarloReport } from '../../models/uncertainty/montecarlo.ts';
import { type App, api } from '../app.ts';
import { figure, renderTable } from '../charts/figure.ts';
import {
  cdfChart,
  fanChart,
  histogramChart,
  outputDisplay,
  rankChart,
  sizingCurveChart,
  tornadoChart,
} from '../charts/uncertainty.ts';
import { el } from '../dom.ts';
import { formatNumber } from '../format.ts';
import { bi } from '../i18n.ts';
import { tu } from '../uncertainty-i18n.ts';
import {
  CURVE_TARGETS,
  FAN_KEYS,
  type FanKey,
  type MonteCarloProgress,
  type SizingPoint,
  TORNADO_OUTPUTS,
  type TornadoAnswer,
  type TornadoOutput,
  type UncertaintyAnswer,
  type UncertaintyRequest,
} from '../uncertainty-types.ts';

/**
 * The uncertainty panels of /compare and /plan (issue 22, point 7): a Monte Carlo of a few hundred
 * samples in the page's own worker (web/uncertainty.worker.ts), its charts filled in as the samples
 * come, with progress and a Cancel button; on /compare the ranking with "cheapest in N % of samples",
 * the probability of each rank, histograms and CDFs of NPV and cost per rack-year with P10/P50/P90,
 * and a tornado on a chosen output; on /plan a fan chart of annual outputs and the least-cost
 * green-supply curve with a button that puts a mix into the scenario. Each view adds its panel with
 * one call.
 */

type Request = UncertaintyRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

/**
 * The page's handle on an uncertainty worker: one job at a time; Cancel terminates the worker (a
 * sample or a linear program cannot be interrupted from outside), and the next job starts a new one.
 * The worker goes when the view is left.
 */
class UncertaintyWorker {
  private worker: Worker | null = null;
  private seq = 0;
  private listener: ((m: UncertaintyAnswer) => void) | null = null;

  constructor(signal: AbortSignal) {
    signal.addEventListener('abort', () => this.cancel());
  }

  private get live(): Worker {
    if (!this.worker) {
      const w = new Worker(new URL('../uncertainty.worker.ts', import.meta.url), { type: 'module' });
      w.onmessage = (ev: MessageEvent<UncertaintyAnswer>) => {
        if (ev.data.id === this.seq) this.listener?.(ev.data);
      };
      w.onerror = (ev) => {
        ev.preventDefault();
        this.listener?.({ type: 'error', id: this.seq, message: ev.message || 'the worker failed' });
        this.cancel();
      };
      this.worker = w;
    }
    return this.worker;
  }

  /** Send a request; its answers go to `listener` until the next request or a cancel. */
  send(req: Request, listener: (m: UncertaintyAnswer) => void): void {
    this.listener = listener;
    this.live.postMessage({ ...req, id: ++this.seq } as UncertaintyRequest);
  }

  /** Ask more of the current job (a tornado on another output) without dropping its listener. */
  ask(req: Request): void {
    if (this.worker) this.worker.postMessage({ ...req, id: this.seq } as UncertaintyRequest);
  }

  cancel(): void {
    this.worker?.terminate();
    this.worker = null;
    this.listener = null;
    this.seq++;
  }
}

/** A labelled form control. */
function field(id: string, label: string, control: HTMLElement): HTMLElement {
  control.id = id;
  return el('label', { for: id, class: 'u-field' }, `${tu(label)} `, control);
}

const numberInput = (value: number, min: number, max: number) =>
  el('input', { type: 'number', value: String(value), min: String(min), max: String(max), step: '1' });

/** The progress line: a progress bar and its words (polite live region). */
function progressLine() {
  const bar = el('progress', { max: '1', value: '0', class: 'u-progress' });
  const text = el('span', { class: 'u-progress-text' });
  const box = el('p', { class: 'status u-status', role: 'status', 'aria-live': 'polite' }, bar, ' ', text);
  return {
    box,
    set(done: number, total: number, words: string) {
      if (done === 0) delete box.dataset.ms;
      bar.max = total;
      bar.value = done;
      text.textContent = words;
    },
  };
}

/** The Monte Carlo controls shared by both panels; `run` receives the settings. */
function monteCarloControls(
  prefix: string,
  extra: HTMLElement[],
  run: (o: { samples: number; seed: number; grades: boolean }) => void,
  cancel: () => void,
  after: HTMLElement[] = [],
) {
  const samples = numberInput(200, 20, 1000);
  const seed = numberInput(1, 0, 4294967295);
  const grades = el('input', { type: 'checkbox', checked: '' });
  (grades as HTMLInputElement).checked = true;
  const go = el('button', { type: 'button', class: 'primary', 'data-act': `${prefix}-run` }, tu('Run'));
  const stop = el('button', { type: 'button', 'data-act': `${prefix}-cancel`, disabled: '' }, tu('Cancel'));
  go.addEventListener('click', () => {
    const n = Math.min(1000, Math.max(20, Math.round(Number(samples.value) || 200)));
    samples.value = String(n);
    run({ samples: n, seed: Math.max(0, Math.round(Number(seed.value) || 0)), grades: grades.checked });
  });
  stop.addEventListener('click', cancel);
  const box = el(
    'div',
    { class: 'toolbar u-controls' },
    field(`${prefix}-samples`, 'Samples', samples),
    field(`${prefix}-seed`, 'Seed', seed),
    field(`${prefix}-grades`, 'Uncertainty from grades', grades),
    ...extra,
    go,
    stop,
    ...after,
  );
  return {
    box,
    busy(on: boolean) {
      go.toggleAttribute('disabled', on);
      stop.toggleAttribute('disabled', !on);
      for (const b of after) b.toggleAttribute('disabled', on);
    },
    /** The settings as typed, the samples within `maxSamples`. */
    settings(maxSamples: number) {
      const n = Math.min(maxSamples, Math.max(20, Math.round(Number(samples.value) || 200)));
      samples.value = String(n);
      return { samples: n, seed: Math.max(0, Math.round(Number(seed.value) || 0)), grades: grades.checked };
    },
  };
}

const width = (box: HTMLElement) => Math.min(900, Math.max(300, box.clientWidth || 800));

const progressWords = (m: MonteCarloProgress) =>
  `${m.done.toLocaleString('en-US')} / ${m.total.toLocaleString('en-US')} ${tu('samples')}, ${m.inputs.length} uncertain inputs${
    m.failed ? ` — ${m.failed} ${tu('samples failed')} (${m.firstError})` : ''
  }`;

/** The ranking with each cluster's probability of being cheapest, next to its plain-run rank. */
function rankingTable(m: MonteCarloProgress): HTMLElement {
  const rows = m.clusters
    .map((c, i) => {
      const cost = c.finance.costPerRackYearCny;
      return {
        rank: m.plain[i].rank,
        name: c.name,
        plainCost: m.plain[i].costPerRackYearCny,
        p10: cost?.p10 ?? null,
        p50: cost?.p50 ?? null,
        p90: cost?.p90 ?? null,
        cheapest: c.costRank ? `${formatNumber(c.costRank[0] * 100, 0)} %` : '—',
      };
    })
    .sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99));
  return renderTable(
    {
      columns: [
        { key: 'rank', label: tu('Plain-run rank'), digits: 0 },
        { key: 'name', label: 'Cluster', minWidth: '12rem' },
        { key: 'plainCost', label: 'Cost per occupied rack-year', unit: 'CNY/rack-yr', digits: 0 },
        { key: 'p10', label: 'P10', unit: 'CNY/rack-yr', digits: 0 },
        { key: 'p50', label: 'P50', unit: 'CNY/rack-yr', digits: 0 },
        { key: 'p90', label: 'P90', unit: 'CNY/rack-yr', digits: 0 },
        { key: 'cheapest', label: tu('cheapest in') },
      ],
      rows,
    },
    m.clusters
      .filter((c) => c.costRank)
      .map(
        (c) =>
          `${c.name}: ${tu('Cheapest in')} ${formatNumber((c.costRank as number[])[0] * 100, 0)} % ${tu('of samples')}`,
      )
      .join(' · '),
  );
}

/**
 * The /compare panel: Monte Carlo of the scenario the levers give (`scenario()`), the ranking with the
 * probability of each cluster being cheapest, rank probabilities, histograms and CDFs of NPV and cost
 * per rack-year, and a tornado on a chosen output and cluster.
 */
export function uncertaintyCompare(app: App, scenario: () => unknown): HTMLElement {
  const worker = new UncertaintyWorker(app.viewSignal);
  const section = el('section', {
    class: 'uncertainty',
    id: 'uncertainty-compare',
    'aria-labelledby': 'u-compare-h',
  });
  const output = el('select');
  for (const k of TORNADO_OUTPUTS) output.append(el('option', { value: k }, outputDisplay(k).label));
  const cluster = el('select');
  const clusterNames = () =>
    ((scenario() as { clusters?: Array<{ cluster?: string; name?: string }> }).clusters ?? []).map((c, i) => {
      const seed = app.clusters.find((x) => x.id === c.cluster);
      return c.name ?? (seed ? bi(seed.name, seed.nameZh) : (c.cluster ?? String(i + 1)));
    });
  const fillClusters = () => {
    const prev = cluster.value;
    cluster.replaceChildren(...clusterNames().map((n, i) => el('option', { value: String(i) }, n)));
    if (prev && Number(prev) < cluster.options.length) cluster.value = prev;
  };
  fillClusters();
  const progress = progressLine();
  const ranking = el('div', { class: 'u-ranking' });
  const charts = el('div', { class: 'charts u-charts' });
  const tornadoBox = el('div', { class: 'u-tornado' });
  let last: MonteCarloProgress | null = null;
  let finished = false;
  // The samples drawn belong to the scenario and levers they ran with: once either changes, the panel
  // says so (dimmed, with a note) until it runs again.
  let ranWith: string | null = null;
  const staleNote = el(
    'p',
    { class: 'stale-note', role: 'status', hidden: '' },
    tu('The levers or the scenario changed since these samples ran: run again to update them.'),
  );
  const markStale = () => {
    const stale = ranWith !== null && JSON.stringify(scenario()) !== ranWith;
    section.classList.toggle('stale', stale);
    staleNote.hidden = !stale;
  };
  const ranNow = () => {
    ranWith = JSON.stringify(scenario());
    markStale();
  };
  for (const type of ['input', 'change'])
    document.addEventListener(type, markStale, { signal: app.viewSignal });

  const drawTornado = (a: TornadoAnswer) => {
    const name = last?.clusters[a.cluster]?.name ?? '';
    tornadoBox.replaceChildren(figure(tornadoChart(a, name, { width: width(section) })));
  };
  const listener = (m: UncertaintyAnswer) => {
    if (m.type === 'progress') {
      last = m;
      progress.set(m.done, m.total, progressWords(m));
      const o = { width: width(section) };
      ranking.replaceChildren(el('h3', {}, tu('Ranking under uncertainty')), rankingTable(m));
      const figs = [
        m.clusters.length > 1 ? figure(rankChart(m, o)) : null,
        figure(histogramChart(m, 'npvCny', o)),
        figure(cdfChart(m, 'npvCny', o)),
        figure(histogramChart(m, 'costPerRackYearCny', o)),
        figure(cdfChart(m, 'costPerRackYearCny', o)),
      ];
      charts.replaceChildren(...figs.filter((f): f is HTMLElement => f !== null));
    } else if (m.type === 'tornado') drawTornado(m);
    else if (m.type === 'done') {
      finished = true;
      progress.box.dataset.ms = String(Math.round(m.ms));
      controls.busy(false);
      if (last)
        progress.set(last.total, last.total, `${progressWords(last)} — ${formatNumber(m.ms / 1000, 1)} s`);
    } else if (m.type === 'error') {
      controls.busy(false);
      progress.set(0, 1, m.message);
    }
  };
  const onServer = el('button', { type: 'button', 'data-act': 'u-compare-server' }, tu('Run on the server'));
  const controls = monteCarloControls(
    'u-compare',
    [
      field('u-compare-output', 'Tornado output', output),
      field('u-compare-cluster', 'Tornado cluster', cluster),
    ],
    (o) => {
      fillClusters();
      finished = false;
      ranNow();
      controls.busy(true);
      tornadoBox.replaceChildren();
      progress.set(0, o.samples, `0 / ${o.samples} ${tu('samples')}`);
      worker.send(
        {
          type: 'montecarlo',
          scenario: scenario(),
          extraClusters: app.engine.extraClusters,
          ...o,
          fanCluster: null,
          output: output.value as TornadoOutput,
          cluster: Number(cluster.value) || 0,
        },
        listener,
      );
    },
    () => {
      worker.cancel();
      stopJob();
      controls.busy(false);
      progress.set(0, 1, tu('Cancelled'));
    },
    [onServer],
  );
  // More samples than the page runs go to the server as a job (POST /api/montecarlo), polled until it ends.
  let job: string | null = null;
  const stopJob = () => {
    if (job) void api(`/api/montecarlo/${job}/cancel`, { method: 'POST' }).catch(() => {});
    job = null;
  };
  app.viewSignal.addEventListener('abort', stopJob);
  const showReport = async (report: MonteCarloReport) => {
    // The plain run's ranks, from the page's own engine (the report carries quantiles, not the plain run).
    const plainRun = await app.engine.run(scenario(), { clusterIndex: 0 }, 'u-server-plain');
    const plainClusters = plainRun?.ok ? plainRun.result.clusters : [];
    const costs = plainClusters.map((c) => c.finance.costPerRackYearCny);
    const m: MonteCarloProgress = {
      type: 'progress',
      id: 0,
      done: report.samples,
      total: report.samples,
      failed: report.failed.count,
      firstError: report.failed.first,
      inputs: report.inputs.map((x) => ({ ...x, unit: x.unit })),
      clusters: report.clusters,
      plain: report.clusters.map((c, i) => ({
        name: c.name,
        clusterId: c.clusterId,
        costPerRackYearCny: costs[i] ?? null,
        npvCny: plainClusters[i]?.finance.npvCny ?? null,
        rank:
          costs[i] === null || costs[i] === undefined
            ? null
            : 1 + costs.filter((x) => x !== null && x < (costs[i] as number)).length,
      })),
      values: report.clusters.map(() => ({ npvCny: [], costPerRackYearCny: [] })),
      fan: null,
    };
    last = m;
    const o = { width: width(section) };
    ranking.replaceChildren(el('h3', {}, tu('Ranking under uncertainty')), rankingTable(m));
    charts.replaceChildren(
      ...(m.clusters.length > 1 ? [figure(rankChart(m, o))] : []),
      el(
        'p',
        { class: 'help' },
        tu(
          'The server’s report carries quantiles, not every sample: the histograms and CDFs come with the page’s own samples.',
        ),
      ),
    );
    const t = report.sensitivity;
    if (t.tornado)
      drawTornado({
        type: 'tornado',
        id: 0,
        output: t.output as TornadoOutput,
        cluster: t.cluster,
        base: t.tornado.base,
        bars: t.tornado.bars,
        rankCorrelation: t.rankCorrelation,
      });
  };
  onServer.addEventListener('click', async () => {
    worker.cancel();
    const o = controls.settings(10_000);
    finished = false;
    ranNow();
    controls.busy(true);
    tornadoBox.replaceChildren();
    progress.set(0, 1, `${tu('On the server')}: 0 / ${o.samples} ${tu('samples')}`);
    try {
      const started = await api<{ id: string; status: string }>('/api/montecarlo', {
        method: 'POST',
        body: JSON.stringify({
          scenario: scenario(),
          options: { ...o, tornado: true, output: output.value, cluster: Number(cluster.value) || 0 },
        }),
      });
      job = started.id;
      for (;;) {
        const s = await api<{
          status: string;
          progress: number;
          error: string | null;
          result?: MonteCarloReport;
        }>(`/api/montecarlo/${started.id}`);
        if (job !== started.id || app.viewSignal.aborted) return;
        progress.set(
          s.progress,
          1,
          `${tu('On the server')}: ${s.status}, ${formatNumber(s.progress * 100, 0)} %`,
        );
        if (s.status === 'done' && s.result) {
          progress.set(1, 1, `${tu('On the server')}: ${report(s.result)}`);
          await showReport(s.result);
          break;
        }
        if (s.status === 'failed' || s.status === 'cancelled') {
          progress.set(0, 1, `${tu('On the server')}: ${s.status}${s.error ? ` — ${s.error}` : ''}`);
          break;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    } catch (e) {
      progress.set(0, 1, `${tu('On the server')}: ${(e as Error).message}`);
    } finally {
      job = null;
      controls.busy(false);
    }
  });
  const report = (r: MonteCarloReport) =>
    `${r.samples.toLocaleString('en-US')} / ${r.samples.toLocaleString('en-US')} ${tu('samples')}, ${r.inputs.length} uncertain inputs${
      r.failed.count ? ` — ${r.failed.count} ${tu('samples failed')} (${r.failed.first})` : ''
    }`;
  const retornado = () => {
    if (finished)
      worker.ask({
        type: 'tornado',
        output: output.value as TornadoOutput,
        cluster: Number(cluster.value) || 0,
      });
  };
  output.addEventListener('change', retornado);
  cluster.addEventListener('change', retornado);
  section.append(
    el('h2', { id: 'u-compare-h' }, tu('Uncertainty: Monte Carlo in the browser')),
    el(
      'p',
      { class: 'help' },
      tu(
        'Samples run in the page’s worker; the charts fill in as they come. Distributions written in the scenario are sampled; with “uncertainty from grades” every default the run used also gets a band from its source’s grade (A ±2 %, B ±5 %, C ±15 %, D ±30 %, assumption ±50 %, NOT FOUND ±100 %).',
      ),
    ),
    el(
      'p',
      { class: 'help' },
      tu(
        '“Run on the server” sends up to 10,000 samples as a job (POST /api/montecarlo) and polls it; Cancel stops it.',
      ),
    ),
    controls.box,
    progress.box,
    staleNote,
    ranking,
    tornadoBox,
    charts,
  );
  return section;
}

/** The fan chart part of the /plan panel. */
function fanPanel(app: App, section: HTMLElement): HTMLElement {
  const worker = new UncertaintyWorker(app.viewSignal);
  const metric = el('select');
  for (const k of FAN_KEYS) metric.append(el('option', { value: k }, outputDisplay(k).label));
  const progress = progressLine();
  const chartBox = el('div', { class: 'u-fan' });
  let last: MonteCarloProgress | null = null;
  const draw = () => {
    if (last?.fan)
      chartBox.replaceChildren(
        figure(fanChart(last.fan, metric.value as FanKey, last.done, last.total, { width: width(section) })),
      );
  };
  metric.addEventListener('change', draw);
  const controls = monteCarloControls(
    'u-plan',
    [field('u-plan-metric', 'Fan chart output', metric)],
    (o) => {
      controls.busy(true);
      progress.set(0, o.samples, `0 / ${o.samples} ${tu('samples')}`);
      worker.send(
        {
          type: 'montecarlo',
          scenario: app.scenario,
          extraClusters: app.engine.extraClusters,
          ...o,
          fanCluster: app.clusterIndex,
          output: 'costPerRackYearCny',
          cluster: 0,
        },
        (m) => {
          if (m.type === 'progress') {
            last = m;
            progress.set(m.done, m.total, progressWords(m));
            draw();
          } else if (m.type === 'done') {
            progress.box.dataset.ms = String(Math.round(m.ms));
            controls.busy(false);
            if (last)
              progress.set(
                last.total,
                last.total,
                `${progressWords(last)} — ${formatNumber(m.ms / 1000, 1)} s`,
              );
          } else if (m.type === 'error') {
            controls.busy(false);
            progress.set(0, 1, m.message);
          }
        },
      );
    },
    () => {
      worker.cancel();
      controls.busy(false);
      progress.set(0, 1, tu('Cancelled'));
    },
  );
  return el('div', { class: 'u-fan-panel' }, controls.box, progress.box, chartBox);
}

/** The sizing part of the /plan panel: the curve point by point, each mix with a button into the scenario. */
function sizingPanel(app: App, section: HTMLElement, applied: () => void): HTMLElement {
  const worker = new UncertaintyWorker(app.viewSignal);
  const progress = progressLine();
  const chartBox = el('div', { class: 'u-sizing' });
  const go = el(
    'button',
    { type: 'button', class: 'primary', 'data-act': 'u-size-run' },
    tu('Solve the curve'),
  );
  const stop = el('button', { type: 'button', 'data-act': 'u-size-cancel', disabled: '' }, tu('Cancel'));
  const busy = (on: boolean) => {
    go.toggleAttribute('disabled', on);
    stop.toggleAttribute('disabled', !on);
  };
  let points: SizingPoint[] = [];
  const draw = () => {
    const fig = figure(sizingCurveChart(points, { width: width(section) }));
    const list = el('ul', { class: 'u-mixes' });
    for (const p of points) {
      if (!(p.status === 'optimal' || p.status === 'time-limit')) continue;
      const use = el('button', { type: 'button', 'data-act': 'u-use-mix' }, tu('Use this mix'));
      use.addEventListener('click', () => {
        app.scenario = p.scenario;
        app.edited = true;
        app.syncUrl();
        applied();
        progress.set(1, 1, tu('The mix is in the scenario: the editor and every chart now show it.'));
      });
      list.append(
        el(
          'li',
          {},
          `${p.target === null ? tu('no target') : `${formatNumber(p.target * 100, 0)} %`}: ${formatNumber(p.annualCostCny / 1e6, 2)} M CNY — PV ${formatNumber(p.pvKw / 1000, 1)} MW, wind ${formatNumber(p.windKw / 1000, 1)} MW, storage ${formatNumber(p.batteryKwh / 1000, 1)} MWh / ${formatNumber(p.batteryKw / 1000, 1)} MW, contracts ${formatNumber(p.contractedShare * 100, 1)} % `,
          use,
        ),
      );
    }
    chartBox.replaceChildren(fig, list);
  };
  go.addEventListener('click', () => {
    points = [];
    busy(true);
    chartBox.replaceChildren();
    progress.set(0, CURVE_TARGETS.length + 1, '…');
    worker.send(
      {
        type: 'size',
        scenario: app.scenario,
        extraClusters: app.engine.extraClusters,
        cluster: app.clusterIndex,
        year: app.year,
        targets: [...CURVE_TARGETS],
      },
      (m) => {
        if (m.type === 'size-setup')
          progress.set(0, m.total, `${m.clusterId} ${m.year}: 0 / ${m.total} ${tu('programs solved')}`);
        else if (m.type === 'size-point') {
          const { type: _t, id: _i, done, total, ...p } = m;
          points.push(p);
          progress.set(
            done,
            total,
            `${done} / ${total} ${tu('programs solved')} (${formatNumber(m.solveMs / 1000, 1)} s)`,
          );
          draw();
        } else if (m.type === 'done') busy(false);
        else if (m.type === 'error') {
          busy(false);
          progress.set(0, 1, m.message);
        }
      },
    );
  });
  stop.addEventListener('click', () => {
    worker.cancel();
    busy(false);
    progress.set(0, 1, tu('Cancelled'));
  });
  return el(
    'div',
    { class: 'u-sizing-panel' },
    el('h3', {}, tu('Least-cost green supply: target → cost')),
    el(
      'p',
      { class: 'help' },
      tu(
        'The cheapest mix of PV, wind, storage and contracted green power for each annual green-share target (a linear program over the year’s 8,760 hours, HiGHS in the page’s worker). “Use this mix” puts it into the scenario.',
      ),
    ),
    el('div', { class: 'toolbar' }, go, stop),
    progress.box,
    chartBox,
  );
}

/**
 * The /plan panel: a fan chart (P10–P90 band) of the focused cluster's annual outputs from a Monte
 * Carlo in the page's worker, and the sizing curve whose mixes go into the scenario (`applied` then
 * rebuilds the editor and re-simulates).
 */
export function uncertaintyPlan(app: App, applied: () => void): HTMLElement {
  const section = el('section', {
    class: 'uncertainty',
    id: 'uncertainty-plan',
    'aria-labelledby': 'u-plan-h',
  });
  section.append(
    el('h2', { id: 'u-plan-h' }, tu('Uncertainty: Monte Carlo in the browser')),
    el(
      'p',
      { class: 'help' },
      tu(
        'Samples run in the page’s worker; the charts fill in as they come. Distributions written in the scenario are sampled; with “uncertainty from grades” every default the run used also gets a band from its source’s grade (A ±2 %, B ±5 %, C ±15 %, D ±30 %, assumption ±50 %, NOT FOUND ±100 %).',
      ),
    ),
  );
  section.append(fanPanel(app, section), sizingPanel(app, section, applied));
  return section;
}

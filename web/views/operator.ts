import type { ClusterResult } from '../../models/result.ts';
import { ANNUAL_FIELDS } from '../../models/result.ts';
import { describeSelector } from '../../models/targets.ts';
import { SEEDS } from '../../seeds/index.ts';
import type { App } from '../app.ts';
import { renderTable, type TableData } from '../charts/figure.ts';
import { scorecard, scorecardTable } from '../charts/scorecard.ts';
import { el } from '../dom.ts';
import { annual, labelOf } from '../fields.ts';
import { formatNumber, pct } from '../format.ts';
import { lang, t, tf, unitText } from '../i18n.ts';
import { selectorText, targetLabel, targetSource } from '../targets-text.ts';
import { contextBox, localName, runStatus } from './context.ts';
import { meterCheckSection } from './meter-check.ts';
import { pickScenario, scenarioPicker } from './scenario-picker.ts';

/** A target's metric in words: the annual field's own label (and unit). */
const metricLabel = (metric: string): string => {
  const f = ANNUAL_FIELDS[metric as keyof typeof ANNUAL_FIELDS];
  return f
    ? f.unit && !['', 'grade'].includes(f.unit)
      ? `${t(f.label)} (${unitText(f.unit)})`
      : t(f.label)
    : metric;
};

/** The GB 40879 grades with their PUE thresholds, as a table. */
function gradesTable(): TableData {
  const thresholds = SEEDS.gb40879Thresholds;
  return {
    columns: [
      { key: 'grade', label: 'GB 40879 grade' },
      { key: 'pue', label: 'PUE at most', digits: 2 },
      { key: 'meaning', label: 'Meaning' },
    ],
    rows: [
      { grade: '1', pue: thresholds.value[0], meaning: t('best grade') },
      {
        grade: '2',
        pue: thresholds.value[1],
        meaning: t('required by the 2025 national green data-center criteria'),
      },
      {
        grade: '3',
        pue: thresholds.value[2],
        meaning: t('limit value: mandatory for every data center from 2022-11-01'),
      },
      {
        grade: t('4 (below limit)'),
        pue: null,
        meaning: tf('PUE above {limit}: does not meet the standard', { limit: thresholds.value[2] }),
      },
    ],
  };
}

/** The policy targets (benchmarks) with their rule, years, scope and source, as a table. */
function benchmarksTable(): TableData {
  return {
    columns: [
      { key: 'label', label: 'Benchmark' },
      { key: 'rule', label: 'Rule' },
      { key: 'when', label: 'When' },
      { key: 'applies', label: 'Applies to' },
      { key: 'source', label: 'Source' },
      { key: 'grade', label: 'Grade' },
    ],
    rows: SEEDS.targets.map((x) => ({
      label: targetLabel(x.id, x.label),
      rule: `${metricLabel(x.metric)} ${({ '<=': '≤', '>=': '≥' } as Record<string, string>)[x.comparator] ?? x.comparator} ${x.unit === '' && x.limit <= 1 && x.metric !== 'pue' ? pct(x.limit, 0) : formatNumber(x.limit)}`,
      when: x.year
        ? tf('in {year}', { year: x.year })
        : x.fromYear
          ? tf('from {year}', { year: x.fromYear })
          : t('every year'),
      applies: selectorText(x.appliesTo, describeSelector(x.appliesTo)),
      source: targetSource(x.id, x.source),
      grade: x.grade,
    })),
  };
}

/** One cluster's last simulated year against the benchmarks: its figures, scorecard and context. */
function clusterCheck(c: ClusterResult): HTMLElement {
  // (named in the page's language by the caller)
  const a = c.annual[c.annual.length - 1];
  const dl = el('dl', { class: 'facts' });
  const row = (k: string, v: string) => dl.append(el('dt', {}, k), el('dd', {}, v));
  row(`${labelOf(annual('pue'))} ${a.year}`, a.itEnergyMwh > 0 ? formatNumber(a.pue, 3) : t('not computed'));
  row(
    labelOf(annual('gb40879Grade')),
    a.gb40879Grade === null
      ? t('not computed')
      : a.gb40879Grade === 4
        ? t('4 — worse than the limit')
        : String(a.gb40879Grade),
  );
  row(labelOf(annual('wueLPerKwh')), `${formatNumber(a.wueLPerKwh, 2)} ${annual('wueLPerKwh').unit}`);
  row(labelOf(annual('cueKgPerKwh')), `${formatNumber(a.cueKgPerKwh, 3)} ${annual('cueKgPerKwh').unit}`);
  row(labelOf(annual('greenShare')), pct(a.greenShare, 1));
  row(labelOf(annual('occupancy')), pct(a.occupancy, 0));
  return el(
    'article',
    { class: 'operator-cluster' },
    el('h3', {}, c.name),
    dl,
    scorecardTable(scorecard(c.targets)),
    contextBox(c),
  );
}

/** The operator's view: the green data-center benchmarks, and the chosen scenario checked against them. */
export async function operatorView(root: HTMLElement, app: App): Promise<void> {
  const thresholds = SEEDS.gb40879Thresholds;
  const grades = gradesTable();
  const bench = benchmarksTable();
  const check = el('div', { id: 'operator-check', 'aria-live': 'polite' });
  const status = el('p', { class: 'status', role: 'status', id: 'operator-status' });
  const run = async () => {
    runStatus(status, 'running');
    const ans = await app.engine.run(app.scenario, { clusterIndex: 0 }, 'operator', 'operator');
    if (!ans || app.viewSignal.aborted) return;
    if (!ans.ok) {
      runStatus(status, 'invalid', ans.errors, { listErrors: true });
      return;
    }
    runStatus(status, 'done', ans);
    check.replaceChildren(...ans.result.clusters.map((c) => clusterCheck(localName(app, c))));
  };
  const picker = await scenarioPicker(app, async (v) => {
    await pickScenario(app, v);
    app.syncUrl();
    void run();
  });
  root.replaceChildren(
    el(
      'p',
      { class: 'lead' },
      t(
        'Where your data center stands: your own meter data checked against the benchmarks an operator is held to — GB 40879 grades, hub-node caps, national criteria — with their sources, the months that miss, what the plant should do and what a retrofit would change.',
      ),
    ),
    meterCheckSection(app),
    el(
      'section',
      { 'aria-labelledby': 'bench-h' },
      el('h2', { id: 'bench-h' }, t('Green data-center benchmarks')),
      renderTable(
        grades,
        tf('GB 40879-2021 grades — thresholds: {source} (grade {grade})', {
          source: lang() === 'zh' ? 'GB 40879-2021《数据中心能效限定值及能效等级》' : thresholds.source,
          grade: thresholds.grade,
        }),
      ),
      renderTable(bench, t('Policy targets')),
    ),
    el(
      'section',
      { 'aria-labelledby': 'check-h' },
      el('h2', { id: 'check-h' }, t('The chosen scenario against the benchmarks')),
      el('div', { class: 'toolbar' }, picker),
      status,
      check,
    ),
  );
  await run();
}

import type { ClusterResult } from '../../models/result.ts';
import { cite, el } from '../dom.ts';
import { formatNumber } from '../format.ts';
import { t, unitText } from '../i18n.ts';
import { targetLabel, targetSource } from '../targets-text.ts';

/** A target check as the result carries it. */
type TargetCheck = ClusterResult['targets'][number];

/** One row per target: the worst value against the limit, the years missed and by how much. */
export interface ScoreRow {
  id: string;
  metric: string;
  label: string;
  source: string;
  grade: string;
  unit: string;
  limit: number;
  comparator: string;
  status: 'met' | 'missed' | 'not computed';
  worst: number | null;
  yearsMissed: number[];
  yearsNotComputed: number[];
  gap: number | null;
}

/** Group target checks by id: a target is met only when every computed year meets it. */
export function scorecard(targets: TargetCheck[]): ScoreRow[] {
  const ids = [...new Set(targets.map((x) => x.id))];
  return ids.map((id) => {
    const all = targets.filter((x) => x.id === id);
    const first = all[0];
    const computed = all.filter((x) => x.value !== null && x.met !== null);
    const missed = computed.filter((x) => x.met === false);
    const upper = first.comparator.startsWith('<');
    const worstOf = (xs: TargetCheck[]) =>
      xs.length
        ? upper
          ? Math.max(...xs.map((x) => x.value!))
          : Math.min(...xs.map((x) => x.value!))
        : null;
    const worst = worstOf(computed);
    return {
      id,
      metric: first.metric,
      label: first.label,
      source: first.source,
      grade: first.grade,
      unit: first.unit,
      limit: first.limit,
      comparator: first.comparator,
      status: computed.length === 0 ? 'not computed' : missed.length ? 'missed' : 'met',
      worst,
      yearsMissed: missed.map((x) => x.year),
      yearsNotComputed: all.filter((x) => x.value === null || x.met === null).map((x) => x.year),
      gap: missed.length && worst !== null ? worst - first.limit : null,
    };
  });
}

/** Years as runs of consecutive years (`2026–2028, 2031`). */
function yearsText(ys: number[]): string {
  if (!ys.length) return '';
  const runs: string[] = [];
  let start = ys[0];
  let prev = ys[0];
  for (const y of [...ys.slice(1), Number.NaN]) {
    if (y === prev + 1) {
      prev = y;
      continue;
    }
    runs.push(start === prev ? String(start) : `${start}–${prev}`);
    start = y;
    prev = y;
  }
  return runs.join(t(', '));
}

const SHARES = new Set(['occupancy', 'greenShare']);
const SYMBOL: Record<string, string> = { '<=': '≤', '<': '<', '>=': '≥', '>': '>' };

/** A target value in its unit: shares as percentages, grades as numbers, others with their unit. */
function fmtTarget(v: number | null, r: Pick<ScoreRow, 'metric' | 'unit'>, signed = false): string {
  if (v === null) return '—';
  const sign = signed && v > 0 ? '+' : '';
  if (SHARES.has(r.metric))
    return `${sign}${formatNumber(v * 100, 1)}${signed ? ` ${unitText('pp')}` : ' %'}`;
  if (r.metric === 'pue') return `${sign}${formatNumber(v, 3)}`;
  return `${sign}${formatNumber(v)}${r.unit ? ` ${unitText(r.unit)}` : ''}`;
}

/** The target scorecard as an accessible table: status words, never colour alone. */
export function scorecardTable(rows: ScoreRow[]): HTMLElement {
  const wrap = el('div', {
    class: 'table-wrap',
    tabindex: '0',
    role: 'region',
    'aria-label': t('Target scorecard'),
  });
  const table = el('table', { class: 'scorecard' });
  table.append(el('caption', {}, t('Target scorecard')));
  const head = el('tr');
  for (const h of ['Status', 'Target', 'Limit', 'Worst value', 'Years missed (by how much)', 'Source'])
    head.append(el('th', { scope: 'col' }, t(h)));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr', { 'data-target': r.id });
    const badge = el('span', { class: `badge ${r.status.replace(' ', '-')}` }, t(r.status));
    tr.append(
      el('td', {}, badge),
      el('td', {}, targetLabel(r.id, r.label)),
      el('td', { class: 'num' }, `${SYMBOL[r.comparator] ?? r.comparator} ${fmtTarget(r.limit, r)}`),
      el('td', { class: 'num' }, r.status === 'not computed' ? t('not computed') : fmtTarget(r.worst, r)),
      el(
        'td',
        {},
        r.yearsMissed.length
          ? `${yearsText(r.yearsMissed)} (${fmtTarget(r.gap, r, true)})`
          : r.yearsNotComputed.length
            ? `${t('not computed')}: ${yearsText(r.yearsNotComputed)}`
            : '—',
      ),
      el('td', { class: 'src' }, ...cite(`${targetSource(r.id, r.source)} [${r.grade}]`)),
    );
    body.append(tr);
  }
  table.append(body);
  wrap.append(table);
  return wrap;
}

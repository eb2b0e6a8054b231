/**
 * Policy target checks (DESIGN.md §9). Each target carries its source and grade from seeds/targets; a
 * check compares one annual metric of one cluster with the limit: `{ id, label, source, unit, limit,
 * comparator, value, met }` plus the year it applies to.
 */

export type Comparator = '<=' | '<' | '>=' | '>';

/** Annual metrics a target can test. */
export type TargetMetric =
  | 'pue'
  | 'occupancy'
  | 'greenShare'
  | 'standardRacks'
  | 'racksInService'
  | 'outboundCapacityGbps'
  | 'gb40879Grade'
  | 'wueLPerKwh';

/** A policy target as seeded (one row of seeds/targets). */
/** What a target binds: one project (a data center), a whole cluster, a province, the nation. */
export const TARGET_SCOPES = ['project', 'cluster', 'province', 'nation'] as const;
export type TargetScope = (typeof TARGET_SCOPES)[number];

/** Metrics that add up over a cluster's projects (a total target is not one project's to meet). */
export const EXTENSIVE_METRICS: readonly TargetMetric[] = [
  'standardRacks',
  'racksInService',
  'outboundCapacityGbps',
];

export interface TargetDef {
  id: string;
  /**
   * What the target binds. A cluster-, province- or nation-wide total (racks, bandwidth) is checked only
   * when the scenario models that whole (opt-in: `targets.include`); a wide average (PUE, 上架率) is
   * checked on the scenario as a proxy and says so.
   */
  scope: TargetScope;
  label: string;
  source: string;
  grade: string;
  metric: TargetMetric;
  unit: string;
  comparator: Comparator;
  limit: number;
  /** Deadline target ("by 2017"): checked only in this year. */
  year?: number;
  /** Standing target: checked in every simulated year from this year (inclusive). */
  fromYear?: number;
  /** Standing target: checked up to this year (inclusive). */
  toYear?: number;
  note?: string;
}

/**
 * Which clusters a target binds: 'all', or a selector on cluster properties — every condition given must
 * hold (national hub node; GB 50176 climate zone; province; a list of ids only for a city's own plan).
 */
export type TargetSelector =
  | 'all'
  | { hubNode?: boolean; climateZone?: string[]; province?: string[]; cluster?: string[] };

/** The cluster properties a selector reads. */
export interface TargetSubject {
  id: string;
  hubNode: boolean;
  climateZone: string;
  province: string;
}

/**
 * True when a target's selector binds the cluster.
 *
 * @example
 * targetApplies({ hubNode: true }, { id: 'x', hubNode: true, climateZone: 'cold', province: 'Gansu' }) // → true
 */
export function targetApplies(sel: TargetSelector, c: TargetSubject): boolean {
  if (sel === 'all') return true;
  if (sel.hubNode !== undefined && sel.hubNode !== c.hubNode) return false;
  if (sel.climateZone && !sel.climateZone.includes(c.climateZone)) return false;
  if (sel.province && !sel.province.includes(c.province)) return false;
  if (sel.cluster && !sel.cluster.includes(c.id)) return false;
  return true;
}

/**
 * A selector in words, e.g. "hub-node clusters", "clusters in climate zone cold or severe-cold".
 *
 * @example
 * describeSelector({ province: ['Hubei'] }) // → "clusters in Hubei"
 */
export function describeSelector(sel: TargetSelector): string {
  if (sel === 'all') return 'every cluster';
  const parts: string[] = [];
  if (sel.hubNode !== undefined) parts.push(sel.hubNode ? 'hub-node' : 'non-hub');
  const where: string[] = [];
  if (sel.climateZone) where.push(`climate zone ${sel.climateZone.join(' or ')}`);
  if (sel.province) where.push(sel.province.join(' or '));
  if (sel.cluster) where.push(`cluster ${sel.cluster.join(', ')}`);
  return `${parts.length ? `${parts.join(' ')} ` : ''}clusters${where.length ? ` in ${where.join(', ')}` : ''}`;
}

/** One evaluated check. */
export interface TargetCheck {
  id: string;
  label: string;
  source: string;
  grade: string;
  unit: string;
  limit: number;
  comparator: Comparator;
  value: number | null;
  met: boolean | null;
  year: number;
  metric: TargetMetric;
  scope: TargetScope;
}

/** The metric values of one simulated year that targets can test. */
export type TargetMetrics = Record<TargetMetric, number | null> & { year: number };

/**
 * GB 40879-2021 energy-efficiency grade from annual PUE: 1 (best) … 3 (limit value), 4 = worse than
 * the limit. Thresholds come from seeds (grade C: 1.20 / 1.30 / 1.50).
 *
 * @example
 * gb40879Grade(1.25, [1.2, 1.3, 1.5]) // → 2
 */
export function gb40879Grade(pue: number, thresholds: readonly [number, number, number]): number {
  if (pue <= thresholds[0]) return 1;
  if (pue <= thresholds[1]) return 2;
  if (pue <= thresholds[2]) return 3;
  return 4;
}

/**
 * Compare a value with a limit.
 *
 * @example
 * compare(1.18, '<=', 1.2) // → true
 */
export function compare(value: number, comparator: Comparator, limit: number): boolean {
  switch (comparator) {
    case '<=':
      return value <= limit;
    case '<':
      return value < limit;
    case '>=':
      return value >= limit;
    case '>':
      return value > limit;
    default:
      throw new Error(`invalid comparator: ${comparator as string}`);
  }
}

/** True when target `t` applies in `year`. */
export function appliesIn(t: TargetDef, year: number): boolean {
  if (t.year !== undefined) return year === t.year;
  if (t.fromYear !== undefined && year < t.fromYear) return false;
  if (t.toYear !== undefined && year > t.toYear) return false;
  return true;
}

/**
 * Evaluate targets against each simulated year's metrics. A deadline target outside the simulated years
 * yields no check; a metric the run did not compute (null) yields `value: null, met: null`.
 *
 * @example
 * evaluateTargets([{ id: 'pue', label: 'PUE ≤ 1.2', source: 's', grade: 'B', metric: 'pue', unit: '',
 *   comparator: '<=', limit: 1.2 }], [{ year: 2025, pue: 1.25, … }])
 * // → [{ id: 'pue', year: 2025, value: 1.25, met: false, … }]
 */
export function evaluateTargets(defs: readonly TargetDef[], years: readonly TargetMetrics[]): TargetCheck[] {
  const out: TargetCheck[] = [];
  for (const t of defs) {
    for (const m of years) {
      if (!appliesIn(t, m.year)) continue;
      const value = m[t.metric];
      out.push({
        id: t.id,
        label: t.label,
        source: t.source,
        grade: t.grade,
        unit: t.unit,
        limit: t.limit,
        comparator: t.comparator,
        value,
        met: value === null ? null : compare(value, t.comparator, t.limit),
        year: m.year,
        metric: t.metric,
        scope: t.scope,
      });
    }
  }
  return out;
}

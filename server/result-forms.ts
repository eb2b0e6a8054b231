import type { AnnualRow, ClusterResult, RunResult } from '../models/result.ts';
import { compareInput } from './compare-rows.ts';
import { formatCsv } from './format.ts';
import { HOURLY_CHECK_KEYS } from './hourly.ts';

/**
 * The forms a finished run is stored in, made once where the run was computed (a worker thread) and
 * sent as stored: the full result JSON, its summary, the annual rows as CSV and what comparisons read
 * — each as UTF-8 bytes, written in parts and streamed back — and, per cluster, the annual figures an
 * hourly export is checked against.
 */

/** The stored forms of a result, by name (`GET /runs/:id`, `?view=summary`, `annual.csv`, `/compare`). */
export const RESULT_FORMS = ['full', 'summary', 'annual.csv', 'compare'] as const;
export type ResultForm = (typeof RESULT_FORMS)[number];

/** The annual figures of one cluster that an hourly export must reproduce, by year. */
export type HourlyCheck = Record<string, Pick<AnnualRow, (typeof HOURLY_CHECK_KEYS)[number]>>;

/** A finished run's forms (see the module comment); the byte forms are transferred, not copied. */
export interface ResultForms {
  /** `{ scenario, engine }` of the result. */
  head: string;
  bytes: Record<ResultForm, Uint8Array>;
  clusters: Array<{ clusterId: string; check: HourlyCheck }>;
}

/** What a summary keeps of each cluster: who it is, its annual rows and its finance. */
export const SUMMARY_CLUSTER_KEYS = [
  'clusterId',
  'name',
  'province',
  'coolingDesign',
  'tariffCalendar',
  'tariffClass',
  'climateSource',
  'annual',
  'finance',
] as const satisfies ReadonlyArray<keyof ClusterResult>;

/**
 * The summary of a result: the scenario, engine and comparison, and per cluster only what
 * `SUMMARY_CLUSTER_KEYS` names — no monthly rows, target checks by year, latency, assumptions,
 * warnings or hourly profile (≈ 1.9 kB per cluster-year instead of ≈ 9–10 kB).
 */
export function summaryOf(result: RunResult): RunResult {
  const clusters = result.clusters.map((c) => Object.fromEntries(SUMMARY_CLUSTER_KEYS.map((k) => [k, c[k]])));
  return { ...result, clusters } as unknown as RunResult;
}

const utf8 = new TextEncoder();

/** Every stored form of a finished run (done in the thread that computed it). */
export function resultForms(result: RunResult): ResultForms {
  return {
    head: JSON.stringify({ scenario: result.scenario, engine: result.engine }),
    bytes: {
      full: utf8.encode(JSON.stringify(result)),
      summary: utf8.encode(JSON.stringify(summaryOf(result))),
      'annual.csv': utf8.encode(formatCsv(result)),
      compare: utf8.encode(JSON.stringify(compareInput(result))),
    },
    clusters: result.clusters.map((c) => ({
      clusterId: c.clusterId,
      check: Object.fromEntries(
        c.annual.map((a) => [a.year, Object.fromEntries(HOURLY_CHECK_KEYS.map((k) => [k, a[k]]))]),
      ) as HourlyCheck,
    })),
  };
}

/**
 * Bytes a finished run's forms may take, from its shape alone (admission reserves it before the run
 * starts, so the storage bound holds for runs still in flight). Measured with engine 0.3.0 on the
 * bundled scenarios, east-west at 8 × 100 and 50 × 100 cluster-years: 11.8–19.2 kB per cluster-year
 * for all forms together, about 24 kB of it per cluster (assumptions, finance); 59 MB at 50 × 100
 * (45 MB full, 9.3 MB summary, 2.8 MB CSV, 1.3 MB comparison input). The estimate is 1.2–1.9 times
 * what they took (test/server/result-forms.test.ts holds every bundled scenario under it).
 *
 * @example
 * expectedResultBytes(4, 60) // 1088000
 */
export function expectedResultBytes(clusters: number, clusterYears: number): number {
  return 16_000 * clusterYears + 32_000 * clusters + 8_000;
}

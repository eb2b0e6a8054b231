import type { Distribution, Grade } from './input-row.ts';

/**
 * Uncertainty from provenance (issue 22, point 2): the band `--grades` puts on every default a run
 * used, from the grade of its source. The default is multiplied by a factor drawn from a triangular
 * distribution on [1 − band, 1 + band] with its mode at 1 — the default is the likeliest value, the
 * band's ends are never passed — truncated to the field's hard bounds. The bands are dcplan's
 * declared judgement, not a published table (grade `assumption`): they say how far a figure of each
 * grade is usually off, from the spread the sources of each grade show in docs/sources.md (official
 * tables to a few per cent; derived figures and assumptions by a third to a half; a figure not found
 * is a placeholder that may be off by its own size). docs/models/uncertainty.md lists them.
 */

/** Relative half-width of the band of each grade (0.05 = ±5 %). */
export const GRADE_BANDS: Record<Grade, { band: number; why: string }> = {
  A: { band: 0.02, why: 'official or primary figure (a tariff table, a standard): rounding and revisions' },
  B: { band: 0.05, why: 'reputable secondary source (a cost guide, a utility report)' },
  C: { band: 0.15, why: 'indirect or dated source (another year, another region, a trade article)' },
  D: { band: 0.3, why: 'derived or estimated by dcplan from other figures' },
  assumption: { band: 0.5, why: 'engineering assumption without a source' },
  'NOT FOUND': { band: 1, why: 'no source found: a placeholder that may be off by its own size' },
};

/** Where the bands come from, as a default's source reads. */
export const GRADE_BANDS_SOURCE =
  'dcplan assumption (issue 22): A ±2 %, B ±5 %, C ±15 %, D ±30 %, assumption ±50 %, NOT FOUND ±100 %, triangular around the default';

/**
 * The factor distribution of a grade, or null for a grade without a band (a user's `input`, an unknown grade).
 *
 * @example
 * gradeFactor('C') // → { dist: 'triangular', min: 0.85, mode: 1, max: 1.15 }
 */
export function gradeFactor(grade: string): Distribution | null {
  if (!Object.hasOwn(GRADE_BANDS, grade)) return null;
  const b = GRADE_BANDS[grade as Grade].band;
  return { dist: 'triangular', min: 1 - b, mode: 1, max: 1 + b };
}

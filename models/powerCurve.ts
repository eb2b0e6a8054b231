/**
 * Server power versus utilisation from a SPECpower_ssj2008 curve: 11 measured points of average active
 * power at 0 % (active idle), 10 %, …, 100 % target load, interpolated linearly (as CloudSim's
 * PowerModelSpecPower does; Beloglazov & Buyya, CCPE 24(13), 2012). A rack's power at utilisation u is
 * its design power × the curve's fraction of full-load power at u (the rack design power is taken as
 * the servers' 100 %-load wall power; docs/models/capacity.md).
 */

export interface PowerCurve {
  id: string;
  label: string;
  /** 11 values at 0, 10, …, 100 % load: fraction of the 100 %-load power. */
  fractionAtLoad: number[];
  source?: string;
  /** Grade of the curve's figures (see the sources). */
  grade?: string;
}

/**
 * Fraction of full-load power at utilisation u (clamped to [0, 1]), linear between the 10 % points.
 *
 * @example
 * powerFraction({ id: 'x', label: 'x', fractionAtLoad: [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1] }, 0.45)
 * // → 0.65 (midway between 0.6 at 40 % and 0.7 at 50 %)
 */
export function powerFraction(curve: PowerCurve, u: number): number {
  const f = curve.fractionAtLoad;
  const x = Math.min(1, Math.max(0, u)) * 10;
  const i = Math.min(9, Math.floor(x));
  return f[i] + (f[i + 1] - f[i]) * (x - i);
}

/**
 * Power fraction for every hour of a utilisation series, written into `out`.
 *
 * @example
 * powerFractionSeries(curve, new Float64Array([0, 1]), new Float64Array(2)) // → [idle fraction, 1]
 */
export function powerFractionSeries(
  curve: PowerCurve,
  utilisation: Float64Array,
  out: Float64Array,
): Float64Array {
  const f = curve.fractionAtLoad;
  for (let h = 0; h < utilisation.length; h++) {
    const u = utilisation[h];
    const x = (u < 0 ? 0 : Math.min(u, 1)) * 10;
    const i = x >= 10 ? 9 : Math.floor(x);
    out[h] = f[i] + (f[i + 1] - f[i]) * (x - i);
  }
  return out;
}

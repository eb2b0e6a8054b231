/**
 * Discounted cash-flow metrics on yearly cash flows (index 0 = first simulated year, flows at year end).
 * Standard definitions (e.g. Brealey, Myers & Allen, Principles of Corporate Finance, ch. 2 and 5).
 */

/**
 * Net present value of yearly cash flows at `rate`, the first flow discounted one year.
 *
 * @example
 * npv(0.1, [-100, 60, 60]) // → 3.757 (−100/1.1 + 60/1.21 + 60/1.331)
 */
export function npv(rate: number, flows: readonly number[]): number {
  let v = 0;
  let d = 1;
  for (const f of flows) {
    d /= 1 + rate;
    v += f * d;
  }
  return v;
}

/**
 * Internal rate of return by bisection on [−0.99, 10]; null when the flows do not change sign or NPV
 * has no root in that range.
 *
 * @example
 * irr([-100, 60, 60]) // → 0.1307 (x = 1/(1+r) solves 60x² + 60x − 100 = 0: x = 0.8844)
 */
export function irr(flows: readonly number[]): number | null {
  const hasNeg = flows.some((f) => f < 0);
  const hasPos = flows.some((f) => f > 0);
  if (!hasNeg || !hasPos) return null;
  let lo = -0.99;
  let hi = 10;
  let fLo = npv(lo, flows);
  const fHi = npv(hi, flows);
  if (Math.sign(fLo) === Math.sign(fHi)) return null;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    const fMid = npv(mid, flows);
    if (Math.sign(fMid) === Math.sign(fLo)) {
      lo = mid;
      fLo = fMid;
    } else hi = mid;
    if (hi - lo < 1e-10) break;
  }
  return (lo + hi) / 2;
}

/**
 * Years until the cumulative (optionally discounted) cash flow turns non-negative, interpolated within
 * the year; null when it never does.
 *
 * @example
 * paybackYears([-100, 60, 60]) // → 2.667 (cumulative −100, −40, +20: 40/60 into the third year)
 */
export function paybackYears(flows: readonly number[], rate = 0): number | null {
  let cum = 0;
  let d = 1;
  for (let i = 0; i < flows.length; i++) {
    d /= 1 + rate;
    const f = flows[i] * (rate ? d : 1);
    const prev = cum;
    cum += f;
    if (prev < 0 && cum >= 0) return i + -prev / f;
    if (i === 0 && cum >= 0) return 0;
  }
  return null;
}

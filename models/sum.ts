/**
 * Compensated (Neumaier) summation of a series: the error does not grow with its length, even where terms
 * cancel. (A year of non-negative hourly terms is summed plainly in the hot loops: see "Sums" in
 * docs/ARCHITECTURE.md.)
 *
 * Reference: A. Neumaier, "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher Summen",
 * ZAMM 54 (1974) 39–51.
 *
 * @example
 * sum([1e100, 1, -1e100, 1]) // → 2 (naive summation gives 1)
 */
export function sum(values: ArrayLike<number>, start = 0, end = values.length): number {
  let s = 0;
  let c = 0; // running compensation
  for (let i = start; i < end; i++) {
    const v = values[i];
    const t = s + v;
    c += roundingError(s, v, t);
    s = t;
  }
  return s + c;
}

/**
 * The rounding error of t = s + v (Neumaier's step): add it to a running compensation — `t = s + v;
 * c += roundingError(s, v, t); s = t;`, total `s + c` — on local variables where a loop keeps several
 * compensated sums (an object per sum is not optimised away in V8's hot loops).
 *
 * @example
 * roundingError(1e100, 1, 1e100 + 1) // → 1
 */
export function roundingError(s: number, v: number, t: number): number {
  return Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
}

/**
 * Compensated (Neumaier) summation of a series. Long hourly series (8,760 values per year, many years)
 * lose precision with naive summation; this keeps the error independent of length.
 *
 * Reference: A. Neumaier, "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher Summen",
 * ZAMM 54 (1974) 39–51.
 *
 * @example
 * sum([1e100, 1, -1e100, 1]) // → 2 (naive summation gives 0)
 */
export function sum(values: ArrayLike<number>, start = 0, end = values.length): number {
  let s = 0;
  let c = 0; // running compensation
  for (let i = start; i < end; i++) {
    const v = values[i];
    const t = s + v;
    if (Math.abs(s) >= Math.abs(v)) c += s - t + v;
    else c += v - t + s;
    s = t;
  }
  return s + c;
}

/**
 * Incremental compensated sum for loops that cannot build an array first.
 *
 * @example
 * const acc = new CompensatedSum(); acc.add(0.1); acc.add(0.2); acc.value // → 0.30000000000000004
 */
export class CompensatedSum {
  private s = 0;
  private c = 0;
  add(v: number): void {
    const t = this.s + v;
    if (Math.abs(this.s) >= Math.abs(v)) this.c += this.s - t + v;
    else this.c += v - t + this.s;
    this.s = t;
  }
  get value(): number {
    return this.s + this.c;
  }
}

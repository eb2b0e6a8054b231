import { describe, expect, it } from 'vitest';
import { roundingError, sum } from '../../models/sum.ts';

describe('compensated summation (Neumaier 1974)', () => {
  it('keeps what naive summation loses', () => {
    // Exact sum of 1e100 + 1 − 1e100 + 1 is 2; naive left-to-right addition loses the first 1 (1e100 + 1
    // rounds to 1e100) and gives 1.
    const xs = [1e100, 1, -1e100, 1];
    expect(xs.reduce((a, b) => a + b, 0)).toBe(1);
    expect(sum(xs)).toBe(2);
    // Ten times the double nearest 0.1 is 1.000000000000000055…: the nearest double is 1, which
    // naive addition misses (0.9999999999999999).
    const tenths = new Array(10).fill(0.1);
    expect(tenths.reduce((a, b) => a + b, 0)).toBe(0.9999999999999999);
    expect(sum(tenths)).toBe(1);
  });

  it('roundingError is the part of s + v the addition dropped', () => {
    // 1e100 + 1 rounds to 1e100: the error is exactly 1; 0.5 + 0.25 is exact: no error.
    expect(roundingError(1e100, 1, 1e100 + 1)).toBe(1);
    expect(roundingError(0.5, 0.25, 0.75)).toBe(0);
    // Used on locals, it gives what sum() gives, bit for bit (the hot loops rely on it).
    const xs = Array.from({ length: 8760 }, (_, h) => 1000 + 300 * Math.sin(h / 7) + 1e-7 * h);
    let s = 0;
    let c = 0;
    for (const v of xs) {
      const t = s + v;
      c += roundingError(s, v, t);
      s = t;
    }
    expect(s + c).toBe(sum(xs));
    expect(sum(xs, 100, 200)).toBe(sum(xs.slice(100, 200)));
  });
});

import { expect } from 'vitest';

/**
 * The one float-comparison helper for the test suite: |actual − expected| ≤ abs + rel·|expected|.
 */
export function expectClose(
  actual: number,
  expected: number,
  opts: { abs?: number; rel?: number } = {},
): void {
  const { abs = 1e-9, rel = 0 } = opts;
  const tol = abs + rel * Math.abs(expected);
  const diff = Math.abs(actual - expected);
  if (!(diff <= tol)) {
    expect.fail(`expected ${actual} to be within ${tol} of ${expected} (off by ${diff})`);
  }
}

/** Where the shared reference data live (read-only, never committed). */
export const SHARED_DATA = new URL('../../../shared/data/', import.meta.url).pathname;

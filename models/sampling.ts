import { normalQuantile } from './distribution.ts';

/**
 * Sampling plans for Monte Carlo (issue 22): uniform numbers u ∈ (0, 1), one column per uncertain
 * input and one row per sample, that the inputs' quantile functions (distribution.ts) turn into values.
 * - `latinHypercube`: each column has exactly one u in each of the n strata [i/n, (i+1)/n), the strata
 *   in a random order (McKay, Beckman & Conover, Technometrics 21, 1979);
 * - `randomUniforms`: plain independent draws;
 * - `imanConover`: reorders the columns so that their rank correlations approach a target matrix,
 *   keeping every column's values (and so the Latin-hypercube strata) — Iman & Conover, "A
 *   distribution-free approach to inducing rank correlation among input variables", Communications
 *   in Statistics B11(3), 1982.
 * Everything is a function of its seed: the same seed gives the same plan on any machine.
 * A plan is column-major: u[j · n + i] is input j of sample i.
 */

/** A seeded generator of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * xoshiro128** (Blackman & Vigna 2018) seeded by SplitMix32 from a 32-bit seed: 2¹²⁸ − 1 period, 32
 * bits per draw, integer arithmetic only (the same numbers in every JavaScript engine).
 *
 * @example
 * const r = rng(42); r() // → the same number on every machine
 */
export function rng(seed: number): Rng {
  let x = seed >>> 0;
  const split = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  if ((a | b | c | d) === 0) a = 1;
  return () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r / 4294967296;
  };
}

const rotl = (v: number, k: number) => ((v << k) | (v >>> (32 - k))) >>> 0;

/** A random permutation of 0 … n − 1 (Fisher–Yates). */
export function permutation(n: number, r: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** A number strictly inside (0, 1): a draw of exactly 0 moves to the middle of its stratum's first ulp. */
const open = (u: number, n: number) => (u > 0 ? u : 0.5 / (n * 4294967296));

/**
 * A Latin hypercube of n samples of k inputs: in each column, u = (π(i) + v)/n with π a random
 * permutation and v uniform in [0, 1), so each stratum [s/n, (s+1)/n) holds exactly one sample.
 *
 * @example
 * latinHypercube(4, 1, rng(1)).map((u) => Math.floor(u * 4)).sort() // → [0, 1, 2, 3]
 */
export function latinHypercube(n: number, k: number, r: Rng): Float64Array {
  const u = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    const p = permutation(n, r);
    for (let i = 0; i < n; i++) u[j * n + i] = open((p[i] + r()) / n, n);
  }
  return u;
}

/** n independent samples of k uniform inputs. */
export function randomUniforms(n: number, k: number, r: Rng): Float64Array {
  const u = new Float64Array(n * k);
  for (let i = 0; i < u.length; i++) u[i] = open(r(), n);
  return u;
}

/** Ranks 0 … n − 1 of a column (ties by position). */
function ranks(col: ArrayLike<number>): Int32Array {
  const n = col.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => col[a] - col[b] || a - b);
  const rk = new Int32Array(n);
  order.forEach((i, r) => {
    rk[i] = r;
  });
  return rk;
}

/** The lower Cholesky factor of a symmetric k × k matrix (row-major), or null when not positive definite. */
export function cholesky(a: Float64Array, k: number): Float64Array | null {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j];
      for (let m = 0; m < j; m++) s -= l[i * k + m] * l[j * k + m];
      if (i === j) {
        if (!(s > 1e-12)) return null;
        l[i * k + i] = Math.sqrt(s);
      } else l[i * k + j] = s / l[j * k + j];
    }
  return l;
}

/** Pearson correlation matrix (k × k, row-major) of the columns of a column-major n × k matrix. */
function correlation(x: Float64Array, n: number, k: number): Float64Array {
  const mean = new Float64Array(k);
  const sd = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[j * n + i];
    mean[j] = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[j * n + i] - mean[j]) ** 2;
    sd[j] = Math.sqrt(v);
  }
  const c = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (x[a * n + i] - mean[a]) * (x[b * n + i] - mean[b]);
      const v = a === b ? 1 : s / (sd[a] * sd[b]);
      c[a * k + b] = v;
      c[b * k + a] = v;
    }
  return c;
}

/**
 * Iman–Conover: reorder each column of the plan `u` (n × k, column-major, in place) so that the
 * columns' rank correlations approach `target` (k × k, row-major, symmetric, ones on the diagonal,
 * positive definite). Scores a_i = Φ⁻¹(i/(n+1)) in the columns' present order make R; with T its
 * correlation matrix, T = QQᵀ and target = PPᵀ (Cholesky), the rows of R (P Q⁻¹)ᵀ carry the target
 * correlation, and each column of u takes the ranks of that column. Throws
 * `correlation: the matrix is not positive definite` when no such ordering exists.
 */
export function imanConover(u: Float64Array, n: number, k: number, target: Float64Array): void {
  const p = cholesky(target, k);
  if (!p) throw new Error('correlation: the matrix is not positive definite');
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) score[i] = normalQuantile((i + 1) / (n + 1));
  const r = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    const rk = ranks(u.subarray(j * n, (j + 1) * n));
    for (let i = 0; i < n; i++) r[j * n + i] = score[rk[i]];
  }
  const q = cholesky(correlation(r, n, k), k);
  if (!q) return; // columns already dependent (n ≤ k): nothing to steer
  // m = P Q⁻¹ (lower triangular): solve Q mᵀ… by forward substitution per column of P.
  const qInv = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < k; i++) {
      let s = i === c ? 1 : 0;
      for (let m = 0; m < i; m++) s -= q[i * k + m] * qInv[m * k + c];
      qInv[i * k + c] = s / q[i * k + i];
    }
  }
  const m = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += p[i * k + t] * qInv[t * k + j];
      m[i * k + j] = s;
    }
  const rs = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += m[a * k + b] * r[b * n + i];
      rs[a * n + i] = s;
    }
  for (let j = 0; j < k; j++) {
    const col = u.slice(j * n, (j + 1) * n).sort();
    const rk = ranks(rs.subarray(j * n, (j + 1) * n));
    for (let i = 0; i < n; i++) u[j * n + i] = col[rk[i]];
  }
}

/** Ranks of a series with ties given their average rank (0-based). */
function averageRanks(col: ArrayLike<number>): Float64Array {
  const n = col.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => col[a] - col[b]);
  const rk = new Float64Array(n);
  for (let s = 0; s < n; ) {
    let e = s;
    while (e + 1 < n && col[order[e + 1]] === col[order[s]]) e++;
    for (let t = s; t <= e; t++) rk[order[t]] = (s + e) / 2;
    s = e + 1;
  }
  return rk;
}

/**
 * Spearman's rank correlation of two series (Pearson on the ranks, ties at their average rank; 0 when
 * either series is constant).
 *
 * @example
 * rankCorrelation([1, 2, 3], [10, 30, 20]) // → 0.5
 */
export function rankCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const mean = (n - 1) / 2;
  let s = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    s += (ra[i] - mean) * (rb[i] - mean);
    va += (ra[i] - mean) ** 2;
    vb += (rb[i] - mean) ** 2;
  }
  return va > 0 && vb > 0 ? s / Math.sqrt(va * vb) : 0;
}

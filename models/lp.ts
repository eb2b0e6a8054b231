import type { Highs, InitOptions } from 'highs';

/**
 * Linear and mixed-integer programs as HiGHS takes them (Huangfu & Hall, "Parallelizing the dual revised
 * simplex method", Math. Prog. Comp. 10, 2018; the `highs` npm package: HiGHS compiled to WebAssembly):
 *   minimise c·x + offset  subject to  rowLower ≤ A x ≤ rowUpper,  colLower ≤ x ≤ colUpper,
 * with A held row by row (CSR). Models build their problem with `lpBuilder` (typed arrays that grow,
 * no per-entry objects) and solve it with an `LpSolver` their caller passes: the engine loads nothing
 * itself (no hidden state); `loadLpSolver` loads HiGHS once for a caller (the CLI, a worker, the page's
 * worker) to keep and pass in `RunOptions.lp`.
 */

/** A linear program, A by rows (CSR). `integer[j]` = 1 marks an integer column (a MILP). */
export interface LinearProgram {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  rowStarts: Int32Array;
  colIndex: Int32Array;
  values: Float64Array;
  integer: Uint8Array | null;
  offset: number;
}

/** What a solve gives: the status, the objective (with the offset) and the columns' values. */
export interface LpSolution {
  status: 'optimal' | 'infeasible' | 'unbounded' | 'time-limit' | 'other';
  /** HiGHS' own words for the status (e.g. 'Optimal', 'Time limit reached'). */
  statusText: string;
  objective: number;
  x: Float64Array;
  /** Relative MIP gap at the end (0 for an LP solved to optimality). */
  mipGap: number;
}

/** Options of one solve. */
export interface LpOptions {
  /** Seconds before HiGHS stops with its best solution (REopt's default is 600 s for its MILP). */
  timeLimitS?: number;
  /** Relative MIP gap at which a MILP counts as solved (HiGHS' default 1e-4). */
  mipRelGap?: number;
  /** HiGHS' LP algorithm: its choice (dual simplex), or the interior-point method (faster on the sizing programs). */
  solver?: 'choose' | 'simplex' | 'ipm';
  /** Run crossover after the interior-point method (a basic solution; default on). */
  crossover?: boolean;
  /** A feasible solution to start a MILP's search from (every column's value). */
  start?: Float64Array;
}

/** Solves linear programs: `highsSolver(await loadHighs())` or a test's own. */
export interface LpSolver {
  solve(lp: LinearProgram, opts?: LpOptions): LpSolution;
}

/** Infinity as HiGHS reads it in bounds. */
export const INF = Number.POSITIVE_INFINITY;

/** A growable typed array (doubling). */
class Grow<T extends Float64Array | Int32Array | Uint8Array> {
  n = 0;
  constructor(
    public a: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): number {
    if (this.n === this.a.length) {
      const b = this.make(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n] = v;
    return this.n++;
  }
  done(): T {
    return this.a.subarray(0, this.n) as T;
  }
}

/** Builds a linear program column by column and row by row. */
export interface LpBuilder {
  /** A column with its cost and bounds; returns its index. `integer` for a MILP column. */
  col(cost: number, lower: number, upper: number, integer?: boolean): number;
  /** A row lower ≤ Σ coef·x ≤ upper over the given columns (each at most once); returns its index. */
  row(lower: number, upper: number, cols: ArrayLike<number>, coefs: ArrayLike<number>): number;
  /** Change a column's cost (e.g. a second objective over the same constraints). */
  setCost(col: number, cost: number): void;
  /** A constant added to the objective. */
  offset(v: number): void;
  build(): LinearProgram;
}

/**
 * A builder for a `LinearProgram` (rows in CSR; zero coefficients are left out).
 *
 * @example
 * const b = lpBuilder(); const x = b.col(-1, 0, 4); const y = b.col(-1, 0, INF);
 * b.row(-INF, 6, [x, y], [1, 2]); // max x + y s.t. x + 2y ≤ 6, x ≤ 4 → x = 4, y = 1, objective −5
 */
export function lpBuilder(expectCols = 1024, expectNonZeros = 4096): LpBuilder {
  const f = (n: number) => new Float64Array(n);
  const i32 = (n: number) => new Int32Array(n);
  const cost = new Grow(f(expectCols), f);
  const lo = new Grow(f(expectCols), f);
  const hi = new Grow(f(expectCols), f);
  const isInt = new Grow(new Uint8Array(expectCols), (n) => new Uint8Array(n));
  const rLo = new Grow(f(expectCols), f);
  const rHi = new Grow(f(expectCols), f);
  const starts = new Grow(i32(expectCols + 1), i32);
  const idx = new Grow(i32(expectNonZeros), i32);
  const val = new Grow(f(expectNonZeros), f);
  let anyInt = false;
  let off = 0;
  starts.push(0);
  return {
    col(c, l, u, integer = false) {
      if (!(l <= u)) throw new Error(`lp: column ${cost.n} has lower ${l} > upper ${u}`);
      lo.push(l);
      hi.push(u);
      isInt.push(integer ? 1 : 0);
      if (integer) anyInt = true;
      return cost.push(c);
    },
    row(l, u, cols, coefs) {
      for (let k = 0; k < cols.length; k++) {
        if (coefs[k] === 0) continue;
        if (!Number.isFinite(coefs[k])) throw new Error(`lp: row ${rLo.n} has a non-finite coefficient`);
        idx.push(cols[k]);
        val.push(coefs[k]);
      }
      starts.push(idx.n);
      rHi.push(u);
      return rLo.push(l);
    },
    setCost(col, c) {
      cost.a[col] = c;
    },
    offset(v) {
      off += v;
    },
    build() {
      return {
        numCols: cost.n,
        numRows: rLo.n,
        colCost: cost.done(),
        colLower: lo.done(),
        colUpper: hi.done(),
        rowLower: rLo.done(),
        rowUpper: rHi.done(),
        rowStarts: starts.done(),
        colIndex: idx.done(),
        values: val.done(),
        integer: anyInt ? isInt.done() : null,
        offset: off,
      };
    },
  };
}

const STATUS: Record<string, LpSolution['status']> = {
  Optimal: 'optimal',
  Infeasible: 'infeasible',
  Unbounded: 'unbounded',
  'Primal infeasible or unbounded': 'infeasible',
  'Time limit reached': 'time-limit',
};

/**
 * An `LpSolver` over a loaded HiGHS runtime (the structured API: the matrix is copied in as CSR, no
 * LP text is written or parsed). Output is silent; the solve blocks the calling thread.
 */
export function highsSolver(highs: Highs): LpSolver {
  return {
    solve(lp, opts = {}) {
      const data = {
        numCols: lp.numCols,
        numRows: lp.numRows,
        offset: lp.offset,
        colCost: lp.colCost,
        colLower: lp.colLower,
        colUpper: lp.colUpper,
        rowLower: lp.rowLower,
        rowUpper: lp.rowUpper,
        matrix: {
          format: 'csr' as const,
          numRows: lp.numRows,
          numCols: lp.numCols,
          starts: lp.rowStarts,
          indices: lp.colIndex,
          values: lp.values,
        },
        ...(lp.integer ? { integrality: Int32Array.from(lp.integer) as unknown as Int32Array } : {}),
      };
      return highs.withModel(data as never, (model) => {
        model.options.set({
          output_flag: false,
          ...(opts.timeLimitS !== undefined ? { time_limit: opts.timeLimitS } : {}),
          ...(opts.mipRelGap !== undefined ? { mip_rel_gap: opts.mipRelGap } : {}),
          ...(opts.solver !== undefined ? { solver: opts.solver } : {}),
          ...(opts.crossover !== undefined ? { run_crossover: opts.crossover ? 'on' : 'off' } : {}),
        });
        if (opts.start) model.setSolution({ colValue: opts.start });
        model.run();
        const code = model.getModelStatus() as unknown as number;
        const text = modelStatusText(highs, code);
        const status = STATUS[text] ?? 'other';
        const sol = status === 'optimal' || status === 'time-limit' ? model.getSolution() : null;
        let gap = 0;
        if (lp.integer) {
          try {
            gap = Number(model.info.get('mip_gap'));
          } catch {
            gap = Number.NaN;
          }
        }
        return {
          status,
          statusText: text,
          objective: sol ? model.getObjectiveValue() : Number.NaN,
          x: sol ? Float64Array.from(sol.colValue) : new Float64Array(lp.numCols),
          mipGap: gap,
        };
      });
    },
  };
}

/** HiGHS' model-status code in words (its `constants.modelStatus` names, as the legacy API spells them). */
function modelStatusText(highs: Highs, code: number): string {
  const names = highs.constants.modelStatus as unknown as Record<string, number>;
  const name = Object.keys(names).find((k) => names[k] === code) ?? String(code);
  const words: Record<string, string> = {
    optimal: 'Optimal',
    infeasible: 'Infeasible',
    unbounded: 'Unbounded',
    unboundedOrInfeasible: 'Primal infeasible or unbounded',
    timeLimit: 'Time limit reached',
  };
  return words[name] ?? name;
}

/**
 * Load HiGHS (WebAssembly, ≈ 3.5 MB) and wrap it as an `LpSolver`. In Node the package finds its
 * `highs.wasm` beside its module; a bundled page passes where the file is served
 * (`import wasmUrl from 'highs/runtime?url'` → `loadLpSolver({ locateFile: () => wasmUrl })`).
 */
export async function loadLpSolver(init: InitOptions = {}): Promise<LpSolver> {
  const { default: load } = await import('highs');
  return highsSolver(await load(init));
}

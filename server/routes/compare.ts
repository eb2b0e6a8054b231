import { Router } from 'express';
import { z } from 'zod';
import { compareRuns } from '../compare-rows.ts';
import { badRequest, parseInput } from '../problem.ts';
import { type AppContext, finishedRun } from './context.ts';

export { COMPARE_COLUMNS } from '../compare-rows.ts';

/** Most runs one comparison takes. */
export const MAX_COMPARE_RUNS = 20;
/** Most cluster-years (stored annual rows) the runs of one comparison may hold together. */
export const MAX_COMPARE_CLUSTER_YEARS = 20_000;

const RUNS_RULE = `give 1–${MAX_COMPARE_RUNS} run ids, comma-separated`;
/** `GET /compare` query: `runs=a,b,c`. */
export const CompareQuery = z.object({
  runs: z
    .string({ error: RUNS_RULE })
    .transform((s) => [
      ...new Set(
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string()).min(1, { error: RUNS_RULE }).max(MAX_COMPARE_RUNS, { error: RUNS_RULE }))
    .meta({ description: `finished run ids, comma-separated (1–${MAX_COMPARE_RUNS})` }),
});

/**
 * `GET /compare?runs=a,b,c`: the clusters of finished runs side by side, ranked by the engine's
 * investor comparison (models/compare.ts) across all of them. Ids are deduplicated; the figures come
 * from what each run stored for comparisons when it finished (no result is re-read).
 */
export function compareRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/', (req, res) => {
    const { runs } = parseInput(CompareQuery, req.query);
    let clusterYears = 0;
    for (const id of runs) {
      finishedRun(ctx, id);
      clusterYears += ctx.runs.annualRowCount(id);
    }
    if (clusterYears > MAX_COMPARE_CLUSTER_YEARS) {
      throw badRequest(
        `runs: these runs hold ${clusterYears} cluster-years; one comparison takes at most ${MAX_COMPARE_CLUSTER_YEARS}`,
      );
    }
    res.json(compareRuns(runs.map((id) => ({ runId: id, input: ctx.runs.compareInput(id) }))));
  });
  return r;
}

import { Router } from 'express';
import { z } from 'zod';
import { COMPARE_COLUMNS } from '../compare-rows.ts';
import { badRequest, parseInput } from '../problem.ts';
import { type AppContext, finishedRun } from './context.ts';

export { COMPARE_COLUMNS, compareRows } from '../compare-rows.ts';

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
 * `GET /compare?runs=a,b,c`: the clusters of finished runs side by side on the key metrics. Ids are
 * deduplicated; the rows come from what each run stored when it finished (no result is re-read).
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
    const rows = runs.flatMap((id) => ctx.runs.compareRows(id).map((row) => ({ runId: id, ...row })));
    res.json({ columns: COMPARE_COLUMNS, rows });
  });
  return r;
}

import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { QueueFullError } from '../jobs/pool.ts';
import { badRequest, busy, conflict, parseInput } from '../problem.ts';
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
 * from what each run stored for comparisons when it finished (no result is re-read), and the
 * comparison is computed on the reads pool: the event loop only reads those bytes (a few kB per
 * cluster-year band, ≤ 20,000 cluster-years) and sends the answer as the worker wrote it.
 */
export function compareRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const { runs } = parseInput(CompareQuery, req.query);
    let clusterYears = 0;
    for (const id of runs) clusterYears += finishedRun(ctx, id).clusterYears;
    if (clusterYears > MAX_COMPARE_CLUSTER_YEARS) {
      throw badRequest(
        `runs: these runs hold ${clusterYears} cluster-years; one comparison takes at most ${MAX_COMPARE_CLUSTER_YEARS}`,
      );
    }
    const inputs = runs.map((id) => {
      const input = ctx.service.formBytes(id, 'compare');
      if (!input.length) throw conflict(`run ${id} has no stored comparison input`);
      return { runId: id, input };
    });
    let out: Uint8Array;
    try {
      out = await ctx.reads.submit<Uint8Array>(`compare-${randomUUID()}`, { type: 'compare', runs: inputs });
    } catch (e) {
      if (e instanceof QueueFullError)
        throw busy('compare: too many comparisons and exports are being computed', 2);
      throw e;
    }
    res.type('application/json').send(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
  });
  return r;
}

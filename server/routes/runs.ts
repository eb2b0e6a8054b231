import { randomUUID } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { RunResult } from '../../models/result.ts';
import { ENGINE_VERSION } from '../../models/simulate.ts';
import type { RunRow } from '../db/repositories.ts';
import { formatCsv } from '../format.ts';
import { HOURLY_CHECK_KEYS } from '../hourly.ts';
import { JobError, QueueFullError } from '../jobs/pool.ts';
import type { HourlyOutput } from '../jobs/worker.ts';
import { badRequest, busy, conflict, notFound, parseInput } from '../problem.ts';
import { type AppContext, finishedRun, getRun, PositiveInt, RunIdParams } from './context.ts';

/** Longest a `POST /runs` waits for the result before answering 202 (ms). */
export const MAX_WAIT_MS = 60_000;
/** How long `POST /runs` waits by default before answering 202 (ms). */
export const DEFAULT_WAIT_MS = 10_000;

const view = z
  .enum(['full', 'summary'], { error: 'must be full or summary' })
  .optional()
  .meta({ description: 'summary: the result without monthly rows and hourly profiles (default full)' });

/** `GET /runs/:id` query: which form of the result. */
export const RunViewQuery = z.object({ view });

/** `POST /runs` query: how long to wait for the result before answering 202, and its form. */
export const RunQuery = z.object({
  view,
  wait: z
    .string()
    .regex(/^\d{1,6}$/, { error: `must be 0–${MAX_WAIT_MS} (ms)` })
    .transform(Number)
    .refine((n) => n <= MAX_WAIT_MS, { error: `must be 0–${MAX_WAIT_MS} (ms)` })
    .optional()
    .meta({
      description: `ms to wait for the result before answering 202 (default ${DEFAULT_WAIT_MS}, max ${MAX_WAIT_MS})`,
    }),
});

/** `POST /runs` body: a saved scenario (latest or a given version) or an inline scenario. */
export const RunBySaved = z.strictObject({
  scenarioId: z
    .number({ error: 'must be a positive whole number' })
    .int({ error: 'must be a positive whole number' })
    .min(1, { error: 'must be a positive whole number' }),
  version: z
    .number({ error: 'must be a positive whole number' })
    .int({ error: 'must be a positive whole number' })
    .min(1, { error: 'must be a positive whole number' })
    .optional(),
});
const RunInline = z.strictObject({
  scenario: z.custom<unknown>((v) => v !== undefined, { error: 'is required' }),
});

/** `GET /runs` query: newest first, optionally one saved scenario's runs, a page at a time. */
export const RunListQuery = z.object({
  scenario: z
    .string({ error: 'must be given once' })
    .regex(/^\d{1,9}$/, { error: 'must be a scenario id' })
    .transform(Number)
    .optional()
    .meta({ description: 'only runs of this saved scenario' }),
  limit: z
    .string({ error: 'must be given once' })
    .regex(/^\d{1,3}$/, { error: 'must be 1–200' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 200, { error: 'must be 1–200' })
    .optional()
    .meta({ description: 'page size (default 50, max 200)' }),
  offset: z
    .string({ error: 'must be given once' })
    .regex(/^\d{1,9}$/, { error: 'must be a whole number ≥ 0' })
    .transform(Number)
    .optional()
    .meta({ description: 'runs to skip (default 0)' }),
});

/** `GET /runs/:id/hourly.csv` query: one cluster (by id, or by position) and one simulated year. */
export const HourlyQuery = z.object({
  cluster: z
    .string({ error: 'must be given once' })
    .optional()
    .meta({ description: 'cluster id (when it appears once in the run)' }),
  index: z
    .string({ error: 'must be given once' })
    .regex(/^\d{1,4}$/, { error: 'must be a whole number ≥ 0' })
    .transform(Number)
    .optional()
    .meta({ description: "position of the cluster in the run's result (0-based), instead of cluster" }),
  year: PositiveInt.meta({ description: 'a simulated year' }),
});

/** Send a JSON body given in chunks (a run's view and its stored result bytes) without joining them. */
function sendJson(res: Response, chunks: Buffer[]): void {
  res.type('application/json');
  res.setHeader(
    'Content-Length',
    chunks.reduce((n, c) => n + c.length, 0),
  );
  for (const c of chunks.slice(0, -1)) res.write(c);
  res.end(chunks[chunks.length - 1]);
}

/** What `POST /runs` runs: a saved scenario (latest or a given version, 404 if none) or an inline one. */
function runInput(ctx: AppContext, body: unknown) {
  if (body !== null && typeof body === 'object' && 'scenarioId' in body) {
    const { scenarioId, version } = parseInput(RunBySaved, body);
    const s = ctx.scenarios.get(scenarioId, version);
    if (!s) throw notFound(`scenario ${scenarioId}${version ? ` version ${version}` : ''} does not exist`);
    return { scenario: s.scenario, source: { scenarioId: s.id, scenarioVersion: s.version } };
  }
  const { scenario } = parseInput(RunInline, body);
  return { scenario, source: { scenarioId: null, scenarioVersion: null } };
}

/** Set `etag` (revalidate every time) and answer 304 when the request's If-None-Match has it. */
function notModified(req: Request, res: Response, etag: string): boolean {
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'no-cache');
  // (Not req.fresh: it ignores validators when the request says no-cache, as fetch() does.)
  const inm = req.get('if-none-match');
  if (inm && (inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag))) {
    res.status(304).end();
    return true;
  }
  return false;
}

/** The position of the cluster an hourly export asks for: `index`, or `cluster` when it appears once. */
function clusterIndex(ids: string[], q: { cluster?: string; index?: number }): number {
  // A scenario may hold the same cluster twice (e.g. with and without a battery): ?index= picks one.
  if (q.index !== undefined) {
    if (q.index >= ids.length) throw badRequest(`index: must be 0–${ids.length - 1}`);
    return q.index;
  }
  const matches = ids.flatMap((c, i) => (c === q.cluster ? [i] : []));
  if (matches.length === 0) throw badRequest(`cluster: must be one of ${ids.join(', ')}`);
  if (matches.length > 1) {
    throw badRequest(
      `cluster: ${q.cluster} appears ${matches.length} times in this run; give index (${matches.join(' or ')})`,
    );
  }
  return matches[0];
}

/**
 * One cluster-year's hours as CSV, re-simulated on the task pool with what the run used: its scenario
 * and user clusters (stored with it), and the same engine and seed bundle — or a 409, rather than
 * differ (another engine or seed bundle, or a re-simulation that does not reproduce the stored row).
 */
async function hourlyExport(
  ctx: AppContext,
  run: RunRow,
  at: { index: number; clusterId: string; year: number },
): Promise<string> {
  const { id } = run;
  const { index: idx, clusterId, year } = at;
  if (run.engineVersion !== ENGINE_VERSION) {
    throw conflict(
      `run ${id} was made with engine ${run.engineVersion}, this server runs ${ENGINE_VERSION}; start the run again for an hourly export`,
    );
  }
  if (run.seedHash !== ctx.seedHash) {
    throw conflict(
      `run ${id} was made with ${run.seedHash ? 'another' : 'an unrecorded'} seed bundle; start the run again for an hourly export`,
    );
  }
  const row = ctx.runs.annualRow(id, idx, year);
  if (!row) throw conflict(`run ${id} has no stored row for ${clusterId} in ${year}`);
  const expect = Object.fromEntries(HOURLY_CHECK_KEYS.map((k) => [k, row[k]])) as Pick<
    typeof row,
    (typeof HOURLY_CHECK_KEYS)[number]
  >;
  let out: HourlyOutput;
  try {
    out = await ctx.tasks.submit<HourlyOutput>(`hourly-${randomUUID()}`, {
      type: 'hourly',
      scenario: run.scenario,
      extraClusters: run.userClusters.filter((c) => c.id === clusterId),
      index: idx,
      year,
      expect,
    });
  } catch (e) {
    if (e instanceof QueueFullError) throw busy('hourly.csv: too many exports are being computed', 2);
    if (e instanceof JobError)
      throw conflict(`run ${id}: the hourly export cannot be re-simulated (${e.message})`);
    throw e;
  }
  if ('mismatch' in out) {
    throw conflict(`run ${id}: the hourly export does not reproduce the stored result (${out.mismatch})`);
  }
  return out.csv;
}

/**
 * `/runs`: start a run (saved or inline scenario), poll its status and progress, cancel it, fetch its
 * result and export it as CSV (annual rows; one cluster-year's hours, re-simulated on demand).
 */
export function runsRouter(ctx: AppContext): Router {
  const r = Router();

  r.post('/', async (req, res) => {
    const { wait = DEFAULT_WAIT_MS, view: v = 'full' } = parseInput(RunQuery, req.query);
    const { scenario, source } = runInput(ctx, req.body);
    const { created, run } = await ctx.service.start(scenario, source, wait);
    const inFlight = run.status === 'queued' || run.status === 'running';
    res.status(inFlight ? 202 : created ? 201 : 200).location(`/api/runs/${run.id}`);
    sendJson(res, ctx.service.body(run, !created, v));
  });

  r.get('/', (req, res) => {
    const q = parseInput(RunListQuery, req.query);
    res.json(ctx.runs.list({ scenarioId: q.scenario ?? null, limit: q.limit ?? 50, offset: q.offset ?? 0 }));
  });

  r.get('/:id', (req, res) => {
    const { id } = parseInput(RunIdParams, req.params);
    const { view: v = 'full' } = parseInput(RunViewQuery, req.query);
    const run = getRun(ctx, id);
    // A done run never changes: its ETag names the run and the form, so a revalidation costs no read.
    if (run.status === 'done' && notModified(req, res, `"${run.id}.${v}"`)) return;
    sendJson(res, ctx.service.body(run, false, v));
  });

  r.post('/:id/cancel', (req, res) => {
    const { id } = parseInput(RunIdParams, req.params);
    const run = getRun(ctx, id);
    if (!ctx.service.cancel(run.id)) {
      throw conflict(`run ${run.id} is ${run.status}; only queued or running runs can be cancelled`);
    }
    sendJson(res, ctx.service.body(getRun(ctx, id)));
  });

  // DELETE cancels a run in flight (200 with the run), and deletes a finished one with its result (204).
  r.delete('/:id', (req, res) => {
    const { id } = parseInput(RunIdParams, req.params);
    const run = getRun(ctx, id);
    if (ctx.service.cancel(run.id)) {
      sendJson(res, ctx.service.body(getRun(ctx, id)));
      return;
    }
    if (!ctx.service.delete(run.id)) throw conflict(`run ${run.id} is ${getRun(ctx, id).status}; try again`);
    res.status(204).end();
  });

  r.get('/:id/annual.csv', (req, res) => {
    const { id } = parseInput(RunIdParams, req.params);
    finishedRun(ctx, id);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`dcplan-run-${id}-annual.csv`)
      .send(formatCsv({ clusters: ctx.runs.annualTable(id) } as unknown as RunResult));
  });

  r.get('/:id/hourly.csv', async (req, res) => {
    const { id } = parseInput(RunIdParams, req.params);
    const run = finishedRun(ctx, id);
    const q = parseInput(HourlyQuery, req.query);
    const ids = ctx.runs.clusterIds(id);
    const idx = clusterIndex(ids, q);
    const { startYear, years } = run.scenario as { startYear: number; years: number };
    if (q.year < startYear || q.year >= startYear + years) {
      throw badRequest(`year: must be a simulated year, ${startYear}–${startYear + years - 1}`);
    }
    const csv = await hourlyExport(ctx, run, { index: idx, clusterId: ids[idx], year: q.year });
    res
      .type('text/csv; charset=utf-8')
      .attachment(`dcplan-run-${id}-${ids[idx]}-${q.year}-hourly.csv`)
      .send(csv);
  });
  return r;
}

import { randomUUID } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { ENGINE_VERSION } from '../../models/simulate.ts';
import type { RunRow } from '../db/repositories.ts';
import { JobError, QueueFullError } from '../jobs/pool.ts';
import type { HourlyOutput } from '../jobs/worker.ts';
import { badRequest, busy, conflict, HttpProblem, notFound, parseInput } from '../problem.ts';
import { type Piece, sendPieces } from '../send.ts';
import { type AppContext, finishedRun, getRun, PositiveInt, RunIdParams } from './context.ts';

/** Longest a `POST /runs` waits for the result before answering 202 (ms). */
export const MAX_WAIT_MS = 60_000;
/** How long `POST /runs` waits by default before answering 202 (ms). */
export const DEFAULT_WAIT_MS = 10_000;

const view = z.enum(['full', 'summary'], { error: 'must be full or summary' }).optional().meta({
  description:
    'summary: per cluster only its identity, annual rows and finance (≈ 1.9 kB per cluster-year; default full)',
});

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

const ENDED = new Set(['done', 'failed', 'cancelled']);

/**
 * Send a run as JSON — its view and, when it is done, its stored result in the form asked for,
 * streamed a part at a time (the run pinned meanwhile, so retention and DELETE leave it) — and, once
 * every byte has gone out, record that a client has seen how the run ended.
 */
async function sendRun(
  ctx: AppContext,
  req: Request,
  res: Response,
  run: RunRow,
  opts: { cached?: boolean; view?: 'full' | 'summary' } = {},
): Promise<void> {
  const head = ctx.service.viewJson(run, opts.cached);
  res.type('application/json');
  const result = run.status === 'done' ? ctx.service.source(run.id, opts.view ?? 'full') : undefined;
  const pieces: Piece[] = result
    ? [Buffer.from(`${head.slice(0, -1)},"result":`), result, Buffer.from('}')]
    : [Buffer.from(head)];
  // Only the first read writes (a write would wait on a WAL checkpoint; reads of a read run never do).
  if (ENDED.has(run.status) && run.readAt === null && req.method !== 'HEAD') {
    res.once('finish', () => ctx.service.markRead(run.id));
  }
  const release = ctx.service.pin(run.id);
  try {
    await sendPieces(req, res, pieces);
  } finally {
    release();
  }
}

/** What `POST /runs` runs: a saved scenario (latest or a given version, 404 if none) or an inline one. */
export function runInput(ctx: AppContext, body: unknown) {
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
 * One cluster-year's hours as CSV, re-simulated on the reads pool with what the run used: its scenario
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
  const expect = ctx.runs.hourlyCheck(id, idx)?.[year];
  if (!expect) throw conflict(`run ${id} has no stored row for ${clusterId} in ${year}`);
  let out: HourlyOutput;
  try {
    out = await ctx.reads.submit<HourlyOutput>(`hourly-${randomUUID()}`, {
      type: 'hourly',
      scenarioJson: run.scenarioJson,
      userClustersJson: run.userClustersJson,
      index: idx,
      clusterId,
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
    res.location(`/api/runs/${run.id}`);
    if (run.status === 'cancelled') {
      // Not a 201 (nor a 200): this request asked for a result, and the run was stopped before it had one.
      if (run.readAt === null) ctx.service.markRead(run.id);
      const why = `run ${run.id} was ${run.error ?? 'cancelled'}; start it again`;
      if (ctx.service.shuttingDown) throw busy(`runs: ${why} once the server is back`, 5);
      throw new HttpProblem(409, 'Conflict', why, undefined, undefined, { runId: run.id });
    }
    const inFlight = run.status === 'queued' || run.status === 'running';
    res.status(inFlight ? 202 : created ? 201 : 200);
    await sendRun(ctx, req, res, run, { cached: !created, view: v });
  });

  r.get('/', (req, res) => {
    const q = parseInput(RunListQuery, req.query);
    res.json(ctx.runs.list({ scenarioId: q.scenario ?? null, limit: q.limit ?? 50, offset: q.offset ?? 0 }));
  });

  r.get('/:id', async (req, res) => {
    const { id } = parseInput(RunIdParams, req.params);
    const { view: v = 'full' } = parseInput(RunViewQuery, req.query);
    const run = getRun(ctx, id);
    // A done run never changes: its ETag names the run and the form, so a revalidation costs no read.
    if (run.status === 'done' && notModified(req, res, `"${run.id}.${v}"`)) return;
    await sendRun(ctx, req, res, run, { view: v });
  });

  r.post('/:id/cancel', async (req, res) => {
    const { id } = parseInput(RunIdParams, req.params);
    const run = getRun(ctx, id);
    if (!ctx.service.cancel(run.id)) {
      throw conflict(`run ${run.id} is ${run.status}; only queued or running runs can be cancelled`);
    }
    await sendRun(ctx, req, res, getRun(ctx, id));
  });

  // DELETE cancels a run in flight (200 with the run), and deletes a finished one with its result (204).
  r.delete('/:id', async (req, res) => {
    const { id } = parseInput(RunIdParams, req.params);
    const run = getRun(ctx, id);
    if (ctx.service.cancel(run.id)) {
      await sendRun(ctx, req, res, getRun(ctx, id));
      return;
    }
    const out = ctx.service.delete(run.id);
    if (out === 'pinned') throw conflict(`run ${run.id} is being sent to a client; try again`);
    if (out === 'missing') throw conflict(`run ${run.id} is ${getRun(ctx, id).status}; try again`);
    res.status(204).end();
  });

  r.get('/:id/annual.csv', async (req, res) => {
    const { id } = parseInput(RunIdParams, req.params);
    const run = finishedRun(ctx, id);
    const csv = ctx.service.source(id, 'annual.csv');
    if (!csv) throw conflict(`run ${id} has no stored annual rows`);
    res.type('text/csv; charset=utf-8').attachment(`dcplan-run-${id}-annual.csv`);
    if (run.readAt === null) res.once('finish', () => ctx.service.markRead(id));
    const release = ctx.service.pin(id);
    try {
      await sendPieces(req, res, [csv]);
    } finally {
      release();
    }
  });

  r.get('/:id/hourly.csv', async (req, res) => {
    const { id } = parseInput(RunIdParams, req.params);
    const run = finishedRun(ctx, id);
    const q = parseInput(HourlyQuery, req.query);
    const ids = ctx.runs.clusterIds(id);
    const idx = clusterIndex(ids, q);
    const startYear = run.startYear ?? 0;
    const years = run.years ?? 0;
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

import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { DAYS_IN_MONTH, HOURS_PER_YEAR } from '../../models/calendar.ts';
import { parseScenario } from '../../models/scenario.ts';
import type { HourlySeries } from '../../models/simulate.ts';
import { formatCsv } from '../format.ts';
import { badRequest, conflict, notFound, parseInput } from '../problem.ts';
import { runScenario } from '../run.ts';
import { type AppContext, finishedResult, getRun, PositiveInt, RunIdParams } from './context.ts';

/** Longest a `POST /runs` waits for the result before answering 202 (ms). */
export const MAX_WAIT_MS = 60_000;
/** How long `POST /runs` waits by default before answering 202 (ms). */
export const DEFAULT_WAIT_MS = 10_000;

/** `POST /runs` query: how long to wait for the result before answering 202. */
export const RunQuery = z.object({
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

const COOLING_MODES = ['mechanical', 'partial', 'free'];
const HOURLY_HEADER =
  'hour,month,day,hourOfDay,itKw,facilityKw,pue,waterL,gridKw,greenKw,priceCnyPerKwh,coolingMode,tDryC,tWetC';

/** One cluster-year's hourly series as CSV: 8,760 rows under a header with units in the names. */
function hourlyCsv(h: HourlySeries): string {
  const lines = [HOURLY_HEADER];
  let hour = 0;
  for (let m = 0; m < 12; m++) {
    for (let d = 1; d <= DAYS_IN_MONTH[m]; d++) {
      for (let k = 0; k < 24; k++, hour++) {
        const it = h.itKw[hour];
        lines.push(
          [
            hour,
            m + 1,
            d,
            k,
            it.toFixed(3),
            h.facilityKw[hour].toFixed(3),
            it > 0 ? (h.facilityKw[hour] / it).toFixed(4) : '',
            h.waterL[hour].toFixed(2),
            h.gridKw[hour].toFixed(3),
            h.greenKw[hour].toFixed(3),
            h.priceCnyPerKwh[hour].toFixed(5),
            COOLING_MODES[h.coolingMode[hour]],
            h.tDryC[hour].toFixed(2),
            h.tWetC[hour].toFixed(2),
          ].join(','),
        );
      }
    }
  }
  if (hour !== HOURS_PER_YEAR) throw new Error('hourly export: calendar mismatch');
  return `${lines.join('\n')}\n`;
}

/**
 * `/runs`: start a run (saved or inline scenario), poll its status and progress, cancel it, fetch its
 * result and export it as CSV (annual rows; one cluster-year's hours, re-simulated on demand).
 */
export function runsRouter(ctx: AppContext): Router {
  const r = Router();

  r.post('/', async (req, res) => {
    const { wait = DEFAULT_WAIT_MS } = parseInput(RunQuery, req.query);
    const body: unknown = req.body;
    const bySaved = body !== null && typeof body === 'object' && 'scenarioId' in body;
    let scenario: unknown;
    let source: { scenarioId: number | null; scenarioVersion: number | null };
    if (bySaved) {
      const { scenarioId, version } = parseInput(RunBySaved, body);
      const s = ctx.scenarios.get(scenarioId, version);
      if (!s) throw notFound(`scenario ${scenarioId}${version ? ` version ${version}` : ''} does not exist`);
      scenario = s.scenario;
      source = { scenarioId: s.id, scenarioVersion: s.version };
    } else {
      scenario = parseInput(RunInline, body).scenario;
      source = { scenarioId: null, scenarioVersion: null };
    }
    const { created, run } = await ctx.service.start(scenario, source, wait);
    const inFlight = run.status === 'queued' || run.status === 'running';
    res
      .status(inFlight ? 202 : created ? 201 : 200)
      .location(`/api/runs/${run.id}`)
      .type('application/json')
      .send(ctx.service.body(run, !created));
  });

  r.get('/', (req, res) => {
    const q = parseInput(RunListQuery, req.query);
    res.json(ctx.runs.list({ scenarioId: q.scenario ?? null, limit: q.limit ?? 50, offset: q.offset ?? 0 }));
  });

  r.get('/:id', (req, res) => {
    const { id } = parseInput(RunIdParams, req.params);
    res.type('application/json').send(ctx.service.body(getRun(ctx, id)));
  });

  const cancel = (req: Request, res: Response) => {
    const { id } = parseInput(RunIdParams, req.params);
    const run = getRun(ctx, id);
    if (!ctx.service.cancel(run.id)) {
      throw conflict(`run ${run.id} is ${run.status}; only queued or running runs can be cancelled`);
    }
    res.type('application/json').send(ctx.service.body(getRun(ctx, id)));
  };
  r.delete('/:id', cancel);
  r.post('/:id/cancel', cancel);

  r.get('/:id/annual.csv', (req, res) => {
    const { id } = parseInput(RunIdParams, req.params);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`dcplan-run-${id}-annual.csv`)
      .send(formatCsv(finishedResult(ctx, id)));
  });

  r.get('/:id/hourly.csv', (req, res) => {
    const { id } = parseInput(RunIdParams, req.params);
    const result = finishedResult(ctx, id);
    const q = parseInput(HourlyQuery, req.query);
    // A scenario may hold the same cluster twice (e.g. with and without a battery): ?index= picks one.
    let idx: number;
    if (q.index !== undefined) {
      if (q.index >= result.clusters.length)
        throw badRequest(`index: must be 0–${result.clusters.length - 1}`);
      idx = q.index;
    } else {
      const matches = result.clusters.flatMap((c, i) => (c.clusterId === q.cluster ? [i] : []));
      if (matches.length === 0) {
        throw badRequest(`cluster: must be one of ${result.clusters.map((c) => c.clusterId).join(', ')}`);
      }
      if (matches.length > 1) {
        throw badRequest(
          `cluster: ${q.cluster} appears ${matches.length} times in this run; give index (${matches.join(' or ')})`,
        );
      }
      idx = matches[0];
    }
    const clusterId = result.clusters[idx].clusterId;
    const { startYear, years } = result.scenario;
    if (q.year < startYear || q.year >= startYear + years) {
      throw badRequest(`year: must be a simulated year, ${startYear}–${startYear + years - 1}`);
    }
    // Re-simulate this one cluster from the first year up to the requested one (a battery's state of
    // charge and fade carry across years), keeping only that year's hours: exact and cheap. User
    // clusters are taken as they were when the run was made.
    const run = getRun(ctx, id);
    const s = parseScenario(run.scenario);
    const one = runScenario(
      { ...s, years: q.year - startYear + 1, clusters: [s.clusters[idx]] },
      ctx.reference(run.userClusters.filter((c) => c.id === clusterId)),
      { keepHourly: (_id, y) => y === q.year },
    );
    res
      .type('text/csv; charset=utf-8')
      .attachment(`dcplan-run-${id}-${clusterId}-${q.year}-hourly.csv`)
      .send(hourlyCsv(one.hourly[0]));
  });
  return r;
}

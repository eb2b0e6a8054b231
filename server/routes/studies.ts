import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { MAX_SAMPLES } from '../../models/uncertainty/plan.ts';
import type { StudyKind, StudyRow } from '../db/study-repository.ts';
import { STUDY_PATH } from '../jobs/studies.ts';
import { badRequest, conflict, notFound, parseInput } from '../problem.ts';
import type { AppContext } from './context.ts';
import { runInput } from './runs.ts';

/**
 * `/montecarlo` and `/sizing` (issue 22, point 7): studies as jobs, like runs — POST answers 202 with
 * the study and its Location (200 with the stored report for identical inputs already done), GET
 * polls its status and progress and, once done, carries the report (the JSON of `dcplan montecarlo`
 * / `dcplan size`), POST …/cancel and DELETE cancel one in flight, DELETE removes one that has ended.
 */

const whole = (min: number, max: number) =>
  z
    .number({ error: `must be a whole number ${min}–${max}` })
    .int({ error: `must be a whole number ${min}–${max}` })
    .min(min, { error: `must be a whole number ${min}–${max}` })
    .max(max, { error: `must be a whole number ${min}–${max}` });
const share = z
  .number({ error: 'must be a number 0–1' })
  .min(0, { error: 'must be a number 0–1' })
  .max(1, { error: 'must be a number 0–1' });
const atLeast0 = z.number({ error: 'must be a number ≥ 0' }).min(0, { error: 'must be a number ≥ 0' });

/** Options of a Monte Carlo study (as `dcplan montecarlo`'s); defaults filled in. */
export const MonteCarloOptions = z
  .strictObject({
    samples: whole(2, MAX_SAMPLES).default(1000).meta({ description: 'samples (default 1,000)' }),
    seed: whole(0, 4294967295).default(1).meta({ description: 'seed of the sampling plan (default 1)' }),
    method: z
      .enum(['lhs', 'random'], { error: 'must be lhs or random' })
      .default('lhs')
      .meta({ description: 'Latin hypercube (default) or plain random sampling' }),
    grades: z
      .boolean({ error: 'must be true or false' })
      .default(false)
      .meta({ description: 'band every default the run used by its grade (A ±2 % … NOT FOUND ±100 %)' }),
    correlations: z
      .array(
        z.strictObject({
          a: z.string({ error: 'must be an input key' }).max(200),
          b: z.string({ error: 'must be an input key' }).max(200),
          rho: z
            .number({ error: 'must be a number' })
            .gt(-1, { error: 'must be > −1' })
            .lt(1, { error: 'must be < 1' }),
        }),
        { error: 'must be a list of { a, b, rho }' },
      )
      .max(100, { error: 'must have at most 100 entries' })
      .default([])
      .meta({ description: 'rank correlations between inputs by their keys (Iman–Conover)' }),
    output: z
      .string({ error: 'must be a metric name' })
      .max(64, { error: 'must be a metric name' })
      .default('costPerRackYearCny')
      .meta({ description: 'the output the inputs are ranked on and the tornado is drawn for' }),
    cluster: whole(0, 9999).default(0).meta({ description: "that output's cluster (position)" }),
    tornado: z
      .boolean({ error: 'must be true or false' })
      .default(false)
      .meta({ description: 'also a tornado' }),
  })
  .default({
    samples: 1000,
    seed: 1,
    method: 'lhs',
    grades: false,
    correlations: [],
    output: 'costPerRackYearCny',
    cluster: 0,
    tornado: false,
  });

/** Options of a sizing study (as `dcplan size`'s); defaults filled in. */
export const SizingOptions = z.strictObject({
  cluster: z
    .union([whole(0, 9999), z.string().max(64)], { error: 'must be a cluster id or position' })
    .meta({ description: 'the cluster to size: its id or its position in the scenario' }),
  greenShare: share.meta({
    description: 'the target: an annual green share, or with hourlyLevel the share of hours',
  }),
  hourlyLevel: share
    .optional()
    .meta({ description: 'count hours whose green supply reaches this share of the load (24×7; a MILP)' }),
  year: whole(1900, 2200)
    .optional()
    .meta({ description: 'the year sized (default the last simulated year)' }),
  bounds: z
    .strictObject({
      maxPvKw: atLeast0.optional(),
      maxWindKw: atLeast0.optional(),
      maxBatteryKwh: atLeast0.optional(),
      maxBatteryKw: atLeast0.optional(),
      maxContractedShare: share.optional(),
    })
    .default({})
    .meta({ description: 'upper bounds of the mix (defaults: multiples of the peak facility load)' }),
  curve: z
    .boolean({ error: 'must be true or false' })
    .default(true)
    .meta({ description: 'also the cheapest mix without a target and the trade-off curve (default true)' }),
  timeLimitS: z
    .number({ error: 'must be 1–3600 s' })
    .min(1, { error: 'must be 1–3600 s' })
    .max(3600, { error: 'must be 1–3600 s' })
    .default(300)
    .meta({ description: 'seconds per solve before HiGHS stops with its best mix (default 300)' }),
});

/** `:id` of a study. */
const StudyIdParams = z.object({ id: z.string().max(64, { error: 'must be a study id' }) });

/** Split a body into what to run (a saved or inline scenario, as `POST /runs` takes) and its options. */
function studyBody(ctx: AppContext, body: unknown) {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('body: must be an object { scenario | scenarioId, version?, options }');
  const { options, ...rest } = body as Record<string, unknown>;
  return { options, ...runInput(ctx, rest) };
}

/** The sizing options with the cluster as a position (an id is looked up in the scenario). */
function sizingOptions(scenario: unknown, raw: unknown) {
  const o = parseInput(SizingOptions, raw, 'options');
  const ids = ((scenario as { clusters?: Array<{ cluster?: unknown }> } | null)?.clusters ?? []).map(
    (c) => c?.cluster,
  );
  const cluster = typeof o.cluster === 'number' ? o.cluster : ids.indexOf(o.cluster);
  if (!(cluster >= 0 && cluster < ids.length))
    throw badRequest(
      `options.cluster: the scenario has no cluster "${o.cluster}" (it has: ${ids.join(', ')})`,
    );
  return { ...o, cluster };
}

/** The router of one kind of study. */
export function studiesRouter(ctx: AppContext, kind: StudyKind): Router {
  const r = Router();
  const get = (id: string): StudyRow => {
    const s = ctx.studies.get(id);
    if (!s || s.kind !== kind) throw notFound(`${kind} study ${id} does not exist`);
    return s;
  };
  const send = (res: Response, s: StudyRow, cached = false) =>
    res.type('application/json').send(ctx.study.body(s, cached));

  r.post('/', async (req: Request, res: Response) => {
    const { options, scenario, source } = studyBody(ctx, req.body);
    const parsed =
      kind === 'montecarlo'
        ? parseInput(MonteCarloOptions, options, 'options')
        : sizingOptions(scenario, options);
    const { created, study } = await ctx.study.start({ kind, scenario, source, options: parsed });
    res.location(`${STUDY_PATH[kind]}/${study.id}`);
    res.status(!created && study.status === 'done' ? 200 : 202);
    send(res, study, !created);
  });

  r.get('/:id', (req, res) => {
    const { id } = parseInput(StudyIdParams, req.params);
    send(res, get(id));
  });

  r.post('/:id/cancel', (req, res) => {
    const { id } = parseInput(StudyIdParams, req.params);
    const s = get(id);
    if (!ctx.study.cancel(s.id))
      throw conflict(`${kind} study ${s.id} is ${s.status}; only queued or running studies can be cancelled`);
    send(res, get(id));
  });

  // DELETE cancels a study in flight (200 with it), and deletes one that has ended (204).
  r.delete('/:id', (req, res) => {
    const { id } = parseInput(StudyIdParams, req.params);
    const s = get(id);
    if (ctx.study.cancel(s.id)) {
      send(res, get(id));
      return;
    }
    if (!ctx.study.delete(s.id)) throw conflict(`${kind} study ${s.id} is ${get(id).status}; try again`);
    res.status(204).end();
  });
  return r;
}

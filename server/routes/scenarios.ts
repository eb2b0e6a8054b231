import { Router } from 'express';
import { z } from 'zod';
import { conflict, HttpProblem, notFound, parseInput } from '../problem.ts';
import { type AppContext, PositiveInt, roomToSave, ScenarioIdParams } from './context.ts';

/** Runs listed with a scenario (newest first); the rest are a page of `GET /api/runs?scenario=id`. */
const RUNS_SHOWN = 20;

/** `GET /scenarios/:id` query: an earlier version. */
export const VersionQuery = z.object({
  version: PositiveInt.optional().meta({ description: 'an earlier version (default: the latest)' }),
});

/** `PUT` body: `{ scenario, baseVersion? }`, or a bare scenario (then `If-Match: "n"` may give the base). */
export const VersionedSave = z.strictObject({
  scenario: z.unknown(),
  baseVersion: z
    .number({ error: 'must be a positive whole number' })
    .int({ error: 'must be a positive whole number' })
    .min(1, { error: 'must be a positive whole number' })
    .optional()
    .meta({
      description:
        'the version this save builds on (or give If-Match: "n"); required (428 without); stale → 409',
    }),
});
const IfMatch = z.object({
  'if-match': z
    .string()
    .regex(/^"?[1-9]\d{0,14}"?$/, { error: 'must be a version number, e.g. "3"' })
    .transform((s) => Number(s.replace(/"/g, '')))
    .optional(),
});

/**
 * `/scenarios`: saved scenarios with version history. Each save is a new version (earlier ones stay
 * readable with `?version=n`); a save on top of a stale version is a 409. A scenario is validated in
 * full (schema, references, every year's values) before it is stored, and stored only within the
 * bounds on saved documents (507 beyond them). A delete removes the scenario with every version.
 */
export function scenariosRouter(ctx: AppContext): Router {
  const r = Router();

  /** The scenario's name after full validation (heavy part in a worker), or a 400 naming every bad field. */
  const validName = async (doc: unknown): Promise<string> => (await ctx.service.validate(doc)).name;

  /** The bytes a scenario document takes as stored. */
  const bytes = (doc: unknown) => Buffer.byteLength(JSON.stringify(doc) ?? '');

  r.post('/', async (req, res) => {
    roomToSave(ctx, { scenarios: 1, bytes: bytes(req.body) });
    const name = await validName(req.body);
    roomToSave(ctx, { scenarios: 1, bytes: bytes(req.body) }); // others may have saved meanwhile
    const s = ctx.scenarios.create(name, req.body);
    res
      .status(201)
      .location(`/api/scenarios/${s.id}`)
      .json({ ...s, version: 1, scenario: req.body });
  });
  r.get('/', (_req, res) => {
    res.json(ctx.scenarios.list());
  });
  r.get('/:id', (req, res) => {
    const { id } = parseInput(ScenarioIdParams, req.params);
    const { version } = parseInput(VersionQuery, req.query);
    const s = ctx.scenarios.get(id, version);
    if (!s)
      throw notFound(version ? `scenario ${id} has no version ${version}` : `scenario ${id} does not exist`);
    res.setHeader('ETag', `"${s.version}"`);
    const versions = ctx.scenarios.versions(id).map((v) => ({ version: v.version, createdAt: v.created_at }));
    // Its runs, newest first (the first page; `GET /api/runs?scenario=id` pages through all of them).
    const runs = ctx.runs.list({ scenarioId: id, limit: RUNS_SHOWN, offset: 0 });
    res.json({
      ...s,
      versions,
      runs: { total: runs.total, runs: runs.runs, more: `/api/runs?scenario=${id}` },
    });
  });
  r.put('/:id', async (req, res) => {
    const { id } = parseInput(ScenarioIdParams, req.params);
    const head = ctx.scenarios.get(id);
    if (!head) throw notFound(`scenario ${id} does not exist`);
    const body: unknown = req.body;
    const wrapped = body !== null && typeof body === 'object' && 'scenario' in body;
    const save = wrapped ? parseInput(VersionedSave, body) : { scenario: body, baseVersion: undefined };
    const base = save.baseVersion ?? parseInput(IfMatch, req.headers)['if-match'];
    if (base === undefined) {
      // Without a base a save could silently overwrite someone else's version.
      throw new HttpProblem(
        428,
        'Precondition required',
        `baseVersion: is required (or If-Match: "n"); the latest version is ${head.latestVersion}`,
        [{ path: 'baseVersion', message: 'is required (or If-Match: "n")' }],
      );
    }
    roomToSave(ctx, { bytes: bytes(save.scenario) });
    const name = await validName(save.scenario);
    roomToSave(ctx, { bytes: bytes(save.scenario) });
    const s = ctx.scenarios.addVersion(id, base, name, save.scenario);
    if (!s) {
      throw conflict(
        `scenario ${id} is at version ${head.latestVersion}, not ${base}: reload and apply your change again`,
      );
    }
    res.setHeader('ETag', `"${s.latestVersion}"`);
    res.json({ ...s, version: s.latestVersion, scenario: save.scenario });
  });
  // A delete removes every version and gives their pages back to the file system (a step at a time).
  r.delete('/:id', (req, res) => {
    const { id } = parseInput(ScenarioIdParams, req.params);
    if (!ctx.scenarios.delete(id)) throw notFound(`scenario ${id} does not exist`);
    ctx.vacuum.request();
    res.status(204).end();
  });
  return r;
}

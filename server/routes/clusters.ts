import { Router } from 'express';
import { z } from 'zod';
import { SEEDS } from '../../seeds/index.ts';
import { type ClusterSeed, ClusterSeedSchema } from '../../seeds/schema.ts';
import type { ClusterRow } from '../db/repositories.ts';
import { badRequest, conflict, HttpProblem, notFound, parseInput } from '../problem.ts';
import type { AppContext } from './context.ts';

const ClusterIdParams = z.object({ id: z.string().max(64, { error: 'must be a cluster id' }) });

const view = (c: ClusterRow) => ({ ...c.cluster, seeded: c.seeded, updatedAt: c.updatedAt });

/** A user cluster: the seed shape, and a climate and tariff calendar the reference data knows. */
function parseCluster(body: unknown): ClusterSeed {
  const c = parseInput(ClusterSeedSchema, body, 'cluster');
  if (!SEEDS.climates[c.climate]) {
    throw badRequest(
      `cluster.climate: unknown climate "${c.climate}" (known: ${Object.keys(SEEDS.climates).join(', ')})`,
    );
  }
  if (!SEEDS.tariffs.some((t) => t.id === c.tariffCalendar)) {
    throw badRequest(
      `cluster.tariffCalendar: unknown calendar "${c.tariffCalendar}" (known: ${SEEDS.tariffs.map((t) => t.id).join(', ')})`,
    );
  }
  return c;
}

/**
 * `/clusters`: seeded and user-added clusters with their sources. `POST` adds a user cluster, `PUT`
 * edits one; seeded clusters are read-only (403).
 */
export function clustersRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/', (_req, res) => {
    res.json(ctx.clusters.list().map(view));
  });
  r.get('/:id', (req, res) => {
    const { id } = parseInput(ClusterIdParams, req.params);
    const c = ctx.clusters.get(id);
    if (!c) throw notFound(`cluster ${id} does not exist`);
    res.json(view(c));
  });
  r.post('/', (req, res) => {
    const c = parseCluster(req.body);
    if (ctx.clusters.get(c.id)) throw conflict(`cluster ${c.id} already exists`);
    ctx.clusters.insert(c);
    res
      .status(201)
      .location(`/api/clusters/${c.id}`)
      .json({ ...c, seeded: false });
  });
  r.put('/:id', (req, res) => {
    const { id } = parseInput(ClusterIdParams, req.params);
    const existing = ctx.clusters.get(id);
    if (!existing) throw notFound(`cluster ${id} does not exist`);
    if (existing.seeded) {
      throw new HttpProblem(
        403,
        'Read-only',
        `cluster ${id} is seeded and read-only; add a new cluster instead`,
      );
    }
    const c = parseCluster(req.body);
    if (c.id !== id) throw badRequest(`cluster.id: must equal the URL id "${id}"`);
    ctx.clusters.update(c);
    res.json({ ...c, seeded: false });
  });
  return r;
}

/** `GET /tariffs` and `GET /targets`: the seeded TOU calendars and policy targets with sources. */
export function referenceRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/tariffs', (_req, res) => {
    res.json(ctx.tariffs.list());
  });
  r.get('/targets', (_req, res) => {
    res.json(ctx.targets.list());
  });
  return r;
}

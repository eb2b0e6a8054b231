import { Router } from 'express';
import { z } from 'zod';
import { SEEDS } from '../../seeds/index.ts';
import { type ClusterSeed, ClusterSeedSchema } from '../../seeds/schema.ts';
import type { ClusterRow } from '../db/repositories.ts';
import { clusterSizeProblem } from '../limits.ts';
import { badRequest, conflict, HttpProblem, notFound, parseInput } from '../problem.ts';
import { type AppContext, roomToSave } from './context.ts';

const ClusterIdParams = z.object({ id: z.string().max(64, { error: 'must be a cluster id' }) });

/** A cluster as the API shows it: the document, whether it is seeded, and when it was last changed. */
const view = (c: ClusterRow) => ({ ...c.cluster, seeded: c.seeded, updatedAt: c.updatedAt });

/**
 * A user cluster: the seed shape, except that its id may carry the `user:` namespace (the prefix a user
 * cluster gets when a newer seed bundle adds its id). What `GET` adds (`seeded`, `updatedAt`) may be
 * sent back and is ignored, so a fetched cluster can be edited and `PUT` as it is.
 */
export const UserClusterSchema = ClusterSeedSchema.extend({
  id: z.string().regex(/^(user:)?[a-z][a-z0-9-]{1,39}$/, {
    error:
      'must be 2–40 lowercase letters, digits or hyphens, starting with a letter (optionally after "user:")',
  }),
  seeded: z.boolean().optional().meta({ description: 'read-only; ignored on input' }),
  updatedAt: z.string().optional().meta({ description: 'read-only; ignored on input' }),
}).meta({ label: 'User cluster' });

/**
 * A user cluster: within the size bounds (`clusterSizeProblem`), the seed shape, and a climate and
 * tariff calendar the reference data knows (null: the province's calendar in force in each month,
 * which the province must have).
 */
function parseCluster(body: unknown): ClusterSeed {
  const big = clusterSizeProblem(body);
  if (big) throw badRequest(`${big.path}: ${big.message}`);
  const { seeded: _s, updatedAt: _u, ...c } = parseInput(UserClusterSchema, body, 'cluster');
  if (!Object.hasOwn(SEEDS.climates, c.climate)) {
    throw badRequest(
      `cluster.climate: unknown climate "${c.climate}" (known: ${Object.keys(SEEDS.climates).join(', ')})`,
    );
  }
  if (c.tariffCalendar === null) {
    // null: the province's calendar in force each month — so the province must have one
    const provinces = [...new Set(SEEDS.tariffs.map((t) => t.province))].sort();
    if (!provinces.includes(c.province)) {
      throw badRequest(
        `cluster.tariffCalendar: no TOU calendar is seeded for province "${c.province}"; name one (known: ${SEEDS.tariffs.map((t) => t.id).join(', ')}) or use a province with calendars (${provinces.join(', ')})`,
      );
    }
  } else if (!SEEDS.tariffs.some((t) => t.id === c.tariffCalendar)) {
    throw badRequest(
      `cluster.tariffCalendar: unknown calendar "${c.tariffCalendar}" (known: ${SEEDS.tariffs.map((t) => t.id).join(', ')}, or null for the province's calendar in force)`,
    );
  }
  return c;
}

const readOnly = (id: string, verb: string) =>
  new HttpProblem(403, 'Read-only', `cluster ${id} is seeded and read-only; ${verb}`);

/**
 * `/clusters`: seeded and user-added clusters with their sources. `POST` adds a user cluster, `PUT`
 * edits one, `DELETE` removes one (409 while a saved scenario uses it); seeded clusters are read-only (403).
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
    roomToSave(ctx, { clusters: 1, bytes: Buffer.byteLength(JSON.stringify(c)) });
    ctx.clusters.insert(c);
    res
      .status(201)
      .location(`/api/clusters/${encodeURIComponent(c.id)}`)
      .json(view(ctx.clusters.get(c.id)!));
  });
  r.put('/:id', (req, res) => {
    const { id } = parseInput(ClusterIdParams, req.params);
    const existing = ctx.clusters.get(id);
    if (!existing) throw notFound(`cluster ${id} does not exist`);
    if (existing.seeded) throw readOnly(id, 'add a new cluster instead');
    const c = parseCluster(req.body);
    if (c.id !== id) throw badRequest(`cluster.id: must equal the URL id "${id}"`);
    roomToSave(ctx, {
      bytes: Buffer.byteLength(JSON.stringify(c)) - Buffer.byteLength(JSON.stringify(existing.cluster)),
    });
    ctx.clusters.update(c);
    res.json(view(ctx.clusters.get(id)!));
  });
  r.delete('/:id', (req, res) => {
    const { id } = parseInput(ClusterIdParams, req.params);
    const existing = ctx.clusters.get(id);
    if (!existing) throw notFound(`cluster ${id} does not exist`);
    if (existing.seeded) throw readOnly(id, 'it cannot be deleted');
    // Runs keep their own copy of the user clusters they used; saved scenarios do not, so a cluster
    // that a saved scenario's latest version names stays until that scenario changes or is deleted.
    const users = ctx.clusters.usedBy(id);
    if (users.length) {
      throw conflict(
        `cluster ${id} is used by saved scenario${users.length > 1 ? 's' : ''} ${users.join(', ')}; change or delete ${users.length > 1 ? 'them' : 'it'} first`,
      );
    }
    ctx.clusters.delete(id);
    ctx.vacuum.request();
    res.status(204).end();
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

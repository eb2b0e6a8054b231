import { Router } from 'express';
import { ENGINE_VERSION } from '../../models/simulate.ts';
import { schemaVersion } from '../db/database.ts';
import { openApiDocument } from '../openapi.ts';
import type { AppContext } from './context.ts';

/**
 * `GET /health` (database, engine and schema version, the run, validation and read pools, event-loop
 * delay of the last 5 s) and `GET /openapi.json`.
 */
export function metaRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/health', (_req, res) => {
    res.json({
      status: ctx.meta.ping() ? 'ok' : 'degraded',
      engineVersion: ENGINE_VERSION,
      schemaVersion: schemaVersion(ctx.db),
      uptimeS: Math.round((Date.now() - ctx.startedMs) / 1000),
      workers: ctx.pool.stats(),
      validations: ctx.validations.stats(),
      reads: ctx.reads.stats(),
      eventLoopDelayMs: ctx.eventLoopDelay(),
    });
  });
  r.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument({ bodyLimitBytes: ctx.bodyLimitBytes }));
  });
  return r;
}

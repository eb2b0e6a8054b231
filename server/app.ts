import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { startCheckpointer } from './db/checkpointer.ts';
import type { Db } from './db/database.ts';
import { clustersRepo, docsRepo, metaRepo, runsRepo, scenariosRepo } from './db/repositories.ts';
import { WorkerPool } from './jobs/pool.ts';
import { createRunService, type RunLimits } from './jobs/runs.ts';
import { openApiDocument } from './openapi.ts';
import { errorHandler, HttpProblem, notFound } from './problem.ts';
import { clustersRouter, referenceRouter } from './routes/clusters.ts';
import { compareRouter } from './routes/compare.ts';
import type { AppContext } from './routes/context.ts';
import { metaRouter } from './routes/meta.ts';
import { runsRouter } from './routes/runs.ts';
import { scenariosRouter } from './routes/scenarios.ts';

/** Largest JSON request body accepted (bytes); larger bodies get a 413 problem. */
export const DEFAULT_BODY_LIMIT_BYTES = 1 << 20;

/** What `createApp` needs: an open (migrated, seeded) database and options. */
export interface AppDeps {
  db: Db;
  /** Bearer token required on write requests; none = open (loopback use). */
  token?: string;
  /** Worker threads for runs (default 2). */
  workers?: number;
  /** Worker threads for full validation and hourly exports (default 1). */
  taskWorkers?: number;
  /** Bounds: run queue, finished runs and bytes kept (defaults in `DEFAULT_LIMITS`). */
  limits?: Partial<RunLimits>;
  /** JSON body limit in bytes (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Built web app to serve (default dist/web, when present). */
  webDir?: string;
  log?: (msg: string) => void;
  /**
   * Host names the server answers to (the `Host` header, without the port), beside the loopback names
   * `localhost`, `127.0.0.1` and `::1`. Any other host name gets a 421: a web page that rebinds its own
   * name to 127.0.0.1 (DNS rebinding) cannot reach the API.
   */
  allowedHosts?: string[];
  /** Test hook: called inside the result transaction after the first cluster is written. */
  faults?: { afterFirstCluster?: () => void };
}

/** Short jobs (validations, hourly exports) waiting beyond which requests needing one get a 503. */
const TASK_QUEUE = 200;

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Host names always allowed: loopback. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'];

/** The host name of a `Host` header or an origin's authority, lower-case, without port or brackets. */
export function hostName(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith('[')) return a.slice(1, a.indexOf(']') < 0 ? undefined : a.indexOf(']'));
  const colon = a.lastIndexOf(':');
  return colon < 0 ? a : a.slice(0, colon);
}

/** A path template of the OpenAPI document (`/api/runs/{id}`) as a regular expression. */
const templateRegex = (t: string) =>
  new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/]+?\}/g, '[^/]+')}$`);

/**
 * Build the Express app (never listens). Owns a worker pool for runs; `close()` stops it.
 */
export function createApp(deps: AppDeps) {
  const log = deps.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const bodyLimitBytes = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const db = deps.db;
  const meta = metaRepo(db);
  const clusters = clustersRepo(db);
  const runs = runsRepo(db, deps.faults);
  const checkpointer = startCheckpointer(db, 1000, log);
  const pool = new WorkerPool(deps.workers ?? 2);
  // Short jobs (validation, hourly exports) have their own threads, so they never wait behind long runs.
  const tasks = new WorkerPool(deps.taskWorkers ?? 1, undefined, { maxQueue: TASK_QUEUE });
  const service = createRunService({
    runs,
    clusters,
    pool,
    tasks,
    seedHash: meta.seedHash(),
    limits: deps.limits,
    log,
  });
  // Event-loop delay over 5-s windows: /api/health reports the last complete one.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let lastWindow = { p50Ms: 0, p99Ms: 0, maxMs: 0 };
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  const windowTimer = setInterval(() => {
    lastWindow = { p50Ms: ms(loop.percentile(50)), p99Ms: ms(loop.percentile(99)), maxMs: ms(loop.max) };
    loop.reset();
  }, 5000);
  windowTimer.unref();
  const ctx: AppContext = {
    db,
    meta,
    clusters,
    scenarios: scenariosRepo(db),
    runs,
    tariffs: docsRepo(db, 'tariffs'),
    targets: docsRepo(db, 'targets'),
    service,
    pool,
    tasks,
    seedHash: meta.seedHash(),
    bodyLimitBytes,
    startedMs: Date.now(),
    eventLoopDelay: () => lastWindow,
  };

  const app = express();
  app.disable('x-powered-by');
  // No body-hash ETags (they cost main-thread CPU on large results); routes set their own.
  app.set('etag', false);
  app.set('trust proxy', false);

  // DNS rebinding: answer only to the configured host names (loopback by default).
  const hosts = new Set([...LOOPBACK_HOSTS, ...(deps.allowedHosts ?? []).map(hostName)]);
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const host = hostName(req.headers.host ?? '');
    if (!hosts.has(host)) {
      throw new HttpProblem(
        421,
        'Misdirected request',
        `host: "${host.slice(0, 100)}" is not a host name of this server (add it to DCPLAN_ALLOWED_HOSTS)`,
        [{ path: 'host', message: 'is not a host name of this server' }],
      );
    }
    next();
  });

  // Security headers (OWASP secure headers; a handful, so no dependency).
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'",
    );
    next();
  });

  const api = Router();
  const JSON_TYPES = ['application/json', 'application/*+json'];
  api.use((req: Request, _res: Response, next: NextFunction) => {
    if (WRITE.has(req.method)) {
      // Cross-site writes (a form or a body-less fetch from another site, e.g. POST …/cancel): browsers
      // say where a request comes from; anything but this server itself is refused.
      const site = req.get('sec-fetch-site');
      const origin = req.get('origin');
      let originHost: string | null = null;
      if (origin !== undefined) {
        try {
          originHost = origin === 'null' ? '' : hostName(new URL(origin).host);
        } catch {
          originHost = '';
        }
      }
      if (
        (site !== undefined && site !== 'same-origin' && site !== 'none') ||
        (originHost !== null && !hosts.has(originHost))
      ) {
        throw new HttpProblem(403, 'Forbidden', 'origin: cross-site write requests are refused', [
          { path: 'origin', message: 'cross-site write requests are refused' },
        ]);
      }
    }
    const len = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
    const typed = req.headers['content-type'] !== undefined;
    if ((hasBody || (typed && WRITE.has(req.method))) && !req.is(JSON_TYPES)) {
      throw new HttpProblem(415, 'Unsupported media type', 'content-type: must be application/json', [
        { path: 'content-type', message: 'must be application/json' },
      ]);
    }
    next();
  });
  api.use(express.json({ limit: bodyLimitBytes, type: JSON_TYPES }));

  // Token on write requests when one is configured.
  if (deps.token) {
    const want = Buffer.from(`Bearer ${deps.token}`);
    api.use((req: Request, _res: Response, next: NextFunction) => {
      if (!WRITE.has(req.method)) return next();
      const got = Buffer.from(req.get('authorization') ?? '');
      if (got.length !== want.length || !timingSafeEqual(got, want)) {
        throw new HttpProblem(
          401,
          'Unauthorized',
          'authorization: write requests need "Authorization: Bearer <token>"',
        );
      }
      next();
    });
  }

  api.use(metaRouter(ctx));
  api.use('/clusters', clustersRouter(ctx));
  api.use(referenceRouter(ctx));
  api.use('/scenarios', scenariosRouter(ctx));
  api.use('/runs', runsRouter(ctx));
  api.use('/compare', compareRouter(ctx));

  // A known path with a method it does not have: 405 with Allow (the OpenAPI document lists them).
  const routes = Object.entries(openApiDocument({ bodyLimitBytes }).paths).map(([t, ops]) => ({
    re: templateRegex(t),
    allow: Object.keys(ops)
      .filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k))
      .map((k) => k.toUpperCase()),
  }));
  api.use((req, res) => {
    const path = `${req.baseUrl}${req.path}`;
    const known = routes.find((r) => r.re.test(path));
    if (known) {
      const allow = known.allow.includes('GET') ? [...known.allow, 'HEAD'] : known.allow;
      res.setHeader('Allow', allow.join(', '));
      throw new HttpProblem(405, 'Method not allowed', `method: ${path} allows ${allow.join(', ')}`, [
        { path: 'method', message: `must be one of ${allow.join(', ')}` },
      ]);
    }
    throw notFound(`no route ${req.method} ${path}`);
  });
  app.use('/api', api);

  // Built web app (vite build → dist/web), with SPA fallback.
  const webDir = deps.webDir ?? fileURLToPath(new URL('../dist/web/', import.meta.url));
  if (existsSync(webDir)) {
    app.use(express.static(webDir, { index: 'index.html', maxAge: '1h' }));
    app.get(/^\/(?!api\/).*/, (_req, res) => {
      res.sendFile('index.html', { root: webDir });
    });
  }
  app.use((req, _res) => {
    throw notFound(`no route ${req.method} ${req.path}`);
  });
  app.use(errorHandler(log));

  return {
    app,
    runs: service,
    /** Stop the worker pools (runs still in flight are cancelled). */
    async close() {
      clearInterval(windowTimer);
      loop.disable();
      await Promise.all([pool.close(), tasks.close(), checkpointer.close()]);
    },
  };
}

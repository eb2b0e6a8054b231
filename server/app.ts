import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import type { Db } from './db/database.ts';
import type { RunLimits } from './jobs/runs.ts';
import type { SavedLimits } from './limits.ts';
import {
  allowedHostSet,
  allowedOriginSet,
  bearerToken,
  conditionalGets,
  hostCheck,
  jsonBody,
  requestGuard,
  securityHeaders,
  unknownRoute,
} from './middleware.ts';
import { openApiDocument } from './openapi.ts';
import { busy, errorHandler, notFound } from './problem.ts';
import { checksRouter } from './routes/checks.ts';
import { clustersRouter, referenceRouter } from './routes/clusters.ts';
import { compareRouter } from './routes/compare.ts';
import { metaRouter } from './routes/meta.ts';
import { runsRouter } from './routes/runs.ts';
import { scenariosRouter } from './routes/scenarios.ts';
import { studiesRouter } from './routes/studies.ts';
import { webRouter } from './routes/web.ts';
import { createServices } from './services.ts';

export { hostName, LOOPBACK_HOSTS } from './middleware.ts';

/** Largest JSON request body accepted (bytes); larger bodies get a 413 problem. */
export const DEFAULT_BODY_LIMIT_BYTES = 1 << 20;

/** What `createApp` needs: an open (migrated, seeded) database and options. */
export interface AppDeps {
  db: Db;
  /** Bearer token required on write requests; none = open (loopback use). */
  token?: string;
  /** Worker threads for runs (default 2). */
  workers?: number;
  /** Worker threads of each task pool: validations, and reads (hourly exports, comparisons) (default 1). */
  taskWorkers?: number;
  /** Bounds: run queue, runs and bytes kept, unread minimum (defaults in `DEFAULT_LIMITS`). */
  limits?: Partial<RunLimits>;
  /** Bounds on saved scenarios and user clusters (defaults in `DEFAULT_SAVED_LIMITS`). */
  savedLimits?: Partial<SavedLimits>;
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
  /**
   * Origins (`scheme://host[:port]`) whose pages may write besides the server's own (`http://` and the
   * `Host` a request was sent to), e.g. `https://dcplan.lan` behind a TLS proxy.
   */
  allowedOrigins?: string[];
  /** Test hook: called after the first part of each result is written (a throw fails the write). */
  faults?: { afterFirstPart?: () => void };
}

/**
 * Build the Express app (never listens): the shared state (`createServices`: repositories, worker
 * pools, run service), the middleware every request passes (security headers, then the host check; on
 * /api the cross-site and media-type checks, the token on writes, and only then the body: size, depth,
 * JSON), one router per resource, then the 405/404 fallbacks and one problem+json error handler.
 * `close()` stops the worker pools; `answered(ms)` waits for the answers in progress (at shutdown).
 */
export function createApp(deps: AppDeps) {
  const log = deps.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const bodyLimitBytes = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const { ctx, close } = createServices({ ...deps, bodyLimitBytes, log });
  const hosts = allowedHostSet(deps.allowedHosts);

  const api = Router();
  api.use(conditionalGets(), requestGuard(allowedOriginSet(deps.allowedOrigins)));
  if (deps.token) api.use(bearerToken(deps.token));
  // Meter checks read their own bodies (CSV or JSON, up to MAX_METER_BYTES: a meter year is bigger
  // than a scenario); everything else is JSON within bodyLimitBytes.
  api.use('/checks', checksRouter(ctx));
  api.use(jsonBody(bodyLimitBytes));
  api.use(metaRouter(ctx));
  api.use('/clusters', clustersRouter(ctx));
  api.use(referenceRouter(ctx));
  api.use('/scenarios', scenariosRouter(ctx));
  api.use('/runs', runsRouter(ctx));
  api.use('/compare', compareRouter(ctx));
  api.use('/montecarlo', studiesRouter(ctx, 'montecarlo'));
  api.use('/sizing', studiesRouter(ctx, 'sizing'));
  api.use(unknownRoute(openApiDocument({ bodyLimitBytes }).paths));

  // Answers in progress (a result being streamed, a POST waiting for its run): a shutdown lets them
  // finish; a request that arrives once it has begun is a 503 that closes its connection.
  let answering = 0;
  let idle: (() => void) | null = null;
  const track: express.RequestHandler = (_req, res, next) => {
    if (ctx.service.shuttingDown) {
      res.setHeader('Connection', 'close');
      throw busy('server: shutting down; retry in a moment', 5);
    }
    answering++;
    res.once('close', () => {
      if (--answering === 0) idle?.();
    });
    next();
  };
  /** Resolves once no answer is in progress, or after `ms` (whichever is first). */
  const answered = (ms: number) =>
    new Promise<void>((resolve) => {
      if (answering === 0) return resolve();
      const timer = setTimeout(resolve, ms);
      idle = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const app = express();
  app.disable('x-powered-by');
  // No body-hash ETags (they cost main-thread CPU on large results); routes set their own.
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(securityHeaders(), track, hostCheck(hosts));
  app.use('/api', api);
  app.use(webRouter(deps.webDir ?? fileURLToPath(new URL('../dist/web/', import.meta.url))));
  app.use((req, _res) => {
    throw notFound(`no route ${req.method} ${req.path}`);
  });
  app.use(errorHandler(log));
  return { app, runs: ctx.service, close, answered };
}

/**
 * Keep an idle keep-alive connection 65 s (Node's default is 5 s), longer than the idle timeout of the
 * usual clients and proxies (60 s): the client gives a connection up before the server closes it, so a
 * request sent on a connection the server is closing at that instant (ECONNRESET) cannot happen. The
 * headers of a request must still arrive within 66 s (Node wants it above the keep-alive timeout).
 */
export function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}

import type { Server } from 'node:http';
import { createApp, keepIdleConnections } from './app.ts';
import { openDatabase } from './db/database.ts';

/** Server settings, read from the environment once. */
export interface ServerConfig {
  host: string;
  port: number;
  dbFile: string;
  token?: string;
  workers: number;
  /** Host names besides loopback that the server answers to (`DCPLAN_ALLOWED_HOSTS`, comma-separated). */
  allowedHosts: string[];
  /** Origins besides the server's own whose pages may write (`DCPLAN_ALLOWED_ORIGINS`, comma-separated). */
  allowedOrigins: string[];
  /** Runs waiting for a worker beyond which `POST /api/runs` answers 503. */
  maxQueue: number;
  /** Finished runs kept (the oldest are deleted beyond it). */
  keepRuns: number;
  /** Bytes kept for runs, in MiB: their documents and results, and what runs in flight will store. */
  keepMb: number;
  /** An ended run nobody has read is kept at least this long (s) before retention may evict it. */
  keepUnreadS: number;
  /** Saved scenarios kept (a save beyond it is a 507). */
  keepScenarios: number;
  /** Operators' meter checks kept (a check beyond it is a 507). */
  keepChecks: number;
  /** Saved scenario versions, user clusters and meter checks together, in MiB (a save beyond it is a 507). */
  savedMb: number;
  /** On SIGTERM/SIGINT, how long running runs may take to finish before they are cancelled (s). */
  shutdownGraceS: number;
}

/** A comma-separated setting as a list (empty entries dropped). */
const list = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);

function intSetting(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  const n = raw === undefined || raw === '' ? def : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name}: must be a whole number ${min}–${max}`);
  return n;
}

/**
 * Read the server settings from the environment (once, at start): `HOST` (default 127.0.0.1), `PORT`
 * (8080), `DCPLAN_DB` (data/dcplan.sqlite), `DCPLAN_TOKEN` (none), `DCPLAN_WORKERS` (2),
 * `DCPLAN_ALLOWED_HOSTS` (none: loopback names only), `DCPLAN_ALLOWED_ORIGINS` (none: the server's own),
 * `DCPLAN_MAX_QUEUE` (100 runs waiting), `DCPLAN_KEEP_RUNS` (1,000 runs), `DCPLAN_KEEP_MB` (1,024 MiB
 * for runs), `DCPLAN_KEEP_UNREAD_S` (3,600 s: an unread result is kept at least that long),
 * `DCPLAN_KEEP_SCENARIOS` (1,000 saved scenarios), `DCPLAN_KEEP_CHECKS` (1,000 meter checks),
 * `DCPLAN_SAVED_MB` (100 MiB of saved scenarios, user clusters and meter checks), `DCPLAN_SHUTDOWN_S` (10 s for running runs at shutdown).
 *
 * @example
 * configFromEnv({}) // { host: '127.0.0.1', port: 8080, dbFile: 'data/dcplan.sqlite', token: undefined, workers: 2, allowedHosts: [], allowedOrigins: [], maxQueue: 100, keepRuns: 1000, keepMb: 1024, keepUnreadS: 3600, keepScenarios: 1000, keepChecks: 1000, savedMb: 100, shutdownGraceS: 10 }
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT: must be 0–65535 (got "${env.PORT}")`);
  const workers = Number(env.DCPLAN_WORKERS ?? 2);
  if (!Number.isInteger(workers) || workers < 1 || workers > 32)
    throw new Error('DCPLAN_WORKERS: must be 1–32');
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    dbFile: env.DCPLAN_DB ?? 'data/dcplan.sqlite',
    token: env.DCPLAN_TOKEN || undefined,
    workers,
    allowedHosts: list(env.DCPLAN_ALLOWED_HOSTS),
    allowedOrigins: list(env.DCPLAN_ALLOWED_ORIGINS),
    maxQueue: intSetting(env, 'DCPLAN_MAX_QUEUE', 100, 1, 100_000),
    keepRuns: intSetting(env, 'DCPLAN_KEEP_RUNS', 1000, 1, 10_000_000),
    keepMb: intSetting(env, 'DCPLAN_KEEP_MB', 1024, 1, 10_000_000),
    keepUnreadS: intSetting(env, 'DCPLAN_KEEP_UNREAD_S', 3600, 0, 31_536_000),
    keepScenarios: intSetting(env, 'DCPLAN_KEEP_SCENARIOS', 1000, 1, 10_000_000),
    keepChecks: intSetting(env, 'DCPLAN_KEEP_CHECKS', 1000, 1, 10_000_000),
    savedMb: intSetting(env, 'DCPLAN_SAVED_MB', 100, 1, 10_000_000),
    shutdownGraceS: intSetting(env, 'DCPLAN_SHUTDOWN_S', 10, 0, 600),
  };
}

/** How long answers still being written at shutdown get, after the runs have ended (ms). */
const ANSWER_GRACE_MS = 30_000;

/**
 * Open the database (migrating and seeding it), listen, and shut down cleanly on SIGINT/SIGTERM: stop
 * accepting connections (a request on an open connection is a 503), cancel runs still waiting, give
 * running ones `shutdownGraceS` to finish, cancel the rest, let answers being written finish (up to
 * 30 s), close the database and exit 0 — so no run is left `running` for the next start to find and
 * no answer is cut.
 */
export async function startServer(config: ServerConfig = configFromEnv()): Promise<Server> {
  const db = openDatabase(config.dbFile);
  const { app, close, runs, answered } = createApp({
    db,
    token: config.token,
    workers: config.workers,
    allowedHosts: config.allowedHosts,
    allowedOrigins: config.allowedOrigins,
    limits: {
      maxQueue: config.maxQueue,
      maxRuns: config.keepRuns,
      maxBytes: config.keepMb * 1024 * 1024,
      keepUnreadS: config.keepUnreadS,
    },
    savedLimits: {
      maxScenarios: config.keepScenarios,
      maxChecks: config.keepChecks,
      maxSavedBytes: config.savedMb * 1024 * 1024,
    },
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.on('error', reject);
  });
  keepIdleConnections(server);
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  process.stderr.write(
    `dcplan: serving http://${config.host}:${port} (database ${config.dbFile}${config.token ? ', writes need the token' : ''})\n`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const graceMs = config.shutdownGraceS * 1000;
    process.stderr.write(`dcplan: ${signal}, shutting down (running runs get ${config.shutdownGraceS} s)\n`);
    // A backstop: if the clean path hangs, leave anyway (non-zero: something went wrong).
    setTimeout(
      () => {
        process.stderr.write('dcplan: shutdown took too long; exiting\n');
        process.exit(1);
      },
      graceMs + ANSWER_GRACE_MS + 15_000,
    );
    server.close();
    server.closeIdleConnections();
    try {
      await runs.shutdown(graceMs);
      // Answers still being written (a large result to a slow client, a POST whose run just ended)
      // go out whole rather than be cut: up to ANSWER_GRACE_MS more.
      await answered(ANSWER_GRACE_MS);
      server.closeAllConnections();
      await close();
      db.close();
    } catch (e) {
      process.stderr.write(`dcplan: shutdown: ${(e as Error).message}\n`);
      process.exit(1);
    }
    process.stderr.write('dcplan: stopped\n');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return server;
}

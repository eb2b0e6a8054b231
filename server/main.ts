import type { Server } from 'node:http';
import { createApp } from './app.ts';
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
}

/**
 * Read the server settings from the environment (once, at start): `HOST` (default 127.0.0.1), `PORT`
 * (8080), `DCPLAN_DB` (data/dcplan.sqlite), `DCPLAN_TOKEN` (none), `DCPLAN_WORKERS` (2),
 * `DCPLAN_ALLOWED_HOSTS` (none: loopback names only).
 *
 * @example
 * configFromEnv({}) // { host: '127.0.0.1', port: 8080, dbFile: 'data/dcplan.sqlite', token: undefined, workers: 2 }
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
    allowedHosts: (env.DCPLAN_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
  };
}

/** Open the database (migrating and seeding it), listen, and shut down cleanly on SIGINT/SIGTERM. */
export async function startServer(config: ServerConfig = configFromEnv()): Promise<Server> {
  const db = openDatabase(config.dbFile);
  const { app, close, runs } = createApp({
    db,
    token: config.token,
    workers: config.workers,
    allowedHosts: config.allowedHosts,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.on('error', reject);
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  process.stderr.write(
    `dcplan: serving http://${config.host}:${port} (database ${config.dbFile}${config.token ? ', writes need the token' : ''})\n`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`dcplan: ${signal}, shutting down\n`);
    server.close();
    server.closeAllConnections();
    await runs.settle().catch(() => {});
    await close();
    db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return server;
}

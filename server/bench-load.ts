import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createApp } from './app.ts';
import { openDatabase } from './db/database.ts';

/** What one load-check phase measured (latencies from autocannon's histogram, ms). */
export interface LoadReport {
  seconds: number;
  connections: number;
  mode: 'fresh' | 'cached';
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

const SCENARIO = JSON.parse(
  readFileSync(new URL('../scenarios/east-west-compare.json', import.meta.url), 'utf8'),
);

/**
 * Load check (not a test): `connections` concurrent clients POST east-west-compare runs to a real
 * server on 127.0.0.1 (temp SQLite file) for `seconds`. 'fresh' gives every request a distinct scenario
 * name, so each is a real 15-year simulation in the worker pool; 'cached' repeats one scenario, so all
 * but the first are served from the stored result.
 */
export async function runLoadBench(opts: {
  seconds: number;
  connections: number;
  mode: 'fresh' | 'cached';
  workers?: number;
  log?: (s: string) => void;
}): Promise<LoadReport> {
  const dir = mkdtempSync(join(tmpdir(), 'dcplan-load-'));
  const db = openDatabase(join(dir, 'load.sqlite'));
  const { app, close } = createApp({ db, workers: opts.workers ?? 2, log: () => {} });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  let n = 0;
  try {
    // Warm-up: start both workers (tsx + climate years) and the main thread's reference before timing.
    await Promise.all(
      [0, 1].map((i) =>
        fetch(`http://127.0.0.1:${port}/api/runs?wait=60000`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ scenario: { ...SCENARIO, name: `warm-up ${i}` } }),
        }).then((r) => r.arrayBuffer()),
      ),
    );
    const result = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: opts.connections,
      duration: opts.seconds,
      requests: [
        {
          method: 'POST',
          path: '/api/runs?wait=60000',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => {
            n++;
            const scenario =
              opts.mode === 'fresh' ? { ...SCENARIO, name: `${SCENARIO.name} #${n}` } : SCENARIO;
            return { ...req, body: JSON.stringify({ scenario }) };
          },
        },
      ],
    });
    const report: LoadReport = {
      seconds: opts.seconds,
      connections: opts.connections,
      mode: opts.mode,
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
    };
    opts.log?.(
      `  load (${opts.mode}, ${opts.connections} clients, ${opts.seconds} s): ${report.requests} requests, ${report.requestsPerSecond.toFixed(1)} req/s, p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms, ${report.errors} errors, ${report.non2xx} non-2xx`,
    );
    return report;
  } finally {
    server.close();
    server.closeAllConnections();
    await close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

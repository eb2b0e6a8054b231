import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { quantileSorted } from 'simple-statistics';

/**
 * The load phases: fresh runs, cached runs, stored results, hourly exports, comparisons of stored
 * runs, and the largest result the limits allow (50 clusters × 100 years).
 */
export type LoadPhase = 'fresh' | 'cached' | 'stored' | 'hourly' | 'compare' | 'large';
export const LOAD_PHASES: LoadPhase[] = ['fresh', 'cached', 'stored', 'hourly', 'compare', 'large'];

/** Clients of the large-result phase (each GET moves ≈ 45 MB): at most this many. */
const LARGE_CONNECTIONS = 10;
/** Runs one comparison of the compare phase takes (the most /api/compare allows). */
const COMPARE_RUNS = 20;

/** What one phase measured (request latencies from autocannon's histogram, ms). */
export interface LoadReport {
  phase: LoadPhase;
  what: string;
  seconds: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  /** 503 answers (bounded queue; part of non2xx). */
  busy503: number;
  /** Count of each status code outside 2xx (503 included), e.g. { '404': 12 }. */
  non2xxByStatus: Record<string, number>;
  /**
   * `GET /api/health` probed every 100 ms from another thread during the phase; `serverLoopMaxMs` is
   * the longest event-loop delay the server itself reported (its 5-s windows seen during the phase).
   */
  health: {
    probes: number;
    failed: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    serverLoopMaxMs: number;
  };
}

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SCENARIO = JSON.parse(readFileSync(join(ROOT, 'scenarios/east-west-compare.json'), 'utf8'));
/** The largest run the limits allow: 50 clusters × 100 years of the east-west scenario (≈ 45 MB stored). */
const LARGEST = {
  ...SCENARIO,
  name: 'largest result',
  years: 100,
  clusters: Array.from({ length: 50 }, (_, i) => SCENARIO.clusters[i % SCENARIO.clusters.length]),
};
const JSON_HEADERS = { 'content-type': 'application/json' };
type CannonRequest = NonNullable<Parameters<typeof autocannon>[0]['requests']>[number];

// The health prober: its own thread and event loop, so its timings are the server's, not autocannon's.
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
let stop = false;
const lat = []; let failed = 0; let loopMax = 0;
parentPort.on('message', () => { stop = true; });
const once = () => new Promise((resolve) => {
  const t0 = performance.now();
  const req = http.get(workerData.url, { agent: false, timeout: 30000 }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d) => { body += d; });
    res.on('end', () => {
      if (res.statusCode === 200) {
        lat.push(performance.now() - t0);
        try { loopMax = Math.max(loopMax, JSON.parse(body).eventLoopDelayMs.maxMs); } catch {}
      } else failed++;
      resolve();
    });
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', () => { failed++; resolve(); });
});
(async () => {
  while (!stop) {
    const t0 = performance.now();
    await once();
    const left = 100 - (performance.now() - t0);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  }
  parentPort.postMessage({ lat, failed, loopMax });
})();
`;

/** The p-th percentile of ascending values (simple-statistics' quantile, nearest rank); NaN when empty. */
function pct(sorted: number[], p: number): number {
  return sorted.length ? quantileSorted(sorted, p / 100) : Number.NaN;
}

async function probeHealth<T>(
  base: string,
  during: () => Promise<T>,
): Promise<{ value: T; health: LoadReport['health'] }> {
  const w = new Worker(PROBE, { eval: true, workerData: { url: `${base}/api/health` } });
  const done = new Promise<{ lat: number[]; failed: number; loopMax: number }>((r) => w.once('message', r));
  try {
    const value = await during();
    w.postMessage('stop');
    const { lat, failed, loopMax } = await done;
    lat.sort((a, b) => a - b);
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      value,
      health: {
        probes: lat.length + failed,
        failed,
        p50Ms: round(pct(lat, 50)),
        p99Ms: round(pct(lat, 99)),
        maxMs: round(lat[lat.length - 1] ?? Number.NaN),
        serverLoopMaxMs: loopMax,
      },
    };
  } finally {
    await w.terminate();
  }
}

/** Start `dcplan serve` in a child process on a free port with a temporary database. */
async function startServer(dir: string, workers: number): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/dcplan.js'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      DCPLAN_DB: join(dir, 'load.sqlite'),
      DCPLAN_WORKERS: String(workers),
      DCPLAN_TOKEN: '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving (http:\/\/[\d.]+:\d+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.once('exit', () => reject(new Error(`server exited: ${err}`)));
  });
  return { base, child };
}

/** POST a run and poll it until it ends (however long the machine takes); its id and final status. */
async function post(base: string, scenario: unknown): Promise<{ id: string; status: string }> {
  const r = await fetch(`${base}/api/runs?wait=60000&view=summary`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ scenario }),
  });
  let run = (await r.json()) as { id: string; status: string };
  while (run.status === 'queued' || run.status === 'running') {
    await new Promise((res) => setTimeout(res, 500));
    run = (await (await fetch(`${base}/api/runs/${run.id}?view=summary`)).json()) as typeof run;
  }
  return run;
}

/** Wait until the server's run and task pools are idle, so one phase's backlog does not bleed into the next. */
async function idle(base: string): Promise<void> {
  type Pool = { busy: number; queued: number };
  type Pools = { workers: Pool; validations?: Pool; reads?: Pool };
  for (;;) {
    const h = (await (await fetch(`${base}/api/health`)).json()) as Pools;
    const pools = [h.workers, h.validations, h.reads].filter((p): p is Pool => p !== undefined);
    if (pools.every((p) => p.busy + p.queued === 0)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * What each phase requests: distinct scenarios, an identical one, a stored result, an hourly export,
 * a comparison of `compareIds` (in a different order each time), the largest result.
 */
function phaseRequests(
  storedId: string,
  compareIds: string[],
  largeId: string,
): Record<LoadPhase, { what: string; request: CannonRequest }> {
  let n = 0;
  let turn = 0;
  return {
    fresh: {
      what: 'POST /api/runs, distinct scenarios (each a 15-year, 4-cluster simulation)',
      request: {
        method: 'POST',
        path: '/api/runs?wait=60000',
        headers: JSON_HEADERS,
        setupRequest: (req: CannonRequest) => {
          n++;
          return {
            ...req,
            body: JSON.stringify({ scenario: { ...SCENARIO, name: `${SCENARIO.name} #${n}` } }),
          };
        },
      },
    },
    cached: {
      what: 'POST /api/runs, identical inputs (stored result)',
      request: {
        method: 'POST',
        path: '/api/runs?wait=60000',
        headers: JSON_HEADERS,
        body: JSON.stringify({ scenario: SCENARIO }),
      },
    },
    stored: {
      what: 'GET /api/runs/:id (full stored result)',
      request: { method: 'GET', path: `/api/runs/${storedId}` },
    },
    hourly: {
      what: 'GET /api/runs/:id/hourly.csv (one cluster-year, re-simulated in a worker)',
      request: { method: 'GET', path: `/api/runs/${storedId}/hourly.csv?cluster=wuhan&year=2030` },
    },
    compare: {
      what: `GET /api/compare of ${compareIds.length} stored runs (${compareIds.length * 60} cluster-years, computed in a worker)`,
      request: {
        method: 'GET',
        path: '/api/compare',
        setupRequest: (req: CannonRequest) => {
          const k = turn++ % compareIds.length;
          const ids = [...compareIds.slice(k), ...compareIds.slice(0, k)];
          return { ...req, path: `/api/compare?runs=${ids.join(',')}` };
        },
      },
    },
    large: {
      what: `GET /api/runs/:id of the largest result the limits allow (50 clusters × 100 years, ≈ 45 MB), at most ${LARGE_CONNECTIONS} clients`,
      request: { method: 'GET', path: `/api/runs/${largeId}` },
    },
  };
}

/**
 * Load check (not a test): a real server (`dcplan serve` in a child process, temporary SQLite file) and
 * `connections` concurrent clients for `seconds` per phase —
 * fresh: POST distinct east-west-compare scenarios (each a real 15-year, 4-cluster simulation);
 * cached: POST one scenario again and again (the stored result);
 * stored: GET /api/runs/:id of a done run (the full result);
 * hourly: GET one cluster-year's hourly.csv (a re-simulation in a worker thread);
 * compare: GET /api/compare of 20 stored runs (a comparison in a worker thread);
 * large: GET /api/runs/:id of a 50-cluster × 100-year result (≈ 45 MB), at most 10 clients.
 * Each phase reports requests/s, p50/p99, errors, non-2xx (503s apart) and /api/health latency; between
 * phases the bench waits for the server's pools to drain (runs still in flight when a phase ends).
 */
export async function runLoadBench(opts: {
  seconds: number;
  connections: number;
  workers?: number;
  phases?: LoadPhase[];
  log?: (s: string) => void;
}): Promise<LoadReport[]> {
  const dir = mkdtempSync(join(tmpdir(), 'dcplan-load-'));
  const { base, child } = await startServer(dir, opts.workers ?? 2);
  const reports: LoadReport[] = [];
  try {
    // Warm-up: start the workers (climate years) and store the run the cached phase asks for again.
    const warm = await Promise.all([0, 1].map((i) => post(base, { ...SCENARIO, name: `warm-up ${i}` })));
    const cached = await post(base, SCENARIO);
    if (warm.some((r) => r.status !== 'done') || cached.status !== 'done')
      throw new Error('warm-up runs did not finish');
    let readId: string | null = null;
    const compareIds: string[] = [];
    let largeId = '';
    for (const phase of opts.phases ?? LOAD_PHASES) {
      if ((phase === 'stored' || phase === 'hourly') && !readId) {
        // A run stored just before the read phases: the fresh phase stores more runs than the
        // retention bound keeps, and the oldest (the warm-up runs) go.
        const r = await post(base, { ...SCENARIO, name: 'read phases' });
        if (r.status !== 'done') throw new Error('the run the read phases read did not finish');
        readId = r.id;
      }
      if (phase === 'compare' && !compareIds.length) {
        for (let i = 0; i < COMPARE_RUNS; i++) {
          const r = await post(base, { ...SCENARIO, name: `compare phase ${i}` });
          if (r.status !== 'done') throw new Error('a run the compare phase compares did not finish');
          compareIds.push(r.id);
        }
      }
      if (phase === 'large' && !largeId) {
        const r = await post(base, LARGEST);
        if (r.status !== 'done') throw new Error('the largest run did not finish');
        largeId = r.id;
      }
      const { what, request } = phaseRequests(readId ?? warm[0].id, compareIds, largeId)[phase];
      const connections =
        phase === 'large' ? Math.min(LARGE_CONNECTIONS, opts.connections) : opts.connections;
      const { value: result, health } = await probeHealth(base, () =>
        autocannon({
          url: base,
          connections,
          duration: opts.seconds,
          timeout: 120,
          requests: [request],
        }),
      );
      const report: LoadReport = {
        phase,
        what,
        seconds: opts.seconds,
        connections,
        requests: result.requests.total,
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
        busy503: result.statusCodeStats?.['503']?.count ?? 0,
        non2xxByStatus: Object.fromEntries(
          Object.entries(result.statusCodeStats ?? {})
            .filter(([code]) => !code.startsWith('2'))
            .map(([code, st]) => [code, st.count]),
        ),
        health,
      };
      opts.log?.(`  load ${formatLoadReport(report)}`);
      reports.push(report);
      await idle(base);
    }
    return reports;
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per phase, for the bench's text report. */
export function formatLoadReport(r: LoadReport): string {
  const h = r.health;
  const codes = Object.entries(r.non2xxByStatus ?? {}).map(([code, n]) => `${n} × ${code}`);
  return `${r.phase.padEnd(6)} ${r.requestsPerSecond.toFixed(1)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.errors} errors, ${r.non2xx} non-2xx (${codes.length ? codes.join(', ') : `${r.busy503} × 503`}), ${r.requests} requests; /api/health p50 ${h.p50Ms} ms, p99 ${h.p99Ms} ms, max ${h.maxMs} ms, ${h.failed}/${h.probes} failed; server event-loop delay max ${h.serverLoopMaxMs} ms`;
}

import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { DAYS_IN_MONTH, HOURS_PER_YEAR } from '../models/calendar.ts';
import { annualColumns, type RunResult } from '../models/result.ts';
import { parseScenario, ValidationError } from '../models/scenario.ts';
import { ENGINE_VERSION, type EngineReference } from '../models/simulate.ts';
import { engineReference, SEEDS } from '../seeds/index.ts';
import { ClusterSeedSchema } from '../seeds/schema.ts';
import { type Db, schemaVersion } from './db/database.ts';
import { clustersRepo, docsRepo, runsRepo, scenariosRepo } from './db/repositories.ts';
import { formatCsv } from './format.ts';
import { WorkerPool } from './jobs/pool.ts';
import { openApiDocument } from './openapi.ts';
import { badRequest, conflict, errorHandler, HttpProblem, notFound } from './problem.ts';
import { runScenario } from './run.ts';
import { createRunService } from './runs.ts';

export interface AppDeps {
  db: Db;
  /** Bearer token required on write requests; none = open (loopback use). */
  token?: string;
  /** Worker threads for runs (default 2). */
  workers?: number;
  /** JSON body limit in bytes (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Built web app to serve (default dist/web, when present). */
  webDir?: string;
  log?: (msg: string) => void;
  /** Test hook: called inside the result transaction after the first cluster is written. */
  faults?: { afterFirstCluster?: () => void };
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function zodToProblem(e: z.ZodError, prefix: string): HttpProblem {
  const errors = e.issues.map((i) => ({
    path: [prefix, ...i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))]
      .join('.')
      .replace(/\.\[/g, '['),
    message: i.message,
  }));
  return badRequest(`${errors[0].path}: ${errors[0].message}`, errors);
}

function scenarioProblem(e: unknown): never {
  if (e instanceof ValidationError) {
    const errors = e.errors.map((x) => ({
      path: x.path ? `scenario.${x.path}` : 'scenario',
      message: x.message,
    }));
    throw badRequest(`${errors[0].path}: ${errors[0].message}`, errors);
  }
  throw e;
}

function intParam(v: unknown, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw badRequest(`${name}: must be a positive whole number`);
  return n;
}

/** Key metrics of a run's clusters for side-by-side comparison. */
function compareRows(runId: string, r: RunResult) {
  return r.clusters.map((c) => {
    const last = c.annual[c.annual.length - 1];
    const it = c.annual.reduce((s, a) => s + a.itEnergyMwh, 0);
    const fac = c.annual.reduce((s, a) => s + a.facilityEnergyMwh, 0);
    const cost = c.annual.reduce((s, a) => s + a.electricityCostCny, 0);
    const co2 = c.annual.reduce((s, a) => s + a.carbonLocationTco2, 0);
    const green = c.annual.reduce((s, a) => s + a.greenEnergyMwh, 0);
    return {
      runId,
      scenario: r.scenario.name,
      clusterId: c.clusterId,
      name: c.name,
      years: `${r.scenario.startYear}–${r.scenario.startYear + r.scenario.years - 1}`,
      pue: it > 0 ? fac / it : null,
      lastYearPue: last.pue,
      wueLPerKwh: last.wueLPerKwh,
      itEnergyMwh: it,
      electricityCostCny: cost,
      averagePriceCnyPerKwh: fac > 0 ? cost / (fac * 1000) : null,
      costPerRackYearCny: c.finance.costPerRackYearCny,
      npvCny: c.finance.npvCny,
      irr: c.finance.irr,
      greenShare: fac > 0 ? green / fac : null,
      carbonLocationTco2: co2,
      peakFacilityKw: Math.max(...c.annual.map((a) => a.peakFacilityKw)),
      targetsMet: c.targets.filter((t) => t.met === true).length,
      targetsMissed: c.targets.filter((t) => t.met === false).length,
    };
  });
}

/**
 * Build the Express app (never listens). Owns a worker pool for runs; `close()` stops it.
 */
export function createApp(deps: AppDeps) {
  const log = deps.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const bodyLimit = deps.bodyLimitBytes ?? 1 << 20;
  const db = deps.db;
  const clusters = clustersRepo(db);
  const scenarios = scenariosRepo(db);
  const runs = runsRepo(db, deps.faults);
  const tariffs = docsRepo(db, 'tariffs');
  const targets = docsRepo(db, 'targets');
  const pool = new WorkerPool(deps.workers ?? 2);
  const seedHash = (db.prepare(`SELECT value FROM meta WHERE key = 'seed_hash'`).get() as { value: string })
    .value;
  let baseRef: EngineReference | null = null;
  const reference = (extra: ReturnType<typeof clusters.userClusters>) => {
    if (extra.length) return engineReference({ extraClusters: extra });
    baseRef ??= engineReference();
    return baseRef;
  };
  const service = createRunService({ runs, clusters, pool, reference, seedHash, log });
  const started = Date.now();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

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
  api.use(express.json({ limit: bodyLimit, type: ['application/json', 'application/*+json'] }));

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

  api.get('/health', (_req, res) => {
    const integrity = db.prepare('SELECT 1 AS ok').get() as { ok: number };
    res.json({
      status: integrity.ok === 1 ? 'ok' : 'degraded',
      engineVersion: ENGINE_VERSION,
      schemaVersion: schemaVersion(db),
      uptimeS: Math.round((Date.now() - started) / 1000),
      workers: pool.stats(),
    });
  });

  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument({ bodyLimitBytes: bodyLimit }));
  });

  // ── clusters ──
  api.get('/clusters', (_req, res) => {
    res.json(clusters.list().map((c) => ({ ...c.cluster, seeded: c.seeded, updatedAt: c.updatedAt })));
  });
  api.get('/clusters/:id', (req, res) => {
    const c = clusters.get(req.params.id);
    if (!c) throw notFound(`cluster ${req.params.id} does not exist`);
    res.json({ ...c.cluster, seeded: c.seeded, updatedAt: c.updatedAt });
  });
  const checkCluster = (body: unknown) => {
    const r = ClusterSeedSchema.safeParse(body);
    if (!r.success) throw zodToProblem(r.error, 'cluster');
    const c = r.data;
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
  };
  api.post('/clusters', (req, res) => {
    const c = checkCluster(req.body);
    if (clusters.get(c.id)) throw conflict(`cluster ${c.id} already exists`);
    clusters.insert(c);
    res
      .status(201)
      .location(`/api/clusters/${c.id}`)
      .json({ ...c, seeded: false });
  });
  api.put('/clusters/:id', (req, res) => {
    const existing = clusters.get(req.params.id);
    if (!existing) throw notFound(`cluster ${req.params.id} does not exist`);
    if (existing.seeded)
      throw new HttpProblem(
        403,
        'Read-only',
        `cluster ${req.params.id} is seeded and read-only; add a new cluster instead`,
      );
    const c = checkCluster(req.body);
    if (c.id !== req.params.id) throw badRequest(`cluster.id: must equal the URL id "${req.params.id}"`);
    clusters.update(c);
    res.json({ ...c, seeded: false });
  });

  api.get('/tariffs', (_req, res) => {
    res.json(tariffs.list());
  });
  api.get('/targets', (_req, res) => {
    res.json(targets.list());
  });

  // ── scenarios ──
  const scenarioId = (v: string) => intParam(v, 'id');
  /** Full validation (schema, references, every year's values) before a scenario is saved. */
  const checkScenario = (doc: unknown): string => {
    try {
      service.validate(doc);
      return parseScenario(doc).name;
    } catch (e) {
      scenarioProblem(e);
    }
  };
  api.post('/scenarios', (req, res) => {
    const name = checkScenario(req.body);
    const s = scenarios.create(name, req.body);
    res
      .status(201)
      .location(`/api/scenarios/${s.id}`)
      .json({ ...s, version: 1, scenario: req.body });
  });
  api.get('/scenarios', (_req, res) => {
    res.json(scenarios.list());
  });
  api.get('/scenarios/:id', (req, res) => {
    const id = scenarioId(req.params.id);
    const v = req.query.version === undefined ? undefined : intParam(req.query.version, 'version');
    const s = scenarios.get(id, v);
    if (!s) throw notFound(v ? `scenario ${id} has no version ${v}` : `scenario ${id} does not exist`);
    res.setHeader('ETag', `"${s.version}"`);
    res.json({ ...s, versions: scenarios.versions(id) });
  });
  api.put('/scenarios/:id', (req, res) => {
    const id = scenarioId(req.params.id);
    const head = scenarios.get(id);
    if (!head) throw notFound(`scenario ${id} does not exist`);
    const body = req.body as Record<string, unknown>;
    const wrapped = body && typeof body === 'object' && 'scenario' in body;
    const doc = wrapped ? body.scenario : body;
    const ifMatch = req.get('if-match')?.replace(/"/g, '');
    const base =
      wrapped && body.baseVersion !== undefined
        ? Number(body.baseVersion)
        : ifMatch
          ? Number(ifMatch)
          : head.latestVersion;
    if (!Number.isInteger(base)) throw badRequest('baseVersion: must be a whole number');
    const name = checkScenario(doc);
    const s = scenarios.addVersion(id, base, name, doc);
    if (!s)
      throw conflict(
        `scenario ${id} is at version ${head.latestVersion}, not ${base}: reload and apply your change again`,
      );
    res.setHeader('ETag', `"${s.latestVersion}"`);
    res.json({ ...s, version: s.latestVersion, scenario: doc });
  });
  api.delete('/scenarios/:id', (req, res) => {
    const id = scenarioId(req.params.id);
    if (!scenarios.delete(id)) throw notFound(`scenario ${id} does not exist`);
    res.status(204).end();
  });

  // ── runs ──
  const RunRequest = z.union([
    z.strictObject({
      scenarioId: z.number().int().positive(),
      version: z.number().int().positive().optional(),
    }),
    z.strictObject({ scenario: z.unknown() }),
  ]);
  api.post('/runs', async (req, res) => {
    const parsed = RunRequest.safeParse(req.body);
    if (!parsed.success) throw badRequest('body: give { scenarioId, version? } or { scenario }');
    const waitMs =
      req.query.wait === undefined ? 10_000 : Math.min(60_000, Math.max(0, Number(req.query.wait) || 0));
    let scenario: unknown;
    let source: { scenarioId: number | null; scenarioVersion: number | null };
    if ('scenarioId' in parsed.data) {
      const s = scenarios.get(parsed.data.scenarioId, parsed.data.version);
      if (!s)
        throw notFound(
          `scenario ${parsed.data.scenarioId}${parsed.data.version ? ` version ${parsed.data.version}` : ''} does not exist`,
        );
      scenario = s.scenario;
      source = { scenarioId: s.id, scenarioVersion: s.version };
    } else {
      if (parsed.data.scenario === undefined) throw badRequest('scenario: is required');
      scenario = parsed.data.scenario;
      source = { scenarioId: null, scenarioVersion: null };
    }
    const { created, view } = await service.start(scenario, source, waitMs);
    const status = !created ? 200 : view.status === 'done' ? 201 : view.status === 'failed' ? 201 : 202;
    res.status(status).location(view.links.self).json(view);
  });
  const getRun = (id: string) => {
    const r = runs.get(id);
    if (!r) throw notFound(`run ${id} does not exist`);
    return r;
  };
  api.get('/runs/:id', (req, res) => {
    res.json(service.view(getRun(req.params.id)));
  });
  const cancel = (req: Request, res: Response) => {
    const r = getRun(req.params.id as string);
    if (!service.cancel(r.id))
      throw conflict(`run ${r.id} is ${r.status}; only queued or running runs can be cancelled`);
    res.json(service.view(runs.get(r.id)!));
  };
  api.delete('/runs/:id', cancel);
  api.post('/runs/:id/cancel', cancel);
  const finished = (id: string): RunResult => {
    const r = getRun(id);
    if (r.status !== 'done') throw conflict(`run ${id} is ${r.status}; results exist only for done runs`);
    return runs.result(id)!;
  };
  api.get('/runs/:id/annual.csv', (req, res) => {
    const result = finished(req.params.id);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`dcplan-run-${req.params.id}-annual.csv`)
      .send(formatCsv(result));
  });
  api.get('/runs/:id/hourly.csv', (req, res) => {
    const result = finished(req.params.id);
    const year = Number(req.query.year);
    // A scenario may hold the same cluster twice (e.g. with and without a battery): ?index= picks one.
    let idx: number;
    if (req.query.index !== undefined) {
      idx = Number(req.query.index);
      if (!Number.isInteger(idx) || idx < 0 || idx >= result.clusters.length) {
        throw badRequest(`index: must be 0–${result.clusters.length - 1}`);
      }
    } else {
      const id = String(req.query.cluster ?? '');
      const matches = result.clusters.flatMap((c, i) => (c.clusterId === id ? [i] : []));
      if (matches.length === 0) {
        throw badRequest(`cluster: must be one of ${result.clusters.map((c) => c.clusterId).join(', ')}`);
      }
      if (matches.length > 1) {
        throw badRequest(
          `cluster: ${id} appears ${matches.length} times in this run; give index (${matches.join(' or ')})`,
        );
      }
      idx = matches[0];
    }
    const cluster = result.clusters[idx].clusterId;
    const { startYear, years } = result.scenario;
    if (!Number.isInteger(year) || year < startYear || year >= startYear + years) {
      throw badRequest(`year: must be a simulated year, ${startYear}–${startYear + years - 1}`);
    }
    // Re-simulate this one cluster from the first year up to the requested one (a battery's state of
    // charge and fade carry across years), keeping only that year's hours: exact and cheap.
    const r = getRun(req.params.id);
    const s = parseScenario(r.scenario);
    const extra = clusters.userClusters().filter((c) => c.id === cluster);
    const one = runScenario(
      { ...s, years: year - startYear + 1, clusters: [s.clusters[idx]] },
      reference(extra),
      { keepHourly: (_id, y) => y === year },
    );
    const h = one.hourly[0];
    const lines = [
      'hour,month,day,hourOfDay,itKw,facilityKw,pue,waterL,gridKw,greenKw,priceCnyPerKwh,coolingMode,tDryC,tWetC',
    ];
    const days = DAYS_IN_MONTH;
    let hour = 0;
    const modes = ['mechanical', 'partial', 'free'];
    for (let m = 0; m < 12; m++) {
      for (let d = 1; d <= days[m]; d++) {
        for (let k = 0; k < 24; k++, hour++) {
          const it = h.itKw[hour];
          lines.push(
            [
              hour,
              m + 1,
              d,
              k,
              it.toFixed(3),
              h.facilityKw[hour].toFixed(3),
              it > 0 ? (h.facilityKw[hour] / it).toFixed(4) : '',
              h.waterL[hour].toFixed(2),
              h.gridKw[hour].toFixed(3),
              h.greenKw[hour].toFixed(3),
              h.priceCnyPerKwh[hour].toFixed(5),
              modes[h.coolingMode[hour]],
              h.tDryC[hour].toFixed(2),
              h.tWetC[hour].toFixed(2),
            ].join(','),
          );
        }
      }
    }
    if (hour !== HOURS_PER_YEAR) throw new Error('hourly export: calendar mismatch');
    res
      .type('text/csv; charset=utf-8')
      .attachment(`dcplan-run-${req.params.id}-${cluster}-${year}-hourly.csv`)
      .send(`${lines.join('\n')}\n`);
  });

  api.get('/compare', (req, res) => {
    const ids = String(req.query.runs ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length === 0 || ids.length > 20) throw badRequest('runs: give 1–20 run ids, comma-separated');
    const rows = ids.flatMap((id) => compareRows(id, finished(id)));
    res.json({ columns: annualColumns().filter((c) => ['pue', 'wueLPerKwh'].includes(c.key)), rows });
  });

  api.use((req, _res) => {
    throw notFound(`no route ${req.method} ${req.baseUrl}${req.path}`);
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
    async close() {
      await pool.close();
    },
  };
}

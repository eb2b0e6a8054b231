// Bounds and lifecycle of runs over real HTTP: work bounds on validation, the run queue (503), queued
// status and timings, stored results (ETag, summary), compare, hourly export provenance, deletion and
// retention, and a clean shutdown. No assertion depends on how fast the machine is: runs are polled
// until they end; only a hang fails a test, by its timeout.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compareClusters } from '../../models/compare.ts';
import type { AppDeps } from '../../server/app.ts';
import { MIGRATIONS } from '../../server/db/migrations.ts';
import {
  MAX_CLUSTER_BYTES,
  MAX_EXPRESSION_CHARS,
  MAX_RESOLVED_VALUES,
  MAX_SCENARIO_TEXT_CHARS,
  MAX_TEXT_CHARS,
  MAX_TEXT_ITEMS,
} from '../../server/limits.ts';
import { MAX_COMPARE_CLUSTER_YEARS } from '../../server/routes/compare.ts';
import {
  call,
  finished,
  type Reply,
  type Started,
  serve,
  start as startApp,
  until,
} from '../helpers/server.ts';

vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EAST_WEST = JSON.parse(readFileSync(join(ROOT, 'scenarios/east-west-compare.json'), 'utf8'));
const WUHAN = JSON.parse(readFileSync(join(ROOT, 'scenarios/hubei-wuhan-2025.json'), 'utf8'));
/** 50 clusters × 100 years: long enough to still be running while a test looks at it. */
const LONG = (name: string) => ({
  name,
  startYear: 2001,
  years: 100,
  defaults: EAST_WEST.defaults,
  clusters: Array.from({ length: 50 }, (_, i) => ({
    cluster: ['lanzhou', 'qingyang', 'wuhan', 'zhengzhou'][i % 4],
  })),
});
const dir = mkdtempSync(join(tmpdir(), 'dcplan-limits-'));

/** The app with two run workers (the helper's default is one). */
const start = (file: string, opts: Omit<Partial<AppDeps>, 'db'> = {}) =>
  startApp(file, { workers: 2, ...opts });

describe('work bounds on validation', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start(join(dir, 'bounds.sqlite'));
  });
  afterAll(async () => {
    await s.close();
  });

  it('refuses an expression over the length bound, naming the field', async () => {
    const bad = structuredClone(WUHAN);
    bad.clusters[0].occupancy = `0.5 + 0 * year${' + 0'.repeat(MAX_EXPRESSION_CHARS)}`;
    for (const [method, path, body] of [
      ['POST', '/runs', { scenario: bad }],
      ['POST', '/scenarios', bad],
    ] as const) {
      const r = await call(method, `${s.base}${path}`, body);
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.json.errors[0].path).toBe('scenario.clusters[0].occupancy');
      expect(r.json.detail).toMatch(
        new RegExp(
          `^scenario\\.clusters\\[0\\]\\.occupancy: must be at most ${MAX_EXPRESSION_CHARS} characters`,
        ),
      );
    }
  });

  it('refuses a scenario that asks for too many resolved values, within every other limit', async () => {
    // 50 clusters × 100 years × 40 build-out phases with a year expression each: 200,000 values.
    const phase = { year: 2001, racks: '10 + 0 * year', kwPerRack: 6 };
    const heavy = {
      ...LONG('heavy'),
      clusters: Array.from({ length: 50 }, () => ({
        cluster: 'wuhan',
        occupancy: 0.5,
        buildout: Array.from({ length: 40 }, () => phase),
      })),
    };
    const r = await call('POST', `${s.base}/runs`, { scenario: heavy });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].path).toBe('scenario');
    expect(r.json.detail).toMatch(new RegExp(`at most ${MAX_RESOLVED_VALUES}$`));
    const list = await call('GET', `${s.base}/runs`);
    expect(list.json.total).toBe(0); // nothing stored from a refused request
  });

  it('refuses a 1 MB $comment, a long sources list and too much free text, naming the field (issue 24, point 4)', async () => {
    const refused = async (scenario: unknown, path: string, message: RegExp) => {
      for (const [route, body] of [
        ['/runs', { scenario }],
        ['/scenarios', scenario],
      ] as const) {
        const r = await call('POST', `${s.base}${route}`, body);
        expect(r.status, `${route} ${path}`).toBe(400);
        expect(r.json.errors[0].path).toBe(path);
        expect(r.json.errors[0].message).toMatch(message);
      }
    };
    await refused(
      { ...WUHAN, $comment: 'x'.repeat(1_000_000) },
      'scenario.$comment',
      new RegExp(`^must be at most ${MAX_TEXT_CHARS} characters \\(got 1000000\\)$`),
    );
    const nested = structuredClone(WUHAN);
    nested.clusters[0].cooling.$comment = ['fine', 'y'.repeat(MAX_TEXT_CHARS + 1)];
    await refused(nested, 'scenario.clusters[0].cooling.$comment[1]', /^must be at most 2000 characters/);
    await refused(
      { ...WUHAN, sources: Array.from({ length: MAX_TEXT_ITEMS + 1 }, (_, i) => `source ${i}`) },
      'scenario.sources',
      new RegExp(`^must have at most ${MAX_TEXT_ITEMS} entries`),
    );
    // every string within its bound, too many of them together
    const chatty = structuredClone(WUHAN);
    chatty.clusters = Array.from({ length: 11 }, () => ({
      ...WUHAN.clusters[0],
      $comment: 'z'.repeat(MAX_TEXT_CHARS),
    }));
    await refused(
      chatty,
      'scenario',
      new RegExp(`characters of free text .*; at most ${MAX_SCENARIO_TEXT_CHARS}$`),
    );
    expect((await call('GET', `${s.base}/scenarios`)).json).toEqual([]);
    // a user cluster's strings, lists and size are bounded too
    const seed = (await call('GET', `${s.base}/clusters/lanzhou`)).json;
    const { seeded: _s, updatedAt: _u, ...doc } = seed;
    const long = await call('POST', `${s.base}/clusters`, {
      ...doc,
      id: 'mine',
      references: ['r'.repeat(3000)],
    });
    expect(long.json.detail).toBe('cluster.references[0]: must be at most 2000 characters (got 3000)');
    const many = await call('POST', `${s.base}/clusters`, {
      ...doc,
      id: 'mine',
      references: Array.from({ length: 30 }, () => 'r'.repeat(1500)),
    });
    expect(many.json.detail).toMatch(
      new RegExp(`^cluster: takes \\d+ bytes of JSON; at most ${MAX_CLUSTER_BYTES}$`),
    );
    expect((await call('GET', `${s.base}/clusters/mine`)).status).toBe(404);
  });

  it('still validates in full (every year) off the main thread', async () => {
    const bad = structuredClone(WUHAN);
    bad.clusters[0].occupancy = 'min(1.5, 0.9 + 0.1 * (year - 2025))';
    const r = await call('POST', `${s.base}/scenarios`, bad);
    expect(r.status).toBe(400);
    expect(r.json.detail).toBe('scenario.clusters[0].occupancy: must be ≤ 1 (in 2027)');
  });
});

describe('stored results, compare and hourly export', () => {
  let s: Started;
  let id: string;
  beforeAll(async () => {
    s = await start(join(dir, 'results.sqlite'));
    id = (await finished(s.base, { scenario: EAST_WEST })).json.id;
  });
  afterAll(async () => {
    await s.close();
  });

  it('reports queue and compute time separately', async () => {
    const r = await call('GET', `${s.base}/runs/${id}`);
    expect(r.json.status).toBe('done');
    expect(r.json.queueMs).toBeGreaterThanOrEqual(0);
    expect(r.json.durationMs).toBeGreaterThan(0);
    expect(r.json.startedAt >= r.json.createdAt).toBe(true);
  });

  it('serves a done run with an ETag (304 when unchanged) and a summary form', async () => {
    const full = await call('GET', `${s.base}/runs/${id}`);
    const etag = full.headers.get('etag');
    expect(etag).toBe(`"${id}.full"`);
    expect(full.json.result.clusters[0].monthly.length).toBeGreaterThan(0);
    const again = await fetch(`${s.base}/runs/${id}`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const sum = await call('GET', `${s.base}/runs/${id}?view=summary`);
    expect(sum.headers.get('etag')).toBe(`"${id}.summary"`);
    expect(sum.json.result.clusters[0]).not.toHaveProperty('monthly');
    expect(sum.json.result.clusters[0]).not.toHaveProperty('greenProfile');
    expect(sum.json.result.clusters[0].annual).toEqual(full.json.result.clusters[0].annual);
    expect(sum.json.result.comparison).toEqual(full.json.result.comparison);
    expect(sum.text.length).toBeLessThan(full.text.length);
    // identical inputs: the stored result, summary on request
    const cached = await call('POST', `${s.base}/runs?view=summary`, { scenario: EAST_WEST });
    expect(cached.status).toBe(200);
    expect(cached.json).toMatchObject({ id, cached: true });
    expect(cached.json.result.clusters[0]).not.toHaveProperty('monthly');
    expect((await call('GET', `${s.base}/runs/${id}?view=all`)).json.detail).toBe(
      'view: must be full or summary',
    );
  });

  it('compare gives the numbers and ranks of the engine (models/compare.ts), to the last digit', async () => {
    const result = (await call('GET', `${s.base}/runs/${id}`)).json.result;
    const want = compareClusters(result.clusters)!;
    // the stored result's comparison is the one the CLI prints
    expect(result.comparison).toEqual(JSON.parse(JSON.stringify(want)));
    const cmp = (await call('GET', `${s.base}/compare?runs=${id}`)).json;
    expect(cmp.best).toEqual({ runId: id, clusterId: want.best });
    expect(cmp.note).toBe(want.note);
    expect(cmp.rows.map((r: { clusterId: string }) => r.clusterId)).toEqual(
      result.clusters.map((c: { clusterId: string }) => c.clusterId),
    );
    for (const { clusterId, name, ...ranked } of want.ranking) {
      const row = cmp.rows.find((r: { clusterId: string }) => r.clusterId === clusterId);
      expect(row).toMatchObject({ name, ...ranked });
      const { clusterId: _c, name: _n, ...drivers } = want.drivers.find((d) => d.clusterId === clusterId)!;
      expect(row.drivers).toEqual(drivers);
    }
  });

  it('compare dedupes ids, reads stored rows, and bounds the cluster-years it touches', async () => {
    const one = await call('GET', `${s.base}/compare?runs=${id}`);
    const dup = await call('GET', `${s.base}/compare?runs=${id},${id},${id}`);
    expect(dup.status).toBe(200);
    expect(dup.json.rows).toEqual(one.json.rows);
    expect(one.json.rows).toHaveLength(4);
    // Too many cluster-years in one comparison: refused before anything is read.
    const fake = new Database(s.file);
    try {
      fake
        .prepare(
          `INSERT INTO runs (id, inputs_hash, scenario_doc, engine_version, status, created_at, result_head, cluster_years)
           VALUES ('big', 'h', '{}', 'x', 'done', '2026-01-01', '{}', ?)`,
        )
        .run(MAX_COMPARE_CLUSTER_YEARS + 1);
    } finally {
      fake.close();
    }
    const big = await call('GET', `${s.base}/compare?runs=${id},big`);
    expect(big.status).toBe(400);
    expect(big.json.detail).toBe(
      `runs: these runs hold ${MAX_COMPARE_CLUSTER_YEARS + 1 + 60} cluster-years; one comparison takes at most ${MAX_COMPARE_CLUSTER_YEARS}`,
    );
  });

  it('hourly.csv re-simulates with what the run used, or refuses when it cannot', async () => {
    const url = `${s.base}/runs/${id}/hourly.csv?cluster=wuhan&year=2030`;
    const engine = (await call('GET', `${s.base}/runs/${id}`)).json.engineVersion;
    const ok = await call('GET', url);
    expect(ok.status).toBe(200);
    expect(ok.text.trim().split('\n')).toHaveLength(8761);
    const db = new Database(s.file);
    const set = (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args);
    try {
      // Another seed bundle: refused.
      set('UPDATE runs SET seed_hash = ? WHERE id = ?', 'other', id);
      let r = await call('GET', url);
      expect(r.status).toBe(409);
      expect(r.json.detail).toBe(
        `run ${id} was made with another seed bundle; start the run again for an hourly export`,
      );
      set('UPDATE runs SET seed_hash = (SELECT value FROM meta WHERE key = ?) WHERE id = ?', 'seed_hash', id);
      // Another engine: refused.
      set(`UPDATE runs SET engine_version = 'old' WHERE id = ?`, id);
      r = await call('GET', url);
      expect(r.status).toBe(409);
      expect(r.json.detail).toMatch(/was made with engine old/);
      set(`UPDATE runs SET engine_version = ? WHERE id = ?`, engine, id);
      expect((await call('GET', url)).text).toBe(ok.text);
    } finally {
      db.close();
    }
  });

  it('a save is validated on its own pool: it does not wait behind queued hourly exports (issue 24, point 5)', async () => {
    const order: string[] = [];
    const clusters = ['lanzhou', 'qingyang', 'wuhan', 'zhengzhou'];
    // 24 exports of the run's last year (each re-simulates 15 years of a cluster)
    const exports = Array.from({ length: 24 }, (_, i) =>
      call('GET', `${s.base}/runs/${id}/hourly.csv?cluster=${clusters[i % 4]}&year=2039`).then((r) => {
        order.push('export');
        return r.status;
      }),
    );
    // every export has reached the server and some still wait for the read pool…
    await until(
      () => call('GET', `${s.base}/health`),
      (h) => order.length + h.json.reads.busy + h.json.reads.queued >= exports.length,
    );
    // …when a save goes through the validation pool
    const save = await call('POST', `${s.base}/scenarios`, { ...WUHAN, name: 'saved beside exports' });
    order.push('save');
    expect(save.status).toBe(201);
    expect(await Promise.all(exports)).toEqual(exports.map(() => 200));
    // One pool for both (FIFO) would have answered the save after every export queued before it.
    expect(order.indexOf('save')).toBeLessThan(order.length - 1);
    const h = (await call('GET', `${s.base}/health`)).json;
    expect(h.validations).toMatchObject({ size: 1 });
    expect(h.reads).toMatchObject({ size: 1 });
  });

  it('hourly.csv refuses when the re-simulation does not reproduce the stored row', async () => {
    const r0 = await finished(s.base, { scenario: WUHAN });
    const rid = r0.json.id;
    const db = new Database(s.file);
    try {
      db.prepare(
        `UPDATE results SET doc = json_set(doc, '$.check."2026".itEnergyMwh', 1) WHERE run_id = ?`,
      ).run(rid);
    } finally {
      db.close();
    }
    const r = await call('GET', `${s.base}/runs/${rid}/hourly.csv?cluster=wuhan&year=2026`);
    expect(r.status).toBe(409);
    expect(r.json.detail).toMatch(/does not reproduce the stored result \(itEnergyMwh re-simulates to/);
    expect((await call('GET', `${s.base}/runs/${rid}/hourly.csv?cluster=wuhan&year=2025`)).status).toBe(200);
  });
});

describe('runs stored before schema 5', () => {
  it('are converted on start: served whole and as the summary, annual.csv, compare and hourly check as before', async () => {
    // A run made now, as reference, and the same result written as schema 3–4 stored it (serialised
    // result, summary and annual rows) and as schema 1–2 did (cluster documents and annual rows only).
    const fresh = await start(join(dir, 'fresh.sqlite'));
    let ref: { id: string; full: Reply; csv: Reply; cmp: Reply; hourly: Reply };
    try {
      const id = (await finished(fresh.base, { scenario: EAST_WEST })).json.id;
      ref = {
        id,
        full: await call('GET', `${fresh.base}/runs/${id}`),
        csv: await call('GET', `${fresh.base}/runs/${id}/annual.csv`),
        cmp: await call('GET', `${fresh.base}/compare?runs=${id}`),
        hourly: await call('GET', `${fresh.base}/runs/${id}/hourly.csv?cluster=wuhan&year=2030`),
      };
    } finally {
      await fresh.close();
    }
    const result = ref.full.json.result;
    const file = join(dir, 'legacy.sqlite');
    const old = new Database(file);
    try {
      for (const m of MIGRATIONS.slice(0, 4)) old.exec(m.sql);
      old.pragma('user_version = 4');
      const insert = old.prepare(
        `INSERT INTO runs (id, inputs_hash, scenario_doc, engine_version, status, created_at, finished_at,
           result_head, result_json, summary_json, compare_json, stored_bytes)
         VALUES (?, ?, ?, ?, 'done', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', ?, ?, ?, NULL, 1)`,
      );
      const head = JSON.stringify({ scenario: result.scenario, engine: result.engine });
      const cluster = old.prepare(
        'INSERT INTO results (run_id, cluster_index, cluster_id, doc) VALUES (?, ?, ?, ?)',
      );
      const annual = old.prepare(
        'INSERT INTO annual_rows (run_id, cluster_index, year, doc) VALUES (?, ?, ?, ?)',
      );
      for (const [id, serialised] of [
        ['schema-4', true],
        ['schema-2', false],
      ] as const) {
        insert.run(
          id,
          `hash-${id}`,
          JSON.stringify(EAST_WEST),
          result.engine.version,
          head,
          serialised ? Buffer.from(JSON.stringify(result)) : null,
          serialised ? Buffer.from('{"old":"summary"}') : null,
        );
        result.clusters.forEach((c: { clusterId: string; annual: Array<{ year: number }> }, i: number) => {
          const { annual: rows, ...rest } = c;
          cluster.run(id, i, c.clusterId, serialised ? '{}' : JSON.stringify(rest));
          for (const a of rows) annual.run(id, i, a.year, JSON.stringify(a));
        });
      }
    } finally {
      old.close();
    }
    const s = await start(file);
    try {
      const db = new Database(file);
      try {
        // the old columns and rows are emptied; the seed hash is today's (this test wrote none)
        expect(
          db
            .prepare(
              `SELECT count(*) AS n FROM runs WHERE format = 1 AND result_json IS NULL AND status = 'done'`,
            )
            .get(),
        ).toEqual({ n: 2 });
        expect(db.prepare('SELECT count(*) AS n FROM annual_rows').get()).toEqual({ n: 0 });
        db.prepare(`UPDATE runs SET seed_hash = (SELECT value FROM meta WHERE key = 'seed_hash')`).run();
      } finally {
        db.close();
      }
      for (const id of ['schema-4', 'schema-2']) {
        const full = await call('GET', `${s.base}/runs/${id}`);
        expect(full.json.result.clusters.map((c: { annual: unknown }) => c.annual)).toEqual(
          result.clusters.map((c: { annual: unknown }) => c.annual),
        );
        if (id === 'schema-4') expect(full.json.result).toEqual(result);
        const sum = await call('GET', `${s.base}/runs/${id}?view=summary`);
        expect(Object.keys(sum.json.result.clusters[0])).toContain('finance');
        expect(sum.json.result.clusters[0]).not.toHaveProperty('monthly');
        expect((await call('GET', `${s.base}/runs/${id}/annual.csv`)).text).toBe(ref.csv.text);
        const cmp = await call('GET', `${s.base}/compare?runs=${id}`);
        expect(cmp.json.rows.map(({ runId: _r, ...row }: { runId: string }) => row)).toEqual(
          ref.cmp.json.rows.map(({ runId: _r, ...row }: { runId: string }) => row),
        );
        expect((await call('GET', `${s.base}/runs/${id}/hourly.csv?cluster=wuhan&year=2030`)).text).toBe(
          ref.hourly.text,
        );
      }
    } finally {
      await s.close();
    }
  });
});

describe('bounded queue, queued status, deletion and retention', () => {
  it('a run waits as queued, and beyond the queue bound POST answers 503 with Retry-After', async () => {
    const s = await start(join(dir, 'queue.sqlite'), { workers: 1, limits: { maxQueue: 1 } });
    try {
      const a = await call('POST', `${s.base}/runs?wait=0`, { scenario: LONG('a') });
      const b = await call('POST', `${s.base}/runs?wait=0`, { scenario: LONG('b') });
      expect([a.status, b.status]).toEqual([202, 202]);
      expect(a.json.status).toBe('running');
      expect(b.json).toMatchObject({ status: 'queued', progress: 0, queueMs: null, startedAt: null });
      const c = await call('POST', `${s.base}/runs?wait=0`, { scenario: LONG('c') });
      expect(c.status).toBe(503);
      expect(c.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(c.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(c.json.detail).toMatch(/^runs: 1 runs are waiting for a worker/);
      // The same inputs as a run in flight are not refused: they join it.
      expect((await call('POST', `${s.base}/runs?wait=0`, { scenario: LONG('b') })).json.id).toBe(b.json.id);
      expect((await call('GET', `${s.base}/runs`)).json.total).toBe(2);
      // When a worker frees up, the queued run starts and reports how long it waited.
      expect((await call('DELETE', `${s.base}/runs/${a.json.id}`)).json.status).toBe('cancelled');
      const running = await until(
        () => call('GET', `${s.base}/runs/${b.json.id}`),
        (x) => x.json.status !== 'queued',
      );
      expect(running.json.status).toBe('running');
      expect(running.json.queueMs).toBeGreaterThanOrEqual(0);
      await call('POST', `${s.base}/runs/${b.json.id}/cancel`);
    } finally {
      await s.close();
    }
  });

  it('a POST whose run a client cancels while it waits is a 409 naming the run, not 201 Created', async () => {
    const s = await start(join(dir, 'cancelled.sqlite'), { workers: 1 });
    try {
      const waiting = call('POST', `${s.base}/runs?wait=60000`, { scenario: LONG('waited for') });
      const list = await until(
        () => call('GET', `${s.base}/runs`),
        (x) => x.json.total === 1,
      );
      const id = list.json.runs[0].id;
      expect((await call('POST', `${s.base}/runs/${id}/cancel`)).status).toBe(200);
      const r = await waiting;
      expect(r.status).toBe(409);
      expect(r.json).toMatchObject({
        runId: id,
        detail: `run ${id} was cancelled by the client; start it again`,
      });
      expect(r.headers.get('location')).toBe(`/api/runs/${id}`);
    } finally {
      await s.close();
    }
  });

  it('DELETE removes a finished run (then 410); retention evicts runs that were read (410 with when and why)', async () => {
    const file = join(dir, 'retention.sqlite');
    const s = await start(file, { limits: { maxRuns: 2 } });
    try {
      const ids: string[] = [];
      // each run is read when it ends (finished() polls it): the third evicts the first
      for (const years of [1, 2, 3])
        ids.push((await finished(s.base, { scenario: { ...WUHAN, years } })).json.id);
      const evicted = await call('GET', `${s.base}/runs/${ids[0]}`);
      expect(evicted.status).toBe(410);
      expect(evicted.json.reason).toMatch(
        /^evicted by the retention bound \(DCPLAN_KEEP_RUNS, DCPLAN_KEEP_MB\) to make room for a new run, after it had been read \(/,
      );
      expect(evicted.json.detail).toMatch(
        new RegExp(`^run ${ids[0]} is gone: evicted by the retention bound`),
      );
      expect((await call('GET', `${s.base}/runs`)).json.runs.map((r: { id: string }) => r.id)).toEqual([
        ids[2],
        ids[1],
      ]);
      expect((await call('DELETE', `${s.base}/runs/${ids[1]}`)).status).toBe(204);
      const deleted = await call('GET', `${s.base}/runs/${ids[1]}`);
      expect(deleted.status).toBe(410);
      expect(deleted.json.reason).toBe(`deleted by a client (DELETE /api/runs/${ids[1]})`);
      expect((await call('DELETE', `${s.base}/runs/${ids[1]}`)).status).toBe(410);
      expect((await call('GET', `${s.base}/runs/${ids[1]}/annual.csv`)).status).toBe(410);
      expect((await call('GET', `${s.base}/compare?runs=${ids[2]},${ids[1]}`)).status).toBe(410);
      expect((await call('GET', `${s.base}/runs/never-was`)).status).toBe(404);
      const db = new Database(file, { readonly: true });
      try {
        for (const t of ['results', 'annual_rows', 'result_parts']) {
          expect(
            db.prepare(`SELECT count(*) AS n FROM ${t} WHERE run_id IN (?, ?)`).get(ids[0], ids[1]),
          ).toEqual({
            n: 0,
          });
        }
        expect(db.pragma('auto_vacuum', { simple: true })).toBe(2); // incremental
        // the pages DELETE freed go back to the file system, a step per turn of the event loop
        await until(
          async () => db.pragma('freelist_count', { simple: true }),
          (n) => n === 0,
        );
      } finally {
        db.close();
      }
    } finally {
      await s.close();
    }
    // A bound in bytes smaller than one result: a run is admitted alone once the one before was read.
    const t = await start(join(dir, 'bytes.sqlite'), { limits: { maxBytes: 1 } });
    try {
      const a = (await finished(t.base, { scenario: { ...WUHAN, years: 1 } })).json.id;
      const b = (await finished(t.base, { scenario: { ...WUHAN, years: 2 } })).json.id;
      expect((await call('GET', `${t.base}/runs/${a}`)).status).toBe(410);
      expect((await call('GET', `${t.base}/runs/${b}`)).json.status).toBe('done');
    } finally {
      await t.close();
    }
  });

  it('600 runs queued past the storage bound: every acknowledged run is readable once, the rest refused up front (503)', async () => {
    // Each 1-year Wuhan run reserves ≈ 58 kB (its result takes ≈ 38 kB): about 20 fit in 1.2 MB.
    const file = join(dir, 'many.sqlite');
    const s = await start(file, { limits: { maxQueue: 600, maxBytes: 1_200_000 } });
    try {
      const replies: Reply[] = [];
      for (let wave = 0; wave < 12; wave++) {
        replies.push(
          ...(await Promise.all(
            Array.from({ length: 50 }, (_, i) =>
              call('POST', `${s.base}/runs?wait=0`, {
                scenario: { ...WUHAN, years: 1, name: `many ${wave * 50 + i}` },
              }),
            ),
          )),
        );
      }
      const acked = replies.filter((r) => r.status === 202 || r.status === 201);
      const refused = replies.filter((r) => r.status === 503);
      expect(acked.length + refused.length).toBe(600);
      expect(acked.length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThan(0);
      for (const r of refused) {
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(r.json.detail).toMatch(/^runs: .*results not yet read .* and runs in flight/);
      }
      // Every acknowledged run ends and is then read, whole, once: none was evicted unread.
      for (const a of acked) {
        const end = await until(
          () => call('GET', `${s.base}/runs/${a.json.id}`),
          (x) => x.status !== 200 || !['queued', 'running'].includes(x.json.status),
        );
        expect(end.status, a.json.id).toBe(200);
        expect(end.json.status).toBe('done');
        expect(end.json.result.clusters[0].annual).toHaveLength(1);
      }
      // Now that they were read, new runs are admitted again, evicting the oldest read ones (410).
      const more = await finished(s.base, { scenario: { ...WUHAN, years: 1, name: 'one more' } });
      expect(more.json.status).toBe('done');
      expect((await call('GET', `${s.base}/runs/${acked[0].json.id}`)).status).toBe(410);
      // What is kept stays within the bound (the documents, results and reservations counted).
      const db = new Database(file, { readonly: true });
      try {
        const held = db.prepare('SELECT sum(stored_bytes) AS b FROM runs').get() as { b: number };
        expect(held.b).toBeLessThanOrEqual(1_200_000);
        const parts = db.prepare('SELECT sum(length(data)) AS b FROM result_parts').get() as { b: number };
        expect(parts.b).toBeLessThanOrEqual(held.b);
      } finally {
        db.close();
      }
    } finally {
      await s.close();
    }
  });

  it('an unread result is kept while new runs are refused; once read (or old enough) it makes room', async () => {
    const s = await start(join(dir, 'unread.sqlite'), { limits: { maxRuns: 1 } });
    try {
      const a = await call('POST', `${s.base}/runs?wait=0`, { scenario: { ...WUHAN, years: 1 } });
      expect(a.status).toBe(202);
      // wait until it ends without reading it: the run list shows the status, not the result
      await until(
        () => call('GET', `${s.base}/runs`),
        (x) => x.json.runs[0].status === 'done',
      );
      const b = await call('POST', `${s.base}/runs?wait=0`, { scenario: { ...WUHAN, years: 2 } });
      expect(b.status).toBe(503);
      expect(b.json.detail).toMatch(/^runs: 1 runs are kept, the most DCPLAN_KEEP_RUNS allows/);
      expect((await call('GET', `${s.base}/runs/${a.json.id}`)).json.status).toBe('done'); // read once
      const c = await finished(s.base, { scenario: { ...WUHAN, years: 2 } });
      expect(c.json.status).toBe('done');
      expect((await call('GET', `${s.base}/runs/${a.json.id}`)).status).toBe(410);
    } finally {
      await s.close();
    }
    // With a minimum age of 0 s an unread result may go at once.
    const t = await start(join(dir, 'unread-0.sqlite'), { limits: { maxRuns: 1, keepUnreadS: 0 } });
    try {
      const a = await call('POST', `${t.base}/runs?wait=0`, { scenario: { ...WUHAN, years: 1 } });
      await until(
        () => call('GET', `${t.base}/runs`),
        (x) => x.json.runs[0].status === 'done',
      );
      const b = await call('POST', `${t.base}/runs?wait=0`, { scenario: { ...WUHAN, years: 2 } });
      expect(b.status).toBe(202);
      const gone = await call('GET', `${t.base}/runs/${a.json.id}`);
      expect(gone.status).toBe(410);
      expect(gone.json.reason).toMatch(/unread, once 0 s old \(DCPLAN_KEEP_UNREAD_S\)$/);
    } finally {
      await t.close();
    }
  });
});

describe('saved scenarios and user clusters (issue 24, point 4)', () => {
  it('are bounded in number and bytes (507 beyond), and a delete makes room again', async () => {
    const one = Buffer.byteLength(JSON.stringify(WUHAN));
    const limit = Math.floor(4.5 * one);
    const s = await start(join(dir, 'saved.sqlite'), {
      savedLimits: { maxScenarios: 2, maxSavedBytes: limit },
    });
    try {
      const a = await call('POST', `${s.base}/scenarios`, WUHAN);
      const b = await call('POST', `${s.base}/scenarios`, { ...WUHAN, name: 'b' });
      expect([a.status, b.status]).toEqual([201, 201]);
      const c = await call('POST', `${s.base}/scenarios`, { ...WUHAN, name: 'c' });
      expect(c.status).toBe(507);
      expect(c.json.detail).toBe(
        'scenarios: 2 saved scenarios are kept, the most DCPLAN_KEEP_SCENARIOS allows; delete one first',
      );
      // Versions count in bytes: two scenarios saved, two more versions fit in 4.5 times one, a third not.
      for (const v of [1, 2]) {
        expect(
          (await call('PUT', `${s.base}/scenarios/${a.json.id}`, { scenario: WUHAN, baseVersion: v })).status,
        ).toBe(200);
      }
      const over = await call('PUT', `${s.base}/scenarios/${a.json.id}`, { scenario: WUHAN, baseVersion: 3 });
      expect(over.status).toBe(507);
      const kib = (b: number) => Math.ceil(b / 1024);
      expect(over.json.detail).toMatch(
        new RegExp(
          `^saved: saved scenarios, user clusters and meter checks take \\d+ KiB; this save adds ${kib(one)} KiB to the ${kib(limit)} KiB DCPLAN_SAVED_MB allows; delete some first$`,
        ),
      );
      // User clusters count in the same bytes.
      const seed = (await call('GET', `${s.base}/clusters/lanzhou`)).json;
      const { seeded: _s, updatedAt: _u, ...doc } = seed;
      expect((await call('POST', `${s.base}/clusters`, { ...doc, id: 'mine' })).status).toBe(507);
      // A delete takes every version with it: there is room again.
      expect((await call('DELETE', `${s.base}/scenarios/${a.json.id}`)).status).toBe(204);
      expect((await call('GET', `${s.base}/scenarios/${a.json.id}`)).status).toBe(404);
      expect((await call('POST', `${s.base}/clusters`, { ...doc, id: 'mine' })).status).toBe(201);
      expect((await call('POST', `${s.base}/scenarios`, { ...WUHAN, name: 'c' })).status).toBe(201);
      const db = new Database(s.file, { readonly: true });
      try {
        expect(
          db.prepare('SELECT count(*) AS n FROM scenario_versions WHERE scenario_id = ?').get(a.json.id),
        ).toEqual({
          n: 0,
        });
        // no run refers to it: its head is gone too
        expect(db.prepare('SELECT count(*) AS n FROM scenarios WHERE id = ?').get(a.json.id)).toEqual({
          n: 0,
        });
      } finally {
        db.close();
      }
    } finally {
      await s.close();
    }
  });

  it('a deleted scenario gives its bytes back to the file system (page count, and file size after a checkpoint)', async () => {
    const file = join(dir, 'hard-delete.sqlite');
    const s = await start(file);
    try {
      // ≈ 350 kB: 50 clusters of 200 build-out phases each (numbers only, within every work bound)
      const { $comment: _c, ...cluster } = WUHAN.clusters[0];
      const big = {
        ...WUHAN,
        $comment: undefined,
        years: 1,
        clusters: Array.from({ length: 50 }, () => ({
          ...cluster,
          buildout: Array.from({ length: 200 }, () => ({ year: 2025, racks: 1, kwPerRack: 6 })),
        })),
      };
      const docBytes = Buffer.byteLength(JSON.stringify(big));
      expect(docBytes).toBeGreaterThan(300_000);
      const saved = await call('POST', `${s.base}/scenarios`, big);
      expect(saved.status).toBe(201);
      const db = new Database(file);
      try {
        const pages = () => db.pragma('page_count', { simple: true }) as number;
        const pageSize = db.pragma('page_size', { simple: true }) as number;
        // A TRUNCATE checkpoint copies the WAL into the file and truncates it to its pages; it does
        // nothing while the server's connections are busy (then it is tried again).
        const checkpointed = async () => {
          const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
          return r.busy === 0 ? statSync(file).size : null;
        };
        const size = () => until(checkpointed, (b) => b !== null) as Promise<number>;
        const before = { pages: pages(), size: await size() };
        expect((await call('DELETE', `${s.base}/scenarios/${saved.json.id}`)).status).toBe(204);
        // the stepped vacuum gives the pages back, a few per turn of the server's event loop
        await until(
          async () => db.pragma('freelist_count', { simple: true }) as number,
          (n) => n === 0,
        );
        const freed = Math.floor((0.9 * docBytes) / pageSize);
        expect(before.pages - pages()).toBeGreaterThanOrEqual(freed);
        await until(size, (b) => before.size - b >= freed * pageSize);
      } finally {
        db.close();
      }
    } finally {
      await s.close();
    }
  });
});

describe('shutdown', () => {
  it('SIGTERM cancels runs in flight, leaves none running, and exits 0', async () => {
    const file = join(dir, 'sigterm.sqlite');
    const { child, base, exited } = await serve(file, { DCPLAN_SHUTDOWN_S: '0', DCPLAN_WORKERS: '1' });
    const a = await call('POST', `${base}/runs?wait=0`, { scenario: LONG('a') });
    const b = await call('POST', `${base}/runs?wait=0`, { scenario: LONG('b') });
    expect(b.json.status).toBe('queued');
    // A POST still waiting for its run when the server stops is not answered 201 Created.
    const waiting = call('POST', `${base}/runs?wait=60000`, { scenario: LONG('c') });
    await until(
      () => call('GET', `${base}/runs`),
      (x) => x.json.total === 3,
    );
    child.kill('SIGTERM');
    const c = await waiting;
    expect(c.status).toBe(503);
    expect(c.json.detail).toMatch(
      /^runs: run [\w-]+ was cancelled: the server shut down before the run started; start it again once the server is back$/,
    );
    expect(await exited).toBe(0);
    const db = new Database(file, { readonly: true });
    try {
      const status = (id: string) =>
        db.prepare('SELECT status, error FROM runs WHERE id = ?').get(id) as {
          status: string;
          error: string;
        };
      expect(status(a.json.id)).toEqual({
        status: 'cancelled',
        error: 'cancelled: the server shut down before the run finished',
      });
      expect(status(b.json.id)).toEqual({
        status: 'cancelled',
        error: 'cancelled: the server shut down before the run started',
      });
      expect(db.prepare('SELECT count(*) AS n FROM results').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('SIGTERM lets an answer being written finish whole (a large result to a slow reader)', async () => {
    const file = join(dir, 'sigterm-answer.sqlite');
    const { child, base, exited } = await serve(file, { DCPLAN_SHUTDOWN_S: '0' });
    // 20 clusters × 100 years: a result of ≈ 18 MB, more than the sockets between us hold
    const scenario = { ...LONG('big answer'), clusters: LONG('x').clusters.slice(0, 20) };
    const run = await finished(base, { scenario });
    expect(run.json.status).toBe('done');
    const u = new URL(`${base}/runs/${run.json.id}`);
    const got = new Promise<{ length: number; declared: number; body: string }>((resolve, reject) => {
      const req = request({ host: u.hostname, port: u.port, path: u.pathname }, (res) => {
        res.pause(); // a slow reader: nothing is read until the server is shutting down
        const parts: Buffer[] = [];
        void until(
          () =>
            fetch(`${base}/health`).then(
              () => 'up',
              () => 'closed',
            ),
          (x) => x === 'closed',
        ).then(() => {
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => {
            const body = Buffer.concat(parts);
            resolve({
              length: body.length,
              declared: Number(res.headers['content-length']),
              body: body.toString(),
            });
          });
          res.on('error', reject);
          res.resume();
        });
      });
      req.on('error', reject);
      req.end();
      // the server stops while this answer is being written
      req.on('response', () => child.kill('SIGTERM'));
    });
    const answer = await got;
    expect(answer.length).toBe(answer.declared);
    expect(answer.declared).toBeGreaterThan(10_000_000);
    expect(JSON.parse(answer.body).result.clusters).toHaveLength(20);
    expect(await exited).toBe(0);
  });

  it('SIGINT lets a running run finish within the grace period and exits 0', async () => {
    const file = join(dir, 'sigint.sqlite');
    const { child, base, exited } = await serve(file, { DCPLAN_SHUTDOWN_S: '600' });
    const r = await call('POST', `${base}/runs?wait=0`, { scenario: WUHAN });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT status FROM runs WHERE id = ?').get(r.json.id)).toEqual({ status: 'done' });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});

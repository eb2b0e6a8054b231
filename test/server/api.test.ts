import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppDeps } from '../../server/app.ts';
import { openDatabase } from '../../server/db/database.ts';
import { MIGRATIONS } from '../../server/db/migrations.ts';
import { configFromEnv } from '../../server/main.ts';
import { call, finished, type Started, serve, start as startApp, until } from '../helpers/server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EAST_WEST = JSON.parse(readFileSync(join(ROOT, 'scenarios/east-west-compare.json'), 'utf8'));
const WUHAN = JSON.parse(readFileSync(join(ROOT, 'scenarios/hubei-wuhan-2025.json'), 'utf8'));

/** A scenario that takes a while: 50 clusters × 100 years (43.8 M cluster-hours). */
const LONG = {
  name: 'long run',
  startYear: 2001,
  years: 100,
  defaults: EAST_WEST.defaults,
  clusters: Array.from({ length: 50 }, (_, i) => ({
    cluster: ['lanzhou', 'qingyang', 'wuhan', 'zhengzhou'][i % 4],
  })),
};

/** The app with two run workers (the helper's default is one). */
const start = (file: string, opts: Omit<Partial<AppDeps>, 'db'> = {}) =>
  startApp(file, { workers: 2, ...opts });

// No assertion here depends on how fast the machine is: runs are polled until they end, and only a
// hang (far beyond any run here) fails a test by its timeout.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const dir = mkdtempSync(join(tmpdir(), 'dcplan-api-'));

describe('API over a real SQLite file', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start(join(dir, 'main.sqlite'));
  });
  afterAll(async () => {
    await s.close();
  });

  it('serves health, the OpenAPI document and security headers', async () => {
    const h = await call('GET', `${s.base}/health`);
    expect(h.status).toBe(200);
    expect(h.json).toMatchObject({ status: 'ok', schemaVersion: MIGRATIONS.length });
    expect(h.headers.get('x-content-type-options')).toBe('nosniff');
    expect(h.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(h.headers.get('x-powered-by')).toBeNull();
    const o = await call('GET', `${s.base}/openapi.json`);
    expect(o.json.openapi).toBe('3.1.0');
    expect(Object.keys(o.json.paths)).toEqual(
      expect.arrayContaining(['/api/runs', '/api/scenarios/{id}', '/api/compare']),
    );
    expect(o.json.components.schemas.Scenario.properties.startYear).toBeTruthy();
    // Query parameters come from the zod schemas the routes parse with.
    const hourly = o.json.paths['/api/runs/{id}/hourly.csv'].get.parameters;
    expect(hourly.find((p: { name: string }) => p.name === 'year')).toMatchObject({
      in: 'query',
      required: true,
    });
    // Every reference resolves inside the document.
    for (const [, name] of o.text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      expect(o.json.components.schemas[name], name).toBeTruthy();
    }
  });

  it('lists seeded clusters with sources, tariffs and targets', async () => {
    const c = await call('GET', `${s.base}/clusters`);
    expect(c.json.map((x: { id: string }) => x.id)).toEqual(['lanzhou', 'qingyang', 'wuhan', 'zhengzhou']);
    expect(c.json[1].referenceEnergyPriceCnyPerKwh).toMatchObject({ value: 0.3078, grade: 'B' });
    expect((await call('GET', `${s.base}/clusters/qingyang`)).json.hubNode).toBe(true);
    expect((await call('GET', `${s.base}/tariffs`)).json.map((t: { id: string }) => t.id).sort()).toEqual([
      'gansu-2021',
      'gansu-2024',
      'henan-2022',
      'henan-2024',
      'hubei-2024',
      'hubei-2024-draft',
    ]);
    expect(
      (await call('GET', `${s.base}/targets`)).json.find((t: { id: string }) => t.id === 'hub-pue-1.2').limit,
    ).toBe(1.2);
  });

  it('create → run → fetch → export → compare', async () => {
    const created = await call('POST', `${s.base}/scenarios`, EAST_WEST);
    expect(created.status).toBe(201);
    const id = created.json.id;
    const run = await finished(s.base, { scenarioId: id });
    expect([201, 202]).toContain(run.post.status);
    expect(run.json.status).toBe('done');
    const result = run.json.result;
    expect(result.clusters.map((c: { clusterId: string }) => c.clusterId)).toEqual([
      'lanzhou',
      'qingyang',
      'wuhan',
      'zhengzhou',
    ]);
    expect(result.clusters[0].annual).toHaveLength(15);
    expect(result.clusters[0].annual[0]).toHaveProperty('pue');

    const fetched = await call('GET', `${s.base}/runs/${run.json.id}`);
    expect(fetched.json.result.clusters[2].annual[14]).toEqual(result.clusters[2].annual[14]);
    // the stored result keeps the investor comparison the CLI prints
    expect(fetched.json.result.comparison.ranking.map((r: { clusterId: string }) => r.clusterId)).toEqual(
      result.comparison.ranking.map((r: { clusterId: string }) => r.clusterId),
    );
    expect(fetched.json.result.comparison.best).toBe(result.comparison.best);
    // the run list finds it, newest first, by scenario
    const list = await call('GET', `${s.base}/runs?scenario=${id}`);
    expect(list.status).toBe(200);
    expect(list.json.total).toBe(1);
    expect(list.json.runs[0]).toMatchObject({
      id: run.json.id,
      name: EAST_WEST.name,
      clusters: 4,
      status: 'done',
    });
    expect((await call('GET', `${s.base}/runs?limit=500`)).json.errors[0]).toEqual({
      path: 'limit',
      message: 'must be 1–200',
    });

    const csv = await call('GET', `${s.base}/runs/${run.json.id}/annual.csv`);
    expect(csv.type).toContain('text/csv');
    expect(csv.text.trim().split('\n')).toHaveLength(1 + 60);

    const hourly = await call('GET', `${s.base}/runs/${run.json.id}/hourly.csv?cluster=wuhan&year=2030`);
    const lines = hourly.text.trim().split('\n');
    expect(lines).toHaveLength(1 + 8760);
    // The hourly file sums to the stored annual figures (same engine, same year).
    const cols = lines[0].split(',');
    const itIdx = cols.indexOf('itKw');
    const itMwh = lines.slice(1).reduce((a, l) => a + Number(l.split(',')[itIdx]), 0) / 1000;
    const row = result.clusters[2].annual.find((a: { year: number }) => a.year === 2030);
    expect(Math.abs(itMwh - row.itEnergyMwh) / row.itEnergyMwh).toBeLessThan(1e-6);
    // grid import (battery and on-site PV/wind included) sums to the stored figure too
    const gridIdx = cols.indexOf('gridKw');
    const greenIdx = cols.indexOf('greenKw');
    expect(cols.length).toBe(lines[1].split(',').length);
    const greenMwh = lines.slice(1).reduce((a, l) => a + Number(l.split(',')[greenIdx]), 0) / 1000;
    expect(Math.abs(greenMwh - row.greenEnergyMwh) / row.greenEnergyMwh).toBeLessThan(1e-6);
    expect(gridIdx).toBeGreaterThan(0);

    const other = await finished(s.base, { scenario: WUHAN });
    const cmp = await call('GET', `${s.base}/compare?runs=${run.json.id},${other.json.id}`);
    expect(cmp.status).toBe(200);
    expect(cmp.json.rows).toHaveLength(5);
    expect(cmp.json.rows[4]).toMatchObject({ clusterId: 'wuhan', runId: other.json.id });
    const wuhanPue = cmp.json.rows.find((r: { clusterId: string }) => r.clusterId === 'wuhan').pue;
    const qingyangPue = cmp.json.rows.find((r: { clusterId: string }) => r.clusterId === 'qingyang').pue;
    expect(wuhanPue).toBeGreaterThan(qingyangPue);
  });

  it('hourly.csv tells clusters apart by index when a run holds the same cluster twice', async () => {
    const scenario = JSON.parse(
      readFileSync(join(ROOT, 'scenarios/wuhan-battery-peak-shaving.json'), 'utf8'),
    );
    const run = await finished(s.base, { scenario });
    const ambiguous = await call('GET', `${s.base}/runs/${run.json.id}/hourly.csv?cluster=wuhan&year=2026`);
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.json.detail).toBe('cluster: wuhan appears 2 times in this run; give index (0 or 1)');
    const second = await call('GET', `${s.base}/runs/${run.json.id}/hourly.csv?index=1&year=2026`);
    expect(second.status).toBe(200);
    expect(second.text.trim().split('\n')).toHaveLength(8761);
  });

  it('identical inputs return the cached result', async () => {
    const a = await finished(s.base, { scenario: WUHAN });
    const b = await call('POST', `${s.base}/runs`, { scenario: { ...WUHAN } });
    expect(b.status).toBe(200);
    expect(b.json).toMatchObject({ id: a.json.id, cached: true, status: 'done' });
  });

  it('keeps every version of a scenario and refuses a stale save with 409', async () => {
    const c = await call('POST', `${s.base}/scenarios`, WUHAN);
    const id = c.json.id;
    const v2 = await call('PUT', `${s.base}/scenarios/${id}`, {
      scenario: { ...WUHAN, years: 2 },
      baseVersion: 1,
    });
    expect(v2.status).toBe(200);
    expect(v2.json.version).toBe(2);
    const stale = await call('PUT', `${s.base}/scenarios/${id}`, {
      scenario: { ...WUHAN, years: 1 },
      baseVersion: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.type).toContain('application/problem+json');
    expect((await call('GET', `${s.base}/scenarios/${id}?version=1`)).json.scenario.years).toBe(3);
    expect((await call('GET', `${s.base}/scenarios/${id}`)).json.scenario.years).toBe(2);
    const run = await finished(s.base, { scenarioId: id, version: 1 });
    expect(run.json.result.scenario.years).toBe(3);
    expect((await call('DELETE', `${s.base}/scenarios/${id}`)).status).toBe(204);
    expect((await call('GET', `${s.base}/scenarios/${id}`)).status).toBe(404);
    expect((await call('GET', `${s.base}/runs/${run.json.id}`)).json.status).toBe('done');
  });

  it('answers bad input of each kind with problem+json naming the field', async () => {
    const bad = structuredClone(WUHAN);
    bad.clusters[0].occupancy = 1.5;
    const r = await call('POST', `${s.base}/runs`, { scenario: bad });
    expect(r.status).toBe(400);
    expect(r.type).toContain('application/problem+json');
    expect(r.json.detail).toBe('scenario.clusters[0].occupancy: must be ≤ 1');
    expect(r.json.errors[0]).toEqual({ path: 'scenario.clusters[0].occupancy', message: 'must be ≤ 1' });
    expect(r.text).not.toMatch(/at .*\.ts/); // no stack trace

    const neg = structuredClone(WUHAN);
    neg.clusters[0].buildout[1].racks = -5;
    expect((await call('POST', `${s.base}/scenarios`, neg)).json.detail).toBe(
      'scenario.clusters[0].buildout[1].racks: must be ≥ 0',
    );
    expect((await call('POST', `${s.base}/runs`, { scenario: neg })).json.detail).toBe(
      'scenario.clusters[0].buildout[1].racks: must be ≥ 0',
    );
    expect(
      (await call('POST', `${s.base}/runs`, { scenario: { ...WUHAN, name: undefined } })).json.detail,
    ).toBe('scenario.name: is required');
    expect((await call('POST', `${s.base}/runs`, '{"scenario": ')).json.detail).toBe(
      'body: malformed JSON at line 1, column 14',
    );
    expect((await call('POST', `${s.base}/runs`, { nope: 1 })).status).toBe(400);
    expect((await call('GET', `${s.base}/runs/does-not-exist`)).status).toBe(404);
    expect((await call('GET', `${s.base}/scenarios/999999`)).status).toBe(404);
    expect((await call('GET', `${s.base}/scenarios/abc`)).json.detail).toBe(
      'id: must be a positive whole number',
    );
    expect((await call('POST', `${s.base}/runs`, { scenarioId: 999999 })).status).toBe(404);
    expect((await call('GET', `${s.base}/nowhere`)).status).toBe(404);
    const big = await call('POST', `${s.base}/scenarios`, { name: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(big.type).toContain('application/problem+json');
    const seeded = await call('PUT', `${s.base}/clusters/qingyang`, {});
    expect(seeded.status).toBe(403);
  });

  it('names the field and rule of a bad query, path or body field', async () => {
    const detail = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      (await call(method, `${s.base}${path}`, body, headers)).json.detail;
    const c = await call('POST', `${s.base}/scenarios`, WUHAN);
    expect(await detail('POST', '/runs?wait=abc', { scenario: WUHAN })).toBe('wait: must be 0–60000 (ms)');
    expect(await detail('POST', '/runs?wait=60001', { scenario: WUHAN })).toBe('wait: must be 0–60000 (ms)');
    expect(await detail('POST', '/runs', { scenarioId: 'a' })).toBe(
      'scenarioId: must be a positive whole number',
    );
    expect(await detail('POST', '/runs', { scenarioId: c.json.id, extra: 1 })).toBe(
      'body: unknown field "extra"',
    );
    expect(await detail('POST', '/runs', {})).toBe('scenario: is required');
    expect(await detail('GET', `/scenarios/${c.json.id}?version=0`)).toBe(
      'version: must be a positive whole number',
    );
    expect(await detail('GET', `/scenarios/${c.json.id}?version=9`)).toBe(
      `scenario ${c.json.id} has no version 9`,
    );
    expect(await detail('PUT', `/scenarios/${c.json.id}`, { scenario: WUHAN, baseVersion: 'x' })).toBe(
      'baseVersion: must be a positive whole number',
    );
    expect(await detail('PUT', `/scenarios/${c.json.id}`, WUHAN, { 'if-match': 'W/"x"' })).toBe(
      'if-match: must be a version number, e.g. "3"',
    );
    expect(await detail('GET', '/compare')).toBe('runs: is required');
    expect(await detail('GET', '/compare?runs=,,')).toBe('runs: give 1–20 run ids, comma-separated');
    const run = await finished(s.base, { scenario: WUHAN });
    expect(await detail('GET', `/runs/${run.json.id}/hourly.csv?cluster=wuhan`)).toBe('year: is required');
    expect(await detail('GET', `/runs/${run.json.id}/hourly.csv?cluster=wuhan&year=1999`)).toBe(
      'year: must be a simulated year, 2025–2027',
    );
    expect(await detail('GET', `/runs/${run.json.id}/hourly.csv?index=7&year=2025`)).toBe(
      'index: must be 0–0',
    );
    expect(await detail('GET', `/compare?runs=${run.json.id},nope`)).toBe('run nope does not exist');
    const text = await call('POST', `${s.base}/scenarios`, 'name=x', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.json.detail).toBe('content-type: must be application/json');
  });

  it('adds and edits a user cluster, and runs a scenario on it', async () => {
    const seed = (await call('GET', `${s.base}/clusters/lanzhou`)).json;
    const { seeded: _s, updatedAt: _u, ...doc } = seed;
    const mine = { ...doc, id: 'baiyin', name: 'Baiyin (user)', references: [] };
    const bad = await call('POST', `${s.base}/clusters`, { ...mine, climate: 'mars' });
    expect(bad.json.detail).toMatch(/^cluster.climate: unknown climate "mars"/);
    expect((await call('POST', `${s.base}/clusters`, mine)).status).toBe(201);
    expect((await call('POST', `${s.base}/clusters`, mine)).status).toBe(409);
    expect((await call('PUT', `${s.base}/clusters/baiyin`, { ...mine, name: 'Baiyin' })).json.name).toBe(
      'Baiyin',
    );
    const run = await finished(s.base, {
      scenario: { ...WUHAN, clusters: [{ ...WUHAN.clusters[0], cluster: 'baiyin', tariff: undefined }] },
    });
    expect(run.json.status).toBe('done');
    expect(run.json.result.clusters[0].clusterId).toBe('baiyin');

    // The hourly export uses the cluster as it was when the run was made, not as edited since.
    const hourly = `${s.base}/runs/${run.json.id}/hourly.csv?cluster=baiyin&year=2025`;
    const before = (await call('GET', hourly)).text;
    expect((await call('PUT', `${s.base}/clusters/baiyin`, { ...mine, climate: 'wuhan' })).status).toBe(200);
    expect((await call('GET', hourly)).text).toBe(before);
  });

  it('long runs go to the worker pool: 202, progress to poll, and cancel', async () => {
    const r = await call('POST', `${s.base}/runs?wait=0`, { scenario: LONG });
    expect(r.status).toBe(202);
    // The same inputs again join the run in flight instead of starting another.
    const again = await call('POST', `${s.base}/runs?wait=0`, { scenario: LONG });
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ id: r.json.id, cached: true });
    // The event loop stays free while the worker computes.
    const h = await call('GET', `${s.base}/health`);
    expect(h.status).toBe(200);
    await until(
      () => call('GET', `${s.base}/runs/${r.json.id}`),
      (x) => x.json.progress > 0,
    );
    const c = await call('POST', `${s.base}/runs/${r.json.id}/cancel`);
    expect(c.json.status).toBe('cancelled');
    expect((await call('POST', `${s.base}/runs/${r.json.id}/cancel`)).status).toBe(409);
    // DELETE of a run that has ended deletes it: then it is gone (410, with when and why).
    expect((await call('DELETE', `${s.base}/runs/${r.json.id}`)).status).toBe(204);
    const gone = await call('GET', `${s.base}/runs/${r.json.id}`);
    expect(gone.status).toBe(410);
    expect(gone.json.reason).toBe(`deleted by a client (DELETE /api/runs/${r.json.id})`);
    expect(gone.json.detail).toMatch(new RegExp(`^run ${r.json.id} is gone: deleted by a client`));
    expect(Date.parse(gone.json.goneAt)).not.toBeNaN();
  });
});

describe('API safety and durability', () => {
  it('write requests need the token when one is configured', async () => {
    const s = await start(join(dir, 'token.sqlite'), { token: 'sekret' });
    try {
      expect((await call('GET', `${s.base}/clusters`)).status).toBe(200);
      const denied = await call('POST', `${s.base}/scenarios`, WUHAN);
      expect(denied.status).toBe(401);
      expect(denied.type).toContain('application/problem+json');
      expect(
        (await call('POST', `${s.base}/scenarios`, WUHAN, { authorization: 'Bearer wrong' })).status,
      ).toBe(401);
      expect(
        (await call('POST', `${s.base}/scenarios`, WUHAN, { authorization: 'Bearer sekret' })).status,
      ).toBe(201);
    } finally {
      await s.close();
    }
  });

  it('binds to loopback by default', () => {
    expect(configFromEnv({})).toMatchObject({ host: '127.0.0.1', port: 8080, dbFile: 'data/dcplan.sqlite' });
    expect(() => configFromEnv({ PORT: 'abc' })).toThrow('PORT: must be 0–65535');
  });

  it('a database at an older schema version is migrated on open, keeping its rows', async () => {
    const file = join(dir, 'v1.sqlite');
    const old = new Database(file);
    old.exec(MIGRATIONS[0].sql);
    old.pragma('user_version = 1');
    old
      .prepare(
        `INSERT INTO runs (id, inputs_hash, scenario_doc, engine_version, status, created_at)
         VALUES ('r1', 'h', '{}', 'old', 'failed', '2026-01-01')`,
      )
      .run();
    old.close();
    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(db.prepare(`SELECT user_clusters FROM runs WHERE id = 'r1'`).get()).toEqual({
        user_clusters: '[]',
      });
      expect(db.prepare('SELECT COUNT(*) AS n FROM clusters WHERE seeded = 1').get()).toEqual({ n: 4 });
    } finally {
      db.close();
    }
    // Numbered, in order, without gaps: the migration contract.
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
  });

  it('a restart keeps scenarios, versions and runs and does not duplicate seeds', async () => {
    const file = join(dir, 'restart.sqlite');
    let s = await start(file);
    const c = await call('POST', `${s.base}/scenarios`, WUHAN);
    await call('PUT', `${s.base}/scenarios/${c.json.id}`, {
      scenario: { ...WUHAN, years: 1 },
      baseVersion: 1,
    });
    const run = await finished(s.base, { scenarioId: c.json.id });
    await s.close();
    s = await start(file);
    try {
      expect((await call('GET', `${s.base}/scenarios/${c.json.id}`)).json.latestVersion).toBe(2);
      expect((await call('GET', `${s.base}/scenarios/${c.json.id}?version=1`)).json.scenario.years).toBe(3);
      expect(
        (await call('GET', `${s.base}/runs/${run.json.id}`)).json.result.clusters[0].annual,
      ).toHaveLength(1);
      expect((await call('GET', `${s.base}/clusters`)).json).toHaveLength(4);
    } finally {
      await s.close();
    }
  });

  it('a run that fails mid-write leaves no partial rows', async () => {
    const file = join(dir, 'fault.sqlite');
    const s = await start(file, {
      faults: {
        afterFirstPart: () => {
          throw new Error('disk on fire');
        },
      },
    });
    let id: string;
    try {
      const r = await finished(s.base, { scenario: EAST_WEST });
      id = r.json.id;
      expect(r.json.status).toBe('failed');
      expect(r.json.error).toContain('disk on fire');
    } finally {
      await s.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT COUNT(*) AS n FROM results WHERE run_id = ?').get(id)).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM result_parts WHERE run_id = ?').get(id)).toEqual({ n: 0 });
    db.close();
  });

  it('a server killed during a run restarts with an intact database and no partial run', async () => {
    const file = join(dir, 'killed.sqlite');
    const { child, base, exited } = await serve(file);
    const r = await call('POST', `${base}/runs?wait=0`, { scenario: LONG });
    expect(r.status).toBe(202);
    await until(
      () => call('GET', `${base}/runs/${r.json.id}`),
      (x) => x.json.progress > 0,
    );
    child.kill('SIGKILL');
    await exited;

    const db = openDatabase(file); // restart: migrations, seeds, crash recovery
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const row = db.prepare('SELECT status, error FROM runs WHERE id = ?').get(r.json.id) as {
      status: string;
      error: string;
    };
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(/interrupted/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM results WHERE run_id = ?').get(r.json.id)).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM clusters').get()).toEqual({ n: 4 });
    db.close();
  });
});

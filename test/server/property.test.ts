import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDS } from '../../seeds/index.ts';
import { junk, mutatedFrom, PROPERTY_RUNS, PROPERTY_SEED } from '../helpers/fuzz.ts';
import { validateResponse } from '../helpers/openapi.ts';
import { call, type Reply, type Started, start, until } from '../helpers/server.ts';

/**
 * Property-based fuzzing of the HTTP API (issue 10, point 21), against the real app (one worker, a
 * temporary SQLite file; every response checked against the OpenAPI document): random and mutated
 * bodies to the write routes, random query strings, random paths and methods, wrong content types and
 * cross-site headers. Always: status < 500; a 4xx is problem+json with a `detail`; afterwards the
 * database holds exactly what the accepted requests stored — nothing from a refused one.
 *
 * Cases: DCPLAN_PROPERTY_RUNS (default 1,000 requests; 10,000 for the bench); DCPLAN_PROPERTY_SEED
 * replays a failure.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIOS: unknown[] = readdirSync(join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(ROOT, 'scenarios', f), 'utf8')));
const WUHAN = JSON.parse(readFileSync(join(ROOT, 'scenarios/hubei-wuhan-2025.json'), 'utf8'));
/** Seeded clusters as a user would send them (their ids are replaced by fresh ones). */
const CLUSTERS: unknown[] = SEEDS.clusters.map((c) => structuredClone(c));

interface Req {
  method: string;
  /** Path and query after `/api`. */
  path: string;
  /** Raw body text (undefined: none). */
  body?: string;
  headers: Record<string, string>;
}

const json = (v: unknown) => JSON.stringify(v) ?? 'null';

/** Sometimes a browser's cross-site markers, or a non-JSON content type. */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        origin: fc.constantFrom(
          'http://evil.example',
          'null',
          'http://127.0.0.1',
          'not a url',
          'http://[::1]',
        ),
        'sec-fetch-site': fc.constantFrom('cross-site', 'same-site', 'same-origin', 'none', 'x'),
      },
      { requiredKeys: [] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      'content-type': fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'application/merge-patch+json',
        'application/jsonx',
        'json',
        '*/*',
      ),
    }),
  },
);

/** A body: valid documents, mutated ones, any JSON, or text that is not JSON at all. */
const bodyOf = (valid: fc.Arbitrary<unknown>, mutated: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 2, arbitrary: valid.map(json) },
    { weight: 5, arbitrary: mutated.map(json) },
    { weight: 2, arbitrary: junk.map(json) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ maxLength: 50 }),
        fc.constantFrom('', '{', '{"scenario":', '[1,]', 'null', '"\\ud800"', '{"a":1}{"b":2}', '\u0000'),
      ),
    },
  );

const scenarioBody = bodyOf(fc.constantFrom(...SCENARIOS), mutatedFrom(SCENARIOS, 3));
/** A user cluster from a seeded one with a fresh id (`fz-n`; a repeat is a 409). */
const freshCluster = fc
  .tuple(fc.constantFrom(...CLUSTERS), fc.nat({ max: 1_000_000 }))
  .map(([c, n]) => ({ ...(c as object), id: `fz-${n}` }));
const clusterBody = bodyOf(freshCluster, mutatedFrom(CLUSTERS, 2));

/** Ids the fuzzer refers to: real ones (filled in before it starts) and junk. */
const known = { scenarioIds: [] as number[], runIds: [] as string[] };
const scenarioId = fc.oneof(
  fc.constant('SCENARIO'),
  fc.constantFrom('0', '-1', '1e3', '9999999', '99999999999999999999', 'abc', '%20', '1.5', '__proto__'),
);
const runId = fc.oneof(
  fc.constant('RUN'),
  fc.constantFrom('0', 'x', '__proto__', 'constructor', '..', '%2e%2e', '%ZZ', 'a'.repeat(80)),
  fc.uuid(),
);
/** A query value: any string, percent-encoded or raw junk. */
const qValue = fc.oneof(
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1',
    '50',
    '200',
    '201',
    '1e3',
    '%ZZ',
    '%00',
    '%E0%A4%A',
    '+',
    '1,2',
    '99999999999',
  ),
  fc.nat().map(String),
);
const queryString = (names: string[]) =>
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 }).map(encodeURIComponent)),
        qValue,
      ),
      {
        maxLength: 4,
      },
    )
    .map((kv) => (kv.length ? `?${kv.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

const SEGMENTS = [
  'runs',
  'scenarios',
  'clusters',
  'compare',
  'health',
  'openapi.json',
  'tariffs',
  'targets',
  'cancel',
  'annual.csv',
  'hourly.csv',
  '..',
  '.',
  '%2e%2e',
  '%ZZ',
  '%00',
  '%2F',
  '1',
  'RUN',
  'SCENARIO',
  '__proto__',
  'constructor',
  '',
];
const randomPath = fc
  .array(fc.oneof(fc.constantFrom(...SEGMENTS), fc.string({ maxLength: 10 }).map(encodeURIComponent)), {
    minLength: 0,
    maxLength: 4,
  })
  .map((segs) => `/${segs.join('/')}`);

const request: fc.Arbitrary<Req> = fc.oneof(
  fc
    .tuple(scenarioBody, extraHeaders)
    .map(([body, headers]) => ({ method: 'POST', path: '/scenarios', body, headers })),
  fc
    .tuple(
      scenarioId,
      scenarioBody,
      fc.option(fc.oneof(fc.constant('LATEST'), junk)),
      fc.option(qValue),
      extraHeaders,
    )
    .map(([id, scenario, base, ifMatch, headers]): Req => {
      // Wrapped with a base version (sometimes the right one, filled in at send time), or bare with If-Match.
      const wrapped = base !== null;
      let body = scenario;
      if (wrapped)
        body = `{"scenario":${scenario || 'null'},"baseVersion":${base === 'LATEST' ? 'LATEST' : json(base)}}`;
      return {
        method: 'PUT',
        path: `/scenarios/${id}`,
        body,
        headers: ifMatch === null ? headers : { ...headers, 'if-match': decodeURIComponentSafe(ifMatch) },
      };
    }),
  fc.tuple(scenarioId, queryString(['version'])).map(([id, q]) => ({
    method: 'GET',
    path: `/scenarios/${id}${q}`,
    headers: {},
  })),
  fc
    .tuple(
      fc.oneof(
        scenarioBody.map((s) => `{"scenario":${s || 'null'}}`),
        fc
          .tuple(junk, fc.option(junk))
          .map(([id, v]) => json(v === null ? { scenarioId: id } : { scenarioId: id, version: v })),
        fc.constant('{"scenarioId":SCENARIO}'),
        junk.map(json),
      ),
      fc.oneof(
        fc.constant('?wait=0'),
        queryString(['wait']).map((q) => (q ? `${q}&wait=0` : '?wait=0')),
      ),
      extraHeaders,
    )
    .map(([body, q, headers]) => ({ method: 'POST', path: `/runs${q}`, body, headers })),
  fc
    .tuple(clusterBody, extraHeaders)
    .map(([body, headers]) => ({ method: 'POST', path: '/clusters', body, headers })),
  queryString(['runs']).map((q) => ({ method: 'GET', path: `/compare${q}`, headers: {} })),
  fc
    .array(fc.oneof(fc.constant('RUN'), runId), { minLength: 0, maxLength: 25 })
    .map((ids) => ({ method: 'GET', path: `/compare?runs=${ids.join(',')}`, headers: {} })),
  queryString(['scenario', 'limit', 'offset']).map((q) => ({
    method: 'GET',
    path: `/runs${q}`,
    headers: {},
  })),
  fc
    .tuple(
      runId,
      fc.constantFrom('', '/annual.csv', '/hourly.csv', '/cancel'),
      queryString(['cluster', 'year', 'index']),
    )
    .map(([id, tail, q]) => ({ method: 'GET', path: `/runs/${id}${tail}${q}`, headers: {} })),
  // Writes that need no body, sent one anyway (junk JSON, text, another media type) or none.
  fc
    .tuple(
      fc.oneof(
        runId.map((id) => ({ method: 'DELETE', path: `/runs/${id}` })),
        runId.map((id) => ({ method: 'POST', path: `/runs/${id}/cancel` })),
        fc
          .constantFrom('wuhan', 'lanzhou', '__proto__', 'user:x', 'x'.repeat(70), '%ZZ')
          .map((id) => ({ method: 'DELETE', path: `/clusters/${id}` })),
        fc
          .constantFrom('0', '9999999', 'abc', '%ZZ')
          .map((id) => ({ method: 'DELETE', path: `/scenarios/${id}` })),
      ),
      fc.option(fc.oneof(junk.map(json), fc.string({ maxLength: 20 }))),
      extraHeaders,
    )
    .map(([op, body, headers]) => ({ ...op, body: body ?? undefined, headers })),
  fc
    .tuple(
      fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
      randomPath,
      fc.option(junk),
      extraHeaders,
    )
    .map(([method, path, body, headers]) => ({
      method,
      path,
      body: body === null ? undefined : json(body),
      headers,
    })),
);

function decodeURIComponentSafe(s: string): string {
  try {
    // Header values must be ByteStrings (fetch refuses others): keep printable ASCII only.
    return decodeURIComponent(s).replace(/[^\x20-\x7e]/g, '');
  } catch {
    return s.replace(/[^\x20-\x7e]/g, '');
  }
}

let s: Started;
let dir: string;

/** What the accepted requests stored (and removed), by table. */
const expected = { scenarios: 0, versions: 0, clusters: 0, runs: 0 };
const startedRuns: string[] = [];
const statuses: Record<number, number> = {};

async function send(r: Req): Promise<Reply> {
  const fill = (t: string) =>
    t
      .replaceAll('SCENARIO', String(known.scenarioIds[0]))
      .replaceAll('RUN', known.runIds[0])
      .replaceAll('LATEST', String(latestVersion));
  const url = `${s.base}${fill(r.path)}`;
  // fetch cannot send a body with GET.
  const body = r.body === undefined || r.method === 'GET' ? undefined : fill(r.body);
  // `call` adds application/json for a body; an explicit content-type header replaces it.
  const reply = await call(r.method, url, body, r.headers, false);
  try {
    // Express routes ignore one trailing slash (and fetch resolves dot segments: /runs/x/.. is /runs/).
    const u = new URL(url);
    u.pathname = u.pathname.replace(/(.)\/$/, '$1');
    validateResponse(r.method, u.href, reply);
  } catch (e) {
    // A method and path that name no operation of the document (random paths, GET …/cancel): the request is refused before routing (body, media type,
    // origin) or by it (404, 405), and nothing else.
    if (!/the OpenAPI document lacks/.test((e as Error).message)) throw e;
    // OPTIONS on a known path is Express's automatic answer: 200 with the methods in Allow.
    // A path that resolves outside /api (e.g. /api/.. → /) is the web app's, not the API's: only < 500 holds.
    const outside = !new URL(url).pathname.startsWith('/api/');
    if (outside) expect(reply.status).toBeLessThan(500);
    else if (r.method === 'OPTIONS' && reply.status === 200) expect(reply.headers.get('allow')).toBeTruthy();
    else expect([400, 403, 404, 405, 413, 415, 421]).toContain(reply.status);
  }
  return reply;
}
let latestVersion = 1;

/** Book what a response says was stored or removed. */
async function account(r: Req, reply: Reply): Promise<void> {
  const path = r.path.split('?')[0];
  if (r.method === 'POST' && path === '/scenarios' && reply.status === 201) {
    expected.scenarios++;
    expected.versions++;
  }
  if (r.method === 'PUT' && /^\/scenarios\/[^/]+$/.test(path) && reply.status === 200) {
    expected.versions++;
    if (reply.json.id === known.scenarioIds[0]) latestVersion = reply.json.latestVersion;
  }
  if (r.method === 'DELETE' && /^\/scenarios\/[^/]+$/.test(path) && reply.status === 204)
    expected.scenarios--;
  if (r.method === 'POST' && path === '/clusters' && reply.status === 201) expected.clusters++;
  if (r.method === 'DELETE' && /^\/clusters\/[^/]+$/.test(path) && reply.status === 204) expected.clusters--;
  // DELETE of a run that has ended deletes it with its result (204); of one in flight it cancels (200).
  if (r.method === 'DELETE' && /^\/runs\/[^/]+$/.test(path) && reply.status === 204) expected.runs--;
  if (r.method === 'POST' && path === '/runs' && [201, 202].includes(reply.status) && !reply.json.cached) {
    expected.runs++;
    // Keep the single worker free: cancel what was started (409 when it already ended).
    startedRuns.push(reply.json.id);
    const c = await call('POST', `${s.base}/runs/${reply.json.id}/cancel`);
    expect([200, 409]).toContain(c.status);
  }
}

async function counts() {
  const scenarios = (await call('GET', `${s.base}/scenarios`)).json.length as number;
  const clusters = (await call('GET', `${s.base}/clusters`)).json.length as number;
  const runs = (await call('GET', `${s.base}/runs?limit=1`)).json.total as number;
  return { scenarios, clusters, runs };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dcplan-prop-'));
  s = await start(join(dir, 'fuzz.sqlite'));
  // A saved scenario and a finished run for the fuzzer to refer to.
  const sc = await call('POST', `${s.base}/scenarios`, WUHAN);
  expect(sc.status).toBe(201);
  known.scenarioIds.push(sc.json.id);
  const run = await call('POST', `${s.base}/runs?wait=0`, { scenarioId: sc.json.id });
  expect([201, 202]).toContain(run.status);
  const done = await until(
    () => call('GET', `${s.base}/runs/${run.json.id}`),
    (x) => !['queued', 'running'].includes(x.json.status),
  );
  expect(done.json.status).toBe('done');
  known.runIds.push(run.json.id);
});
let closed = false;
const stop = async () => {
  if (closed) return;
  closed = true;
  await s.close();
};
afterAll(() => (s ? stop() : undefined));

describe('the HTTP API under fuzzing (issue 10, point 21)', () => {
  it(`${PROPERTY_RUNS} random requests: never 5xx, 4xx are problem+json with a detail, refused requests store nothing`, {
    timeout: 60_000 + PROPERTY_RUNS * 100,
  }, async () => {
    const before = await counts();
    const db0 = new Database(s.file, { readonly: true });
    const versionsBefore = (db0.prepare('SELECT COUNT(*) AS n FROM scenario_versions').get() as { n: number })
      .n;
    db0.close();

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const reply = await send(r);
        expect(reply.status, `${r.method} ${r.path}: ${reply.text.slice(0, 300)}`).toBeLessThan(500);
        if (reply.status >= 400) {
          expect(reply.headers.get('content-type') ?? '').toMatch(/^application\/problem\+json/);
          expect(typeof reply.json?.detail).toBe('string');
          expect(reply.json.detail.length).toBeGreaterThan(0);
          expect(reply.json.status).toBe(reply.status);
        }
        statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
        await account(r, reply);
      }),
      { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED },
    );

    // Wait for the runs that were started to end (cancelled, or finished before the cancel arrived).
    await until(
      () => call('GET', `${s.base}/runs?limit=200`),
      (x) => x.json.runs.every((run: { status: string }) => !['queued', 'running'].includes(run.status)),
    );
    // The fuzzer must reach both sides: requests stored and requests refused.
    if (PROPERTY_RUNS >= 500) {
      expect(expected.scenarios).toBeGreaterThan(0);
      expect(expected.clusters).toBeGreaterThan(0);
      expect(statuses[400]).toBeGreaterThan(PROPERTY_RUNS / 10);
    }
    const after = await counts();
    expect(after).toEqual({
      scenarios: before.scenarios + expected.scenarios,
      clusters: before.clusters + expected.clusters,
      runs: before.runs + expected.runs,
    });

    await stop();
    const db = new Database(s.file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      expect(n('SELECT COUNT(*) AS n FROM scenario_versions')).toBe(versionsBefore + expected.versions);
      expect(n('SELECT COUNT(*) AS n FROM runs')).toBe(before.runs + expected.runs);
      expect(n(`SELECT COUNT(*) AS n FROM runs WHERE status IN ('queued', 'running')`)).toBe(0);
      // Results exist only for finished runs.
      expect(
        n(
          `SELECT COUNT(*) AS n FROM results WHERE run_id NOT IN (SELECT id FROM runs WHERE status = 'done')`,
        ),
      ).toBe(0);
      expect(
        n(
          `SELECT COUNT(*) AS n FROM annual_rows WHERE run_id NOT IN (SELECT id FROM runs WHERE status = 'done')`,
        ),
      ).toBe(0);
    } finally {
      db.close();
    }
  });
});

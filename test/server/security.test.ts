import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Started, start } from '../helpers/server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WUHAN = JSON.parse(readFileSync(join(ROOT, 'scenarios/hubei-wuhan-2025.json'), 'utf8'));

let s: Started;
beforeAll(async () => {
  s = await start(join(mkdtempSync(join(tmpdir(), 'dcplan-sec-')), 'db.sqlite'));
});
afterAll(() => s.close());

describe('hosts, origins, media types and methods (issue 10, points 12 and 13)', () => {
  it('a foreign Host header is refused (DNS rebinding)', async () => {
    // fetch cannot set Host, so this one goes through node:http.
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(`${s.base}/scenarios`);
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          headers: { host: 'attacker.example', 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(WUHAN));
    });
    expect(status).toBe(421);
    expect((await call('GET', `${s.base}/scenarios`)).json).toEqual([]);
  });
  it('a cross-site write is refused, even body-less', async () => {
    const r = await call('POST', `${s.base}/runs/x/cancel`, undefined, { origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    const f = await call('POST', `${s.base}/runs/x/cancel`, undefined, { 'sec-fetch-site': 'cross-site' });
    expect(f.status).toBe(403);
  });
  it('a non-JSON content type is a 415 naming application/json', async () => {
    const r = await call('POST', `${s.base}/scenarios`, '', { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(r.json.detail).toMatch(/application\/json/);
  });
  it('an unsupported method is a 405 with Allow', async () => {
    const r = await call('PATCH', `${s.base}/scenarios`, {});
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toContain('POST');
  });
  it('malformed percent-encoding is a 400 with a field path', async () => {
    const r = await call('GET', `${s.base}/clusters/%E0%A4%A`);
    expect(r.status).toBe(400);
    expect(r.json.errors[0].path).toBe('path');
  });
});

describe('clusters and scenarios (issue 10, points 9, 15, 18)', () => {
  it('a climate named toString is refused; a user cluster round-trips and can be deleted', async () => {
    const seed = (await call('GET', `${s.base}/clusters/lanzhou`)).json;
    const bad = await call('POST', `${s.base}/clusters`, { ...seed, id: 'mine', climate: 'toString' });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].path).toBe('cluster.climate');
    expect((await call('POST', `${s.base}/clusters`, { ...seed, id: 'mine', seeded: false })).status).toBe(
      201,
    );
    const got = (await call('GET', `${s.base}/clusters/mine`)).json;
    expect((await call('PUT', `${s.base}/clusters/mine`, { ...got, name: 'Mine' })).json.name).toBe('Mine');
    expect((await call('DELETE', `${s.base}/clusters/lanzhou`)).status).toBe(403);
    const sc = await call('POST', `${s.base}/scenarios`, {
      ...WUHAN,
      clusters: [{ ...WUHAN.clusters[0], cluster: 'mine', tariff: undefined }],
    });
    expect((await call('DELETE', `${s.base}/clusters/mine`)).status).toBe(409);
    expect((await call('DELETE', `${s.base}/scenarios/${sc.json.id}`)).status).toBe(204);
    expect((await call('DELETE', `${s.base}/clusters/mine`)).status).toBe(204);
    expect((await call('GET', `${s.base}/clusters/mine`)).status).toBe(404);
  });
  it('PUT without a base version is a 428; versions use createdAt; a scenario lists its runs', async () => {
    const c = await call('POST', `${s.base}/scenarios`, WUHAN);
    expect((await call('PUT', `${s.base}/scenarios/${c.json.id}`, { scenario: WUHAN })).status).toBe(428);
    const g = await call('GET', `${s.base}/scenarios/${c.json.id}`);
    expect(g.json.versions[0]).toHaveProperty('createdAt');
    expect(g.json.runs.total).toBe(0);
  });
});

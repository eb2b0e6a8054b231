import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Started, start } from '../helpers/server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WUHAN = JSON.parse(readFileSync(join(ROOT, 'scenarios/hubei-wuhan-2025.json'), 'utf8'));

const dir = mkdtempSync(join(tmpdir(), 'dcplan-sec-'));
let s: Started;
beforeAll(async () => {
  s = await start(join(dir, 'db.sqlite'));
});
afterAll(() => s.close());

/** One raw HTTP/1.1 exchange (what fetch and node:http will not send, e.g. two Host headers). */
function raw(base: string, text: string): Promise<{ status: number; head: string; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(u.port), u.hostname, () => sock.end(text));
    let got = '';
    sock.on('data', (d) => {
      got += d.toString();
    });
    sock.on('error', reject);
    sock.on('close', () => {
      const [head, body = ''] = got.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), head: head.toLowerCase(), body });
    });
  });
}

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
  it('a 421 carries the security headers', async () => {
    const r = await raw(
      s.base,
      'GET /api/health HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n',
    );
    expect(r.status).toBe(421);
    expect(r.head).toContain('x-content-type-options: nosniff');
    expect(r.head).toContain('content-security-policy:');
    expect(r.head).toContain('x-frame-options: deny');
  });
  it('two Host headers are a 400, whichever comes first', async () => {
    for (const hosts of ['127.0.0.1\r\nHost: attacker.example', 'attacker.example\r\nHost: 127.0.0.1']) {
      const r = await raw(s.base, `GET /api/health HTTP/1.1\r\nHost: ${hosts}\r\nConnection: close\r\n\r\n`);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body).detail).toBe('host: must be given once (got 2 Host headers)');
    }
  });
  it('a write from a page on another port (scheme, host and port compared) is refused', async () => {
    const port = new URL(s.base).port;
    const other = await call('POST', `${s.base}/runs/x/cancel`, undefined, { origin: 'http://127.0.0.1:1' });
    expect(other.status).toBe(403);
    const https = await call('POST', `${s.base}/runs/x/cancel`, undefined, {
      origin: `https://127.0.0.1:${port}`,
    });
    expect(https.status).toBe(403);
    // the server's own origin: the route answers (no such run)
    const own = await call('POST', `${s.base}/runs/x/cancel`, undefined, {
      origin: `http://127.0.0.1:${port}`,
    });
    expect(own.status).toBe(404);
  });
  it('a configured origin (a TLS proxy in front) may write', async () => {
    const t = await start(join(dir, 'origins.sqlite'), { allowedOrigins: ['https://dcplan.lan'] });
    try {
      const ok = await call('POST', `${t.base}/runs/x/cancel`, undefined, { origin: 'https://DCPLAN.lan' });
      expect(ok.status).toBe(404);
      const no = await call('POST', `${t.base}/runs/x/cancel`, undefined, {
        origin: 'https://dcplan.lan:8443',
      });
      expect(no.status).toBe(403);
    } finally {
      await t.close();
    }
  });
  it('If-None-Match: * is no 304 where no ETag is sent', async () => {
    const r = await call('GET', `${s.base}/clusters`, undefined, { 'if-none-match': '*' });
    expect(r.status).toBe(200);
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

describe('the token (issue 24, point 6)', () => {
  let t: Started;
  beforeAll(async () => {
    t = await start(join(dir, 'token.sqlite'), { token: 'sekret' });
  });
  afterAll(() => t.close());

  it('is checked before the body is read: a malformed or oversized body without it is a 401', async () => {
    const malformed = await call('POST', `${t.base}/scenarios`, '{"name": ');
    expect(malformed.status).toBe(401);
    const big = await call('POST', `${t.base}/scenarios`, { name: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(401);
    // with it, the body is read: 400 and 413
    const auth = { authorization: 'Bearer sekret' };
    expect((await call('POST', `${t.base}/scenarios`, '{"name": ', auth)).status).toBe(400);
    expect(
      (await call('POST', `${t.base}/scenarios`, { name: 'x'.repeat(2 * 1024 * 1024) }, auth)).status,
    ).toBe(413);
  });
  it('takes the Bearer scheme in any case; a wrong or missing token is a 401', async () => {
    for (const authorization of ['bearer sekret', 'BEARER sekret', 'Bearer  sekret']) {
      expect(
        (await call('POST', `${t.base}/runs/x/cancel`, undefined, { authorization })).status,
        authorization,
      ).toBe(404);
    }
    for (const authorization of ['Bearer sekret2', 'Basic sekret', 'sekret', 'Bearer', 'Bearer sekret x']) {
      expect(
        (await call('POST', `${t.base}/runs/x/cancel`, undefined, { authorization })).status,
        authorization,
      ).toBe(401);
    }
  });
});

describe('the page (issue 24, point 6)', () => {
  it('index.html is revalidated on every load; hashed assets are cached', async () => {
    const web = join(dir, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>dcplan</title>');
    writeFileSync(join(web, 'assets', 'main-abc123.js'), 'export {};');
    const t = await start(join(dir, 'web.sqlite'), { webDir: web });
    try {
      const root = t.base.replace(/\/api$/, '');
      for (const path of ['/', '/index.html', '/compare']) {
        const r = await fetch(`${root}${path}`);
        expect(r.status, path).toBe(200);
        expect(r.headers.get('cache-control'), path).toBe('no-cache');
        expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      }
      expect((await fetch(`${root}/assets/main-abc123.js`)).headers.get('cache-control')).toBe(
        'public, max-age=3600',
      );
    } finally {
      await t.close();
    }
  });
});

describe('clusters and scenarios (issue 10, points 9, 15, 18)', () => {
  it('a __proto__ key inside a year schedule is refused like any unknown key (issue 24, point 6)', async () => {
    const bad = structuredClone(WUHAN);
    bad.clusters[0].occupancy = JSON.parse('{"2025": 0.5, "__proto__": 0.9}');
    for (const [path, body] of [
      ['/runs', { scenario: bad }],
      ['/scenarios', bad],
    ] as const) {
      const r = await call('POST', `${s.base}${path}`, JSON.stringify(body));
      expect(r.status).toBe(400);
      expect(r.json.detail).toBe('scenario.clusters[0].occupancy.__proto__: unknown field');
    }
    expect((await call('GET', `${s.base}/runs`)).json.total).toBe(0);
  });
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

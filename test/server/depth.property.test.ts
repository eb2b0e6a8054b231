import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonTooDeep, MAX_JSON_DEPTH } from '../../server/json-depth.ts';
import { PROPERTY_RUNS, PROPERTY_SEED } from '../helpers/fuzz.ts';
import { validateResponse } from '../helpers/openapi.ts';
import { call, type Started, start } from '../helpers/server.ts';

/**
 * The nesting bound (issue 24, point 2): every JSON body, in every content encoding, is refused with a
 * 400 naming the bound when it nests deeper than MAX_JSON_DEPTH levels — before it is parsed, hashed or
 * walked (depth 10,000 was a 500: the stack overflowed in the content hash and the work-bound walk) —
 * and never answered with a 5xx at any depth.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WUHAN = JSON.parse(readFileSync(join(ROOT, 'scenarios/hubei-wuhan-2025.json'), 'utf8'));
const BODY_LIMIT = 1 << 20;

let s: Started;
beforeAll(async () => {
  s = await start(join(mkdtempSync(join(tmpdir(), 'dcplan-depth-')), 'depth.sqlite'));
});
afterAll(() => s.close());

type Encoding = 'identity' | 'gzip' | 'deflate' | 'br';
const encode = (text: string, e: Encoding): Buffer =>
  e === 'gzip'
    ? gzipSync(text)
    : e === 'deflate'
      ? deflateSync(text)
      : e === 'br'
        ? brotliCompressSync(text)
        : Buffer.from(text);

/** One raw request through node:http (any method may carry a body; the encoding is declared). */
function send(method: string, path: string, body: Buffer, encoding: Encoding) {
  return new Promise<{ status: number; text: string; headers: Headers }>((resolve, reject) => {
    const u = new URL(`${s.base}${path}`);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString(), headers });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `levels` of arrays and objects (`shape` picks each level), around `core`. */
function nested(levels: number, shape: (i: number) => 'array' | 'object', core: string): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < levels; i++) {
    if (shape(i) === 'array') {
      open.push('[');
      close.push(']');
    } else {
      open.push('{"k":');
      close.push('}');
    }
  }
  return `${open.join('')}${core}${close.reverse().join('')}`;
}

/** Where a nested value goes: the whole body, a scenario's `$comment`, a year schedule, a user cluster's field. */
const PLACES: Array<{ method: string; path: string; wrap: (v: string) => string; extra: number }> = [
  { method: 'POST', path: '/runs?wait=0', wrap: (v) => `{"scenario":${v}}`, extra: 1 },
  { method: 'POST', path: '/runs?wait=0', wrap: (v) => v, extra: 0 },
  {
    method: 'POST',
    path: '/scenarios',
    wrap: (v) => JSON.stringify({ ...WUHAN, $comment: 'X' }).replace('"X"', v),
    extra: 1,
  },
  {
    method: 'POST',
    path: '/runs?wait=0',
    // inside a cluster's occupancy, where a year schedule goes: scenario → clusters → [0] → occupancy
    wrap: (v) =>
      JSON.stringify({
        scenario: { ...WUHAN, clusters: [{ ...WUHAN.clusters[0], occupancy: 'X' }] },
      }).replace('"X"', v),
    extra: 4,
  },
  { method: 'PUT', path: '/scenarios/1', wrap: (v) => `{"scenario":${v},"baseVersion":1}`, extra: 1 },
  { method: 'POST', path: '/clusters', wrap: (v) => `{"id":"deep","references":${v}}`, extra: 1 },
  { method: 'PUT', path: '/clusters/deep', wrap: (v) => v, extra: 0 },
  { method: 'POST', path: '/runs/x/cancel', wrap: (v) => v, extra: 0 },
  { method: 'DELETE', path: '/runs/x', wrap: (v) => v, extra: 0 },
];

const stored = async () => ({
  runs: (await call('GET', `${s.base}/runs?limit=1`)).json.total,
  scenarios: (await call('GET', `${s.base}/scenarios`)).json.length,
  clusters: (await call('GET', `${s.base}/clusters`)).json.length,
});

describe('the nesting bound on request bodies (issue 24, point 2)', () => {
  it('counts levels of arrays and objects outside strings', () => {
    expect(jsonTooDeep(Buffer.from('{"a":[[1]]}'), 2)).toEqual({ depth: 3, offset: 6 });
    expect(jsonTooDeep(Buffer.from('{"a":"[[[[\\"[["}'), 2)).toBeNull();
    expect(jsonTooDeep(Buffer.from('[[],[],[[]]]'), 3)).toBeNull();
    expect(jsonTooDeep(Buffer.from('"\\\\"[[['), 2)).toEqual({ depth: 3, offset: 6 });
  });

  it('depth 10,000, plain and gzipped, is a 400 naming the bound, and nothing is stored', async () => {
    const before = await stored();
    for (const encoding of ['identity', 'gzip'] as const) {
      for (const [method, path, body] of [
        ['POST', '/runs', `{"scenario":${nested(10_000, () => 'array', '1')}}`],
        ['POST', '/scenarios', nested(10_000, (i) => (i % 2 ? 'array' : 'object'), '1')],
      ] as const) {
        const r = await send(method, path, encode(body, encoding), encoding);
        expect(r.status, `${method} ${path} ${encoding}`).toBe(400);
        expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        const p = JSON.parse(r.text);
        expect(p.detail).toMatch(new RegExp(`^body: must nest at most ${MAX_JSON_DEPTH} levels`));
        expect(p.errors[0]).toEqual({
          path: 'body',
          message: `must nest at most ${MAX_JSON_DEPTH} levels of arrays and objects`,
        });
        validateResponse(method, `${s.base}${path}`, { ...r, json: p });
      }
    }
    expect(await stored()).toEqual(before);
  });

  it(`${Math.ceil(PROPERTY_RUNS / 4)} nested bodies in every encoding: deeper than the bound → 400 naming it, never a 5xx`, {
    timeout: 60_000 + PROPERTY_RUNS * 200,
  }, async () => {
    const before = await stored();
    const accepted = { runs: 0, scenarios: 0, clusters: 0 };
    let refusedDeep = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          // around the bound, well past it, and as deep as the body limit allows
          levels: fc.oneof(
            fc.integer({ min: 0, max: MAX_JSON_DEPTH + 4 }),
            fc.integer({ min: MAX_JSON_DEPTH - 8, max: 2_000 }),
            fc.integer({ min: 2_000, max: 200_000 }),
          ),
          shapes: fc.array(fc.constantFrom<'array' | 'object'>('array', 'object'), {
            minLength: 1,
            maxLength: 5,
          }),
          core: fc.constantFrom('1', 'null', '"[[[{{{"', '{}', '[]', '"\\"]]"'),
          place: fc.nat({ max: PLACES.length - 1 }),
          encoding: fc.constantFrom<Encoding>('identity', 'gzip', 'deflate', 'br'),
        }),
        async ({ levels, shapes, core, place, encoding }) => {
          const at = PLACES[place];
          const text = at.wrap(nested(levels, (i) => shapes[i % shapes.length], core));
          const body = encode(text, encoding);
          const r = await send(at.method, at.path, body, encoding);
          expect(
            r.status,
            `${at.method} ${at.path} ${encoding} ${levels}: ${r.text.slice(0, 200)}`,
          ).toBeLessThan(500);
          const p = r.status >= 400 ? JSON.parse(r.text) : null;
          if (p) expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          const depth = levels + at.extra + (core === '{}' || core === '[]' ? 1 : 0);
          if (depth > MAX_JSON_DEPTH) {
            if (Buffer.byteLength(text) > BODY_LIMIT) expect(r.status).toBe(413);
            else {
              expect(r.status).toBe(400);
              expect(p.detail).toMatch(new RegExp(`^body: must nest at most ${MAX_JSON_DEPTH} levels`));
              refusedDeep++;
            }
          } else if (p) {
            expect(p.detail ?? '').not.toMatch(/must nest at most/);
          } else {
            const json = JSON.parse(r.text);
            if (at.path.startsWith('/runs?') && !json.cached) accepted.runs++;
            if (at.method === 'POST' && at.path === '/scenarios') accepted.scenarios++;
            if (at.method === 'POST' && at.path === '/clusters') accepted.clusters++;
          }
        },
      ),
      { numRuns: Math.ceil(PROPERTY_RUNS / 4), seed: PROPERTY_SEED },
    );
    expect(refusedDeep).toBeGreaterThan(0);
    // The database holds what the accepted (shallow) requests stored, and nothing from a refused one.
    expect(await stored()).toEqual({
      runs: before.runs + accepted.runs,
      scenarios: before.scenarios + accepted.scenarios,
      clusters: before.clusters + accepted.clusters,
    });
  });
});

import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { jsonTooDeep, MAX_JSON_DEPTH } from './json-depth.ts';
import { HttpProblem, notFound } from './problem.ts';

/** Host names always allowed: loopback. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'];

/** The host name of a `Host` header or an origin's authority, lower-case, without port or brackets. */
export function hostName(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith('[')) return a.slice(1, a.indexOf(']') < 0 ? undefined : a.indexOf(']'));
  const colon = a.lastIndexOf(':');
  return colon < 0 ? a : a.slice(0, colon);
}

/** The host names a server answers to: loopback and the configured ones. */
export const allowedHostSet = (extra: string[] = []) => new Set([...LOOPBACK_HOSTS, ...extra.map(hostName)]);

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * DNS rebinding: answer only to the given host names (a 421 for any other `Host`). A request with more
 * than one `Host` header is a 400 (RFC 9112 §3.2: Node keeps the first and drops the others, so the
 * one checked might not be the one a proxy in front routed by).
 */
export function hostCheck(hosts: Set<string>): RequestHandler {
  return (req, _res, next) => {
    let given = 0;
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      if (req.rawHeaders[i].toLowerCase() === 'host') given++;
    if (given > 1) {
      throw new HttpProblem(400, 'Invalid input', `host: must be given once (got ${given} Host headers)`, [
        { path: 'host', message: 'must be given once' },
      ]);
    }
    const host = hostName(req.headers.host ?? '');
    if (!hosts.has(host)) {
      throw new HttpProblem(
        421,
        'Misdirected request',
        `host: "${host.slice(0, 100)}" is not a host name of this server (add it to DCPLAN_ALLOWED_HOSTS)`,
        [{ path: 'host', message: 'is not a host name of this server' }],
      );
    }
    next();
  };
}

/**
 * Security headers (OWASP secure headers; a handful, so no dependency), CSP included. Scripts only
 * from the same origin; 'wasm-unsafe-eval' lets a page compile WebAssembly (HiGHS in the uncertainty
 * worker) without allowing JavaScript's eval.
 */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'",
    );
    next();
  };
}

/** An origin (`scheme://host[:port]`) in the form browsers send it: lower case, no default port. */
export function normalOrigin(origin: string): string | null {
  try {
    const u = new URL(origin);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/**
 * True when a browser says a write request comes from another origin than the page it was sent to:
 * a `Sec-Fetch-Site` other than same-origin or none, or an `Origin` that is neither this server's own
 * (`http://` and the `Host` the request was sent to: scheme, host and port) nor one of `origins`
 * (`DCPLAN_ALLOWED_ORIGINS`, e.g. the https:// origin of a proxy in front). `Origin: null` (opaque)
 * matches nothing. A page on another port of the same host is another origin.
 */
function crossSite(req: Request, origins: Set<string>): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.get('origin');
  if (origin === undefined) return false;
  const given = origin === 'null' ? null : normalOrigin(origin);
  if (given === null) return true;
  return given !== normalOrigin(`http://${req.headers.host ?? ''}`) && !origins.has(given);
}

/** The cross-site origins allowed to write besides the server's own (normalised; bad entries throw). */
export function allowedOriginSet(origins: string[] = []): Set<string> {
  return new Set(
    origins.map((o) => {
      const n = /^https?:\/\/[^/?#@]+\/?$/i.test(o.trim()) ? normalOrigin(o.trim()) : null;
      if (n === null)
        throw new Error(`DCPLAN_ALLOWED_ORIGINS: "${o}" is not an origin (scheme://host[:port])`);
      return n;
    }),
  );
}

/**
 * express.json's `verify` hook: the decoded body (after gzip, deflate or br) nests at most
 * `MAX_JSON_DEPTH` levels, checked before it is parsed (a 400 naming the bound otherwise).
 */
function depthBound(_req: Request, _res: Response, body: Buffer): void {
  const deep = jsonTooDeep(body);
  if (deep) {
    const message = `must nest at most ${MAX_JSON_DEPTH} levels of arrays and objects`;
    throw new HttpProblem(
      400,
      'Invalid input',
      `body: ${message} (level ${deep.depth} opens at byte ${deep.offset})`,
      [{ path: 'body', message }],
    );
  }
}

/**
 * What the API checks of every request before anything reads its body: no cross-site writes (a form
 * or a body-less fetch from another origin, e.g. POST …/cancel: 403), bodies only as JSON (415) — a
 * meter file for POST /api/checks also as text/csv.
 */
export function requestGuard(origins: Set<string>): RequestHandler {
  return (req, _res, next) => {
    if (WRITE.has(req.method) && crossSite(req, origins)) {
      throw new HttpProblem(403, 'Forbidden', 'origin: cross-site write requests are refused', [
        { path: 'origin', message: 'cross-site write requests are refused' },
      ]);
    }
    const len = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
    const typed = req.headers['content-type'] !== undefined;
    // A meter file may come as CSV (POST /api/checks); every other body is JSON.
    const csvOk =
      req.method === 'POST' && /^\/checks\/?$/.test(req.path) && req.is('text/csv') === 'text/csv';
    if ((hasBody || (typed && WRITE.has(req.method))) && !csvOk && !req.is(JSON_TYPES)) {
      throw new HttpProblem(415, 'Unsupported media type', 'content-type: must be application/json', [
        { path: 'content-type', message: 'must be application/json' },
      ]);
    }
    next();
  };
}

/**
 * The body, read and parsed (after `requestGuard` and the token): at most `bodyLimitBytes` of JSON
 * (413, from express.json) nesting at most `MAX_JSON_DEPTH` levels (400, before it is parsed).
 */
export function jsonBody(bodyLimitBytes: number): RequestHandler {
  return express.json({ limit: bodyLimitBytes, type: JSON_TYPES, verify: depthBound });
}

/** SHA-256 of a string: equal-length digests to compare in constant time whatever the lengths given. */
const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Write requests need `Authorization: Bearer <token>` (the scheme in any case, RFC 9110 §11.1; the
 * token compared in constant time); reads stay open. It runs before the body is read.
 */
export function bearerToken(token: string): RequestHandler {
  const want = digest(token);
  return (req, _res, next) => {
    if (!WRITE.has(req.method)) return next();
    const m = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '');
    if (!m || !timingSafeEqual(digest(m[1]), want)) {
      throw new HttpProblem(
        401,
        'Unauthorized',
        'authorization: write requests need "Authorization: Bearer <token>"',
      );
    }
    next();
  };
}

/**
 * Conditional GETs on the API: a request is fresh (Express answers 304) only when the response has an
 * `ETag` that `If-None-Match` names (or `*`). Express's own rule also calls a response without any
 * validator fresh for `If-None-Match: *`, a 304 from operations that never send one.
 */
export function conditionalGets(): RequestHandler {
  return (req, res, next) => {
    Object.defineProperty(req, 'fresh', {
      configurable: true,
      get() {
        const etag = res.get('ETag');
        const inm = req.get('if-none-match');
        if (!etag || !inm || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
        if (res.statusCode < 200 || (res.statusCode >= 300 && res.statusCode !== 304)) return false;
        return inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
      },
    });
    next();
  };
}

/** A path template of the OpenAPI document (`/api/runs/{id}`) as a regular expression. */
const templateRegex = (t: string) =>
  new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/]+?\}/g, '[^/]+')}$`);

/**
 * The API's last handler: a known path with a method it does not have is a 405 with `Allow` (the
 * OpenAPI document's `paths` list them), anything else a 404.
 */
export function unknownRoute(paths: Record<string, object>): RequestHandler {
  const routes = Object.entries(paths).map(([t, ops]) => ({
    re: templateRegex(t),
    allow: Object.keys(ops)
      .filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k))
      .map((k) => k.toUpperCase()),
  }));
  return (req, res) => {
    const path = `${req.baseUrl}${req.path}`;
    const known = routes.find((r) => r.re.test(path));
    if (known) {
      const allow = known.allow.includes('GET') ? [...known.allow, 'HEAD'] : known.allow;
      res.setHeader('Allow', allow.join(', '));
      throw new HttpProblem(405, 'Method not allowed', `method: ${path} allows ${allow.join(', ')}`, [
        { path: 'method', message: `must be one of ${allow.join(', ')}` },
      ]);
    }
    throw notFound(`no route ${req.method} ${path}`);
  };
}

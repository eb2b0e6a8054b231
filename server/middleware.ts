import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
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

/** DNS rebinding: answer only to the given host names (a 421 for any other `Host`). */
export function hostCheck(hosts: Set<string>): RequestHandler {
  return (req, _res, next) => {
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

/** Security headers (OWASP secure headers; a handful, so no dependency), CSP included. */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
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
  };
}

/** True when a browser says a write request comes from another site than this server (`hosts`). */
function crossSite(req: Request, hosts: Set<string>): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.get('origin');
  if (origin === undefined) return false;
  let originHost = ''; // an opaque ('null') or unreadable origin matches no host name
  try {
    if (origin !== 'null') originHost = hostName(new URL(origin).host);
  } catch {}
  return !hosts.has(originHost);
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
 * What the API accepts before any route: no cross-site writes (a form or a body-less fetch from
 * another site, e.g. POST …/cancel: 403), bodies only as JSON (415), at most `bodyLimitBytes` of it
 * (413, from express.json) nesting at most `MAX_JSON_DEPTH` levels (400, before it is parsed), parsed.
 */
export function jsonOnly(hosts: Set<string>, bodyLimitBytes: number): RequestHandler[] {
  const guard = (req: Request, _res: Response, next: NextFunction) => {
    if (WRITE.has(req.method) && crossSite(req, hosts)) {
      throw new HttpProblem(403, 'Forbidden', 'origin: cross-site write requests are refused', [
        { path: 'origin', message: 'cross-site write requests are refused' },
      ]);
    }
    const len = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
    const typed = req.headers['content-type'] !== undefined;
    if ((hasBody || (typed && WRITE.has(req.method))) && !req.is(JSON_TYPES)) {
      throw new HttpProblem(415, 'Unsupported media type', 'content-type: must be application/json', [
        { path: 'content-type', message: 'must be application/json' },
      ]);
    }
    next();
  };
  return [guard, express.json({ limit: bodyLimitBytes, type: JSON_TYPES, verify: depthBound })];
}

/** Write requests need `Authorization: Bearer <token>` (compared in constant time); reads stay open. */
export function bearerToken(token: string): RequestHandler {
  const want = Buffer.from(`Bearer ${token}`);
  return (req, _res, next) => {
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

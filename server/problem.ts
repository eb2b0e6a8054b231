import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { formatPath, jsonErrorAt, ruleOf, type ValidationError, valueAt } from '../models/scenario.ts';

/**
 * RFC 9457 problem details. Every error the API returns is `application/problem+json` with a title,
 * the status, a one-line detail and — for invalid input — the field errors (`path` and rule).
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: Array<{ path: string; message: string }>,
    /** Extra response headers (e.g. `Retry-After` on a 503). */
    readonly headers?: Record<string, string>,
    /** Extension members of the problem (RFC 9457 §3.2), e.g. `goneAt` and `reason` of a 410. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
  }
}

const TYPES: Record<number, string> = {
  400: 'invalid-input',
  401: 'unauthorized',
  403: 'read-only',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  410: 'gone',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  421: 'misdirected-request',
  428: 'precondition-required',
  500: 'internal-error',
  503: 'busy',
  507: 'insufficient-storage',
};

/** Send a problem as `application/problem+json` with its status. */
export function sendProblem(res: Response, p: HttpProblem): void {
  for (const [k, v] of Object.entries(p.headers ?? {})) res.setHeader(k, v);
  res
    .status(p.status)
    .type('application/problem+json')
    .json({
      type: `https://dcplan.dev/problems/${TYPES[p.status] ?? 'error'}`,
      title: p.title,
      status: p.status,
      detail: p.message,
      ...(p.errors ? { errors: p.errors } : {}),
      ...p.extensions,
    });
}

/** 400 with field errors (by default one, parsed from a `path: rule` detail). */
export const badRequest = (detail: string, errors?: Array<{ path: string; message: string }>) =>
  new HttpProblem(
    400,
    'Invalid input',
    detail,
    errors ?? [{ path: detail.split(': ')[0], message: detail.split(': ').slice(1).join(': ') }],
  );

/**
 * A 400 problem from zod issues: every issue as `{ path, message }` (`cluster.pue.value`,
 * `is required`, `unknown field "x"`), the first one as the detail line.
 *
 * @example
 * zodProblem(z.object({ id: z.string() }).safeParse({}).error!, {}, 'query').message // 'query.id: is required'
 */
export function zodProblem(e: z.ZodError, input: unknown, prefix = ''): HttpProblem {
  const errors = e.issues.map((i) => {
    const path = formatPath(i.path, prefix) || prefix || 'body';
    if (i.code === 'unrecognized_keys')
      return { path, message: `unknown field ${i.keys.map((k) => `"${k}"`).join(', ')}` };
    const value = valueAt(input, i.path);
    if (i.code === 'invalid_type' && value === undefined) return { path, message: 'is required' };
    return { path, message: ruleOf(i, value) };
  });
  return badRequest(`${errors[0].path}: ${errors[0].message}`, errors);
}

/**
 * Parse request input with a zod schema; a 400 problem naming every bad field otherwise.
 *
 * @example
 * parseInput(z.object({ n: z.number() }), { n: 1 }) // { n: 1 }
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw zodProblem(r.error, input, prefix);
  return r.data;
}

/**
 * A 400 problem from a scenario `ValidationError`, its paths under `prefix`.
 *
 * @example
 * validationProblem(new ValidationError([{ path: 'years', message: 'must be ≥ 1' }])).message
 * // 'scenario.years: must be ≥ 1'
 */
export function validationProblem(e: ValidationError, prefix = 'scenario'): HttpProblem {
  const errors = e.errors.map((x) => ({ path: x.path ? `${prefix}.${x.path}` : prefix, message: x.message }));
  return badRequest(`${errors[0].path}: ${errors[0].message}`, errors);
}

/** 404: an unknown id or route. */
export const notFound = (detail: string) => new HttpProblem(404, 'Not found', detail);
/** 409: a stale version, or an action the resource's state does not allow. */
export const conflict = (detail: string) => new HttpProblem(409, 'Conflict', detail);

/** 410: a run that was deleted or evicted; `extensions` say when (`goneAt`) and why (`reason`). */
export const gone = (detail: string, extensions: { goneAt: string; reason: string }) =>
  new HttpProblem(410, 'Gone', detail, undefined, undefined, extensions);

/** 503 with `Retry-After` (whole seconds): a bounded queue is full. */
export const busy = (detail: string, retryAfterS: number) =>
  new HttpProblem(503, 'Busy', detail, undefined, {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterS))),
  });

/** Map any thrown error to a problem; unknown errors become a 500 without details. */
function toProblem(err: unknown, log: (msg: string) => void): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const e = err as { type?: string; status?: number; limit?: number; message?: string };
  if (e?.type === 'entity.too.large') {
    return new HttpProblem(413, 'Payload too large', `request body over the ${e.limit} byte limit`);
  }
  if (e?.type === 'entity.parse.failed') {
    // where the body stops parsing, by line and column (issue 23)
    const at =
      typeof (e as { body?: unknown }).body === 'string'
        ? jsonErrorAt((e as { body: string }).body, e as Error)
        : null;
    const message = at ? `malformed JSON at line ${at.line}, column ${at.column}` : 'malformed JSON';
    return new HttpProblem(400, 'Invalid input', `body: ${message}`, [{ path: 'body', message }]);
  }
  if (e?.type === 'encoding.unsupported') {
    return new HttpProblem(
      415,
      'Unsupported media type',
      'content-encoding: must be identity, gzip, deflate or br',
      [{ path: 'content-encoding', message: 'must be identity, gzip, deflate or br' }],
    );
  }
  if (e?.type === 'charset.unsupported') {
    return new HttpProblem(415, 'Unsupported media type', 'content-type: the charset must be utf-8', [
      { path: 'content-type', message: 'the charset must be utf-8' },
    ]);
  }
  if (err instanceof URIError || /^Failed to decode param/.test(e?.message ?? '')) {
    return new HttpProblem(400, 'Invalid input', 'path: malformed percent-encoding', [
      { path: 'path', message: 'malformed percent-encoding' },
    ]);
  }
  if (e?.status && e.status >= 400 && e.status < 500) {
    // Other request-reading failures (a corrupt gzip body, a length that does not match, an aborted
    // upload): a fixed wording, never the library's text.
    const message = e.status === 400 ? 'could not be read (corrupt encoding or length)' : 'was refused';
    return new HttpProblem(e.status, e.status === 400 ? 'Invalid input' : 'Bad request', `body: ${message}`, [
      { path: 'body', message },
    ]);
  }
  log(`internal error: ${(err as Error)?.stack ?? String(err)}`);
  return new HttpProblem(500, 'Internal error', 'the server failed; see its log');
}

/**
 * The last middleware: problem+json for everything, never a stack trace. A request refused before its
 * body was read (a wrong token, a bad media type) closes its connection after the answer: what is left
 * of the body is read and dropped (Node's http server does that), never parsed, and no further
 * request is taken on that connection.
 */
export function errorHandler(log: (msg: string) => void) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (!req.complete) res.setHeader('Connection', 'close');
    sendProblem(res, toProblem(err, log));
  };
}

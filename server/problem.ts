import type { NextFunction, Request, Response } from 'express';

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
  ) {
    super(detail);
  }
}

const TYPES: Record<number, string> = {
  400: 'invalid-input',
  401: 'unauthorized',
  403: 'read-only',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  500: 'internal-error',
};

export function sendProblem(res: Response, p: HttpProblem): void {
  res
    .status(p.status)
    .type('application/problem+json')
    .json({
      type: `https://dcplan.dev/problems/${TYPES[p.status] ?? 'error'}`,
      title: p.title,
      status: p.status,
      detail: p.message,
      ...(p.errors ? { errors: p.errors } : {}),
    });
}

export const badRequest = (detail: string, errors?: Array<{ path: string; message: string }>) =>
  new HttpProblem(
    400,
    'Invalid input',
    detail,
    errors ?? [{ path: detail.split(': ')[0], message: detail.split(': ').slice(1).join(': ') }],
  );
export const notFound = (detail: string) => new HttpProblem(404, 'Not found', detail);
export const conflict = (detail: string) => new HttpProblem(409, 'Conflict', detail);

/** Map any thrown error to a problem; unknown errors become a 500 without details. */
function toProblem(err: unknown, log: (msg: string) => void): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const e = err as { type?: string; status?: number; limit?: number; message?: string };
  if (e?.type === 'entity.too.large') {
    return new HttpProblem(413, 'Payload too large', `request body over the ${e.limit} byte limit`);
  }
  if (e?.type === 'entity.parse.failed') {
    return new HttpProblem(400, 'Invalid input', 'body: malformed JSON', [
      { path: 'body', message: 'malformed JSON' },
    ]);
  }
  if (e?.status && e.status >= 400 && e.status < 500)
    return new HttpProblem(e.status, 'Bad request', e.message ?? 'bad request');
  log(`internal error: ${(err as Error)?.stack ?? String(err)}`);
  return new HttpProblem(500, 'Internal error', 'the server failed; see its log');
}

/** The last middleware: problem+json for everything, never a stack trace. */
export function errorHandler(log: (msg: string) => void) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    sendProblem(res, toProblem(err, log));
  };
}

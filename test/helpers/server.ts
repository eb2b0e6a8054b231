import { type ChildProcess, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type AppDeps, createApp, keepIdleConnections } from '../../server/app.ts';
import { openDatabase } from '../../server/db/database.ts';
import { validateResponse } from './openapi.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A real app on 127.0.0.1, port 0, over a SQLite file. */
export interface Started {
  base: string;
  file: string;
  close: () => Promise<void>;
}

/** Start the app on a SQLite file (created, migrated and seeded): one run worker and no log unless told. */
export async function start(file: string, opts: Omit<Partial<AppDeps>, 'db'> = {}): Promise<Started> {
  const db = openDatabase(file);
  const { app, close } = createApp({ workers: 1, log: () => {}, ...opts, db });
  const server = app.listen(0, '127.0.0.1');
  keepIdleConnections(server); // as dcplan serve does: no ECONNRESET from a connection closed while reused
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/api`,
    file,
    close: async () => {
      server.close();
      server.closeAllConnections();
      await close();
      db.close();
    },
  };
}

/** `dcplan serve` in a child process (port 0): its API base once it says where it serves. */
export interface Served {
  child: ChildProcess;
  base: string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Start `dcplan serve` on a database file with extra environment, and wait until it serves. */
export async function serve(file: string, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [`${ROOT}bin/dcplan.js`, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DCPLAN_DB: file, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const base = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving (http:\/\/[\d.]+:\d+)/.exec(err);
      if (m) resolve(`${m[1]}/api`);
    });
    void exited.then((code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
  return { child, base, exited };
}

export interface Reply {
  status: number;
  /** The content type (empty when none). */
  type: string;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON of any shape
  json: any;
  text: string;
}

/**
 * One HTTP call (a string body is sent as it is, anything else as JSON); the response is checked
 * against the OpenAPI document (status declared, body matching its schema) unless `check: false`.
 */
export async function call(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  check = true,
): Promise<Reply> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON of any shape
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {}
  const reply = {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    headers: res.headers,
    json,
    text,
  };
  if (check) validateResponse(method, url, reply);
  return reply;
}

/** Poll until `done` holds for the value of `get` (no time limit but the test's). */
export async function until<T>(get: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await get();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ENDED = new Set(['done', 'failed', 'cancelled']);

/**
 * POST a run and poll it until it ends, however long the machine takes: `post` is the POST's answer
 * (201/200 when it finished within its wait, 202 otherwise), `json` the run as finally read back.
 */
export async function finished(base: string, body: unknown) {
  const post = await call('POST', `${base}/runs?wait=2000`, body);
  if (post.status >= 400) throw new Error(`POST /runs: ${post.status} ${post.text}`);
  const end = await until(
    () => call('GET', `${base}/runs/${post.json.id}`),
    (x) => ENDED.has(x.json.status),
  );
  return { post, status: end.status, json: end.json };
}

import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.ts';
import { openDatabase } from '../../server/db/database.ts';
import { validateResponse } from './openapi.ts';

/** A real app on 127.0.0.1, port 0, over a SQLite file. */
export interface Started {
  base: string;
  file: string;
  close: () => Promise<void>;
}

export async function start(file: string, opts: { allowedHosts?: string[] } = {}): Promise<Started> {
  const db = openDatabase(file);
  const { app, close } = createApp({ db, workers: 1, log: () => {}, allowedHosts: opts.allowedHosts });
  const server = app.listen(0, '127.0.0.1');
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

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON of any shape
  json: any;
  text: string;
}

/**
 * One HTTP call; the response is checked against the OpenAPI document (status declared, body matching
 * its schema) unless `check: false`.
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
  const reply = { status: res.status, headers: res.headers, json, text };
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

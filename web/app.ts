import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import type { ClusterSeed } from '../seeds/schema.ts';
import type { Engine } from './engine-client.ts';

/** The bundled scenario files, by file stem (`east-west-compare`). */
export const BUNDLED: Record<string, Record<string, unknown>> = Object.fromEntries(
  Object.entries(
    import.meta.glob('../scenarios/*.json', { eager: true, import: 'default' }) as Record<
      string,
      Record<string, unknown>
    >,
  ).map(([p, s]) => [p.replace(/^.*\/(.*)\.json$/, '$1'), s]),
);

/** Where the scenario on screen came from: a bundled file, a saved scenario version, or an edit. */
export type Origin =
  | { kind: 'bundled'; stem: string }
  | { kind: 'saved'; id: number; version: number; name: string };

/** A cluster as the API lists it (seed shape plus `seeded`). */
export type ApiCluster = ClusterSeed & { seeded: boolean };

/** State shared by the views; views read and write it and call `app.update()`. */
export interface App {
  engine: Engine;
  scenario: Record<string, unknown>;
  origin: Origin;
  edited: boolean;
  /** Focus: cluster index and year of the hourly charts; editor target (-1 = shared defaults). */
  clusterIndex: number;
  year: number | null;
  editTarget: number;
  clusters: ApiCluster[];
  apiError: string | null;
  /**
   * The shown view's lifetime: aborted when another view replaces it. A view registers whatever
   * outlives its own elements (window and document listeners, timers) with this signal, so leaving
   * it removes them.
   */
  viewSignal: AbortSignal;
  navigate(path: string, params?: Record<string, string | number | null>): void;
  /** Write the current state into the URL (replaceState), so a link reproduces the view. */
  syncUrl(extra?: Record<string, string | number | null>): void;
  /**
   * `syncUrl` a moment later, once edits pause (compressing the scenario into the URL costs a few
   * ms: an edit's simulation goes first).
   */
  syncUrlSoon(): void;
  /** The week of the focus year the dispatch chart shows (0–51), or null for the peak week. */
  dispatchWeek: number | null;
}

/** Deep copy of a scenario object. */
export const clone = <T>(x: T): T => structuredClone(x);

/** Read a scenario from URL parameters: `x` (compressed edit), `id`+`v` (saved), `s` (bundled). */
export async function scenarioFromUrl(
  params: URLSearchParams,
): Promise<{ scenario: Record<string, unknown>; origin: Origin; edited: boolean } | null> {
  const x = params.get('x');
  const base = await originFromUrl(params);
  if (x) {
    const text = decompressFromEncodedURIComponent(x);
    if (text) {
      try {
        return {
          scenario: JSON.parse(text),
          origin: base?.origin ?? { kind: 'bundled', stem: '' },
          edited: true,
        };
      } catch {
        // fall through to the base scenario
      }
    }
  }
  return base ? { ...base, edited: false } : null;
}

async function originFromUrl(params: URLSearchParams) {
  const id = Number(params.get('id'));
  if (id > 0) {
    const v = Number(params.get('v')) || undefined;
    const saved = await api<{ id: number; name: string; version: number; scenario: Record<string, unknown> }>(
      `/api/scenarios/${id}${v ? `?version=${v}` : ''}`,
    ).catch(() => null);
    if (saved) {
      return {
        scenario: saved.scenario,
        origin: { kind: 'saved', id: saved.id, version: saved.version, name: saved.name } as Origin,
      };
    }
  }
  const s = params.get('s');
  if (s && BUNDLED[s]) return { scenario: clone(BUNDLED[s]), origin: { kind: 'bundled', stem: s } as Origin };
  return null;
}

/** URL parameters that reproduce the scenario on screen. */
export function scenarioParams(app: App): Record<string, string | number | null> {
  const p: Record<string, string | number | null> = { s: null, id: null, v: null, x: null };
  if (app.origin.kind === 'bundled' && app.origin.stem) p.s = app.origin.stem;
  if (app.origin.kind === 'saved') {
    p.id = app.origin.id;
    p.v = app.origin.version;
  }
  if (app.edited) p.x = compressToEncodedURIComponent(JSON.stringify(app.scenario));
  return p;
}

/** A problem+json error from the API, with its field errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: { errors?: Array<{ path: string; message: string }>; detail?: string } = {},
  ) {
    super(message);
  }
}

/** Fetch JSON from the API; throws `ApiError` with the problem's detail. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: {
      Accept: 'application/json',
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...init.headers,
    },
  });
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (!res.ok)
    throw new ApiError(res.status, body?.detail ?? body?.title ?? `HTTP ${res.status}`, body ?? {});
  return body as T;
}

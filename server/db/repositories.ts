import { compareClusters } from '../../models/compare.ts';
import type { AnnualRow, ClusterResult, RunResult } from '../../models/result.ts';
import type { ClusterSeed } from '../../seeds/schema.ts';
import { type CompareInput, compareInput } from '../compare-rows.ts';
import type { Db } from './database.ts';

/**
 * Repositories: the only place with SQL, all as prepared statements. Each returns plain objects; JSON
 * documents are parsed here.
 */

const now = () => new Date().toISOString();

/** The `meta` table and a liveness probe. */
export function metaRepo(db: Db) {
  const ping = db.prepare('SELECT 1 AS ok');
  const get = db.prepare('SELECT value FROM meta WHERE key = ?');
  return {
    /** True when the database answers a query. */
    ping: (): boolean => (ping.get() as { ok: number } | undefined)?.ok === 1,
    /** Hash of the seed bundle loaded at start-up (part of every run's content hash). */
    seedHash: (): string => (get.get('seed_hash') as { value: string }).value,
  };
}

/** A cluster as stored: its seed-shaped document and whether it is seeded (read-only). */
export interface ClusterRow {
  id: string;
  seeded: boolean;
  cluster: ClusterSeed;
  createdAt: string;
  updatedAt: string;
}

/** Seeded and user-added clusters. */
export function clustersRepo(db: Db) {
  const list = db.prepare(
    'SELECT id, seeded, doc, created_at, updated_at FROM clusters ORDER BY seeded DESC, id',
  );
  const get = db.prepare('SELECT id, seeded, doc, created_at, updated_at FROM clusters WHERE id = ?');
  const insert = db.prepare(
    'INSERT INTO clusters (id, seeded, doc, created_at, updated_at) VALUES (?, 0, ?, ?, ?)',
  );
  const update = db.prepare('UPDATE clusters SET doc = ?, updated_at = ? WHERE id = ? AND seeded = 0');
  const userDocs = db.prepare('SELECT doc FROM clusters WHERE seeded = 0 ORDER BY id');
  const remove = db.prepare('DELETE FROM clusters WHERE id = ? AND seeded = 0');
  // Saved scenarios (not deleted) whose latest version names the cluster.
  const usedBy = db.prepare(
    `SELECT DISTINCT s.id FROM scenarios s
       JOIN scenario_versions v ON v.scenario_id = s.id AND v.version = s.latest_version,
       json_each(v.doc, '$.clusters') c
     WHERE s.deleted_at IS NULL AND json_valid(v.doc) AND json_extract(c.value, '$.cluster') = ?
     ORDER BY s.id`,
  );
  type Raw = { id: string; seeded: number; doc: string; created_at: string; updated_at: string };
  const row = (r: Raw): ClusterRow => ({
    id: r.id,
    seeded: r.seeded === 1,
    cluster: JSON.parse(r.doc),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  return {
    list: (): ClusterRow[] => (list.all() as Raw[]).map(row),
    get: (id: string): ClusterRow | undefined => {
      const r = get.get(id) as Raw | undefined;
      return r ? row(r) : undefined;
    },
    insert: (c: ClusterSeed): void => {
      const t = now();
      insert.run(c.id, JSON.stringify(c), t, t);
    },
    update: (c: ClusterSeed): boolean => update.run(JSON.stringify(c), now(), c.id).changes === 1,
    userClusters: (): ClusterSeed[] =>
      (userDocs.all() as Array<{ doc: string }>).map((r) => JSON.parse(r.doc)),
    /** Delete a user cluster; false when there is none of that id (seeded ones are never deleted). */
    delete: (id: string): boolean => remove.run(id).changes === 1,
    /** Ids of the saved scenarios whose latest version uses the cluster. */
    usedBy: (id: string): number[] => (usedBy.all(id) as Array<{ id: number }>).map((r) => r.id),
  };
}

/** Read-only seeded documents (tariff calendars, targets, climate statistics) by id. */
export function docsRepo(db: Db, table: 'tariffs' | 'targets' | 'climate_stats') {
  const list = db.prepare(`SELECT doc FROM ${table} ORDER BY id`);
  return { list: (): unknown[] => (list.all() as Array<{ doc: string }>).map((r) => JSON.parse(r.doc)) };
}

/** A saved scenario's head: name and latest version. */
export interface ScenarioSummary {
  id: number;
  name: string;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

/** One version of a saved scenario, with its document. */
export interface ScenarioVersion extends ScenarioSummary {
  version: number;
  scenario: unknown;
  versionCreatedAt: string;
}

/** Saved scenarios with version history (soft delete; versions are never changed). */
export function scenariosRepo(db: Db) {
  const insertScenario = db.prepare(
    'INSERT INTO scenarios (name, latest_version, created_at, updated_at) VALUES (?, 1, ?, ?)',
  );
  const insertVersion = db.prepare(
    'INSERT INTO scenario_versions (scenario_id, version, doc, created_at) VALUES (?, ?, ?, ?)',
  );
  const list = db.prepare(
    `SELECT id, name, latest_version, created_at, updated_at FROM scenarios WHERE deleted_at IS NULL ORDER BY id`,
  );
  const head = db.prepare(
    `SELECT id, name, latest_version, created_at, updated_at FROM scenarios WHERE id = ? AND deleted_at IS NULL`,
  );
  const version = db.prepare(
    'SELECT version, doc, created_at FROM scenario_versions WHERE scenario_id = ? AND version = ?',
  );
  const versions = db.prepare(
    'SELECT version, created_at FROM scenario_versions WHERE scenario_id = ? ORDER BY version',
  );
  const bump = db.prepare(
    'UPDATE scenarios SET latest_version = ?, name = ?, updated_at = ? WHERE id = ? AND latest_version = ?',
  );
  const softDelete = db.prepare('UPDATE scenarios SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL');
  type Head = { id: number; name: string; latest_version: number; created_at: string; updated_at: string };
  const summary = (h: Head): ScenarioSummary => ({
    id: h.id,
    name: h.name,
    latestVersion: h.latest_version,
    createdAt: h.created_at,
    updatedAt: h.updated_at,
  });
  return {
    create: db.transaction((name: string, doc: unknown): ScenarioSummary => {
      const t = now();
      const id = Number(insertScenario.run(name, t, t).lastInsertRowid);
      insertVersion.run(id, 1, JSON.stringify(doc), t);
      return { id, name, latestVersion: 1, createdAt: t, updatedAt: t };
    }),
    list: (): ScenarioSummary[] => (list.all() as Head[]).map(summary),
    get: (id: number, v?: number): ScenarioVersion | undefined => {
      const h = head.get(id) as Head | undefined;
      if (!h) return undefined;
      const r = version.get(id, v ?? h.latest_version) as
        | { version: number; doc: string; created_at: string }
        | undefined;
      if (!r) return undefined;
      return {
        ...summary(h),
        version: r.version,
        scenario: JSON.parse(r.doc),
        versionCreatedAt: r.created_at,
      };
    },
    versions: (id: number) => versions.all(id) as Array<{ version: number; created_at: string }>,
    /** A new version on top of `baseVersion`; returns null when someone saved in between (→ 409). */
    addVersion: db.transaction(
      (id: number, baseVersion: number, name: string, doc: unknown): ScenarioSummary | null => {
        const t = now();
        const next = baseVersion + 1;
        if (bump.run(next, name, t, id, baseVersion).changes !== 1) return null;
        insertVersion.run(id, next, JSON.stringify(doc), t);
        const h = head.get(id) as Head;
        return summary(h);
      },
    ),
    delete: (id: number): boolean => softDelete.run(now(), id).changes === 1,
  };
}

/** A run's life: queued → running → done | failed | cancelled. */
export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** A run as stored (without its result). `scenario` and `userClusters` are parsed on first read. */
export interface RunRow {
  id: string;
  inputsHash: string;
  scenarioId: number | null;
  scenarioVersion: number | null;
  readonly scenario: unknown;
  /** The user-added clusters the scenario referenced, as they were when the run was made. */
  readonly userClusters: ClusterSeed[];
  engineVersion: string;
  /** Hash of the seed bundle the run used (null for runs made before it was recorded). */
  seedHash: string | null;
  status: RunStatus;
  progress: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Time waiting for a worker (ms); null until a worker takes the run. */
  queueMs: number | null;
  /** Compute time in the worker (ms; for runs stored before schema 3 it includes the queue time). */
  durationMs: number | null;
}

/** A finished run as the worker serialised it (see `RunOutput` in server/jobs/worker.ts). */
export interface StoredResult {
  head: string;
  /** UTF-8 JSON bytes (stored as BLOBs and read back without decoding). */
  resultJson: Uint8Array;
  summaryJson: Uint8Array;
  compareJson: string;
  clusters: Array<{ clusterId: string; annual: Array<{ year: number; doc: string }> }>;
}

/** Runs and their results; a result is written in one transaction (`writeResult`). */
export function runsRepo(db: Db, faults: { afterFirstCluster?: () => void } = {}) {
  const insert = db.prepare(
    `INSERT INTO runs (id, inputs_hash, scenario_id, scenario_version, scenario_doc, user_clusters, engine_version,
       seed_hash, status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)`,
  );
  const get = db.prepare(
    `SELECT id, inputs_hash, scenario_id, scenario_version, scenario_doc, user_clusters, engine_version,
       seed_hash, status, progress, error, created_at, started_at, finished_at, queue_ms, duration_ms
     FROM runs WHERE id = ?`,
  );
  // A finished run first, else one still in flight (queued or running).
  const byHash = db.prepare(
    `SELECT id FROM runs WHERE inputs_hash = ? AND status IN ('done', 'running', 'queued')
     ORDER BY status = 'done' DESC, created_at LIMIT 1`,
  );
  const setStatus = db.prepare(
    `UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ? AND status IN ('queued', 'running')`,
  );
  const setRunning = db.prepare(
    `UPDATE runs SET status = 'running', started_at = ?, queue_ms = ? WHERE id = ? AND status = 'queued'`,
  );
  const setProgress = db.prepare(`UPDATE runs SET progress = ? WHERE id = ? AND status = 'running'`);
  const setDone = db.prepare(
    `UPDATE runs SET status = 'done', progress = 1, finished_at = ?, duration_ms = ?, result_head = ?,
       result_json = ?, summary_json = ?, compare_json = ?, stored_bytes = ?
     WHERE id = ? AND status = 'running'`,
  );
  const head = db.prepare('SELECT result_head FROM runs WHERE id = ?');
  const storedFull = db.prepare('SELECT result_json AS text FROM runs WHERE id = ?');
  const storedSummary = db.prepare('SELECT summary_json AS text FROM runs WHERE id = ?');
  const storedCompare = db.prepare('SELECT compare_json AS text FROM runs WHERE id = ?');
  const insertResult = db.prepare(
    'INSERT INTO results (run_id, cluster_index, cluster_id, doc) VALUES (?, ?, ?, ?)',
  );
  const insertAnnual = db.prepare(
    'INSERT INTO annual_rows (run_id, cluster_index, year, doc) VALUES (?, ?, ?, ?)',
  );
  const results = db.prepare(
    'SELECT cluster_index, doc FROM results WHERE run_id = ? ORDER BY cluster_index',
  );
  const clusterIds = db.prepare(
    'SELECT cluster_index, cluster_id FROM results WHERE run_id = ? ORDER BY cluster_index',
  );
  const annual = db.prepare(
    'SELECT cluster_index, doc FROM annual_rows WHERE run_id = ? ORDER BY cluster_index, year',
  );
  const annualOne = db.prepare(
    'SELECT doc FROM annual_rows WHERE run_id = ? AND cluster_index = ? AND year = ?',
  );
  const annualCount = db.prepare('SELECT count(*) AS n FROM annual_rows WHERE run_id = ?');
  const listAll = db.prepare(
    `SELECT id, scenario_id, scenario_version, json_extract(scenario_doc, '$.name') AS name,
       json_array_length(scenario_doc, '$.clusters') AS clusters, status, progress, error, created_at,
       started_at, finished_at, queue_ms, duration_ms
     FROM runs WHERE (@scenarioId IS NULL OR scenario_id = @scenarioId)
     ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
  );
  const countAll = db.prepare(
    'SELECT count(*) AS n FROM runs WHERE (@scenarioId IS NULL OR scenario_id = @scenarioId)',
  );
  const delAnnual = db.prepare('DELETE FROM annual_rows WHERE run_id = ?');
  const delResults = db.prepare('DELETE FROM results WHERE run_id = ?');
  const delRun = db.prepare(`DELETE FROM runs WHERE id = ? AND status IN ('done', 'failed', 'cancelled')`);
  const finishedTotals = db.prepare(
    `SELECT count(*) AS n, COALESCE(sum(stored_bytes), 0) AS bytes FROM runs
     WHERE status IN ('done', 'failed', 'cancelled')`,
  );
  const oldestFinished = db.prepare(
    `SELECT id, stored_bytes AS bytes FROM runs WHERE status IN ('done', 'failed', 'cancelled')
     ORDER BY created_at, rowid LIMIT ?`,
  );

  type Raw = {
    id: string;
    inputs_hash: string;
    scenario_id: number | null;
    scenario_version: number | null;
    scenario_doc: string;
    user_clusters: string;
    engine_version: string;
    seed_hash: string | null;
    status: RunStatus;
    progress: number;
    error: string | null;
    created_at: string;
    started_at: string | null;
    finished_at: string | null;
    queue_ms: number | null;
    duration_ms: number | null;
  };
  const row = (r: Raw): RunRow => {
    let scenario: unknown;
    let userClusters: ClusterSeed[] | undefined;
    return {
      id: r.id,
      inputsHash: r.inputs_hash,
      scenarioId: r.scenario_id,
      scenarioVersion: r.scenario_version,
      get scenario() {
        scenario ??= JSON.parse(r.scenario_doc);
        return scenario;
      },
      get userClusters() {
        userClusters ??= JSON.parse(r.user_clusters) as ClusterSeed[];
        return userClusters;
      },
      engineVersion: r.engine_version,
      seedHash: r.seed_hash,
      status: r.status,
      progress: r.progress,
      error: r.error,
      createdAt: r.created_at,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      queueMs: r.queue_ms,
      durationMs: r.duration_ms,
    };
  };

  /** The result of a run stored before schema 3, reassembled from its cluster and annual rows. */
  const legacyResult = (id: string): RunResult | undefined => {
    const h = head.get(id) as { result_head: string | null } | undefined;
    if (!h?.result_head) return undefined;
    const top = JSON.parse(h.result_head) as Pick<RunResult, 'scenario' | 'engine'>;
    const rows = annual.all(id) as Array<{ cluster_index: number; doc: string }>;
    const clusters = (results.all(id) as Array<{ cluster_index: number; doc: string }>).map((r) => ({
      ...(JSON.parse(r.doc) as Omit<ClusterResult, 'annual'>),
      annual: rows.filter((a) => a.cluster_index === r.cluster_index).map((a) => JSON.parse(a.doc)),
    }));
    return { ...top, clusters, comparison: compareClusters(clusters as ClusterResult[]) } as RunResult;
  };

  /**
   * The stored result JSON of a finished run as UTF-8 bytes (`summary`: without monthly rows and
   * hourly profiles), as it will be sent; undefined when the run has no result.
   */
  const resultBytes = (id: string, view: 'full' | 'summary'): Buffer | undefined => {
    const r = (view === 'full' ? storedFull : storedSummary).get(id) as
      | { text: Buffer | string | null }
      | undefined;
    if (!r) return undefined;
    if (r.text !== null) return typeof r.text === 'string' ? Buffer.from(r.text) : r.text;
    const legacy = legacyResult(id);
    if (!legacy) return undefined;
    if (view === 'full') return Buffer.from(JSON.stringify(legacy));
    return Buffer.from(
      JSON.stringify({
        ...legacy,
        clusters: legacy.clusters.map(({ monthly: _m, greenProfile: _g, ...c }) => c),
      }),
    );
  };

  /**
   * Write a finished run — its serialised result, every cluster's annual rows, and the status — in
   * one transaction: either all of it lands or none of it (the fault hook lets a test fail it midway).
   */
  const writeResult = db.transaction((id: string, out: StoredResult, durationMs: number) => {
    const full = Buffer.from(out.resultJson.buffer, out.resultJson.byteOffset, out.resultJson.byteLength);
    const summary = Buffer.from(
      out.summaryJson.buffer,
      out.summaryJson.byteOffset,
      out.summaryJson.byteLength,
    );
    let bytes = full.length + summary.length + out.compareJson.length;
    out.clusters.forEach((c, i) => {
      insertResult.run(id, i, c.clusterId, '{}');
      for (const a of c.annual) {
        insertAnnual.run(id, i, a.year, a.doc);
        bytes += a.doc.length;
      }
      if (i === 0) faults.afterFirstCluster?.();
    });
    const changes = setDone.run(
      new Date().toISOString(),
      durationMs,
      out.head,
      full,
      summary,
      out.compareJson,
      bytes,
      id,
    ).changes;
    if (changes !== 1) throw new Error(`run ${id} is no longer running`);
  });

  const remove = db.transaction((id: string): boolean => {
    delAnnual.run(id);
    delResults.run(id);
    return delRun.run(id).changes === 1;
  });

  return {
    create: (r: {
      id: string;
      inputsHash: string;
      scenarioId: number | null;
      scenarioVersion: number | null;
      scenario: unknown;
      userClusters: ClusterSeed[];
      engineVersion: string;
      seedHash: string;
    }): void => {
      insert.run(
        r.id,
        r.inputsHash,
        r.scenarioId,
        r.scenarioVersion,
        JSON.stringify(r.scenario),
        JSON.stringify(r.userClusters),
        r.engineVersion,
        r.seedHash,
        new Date().toISOString(),
      );
    },
    get: (id: string): RunRow | undefined => {
      const r = get.get(id) as Raw | undefined;
      return r ? row(r) : undefined;
    },
    /** A done — or else queued or running — run with these inputs. */
    reusableByHash: (hash: string): string | undefined =>
      (byHash.get(hash) as { id: string } | undefined)?.id,
    /** A worker took the run: `running`, with the time it waited. */
    markRunning: (id: string, queueMs: number) =>
      setRunning.run(new Date().toISOString(), queueMs, id).changes === 1,
    progress: (id: string, fraction: number) => setProgress.run(fraction, id),
    fail: (id: string, error: string) => setStatus.run('failed', error, new Date().toISOString(), id),
    cancel: (id: string, why = 'cancelled by the client') =>
      setStatus.run('cancelled', why, new Date().toISOString(), id),
    writeResult,
    /** Delete a finished run and its result rows; false when it is unknown or still in flight. */
    delete: (id: string): boolean => remove(id),
    /**
     * Keep at most `maxRuns` finished runs and `maxBytes` of stored results: delete the oldest finished
     * runs beyond either bound (never `keep`, the run just written), then give the freed pages back
     * (incremental vacuum). Returns the ids deleted.
     */
    evict: (bounds: { maxRuns: number; maxBytes: number }, keep?: string): string[] => {
      const t = finishedTotals.get() as { n: number; bytes: number };
      if (t.n <= bounds.maxRuns && t.bytes <= bounds.maxBytes) return [];
      const gone: string[] = [];
      let { n, bytes } = t;
      const candidates = oldestFinished.all(n) as Array<{
        id: string;
        bytes: number;
      }>;
      for (const c of candidates) {
        if (n <= bounds.maxRuns && bytes <= bounds.maxBytes) break;
        if (c.id !== keep && remove(c.id)) {
          gone.push(c.id);
          n--;
          bytes -= c.bytes;
        }
      }
      if (gone.length) db.pragma('incremental_vacuum');
      return gone;
    },
    /** Give the pages of deleted rows back to the file system. */
    vacuum: () => db.pragma('incremental_vacuum'),
    /** Runs newest first (optionally of one saved scenario), a page at a time, with the total count. */
    list: (q: { scenarioId: number | null; limit: number; offset: number }) => {
      const rows = listAll.all(q) as Array<{
        id: string;
        scenario_id: number | null;
        scenario_version: number | null;
        name: string | null;
        clusters: number | null;
        status: RunStatus;
        progress: number;
        error: string | null;
        created_at: string;
        started_at: string | null;
        finished_at: string | null;
        queue_ms: number | null;
        duration_ms: number | null;
      }>;
      return {
        total: (countAll.get({ scenarioId: q.scenarioId }) as { n: number }).n,
        runs: rows.map((r) => ({
          id: r.id,
          name: r.name,
          scenarioId: r.scenario_id,
          scenarioVersion: r.scenario_version,
          clusters: r.clusters,
          status: r.status,
          progress: r.progress,
          error: r.error,
          createdAt: r.created_at,
          startedAt: r.started_at,
          finishedAt: r.finished_at,
          queueMs: r.queue_ms,
          durationMs: r.duration_ms,
        })),
      };
    },
    resultBytes,
    /**
     * What comparisons read of a finished run, as stored with its result; for a run stored before
     * that (no or older comparison data), taken from its stored summary.
     */
    compareInput: (id: string): CompareInput => {
      const r = storedCompare.get(id) as { text: string | null } | undefined;
      const stored = r?.text ? (JSON.parse(r.text) as CompareInput | unknown[]) : null;
      if (stored && !Array.isArray(stored)) return stored;
      return compareInput(JSON.parse(resultBytes(id, 'summary')!.toString()) as RunResult);
    },
    /** Number of annual rows (cluster-years) a finished run holds. */
    annualRowCount: (id: string): number => (annualCount.get(id) as { n: number }).n,
    /** One stored annual row (cluster by position, year), parsed. */
    annualRow: (id: string, clusterIndex: number, year: number): AnnualRow | undefined => {
      const r = annualOne.get(id, clusterIndex, year) as { doc: string } | undefined;
      return r ? (JSON.parse(r.doc) as AnnualRow) : undefined;
    },
    /** Cluster ids by position, and every annual row: what annual.csv needs, nothing more. */
    annualTable: (id: string): Array<{ clusterId: string; annual: AnnualRow[] }> => {
      const ids = clusterIds.all(id) as Array<{ cluster_index: number; cluster_id: string }>;
      const out = ids.map((c) => ({ clusterId: c.cluster_id, annual: [] as AnnualRow[] }));
      for (const a of annual.all(id) as Array<{ cluster_index: number; doc: string }>) {
        out[a.cluster_index]?.annual.push(JSON.parse(a.doc));
      }
      return out;
    },
    /** Cluster ids of a finished run, by position. */
    clusterIds: (id: string): string[] =>
      (clusterIds.all(id) as Array<{ cluster_id: string }>).map((c) => c.cluster_id),
  };
}

/** Repository types, for the routers' shared context. */
export type MetaRepo = ReturnType<typeof metaRepo>;
export type ClustersRepo = ReturnType<typeof clustersRepo>;
export type DocsRepo = ReturnType<typeof docsRepo>;
export type ScenariosRepo = ReturnType<typeof scenariosRepo>;
export type RunsRepo = ReturnType<typeof runsRepo>;

import { compareClusters } from '../../models/compare.ts';
import type { ClusterResult, RunResult } from '../../models/result.ts';
import type { ClusterSeed } from '../../seeds/schema.ts';
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

/** A run as stored (without its result). */
export interface RunRow {
  id: string;
  inputsHash: string;
  scenarioId: number | null;
  scenarioVersion: number | null;
  scenario: unknown;
  /** The user-added clusters the scenario referenced, as they were when the run was made. */
  userClusters: ClusterSeed[];
  engineVersion: string;
  status: RunStatus;
  progress: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

/** Runs and their results; a result is written in one transaction (`writeResult`). */
export function runsRepo(db: Db, faults: { afterFirstCluster?: () => void } = {}) {
  const insert = db.prepare(
    `INSERT INTO runs (id, inputs_hash, scenario_id, scenario_version, scenario_doc, user_clusters, engine_version,
       status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?)`,
  );
  const get = db.prepare('SELECT * FROM runs WHERE id = ?');
  // A finished run first, else one still in flight (queued or running).
  const byHash = db.prepare(
    `SELECT id FROM runs WHERE inputs_hash = ? AND status IN ('done', 'running', 'queued')
     ORDER BY status = 'done' DESC, created_at LIMIT 1`,
  );
  const setStatus = db.prepare(
    `UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ? AND status IN ('queued', 'running')`,
  );
  const setRunning = db.prepare(
    `UPDATE runs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'`,
  );
  const setProgress = db.prepare(`UPDATE runs SET progress = ? WHERE id = ? AND status = 'running'`);
  const setDone = db.prepare(
    `UPDATE runs SET status = 'done', progress = 1, finished_at = ?, duration_ms = ?, result_head = ?
     WHERE id = ? AND status = 'running'`,
  );
  const head = db.prepare('SELECT result_head FROM runs WHERE id = ?');
  const insertResult = db.prepare(
    'INSERT INTO results (run_id, cluster_index, cluster_id, doc) VALUES (?, ?, ?, ?)',
  );
  const insertAnnual = db.prepare(
    'INSERT INTO annual_rows (run_id, cluster_index, year, doc) VALUES (?, ?, ?, ?)',
  );
  const results = db.prepare(
    'SELECT cluster_index, doc FROM results WHERE run_id = ? ORDER BY cluster_index',
  );
  const annual = db.prepare(
    'SELECT cluster_index, doc FROM annual_rows WHERE run_id = ? ORDER BY cluster_index, year',
  );
  const listAll = db.prepare(
    `SELECT id, scenario_id, scenario_version, json_extract(scenario_doc, '$.name') AS name,
       json_array_length(scenario_doc, '$.clusters') AS clusters, status, progress, error, created_at,
       started_at, finished_at, duration_ms
     FROM runs WHERE (@scenarioId IS NULL OR scenario_id = @scenarioId)
     ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
  );
  const countAll = db.prepare(
    'SELECT count(*) AS n FROM runs WHERE (@scenarioId IS NULL OR scenario_id = @scenarioId)',
  );

  type Raw = {
    id: string;
    inputs_hash: string;
    scenario_id: number | null;
    scenario_version: number | null;
    scenario_doc: string;
    user_clusters: string;
    engine_version: string;
    status: RunStatus;
    progress: number;
    error: string | null;
    created_at: string;
    started_at: string | null;
    finished_at: string | null;
    duration_ms: number | null;
  };
  const row = (r: Raw): RunRow => ({
    id: r.id,
    inputsHash: r.inputs_hash,
    scenarioId: r.scenario_id,
    scenarioVersion: r.scenario_version,
    scenario: JSON.parse(r.scenario_doc),
    userClusters: JSON.parse(r.user_clusters),
    engineVersion: r.engine_version,
    status: r.status,
    progress: r.progress,
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms,
  });

  /**
   * Write a finished run — every cluster's result and annual rows, and the status — in one
   * transaction: either all of it lands or none of it (the fault hook lets a test fail it midway).
   */
  const writeResult = db.transaction((id: string, result: RunResult, durationMs: number) => {
    result.clusters.forEach((c, i) => {
      const { annual: rows, ...rest } = c;
      insertResult.run(id, i, c.clusterId, JSON.stringify(rest));
      for (const a of rows) insertAnnual.run(id, i, a.year, JSON.stringify(a));
      if (i === 0) faults.afterFirstCluster?.();
    });
    const resultHead = JSON.stringify({ scenario: result.scenario, engine: result.engine });
    if (setDone.run(new Date().toISOString(), durationMs, resultHead, id).changes !== 1) {
      throw new Error(`run ${id} is no longer running`);
    }
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
    }): void => {
      insert.run(
        r.id,
        r.inputsHash,
        r.scenarioId,
        r.scenarioVersion,
        JSON.stringify(r.scenario),
        JSON.stringify(r.userClusters),
        r.engineVersion,
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
    markRunning: (id: string) => setRunning.run(new Date().toISOString(), id).changes === 1,
    progress: (id: string, fraction: number) => setProgress.run(fraction, id),
    fail: (id: string, error: string) => setStatus.run('failed', error, new Date().toISOString(), id),
    cancel: (id: string) =>
      setStatus.run('cancelled', 'cancelled by the client', new Date().toISOString(), id),
    writeResult,
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
          durationMs: r.duration_ms,
        })),
      };
    },
    /** The stored result JSON of a finished run, reassembled in the DESIGN.md shape. */
    result: (id: string): RunResult | undefined => {
      const h = head.get(id) as { result_head: string | null } | undefined;
      if (!h?.result_head) return undefined;
      const top = JSON.parse(h.result_head) as Pick<RunResult, 'scenario' | 'engine'>;
      const rows = annual.all(id) as Array<{ cluster_index: number; doc: string }>;
      const clusters = (results.all(id) as Array<{ cluster_index: number; doc: string }>).map((r) => ({
        ...(JSON.parse(r.doc) as Omit<ClusterResult, 'annual'>),
        annual: rows.filter((a) => a.cluster_index === r.cluster_index).map((a) => JSON.parse(a.doc)),
      }));
      return { ...top, clusters, comparison: compareClusters(clusters as ClusterResult[]) } as RunResult;
    },
  };
}

/** Repository types, for the routers' shared context. */
export type MetaRepo = ReturnType<typeof metaRepo>;
export type ClustersRepo = ReturnType<typeof clustersRepo>;
export type DocsRepo = ReturnType<typeof docsRepo>;
export type ScenariosRepo = ReturnType<typeof scenariosRepo>;
export type RunsRepo = ReturnType<typeof runsRepo>;

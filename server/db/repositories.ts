import type { ClusterSeed } from '../../seeds/schema.ts';
import type { Db } from './database.ts';
import type { runsRepo } from './run-repository.ts';

export * from './run-repository.ts';

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
  const columns = 'id, seeded, doc, created_at, updated_at';
  const list = db.prepare(`SELECT ${columns} FROM clusters ORDER BY seeded DESC, id`);
  const get = db.prepare(`SELECT ${columns} FROM clusters WHERE id = ?`);
  const insert = db.prepare(
    'INSERT INTO clusters (id, seeded, doc, created_at, updated_at, bytes) VALUES (?, 0, ?, ?, ?, ?)',
  );
  const userTotals = db.prepare(
    'SELECT count(*) AS n, COALESCE(sum(bytes), 0) AS bytes FROM clusters WHERE seeded = 0',
  );
  const update = db.prepare('UPDATE clusters SET doc = ?, updated_at = ? WHERE id = ? AND seeded = 0');
  const userDocs = db.prepare('SELECT doc FROM clusters WHERE seeded = 0 ORDER BY id');
  const userDocsNamed = db.prepare(
    'SELECT doc FROM clusters WHERE seeded = 0 AND id IN (SELECT value FROM json_each(?)) ORDER BY id',
  );
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
      const doc = JSON.stringify(c);
      insert.run(c.id, doc, t, t, Buffer.byteLength(doc));
    },
    /** User clusters kept and the bytes of their documents. */
    userTotals: () => userTotals.get() as { n: number; bytes: number },
    update: (c: ClusterSeed): boolean => update.run(JSON.stringify(c), now(), c.id).changes === 1,
    userClusters: (): ClusterSeed[] =>
      (userDocs.all() as Array<{ doc: string }>).map((r) => JSON.parse(r.doc)),
    /** The user clusters of these ids (only those are read and parsed). */
    userClustersNamed: (ids: Iterable<string>): ClusterSeed[] =>
      (userDocsNamed.all(JSON.stringify([...ids])) as Array<{ doc: string }>).map((r) => JSON.parse(r.doc)),
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

/**
 * Saved scenarios with version history (versions are never changed). A delete removes every version
 * (the bytes go: the caller gives the pages back); the head stays, marked deleted, only while a run
 * refers to it (a run keeps its own copy of the scenario, and its scenario id).
 */
export function scenariosRepo(db: Db) {
  const insertScenario = db.prepare(
    'INSERT INTO scenarios (name, latest_version, created_at, updated_at) VALUES (?, 1, ?, ?)',
  );
  const insertVersion = db.prepare(
    'INSERT INTO scenario_versions (scenario_id, version, doc, created_at, bytes) VALUES (?, ?, ?, ?, ?)',
  );
  const addVersionDoc = (id: number, version: number, doc: unknown, t: string) => {
    const text = JSON.stringify(doc);
    insertVersion.run(id, version, text, t, Buffer.byteLength(text));
  };
  const savedBytes = db.prepare('SELECT COALESCE(sum(bytes), 0) AS bytes FROM scenario_versions');
  const liveCount = db.prepare('SELECT count(*) AS n FROM scenarios WHERE deleted_at IS NULL');
  const deleteVersions = db.prepare('DELETE FROM scenario_versions WHERE scenario_id = ?');
  const markDeleted = db.prepare('UPDATE scenarios SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL');
  // Heads of deleted scenarios that no run refers to any more (runs are evicted and deleted).
  const purgeHeads = db.prepare(
    `DELETE FROM scenarios WHERE deleted_at IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.scenario_id = scenarios.id)`,
  );
  const heads =
    'SELECT id, name, latest_version, created_at, updated_at FROM scenarios WHERE deleted_at IS NULL';
  const list = db.prepare(`${heads} ORDER BY id`);
  const head = db.prepare(`${heads} AND id = ?`);
  const version = db.prepare(
    'SELECT version, doc, created_at FROM scenario_versions WHERE scenario_id = ? AND version = ?',
  );
  const versions = db.prepare(
    'SELECT version, created_at FROM scenario_versions WHERE scenario_id = ? ORDER BY version',
  );
  const bump = db.prepare(
    'UPDATE scenarios SET latest_version = ?, name = ?, updated_at = ? WHERE id = ? AND latest_version = ?',
  );
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
      addVersionDoc(id, 1, doc, t);
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
        addVersionDoc(id, next, doc, t);
        const h = head.get(id) as Head;
        return summary(h);
      },
    ),
    /** Delete a scenario and every version of it; false when there is none (or it was deleted). */
    delete: db.transaction((id: number): boolean => {
      if (markDeleted.run(now(), id).changes !== 1) return false;
      deleteVersions.run(id);
      purgeHeads.run();
      return true;
    }),
    /** Saved scenarios kept (not deleted), and the bytes of all their versions. */
    totals: () => ({
      n: (liveCount.get() as { n: number }).n,
      bytes: (savedBytes.get() as { bytes: number }).bytes,
    }),
  };
}

/** A stored meter check as listed: its site, cluster, period and headline figures. */
export interface CheckSummaryRow {
  id: string;
  site: string;
  cluster: string;
  createdAt: string;
  periodStart: string;
  periodEnd: string;
  coverageShare: number;
  pue: number | null;
  gb40879Grade: number | null;
}

/**
 * Operators' meter checks (POST /api/checks), kept with each site's history: a check is stored once,
 * as the worker serialised it, and never changed; listed newest first, by site or cluster.
 */
export function checksRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO checks (id, site, cluster_id, created_at, period_start, period_end, coverage_share, pue,
       gb40879_grade, doc, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const columns = `id, site, cluster_id AS cluster, created_at AS createdAt, period_start AS periodStart,
    period_end AS periodEnd, coverage_share AS coverageShare, pue, gb40879_grade AS gb40879Grade`;
  const where = '(@site IS NULL OR site = @site) AND (@cluster IS NULL OR cluster_id = @cluster)';
  const list = db.prepare(
    `SELECT ${columns} FROM checks WHERE ${where} ORDER BY created_at DESC, id LIMIT @limit OFFSET @offset`,
  );
  const count = db.prepare(`SELECT count(*) AS n FROM checks WHERE ${where}`);
  const get = db.prepare(`SELECT ${columns}, doc FROM checks WHERE id = ?`);
  const remove = db.prepare('DELETE FROM checks WHERE id = ?');
  const totals = db.prepare('SELECT count(*) AS n, COALESCE(sum(bytes), 0) AS bytes FROM checks');
  return {
    /** Store a check (its document as the worker serialised it, UTF-8 JSON). */
    insert: (c: Omit<CheckSummaryRow, 'createdAt'>, doc: string): CheckSummaryRow => {
      const createdAt = now();
      insert.run(
        c.id,
        c.site,
        c.cluster,
        createdAt,
        c.periodStart,
        c.periodEnd,
        c.coverageShare,
        c.pue,
        c.gb40879Grade,
        doc,
        Buffer.byteLength(doc),
      );
      return { ...c, createdAt };
    },
    list: (q: { site?: string; cluster?: string; limit: number; offset: number }) => {
      const p = { site: q.site ?? null, cluster: q.cluster ?? null };
      return {
        total: (count.get(p) as { n: number }).n,
        checks: list.all({ ...p, limit: q.limit, offset: q.offset }) as CheckSummaryRow[],
      };
    },
    /** A check with its stored document (JSON text, sent as is). */
    get: (id: string) => get.get(id) as (CheckSummaryRow & { doc: string }) | undefined,
    delete: (id: string): boolean => remove.run(id).changes === 1,
    totals: () => totals.get() as { n: number; bytes: number },
  };
}

/** Repository types, for the routers' shared context. */
export type MetaRepo = ReturnType<typeof metaRepo>;
export type ClustersRepo = ReturnType<typeof clustersRepo>;
export type DocsRepo = ReturnType<typeof docsRepo>;
export type ScenariosRepo = ReturnType<typeof scenariosRepo>;
export type RunsRepo = ReturnType<typeof runsRepo>;
export type ChecksRepo = ReturnType<typeof checksRepo>;

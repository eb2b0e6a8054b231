import type { ClusterSeed } from '../../seeds/schema.ts';
import type { HourlyCheck, ResultForm } from '../result-forms.ts';
import type { Db } from './database.ts';

/**
 * The runs repository: a run's life (queued → running → ended), its stored result (in parts), and
 * the retention of ended runs. SQL only here, all as prepared statements.
 */

/** A run's life: queued → running → done | failed | cancelled. */
export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** Where a run stands: what the run list shows of every run. */
export interface RunLife {
  id: string;
  scenarioId: number | null;
  scenarioVersion: number | null;
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

/** A run as stored (without its result). `scenario` and `userClusters` are parsed on first read. */
export interface RunRow extends RunLife {
  inputsHash: string;
  /** The scenario as it was sent (JSON text) and, parsed on first read, as a value. */
  scenarioJson: string;
  readonly scenario: unknown;
  /** The user-added clusters the scenario referenced, as they were when the run was made. */
  userClustersJson: string;
  readonly userClusters: ClusterSeed[];
  engineVersion: string;
  /** Hash of the seed bundle the run used (null for runs made before it was recorded). */
  seedHash: string | null;
  startYear: number | null;
  years: number | null;
  /** Clusters × simulated years. */
  clusterYears: number;
  /** When a client was first shown the run's final state (null: not yet). */
  readAt: string | null;
}

/** The statuses of a run that has ended. */
const ENDED = `('done', 'failed', 'cancelled')`;

/** The columns of `RunLife`, as every query that shows a run selects them. */
const LIFE =
  'id, scenario_id, scenario_version, status, progress, error, created_at, started_at, finished_at, queue_ms, duration_ms';
type LifeRaw = {
  id: string;
  scenario_id: number | null;
  scenario_version: number | null;
  status: RunStatus;
  progress: number;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  queue_ms: number | null;
  duration_ms: number | null;
};
const life = (r: LifeRaw): RunLife => ({
  id: r.id,
  scenarioId: r.scenario_id,
  scenarioVersion: r.scenario_version,
  status: r.status,
  progress: r.progress,
  error: r.error,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  queueMs: r.queue_ms,
  durationMs: r.duration_ms,
});

type RowRaw = LifeRaw & {
  inputs_hash: string;
  scenario_doc: string;
  user_clusters: string;
  engine_version: string;
  seed_hash: string | null;
  start_year: number | null;
  years: number | null;
  cluster_years: number;
  read_at: string | null;
};
const row = (r: RowRaw): RunRow => {
  let scenario: unknown;
  let userClusters: ClusterSeed[] | undefined;
  return {
    ...life(r),
    inputsHash: r.inputs_hash,
    scenarioJson: r.scenario_doc,
    get scenario() {
      scenario ??= JSON.parse(r.scenario_doc);
      return scenario;
    },
    userClustersJson: r.user_clusters,
    get userClusters() {
      userClusters ??= JSON.parse(r.user_clusters) as ClusterSeed[];
      return userClusters;
    },
    engineVersion: r.engine_version,
    seedHash: r.seed_hash,
    startYear: r.start_year,
    years: r.years,
    clusterYears: r.cluster_years,
    readAt: r.read_at,
  };
};

/** What a new run records. */
export interface NewRun {
  id: string;
  inputsHash: string;
  scenarioId: number | null;
  scenarioVersion: number | null;
  scenario: unknown;
  userClusters: ClusterSeed[];
  engineVersion: string;
  seedHash: string;
  /** The validated scenario's name and shape (stored beside it, for lists and bounds). */
  name: string;
  clusters: number;
  startYear: number;
  years: number;
  /** Bytes the result is expected to take: reserved until the run ends. */
  expectedBytes: number;
}

/** A run's life: create, find (by id or inputs), the status changes, and the list of runs. */
function runLives(db: Db) {
  const insert = db.prepare(
    `INSERT INTO runs (id, inputs_hash, scenario_id, scenario_version, scenario_doc, user_clusters, engine_version,
       seed_hash, status, created_at, name, clusters, start_year, years, cluster_years, stored_bytes, format)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, 1)`,
  );
  const get = db.prepare(
    `SELECT ${LIFE}, inputs_hash, scenario_doc, user_clusters, engine_version, seed_hash, start_year, years,
       cluster_years, read_at FROM runs WHERE id = ?`,
  );
  const status = db.prepare('SELECT status FROM runs WHERE id = ?');
  // A finished run first, else one still in flight (queued or running).
  const byHash = db.prepare(
    `SELECT id FROM runs WHERE inputs_hash = ? AND status IN ('done', 'running', 'queued')
     ORDER BY status = 'done' DESC, created_at LIMIT 1`,
  );
  // An ended run gives back what was reserved for its result: only its documents stay counted.
  const setEnded = db.prepare(
    `UPDATE runs SET status = ?, error = ?, finished_at = ?, stored_bytes = length(scenario_doc) + length(user_clusters)
     WHERE id = ? AND status IN ('queued', 'running')`,
  );
  const setRunning = db.prepare(
    `UPDATE runs SET status = 'running', started_at = ?, queue_ms = ? WHERE id = ? AND status = 'queued'`,
  );
  const setProgress = db.prepare(`UPDATE runs SET progress = ? WHERE id = ? AND status = 'running'`);
  const setRead = db.prepare(
    `UPDATE runs SET read_at = ? WHERE id = ? AND read_at IS NULL AND status IN ${ENDED}`,
  );
  const where = 'WHERE (@scenarioId IS NULL OR scenario_id = @scenarioId)';
  const list = db.prepare(
    `SELECT ${LIFE}, name, clusters FROM runs ${where}
     ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
  );
  const count = db.prepare(`SELECT count(*) AS n FROM runs ${where}`);
  const end = (s: RunStatus, id: string, error: string) =>
    setEnded.run(s, error, new Date().toISOString(), id);
  return {
    create: (r: NewRun): void => {
      const scenario = JSON.stringify(r.scenario);
      const userClusters = JSON.stringify(r.userClusters);
      const at = new Date().toISOString();
      insert.run(
        r.id,
        r.inputsHash,
        r.scenarioId,
        r.scenarioVersion,
        scenario,
        userClusters,
        r.engineVersion,
        r.seedHash,
        at,
        r.name,
        r.clusters,
        r.startYear,
        r.years,
        r.clusters * r.years,
        Buffer.byteLength(scenario) + Buffer.byteLength(userClusters) + r.expectedBytes,
      );
    },
    get: (id: string): RunRow | undefined => {
      const r = get.get(id) as RowRaw | undefined;
      return r ? row(r) : undefined;
    },
    /** A run's status only (undefined when there is no such run). */
    status: (id: string): RunStatus | undefined =>
      (status.get(id) as { status: RunStatus } | undefined)?.status,
    /** A done — or else queued or running — run with these inputs. */
    reusableByHash: (hash: string): string | undefined =>
      (byHash.get(hash) as { id: string } | undefined)?.id,
    /** A worker took the run: `running`, with the time it waited. */
    markRunning: (id: string, queueMs: number) =>
      setRunning.run(new Date().toISOString(), queueMs, id).changes === 1,
    progress: (id: string, fraction: number) => setProgress.run(fraction, id),
    fail: (id: string, error: string) => end('failed', id, error),
    cancel: (id: string, why = 'cancelled by the client') => end('cancelled', id, why),
    /** A client was shown the run's final state (the first time counts; later calls change nothing). */
    markRead: (id: string): boolean => setRead.run(new Date().toISOString(), id).changes === 1,
    /** Runs newest first (optionally of one saved scenario), a page at a time, with the total count. */
    list: (q: { scenarioId: number | null; limit: number; offset: number }) => {
      const rows = list.all(q) as Array<LifeRaw & { name: string | null; clusters: number | null }>;
      return {
        total: (count.get({ scenarioId: q.scenarioId }) as { n: number }).n,
        runs: rows.map((r) => {
          const { id, scenarioId, scenarioVersion, ...rest } = life(r);
          return { id, name: r.name, scenarioId, scenarioVersion, clusters: r.clusters, ...rest };
        }),
      };
    },
  };
}

/** Largest part a stored form is cut into (bytes): what one read or write of the event loop moves. */
export const PART_BYTES = 256 * 1024;

/**
 * A finished run's result: its forms written part by part (each part a transaction of its own, the
 * run still `running` and its parts read by nobody), then the run marked done in one transaction;
 * read back a part at a time.
 */
function runResults(db: Db, faults: { afterFirstPart?: () => void }) {
  const insertPart = db.prepare('INSERT INTO result_parts (run_id, form, seq, data) VALUES (?, ?, ?, ?)');
  const deleteParts = db.prepare('DELETE FROM result_parts WHERE run_id = ?');
  const part = db.prepare('SELECT data FROM result_parts WHERE run_id = ? AND form = ? AND seq = ?');
  const sizes = db.prepare(
    'SELECT count(*) AS parts, COALESCE(sum(length(data)), 0) AS bytes FROM result_parts WHERE run_id = ? AND form = ?',
  );
  const allBytes = db.prepare(
    'SELECT COALESCE(sum(length(data)), 0) AS bytes FROM result_parts WHERE run_id = ?',
  );
  const setDone = db.prepare(
    `UPDATE runs SET status = 'done', progress = 1, finished_at = ?, duration_ms = ?, result_head = ?,
       stored_bytes = length(scenario_doc) + length(user_clusters) + ?, format = 1
     WHERE id = ? AND status = 'running'`,
  );
  const insertResult = db.prepare(
    'INSERT INTO results (run_id, cluster_index, cluster_id, doc) VALUES (?, ?, ?, ?)',
  );
  const clusterIds = db.prepare(
    'SELECT cluster_index, cluster_id FROM results WHERE run_id = ? ORDER BY cluster_index',
  );
  const clusterDoc = db.prepare('SELECT doc FROM results WHERE run_id = ? AND cluster_index = ?');

  return {
    /** Write one part of a form (a transaction of its own; nobody reads it before the run is done). */
    writePart: (id: string, form: ResultForm, seq: number, data: Uint8Array): void => {
      insertPart.run(id, form, seq, data);
      if (seq === 0 && form === 'full') faults.afterFirstPart?.();
    },
    /** Remove the parts of a result that was not finished (a failed or cancelled write). */
    dropParts: (id: string): void => {
      deleteParts.run(id);
    },
    /**
     * Mark a run done once all its parts are written: in one transaction, each cluster's id and the
     * annual figures its hourly export is checked against, and the status. Throws when the run is no
     * longer running (cancelled meanwhile); then nothing of this is written.
     */
    finish: db.transaction(
      (
        id: string,
        out: { head: string; clusters: Array<{ clusterId: string; check: HourlyCheck }> },
        ms: number,
      ) => {
        let bytes = (allBytes.get(id) as { bytes: number }).bytes + out.head.length;
        out.clusters.forEach((c, i) => {
          const doc = JSON.stringify({ check: c.check });
          insertResult.run(id, i, c.clusterId, doc);
          bytes += doc.length;
        });
        const done = new Date().toISOString();
        if (setDone.run(done, ms, out.head, bytes, id).changes !== 1)
          throw new Error(`run ${id} is no longer running`);
      },
    ),
    /** The number of parts and the bytes of one stored form of a run. */
    formSize: (id: string, form: ResultForm): { parts: number; bytes: number } =>
      sizes.get(id, form) as { parts: number; bytes: number },
    /** One part of a stored form (undefined past the last). */
    part: (id: string, form: ResultForm, seq: number): Buffer | undefined =>
      (part.get(id, form, seq) as { data: Buffer } | undefined)?.data,
    /** A whole stored form (for the small ones: what comparisons read). */
    form: (id: string, form: ResultForm): Buffer => {
      const out: Buffer[] = [];
      for (let seq = 0; ; seq++) {
        const p = (part.get(id, form, seq) as { data: Buffer } | undefined)?.data;
        if (!p) return Buffer.concat(out);
        out.push(p);
      }
    },
    /** The annual figures of one cluster (by position) that its hourly export must reproduce. */
    hourlyCheck: (id: string, clusterIndex: number): HourlyCheck | undefined => {
      const r = clusterDoc.get(id, clusterIndex) as { doc: string } | undefined;
      return r ? (JSON.parse(r.doc) as { check?: HourlyCheck }).check : undefined;
    },
    /** Cluster ids of a finished run, by position. */
    clusterIds: (id: string): string[] =>
      (clusterIds.all(id) as Array<{ cluster_id: string }>).map((c) => c.cluster_id),
  };
}

/** Ended runs looked up at a time by the retention bound (usually one or two go). */
const EVICT_BATCH = 16;
/** Tombstones kept (of deleted and evicted runs, for their 410); the oldest go beyond it (≈ 10 MB). */
export const MAX_TOMBSTONES = 100_000;

/** Why a run is gone: deleted by a client, or evicted by the retention bound. */
export type GoneReason = string;

/** What the retention bounds are. */
export interface RetentionBounds {
  /** Runs kept (ended, and in flight). */
  maxRuns: number;
  /** Bytes kept: every run's documents, every ended run's result, every result still expected. */
  maxBytes: number;
  /** An ended run nobody has read is kept at least this long (ms) after it ended. */
  keepUnreadMs: number;
}

/** Deletion and retention of ended runs. */
function runRetention(db: Db) {
  const delAnnual = db.prepare('DELETE FROM annual_rows WHERE run_id = ?');
  const delResults = db.prepare('DELETE FROM results WHERE run_id = ?');
  const delParts = db.prepare('DELETE FROM result_parts WHERE run_id = ?');
  const delRun = db.prepare(`DELETE FROM runs WHERE id = ? AND status IN ${ENDED}`);
  const addTombstone = db.prepare(
    'INSERT OR REPLACE INTO run_tombstones (id, gone_at, reason) VALUES (?, ?, ?)',
  );
  const trimTombstones = db.prepare(
    'DELETE FROM run_tombstones WHERE rowid <= (SELECT max(rowid) FROM run_tombstones) - ?',
  );
  const tombstone = db.prepare('SELECT gone_at, reason FROM run_tombstones WHERE id = ?');
  // Both read the runs_retention index (migration 5) only, never the run rows (whose scenario
  // documents sit before stored_bytes).
  const totals = db.prepare('SELECT count(*) AS n, COALESCE(sum(stored_bytes), 0) AS bytes FROM runs');
  const evictable = db.prepare(
    `SELECT id, stored_bytes AS bytes, read_at FROM runs INDEXED BY runs_retention
     WHERE status IN ${ENDED} AND (read_at IS NOT NULL OR finished_at <= ?)
     ORDER BY created_at, rowid LIMIT ? OFFSET ?`,
  );
  const oldestUnread = db.prepare(
    `SELECT min(finished_at) AS at FROM runs INDEXED BY runs_retention WHERE status IN ${ENDED} AND read_at IS NULL`,
  );
  const remove = db.transaction((id: string, reason: string): boolean => {
    delParts.run(id);
    delAnnual.run(id);
    delResults.run(id);
    if (delRun.run(id).changes !== 1) return false;
    addTombstone.run(id, new Date().toISOString(), reason);
    trimTombstones.run(MAX_TOMBSTONES);
    return true;
  });

  /**
   * Delete the oldest evictable runs (ended, and read or older than `keepUnreadMs`; never one in
   * `pinned`) until `fits(n, bytes)` holds for what is left. Returns the ids deleted and what is left.
   */
  const evictUntil = (
    bounds: RetentionBounds,
    fits: (n: number, bytes: number) => boolean,
    pinned: ReadonlySet<string>,
    when: string,
  ) => {
    const reason = (readAt: string | null) =>
      `evicted by the retention bound (DCPLAN_KEEP_RUNS, DCPLAN_KEEP_MB) ${when}, ${
        readAt
          ? `after it had been read (${readAt})`
          : `unread, once ${Math.round(bounds.keepUnreadMs / 1000)} s old (DCPLAN_KEEP_UNREAD_S)`
      }`;
    let { n, bytes } = totals.get() as { n: number; bytes: number };
    const gone: string[] = [];
    const cutoff = new Date(Date.now() - bounds.keepUnreadMs).toISOString();
    let skipped = 0; // runs looked at and kept (pinned), still at the head of the order
    while (!fits(n, bytes)) {
      const batch = evictable.all(cutoff, EVICT_BATCH, skipped) as Array<{
        id: string;
        bytes: number;
        read_at: string | null;
      }>;
      if (!batch.length) break;
      for (const c of batch) {
        if (fits(n, bytes)) break;
        if (!pinned.has(c.id) && remove(c.id, reason(c.read_at))) {
          gone.push(c.id);
          n--;
          bytes -= c.bytes;
        } else skipped++;
      }
    }
    return { gone, n, bytes };
  };

  return {
    /** Delete an ended run and its result, leaving a tombstone; false when it is unknown or in flight. */
    delete: (id: string, reason: GoneReason): boolean => remove(id, reason),
    /** When and why a run is gone (its tombstone), if it was deleted or evicted. */
    gone: (id: string): { goneAt: string; reason: string } | undefined => {
      const t = tombstone.get(id) as { gone_at: string; reason: string } | undefined;
      return t ? { goneAt: t.gone_at, reason: t.reason } : undefined;
    },
    /** Runs kept and the bytes they hold or have reserved. */
    totals: () => totals.get() as { n: number; bytes: number },
    /**
     * Make room for a new run that needs `needBytes`: delete the oldest evictable runs until one more
     * run and its bytes fit both bounds. `admitted` is false when they cannot (what is left is runs in
     * flight, unread results younger than `keepUnreadMs`, and pinned runs) — unless nothing at all is
     * left: a run larger than the whole bound may still run alone.
     */
    makeRoom: (needBytes: number, bounds: RetentionBounds, pinned: ReadonlySet<string>) => {
      const r = evictUntil(
        bounds,
        (n, bytes) => n + 1 <= bounds.maxRuns && bytes + needBytes <= bounds.maxBytes,
        pinned,
        'to make room for a new run',
      );
      return {
        ...r,
        admitted: r.n === 0 || (r.n + 1 <= bounds.maxRuns && r.bytes + needBytes <= bounds.maxBytes),
      };
    },
    /** After a result is written (it may take more than was reserved): back within both bounds if it can. */
    evictOver: (bounds: RetentionBounds, pinned: ReadonlySet<string>): string[] =>
      evictUntil(
        bounds,
        (n, bytes) => n <= bounds.maxRuns && bytes <= bounds.maxBytes,
        pinned,
        'after a result was stored',
      ).gone,
    /** When the oldest ended run nobody has read ended (null: none). */
    oldestUnreadAt: (): string | null => (oldestUnread.get() as { at: string | null }).at,
  };
}

/** Runs and their results; a result is written in parts, then marked done in one transaction. */
export function runsRepo(db: Db, faults: { afterFirstPart?: () => void } = {}) {
  return { ...runLives(db), ...runResults(db, faults), ...runRetention(db) };
}

import { compareClusters } from '../../models/compare.ts';
import type { AnnualRow, ClusterResult, RunResult } from '../../models/result.ts';
import type { ClusterSeed } from '../../seeds/schema.ts';
import { type CompareInput, compareInput } from '../compare-rows.ts';
import type { Db } from './database.ts';

/**
 * The runs repository: a run's life (queued → running → ended), its stored result, and the retention
 * of ended runs. SQL only here, all as prepared statements.
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
  readonly scenario: unknown;
  /** The user-added clusters the scenario referenced, as they were when the run was made. */
  readonly userClusters: ClusterSeed[];
  engineVersion: string;
  /** Hash of the seed bundle the run used (null for runs made before it was recorded). */
  seedHash: string | null;
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
};
const row = (r: RowRaw): RunRow => {
  let scenario: unknown;
  let userClusters: ClusterSeed[] | undefined;
  return {
    ...life(r),
    inputsHash: r.inputs_hash,
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
}

/** A run's life: create, find (by id or inputs), the status changes, and the list of runs. */
function runLives(db: Db) {
  const insert = db.prepare(
    `INSERT INTO runs (id, inputs_hash, scenario_id, scenario_version, scenario_doc, user_clusters, engine_version,
       seed_hash, status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)`,
  );
  const get = db.prepare(
    `SELECT ${LIFE}, inputs_hash, scenario_doc, user_clusters, engine_version, seed_hash FROM runs WHERE id = ?`,
  );
  // A finished run first, else one still in flight (queued or running).
  const byHash = db.prepare(
    `SELECT id FROM runs WHERE inputs_hash = ? AND status IN ('done', 'running', 'queued')
     ORDER BY status = 'done' DESC, created_at LIMIT 1`,
  );
  const setEnded = db.prepare(
    `UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ? AND status IN ('queued', 'running')`,
  );
  const setRunning = db.prepare(
    `UPDATE runs SET status = 'running', started_at = ?, queue_ms = ? WHERE id = ? AND status = 'queued'`,
  );
  const setProgress = db.prepare(`UPDATE runs SET progress = ? WHERE id = ? AND status = 'running'`);
  const where = 'WHERE (@scenarioId IS NULL OR scenario_id = @scenarioId)';
  const list = db.prepare(
    `SELECT ${LIFE}, json_extract(scenario_doc, '$.name') AS name,
       json_array_length(scenario_doc, '$.clusters') AS clusters
     FROM runs ${where} ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
  );
  const count = db.prepare(`SELECT count(*) AS n FROM runs ${where}`);
  const end = (status: RunStatus, id: string, error: string) =>
    setEnded.run(status, error, new Date().toISOString(), id);
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
      );
    },
    get: (id: string): RunRow | undefined => {
      const r = get.get(id) as RowRaw | undefined;
      return r ? row(r) : undefined;
    },
    /** A done — or else queued or running — run with these inputs. */
    reusableByHash: (hash: string): string | undefined =>
      (byHash.get(hash) as { id: string } | undefined)?.id,
    /** A worker took the run: `running`, with the time it waited. */
    markRunning: (id: string, queueMs: number) =>
      setRunning.run(new Date().toISOString(), queueMs, id).changes === 1,
    progress: (id: string, fraction: number) => setProgress.run(fraction, id),
    fail: (id: string, error: string) => end('failed', id, error),
    cancel: (id: string, why = 'cancelled by the client') => end('cancelled', id, why),
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

/** A finished run's result: written in one transaction, read back as stored. */
function runResults(db: Db, faults: { afterFirstCluster?: () => void }) {
  const setDone = db.prepare(
    `UPDATE runs SET status = 'done', progress = 1, finished_at = ?, duration_ms = ?, result_head = ?,
       result_json = ?, summary_json = ?, compare_json = ?, stored_bytes = ?
     WHERE id = ? AND status = 'running'`,
  );
  const insertResult = db.prepare(
    'INSERT INTO results (run_id, cluster_index, cluster_id, doc) VALUES (?, ?, ?, ?)',
  );
  const insertAnnual = db.prepare(
    'INSERT INTO annual_rows (run_id, cluster_index, year, doc) VALUES (?, ?, ?, ?)',
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
  const bytes = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

  return {
    /**
     * Write a finished run — its serialised result, every cluster's annual rows, and the status — in
     * one transaction: either all of it lands or none of it (the fault hook lets a test fail it midway).
     */
    writeResult: db.transaction((id: string, out: StoredResult, durationMs: number) => {
      const full = bytes(out.resultJson);
      const summary = bytes(out.summaryJson);
      let stored = full.length + summary.length + out.compareJson.length;
      out.clusters.forEach((c, i) => {
        insertResult.run(id, i, c.clusterId, '{}');
        for (const a of c.annual) {
          insertAnnual.run(id, i, a.year, a.doc);
          stored += a.doc.length;
        }
        if (i === 0) faults.afterFirstCluster?.();
      });
      const done = new Date().toISOString();
      const changes = setDone.run(done, durationMs, out.head, full, summary, out.compareJson, stored, id);
      if (changes.changes !== 1) throw new Error(`run ${id} is no longer running`);
    }),
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

/**
 * The serialised forms of a finished run (full, summary, comparison input), as stored or, for a run
 * stored before schema 3, rebuilt from its cluster documents and annual rows (`annualTable`).
 */
function storedForms(db: Db, annualTable: ReturnType<typeof runResults>['annualTable']) {
  const column = (name: string) => db.prepare(`SELECT ${name} AS value FROM runs WHERE id = ?`);
  const stored = {
    head: column('result_head'),
    full: column('result_json'),
    summary: column('summary_json'),
    compare: column('compare_json'),
  };
  const value = (form: keyof typeof stored, id: string) =>
    (stored[form].get(id) as { value: Buffer | string | null } | undefined)?.value ?? null;
  const results = db.prepare(
    'SELECT cluster_index, doc FROM results WHERE run_id = ? ORDER BY cluster_index',
  );

  /** The result of a run stored before schema 3, reassembled from its cluster and annual rows. */
  const legacyResult = (id: string): RunResult | undefined => {
    const head = value('head', id);
    if (!head) return undefined;
    const top = JSON.parse(head.toString()) as Pick<RunResult, 'scenario' | 'engine'>;
    const table = annualTable(id);
    const clusters = (results.all(id) as Array<{ cluster_index: number; doc: string }>).map((r) => ({
      ...(JSON.parse(r.doc) as Omit<ClusterResult, 'annual'>),
      annual: table[r.cluster_index].annual,
    }));
    return { ...top, clusters, comparison: compareClusters(clusters as ClusterResult[]) } as RunResult;
  };

  /**
   * The stored result JSON of a finished run as UTF-8 bytes (`summary`: without monthly rows and
   * hourly profiles), as it will be sent; undefined when the run has no result.
   */
  const resultBytes = (id: string, view: 'full' | 'summary'): Buffer | undefined => {
    const text = value(view, id);
    if (text !== null) return typeof text === 'string' ? Buffer.from(text) : text;
    const legacy = legacyResult(id);
    if (!legacy) return undefined;
    if (view === 'full') return Buffer.from(JSON.stringify(legacy));
    const clusters = legacy.clusters.map(({ monthly: _m, greenProfile: _g, ...c }) => c);
    return Buffer.from(JSON.stringify({ ...legacy, clusters }));
  };

  return {
    resultBytes,
    /**
     * What comparisons read of a finished run, as stored with its result; for a run stored before
     * that (no or older comparison data), taken from its stored summary.
     */
    compareInput: (id: string): CompareInput => {
      const text = value('compare', id);
      const stored = text ? (JSON.parse(text.toString()) as CompareInput | unknown[]) : null;
      if (stored && !Array.isArray(stored)) return stored;
      return compareInput(JSON.parse(resultBytes(id, 'summary')!.toString()) as RunResult);
    },
  };
}

/** Ended runs looked up at a time by the retention bound (usually one or two go). */
const EVICT_BATCH = 16;

/** Deletion and retention of ended runs. */
function runRetention(db: Db) {
  const delAnnual = db.prepare('DELETE FROM annual_rows WHERE run_id = ?');
  const delResults = db.prepare('DELETE FROM results WHERE run_id = ?');
  const delRun = db.prepare(`DELETE FROM runs WHERE id = ? AND status IN ${ENDED}`);
  const endedTotals = db.prepare(
    `SELECT count(*) AS n, COALESCE(sum(stored_bytes), 0) AS bytes FROM runs WHERE status IN ${ENDED}`,
  );
  // Both go through the runs_retention index (migration 4), not the rows, whose stored_bytes sits
  // after their serialised results: the count and sum from the index alone, the oldest runs with only
  // their ids looked up.
  const oldestEnded = db.prepare(
    `SELECT id, stored_bytes AS bytes FROM runs INDEXED BY runs_retention
     WHERE status IN ${ENDED} ORDER BY created_at, rowid LIMIT ? OFFSET ?`,
  );
  const remove = db.transaction((id: string): boolean => {
    delAnnual.run(id);
    delResults.run(id);
    return delRun.run(id).changes === 1;
  });
  return {
    /** Delete an ended run and its result rows; false when it is unknown or still in flight. */
    delete: (id: string): boolean => remove(id),
    /**
     * Keep at most `maxRuns` ended runs and `maxBytes` of stored results: delete the oldest ended runs
     * beyond either bound (never `keep`, the run just written). Returns the ids deleted. The freed
     * pages stay in the file for the next results (at the bound, as much is written as is deleted);
     * giving them back here, after every result, stalled the event loop for seconds under load (in the
     * load check, stalls of 2–7 s with it, ≤ 0.7 s without it before the index, none over 0.2 s with
     * neither). `vacuum` gives them back (on start and after a DELETE).
     */
    evict: (bounds: { maxRuns: number; maxBytes: number }, keep?: string): string[] => {
      let { n, bytes } = endedTotals.get() as { n: number; bytes: number };
      const gone: string[] = [];
      let skipped = 0; // runs looked at and kept (the run just written), still at the head of the order
      while (n > bounds.maxRuns || bytes > bounds.maxBytes) {
        const batch = oldestEnded.all(EVICT_BATCH, skipped) as Array<{ id: string; bytes: number }>;
        if (!batch.length) break;
        for (const c of batch) {
          if (n <= bounds.maxRuns && bytes <= bounds.maxBytes) break;
          if (c.id !== keep && remove(c.id)) {
            gone.push(c.id);
            n--;
            bytes -= c.bytes;
          } else skipped++;
        }
      }
      return gone;
    },
    /** Give the pages of deleted rows back to the file system. */
    vacuum: () => db.pragma('incremental_vacuum'),
  };
}

/** Runs and their results; a result is written in one transaction (`writeResult`). */
export function runsRepo(db: Db, faults: { afterFirstCluster?: () => void } = {}) {
  const results = runResults(db, faults);
  return { ...runLives(db), ...results, ...storedForms(db, results.annualTable), ...runRetention(db) };
}

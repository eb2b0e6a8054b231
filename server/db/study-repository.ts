import type { ClusterSeed } from '../../seeds/schema.ts';
import type { Db } from './database.ts';
import type { RunStatus } from './run-repository.ts';

/**
 * The studies repository (issue 22, point 7): Monte Carlo and sizing jobs, stored like runs — a life
 * queued → running → done | failed | cancelled with its progress, and when done its report (one JSON
 * document, written with the status in one statement). SQL only here, as prepared statements.
 */

/** What a study is: a Monte Carlo or a sizing. */
export type StudyKind = 'montecarlo' | 'sizing';

/** A study as stored, without its report. */
export interface StudyRow {
  id: string;
  kind: StudyKind;
  inputsHash: string;
  scenarioId: number | null;
  scenarioVersion: number | null;
  scenarioJson: string;
  userClustersJson: string;
  /** The options as validated, with their defaults (JSON text). */
  optionsJson: string;
  engineVersion: string;
  seedHash: string;
  status: RunStatus;
  progress: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

/** What a new study records. */
export interface NewStudy {
  id: string;
  kind: StudyKind;
  inputsHash: string;
  scenarioId: number | null;
  scenarioVersion: number | null;
  scenario: unknown;
  userClusters: ClusterSeed[];
  options: unknown;
  engineVersion: string;
  seedHash: string;
}

type Raw = {
  id: string;
  kind: StudyKind;
  inputs_hash: string;
  scenario_id: number | null;
  scenario_version: number | null;
  scenario_doc: string;
  user_clusters: string;
  options: string;
  engine_version: string;
  seed_hash: string;
  status: RunStatus;
  progress: number;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
};

const COLUMNS =
  'id, kind, inputs_hash, scenario_id, scenario_version, scenario_doc, user_clusters, options, engine_version, seed_hash, status, progress, error, created_at, started_at, finished_at, duration_ms';

const row = (r: Raw): StudyRow => ({
  id: r.id,
  kind: r.kind,
  inputsHash: r.inputs_hash,
  scenarioId: r.scenario_id,
  scenarioVersion: r.scenario_version,
  scenarioJson: r.scenario_doc,
  userClustersJson: r.user_clusters,
  optionsJson: r.options,
  engineVersion: r.engine_version,
  seedHash: r.seed_hash,
  status: r.status,
  progress: r.progress,
  error: r.error,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  durationMs: r.duration_ms,
});

/** The studies repository over an open database. */
export function studiesRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO studies (id, kind, inputs_hash, scenario_id, scenario_version, scenario_doc, user_clusters,
       options, engine_version, seed_hash, status, created_at)
     VALUES (@id, @kind, @inputsHash, @scenarioId, @scenarioVersion, @scenario, @userClusters, @options,
       @engineVersion, @seedHash, 'queued', @createdAt)`,
  );
  const get = db.prepare(`SELECT ${COLUMNS} FROM studies WHERE id = ?`);
  const result = db.prepare(`SELECT result FROM studies WHERE id = ? AND status = 'done'`);
  const byHash = db.prepare(
    `SELECT id FROM studies WHERE inputs_hash = ? AND status IN ('queued', 'running', 'done')
     ORDER BY created_at DESC LIMIT 1`,
  );
  const setRunning = db.prepare(
    `UPDATE studies SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'`,
  );
  const setProgress = db.prepare(`UPDATE studies SET progress = ? WHERE id = ? AND status = 'running'`);
  const setDone = db.prepare(
    `UPDATE studies SET status = 'done', progress = 1, result = ?, finished_at = ?, duration_ms = ?
     WHERE id = ? AND status = 'running'`,
  );
  const setEnded = db.prepare(
    `UPDATE studies SET status = ?, error = ?, finished_at = ?
     WHERE id = ? AND status IN ('queued', 'running')`,
  );
  const remove = db.prepare(`DELETE FROM studies WHERE id = ? AND status IN ('done', 'failed', 'cancelled')`);
  const overBound = db.prepare(
    `SELECT id FROM studies WHERE status IN ('done', 'failed', 'cancelled')
     ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?`,
  );
  const interrupted = db.prepare(
    `UPDATE studies SET status = 'failed', error = 'interrupted: the server stopped before the study finished',
     finished_at = ? WHERE status IN ('queued', 'running')`,
  );
  const now = () => new Date().toISOString();
  return {
    create(s: NewStudy): void {
      insert.run({
        ...s,
        scenario: JSON.stringify(s.scenario),
        userClusters: JSON.stringify(s.userClusters),
        options: JSON.stringify(s.options),
        createdAt: now(),
      });
    },
    get: (id: string): StudyRow | null => {
      const r = get.get(id) as Raw | undefined;
      return r ? row(r) : null;
    },
    /** The report of a done study (JSON bytes), or null. */
    result: (id: string): Buffer | null => (result.get(id) as { result: Buffer } | undefined)?.result ?? null,
    /** A study with the same inputs that is done or in flight. */
    reusable: (inputsHash: string): string | null =>
      (byHash.get(inputsHash) as { id: string } | undefined)?.id ?? null,
    markRunning: (id: string): boolean => setRunning.run(now(), id).changes === 1,
    progress: (id: string, fraction: number): void => {
      setProgress.run(fraction, id);
    },
    finish: (id: string, report: Uint8Array, durationMs: number): boolean =>
      setDone.run(Buffer.from(report), now(), durationMs, id).changes === 1,
    fail: (id: string, error: string): boolean => setEnded.run('failed', error, now(), id).changes === 1,
    cancel: (id: string, why = 'cancelled by the client'): boolean =>
      setEnded.run('cancelled', why, now(), id).changes === 1,
    delete: (id: string): boolean => remove.run(id).changes === 1,
    /** Delete the ended studies beyond the newest `keep`; their ids. */
    evictOver: db.transaction((keep: number): string[] => {
      const ids = (overBound.all(keep) as Array<{ id: string }>).map((r) => r.id);
      for (const id of ids) remove.run(id);
      return ids;
    }),
    /** Studies a stopped server left queued or running: failed, saying so (at start). */
    markInterrupted: (): number => interrupted.run(now()).changes,
  };
}

export type StudiesRepo = ReturnType<typeof studiesRepo>;

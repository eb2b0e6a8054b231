import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { seedDatabase } from '../../seeds/load.ts';
import { convertLegacyRuns } from './legacy-runs.ts';
import { MIGRATIONS } from './migrations.ts';

/** An open better-sqlite3 connection. */
export type Db = Database.Database;

/**
 * Open (creating if needed) the SQLite file, in WAL mode, and bring it up to date: pending migrations
 * and the seed load run in one transaction, so a crash during start-up leaves the previous state.
 * Runs interrupted by a crash (queued/running) are marked failed and the parts of a result they were
 * writing removed: a result is visible only once its run is done. Runs stored before schema 5 are
 * converted to results in parts (`convertLegacyRuns`), once.
 * The file uses incremental auto-vacuum, so deleted runs give their space back (on start and after a
 * DELETE; pages freed by the retention bound are first reused by new results).
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // Space freed by deleted runs goes back to the file system (PRAGMA incremental_vacuum after a DELETE
  // and on start; retention's deletions are reused by the next results in between).
  // A new file takes the mode before its first table; an older file is converted once with a VACUUM.
  if ((db.pragma('auto_vacuum', { simple: true }) as number) !== 2) {
    db.pragma('auto_vacuum = INCREMENTAL');
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
      n: number;
    };
    if (tables.n > 0) db.exec('VACUUM');
  }
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  const start = db.transaction(() => {
    let version = db.pragma('user_version', { simple: true }) as number;
    for (const m of MIGRATIONS) {
      if (m.version <= version) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
      version = m.version;
    }
    seedDatabase(db);
    db.prepare(
      `UPDATE runs SET status = 'failed', error = 'interrupted: the server stopped before the run finished',
       finished_at = ?, stored_bytes = length(scenario_doc) + length(user_clusters)
       WHERE status IN ('queued', 'running')`,
    ).run(new Date().toISOString());
    // Parts of a result whose write a crash interrupted (its run never became done).
    db.prepare(`DELETE FROM result_parts WHERE run_id IN (SELECT id FROM runs WHERE status != 'done')`).run();
  });
  start();
  convertLegacyRuns(db, (m) => process.stderr.write(`dcplan: ${m}\n`));
  // Pages freed by retention while the server ran stay in the file for the next results; give them
  // back once here, where a pause does not hold up any request.
  db.pragma('incremental_vacuum');
  return db;
}

/** The schema version of an open database. */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../server/db/database.ts';
import { runsRepo } from '../../server/db/run-repository.ts';

/**
 * The retention bound (`evict`) on a database with many ended runs: which runs go, and that its queries
 * read the runs_retention index only — not the run rows, whose serialised results (≈ 0.5 MB each) SQLite
 * had to walk through to reach stored_bytes (seconds per result once 1,000 runs were kept).
 */
let db: Db;

/** Ended runs r00, r01, … created a second apart, each with `bytes` stored bytes and a bulky result. */
function addRuns(n: number, bytes = 10): string[] {
  const insert = db.prepare(
    `INSERT INTO runs (id, inputs_hash, scenario_doc, engine_version, status, created_at, result_json, stored_bytes)
     VALUES (?, ?, '{}', 'test', ?, ?, ?, ?)`,
  );
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `r${String(i).padStart(2, '0')}`;
    const status = ['done', 'failed', 'cancelled'][i % 3];
    insert.run(
      id,
      `h${i}`,
      status,
      new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      'x'.repeat(5000),
      bytes,
    );
    ids.push(id);
  }
  return ids;
}

const remaining = () =>
  (db.prepare('SELECT id FROM runs ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);

beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

describe('retention bound', () => {
  it('reads only the runs_retention index (no run rows) to count, sum and order ended runs', () => {
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join('; ');
    const ended = `status IN ('done', 'failed', 'cancelled')`;
    expect(plan(`SELECT count(*), COALESCE(sum(stored_bytes), 0) FROM runs WHERE ${ended}`)).toMatch(
      /COVERING INDEX runs_retention/,
    );
    // The oldest ended runs: the index gives the order and the bytes; only their ids are looked up.
    expect(
      plan(
        `SELECT id, stored_bytes FROM runs INDEXED BY runs_retention WHERE ${ended} ORDER BY created_at, rowid LIMIT 16`,
      ),
    ).toMatch(/INDEX runs_retention/);
  });

  it('deletes the oldest ended runs beyond the count, over several batches, never the run just written', () => {
    const ids = addRuns(40);
    // 40 runs, 3 kept: the run just written (here the oldest, r00) stays, then the 2 newest.
    const gone = runsRepo(db).evict({ maxRuns: 3, maxBytes: Number.MAX_SAFE_INTEGER }, 'r00');
    expect(gone).toEqual(ids.slice(1, 38));
    expect(remaining()).toEqual(['r00', 'r38', 'r39']);
  });

  it('deletes the oldest beyond the byte bound and leaves runs still in flight', () => {
    addRuns(5, 100); // 500 bytes
    db.prepare(`UPDATE runs SET status = 'running' WHERE id = 'r01'`).run();
    // Ended: r00, r02, r03, r04 = 400 bytes; a 250-byte bound leaves two (r03, r04).
    expect(runsRepo(db).evict({ maxRuns: 100, maxBytes: 250 })).toEqual(['r00', 'r02']);
    expect(remaining()).toEqual(['r01', 'r03', 'r04']);
    // Within both bounds: nothing to do.
    expect(runsRepo(db).evict({ maxRuns: 100, maxBytes: 250 })).toEqual([]);
  });
});

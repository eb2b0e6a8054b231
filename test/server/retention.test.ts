import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../server/db/database.ts';
import { MAX_TOMBSTONES, runsRepo } from '../../server/db/run-repository.ts';

/**
 * The retention bound (issue 24, point 1) on a database with many runs: which runs go to make room —
 * only ended runs that were read or are older than the unread minimum, oldest first — when a new run is
 * refused instead, what a run leaves behind (a tombstone), and that the bound's queries read the
 * runs_retention index only, not the run rows (whose scenario documents sit before stored_bytes).
 */
let db: Db;
const HOUR = 3600_000;
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

interface Seed {
  status?: string;
  bytes?: number;
  /** ms before now that the run ended (created a second before). */
  endedAgoMs?: number;
  read?: boolean;
}

/** Runs r00, r01, … created in that order, as `seeds` say (default: done, 10 bytes, ended 2 h ago, unread). */
function addRuns(seeds: Seed[]): string[] {
  const insert = db.prepare(
    `INSERT INTO runs (id, inputs_hash, scenario_doc, engine_version, status, created_at, finished_at, read_at,
       stored_bytes, format)
     VALUES (?, ?, ?, 'test', ?, ?, ?, ?, ?, 1)`,
  );
  return seeds.map((s, i) => {
    const id = `r${String(i).padStart(2, '0')}`;
    const ended = NOW - (s.endedAgoMs ?? 2 * HOUR) + i; // later runs a little later
    const status = s.status ?? 'done';
    const inFlight = status === 'queued' || status === 'running';
    insert.run(
      id,
      `h${i}`,
      `{"pad":"${'x'.repeat(5000)}"}`,
      status,
      iso(ended - 1000),
      inFlight ? null : iso(ended),
      s.read ? iso(ended + 1) : null,
      s.bytes ?? 10,
    );
    return id;
  });
}

const remaining = () =>
  (db.prepare('SELECT id FROM runs ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);
const bounds = (b: { maxRuns?: number; maxBytes?: number; keepUnreadMs?: number }) => ({
  maxRuns: 1000,
  maxBytes: Number.MAX_SAFE_INTEGER,
  keepUnreadMs: HOUR,
  ...b,
});
const none = new Set<string>();

beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

describe('retention bound (issue 24, point 1)', () => {
  it('reads only the runs_retention index (no run rows) to count, sum and order the runs', () => {
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join('; ');
    expect(plan('SELECT count(*), COALESCE(sum(stored_bytes), 0) FROM runs')).toMatch(
      /COVERING INDEX runs_retention/,
    );
    expect(
      plan(
        `SELECT id, stored_bytes, read_at FROM runs INDEXED BY runs_retention
         WHERE status IN ('done', 'failed', 'cancelled') AND (read_at IS NOT NULL OR finished_at <= '2026')
         ORDER BY created_at, rowid LIMIT 16`,
      ),
    ).toMatch(/INDEX runs_retention/);
  });

  it('makes room by deleting the oldest runs that were read, over several batches', () => {
    const ids = addRuns(Array.from({ length: 40 }, () => ({ read: true, endedAgoMs: 60_000 })));
    // 40 runs kept, room for 3 with the new one: the 38 oldest go.
    const room = runsRepo(db).makeRoom(0, bounds({ maxRuns: 3 }), none);
    expect(room).toMatchObject({ admitted: true, n: 2 });
    expect(room.gone).toEqual(ids.slice(0, 38));
    expect(remaining()).toEqual(['r38', 'r39']);
  });

  it('never deletes an unread run younger than the minimum, nor a run in flight: it refuses the new run', () => {
    addRuns([
      { read: true, endedAgoMs: 60_000, bytes: 100 }, // r00: read → may go
      { endedAgoMs: 60_000, bytes: 100 }, // r01: unread, a minute old → stays
      { status: 'running', bytes: 100 }, // r02: in flight → stays
      { status: 'failed', endedAgoMs: 2 * HOUR, bytes: 100 }, // r03: unread, two hours old → may go
      { endedAgoMs: 60_000, bytes: 100 }, // r04: unread → stays
    ]);
    const repo = runsRepo(db);
    // 500 bytes held; a new run of 150 within 400: r03 and r00 go (oldest first: r03 was created two
    // hours ago), and 300 + 150 > 400 still.
    const room = repo.makeRoom(150, bounds({ maxBytes: 400 }), none);
    expect(room.gone).toEqual(['r03', 'r00']);
    expect(room).toMatchObject({ admitted: false, n: 3, bytes: 300 });
    expect(remaining()).toEqual(['r01', 'r02', 'r04']);
    // A run that fits what is left is admitted without another deletion.
    expect(repo.makeRoom(100, bounds({ maxBytes: 400 }), none)).toMatchObject({ admitted: true, gone: [] });
    // Once r01 has been read it may go.
    expect(repo.markRead('r01')).toBe(true);
    expect(repo.markRead('r01')).toBe(false); // the first read counts
    expect(repo.makeRoom(150, bounds({ maxBytes: 400 }), none)).toMatchObject({
      admitted: true,
      gone: ['r01'],
    });
    // The unread minimum is a setting: with 30 s, the minute-old r04 may go too.
    expect(repo.makeRoom(400, bounds({ maxBytes: 400, keepUnreadMs: 30_000 }), none).gone).toEqual(['r04']);
  });

  it('leaves a pinned run (being sent) and takes the next; a run larger than the bound runs alone', () => {
    addRuns([{ read: true }, { read: true }, { read: true }]);
    const repo = runsRepo(db);
    expect(repo.makeRoom(0, bounds({ maxRuns: 3 }), new Set(['r00'])).gone).toEqual(['r01']);
    // 1,000 bytes needed of a 100-byte bound: admitted only once nothing at all is kept.
    expect(repo.makeRoom(1000, bounds({ maxBytes: 100 }), new Set(['r00']))).toMatchObject({
      admitted: false,
      n: 1,
    });
    expect(repo.makeRoom(1000, bounds({ maxBytes: 100 }), none)).toMatchObject({ admitted: true, n: 0 });
  });

  it('leaves a tombstone saying when and why; the number of tombstones is bounded', () => {
    addRuns([{ read: true }, {}, { read: true }]);
    const repo = runsRepo(db);
    repo.makeRoom(0, bounds({ maxRuns: 2, keepUnreadMs: HOUR / 2 }), none);
    expect(repo.gone('r00')?.reason).toMatch(
      /^evicted by the retention bound \(DCPLAN_KEEP_RUNS, DCPLAN_KEEP_MB\) to make room for a new run, after it had been read \(/,
    );
    expect(repo.gone('r01')?.reason).toMatch(/unread, once 1800 s old \(DCPLAN_KEEP_UNREAD_S\)$/);
    expect(repo.gone('r02')).toBeUndefined();
    expect(repo.delete('r02', 'deleted by a client')).toBe(true);
    expect(repo.gone('r02')).toMatchObject({ reason: 'deleted by a client' });
    // Past the bound, the oldest tombstones go.
    const add = db.prepare(`INSERT INTO run_tombstones (id, gone_at, reason) VALUES (?, '2026', 'test')`);
    db.transaction(() => {
      for (let i = 0; i < MAX_TOMBSTONES; i++) add.run(`t${i}`);
    })();
    addRuns([{ read: true }]);
    expect(repo.delete('r00', 'deleted again')).toBe(true);
    expect((db.prepare('SELECT count(*) AS n FROM run_tombstones').get() as { n: number }).n).toBe(
      MAX_TOMBSTONES,
    );
    expect(repo.gone('r01')).toBeUndefined(); // among the oldest
    expect(repo.gone('r00')?.reason).toBe('deleted again');
  });
});

import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { SEEDS } from './index.ts';

/**
 * Load the seed bundle into SQLite (call inside a transaction). Idempotent: seeded rows are upserted by
 * id, so a second start neither duplicates nor loses them, and a changed seed file updates its row.
 * User-added clusters (seeded = 0) keep their documents; one whose id a newer seed bundle adds is first
 * renamed (see `namespaceUserCluster`). The bundle's hash is kept in `meta`.
 */
export function seedDatabase(db: Database.Database): { seedHash: string; changed: boolean } {
  const bundle = JSON.stringify({
    clusters: SEEDS.clusters,
    tariffs: SEEDS.tariffs,
    targets: SEEDS.targets,
    climates: SEEDS.climates,
  });
  const seedHash = createHash('sha256').update(bundle).digest('hex');
  const old = db.prepare(`SELECT value FROM meta WHERE key = 'seed_hash'`).get() as
    | { value: string }
    | undefined;
  if (old?.value === seedHash) return { seedHash, changed: false };
  const now = new Date().toISOString();
  for (const c of SEEDS.clusters) namespaceUserCluster(db, c.id);
  const upCluster = db.prepare(
    `INSERT INTO clusters (id, seeded, doc, created_at, updated_at) VALUES (?, 1, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at WHERE seeded = 1`,
  );
  for (const c of SEEDS.clusters) upCluster.run(c.id, JSON.stringify(c), now, now);
  const up = (table: 'tariffs' | 'targets' | 'climate_stats') =>
    db.prepare(
      `INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc`,
    );
  const t = up('tariffs');
  for (const x of SEEDS.tariffs) t.run(x.id, JSON.stringify(x));
  const g = up('targets');
  for (const x of SEEDS.targets) g.run(x.id, JSON.stringify(x));
  const c = up('climate_stats');
  for (const [id, x] of Object.entries(SEEDS.climates)) c.run(id, JSON.stringify(x));
  db.prepare(
    `INSERT INTO meta (key, value) VALUES ('seed_hash', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
  ).run(seedHash);
  return { seedHash, changed: true };
}

/**
 * Upgrade step for a user cluster whose id a newer seed bundle adds: rename it to `user:<id>` (or
 * `user:<id>-2`, … when taken) and point every saved scenario version at the new id, so those
 * scenarios keep meaning the user's cluster instead of silently switching to the seeded one. Runs are
 * left as they are: each keeps its own copy of the user clusters it ran with, which wins over a seeded
 * cluster of the same id when it is re-simulated. Returns the new id, or null when nothing clashed.
 */
export function namespaceUserCluster(db: Database.Database, id: string): string | null {
  const row = db.prepare('SELECT doc FROM clusters WHERE id = ? AND seeded = 0').get(id) as
    | { doc: string }
    | undefined;
  if (!row) return null;
  const taken = db.prepare('SELECT 1 FROM clusters WHERE id = ?');
  let next = `user:${id}`;
  for (let n = 2; taken.get(next); n++) next = `user:${id}-${n}`;
  const doc = { ...JSON.parse(row.doc), id: next };
  db.prepare('UPDATE clusters SET id = ?, doc = ?, updated_at = ? WHERE id = ? AND seeded = 0').run(
    next,
    JSON.stringify(doc),
    new Date().toISOString(),
    id,
  );
  const versions = db
    .prepare(
      `SELECT DISTINCT v.scenario_id, v.version, v.doc FROM scenario_versions v, json_each(v.doc, '$.clusters') c
       WHERE json_valid(v.doc) AND json_extract(c.value, '$.cluster') = ?`,
    )
    .all(id) as Array<{ scenario_id: number; version: number; doc: string }>;
  const update = db.prepare('UPDATE scenario_versions SET doc = ? WHERE scenario_id = ? AND version = ?');
  for (const v of versions) {
    const s = JSON.parse(v.doc) as { clusters: Array<{ cluster?: unknown }> };
    s.clusters = s.clusters.map((c) =>
      c && typeof c === 'object' && c.cluster === id ? { ...c, cluster: next } : c,
    );
    update.run(JSON.stringify(s), v.scenario_id, v.version);
  }
  return next;
}

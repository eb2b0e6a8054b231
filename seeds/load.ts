import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { SEEDS } from './index.ts';

/**
 * Load the seed bundle into SQLite (call inside a transaction). Idempotent: seeded rows are upserted by
 * id, so a second start neither duplicates nor loses them, and a changed seed file updates its row.
 * User-added clusters (seeded = 0) are never touched. The bundle's hash is kept in `meta`.
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
  const userClash = db.prepare('SELECT id FROM clusters WHERE id = ? AND seeded = 0');
  const upCluster = db.prepare(
    `INSERT INTO clusters (id, seeded, doc, created_at, updated_at) VALUES (?, 1, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at WHERE seeded = 1`,
  );
  for (const c of SEEDS.clusters) {
    if (userClash.get(c.id))
      throw new Error(`seed cluster ${c.id} clashes with a user-added cluster of the same id`);
    upCluster.run(c.id, JSON.stringify(c), now, now);
  }
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

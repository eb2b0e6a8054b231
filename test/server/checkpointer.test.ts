import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../server/db/checkpointer.ts';
import { openDatabase } from '../../server/db/database.ts';

describe('WAL checkpoints off the main thread', () => {
  it('turns auto-checkpoints off while it runs, checkpoints on close, and turns them back on', async () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'dcplan-ckpt-')), 'c.sqlite'));
    try {
      const c = startCheckpointer(db, 60_000);
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      db.exec('CREATE TABLE t (x TEXT)');
      const add = db.prepare('INSERT INTO t VALUES (?)');
      for (let i = 0; i < 200; i++) add.run('x'.repeat(1000));
      await c.close();
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      // Everything in the WAL was copied into the database file by the checkpointer's last pass.
      const [r] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
      expect(r.checkpointed).toBe(r.log);
    } finally {
      db.close();
    }
  });

  it('empties a WAL grown past its limit with a TRUNCATE checkpoint (passive ones leave the file at its size)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dcplan-ckpt-')), 'w.sqlite');
    const db = openDatabase(file);
    const walBytes = () => statSync(`${file}-wal`).size;
    db.exec('CREATE TABLE t (x TEXT)');
    const add = db.prepare('INSERT INTO t VALUES (?)');
    for (let i = 0; i < 200; i++) add.run('x'.repeat(1000));
    // A passive checkpoint copies every frame but leaves the file at its size (SQLite reuses it).
    db.pragma('wal_checkpoint(PASSIVE)');
    expect(walBytes()).toBeGreaterThan(100_000);
    const c = startCheckpointer(db, 20, () => {}, 64 * 1024);
    try {
      // Poll for the outcome (no assumption about when the checkpointer's timer fires).
      for (let i = 0; i < 3000 && walBytes() > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(walBytes()).toBe(0);
    } finally {
      await c.close();
      db.close();
    }
  });

  it('leaves an in-memory database alone', async () => {
    const db = openDatabase(':memory:');
    const c = startCheckpointer(db);
    await c.close();
    db.close();
  });
});

import { mkdtempSync } from 'node:fs';
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

  it('leaves an in-memory database alone', async () => {
    const db = openDatabase(':memory:');
    const c = startCheckpointer(db);
    await c.close();
    db.close();
  });
});

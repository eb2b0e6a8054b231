import { describe, expect, it } from 'vitest';
import { CancelledError, QueueFullError, WorkerPool } from '../../../server/jobs/pool.ts';

const FAKE = new URL('./fake-worker.ts', import.meta.url).href;

describe('worker pool bounds', () => {
  it('onStart fires when a worker takes the job, not when it is queued', async () => {
    const pool = new WorkerPool(1, FAKE);
    try {
      const started: string[] = [];
      const a = pool.run('a', 'hang', [], undefined, () => started.push('a'));
      const b = pool.run('b', 'ok', [], undefined, () => started.push('b'));
      expect(started).toEqual(['a']);
      expect(pool.queuedIds()).toEqual(['b']);
      pool.cancel('a');
      await expect(a).rejects.toBeInstanceOf(CancelledError);
      await expect(b).resolves.toEqual({ echo: 'ok' });
      expect(started).toEqual(['a', 'b']);
    } finally {
      await pool.close();
    }
  });

  it('refuses a job beyond maxQueue waiting ones, synchronously', async () => {
    const pool = new WorkerPool(1, FAKE, { maxQueue: 1 });
    try {
      const a = pool.run('a', 'hang', []); // running
      const b = pool.run('b', 'hang', []); // waiting
      expect(pool.full()).toBe(true);
      expect(() => pool.run('c', 'ok', [])).toThrow(QueueFullError);
      expect(pool.stats()).toEqual({ size: 1, busy: 1, queued: 1 });
      pool.cancel('b', 'no longer wanted');
      await expect(b).rejects.toThrow('no longer wanted');
      expect(pool.full()).toBe(false);
      pool.cancel('a');
      await expect(a).rejects.toBeInstanceOf(CancelledError);
    } finally {
      await pool.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { CancelledError, JobError, WORKER_ENTRY, WorkerPool } from '../../../server/jobs/pool.ts';

const FAKE = new URL('./fake-worker.ts', import.meta.url).href;
const UNLOADABLE = new URL('./unloadable-worker.mjs', import.meta.url);

describe('worker pool', () => {
  it('runs jobs in worker threads and reports progress', async () => {
    const pool = new WorkerPool(2, FAKE);
    try {
      const seen: number[] = [];
      const [a, b, c] = await Promise.all([
        pool.run('a', 'one', [], (f) => seen.push(f)),
        pool.run('b', 'two', []),
        pool.run('c', 'three', []), // queued behind the two workers
      ]);
      expect([a, b, c]).toEqual([{ echo: 'one' }, { echo: 'two' }, { echo: 'three' }]);
      expect(seen).toEqual([0.5]);
    } finally {
      await pool.close();
    }
  });

  it('an error in the job rejects it with the message; the worker keeps serving', async () => {
    const pool = new WorkerPool(1, FAKE);
    try {
      await expect(pool.run('a', 'fail', [])).rejects.toThrow(new JobError('years: must be ≥ 1'));
      await expect(pool.run('b', 'ok', [])).resolves.toEqual({ echo: 'ok' });
    } finally {
      await pool.close();
    }
  });

  it('a worker that dies fails its job and is replaced', async () => {
    const pool = new WorkerPool(1, FAKE);
    try {
      await expect(pool.run('a', 'exit', [])).rejects.toThrow('worker failed: exited with code 3');
      await expect(pool.run('b', 'ok', [])).resolves.toEqual({ echo: 'ok' });
      expect(pool.stats()).toEqual({ size: 1, busy: 0, queued: 0 });
    } finally {
      await pool.close();
    }
  });

  it('cancel rejects a running or queued job and frees its slot', async () => {
    const pool = new WorkerPool(1, FAKE);
    try {
      const running = pool.run('a', 'hang', []);
      const queued = pool.run('b', 'hang', []);
      expect(pool.stats()).toEqual({ size: 1, busy: 1, queued: 1 });
      expect(pool.cancel('b')).toBe(true);
      await expect(queued).rejects.toBeInstanceOf(CancelledError);
      expect(pool.cancel('a')).toBe(true);
      await expect(running).rejects.toBeInstanceOf(CancelledError);
      expect(pool.cancel('a')).toBe(false);
      await expect(pool.run('c', 'ok', [])).resolves.toEqual({ echo: 'ok' });
    } finally {
      await pool.close();
    }
  });

  it('workers that cannot start make the pool fail its jobs instead of respawning forever', async () => {
    process.env.FAKE_WORKER_MODE = 'broken';
    const pool = new WorkerPool(1, FAKE);
    try {
      await expect(pool.run('a', 'ok', [])).rejects.toThrow(/cannot load/);
      await expect(
        (async () => {
          for (;;) {
            await pool.run('b', 'ok', []).catch((e: Error) => {
              if (e.message.startsWith('worker pool failed')) throw e;
            });
          }
        })(),
      ).rejects.toThrow('worker pool failed: cannot load');
    } finally {
      delete process.env.FAKE_WORKER_MODE;
      await pool.close();
    }
  });

  it('a built worker that cannot even start fails the jobs given to it, then every job', async () => {
    const pool = new WorkerPool(1, UNLOADABLE);
    try {
      await expect(pool.run('a', 'ok', [])).rejects.toThrow('worker failed: cannot load the bundle');
      await expect(
        (async () => {
          for (;;) {
            await pool.run('b', 'ok', []).catch((e: Error) => {
              if (e.message.startsWith('worker pool failed')) throw e;
            });
          }
        })(),
      ).rejects.toThrow('worker pool failed: cannot load the bundle');
    } finally {
      await pool.close();
    }
  });

  it('runs the TypeScript worker from source, the bundled one from a build', () => {
    // Under vitest this module is TypeScript, so the pool boots worker.ts through tsx.
    expect(WORKER_ENTRY.href).toBe(new URL('../../../server/jobs/worker.ts', import.meta.url).href);
  });
});

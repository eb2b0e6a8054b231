import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.ts';

// The checkpointer's own thread and connection: it copies the WAL into the database file (and syncs
// it), work that SQLite otherwise does inside whichever commit crosses the auto-checkpoint size — a
// stall of the event loop of tens to hundreds of milliseconds on a busy disk.
const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
let timer = null;
const tick = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    // Under a steady stream of writes the WAL never restarts after a passive checkpoint (new frames
    // arrive while it copies) and grows without bound; past the limit, a TRUNCATE checkpoint copies the
    // few frames written since and empties the file, holding writers back only for that long.
    if (r && r.log > workerData.maxWalFrames) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (e) { parentPort.postMessage({ error: String(e && e.message) }); }
  timer = setTimeout(tick, workerData.intervalMs);
};
timer = setTimeout(tick, workerData.intervalMs);
parentPort.on('message', () => {
  clearTimeout(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.close();
});
`;

/** WAL size beyond which the checkpointer empties the WAL file (a TRUNCATE checkpoint), by default. */
const MAX_WAL_BYTES = 64 * 1024 * 1024;

/**
 * Move WAL checkpoints off the event loop: the connection stops auto-checkpointing and a worker thread
 * with its own connection checkpoints every `intervalMs` (passive: it never blocks readers or the
 * writer). When a steady stream of writes keeps the WAL from restarting and it passes `maxWalBytes`
 * (64 MB), a TRUNCATE checkpoint empties it (writers wait only for the frames written since the
 * passive one). `close()` checkpoints once more, stops the thread and restores auto-checkpoints. In-memory databases
 * are left as they are.
 */
export function startCheckpointer(
  db: Db,
  intervalMs = 1000,
  log: (m: string) => void = () => {},
  maxWalBytes = MAX_WAL_BYTES,
) {
  if (db.memory || db.readonly) return { close: async () => {} };
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const maxWalFrames = Math.ceil(maxWalBytes / (db.pragma('page_size', { simple: true }) as number));
  const worker = new Worker(CODE, {
    eval: true,
    workerData: { file: db.name, driver, intervalMs, maxWalFrames },
  });
  worker.unref();
  let running = true;
  const exited = new Promise<void>((r) =>
    worker.once('exit', () => {
      running = false;
      r();
    }),
  );
  worker.on('message', (m: { error?: string }) => {
    if (m.error) log(`checkpoint: ${m.error}`);
  });
  worker.on('error', (e) => {
    log(`checkpointer stopped: ${e.message}; checkpoints are back on the main connection`);
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  db.pragma('wal_autocheckpoint = 0');
  return {
    async close(): Promise<void> {
      // Held while it stops: an unref'd thread would let a script whose loop has nothing else to do
      // exit before the thread's 'exit' (Node's exit 13, an unsettled top-level await).
      worker.ref();
      if (running) worker.postMessage('stop');
      await exited;
      if (db.open) db.pragma('wal_autocheckpoint = 1000');
    },
  };
}

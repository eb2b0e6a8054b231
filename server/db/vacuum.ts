import type { Db } from './database.ts';

/** Pages one step of the vacuum gives back (≈ 256 KiB at 4 KiB a page: a millisecond or two). */
const PAGES_PER_STEP = 64;

/**
 * Give the file's free pages back to the file system in small steps, one per turn of the event loop
 * (`PRAGMA incremental_vacuum(64)`: with incremental auto-vacuum SQLite moves pages from the end of
 * the file into the free ones and truncates it). In one go, giving back a deleted 60 MB result took
 * 0.43 s of the event loop; a step takes a millisecond or two, and requests are served in between. A
 * `VACUUM` would rewrite the whole file — seconds at a gigabyte, everything blocked — and is used only
 * to convert an old file to incremental auto-vacuum once. The WAL carries the truncation to the file
 * at the next checkpoint (server/db/checkpointer.ts).
 *
 * `request()` starts the steps (or lets running ones go on); `idle()` resolves when none are left.
 */
export function stepVacuum(db: Db) {
  let running: Promise<void> | null = null;
  const free = () => (db.open ? (db.pragma('freelist_count', { simple: true }) as number) : 0);
  const run = async () => {
    while (free() > 0) {
      db.pragma(`incremental_vacuum(${PAGES_PER_STEP})`);
      await new Promise((r) => setImmediate(r));
    }
  };
  return {
    request(): void {
      running ??= run()
        .catch(() => {}) // the database closed meanwhile: the next start gives the pages back
        .finally(() => {
          running = null;
        });
    },
    idle: (): Promise<void> => running ?? Promise.resolve(),
  };
}

export type Vacuum = ReturnType<typeof stepVacuum>;

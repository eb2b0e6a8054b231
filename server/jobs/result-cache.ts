import type { RunsRepo } from '../db/repositories.ts';

/** Which form of a result: all of it, or without the monthly rows and hourly profiles. */
export type ResultView = 'full' | 'summary';

/** Serialised results kept in memory (they never change), bounded by total size; others are re-read. */
const RESULT_CACHE_BYTES = 64 * 1024 * 1024;
const RESULT_CACHE_ENTRIES = 64;

/**
 * The stored results of done runs as UTF-8 bytes, from memory or SQLite: never parsed, re-serialised
 * or re-encoded per request. The most recently used are kept in memory, at most 64 MiB and 64 entries
 * (a result larger than a quarter of that is not kept); least recently used first out.
 */
export class ResultCache {
  private readonly bytes = new Map<string, Buffer>();
  private total = 0;

  constructor(private readonly runs: RunsRepo) {}

  /** A done run's result, or undefined when it has none. */
  stored(id: string, v: ResultView): Buffer | undefined {
    const k = `${id}:${v}`;
    const hit = this.bytes.get(k);
    if (hit !== undefined) {
      // least recently used first out: move it to the end
      this.bytes.delete(k);
      this.bytes.set(k, hit);
      return hit;
    }
    const b = this.runs.resultBytes(id, v);
    return b === undefined ? undefined : this.remember(id, v, b);
  }

  /** Keep a result's bytes in memory (bounded), and return them. */
  remember(id: string, v: ResultView, bytes: Uint8Array): Buffer {
    const k = `${id}:${v}`;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.drop(k);
    if (buf.length <= RESULT_CACHE_BYTES / 4) {
      this.bytes.set(k, buf);
      this.total += buf.length;
      while (this.total > RESULT_CACHE_BYTES || this.bytes.size > RESULT_CACHE_ENTRIES) {
        this.drop(this.bytes.keys().next().value as string);
      }
    }
    return buf;
  }

  /** Forget both forms of a run's result (the run was deleted). */
  forget(id: string): void {
    for (const v of ['full', 'summary']) this.drop(`${id}:${v}`);
  }

  private drop(k: string): void {
    const old = this.bytes.get(k);
    if (old !== undefined) {
      this.total -= old.length;
      this.bytes.delete(k);
    }
  }
}

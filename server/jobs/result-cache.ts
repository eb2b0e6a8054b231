import type { ResultForm } from '../result-forms.ts';

/** A stored form up to this size is kept in memory whole once read (bigger ones are always streamed). */
export const MAX_CACHED_FORM_BYTES = 1024 * 1024;
/** What the cache holds at most. */
const CACHE_BYTES = 64 * 1024 * 1024;
const CACHE_ENTRIES = 128;

/**
 * Small stored forms of done runs as UTF-8 bytes (they never change): the most recently used are kept
 * in memory, at most 64 MiB and 128 entries, each at most `MAX_CACHED_FORM_BYTES`; least recently used
 * first out. Larger forms are not kept: they are streamed from the database a part at a time.
 */
export class ResultCache {
  private readonly bytes = new Map<string, Buffer>();
  private total = 0;

  /** A kept form, or undefined. */
  get(id: string, form: ResultForm): Buffer | undefined {
    const k = `${id}:${form}`;
    const hit = this.bytes.get(k);
    if (hit !== undefined) {
      // least recently used first out: move it to the end
      this.bytes.delete(k);
      this.bytes.set(k, hit);
    }
    return hit;
  }

  /** Keep a form's bytes in memory when it is small enough (bounded); returns them as a Buffer. */
  remember(id: string, form: ResultForm, bytes: Uint8Array): Buffer {
    const k = `${id}:${form}`;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.drop(k);
    if (buf.length <= MAX_CACHED_FORM_BYTES) {
      this.bytes.set(k, buf);
      this.total += buf.length;
      while (this.total > CACHE_BYTES || this.bytes.size > CACHE_ENTRIES) {
        this.drop(this.bytes.keys().next().value as string);
      }
    }
    return buf;
  }

  /** Forget every form of a run (the run was deleted). */
  forget(id: string): void {
    for (const k of [...this.bytes.keys()]) if (k.startsWith(`${id}:`)) this.drop(k);
  }

  private drop(k: string): void {
    const old = this.bytes.get(k);
    if (old !== undefined) {
      this.total -= old.length;
      this.bytes.delete(k);
    }
  }
}

import type { CheckRequest } from '../models/operator/check.ts';
import type { CheckReply } from './check-types.ts';

/** The page's handle on the check worker (started on first use; one request at a time matters). */
export class Checker {
  private worker: Worker | null = null;
  private seq = 0;

  /** Check a meter file; resolves with the reply, or null when a newer check superseded it. */
  check(csv: string, request: CheckRequest): Promise<CheckReply | null> {
    const id = ++this.seq;
    this.worker ??= new Worker(new URL('./check.worker.ts', import.meta.url), { type: 'module' });
    const w = this.worker;
    return new Promise((resolve) => {
      const done = (r: CheckReply | null) => {
        w.removeEventListener('message', onMessage);
        w.removeEventListener('error', onError);
        resolve(r);
      };
      const onMessage = (ev: MessageEvent<CheckReply>) => {
        if (ev.data.id !== id) return;
        done(id === this.seq ? ev.data : null);
      };
      const onError = (ev: ErrorEvent) => {
        ev.preventDefault();
        this.worker?.terminate();
        this.worker = null;
        done({ id, ok: false, error: `the check worker failed: ${ev.message || 'script error'}` });
      };
      w.addEventListener('message', onMessage);
      w.addEventListener('error', onError);
      w.postMessage({ id, csv, request });
    });
  }
}

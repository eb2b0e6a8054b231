import type { ClusterSeed } from '../seeds/schema.ts';
import type { EngineRequest, EngineResponse } from './engine-types.ts';

type Answer = Exclude<EngineResponse, { ok: true }> | Extract<EngineResponse, { ok: true }>;

/**
 * The page's handle on the engine worker. Only the newest request of a caller matters: an answer to an
 * older one is dropped, so fast edits never redraw stale numbers.
 */
export class Engine {
  private worker: Worker;
  private seq = 0;
  private pending = new Map<number, (r: Answer) => void>();
  extraClusters: ClusterSeed[] = [];

  constructor() {
    this.worker = this.start();
  }

  /**
   * A new worker. If it fails (a script error, an uncaught exception, an answer that cannot be read),
   * every request waiting on it gets an error answer saying so — shown where a validation error
   * would be — and the next request starts a fresh worker, so the page never waits forever.
   */
  private start(): Worker {
    const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (ev: MessageEvent<EngineResponse>) => {
      const done = this.pending.get(ev.data.id);
      this.pending.delete(ev.data.id);
      done?.(ev.data);
    };
    const fail = (why: string) => {
      worker.terminate();
      if (this.worker === worker) this.broken = true;
      const waiting = [...this.pending.entries()];
      this.pending.clear();
      for (const [id, done] of waiting)
        done({ id, ok: false, errors: [{ path: '', message: `the engine worker failed: ${why}` }] });
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      fail(ev.message || 'script error');
    };
    worker.onmessageerror = () => fail('an answer could not be read');
    return worker;
  }

  private broken = false;

  /** Simulate; resolves with the answer, or null when a newer request of the same `lane` superseded it. */
  run(scenario: unknown, focus?: EngineRequest['focus'], lane = 'default'): Promise<Answer | null> {
    const id = ++this.seq;
    this.latest.set(lane, id);
    return new Promise((resolve) => {
      this.pending.set(id, (r) => resolve(this.latest.get(lane) === id ? r : null));
      const req: EngineRequest = { id, scenario, focus, extraClusters: this.extraClusters };
      if (this.broken) {
        this.worker = this.start();
        this.broken = false;
      }
      this.worker.postMessage(req);
    });
  }

  private latest = new Map<string, number>();
}

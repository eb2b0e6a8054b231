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
    this.worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev: MessageEvent<EngineResponse>) => {
      const done = this.pending.get(ev.data.id);
      this.pending.delete(ev.data.id);
      done?.(ev.data);
    };
  }

  /** Simulate; resolves with the answer, or null when a newer request of the same `lane` superseded it. */
  run(scenario: unknown, focus?: EngineRequest['focus'], lane = 'default'): Promise<Answer | null> {
    const id = ++this.seq;
    this.latest.set(lane, id);
    return new Promise((resolve) => {
      this.pending.set(id, (r) => resolve(this.latest.get(lane) === id ? r : null));
      const req: EngineRequest = { id, scenario, focus, extraClusters: this.extraClusters };
      this.worker.postMessage(req);
    });
  }

  private latest = new Map<string, number>();
}

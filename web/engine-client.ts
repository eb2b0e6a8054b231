import type { ClusterSeed } from '../seeds/schema.ts';
import type { EngineRequest, EngineResponse, EngineView } from './engine-types.ts';

type Answer = Exclude<EngineResponse, { ok: true }> | Extract<EngineResponse, { ok: true }>;

/** A request waiting for its lane's running request to answer, and its caller. */
interface Queued {
  req: EngineRequest;
  resolve: (r: Answer | null) => void;
}

/** One caller's stream of requests: at most one in the worker and one waiting behind it. */
interface Lane {
  running: number | null;
  queued: Queued | null;
}

/**
 * The page's handle on the engine worker. Edits are coalesced per caller (`lane`): while one request
 * of a lane is in the worker, a new one waits, and a newer one still replaces it (the replaced one
 * resolves null) — so however fast a slider is dragged, the worker runs the request in flight and then
 * the latest, never a backlog. Answers of a lane arrive in order, so an answer is never older than
 * one already drawn; `superseded` says a newer request is already on its way.
 */
export class Engine {
  private worker: Worker;
  private seq = 0;
  private pending = new Map<number, { lane: string; resolve: (r: Answer) => void }>();
  private lanes = new Map<string, Lane>();
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
      const p = this.pending.get(ev.data.id);
      this.pending.delete(ev.data.id);
      p?.resolve(ev.data);
    };
    const fail = (why: string) => {
      worker.terminate();
      if (this.worker === worker) this.broken = true;
      const waiting = [...this.pending.entries()];
      this.pending.clear();
      for (const [id, p] of waiting)
        p.resolve({ id, ok: false, errors: [{ path: '', message: `the engine worker failed: ${why}` }] });
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      fail(ev.message || 'script error');
    };
    worker.onmessageerror = () => fail('an answer could not be read');
    return worker;
  }

  private broken = false;

  private post(req: EngineRequest, lane: string, resolve: (r: Answer | null) => void): void {
    const l = this.laneOf(lane);
    l.running = req.id;
    this.pending.set(req.id, {
      lane,
      resolve: (r) => {
        l.running = null;
        const next = l.queued;
        l.queued = null;
        if (r.ok && next) r.superseded = true;
        resolve(r);
        if (next) this.post(next.req, lane, next.resolve);
      },
    });
    if (this.broken) {
      this.worker = this.start();
      this.broken = false;
    }
    this.worker.postMessage(req);
  }

  private laneOf(lane: string): Lane {
    let l = this.lanes.get(lane);
    if (!l) {
      l = { running: null, queued: null };
      this.lanes.set(lane, l);
    }
    return l;
  }

  /**
   * Simulate; resolves with the answer, or null when a newer request of the same `lane` replaced this
   * one before it reached the worker. `view` names what the caller draws: the worker sends only that.
   */
  run(
    scenario: unknown,
    focus?: EngineRequest['focus'],
    lane = 'default',
    view: EngineView = 'full',
  ): Promise<Answer | null> {
    const req: EngineRequest = { id: ++this.seq, scenario, focus, view, extraClusters: this.extraClusters };
    return new Promise((resolve) => {
      const l = this.laneOf(lane);
      if (l.running === null) {
        this.post(req, lane, resolve);
        return;
      }
      l.queued?.resolve(null);
      l.queued = { req, resolve };
    });
  }
}

import { type EngineCache, type EngineReference, engineCache } from '../models/simulate.ts';
import { engineReference } from '../seeds/index.ts';
import type { ClusterSeed } from '../seeds/schema.ts';

/** A worker's engine reference and the engine cache that belongs to it. */
export interface WorkerReference {
  /** The reference with these user clusters: the one kept, or a new one (with a new cache) when they changed. */
  reference(extra: ClusterSeed[]): EngineReference;
  /** The engine cache of the current reference (models/engine-cache.ts). */
  cache(): EngineCache;
}

/**
 * The reference data a page worker (engine.worker.ts, uncertainty.worker.ts) simulates with, built once
 * and kept across requests, with the engine cache for it: cooling profiles, PV and wind series, tariff
 * series and hourly buffers kept across edits. A new reference (other user clusters) gets a new cache.
 */
export function workerReference(): WorkerReference {
  let ref: EngineReference | null = null;
  let key = '';
  let cache = engineCache();
  return {
    reference(extra) {
      const k = JSON.stringify(extra.map((c) => c.id));
      if (!ref || k !== key) {
        ref = engineReference({ extraClusters: extra });
        key = k;
        cache = engineCache();
      }
      return ref;
    },
    cache: () => cache,
  };
}

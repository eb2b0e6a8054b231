import { HOURS_PER_YEAR } from './calendar.ts';
import { lruGet, ownedBy } from './memo.ts';
import type { BalanceWork } from './storage.ts';

/**
 * The engine's one place for reuse across years, clusters and runs: an object the caller (CLI, server
 * worker, page worker, a test) makes with `engineCache()`, passes to `simulate` in `RunOptions.cache`
 * and may drop at any time. The engine keeps no state of its own between calls: without a cache,
 * `simulate` makes one for the run and drops it at the end (years and clusters of one run still share).
 *
 * What it holds, and its bounds (each tested in test/models/engine-cache.test.ts):
 * - `site`: series that depend only on a climate year and a design — cooling profiles, the output of
 *   1 kW of PV and of wind, the sun's position — by climate object; the `SITE_PER_CLIMATE` most
 *   recently used per climate;
 * - `tariffs`: a cluster's hourly TOU periods (by the months' calendars and the weekday of 1 January:
 *   at most `PERIOD_CASES`) and hourly prices (by the months' components; the `PRICES_PER_CLUSTER`
 *   most recently used), each price series with the battery windows worked out from it, by cluster
 *   reference object;
 * - `fractions`: server power as a fraction of design power for every hour, by power curve and
 *   workload shape objects; the `FRACTIONS_PER_SHAPE` most recently used per pair;
 * - `idle`: the hourly buffers of the last finished run, lent to the next run (one set at most).
 * Entries keyed by an object (climate, calendar, curve, shape) live while the object is referenced
 * (WeakMap). The cache assumes the reference objects it has seen are not changed in place: a caller
 * that edits reference data makes a new cache. No array the cache holds is ever written after it is
 * made (the engine writes only the lent buffers, and only while it holds them).
 */
export interface EngineCache {
  readonly site: WeakMap<object, Map<string, unknown>>;
  readonly tariffs: WeakMap<object, TariffMemo>;
  readonly fractions: WeakMap<object, WeakMap<object, Map<string, Float64Array>>>;
  idle: RunScratch | null;
}

/** Series of a climate year kept per climate (most recently used). */
export const SITE_PER_CLIMATE = 24;
/** Price series kept per cluster reference (most recently used). */
export const PRICES_PER_CLUSTER = 64;
/** Period series kept per cluster reference (one per weekday of 1 January and calendar sequence). */
export const PERIOD_CASES = 16;
/** Power-fraction series kept per (power curve, workload shape) pair (70 kB each). */
export const FRACTIONS_PER_SHAPE = 32;

/** A cluster's hourly tariff series: periods by the months' calendars and weekday of 1 January, prices by their components. */
export interface TariffMemo {
  /** Period series by the months' calendars and the weekday of 1 January. */
  periods: Map<string, Uint8Array>;
  /** Peak-shaving battery windows of each period series, by the same key. */
  shaving: Map<string, Uint8Array>;
  prices: Map<string, PriceEntry>;
}

/** An hourly price series and the arbitrage windows worked out from it (by round-trip efficiency, at most 4). */
export interface PriceEntry {
  prices: Float64Array;
  arbitrage: Map<number, Uint8Array>;
}

/**
 * Hourly buffers shared by the clusters of a run, lent from one run to the next through the cache:
 * clusters are simulated one after another and keep no reference to them once done (hourly output is
 * copied), so each refills what the previous one used instead of allocating.
 */
export interface RunScratch {
  series: LoadSeries[];
  work: BalanceWork | null;
  onsite: Float64Array | null;
}

/** Hourly series of one load-year and their monthly totals (the year's totals and peaks: `FacilitySummary`). */
export interface LoadSeries {
  itKw: Float64Array;
  facilityKw: Float64Array;
  /** Water per hour, L: filled only when a year asks for it (`hasWater`). */
  waterL: Float64Array;
  hasWater: boolean;
  /** Month m (0–11): Σ IT kWh at [3m], Σ facility kWh at [3m + 1], facility peak kW at [3m + 2]. */
  months: Float64Array;
}

export function loadSeries(): LoadSeries {
  return {
    itKw: new Float64Array(HOURS_PER_YEAR),
    facilityKw: new Float64Array(HOURS_PER_YEAR),
    waterL: new Float64Array(HOURS_PER_YEAR),
    hasWater: false,
    months: new Float64Array(36),
  };
}

/** A new, empty engine cache. */
export function engineCache(): EngineCache {
  return { site: new WeakMap(), tariffs: new WeakMap(), fractions: new WeakMap(), idle: null };
}

/**
 * Buffers for a run: the previous run's, or new. `simulate` is synchronous, so a cache lends its
 * buffers to one run at a time; a run started from inside another's callback finds none idle and
 * gets its own. A run that throws does not give its buffers back.
 */
export function takeScratch(cache: EngineCache): RunScratch {
  const s = cache.idle ?? { series: [], work: null, onsite: null };
  cache.idle = null;
  return s;
}

export function returnScratch(cache: EngineCache, s: RunScratch): void {
  cache.idle = s;
}

/** A series of a climate year (`site`), made once per key and kept (most recently used). */
export function siteSeries<T>(cache: EngineCache, climate: object, key: string, make: () => T): T {
  const m = ownedBy(cache.site, climate, () => new Map<string, unknown>());
  return lruGet(m, key, make, SITE_PER_CLIMATE) as T;
}

/** A calendar's memo of hourly series. */
export function tariffMemo(cache: EngineCache, calendar: object): TariffMemo {
  return ownedBy(cache.tariffs, calendar, () => ({
    periods: new Map(),
    shaving: new Map(),
    prices: new Map(),
  }));
}

/** The power-fraction series of a (power curve, workload shape) pair, by case key. */
export function fractionMemo(cache: EngineCache, curve: object, shape: object): Map<string, Float64Array> {
  const byShape = ownedBy(cache.fractions, curve, () => new WeakMap<object, Map<string, Float64Array>>());
  return ownedBy(byShape, shape, () => new Map<string, Float64Array>());
}

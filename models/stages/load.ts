import { HOURS_PER_YEAR, jan1Weekday } from '../calendar.ts';
import { type CapacityYear, capacityInYear, itPowerSeries } from '../capacity.ts';
import { type CoolingProfile, type FacilitySummary, facilityLoad } from '../cooling.ts';
import { FRACTIONS_PER_SHAPE, type LoadSeries, loadSeries } from '../engine-cache.ts';
import { lruGet } from '../memo.ts';
import { powerFractionSeries } from '../powerCurve.ts';
import type { PreparedCluster } from '../prepare/types.ts';
import { hourlyUtilisation } from '../utilisation.ts';

/** What the capacity, IT-load and facility stages give for one year. */
export interface LoadYear {
  cap: CapacityYear;
  occupancy: number;
  serverUtilisation: number;
  facility: FacilitySummary;
  series: LoadSeries;
}

/** A computed load-year: its series and the facility totals. */
interface LoadEntry {
  series: LoadSeries;
  facility: FacilitySummary;
}

/**
 * Load-years already computed for one cluster. A year's IT and facility load depend only on the IT
 * design power in service, occupancy, mean server utilisation and the weekday of 1 January (the
 * weekly utilisation shape's alignment); the climate and cooling design are the cluster's. Once a
 * build-out reaches its plateau most years repeat one of seven weekday alignments, so each distinct
 * case is computed once and its series shared (read-only) by the years that repeat it. At most
 * `MAX_LOAD_YEARS` are kept; the least recently used entry's buffers are refilled for a new case.
 */
export interface LoadCache {
  entries: Map<string, LoadEntry>;
  /** Power-fraction series of this cluster's weekly shape and power curve (shared with the run). */
  fractions: Map<string, Float64Array>;
  /** Series buffers of clusters simulated earlier in the run, free to be refilled. */
  spare: LoadSeries[];
}

const MAX_LOAD_YEARS = 16;

/**
 * A cluster's load cache: no entries yet, the run's power-fraction series of its (power curve,
 * workload shape) pair (`fractionMemo` of the engine cache) and the run's spare buffers.
 */
export function loadCache(fractions: Map<string, Float64Array>, spare: LoadSeries[] = []): LoadCache {
  return { entries: new Map(), fractions, spare };
}

/**
 * Server power as a fraction of design power in every hour: the weekly utilisation shape scaled to the
 * year's mean utilisation, through the server power curve. It depends only on (mean utilisation,
 * weekday of 1 January, phase shift) for a given shape and curve, so each distinct case is computed
 * once and kept (the `FRACTIONS_PER_SHAPE` most recently used, in the engine cache) for later years
 * and runs.
 */
export function powerFractions(
  pc: PreparedCluster,
  util: number,
  year: number,
  cache: Map<string, Float64Array>,
): Float64Array {
  const key = `${util}|${jan1Weekday(year)}|${pc.phaseShiftHours}`;
  return lruGet(
    cache,
    key,
    () => {
      const u = hourlyUtilisation(pc.shape.weekly, util, year, { phaseShiftHours: pc.phaseShiftHours });
      return powerFractionSeries(pc.curve, u, new Float64Array(HOURS_PER_YEAR));
    },
    FRACTIONS_PER_SHAPE,
  );
}

/**
 * Buffers for a new entry: spare ones from an earlier cluster, fresh ones, or those of the least
 * recently used entry once the cache is full.
 */
function freeSeries(cache: LoadCache): LoadSeries {
  if (cache.entries.size < MAX_LOAD_YEARS) return cache.spare.pop() ?? loadSeries();
  const [oldest, entry] = cache.entries.entries().next().value as [string, LoadEntry];
  cache.entries.delete(oldest);
  return entry.series;
}

/** Hand the cache's buffers back to the run's spares (the cluster is done with them). */
export function releaseLoadCache(cache: LoadCache): void {
  for (const e of cache.entries.values()) cache.spare.push(e.series);
  cache.entries.clear();
}

/**
 * Capacity → IT load → facility (cooling and electrical) for one year: racks in service, the hourly IT
 * power of the occupied racks, and the facility power (and, with `water`, the water of every hour) of
 * the halls built for them. The returned series belong to the cache: read them, do not write them.
 */
export function loadStage(
  pc: PreparedCluster,
  year: number,
  profile: CoolingProfile,
  cache: LoadCache,
  water = true,
): LoadYear {
  const cap = capacityInYear(pc.phases, year);
  const occupancy = pc.occupancy(year);
  const util = pc.serverUtilisation(year);
  const key = `${cap.designItKw}|${occupancy}|${util}|${jan1Weekday(year)}`;
  let entry = cache.entries.get(key);
  if (entry) cache.entries.delete(key); // most recently used last
  if (!entry || (water && !entry.series.hasWater)) {
    const series = entry?.series ?? freeSeries(cache);
    itPowerSeries(cap.designItKw, occupancy, powerFractions(pc, util, year, cache.fractions), series.itKw);
    // Halls, plant and lighting are built for the racks in service; modular UPS capacity is energised
    // for the occupied racks, never below its stated minimum share (docs/models/cooling.md).
    const energised = cap.designItKw * Math.max(occupancy, pc.design.p.upsMinEnergisedFraction);
    const facility = facilityLoad(
      series.itKw,
      { installedItKw: cap.designItKw, energisedItKw: energised },
      pc.design,
      profile,
      { facilityKw: series.facilityKw, waterL: water ? series.waterL : null, months: series.months },
    );
    series.hasWater = water;
    entry = { series, facility };
  }
  cache.entries.set(key, entry);
  return { cap, occupancy, serverUtilisation: util, facility: entry.facility, series: entry.series };
}

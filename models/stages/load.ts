import { HOURS_PER_YEAR, jan1Weekday } from '../calendar.ts';
import { type CapacityYear, capacityInYear, itPowerSeries } from '../capacity.ts';
import { type CoolingProfile, type FacilitySummary, facilityLoad } from '../cooling.ts';
import { powerFractionSeries } from '../powerCurve.ts';
import type { PreparedCluster } from '../prepare/types.ts';
import { hourlyUtilisation } from '../utilisation.ts';

/** Hourly buffers of one cluster-year, allocated once per cluster and refilled every year. */
export interface LoadBuffers {
  itKw: Float64Array;
  facilityKw: Float64Array;
  waterL: Float64Array;
}

export function loadBuffers(): LoadBuffers {
  return {
    itKw: new Float64Array(HOURS_PER_YEAR),
    facilityKw: new Float64Array(HOURS_PER_YEAR),
    waterL: new Float64Array(HOURS_PER_YEAR),
  };
}

/** What the capacity, IT-load and facility stages give for one year. */
export interface LoadYear {
  cap: CapacityYear;
  occupancy: number;
  serverUtilisation: number;
  facility: FacilitySummary;
}

/**
 * Server power as a fraction of design power in every hour: the weekly utilisation shape scaled to the
 * year's mean utilisation, through the server power curve. It depends only on (mean utilisation,
 * weekday of 1 January), so each distinct pair is computed once per cluster.
 */
export function powerFractions(
  pc: PreparedCluster,
  util: number,
  year: number,
  cache: Map<string, Float64Array>,
): Float64Array {
  const key = `${util}|${jan1Weekday(year)}`;
  let frac = cache.get(key);
  if (!frac) {
    const u = hourlyUtilisation(pc.shape.weekly, util, year, { phaseShiftHours: pc.phaseShiftHours });
    frac = powerFractionSeries(pc.curve, u, new Float64Array(HOURS_PER_YEAR));
    cache.set(key, frac);
  }
  return frac;
}

/**
 * Capacity → IT load → facility (cooling and electrical) for one year: racks in service, the hourly IT
 * power of the occupied racks, and the facility power and water of the halls built for them.
 */
export function loadStage(
  pc: PreparedCluster,
  year: number,
  profile: CoolingProfile,
  buf: LoadBuffers,
  fractionCache: Map<string, Float64Array>,
): LoadYear {
  const cap = capacityInYear(pc.phases, year);
  const occupancy = pc.occupancy(year);
  const util = pc.serverUtilisation(year);
  itPowerSeries(cap.designItKw, occupancy, powerFractions(pc, util, year, fractionCache), buf.itKw);
  // Halls, plant and lighting are built for the racks in service; modular UPS capacity is energised
  // for the occupied racks, never below its stated minimum share (docs/models/cooling.md).
  const energised = cap.designItKw * Math.max(occupancy, pc.design.p.upsMinEnergisedFraction);
  const facility = facilityLoad(
    buf.itKw,
    { installedItKw: cap.designItKw, energisedItKw: energised },
    pc.design,
    profile,
    buf,
  );
  return { cap, occupancy, serverUtilisation: util, facility };
}

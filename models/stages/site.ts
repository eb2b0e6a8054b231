import type { ClimateYear } from '../climate.ts';
import { type CoolingDesign, type CoolingProfile, prepareCooling } from '../cooling.ts';
import { lruGet, mapOf } from '../memo.ts';
import type { PreparedGreen } from '../prepare/types.ts';
import { pvDefaults, pvOutputKw } from '../pv.ts';
import { solarPosition } from '../solar.ts';
import {
  speedScaleForFullLoadHours,
  type WindParams,
  windDefaults,
  windFullLoadHours,
  windOutputKw,
} from '../wind.ts';

/**
 * Site stage: the hourly series that depend only on the climate year and a design — the cooling
 * profile (modes, kW and litres per kW of heat, chiller curve modifiers) and the output of 1 kW of PV
 * or wind. They are the same in every simulated year and for every run on the same climate, so they
 * are computed once per (climate, design) and memoised on the climate object (a WeakMap: a climate
 * that is no longer referenced takes its series with it). Each climate keeps its most recent
 * `MAX_PER_CLIMATE` series, so editing overrides one by one cannot grow memory without bound.
 * Memoising changes no number: the same inputs give the same series (tested).
 */

const MAX_PER_CLIMATE = 24;
const memo = new WeakMap<object, Map<string, unknown>>();

function memoised<T>(
  climate: object,
  key: string,
  make: () => T,
  cache: WeakMap<object, Map<string, unknown>> = memo,
): T {
  return lruGet(mapOf(cache, climate), key, make, MAX_PER_CLIMATE) as T;
}

/** The cooling profile of a design on a climate year (`prepareCooling`), memoised. */
export function coolingProfileFor(
  design: CoolingDesign,
  climate: ClimateYear,
  cache?: WeakMap<object, Map<string, CoolingProfile>>,
): CoolingProfile {
  return memoised(
    climate,
    `cooling|${design.name}|${JSON.stringify(design.p)}`,
    () => prepareCooling(design, climate),
    cache as WeakMap<object, Map<string, unknown>> | undefined,
  );
}

/** AC output of 1 kW(dc) of PV in each hour of the climate year, kW; memoised. */
export function pvUnitOutput(climate: ClimateYear, pv: NonNullable<PreparedGreen['pv']>): Float64Array {
  const over = pv.params;
  const site = climate.site;
  return memoised(climate, `pv|${JSON.stringify(over)}`, () =>
    pvOutputKw(
      memoised(climate, 'sun', () => solarPosition(site.latDeg, site.lonDeg, site.utcOffsetHours)),
      climate,
      pvDefaults(site.latDeg, 1, over),
    ),
  );
}

/** AC output of 1 kW of wind in each hour of the climate year (speed scaled), kW; memoised. */
export function windUnitOutput(climate: ClimateYear, wind: NonNullable<PreparedGreen['wind']>): Float64Array {
  const over = { ...wind.params, speedScale: wind.speedScale };
  return memoised(climate, `wind|${JSON.stringify(over)}`, () =>
    windOutputKw(climate.windMps, climate.pressurePa, climate.tDryC, windDefaults(1, over)),
  );
}

/** Full-load hours of the station's wind through a turbine (`windFullLoadHours`), memoised. */
export function stationWindHours(climate: ClimateYear, params: WindParams): number {
  return memoised(climate, `windHours|${JSON.stringify(params)}`, () =>
    windFullLoadHours(climate.windMps, climate.pressurePa, climate.tDryC, params),
  );
}

/** The wind-speed scale that gives `hours` full-load hours (`speedScaleForFullLoadHours`), memoised. */
export function windSpeedScale(
  climate: ClimateYear,
  params: WindParams,
  hours: number,
): ReturnType<typeof speedScaleForFullLoadHours> {
  return memoised(climate, `windScale|${hours}|${JSON.stringify(params)}`, () =>
    speedScaleForFullLoadHours(climate.windMps, climate.pressurePa, climate.tDryC, params, hours),
  );
}

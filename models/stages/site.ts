import type { ClimateYear } from '../climate.ts';
import { type CoolingDesign, type CoolingProfile, prepareCooling } from '../cooling.ts';
import { type EngineCache, siteSeries } from '../engine-cache.ts';
import { type PvParams, pvDefaults, pvOutputKw } from '../pv.ts';
import { solarPosition } from '../solar.ts';
import { type WindParams, windDefaults, windOutputKw } from '../wind.ts';

/**
 * Site stage: the hourly series that depend only on the climate year and a design — the cooling
 * profile (modes, kW and litres per kW of heat, chiller curve modifiers) and the output of 1 kW of PV
 * or wind. They are the same in every simulated year and for every run on the same climate, so they
 * are kept in the caller's engine cache (`siteSeries`: by climate object and parameters). Reuse
 * changes no number: the same inputs give the same series (tested).
 */

/** The cooling profile of a design on a climate year (`prepareCooling`), kept in the cache. */
export function coolingProfileFor(
  cache: EngineCache,
  design: CoolingDesign,
  climate: ClimateYear,
): CoolingProfile {
  return siteSeries(cache, climate, `cooling|${design.name}|${JSON.stringify(design.p)}`, () =>
    prepareCooling(design, climate),
  );
}

/** AC output of 1 kW(dc) of PV in each hour of the climate year, kW, for the given parameters. */
export function pvUnitOutput(
  cache: EngineCache,
  climate: ClimateYear,
  params: Partial<PvParams>,
): Float64Array {
  const site = climate.site;
  return siteSeries(cache, climate, `pv|${JSON.stringify(params)}`, () =>
    pvOutputKw(
      siteSeries(cache, climate, 'sun', () => solarPosition(site.latDeg, site.lonDeg, site.utcOffsetHours)),
      climate,
      pvDefaults(site.latDeg, 1, params),
    ),
  );
}

/** AC output of 1 kW of wind in each hour of the climate year (station speed × `speedScale`), kW. */
export function windUnitOutput(
  cache: EngineCache,
  climate: ClimateYear,
  params: Partial<WindParams>,
  speedScale: number,
): Float64Array {
  const over = { ...params, speedScale };
  return siteSeries(cache, climate, `wind|${JSON.stringify(over)}`, () =>
    windOutputKw(climate.windMps, climate.pressurePa, climate.tDryC, windDefaults(1, over)),
  );
}

import { HOURS_PER_YEAR } from '../calendar.ts';
import type { ClimateYear } from '../climate.ts';
import { siteSeries } from '../engine-cache.ts';
import { applyTable, type InputTable } from '../input-row.ts';
import { clusterField } from '../inputs.ts';
import { PV_TABLE, type PvParams } from '../pv.ts';
import { type ClusterScenario, ValidationError } from '../scenario.ts';
import type { DispatchPolicy } from '../storage.ts';
import {
  speedScaleForFullLoadHours,
  WIND_TABLE,
  type WindParams,
  windDefaults,
  windFullLoadHours,
} from '../wind.ts';
import {
  clampTo,
  constant,
  defaultFactor,
  type PrepareContext,
  peekDefault,
  plain,
  quantity,
  quantityOrThrow,
  useDefault,
} from './resolve.ts';
import type { PreparedGreen } from './types.ts';

type Green = NonNullable<ClusterScenario['green']>;

/**
 * A table's values the scenario overrides, checked against the table (its rows' hard bounds refuse,
 * their usual ranges warn), with every default it leaves in place listed in the assumptions
 * (`green.pv.overrides.albedo`, …).
 */
function tableOverrides(
  ctx: PrepareContext,
  prefix: string,
  table: InputTable,
  overrides: Record<string, number> | undefined,
): Record<string, number> {
  const out = { ...overrides };
  try {
    const { used, warnings } = applyTable(prefix, table, overrides);
    ctx.assumptions.push(...used);
    ctx.warnings.push(...warnings.map((w) => `${ctx.p}.${w}`));
    // A Monte Carlo sample may move the defaults (grade bands): they then go in as overrides.
    for (const u of used) {
      const k = u.field.slice(prefix.length + 1);
      const f = defaultFactor(ctx, u.field, u.grade, table[k].value, table[k]);
      if (f !== 1) out[k] = clampTo(table[k].value * f, table[k]);
    }
  } catch (e) {
    const m = /^([^:]*): (.*)$/.exec((e as Error).message)!;
    throw new ValidationError([{ path: `${ctx.p}.${m[1]}`, message: m[2] }]);
  }
  return out;
}

/**
 * PV parameters the scenario gives: orientation, tracking and beam source (their defaults — tilt =
 * |latitude| facing the equator, fixed mount, the file's DNI — come from their rows, listed when used)
 * and overrides of `PV_TABLE`.
 */
function pvParams(ctx: PrepareContext, pv: NonNullable<Green['pv']>): Partial<PvParams> {
  const over: Partial<PvParams> = tableOverrides(ctx, 'green.pv.overrides', PV_TABLE, pv.overrides);
  // Given values go into the parameters; defaults are listed and left to the PV model's own
  // (`pvDefaults`: the same rules, by latitude), so the series' cache key names only what was given.
  if (pv.tiltDeg !== undefined) over.tiltDeg = pv.tiltDeg as number;
  else useDefault(ctx, 'green.pv.tiltDeg');
  if (pv.azimuthDeg !== undefined) over.azimuthDeg = pv.azimuthDeg as number;
  else useDefault(ctx, 'green.pv.azimuthDeg');
  if (pv.tracking !== undefined) over.tracking = pv.tracking as PvParams['tracking'];
  else useDefault(ctx, 'green.pv.tracking');
  if (pv.beam !== undefined) over.beam = pv.beam as PvParams['beam'];
  else useDefault(ctx, 'green.pv.beam');
  return over;
}

/** Wind parameters the scenario gives: hub height and overrides of `WIND_TABLE` (the rest listed when used). */
function windParams(ctx: PrepareContext, wind: NonNullable<Green['wind']>): Partial<WindParams> {
  const { hubHeightM: _hub, ...rest } = WIND_TABLE;
  const over: Partial<WindParams> = tableOverrides(ctx, 'green.wind.overrides', rest, wind.overrides);
  const hub = plain(ctx, 'green.wind.hubHeightM', wind.hubHeightM as number | undefined);
  // Given, or the default moved by a Monte Carlo sample; else the model's own default (the same row).
  if (wind.hubHeightM !== undefined || hub !== WIND_TABLE.hubHeightM.value) over.hubHeightM = hub;
  return over;
}

function preparePv(ctx: PrepareContext, pv: Green['pv']): PreparedGreen['pv'] {
  if (!pv) return null;
  return {
    dcKw: quantityOrThrow(ctx, 'green.pv.dcKw', pv.dcKw),
    fromYear: plain(ctx, 'green.pv.fromYear', pv.fromYear as number | undefined) as number,
    capexCnyPerW: constant(ctx, 'green.pv.capexCnyPerW', pv.capexCnyPerW) as number,
    params: pvParams(ctx, pv),
  };
}

function prepareWind(ctx: PrepareContext, wind: Green['wind']): PreparedGreen['wind'] {
  if (!wind) return null;
  return {
    ratedKw: quantityOrThrow(ctx, 'green.wind.ratedKw', wind.ratedKw),
    fromYear: plain(ctx, 'green.wind.fromYear', wind.fromYear as number | undefined) as number,
    capexCnyPerW: constant(ctx, 'green.wind.capexCnyPerW', wind.capexCnyPerW) as number,
    params: windParams(ctx, wind),
    speedScale: 1,
  };
}

function prepareBattery(ctx: PrepareContext, b: Green['battery']): PreparedGreen['battery'] {
  if (!b) return null;
  const start = ctx.years[0];
  const energyKwh = quantityOrThrow(ctx, 'green.battery.energyKwh', b.energyKwh);
  const powerKw = quantityOrThrow(ctx, 'green.battery.powerKw', b.powerKw);
  const hours = powerKw(start) > 0 ? energyKwh(start) / powerKw(start) : 2;
  const num = (k: 'roundTripEfficiency' | 'depthOfDischarge' | 'fadePerYear' | 'fadePerCycle') =>
    plain(ctx, `green.battery.${k}`, b[k] as number | undefined) as number;
  return {
    energyKwh,
    powerKw,
    policy: b.policy as DispatchPolicy,
    roundTripEfficiency: num('roundTripEfficiency'),
    depthOfDischarge: num('depthOfDischarge'),
    fadePerYear: num('fadePerYear'),
    fadePerCycle: num('fadePerCycle'),
    capexCnyPerWh: constant(ctx, 'green.battery.capexCnyPerWh', b.capexCnyPerWh, undefined, hours) as number,
    fromYear: plain(ctx, 'green.battery.fromYear', b.fromYear as number | undefined) as number,
  };
}

function prepareContracted(ctx: PrepareContext, ct: Green['contracted']): PreparedGreen['contracted'] {
  if (!ct) return null;
  const price = quantity(ctx, 'green.contracted.priceCnyPerMwh', ct.priceCnyPerMwh);
  return {
    share: quantity(ctx, 'green.contracted.share', ct.share),
    mwh: quantity(ctx, 'green.contracted.mwh', ct.mwh),
    // A premium and a contracted price are exclusive (the schema says so): with a price, no premium.
    premium: price ? () => 0 : quantityOrThrow(ctx, 'green.contracted.premiumCnyPerMwh', ct.premiumCnyPerMwh),
    price,
  };
}

function prepareCertificates(ctx: PrepareContext, gc: Green['certificates']): PreparedGreen['certificates'] {
  if (!gc) return null;
  return {
    mwh: quantityOrThrow(ctx, 'green.certificates.mwh', gc.mwh),
    price: quantityOrThrow(ctx, 'green.certificates.priceCnyPerMwh', gc.priceCnyPerMwh),
  };
}

/**
 * On-site PV and wind, battery, contracted green power and certificates of one cluster, resolved for
 * every year; what the scenario leaves out comes from the input rows' defaults (listed).
 */
export function prepareGreen(ctx: PrepareContext, g: ClusterScenario['green']): PreparedGreen | null {
  if (!g) return null;
  return {
    pv: preparePv(ctx, g.pv),
    wind: prepareWind(ctx, g.wind),
    battery: prepareBattery(ctx, g.battery),
    contracted: prepareContracted(ctx, g.contracted),
    certificates: prepareCertificates(ctx, g.certificates),
    exportCapKw: quantityOrThrow(ctx, 'green.exportCapKw', g.exportCapKw),
    exportPrice: quantityOrThrow(ctx, 'green.exportPriceCnyPerKwh', g.exportPriceCnyPerKwh),
  };
}

/**
 * The wind resource: the station's 10 m wind carried to hub height and through the farm power curve
 * (models/wind.ts), as it is ('station') or with its speeds scaled so that the farm gives a full-load-
 * hours figure — the scenario's, else the row's default (models/inputs.ts `windResource`: the province's
 * published wind utilisation hours). The station gives the hour-by-hour timing, the province the level.
 * The choice, with the station's own hours and the scale, goes into the result's assumptions; a scale
 * above 2 warns that the station is a weak proxy of a wind-farm site.
 */
export function prepareWindResource(
  ctx: PrepareContext,
  given: NonNullable<Green['wind']>['resource'],
  climate: ClimateYear,
  wind: NonNullable<PreparedGreen['wind']>,
): void {
  const { p, assumptions, warnings } = ctx;
  const params = windDefaults(1, wind.params);
  // Climate-only series: kept in the caller's engine cache, when there is one.
  const keep = <T>(key: string, make: () => T): T =>
    ctx.cache ? siteSeries(ctx.cache, climate, key, make) : make();
  const stationHours = keep(`windHours|${JSON.stringify(params)}`, () =>
    windFullLoadHours(climate.windMps, climate.pressurePa, climate.tDryC, params),
  );
  // The default (the row's rule): the province's seeded full-load hours where known, else 'station'.
  const d = given === undefined ? peekDefault(ctx, 'green.wind.resource') : null;
  let target: { hours: number; source: string; grade: string; path: string } | null = null;
  if (given && given !== 'station')
    target = {
      hours: given.fullLoadHours as number,
      source: given.source as string,
      grade: 'input',
      path: `${p}.green.wind.resource.fullLoadHours`,
    };
  else if (d && typeof d.value === 'number') {
    // The province's hours are an estimate a grade band may move (`--grades`).
    const f = defaultFactor(
      ctx,
      'green.wind.resource',
      d.grade,
      d.value,
      clusterField('green.wind.resource.fullLoadHours'),
    );
    target = {
      hours: clampTo(d.value * f, clusterField('green.wind.resource.fullLoadHours')),
      source: d.source,
      grade: d.grade,
      path: `${p}.green.wind.resource`,
    };
  }
  const cf = (h: number) => `${((h / HOURS_PER_YEAR) * 100).toFixed(2)} % capacity factor`;
  if (!target) {
    assumptions.push({
      field: 'green.wind.resource',
      value: `the station's wind (${climate.source}) at ${params.hubHeightM} m hub through the farm power curve: ${Math.round(stationHours)} full-load h, ${cf(stationHours)}`,
      source: given === 'station' ? 'scenario choice' : (d?.source ?? 'no provincial default seeded'),
      grade: given === 'station' ? 'input' : (d?.grade ?? 'NOT FOUND'),
    });
    if (given === undefined)
      warnings.push(
        `green.wind: the station's wind gives ${Math.round(stationHours)} full-load h (${cf(stationHours)}) — a weather station is not a wind-farm site; no wind utilisation hours are seeded for the province: give green.wind.resource { fullLoadHours, source }`,
      );
    return;
  }
  const hours = target.hours;
  const fit = keep(`windScale|${hours}|${JSON.stringify(params)}`, () =>
    speedScaleForFullLoadHours(climate.windMps, climate.pressurePa, climate.tDryC, params, hours),
  );
  if (fit.scale === null)
    throw new ValidationError([
      {
        path: target.path,
        message: `the station's wind (${climate.source}) cannot give ${target.hours} full-load h with its calm hours (at most ${Math.round(fit.maxHours)} h); import a site EPW instead`,
      },
    ]);
  wind.speedScale = fit.scale;
  const at = `at ${params.hubHeightM} m hub (shear α ${params.shearExponent}), farm power curve, ${Math.round(100 * (1 - params.availability * (1 - params.losses)))} % losses`;
  assumptions.push({
    field: 'green.wind.resource',
    value: `${target.hours} full-load h (${cf(target.hours)}): the station's hourly wind ${at}, speeds × ${fit.scale.toFixed(3)} (station alone: ${Math.round(stationHours)} h)`,
    source: target.source,
    grade: target.grade,
  });
  if (fit.scale > 2)
    warnings.push(
      `green.wind: the station (${climate.source}) is a weak proxy of a wind-farm site: its speeds are scaled × ${fit.scale.toFixed(2)} to give ${target.hours} full-load h (alone ${Math.round(stationHours)} h ${at}); the hourly timing is the station's — import a site's hourly wind for a project decision`,
    );
}

import { HOURS_PER_YEAR } from '../calendar.ts';
import type { ClimateYear } from '../climate.ts';
import { applyTable, type InputTable, rowAssumption } from '../inputs.ts';
import { PV_TABLE, type PvParams } from '../pv.ts';
import { type ClusterScenario, RULES, ValidationError } from '../scenario.ts';
import { BATTERY_TABLE } from '../storage.ts';
import {
  speedScaleForFullLoadHours,
  WIND_TABLE,
  type WindParams,
  windDefaults,
  windFullLoadHours,
} from '../wind.ts';
import { optional, type PrepareContext, resolve, resolveConstant, useDefault, useSeeded } from './resolve.ts';
import type { PreparedGreen } from './types.ts';

type Green = NonNullable<ClusterScenario['green']>;

/** A cost given in the scenario (constant), else its sourced default, recorded in the assumptions. */
function cost(
  ctx: PrepareContext,
  given: unknown,
  sub: string,
  rule: typeof RULES.capexCnyPerW,
  def?: { value: number; source: string; grade: string },
): number {
  if (given !== undefined) return resolveConstant(given, rule, `${ctx.p}.green.${sub}`);
  return def ? useDefault(ctx, `green.${sub}`, def) : useSeeded(ctx, `green.${sub}`);
}

/**
 * A table's values the scenario overrides, checked against the table, with every default it leaves
 * in place listed in the assumptions (`green.pv.overrides.albedo`, …).
 */
function tableOverrides(
  ctx: PrepareContext,
  prefix: string,
  table: InputTable,
  overrides: Record<string, number> | undefined,
): Record<string, number> {
  try {
    ctx.assumptions.push(...applyTable(prefix, table, overrides, { withinRange: true }).used);
  } catch (e) {
    const m = /^([^:]*): (.*)$/.exec((e as Error).message)!;
    throw new ValidationError([{ path: `${ctx.p}.${m[1]}`, message: m[2] }]);
  }
  return { ...overrides };
}

/**
 * PV parameters the scenario gives: orientation, tracking and beam source (their defaults — tilt =
 * |latitude| facing the equator, fixed mount, the file's DNI — are listed when used) and overrides of
 * `PV_TABLE`.
 */
function pvParams(ctx: PrepareContext, pv: NonNullable<Green['pv']>): Partial<PvParams> {
  const over: Partial<PvParams> = tableOverrides(ctx, 'green.pv.overrides', PV_TABLE, pv.overrides);
  const lat = ctx.climate.site.latDeg;
  const orientation = [
    ['tiltDeg', pv.tiltDeg, Math.abs(lat), 'tilt = |latitude|, a common rule of thumb for fixed arrays'],
    ['azimuthDeg', pv.azimuthDeg, lat >= 0 ? 180 : 0, 'facing the equator (180° = south)'],
    ['tracking', pv.tracking, 'fixed', 'fixed mount unless the scenario says single-axis'],
    ['beam', pv.beam, 'dni', "the weather file's direct normal irradiance"],
  ] as const;
  for (const [k, given, dflt, why] of orientation) {
    if (given !== undefined) Object.assign(over, { [k]: given });
    else
      ctx.assumptions.push({
        field: `green.pv.${k}`,
        value: dflt,
        ...(typeof dflt === 'number' ? { unit: '°' } : {}),
        source: `dcplan default: ${why}`,
        grade: 'assumption',
      });
  }
  return over;
}

/** Wind parameters the scenario gives: hub height and overrides of `WIND_TABLE` (the rest listed when used). */
function windParams(ctx: PrepareContext, wind: NonNullable<Green['wind']>): Partial<WindParams> {
  const { hubHeightM, ...rest } = WIND_TABLE;
  const over: Partial<WindParams> = tableOverrides(ctx, 'green.wind.overrides', rest, wind.overrides);
  if (wind.hubHeightM !== undefined) over.hubHeightM = wind.hubHeightM;
  else ctx.assumptions.push(rowAssumption('green.wind.hubHeightM', hubHeightM));
  return over;
}

function preparePv(ctx: PrepareContext, pv: Green['pv']): PreparedGreen['pv'] {
  if (!pv) return null;
  return {
    dcKw: resolve(pv.dcKw, RULES.pvDcKw, `${ctx.p}.green.pv.dcKw`, ctx.years),
    fromYear: pv.fromYear ?? ctx.years[0],
    capexCnyPerW: cost(ctx, pv.capexCnyPerW, 'pv.capexCnyPerW', RULES.capexCnyPerW),
    params: pvParams(ctx, pv),
  };
}

function prepareWind(ctx: PrepareContext, wind: Green['wind']): PreparedGreen['wind'] {
  if (!wind) return null;
  return {
    ratedKw: resolve(wind.ratedKw, RULES.windKw, `${ctx.p}.green.wind.ratedKw`, ctx.years),
    fromYear: wind.fromYear ?? ctx.years[0],
    capexCnyPerW: cost(ctx, wind.capexCnyPerW, 'wind.capexCnyPerW', RULES.capexCnyPerW),
    params: windParams(ctx, wind),
    speedScale: 1,
  };
}

function prepareBattery(ctx: PrepareContext, b: Green['battery']): PreparedGreen['battery'] {
  if (!b) return null;
  const gp = `${ctx.p}.green.battery`;
  const start = ctx.years[0];
  const energyKwh = resolve(b.energyKwh, RULES.batteryKwh, `${gp}.energyKwh`, ctx.years);
  const powerKw = resolve(b.powerKw, RULES.batteryKw, `${gp}.powerKw`, ctx.years);
  const hours = powerKw(start) > 0 ? energyKwh(start) / powerKw(start) : 2;
  const c = ctx.ref.costs;
  const def = hours >= 3 ? c.storageCapexCnyPerWh4h : c.storageCapexCnyPerWh2h;
  const dflt = (k: keyof typeof BATTERY_TABLE, v: number | undefined) =>
    v !== undefined ? v : useDefault(ctx, `green.battery.${k}`, BATTERY_TABLE[k]);
  return {
    energyKwh,
    powerKw,
    policy: b.policy,
    roundTripEfficiency: dflt('roundTripEfficiency', b.roundTripEfficiency),
    depthOfDischarge: dflt('depthOfDischarge', b.depthOfDischarge),
    fadePerYear: dflt('fadePerYear', b.fadePerYear),
    fadePerCycle: dflt('fadePerCycle', b.fadePerCycle),
    capexCnyPerWh: cost(ctx, b.capexCnyPerWh, 'battery.capexCnyPerWh', RULES.capexCnyPerWh, def),
    fromYear: b.fromYear ?? start,
  };
}

function prepareContracted(ctx: PrepareContext, ct: Green['contracted']): PreparedGreen['contracted'] {
  if (!ct) return null;
  const sub = 'green.contracted';
  return {
    share: optional(ctx, ct.share, RULES.greenShare, `${sub}.share`),
    mwh: optional(ctx, ct.mwh, RULES.contractedMwh, `${sub}.mwh`),
    premium: optional(ctx, ct.premiumCnyPerMwh, RULES.premium, `${sub}.premiumCnyPerMwh`) ?? (() => 0),
    price: optional(
      ctx,
      ct.priceCnyPerMwh,
      { ...RULES.certificatePrice, max: 10000 },
      `${sub}.priceCnyPerMwh`,
    ),
  };
}

function prepareCertificates(ctx: PrepareContext, gc: Green['certificates']): PreparedGreen['certificates'] {
  if (!gc) return null;
  const price =
    optional(ctx, gc.priceCnyPerMwh, RULES.certificatePrice, 'green.certificates.priceCnyPerMwh') ??
    (
      (v: number) => () =>
        v
    )(useSeeded(ctx, 'green.certificates.priceCnyPerMwh'));
  return { mwh: optional(ctx, gc.mwh, RULES.certificatesMwh, 'green.certificates.mwh')!, price };
}

/**
 * On-site PV and wind, battery, contracted green power and certificates of one cluster, resolved for
 * every year; the costs the scenario leaves out come from sourced defaults (recorded as assumptions).
 */
export function prepareGreen(ctx: PrepareContext, g: ClusterScenario['green']): PreparedGreen | null {
  if (!g) return null;
  return {
    pv: preparePv(ctx, g.pv),
    wind: prepareWind(ctx, g.wind),
    battery: prepareBattery(ctx, g.battery),
    contracted: prepareContracted(ctx, g.contracted),
    certificates: prepareCertificates(ctx, g.certificates),
    exportCapKw: optional(ctx, g.exportCapKw, RULES.exportCapKw, 'green.exportCapKw') ?? (() => 0),
    exportPrice:
      optional(ctx, g.exportPriceCnyPerKwh, RULES.exportPrice, 'green.exportPriceCnyPerKwh') ?? (() => 0),
  };
}

/**
 * The wind resource (issue 8): the station's 10 m wind as it is, or its hourly shape scaled (through the
 * wind speed) to a full-load-hours figure — the scenario's, else a sourced provincial default (none is
 * seeded: provincial figures are NOT FOUND). The choice goes into the result's assumptions.
 */
export function prepareWindResource(
  ctx: PrepareContext,
  given: NonNullable<Green['wind']>['resource'],
  climate: ClimateYear,
  wind: NonNullable<PreparedGreen['wind']>,
): void {
  const { p, cref, ref, assumptions, warnings } = ctx;
  const params = windDefaults(1, wind.params);
  const stationHours = windFullLoadHours(climate.windMps, climate.pressurePa, climate.tDryC, params);
  const provincial = ref.assumptions.windFullLoadHoursByProvince;
  const provDefault = provincial?.provinces[cref.province] ?? null;
  let target: { hours: number; source: string; grade: string; path: string } | null = null;
  if (given && given !== 'station')
    target = {
      hours: given.fullLoadHours,
      source: given.source,
      grade: 'input',
      path: `${p}.green.wind.resource.fullLoadHours`,
    };
  else if (given === undefined && provDefault !== null && provincial)
    target = {
      hours: provDefault,
      source: provincial.source,
      grade: provincial.grade,
      path: `${p}.green.wind.resource`,
    };
  const cf = (h: number) => `${((h / HOURS_PER_YEAR) * 100).toFixed(2)} % capacity factor`;
  if (!target) {
    assumptions.push({
      field: 'green.wind.resource',
      value: `station 10 m wind (${climate.source}): ${Math.round(stationHours)} full-load h, ${cf(stationHours)}`,
      source:
        given === 'station' ? 'scenario choice' : (provincial?.source ?? 'no provincial default seeded'),
      grade: given === 'station' ? 'input' : (provincial?.grade ?? 'NOT FOUND'),
    });
    if (given === undefined)
      warnings.push(
        `green.wind: the station's 10 m wind gives ${Math.round(stationHours)} full-load h (${cf(stationHours)}) — a weather station is not a wind-farm site; provincial wind full-load hours are NOT FOUND in the references: give green.wind.resource { fullLoadHours, source }`,
      );
    return;
  }
  const fit = speedScaleForFullLoadHours(
    climate.windMps,
    climate.pressurePa,
    climate.tDryC,
    params,
    target.hours,
  );
  if (fit.scale === null)
    throw new ValidationError([
      {
        path: target.path,
        message: `the station's wind (${climate.source}) cannot give ${target.hours} full-load h with its calm hours (at most ${Math.round(fit.maxHours)} h); import a site EPW instead`,
      },
    ]);
  wind.speedScale = fit.scale;
  assumptions.push({
    field: 'green.wind.resource',
    value: `${target.hours} full-load h (${cf(target.hours)}): the station's hourly wind × ${fit.scale.toFixed(3)} (station alone: ${Math.round(stationHours)} h)`,
    source: target.source,
    grade: target.grade,
  });
}

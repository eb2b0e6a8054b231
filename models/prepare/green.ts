import { HOURS_PER_YEAR } from '../calendar.ts';
import type { ClimateYear } from '../climate.ts';
import { type ClusterScenario, RULES, ValidationError } from '../scenario.ts';
import { stationWindHours, windSpeedScale } from '../stages/site.ts';
import { BATTERY_TABLE } from '../storage.ts';
import { windDefaults } from '../wind.ts';
import { optional, type PrepareContext, resolve, resolveConstant, useDefault } from './resolve.ts';
import type { PreparedGreen } from './types.ts';

type Green = NonNullable<ClusterScenario['green']>;

/** A cost given in the scenario (constant), else its sourced default, recorded in the assumptions. */
function cost(
  ctx: PrepareContext,
  given: unknown,
  sub: string,
  rule: typeof RULES.capexCnyPerW,
  def: { value: number; source: string; grade: string },
): number {
  if (given !== undefined) return resolveConstant(given, rule, `${ctx.p}.green.${sub}`);
  return useDefault(ctx, `green.${sub}`, def);
}

function preparePv(ctx: PrepareContext, pv: Green['pv']): PreparedGreen['pv'] {
  if (!pv) return null;
  return {
    dcKw: resolve(pv.dcKw, RULES.pvDcKw, `${ctx.p}.green.pv.dcKw`, ctx.years),
    fromYear: pv.fromYear ?? ctx.years[0],
    capexCnyPerW: cost(
      ctx,
      pv.capexCnyPerW,
      'pv.capexCnyPerW',
      RULES.capexCnyPerW,
      ctx.ref.costs.pvCapexCnyPerW,
    ),
    tiltDeg: pv.tiltDeg,
    azimuthDeg: pv.azimuthDeg,
    tracking: pv.tracking,
    beam: pv.beam,
  };
}

function prepareWind(ctx: PrepareContext, wind: Green['wind']): PreparedGreen['wind'] {
  if (!wind) return null;
  const c = ctx.ref.costs;
  return {
    ratedKw: resolve(wind.ratedKw, RULES.windKw, `${ctx.p}.green.wind.ratedKw`, ctx.years),
    fromYear: wind.fromYear ?? ctx.years[0],
    capexCnyPerW: cost(ctx, wind.capexCnyPerW, 'wind.capexCnyPerW', RULES.capexCnyPerW, c.windCapexCnyPerW),
    hubHeightM: wind.hubHeightM,
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
    )(useDefault(ctx, 'green.certificates.priceCnyPerMwh', ctx.ref.costs.certificatePriceCnyPerMwh));
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
  const params = windDefaults(1, wind.hubHeightM !== undefined ? { hubHeightM: wind.hubHeightM } : {});
  const stationHours = stationWindHours(climate, params);
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
  const fit = windSpeedScale(climate, params, target.hours);
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

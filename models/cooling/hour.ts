import {
  dewPointFromVapourPressureC,
  enthalpyKjPerKg,
  humidityRatioFromVapourPressure,
  saturationPressureFastPa,
} from '../psychrometrics.ts';
import { type CoolingDesign, type CoolingDesignName, FREE, MECHANICAL, PARTIAL } from './design.ts';

/**
 * One hour of each cooling design family, per kW of heat at the coils: the mode, fans, pumps and heat
 * rejection, site water and the compressor load of each chiller circuit, from the hour's weather and
 * the design's derived constants. `prepareCooling` (profile.ts) runs it for every hour of a climate year.
 */

/** Minimal climate input: a ClimateYear fits it. */
export interface CoolingClimate {
  tDryC: Float64Array;
  tWetC: Float64Array;
  pressurePa: Float64Array;
  /** kg water / kg dry air */
  humidityRatio: Float64Array;
}

const AIR_CP = 1.006; // kJ/kg·K, dry air (Lei & Masanet 2022 [lei-masanet-2022])
const WATER_CP = 4.186; // kJ/kg·K, liquid water
const LATENT_KJ_PER_KG = 2450; // kJ/kg, latent heat of evaporation near 20 °C (Lei & Masanet 2022 [lei-masanet-2022])
const R_DRY_AIR = 287.05; // J/kg·K

/** Derived per-kW-of-heat constants of a design at a site's mean air pressure (Pa). */
export function plantConstants(d: CoolingDesign, sitePressurePa: number) {
  const p = d.p;
  const supplyK = p.supplyAirC + 273.15;
  // Air density at the site's pressure: at 85 kPa (Lanzhou, Qingyang) the same heat needs ≈ 19 % more
  // air volume, and fan power follows volume × pressure rise.
  const rhoAir = sitePressurePa / (R_DRY_AIR * supplyK); // kg/m³
  // CRAH fans: ṁ = Q/(cp ΔT); V = ṁ/ρ; P = V Δp / η  (kW per kW of heat)
  const crahFan = ((1 / (AIR_CP * p.airDeltaTC) / rhoAir) * p.crahFanPressurePa) / p.crahFanEfficiency / 1000;
  // Chilled-water loop: ṁw = Q/(cw ΔT), V = ṁw/1000 m³/s; P = V Δp / η
  const chwFlowM3 = 1 / (WATER_CP * p.chwDeltaTC) / 1000; // m³/s per kW
  const chwPump = (chwFlowM3 * p.chwPumpPressureKpa * 1000) / p.pumpEfficiency / 1000;
  const econPump = (chwFlowM3 * p.econPumpPressureKpa * 1000) / p.pumpEfficiency / 1000;
  // Condenser-water loop, per kW rejected
  const cwMass = 1 / (WATER_CP * p.towerDeltaTC); // kg/s per kW rejected
  const towerPump = ((cwMass / 1000) * p.towerPumpPressureKpa * 1000) / p.pumpEfficiency / 1000;
  const towerAirMass = cwMass / p.towerLiquidGasRatio; // kg/s of air per kW rejected
  const towerFan = ((towerAirMass / rhoAir) * p.towerFanPressurePa) / p.towerFanEfficiency / 1000;
  // Water per kWh rejected by evaporation: 3600 kJ / 2450 kJ/kg = 1.469 kg ≈ L
  const evapLPerKwh = 3600 / LATENT_KJ_PER_KG;
  const blowdownFactor = 1 / (p.cyclesOfConcentration - 1);
  const driftLPerKwh = cwMass * 3600 * p.driftFraction; // circulating kg per kWh rejected × drift share
  // Chilled-water temperatures from the coil: T_w,in = T_air,in − ΔT_air / ε
  const returnAirC = p.supplyAirC + p.airDeltaTC;
  const chwSupplyC = returnAirC - p.airDeltaTC / p.coilEffectiveness;
  const chwReturnC = chwSupplyC + p.chwDeltaTC;
  return {
    crahFan,
    chwPump,
    econPump,
    towerPump,
    towerFan,
    evapLPerKwh,
    towerAirMass,
    blowdownFactor,
    driftLPerKwh,
    returnAirC,
    chwSupplyC,
    chwReturnC,
    rhoAir,
  };
}

/**
 * Water evaporated in a cooling tower per kWh rejected (L/kWh), from the tower air's energy balance
 * (Lei & Masanet 2022's tower model, simplified): air at the liquid/gas ratio picks up the heat and
 * leaves saturated, h_out = h_in + Q/ṁ_air; evaporation = ṁ_air (W_sat(T_out) − W_in). In cold dry air
 * much of the heat goes into warming the air, so less water evaporates than the all-latent 1.47 L/kWh.
 *
 * @example
 * towerEvaporationLPerKwh(-5, 0.002, 85000, 0.0434) // → ≈ 0.8 (cold, dry winter hour)
 */
export function towerEvaporationLPerKwh(
  tDryC: number,
  wIn: number,
  pressurePa: number,
  airKgPerSPerKw: number,
): number {
  const hOut = enthalpyKjPerKg(tDryC, wIn) + 1 / airKgPerSPerKw; // kJ/kg of the saturated outlet air
  // Newton on h_sat(T) = h_out, with the tabulated saturation pressure.
  let t = Math.max(-30, Math.min(60, tDryC));
  let ws = 0;
  for (let i = 0; i < 8; i++) {
    const pws = saturationPressureFastPa(t);
    ws = (0.621945 * pws) / (pressurePa - pws);
    const h = 1.006 * t + ws * (2501 + 1.86 * t);
    // dh/dT ≈ 1.006 + 1.86 ws + (2501 + 1.86 t) dws/dT, with dws/dT from the table slope
    const dpws = saturationPressureFastPa(t + 0.05) - saturationPressureFastPa(t - 0.05);
    const dws = (0.621945 * pressurePa * dpws * 10) / ((pressurePa - pws) * (pressurePa - pws));
    const step = (h - hOut) / (1.006 + 1.86 * ws + (2501 + 1.86 * t) * dws);
    t -= step;
    if (Math.abs(step) < 1e-4) break;
  }
  const pws = saturationPressureFastPa(t);
  const wOut = humidityRatioFromVapourPressure(pws, pressurePa);
  const all = 3600 / LATENT_KJ_PER_KG; // all-latent ceiling, L/kWh
  return Math.min(all, Math.max(0, airKgPerSPerKw * (wOut - wIn) * 3600));
}

/** Derived constants of a design at a site (`plantConstants`). */
export type PlantConstants = ReturnType<typeof plantConstants>;

/** Dew point (°C) from the humidity ratio at a pressure (ASHRAE 2017 ch. 1, via the vapour pressure). */
function dewPointFromW(w: number, pressurePa: number): number {
  return dewPointFromVapourPressureC((w * pressurePa) / (0.621945 + w), 10);
}

/** What every hour of a design family reads: the climate, the design's parameters and constants. */
export interface HourInput {
  climate: CoolingClimate;
  p: Record<string, number>;
  c: PlantConstants;
  /** Share of the heat captured by liquid (cold plates; 0 for air designs). */
  f: number;
  /** CRAH fan kW per kW of heat of the air-cooled share. */
  airFan: number;
}

/** One hour's factors per kW of heat at the coils: one record, rewritten every hour. */
export interface HourFactors {
  /** Pumps, heat rejection and other fans besides the CRAH fans, kW per kW. */
  plantKw: number;
  /** Site water, L per kWh. */
  plantWater: number;
  /** MECHANICAL, PARTIAL or FREE. */
  mode: number;
  /** CRAH (or CRAC) fans, kW per kW. */
  fanKw: number;
  /** Compressor cooling load of the water circuit, kW per kW. */
  waterLoad: number;
  /** Compressor cooling load of the air-cooled / DX circuit, kW per kW. */
  airLoad: number;
  /** Tower fans and pumps per kW of compressor power rejected (water circuit). */
  rejectKw: number;
  /** Tower water per kWh of compressor power rejected (water circuit). */
  rejectWater: number;
}

/**
 * Water-cooled chiller plant, optionally with a waterside economizer, per kW of heat at the coil:
 * writes fans/pumps/tower kW per kW, water L per kWh, mode, compressor load share, tower kW and
 * water per kW of compressor power. With the economizer: full free cooling when T_wb + tower
 * approach + HX approach ≤ CHW supply; partial up to CHW return.
 */
function waterPlant(
  tWet: number,
  evapLPerKwh: number,
  p: Record<string, number>,
  c: PlantConstants,
  economizer: boolean,
  s: HourFactors,
): void {
  const econOutC = tWet + p.towerApproachC + p.hxApproachC;
  let mechShare = 1;
  let mode = MECHANICAL;
  if (economizer && econOutC <= c.chwSupplyC) {
    mechShare = 0;
    mode = FREE;
  } else if (economizer && econOutC < c.chwReturnC) {
    mechShare = (econOutC - c.chwSupplyC) / (c.chwReturnC - c.chwSupplyC);
    mode = PARTIAL;
  }
  const rejectKw = c.towerPump + c.towerFan; // per kW rejected
  const rejectWater = evapLPerKwh * (1 + c.blowdownFactor) + c.driftLPerKwh; // L per kWh rejected
  s.plantKw = c.chwPump + (economizer && mode !== MECHANICAL ? c.econPump : 0) + rejectKw;
  s.plantWater = rejectWater;
  s.mode = mode;
  s.waterLoad = mechShare;
  s.rejectKw = rejectKw;
  s.rejectWater = rejectWater;
}

/** Chillers rejecting to a cooling tower (with or without the waterside economizer), hour h. */
function towerPlantHour(h: number, x: HourInput, s: HourFactors, economizer: boolean): void {
  const { climate, c } = x;
  const evap = towerEvaporationLPerKwh(
    climate.tDryC[h],
    climate.humidityRatio[h],
    climate.pressurePa[h],
    c.towerAirMass,
  );
  waterPlant(climate.tWetC[h], evap, x.p, c, economizer, s);
}

/** Air-cooled chiller + CRAH, no economizer: chilled-water pumps; the compressor carries all the heat. */
function airCooledChillerHour(_h: number, x: HourInput, s: HourFactors): void {
  s.plantKw = x.c.chwPump;
  s.airLoad = 1;
}

/** DX CRAC: the CRAC fans (the CRAH fan term) + a DX compressor rejecting to outdoor air. */
function dxCracHour(_h: number, _x: HourInput, s: HourFactors): void {
  s.airLoad = 1;
}

/**
 * Direct airside economizer: outdoor air straight into the hall when it is cool and dry enough;
 * evaporative (adiabatic) pre-cooling when warm and dry; DX on recirculated or pre-cooled air for the rest.
 */
function directAdiabaticHour(h: number, x: HourInput, s: HourFactors): void {
  const { climate, p, c } = x;
  const tDry = climate.tDryC[h];
  const tWet = climate.tWetC[h];
  const dewOk = dewPointFromW(climate.humidityRatio[h], climate.pressurePa[h]) <= p.maxDewPointC;
  const span = c.returnAirC - p.supplyAirC;
  if (dewOk && tDry <= p.supplyAirC) {
    s.mode = FREE;
    return;
  }
  const evapOut = tDry - p.adiabaticEffectiveness * (tDry - tWet);
  const out = dewOk ? Math.min(tDry, evapOut) : c.returnAirC;
  if (out <= p.supplyAirC) {
    s.mode = FREE;
    s.plantWater =
      tDry - p.supplyAirC > 0 ? ((tDry - p.supplyAirC) / span) * c.evapLPerKwh * (1 + c.blowdownFactor) : 0;
  } else if (out < c.returnAirC) {
    s.mode = PARTIAL;
    s.airLoad = (out - p.supplyAirC) / span;
    s.plantWater = ((tDry - out) / span) * c.evapLPerKwh * (1 + c.blowdownFactor);
  } else {
    s.airLoad = 1; // recirculate; DX on the return air
  }
}

/**
 * Indirect evaporative: hall air returns at T_ret; the HX cools it toward the outdoor dry-bulb (dry mode)
 * or wet-bulb (spray on): T_out = T_ret − ε (T_ret − T_sink). DX trim carries the rest.
 */
function indirectEvaporativeHour(h: number, x: HourInput, s: HourFactors): void {
  const { climate, p, c } = x;
  const tDry = climate.tDryC[h];
  const tWet = climate.tWetC[h];
  const span = c.returnAirC - p.supplyAirC;
  const dryOut = c.returnAirC - p.iecEffectiveness * (c.returnAirC - tDry);
  const wetOut = c.returnAirC - p.iecEffectiveness * (c.returnAirC - tWet);
  const wet = dryOut > p.supplyAirC; // spray only when dry operation falls short
  const out = wet ? wetOut : dryOut;
  const hxShare = Math.max(0, Math.min(1, (c.returnAirC - out) / span));
  const airLoad = 1 - hxShare;
  s.airLoad = airLoad;
  s.mode = airLoad <= 0 ? FREE : hxShare > 0 ? PARTIAL : MECHANICAL;
  // Scavenger fan moves up to secondaryAirRatio × hall air at the tower fan pressure/efficiency; with
  // a cold sink it slows to the flow that just reaches the supply temperature (power ∝ flow, VFD).
  const hallAirM3 = 1 / (AIR_CP * p.airDeltaTC) / c.rhoAir;
  const sink = wet ? tWet : tDry;
  const flowShare = Math.min(1, span / Math.max(1e-9, p.iecEffectiveness * (c.returnAirC - sink)));
  const scavenger =
    (flowShare * p.secondaryAirRatio * hallAirM3 * p.towerFanPressurePa) / p.towerFanEfficiency / 1000;
  s.plantKw = hxShare > 0 ? scavenger : 0;
  // Spray water evaporates the heat the HX moves in wet mode; blowdown by cycles; no drift modelled.
  s.plantWater = wet ? hxShare * c.evapLPerKwh * (1 + c.blowdownFactor) : 0;
}

/**
 * Liquid cold plates: facility water returns at supply + ΔT; a dry cooler brings it to db + approach;
 * an air-cooled trim chiller carries the rest. The air share: CRAH + waterside-economized chiller plant.
 */
function liquidColdPlateHour(h: number, x: HourInput, s: HourFactors): void {
  const { climate, p, c, f } = x;
  const liqReturnC = p.liquidSupplyC + p.chwDeltaTC;
  const dcOut = climate.tDryC[h] + p.dryCoolerApproachC;
  const dcShare = Math.max(0, Math.min(1, (liqReturnC - dcOut) / (liqReturnC - p.liquidSupplyC)));
  const liqMech = 1 - dcShare;
  const dcAirM3 = 1 / (AIR_CP * p.dryCoolerAirDeltaTC) / c.rhoAir;
  const dcFan = (dcAirM3 * p.towerFanPressurePa) / p.towerFanEfficiency / 1000;
  const liquidKw = c.chwPump + dcFan;
  towerPlantHour(h, x, s, true); // the air share's plant, per kW of its heat
  const airMode = s.mode;
  s.plantKw = f * liquidKw + (1 - f) * s.plantKw;
  s.plantWater = (1 - f) * s.plantWater;
  s.fanKw = x.airFan;
  s.waterLoad = (1 - f) * s.waterLoad;
  s.airLoad = f * liqMech;
  const liqMode = liqMech <= 0 ? FREE : dcShare > 0 ? PARTIAL : MECHANICAL;
  s.mode =
    liqMode === FREE && airMode === FREE
      ? FREE
      : liqMode === MECHANICAL && airMode === MECHANICAL
        ? MECHANICAL
        : PARTIAL;
}

/** The hour of each design family: writes the hour's factors into `s` (reset by the caller). */
export const HOUR_STEP: Record<CoolingDesignName, (h: number, x: HourInput, s: HourFactors) => void> = {
  'air-cooled-chiller': airCooledChillerHour,
  'dx-crac': dxCracHour,
  'water-cooled-chiller': (h, x, s) => towerPlantHour(h, x, s, false),
  'water-cooled-chiller-wse': (h, x, s) => towerPlantHour(h, x, s, true),
  'direct-airside-adiabatic': directAdiabaticHour,
  'indirect-evaporative': indirectEvaporativeHour,
  'liquid-cold-plate': liquidColdPlateHour,
};

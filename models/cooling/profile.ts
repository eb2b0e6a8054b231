import { HOURS_PER_YEAR } from '../calendar.ts';
import { biquadratic, type ChillerCurves, DOE2_CENTRIFUGAL, YORK_YCAL_AIR } from '../chiller.ts';
import {
  dewPointFromVapourPressureC,
  enthalpyKjPerKg,
  humidityRatioFromVapourPressure,
  saturationPressureFastPa,
} from '../psychrometrics.ts';
import { type CoolingDesign, FREE, MECHANICAL, PARTIAL } from './design.ts';

/**
 * The load-independent hourly factors of a cooling design in a climate (`prepareCooling`): the mode,
 * fans, pumps and heat rejection per kW of heat, site water per kWh of heat, and the chiller circuits'
 * compressor load and curve modifiers. docs/models/cooling.md gives every equation.
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

/** One chiller circuit of a profile: compressor cooling load and its curve modifiers, per hour. */
export interface ChillerCircuit {
  curves: ChillerCurves;
  /** Rated COP of this circuit (W/W). */
  ratedCop: number;
  /** Compressor cooling load, kW per kW of heat. */
  loadPerKwHeat: Float64Array;
  /** Available capacity ÷ rated capacity (CAPFT, normalised to 1 at the curve's rating point). */
  capFt: Float64Array;
  /** Full-load EIR modifier (EIRFT, normalised to 1 at the rating point). */
  eirFt: Float64Array;
  /** Heat-rejection fans and pumps, kW per kW of compressor power rejected (0 when rejected to air). */
  rejectKwPerKw: Float64Array;
  /** Tower water, L per kWh of compressor power rejected. */
  rejectWaterLPerKwh: Float64Array;
  /** Design cooling load of the circuit per kW of design heat (its share, fan heat included). */
  designLoadPerKwHeat: number;
}

/** Climate- and design-dependent, load-independent hourly factors. */
export interface CoolingProfile {
  /** 0 mechanical, 1 partial economizer, 2 full free cooling. */
  mode: Uint8Array;
  /** Fans, pumps and heat rejection of the heat itself, kW per kW of heat (compressors excluded). */
  coolingKwPerKwHeat: Float64Array;
  /** Site water, litres per kWh of that heat (compressor heat rejected to a tower excluded). */
  waterLPerKwhHeat: Float64Array;
  /** Water-cooled chiller circuit (null when the design has none). */
  water: ChillerCircuit | null;
  /** Air-cooled chiller / DX circuit (null when the design has none). */
  air: ChillerCircuit | null;
  /** Air density used for fan volume flows, kg/m³ (site pressure, supply temperature). */
  airDensityKgPerM3: number;
}

/** Derived per-kW-of-heat constants of a design at a site's mean air pressure (Pa). */
function constants(d: CoolingDesign, sitePressurePa: number) {
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

/** A chiller circuit with empty hourly arrays. */
function circuit(curves: ChillerCurves, ratedCop: number, designLoadPerKwHeat: number): ChillerCircuit {
  const n = HOURS_PER_YEAR;
  return {
    curves,
    ratedCop,
    loadPerKwHeat: new Float64Array(n),
    capFt: new Float64Array(n),
    eirFt: new Float64Array(n),
    rejectKwPerKw: new Float64Array(n),
    rejectWaterLPerKwh: new Float64Array(n),
    designLoadPerKwHeat,
  };
}

/** Curve modifiers of hour h, normalised to 1 at the curve set's rating point. */
function setCurves(cc: ChillerCircuit, h: number, x: number, y: number): void {
  const k = cc.curves;
  cc.capFt[h] = biquadratic(k.capFt, x, y) / biquadratic(k.capFt, k.ratingX, k.ratingY);
  cc.eirFt[h] = biquadratic(k.eirFt, x, y) / biquadratic(k.eirFt, k.ratingX, k.ratingY);
}

/**
 * Water-cooled chiller plant, optionally with a waterside economizer, per kW of heat at the coil:
 * returns [fans/pumps/tower kW per kW, water L per kWh, mode, compressor load share, tower kW and
 * water per kW of compressor power]. With the economizer: full free cooling when T_wb + tower
 * approach + HX approach ≤ CHW supply; partial up to CHW return.
 */
function waterPlant(
  tWet: number,
  evapLPerKwh: number,
  p: Record<string, number>,
  c: ReturnType<typeof constants>,
  economizer: boolean,
): [number, number, number, number, number, number] {
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
  const kw = c.chwPump + (economizer && mode !== MECHANICAL ? c.econPump : 0) + rejectKw;
  return [kw, rejectWater, mode, mechShare, rejectKw, rejectWater];
}

/** The entering condenser water temperature of a tower plant in an hour (°C). */
const condenserWaterC = (tWet: number, p: Record<string, number>) => tWet + p.towerApproachC;

/**
 * The load-independent hourly factors of a design in a climate: computed once per design × climate.
 * Compressor power is not included: it depends on the load through the part-load ratio and is
 * computed by `facilityLoad` from the circuits' hourly curve modifiers.
 *
 * @example
 * prepareCooling(coolingDesign('air-cooled-chiller'), lanzhou).mode.every((m) => m === 0) // → true
 */
export function prepareCooling(design: CoolingDesign, climate: CoolingClimate): CoolingProfile {
  const n = HOURS_PER_YEAR;
  const mode = new Uint8Array(n);
  const kwPerKw = new Float64Array(n);
  const water = new Float64Array(n);
  const p = design.p;
  let pSum = 0;
  for (let h = 0; h < n; h++) pSum += climate.pressurePa[h];
  const c = constants(design, pSum / n);
  const f = design.name === 'liquid-cold-plate' ? p.liquidCaptureFraction : 0;
  const airFan = design.name === 'liquid-cold-plate' ? (1 - f) * c.crahFan : c.crahFan;
  const scale = 1 / (1 - airFan); // CRAH fan heat is removed too: Q = Q0 + a·Q
  const hasWater = ['water-cooled-chiller-wse', 'water-cooled-chiller', 'liquid-cold-plate'].includes(
    design.name,
  );
  const hasAir = !['water-cooled-chiller-wse', 'water-cooled-chiller'].includes(design.name);
  const wc = hasWater ? circuit(DOE2_CENTRIFUGAL, p.ratedCopWater, (1 - f) * scale) : null;
  const ac = hasAir
    ? circuit(YORK_YCAL_AIR, p.ratedCopAir, (design.name === 'liquid-cold-plate' ? f : 1) * scale)
    : null;
  const xChw = c.chwSupplyC; // leaving chilled-water (or DX coil) temperature; the curves clamp it
  for (let h = 0; h < n; h++) {
    const tDry = climate.tDryC[h];
    const tWet = climate.tWetC[h];
    let plantKw = 0; // per kW of heat at the coils
    let plantWater = 0;
    let m: number = MECHANICAL;
    let fanKw = c.crahFan;
    let waterLoad = 0; // compressor cooling load per kW of heat, water circuit
    let airLoad = 0;
    switch (design.name) {
      case 'air-cooled-chiller': {
        plantKw = c.chwPump;
        airLoad = 1;
        break;
      }
      case 'dx-crac': {
        airLoad = 1; // CRAC fans (the CRAH fan term) + DX compressor rejecting to outdoor air
        break;
      }
      case 'water-cooled-chiller':
      case 'water-cooled-chiller-wse': {
        const evap = towerEvaporationLPerKwh(
          tDry,
          climate.humidityRatio[h],
          climate.pressurePa[h],
          c.towerAirMass,
        );
        const [kw, w, md, share, rk, rw] = waterPlant(
          tWet,
          evap,
          p,
          c,
          design.name === 'water-cooled-chiller-wse',
        );
        plantKw = kw;
        plantWater = w;
        m = md;
        waterLoad = share;
        wc!.rejectKwPerKw[h] = rk;
        wc!.rejectWaterLPerKwh[h] = rw;
        break;
      }
      case 'direct-airside-adiabatic': {
        // Outdoor air straight into the hall when it is cool and dry enough; evaporative (adiabatic)
        // pre-cooling when warm and dry; DX on recirculated or pre-cooled air for the rest.
        const dewOk = dewPointFromW(climate.humidityRatio[h], climate.pressurePa[h]) <= p.maxDewPointC;
        const span = c.returnAirC - p.supplyAirC;
        if (dewOk && tDry <= p.supplyAirC) {
          m = FREE;
        } else {
          const evapOut = tDry - p.adiabaticEffectiveness * (tDry - tWet);
          const out = dewOk ? Math.min(tDry, evapOut) : c.returnAirC;
          if (out <= p.supplyAirC) {
            m = FREE;
            plantWater =
              tDry - p.supplyAirC > 0
                ? ((tDry - p.supplyAirC) / span) * c.evapLPerKwh * (1 + c.blowdownFactor)
                : 0;
          } else if (out < c.returnAirC) {
            m = PARTIAL;
            airLoad = (out - p.supplyAirC) / span;
            plantWater = ((tDry - out) / span) * c.evapLPerKwh * (1 + c.blowdownFactor);
          } else {
            airLoad = 1; // recirculate; DX on the return air
          }
        }
        break;
      }
      case 'indirect-evaporative': {
        // Hall air returns at T_ret; the HX cools it toward the outdoor dry-bulb (dry mode) or wet-bulb
        // (spray on): T_out = T_ret − ε (T_ret − T_sink). DX trim carries the rest.
        const span = c.returnAirC - p.supplyAirC;
        const dryOut = c.returnAirC - p.iecEffectiveness * (c.returnAirC - tDry);
        const wetOut = c.returnAirC - p.iecEffectiveness * (c.returnAirC - tWet);
        const wet = dryOut > p.supplyAirC; // spray only when dry operation falls short
        const out = wet ? wetOut : dryOut;
        const hxShare = Math.max(0, Math.min(1, (c.returnAirC - out) / span));
        airLoad = 1 - hxShare;
        m = airLoad <= 0 ? FREE : hxShare > 0 ? PARTIAL : MECHANICAL;
        // Scavenger fan moves up to secondaryAirRatio × hall air at the tower fan pressure/efficiency; with
        // a cold sink it slows to the flow that just reaches the supply temperature (power ∝ flow, VFD).
        const hallAirM3 = 1 / (AIR_CP * p.airDeltaTC) / c.rhoAir;
        const sink = wet ? tWet : tDry;
        const flowShare = Math.min(1, span / Math.max(1e-9, p.iecEffectiveness * (c.returnAirC - sink)));
        const scavenger =
          (flowShare * p.secondaryAirRatio * hallAirM3 * p.towerFanPressurePa) / p.towerFanEfficiency / 1000;
        plantKw = hxShare > 0 ? scavenger : 0;
        // Spray water evaporates the heat the HX moves in wet mode; blowdown by cycles; no drift modelled.
        plantWater = wet ? hxShare * c.evapLPerKwh * (1 + c.blowdownFactor) : 0;
        break;
      }
      case 'liquid-cold-plate': {
        // Liquid share: facility water returns at supply + ΔT; a dry cooler brings it to db + approach;
        // an air-cooled trim chiller carries the rest.
        const liqReturnC = p.liquidSupplyC + p.chwDeltaTC;
        const dcOut = tDry + p.dryCoolerApproachC;
        const dcShare = Math.max(0, Math.min(1, (liqReturnC - dcOut) / (liqReturnC - p.liquidSupplyC)));
        const liqMech = 1 - dcShare;
        const dcAirM3 = 1 / (AIR_CP * p.dryCoolerAirDeltaTC) / c.rhoAir;
        const dcFan = (dcAirM3 * p.towerFanPressurePa) / p.towerFanEfficiency / 1000;
        const liquidKw = c.chwPump + dcFan;
        // Air share: CRAH + waterside-economized chiller plant.
        const evap = towerEvaporationLPerKwh(
          tDry,
          climate.humidityRatio[h],
          climate.pressurePa[h],
          c.towerAirMass,
        );
        const [airKw, airWater, airMode, share, rk, rw] = waterPlant(tWet, evap, p, c, true);
        plantKw = f * liquidKw + (1 - f) * airKw;
        plantWater = (1 - f) * airWater;
        fanKw = airFan;
        waterLoad = (1 - f) * share;
        airLoad = f * liqMech;
        wc!.rejectKwPerKw[h] = rk;
        wc!.rejectWaterLPerKwh[h] = rw;
        const liqMode = liqMech <= 0 ? FREE : dcShare > 0 ? PARTIAL : MECHANICAL;
        m =
          liqMode === FREE && airMode === FREE
            ? FREE
            : liqMode === MECHANICAL && airMode === MECHANICAL
              ? MECHANICAL
              : PARTIAL;
        if (wc) setCurves(wc, h, xChw, condenserWaterC(tWet, p));
        if (ac) setCurves(ac, h, p.liquidSupplyC, tDry);
        break;
      }
    }
    mode[h] = m;
    kwPerKw[h] = (fanKw + plantKw) * scale;
    water[h] = plantWater * scale;
    if (wc) {
      wc.loadPerKwHeat[h] = waterLoad * scale;
      if (design.name !== 'liquid-cold-plate') setCurves(wc, h, xChw, condenserWaterC(tWet, p));
    }
    if (ac) {
      ac.loadPerKwHeat[h] = airLoad * scale;
      if (design.name !== 'liquid-cold-plate') setCurves(ac, h, xChw, tDry);
    }
  }
  return {
    mode,
    coolingKwPerKwHeat: kwPerKw,
    waterLPerKwhHeat: water,
    water: wc,
    air: ac,
    airDensityKgPerM3: c.rhoAir,
  };
}

/** Dew point (°C) from the humidity ratio at a pressure (ASHRAE 2017 ch. 1, via the vapour pressure). */
function dewPointFromW(w: number, pressurePa: number): number {
  return dewPointFromVapourPressureC((w * pressurePa) / (0.621945 + w), 10);
}

import { HOURS_PER_YEAR } from '../calendar.ts';
import { biquadratic, type ChillerCurves, DOE2_CENTRIFUGAL, YORK_YCAL_AIR } from '../chiller.ts';
import { type CoolingDesign, type CoolingDesignName, MECHANICAL } from './design.ts';
import { type CoolingClimate, HOUR_STEP, type HourFactors, type HourInput, plantConstants } from './hour.ts';

/**
 * The load-independent hourly factors of a cooling design in a climate (`prepareCooling`): the mode,
 * fans, pumps and heat rejection per kW of heat, site water per kWh of heat, and the chiller circuits'
 * compressor load and curve modifiers. docs/models/cooling.md gives every equation.
 */

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

/** The entering condenser water temperature of a tower plant in an hour (°C). */
const condenserWaterC = (tWet: number, p: Record<string, number>) => tWet + p.towerApproachC;

/** The chiller circuits of a design: water-cooled (to a tower) and air-cooled / DX, null when absent. */
function circuits(name: CoolingDesignName, p: Record<string, number>, f: number, scale: number) {
  const hasWater = ['water-cooled-chiller-wse', 'water-cooled-chiller', 'liquid-cold-plate'].includes(name);
  const hasAir = !['water-cooled-chiller-wse', 'water-cooled-chiller'].includes(name);
  const wc = hasWater ? circuit(DOE2_CENTRIFUGAL, p.ratedCopWater, (1 - f) * scale) : null;
  const ac = hasAir
    ? circuit(YORK_YCAL_AIR, p.ratedCopAir, (name === 'liquid-cold-plate' ? f : 1) * scale)
    : null;
  return { wc, ac };
}

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
  const c = plantConstants(design, pSum / n);
  const liquid = design.name === 'liquid-cold-plate';
  const f = liquid ? p.liquidCaptureFraction : 0;
  const airFan = liquid ? (1 - f) * c.crahFan : c.crahFan;
  const scale = 1 / (1 - airFan); // CRAH fan heat is removed too: Q = Q0 + a·Q
  const { wc, ac } = circuits(design.name, p, f, scale);
  const xChw = c.chwSupplyC; // leaving chilled-water (or DX coil) temperature; the curves clamp it
  const xAir = liquid ? p.liquidSupplyC : xChw; // cold plates: the trim chiller cools the facility water
  const step = HOUR_STEP[design.name];
  const x: HourInput = { climate, p, c, f, airFan };
  const s: HourFactors = {
    plantKw: 0,
    plantWater: 0,
    mode: 0,
    fanKw: 0,
    waterLoad: 0,
    airLoad: 0,
    rejectKw: 0,
    rejectWater: 0,
  };
  for (let h = 0; h < n; h++) {
    s.plantKw = 0; // per kW of heat at the coils
    s.plantWater = 0;
    s.mode = MECHANICAL;
    s.fanKw = c.crahFan;
    s.waterLoad = 0; // compressor cooling load per kW of heat, water circuit
    s.airLoad = 0;
    step(h, x, s);
    mode[h] = s.mode;
    kwPerKw[h] = (s.fanKw + s.plantKw) * scale;
    water[h] = s.plantWater * scale;
    if (wc) {
      wc.loadPerKwHeat[h] = s.waterLoad * scale;
      wc.rejectKwPerKw[h] = s.rejectKw;
      wc.rejectWaterLPerKwh[h] = s.rejectWater;
      setCurves(wc, h, xChw, condenserWaterC(climate.tWetC[h], p));
    }
    if (ac) {
      ac.loadPerKwHeat[h] = s.airLoad * scale;
      setCurves(ac, h, xAir, climate.tDryC[h]);
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

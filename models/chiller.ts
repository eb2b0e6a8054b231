/**
 * Electric chillers in the EnergyPlus `Chiller:Electric:EIR` form (the DOE-2.1E model): available
 * capacity and full-load EIR (1/COP) are a rated value times biquadratic modifiers of the leaving
 * chilled-water temperature x and the entering condenser fluid temperature y,
 *
 *   CAPFT(x, y) = a + b·x + c·x² + d·y + e·y² + f·x·y        (= 1 at the rating point)
 *   EIRFT(x, y) = same form                                   (= 1 at the rating point)
 *   EIRFPLR(p)  = a + b·p + c·p²                              (= 1 at full load)
 *   P = Q_avail · EIRFT · EIRFPLR(PLR) / COP_rated,  Q_avail = Q_ref · CAPFT,  PLR = Q / Q_avail
 *
 * with inputs clamped to each curve's stated range (as EnergyPlus does) — except below the lowest
 * condenser temperature of the curve's data: there the chiller keeps gaining from colder condenser
 * fluid until it reaches the head-pressure limit of its kind (the minimum condensing pressure its
 * controls hold), so the EIR curve is continued linearly (its slope at the range's edge) down to
 * that limit and held below it; available capacity is held at the range's edge (the fitted capacity
 * curves turn over there, which a colder condenser would not do). Below the minimum part-load ratio the chiller cycles (power scales with
 * the cycling ratio). Curve sets are published
 * data: EnergyPlus Reference Data Set `datasets/Chillers.idf` and the Input Output Reference
 * (U.S. DOE / NREL) [energyplus-chillers]. docs/models/cooling.md shows the checks.
 */

/** A biquadratic curve with the ranges of its two inputs. */
export interface Biquadratic {
  c: readonly [number, number, number, number, number, number];
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /**
   * Head-pressure limit: the condenser temperature (°C) below which the chiller gains nothing more;
   * between it and `yMin` the curve is continued linearly. Absent: held at `yMin`.
   */
  yFloor?: number;
}

/** A published curve set of one chiller (or DX unit). */
export interface ChillerCurves {
  id: string;
  label: string;
  /** x: leaving chilled-water (or entering coil air wet-bulb) temperature, °C. */
  capFt: Biquadratic;
  eirFt: Biquadratic;
  /** EIR as a function of part-load ratio: a + b·p + c·p². */
  eirFplr: readonly [number, number, number];
  /** Below this part-load ratio the unit cycles on and off. */
  minPlr: number;
  /** Rating point of the curves (x, y), °C, and the COP the set was fitted at. */
  ratingX: number;
  ratingY: number;
  referenceCop: number;
  source: string;
}

/**
 * Value of a biquadratic curve with both inputs clamped to its range; below `yMin`, continued along
 * its slope in y at `yMin` down to the head-pressure limit `yFloor` (when the curve has one).
 *
 * @example
 * // York YCAL eirFt at 6.67 °C leaving water: 0.7356 at 23.89 °C air; slope 0.02276 per K → 15 °C:
 * biquadratic(YORK_YCAL_AIR.eirFt, 6.67, 15) // → 0.7356 − 8.89 × 0.02276 = 0.5333
 */
export function biquadratic(q: Biquadratic, x: number, y: number): number {
  const xc = Math.min(q.xMax, Math.max(q.xMin, x));
  const yc = Math.min(q.yMax, Math.max(q.yMin, y));
  const [a, b, c, d, e, f] = q.c;
  const v = a + b * xc + c * xc * xc + d * yc + e * yc * yc + f * xc * yc;
  if (q.yFloor === undefined || y >= q.yMin) return v;
  const slope = d + 2 * e * q.yMin + f * xc;
  return v + slope * (Math.max(y, q.yFloor) - q.yMin);
}

/**
 * Head-pressure limit of a water-cooled centrifugal chiller: the lowest entering condenser water
 * temperature it runs at, 12.8 °C (55 °F) — "safe minimum entering condenser water temperatures at or
 * below 12.8 °C (55 °F)" (Trane CenTraVac CVGF installation, operation and maintenance manual;
 * Daikin IM 1044-2 shows ≈ 10 °C at part load) [chiller-head-pressure]. B.
 */
export const CENTRIFUGAL_MIN_ECWT_C = 12.8;

/**
 * Head-pressure limit of an air-cooled chiller, as the outdoor air temperature below which its fan
 * control holds the condensing pressure: a minimum saturated condensing temperature of ≈ 26 °C less
 * the condenser's approach of ≈ 11 K (20 °F, the middle of the 10–30 °F range of air-cooled condensers)
 * ≈ 15 °C [chiller-head-pressure]. A dcplan estimate (assumption) by that rule: manufacturers' minimum
 * condensing temperatures for scroll compressors were not found.
 */
export const AIR_COOLED_HEAD_PRESSURE_AIR_C = 15;

/**
 * Generic water-cooled centrifugal chiller of DOE-2.1E (HERM-CENT-CAP-FT, -EIR-FT, -EIR-FPLR) as
 * given for `DOE-2 Centrifugal/5.50COP` in EnergyPlus Chillers.idf: rating 6.67 °C leaving chilled
 * water, 29.4 °C entering condenser water; x 5–10 °C, y 24–35 °C; minimum part-load ratio 0.1.
 *
 * @example
 * biquadratic(DOE2_CENTRIFUGAL.eirFt, 6.67, 29.4) // → 0.999 (≈ 1 at the rating point)
 */
export const DOE2_CENTRIFUGAL: ChillerCurves = {
  id: 'doe2-centrifugal',
  label: 'DOE-2 generic water-cooled centrifugal (EnergyPlus Chillers.idf)',
  capFt: {
    c: [0.257896, 0.0389016, -0.00021708, 0.0468684, -0.00094284, -0.00034344],
    xMin: 5,
    xMax: 10,
    yMin: 24,
    yMax: 35,
  },
  eirFt: {
    c: [0.933884, -0.058212, 0.00450036, 0.00243, 0.000486, -0.001215],
    xMin: 5,
    xMax: 10,
    yMin: 24,
    yMax: 35,
    yFloor: CENTRIFUGAL_MIN_ECWT_C,
  },
  eirFplr: [0.222903, 0.313387, 0.46371],
  minPlr: 0.1,
  ratingX: 6.67,
  ratingY: 29.4,
  referenceCop: 5.5,
  source:
    'EnergyPlus datasets/Chillers.idf, DOE-2 Centrifugal/5.50COP curve set (DOE-2.1E) [energyplus-chillers]',
};

/**
 * Air-cooled scroll chiller `ElectricEIRChiller York YCAL0033EE 100.6kW/3.1COP` of EnergyPlus
 * Chillers.idf: rating 6.67 °C leaving chilled water, 35 °C entering condenser air; x 4.44–10 °C,
 * y 23.89–51.67 °C; EIR linear in part load (EIRFPLR = p), minimum part-load ratio 0.1.
 *
 * @example
 * biquadratic(YORK_YCAL_AIR.capFt, 6.67, 35) // → ≈ 1.00
 */
export const YORK_YCAL_AIR: ChillerCurves = {
  id: 'york-ycal0033ee-air',
  label: 'York YCAL0033EE air-cooled scroll chiller (EnergyPlus Chillers.idf)',
  capFt: {
    c: [-0.2660645697, 0.0998714035, -0.0023814154, 0.0628316481, -0.0009644649, -0.0011249224],
    xMin: 4.44,
    xMax: 10,
    yMin: 23.89,
    yMax: 51.67,
  },
  eirFt: {
    c: [0.1807017787, 0.0271530312, -0.0004553574, 0.0188175079, 0.0002623276, -0.0012881189],
    xMin: 4.44,
    xMax: 10,
    yMin: 23.89,
    yMax: 51.67,
    yFloor: AIR_COOLED_HEAD_PRESSURE_AIR_C,
  },
  eirFplr: [0, 1, 0],
  minPlr: 0.1,
  ratingX: 6.67,
  ratingY: 35,
  referenceCop: 3.1,
  source:
    'EnergyPlus datasets/Chillers.idf, ElectricEIRChiller York YCAL0033EE 100.6kW/3.1COP [energyplus-chillers]',
};

/**
 * Part-load EIR modifier (clamped to p ≥ 0).
 *
 * @example
 * eirFplr(DOE2_CENTRIFUGAL, 1) // → 1.0
 */
export function eirFplr(curves: ChillerCurves, plr: number): number {
  const p = Math.max(0, plr);
  const c = curves.eirFplr;
  return c[0] + c[1] * p + c[2] * p * p;
}

/** One chiller circuit of a plant: its curves, rated COP and how it is staged. */
export interface ChillerPlant {
  curves: ChillerCurves;
  ratedCop: number;
  /** Capacity at the rating point, kW (all modules together). */
  capacityKw: number;
  /** Identical modules, staged on one at a time as the load needs them. */
  modules: number;
}

/**
 * Electric power (kW) of a staged chiller plant meeting `loadKw` of cooling in an hour whose curve
 * modifiers are `capFt` and `eirFt` (already evaluated for its temperatures): as few modules as carry
 * the load run at equal part load; below the minimum part-load ratio a module cycles.
 *
 * @example
 * // one 1,000 kW module of the DOE-2 set at its rating point, full load, COP 5.5: 1000 / 5.5
 * chillerPowerKw({ curves: DOE2_CENTRIFUGAL, ratedCop: 5.5, capacityKw: 1000, modules: 1 }, 1000, 1, 1) // → 181.8
 */
export function chillerPowerKw(plant: ChillerPlant, loadKw: number, capFt: number, eirFt: number): number {
  const sp = stagedPlant(plant);
  return plantPowerKw(
    sp[MODULE_KW],
    sp[MODULES],
    sp[RATED_COP],
    sp[MIN_PLR],
    sp[EIR_A],
    sp[EIR_B],
    sp[EIR_C],
    sp[EIR_AT_MIN],
    loadKw,
    capFt,
    eirFt,
  );
}

/**
 * A plant's constants for the hourly loop (`stagedPlant`), as numbers in a Float64Array rather than an
 * object (hot loops that read object fields can lose their optimised code when some other object of
 * the same shape holds a different kind of number): per-module capacity at the rating point (kW; 0 = no
 * plant), modules, rated COP, minimum part-load ratio, EIR(PLR) = a + b·p + c·p², EIR at the minimum PLR.
 */
export type StagedPlant = Float64Array;
const MODULE_KW = 0;
const MODULES = 1;
const RATED_COP = 2;
const MIN_PLR = 3;
const EIR_A = 4;
const EIR_B = 5;
const EIR_C = 6;
const EIR_AT_MIN = 7;

/** The constants `plantPowerKw` needs, worked out once per plant instead of every hour. */
export function stagedPlant(plant: ChillerPlant): StagedPlant {
  const [a, b, c] = plant.curves.eirFplr;
  const sp = new Float64Array(8);
  sp[MODULE_KW] = plant.capacityKw > 0 ? plant.capacityKw / plant.modules : 0;
  sp[MODULES] = plant.modules;
  sp[RATED_COP] = plant.ratedCop;
  sp[MIN_PLR] = plant.curves.minPlr;
  sp[EIR_A] = a;
  sp[EIR_B] = b;
  sp[EIR_C] = c;
  sp[EIR_AT_MIN] = eirFplr(plant.curves, plant.curves.minPlr);
  return sp;
}

/**
 * `chillerPowerKw` on a plant's constants (`stagedPlant`) as numbers: a hot loop reads them into locals
 * once and calls this every hour without touching the array.
 */
export function plantPowerKw(
  moduleKw: number,
  modules: number,
  ratedCop: number,
  minPlr: number,
  a: number,
  b: number,
  c: number,
  eirAtMinPlr: number,
  loadKw: number,
  capFt: number,
  eirFt: number,
): number {
  if (!(loadKw > 0) || !(moduleKw > 0)) return 0;
  const unitKw = moduleKw * capFt; // available per module this hour
  const n = Math.min(modules, Math.max(1, Math.ceil(loadKw / unitKw - 1e-9)));
  const plr = loadKw / (n * unitKw);
  const fullKw = (n * unitKw * eirFt) / ratedCop;
  if (plr < minPlr) return fullKw * eirAtMinPlr * (plr / minPlr);
  const p = plr > 0 ? plr : 0;
  return fullKw * (a + b * p + c * p * p);
}

/**
 * Moist-air psychrometrics in SI units, after ASHRAE Handbook — Fundamentals (2017), chapter 1
 * ("Psychrometrics"): Hyland–Wexler saturation pressure (eqs. 5 and 6), humidity ratio (eq. 20/22),
 * wet-bulb from the psychrometric equation (eqs. 33 and 35), enthalpy (eq. 30), standard-atmosphere
 * pressure (eq. 3). Temperatures in °C, pressures in Pa, humidity ratio in kg water / kg dry air.
 */

const KELVIN = 273.15;
/** Ratio of molecular masses of water and dry air (ASHRAE 2017 ch. 1 eq. 20). */
const MASS_RATIO = 0.621945;

/**
 * Saturation vapour pressure over ice (t < 0 °C) or liquid water (t ≥ 0 °C), Pa.
 *
 * @example
 * saturationPressurePa(20) // → 2338.8 (ASHRAE 2017 ch. 1 Table 3: 2.3389 kPa at 20 °C)
 */
export function saturationPressurePa(tC: number): number {
  const T = tC + KELVIN;
  if (tC < 0) {
    return Math.exp(
      -5.6745359e3 / T +
        6.3925247 -
        9.677843e-3 * T +
        6.2215701e-7 * T * T +
        2.0747825e-9 * T ** 3 -
        9.484024e-13 * T ** 4 +
        4.1635019 * Math.log(T),
    );
  }
  return Math.exp(
    -5.8002206e3 / T +
      1.3914993 -
      4.8640239e-2 * T +
      4.1764768e-5 * T * T -
      1.4452093e-8 * T ** 3 +
      6.5459673 * Math.log(T),
  );
}

/** Saturation pressure tabulated every 0.05 K from −80 to 100 °C: a constant built once at load. */
const SAT_T0 = -80;
const SAT_STEP = 0.05;
const SAT_TABLE: Float64Array = (() => {
  const n = Math.round((100 - SAT_T0) / SAT_STEP) + 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = saturationPressurePa(SAT_T0 + i * SAT_STEP);
  return out;
})();

/**
 * Saturation pressure by linear interpolation in a 0.05 K table of `saturationPressurePa` (relative
 * error < 3e-6): for the hot loops that build climate years and cooling profiles.
 *
 * @example
 * saturationPressureFastPa(20) // → 2338.8
 */
export function saturationPressureFastPa(tC: number): number {
  const x = (Math.max(SAT_T0, Math.min(99.99, tC)) - SAT_T0) / SAT_STEP;
  const i = Math.floor(x);
  return SAT_TABLE[i] + (SAT_TABLE[i + 1] - SAT_TABLE[i]) * (x - i);
}

/**
 * Humidity ratio from vapour partial pressure and total pressure (ASHRAE 2017 ch. 1 eq. 20).
 *
 * @example
 * humidityRatioFromVapourPressure(1169.4, 101325) // → 0.007262 (20 °C, 50 % RH at sea level)
 */
export function humidityRatioFromVapourPressure(pwPa: number, pPa: number): number {
  return (MASS_RATIO * pwPa) / (pPa - pwPa);
}

/**
 * Humidity ratio from dry-bulb, relative humidity (%) and total pressure.
 *
 * @example
 * humidityRatio(20, 50, 101325) // → 0.007262
 */
export function humidityRatio(tDbC: number, rhPct: number, pPa: number): number {
  return humidityRatioFromVapourPressure((rhPct / 100) * saturationPressurePa(tDbC), pPa);
}

/**
 * Dew point (°C) from dry-bulb and relative humidity: the temperature at which the vapour pressure
 * saturates, found by Newton iteration on the Hyland–Wexler curve (|error| < 1e-4 °C).
 *
 * @example
 * dewPointC(20, 50) // → 9.27 (ASHRAE/psychrolib: 9.26 °C)
 */
export function dewPointC(tDbC: number, rhPct: number): number {
  const pw = (Math.max(rhPct, 1e-6) / 100) * saturationPressurePa(tDbC);
  return dewPointFromVapourPressureC(pw, tDbC);
}

/** Dew point (°C) of a vapour pressure (Pa); `guessC` starts the iteration (dry-bulb is a safe start). */
export function dewPointFromVapourPressureC(pwPa: number, guessC: number): number {
  const lnTarget = Math.log(pwPa);
  let t = Math.min(guessC, 60);
  for (let i = 0; i < 50; i++) {
    const lnP = Math.log(saturationPressureFastPa(t));
    // d ln(pws)/dT by central difference
    const d =
      (Math.log(saturationPressureFastPa(t + 0.05)) - Math.log(saturationPressureFastPa(t - 0.05))) / 0.1;
    const step = (lnP - lnTarget) / d;
    t -= step;
    if (Math.abs(step) < 1e-5) break;
  }
  return t;
}

/**
 * Humidity ratio of air at wet-bulb `tWbC` reached adiabatically from dry-bulb `tDbC`
 * (psychrometric equation, ASHRAE 2017 ch. 1 eqs. 33 (above freezing) and 35 (below)).
 */
function humidityRatioAtWetBulb(tDbC: number, tWbC: number, pPa: number): number {
  const wsStar = humidityRatioFromVapourPressure(saturationPressureFastPa(tWbC), pPa);
  if (tWbC >= 0) {
    return ((2501 - 2.326 * tWbC) * wsStar - 1.006 * (tDbC - tWbC)) / (2501 + 1.86 * tDbC - 4.186 * tWbC);
  }
  return ((2830 - 0.24 * tWbC) * wsStar - 1.006 * (tDbC - tWbC)) / (2830 + 1.86 * tDbC - 2.1 * tWbC);
}

/**
 * Thermodynamic wet-bulb temperature (°C) from dry-bulb, humidity ratio and pressure: bisection of the
 * psychrometric equation between the dew point and the dry-bulb, to 1e-4 °C.
 *
 * @example
 * wetBulbFromHumidityRatioC(20, 0.007262, 101325) // → 13.78 (psychrolib GetTWetBulbFromHumRatio: 13.78)
 */
export function wetBulbFromHumidityRatioC(tDbC: number, w: number, pPa: number): number {
  const pw = (w * pPa) / (MASS_RATIO + w);
  let lo = pw > 0 ? dewPointFromVapourPressureC(pw, tDbC) - 0.01 : tDbC - 60;
  let hi = tDbC;
  // W(t*) rises with t*; find t* with W(t*) = w.
  for (let i = 0; i < 60 && hi - lo > 1e-4; i++) {
    const mid = 0.5 * (lo + hi);
    if (humidityRatioAtWetBulb(tDbC, mid, pPa) > w) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Thermodynamic wet-bulb temperature (°C) from dry-bulb, relative humidity (%) and pressure.
 *
 * @example
 * wetBulbC(30, 40, 101325) // → 20.07 (psychrolib: 20.07 °C)
 */
export function wetBulbC(tDbC: number, rhPct: number, pPa: number): number {
  return wetBulbFromHumidityRatioC(tDbC, humidityRatio(tDbC, rhPct, pPa), pPa);
}

/**
 * Relative humidity (%) from dry-bulb and dew point.
 *
 * @example
 * rhFromDewPointPct(20, 9.27) // → 50.0
 */
export function rhFromDewPointPct(tDbC: number, tDewC: number): number {
  return (100 * saturationPressurePa(tDewC)) / saturationPressurePa(tDbC);
}

/**
 * Standard-atmosphere pressure (Pa) at an elevation (ASHRAE 2017 ch. 1 eq. 3).
 *
 * @example
 * stationPressurePa(1517) // → 84,380 (Lanzhou; the CSWD file's station pressure is ≈ 84,900 Pa in January)
 */
export function stationPressurePa(elevationM: number): number {
  return 101325 * (1 - 2.25577e-5 * elevationM) ** 5.2559;
}

/**
 * Moist-air specific enthalpy, kJ/kg dry air (ASHRAE 2017 ch. 1 eq. 30).
 *
 * @example
 * enthalpyKjPerKg(20, 0.007264) // → 38.56
 */
export function enthalpyKjPerKg(tDbC: number, w: number): number {
  return 1.006 * tDbC + w * (2501 + 1.86 * tDbC);
}

import psychrolib from 'psychrolib';
import { describe, it } from 'vitest';
import {
  dewPointC,
  enthalpyKjPerKg,
  humidityRatio,
  rhFromDewPointPct,
  saturationPressurePa,
  stationPressurePa,
  wetBulbC,
} from '../../models/psychrometrics.ts';
import { expectClose } from '../helpers/tolerance.ts';

// psychrolib (D. Meyer & D. Thevenard, JOSS 2019) implements the same ASHRAE 2017 equations
// independently; it is the reference library the issue names.
const pl = ((psychrolib as unknown as { default?: unknown }).default ?? psychrolib) as {
  SetUnitSystem(u: unknown): void;
  SI: unknown;
  GetTWetBulbFromRelHum(t: number, rh: number, p: number): number;
  GetTDewPointFromRelHum(t: number, rh: number): number;
  GetHumRatioFromRelHum(t: number, rh: number, p: number): number;
  GetSatVapPres(t: number): number;
  GetStandardAtmPressure(z: number): number;
};
pl.SetUnitSystem(pl.SI);

describe('psychrometrics', () => {
  it('saturation pressure matches the ASHRAE 2017 ch. 1 Table 3 values', () => {
    // ASHRAE Handbook—Fundamentals 2017, ch. 1, Table 3 (thermodynamic properties of water at saturation):
    // −20 °C: 0.10326 kPa (over ice); 0 °C: 0.6112 kPa; 20 °C: 2.3389 kPa; 40 °C: 7.3849 kPa
    expectClose(saturationPressurePa(-20), 103.26, { rel: 2e-4 });
    expectClose(saturationPressurePa(0.01), 611.65, { rel: 2e-3 });
    expectClose(saturationPressurePa(20), 2338.9, { rel: 2e-4 });
    expectClose(saturationPressurePa(40), 7384.9, { rel: 2e-4 });
  });

  it('wet-bulb, dew point and humidity ratio agree with psychrolib over a grid of conditions', () => {
    for (const t of [-20, -10, -5, 0, 5, 10, 20, 30, 40]) {
      for (const rh of [5, 20, 50, 80, 100]) {
        for (const p of [101325, 84900]) {
          expectClose(wetBulbC(t, rh, p), pl.GetTWetBulbFromRelHum(t, rh / 100, p), { abs: 0.002 });
          expectClose(dewPointC(t, rh), pl.GetTDewPointFromRelHum(t, rh / 100), { abs: 0.002 });
          expectClose(humidityRatio(t, rh, p), pl.GetHumRatioFromRelHum(t, rh / 100, p), { rel: 2e-4 });
        }
      }
    }
  });

  it('a textbook point: 30 °C, 40 % RH at sea level has a wet-bulb of about 20.1 °C', () => {
    // ASHRAE psychrometric chart No. 1 (sea level): 30 °C db, 40 % RH → ≈ 20.1 °C wb, ≈ 14.9 °C dew point
    expectClose(wetBulbC(30, 40, 101325), 20.06, { abs: 0.05 });
    expectClose(dewPointC(30, 40), 14.93, { abs: 0.05 });
  });

  it('RH from dew point inverts dew point from RH', () => {
    expectClose(rhFromDewPointPct(20, dewPointC(20, 50)), 50, { abs: 1e-3 });
  });

  it('standard-atmosphere pressure and moist-air enthalpy follow ASHRAE eqs. 3 and 30', () => {
    // psychrolib GetStandardAtmPressure implements the same eq. 3
    expectClose(stationPressurePa(1517), pl.GetStandardAtmPressure(1517), { rel: 1e-9 });
    // hand: 1.006 × 20 + 0.007264 × (2501 + 1.86 × 20) = 20.12 + 18.4375 = 38.5575 kJ/kg
    expectClose(enthalpyKjPerKg(20, 0.007264), 38.5575, { abs: 1e-4 });
  });
});

import { describe, expect, it } from 'vitest';
import {
  biquadratic,
  chillerPowerKw,
  DOE2_CENTRIFUGAL,
  eirFplr,
  YORK_YCAL_AIR,
} from '../../models/chiller.ts';
import { coolingDesign } from '../../models/cooling.ts';
import { expectClose } from '../helpers/tolerance.ts';

describe('chillers in the EnergyPlus Chiller:Electric:EIR form', () => {
  it('the published DOE-2 centrifugal curves are ≈ 1 at their rating point (6.67 °C, 29.4 °C)', () => {
    // CAPFT: 0.257896 + 0.0389016·6.67 − 0.00021708·6.67² + 0.0468684·29.4 − 0.00094284·29.4² − 0.00034344·6.67·29.4
    //      = 0.257896 + 0.259474 − 0.009658 + 1.377931 − 0.814954 − 0.067347 = 1.003342
    expectClose(biquadratic(DOE2_CENTRIFUGAL.capFt, 6.67, 29.4), 1.003342, { abs: 1e-6 });
    // EIRFT: 0.933884 − 0.388274 + 0.200215 + 0.071442 + 0.420079 − 0.238267 = 0.999088 (rounding per term)
    expectClose(biquadratic(DOE2_CENTRIFUGAL.eirFt, 6.67, 29.4), 0.999088, { abs: 2e-6 });
    // EIRFPLR at full load: 0.222903 + 0.313387 + 0.463710 = 1.000000
    expectClose(eirFplr(DOE2_CENTRIFUGAL, 1), 1, { abs: 1e-12 });
    // York YCAL0033EE: the set's own value at (6.67, 35) is what the engine normalises by
    expect(biquadratic(YORK_YCAL_AIR.capFt, 6.67, 35)).toBeCloseTo(1.04916, 4);
  });

  it('inputs above the fitted range are clamped, as EnergyPlus does; below it the chiller gains to its head-pressure limit', () => {
    // the warmest chilled water and coolest condenser water the set covers: COP × 1/0.848456
    expectClose(biquadratic(DOE2_CENTRIFUGAL.eirFt, 10, 24), 0.848456, { abs: 1e-6 });
    expect(biquadratic(DOE2_CENTRIFUGAL.eirFt, 20, 40)).toBe(biquadratic(DOE2_CENTRIFUGAL.eirFt, 10, 35));
    // Below 24 °C the curve goes on along its slope in y at 24 °C, x clamped to 10:
    // d + 2e·24 + f·10 = 0.00243 + 0.023328 − 0.01215 = 0.013608 per K, down to the centrifugal's
    // minimum entering condenser water of 12.8 °C (Trane CVGF manual): 0.848456 − 11.2 × 0.013608 = 0.6960464
    expectClose(biquadratic(DOE2_CENTRIFUGAL.eirFt, 20, 10), 0.6960464, { abs: 1e-9 });
    expect(biquadratic(DOE2_CENTRIFUGAL.eirFt, 20, 5)).toBe(biquadratic(DOE2_CENTRIFUGAL.eirFt, 20, 12.8));
  });

  it('an air-cooled chiller in cold air benefits down to its head-pressure limit, not held at 23.9 °C', () => {
    // York YCAL0033EE eirFt at 6.67 °C leaving water: 0.735566 at the data's lowest air 23.89 °C; slope
    // d + 2e·23.89 + f·6.67 = 0.0188175 + 0.0125340 − 0.0085919 = 0.0227596 per K; the fan control holds
    // the condensing pressure from ≈ 15 °C air: 0.735566 − 8.89 × 0.0227596 = 0.533232 (COP up 38 %)
    expectClose(biquadratic(YORK_YCAL_AIR.eirFt, 6.67, 23.89), 0.735566, { abs: 1e-6 });
    expectClose(biquadratic(YORK_YCAL_AIR.eirFt, 6.67, 15), 0.533232, { abs: 1e-6 });
    // Lanzhou's January (−5 °C) air gives no more than 15 °C air does
    expect(biquadratic(YORK_YCAL_AIR.eirFt, 6.67, -5)).toBe(biquadratic(YORK_YCAL_AIR.eirFt, 6.67, 15));
    // available capacity is held at the data's edge (the fitted curve turns over there)
    expect(biquadratic(YORK_YCAL_AIR.capFt, 6.67, 15)).toBe(biquadratic(YORK_YCAL_AIR.capFt, 6.67, 23.89));
  });

  it('a hand-worked plant: full load, staged part load and cycling', () => {
    const plant = { curves: DOE2_CENTRIFUGAL, ratedCop: 5.5, capacityKw: 1000, modules: 1 };
    // full load at the rating point: 1,000 / 5.5 = 181.818 kW
    expectClose(chillerPowerKw(plant, 1000, 1, 1), 181.818, { abs: 1e-3 });
    // four 250 kW modules carrying 300 kW: two run at PLR 0.6;
    // EIRFPLR(0.6) = 0.222903 + 0.313387·0.6 + 0.46371·0.36 = 0.5778709 → 500/5.5 × 0.5778709 = 52.5337
    expectClose(chillerPowerKw({ ...plant, modules: 4 }, 300, 1, 1), 52.5337, { abs: 1e-3 });
    // one module at 50 kW (PLR 0.05 < 0.1) cycles: 181.818 × EIRFPLR(0.1) × 0.05/0.1;
    // EIRFPLR(0.1) = 0.222903 + 0.0313387 + 0.0046371 = 0.2588788 → 23.5344
    expectClose(chillerPowerKw(plant, 50, 1, 1), 23.5344, { abs: 1e-3 });
    expect(chillerPowerKw(plant, 0, 1, 1)).toBe(0);
  });

  it('rated COPs per class come from the efficiency standard and sit in the published ranges', () => {
    // ASHRAE 90.1 Path A: centrifugal ≥ 600 tons 0.560 kW/ton → 3.517/0.560 = 6.28; air-cooled 10.1 EER → 2.96
    expect(coolingDesign('water-cooled-chiller', {}, 'hyperscale').p.ratedCopWater).toBe(6.28);
    expect(coolingDesign('air-cooled-chiller').p.ratedCopAir).toBe(2.96);
    for (const cls of ['hyperscale', 'large', 'small']) {
      const p = coolingDesign('water-cooled-chiller', {}, cls).p;
      expect(p.ratedCopWater).toBeGreaterThanOrEqual(4.5);
      expect(p.ratedCopWater).toBeLessThanOrEqual(6.3);
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  COOLING_DESIGN_NAMES,
  coolingDesign,
  FREE,
  facilityLoad,
  MECHANICAL,
  PARTIAL,
  prepareCooling,
  towerEvaporationLPerKwh,
} from '../../models/cooling.ts';
import { electricalLossKw } from '../../models/electrical.ts';
import { humidityRatio, wetBulbC } from '../../models/psychrometrics.ts';
import { seededClimates } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

/** A one-condition climate: every hour at the same dry-bulb and RH. */
function steady(tDry: number, rh: number, p = 101325) {
  const w = humidityRatio(tDry, rh, p);
  return {
    tDryC: new Float64Array(8760).fill(tDry),
    tWetC: new Float64Array(8760).fill(wetBulbC(tDry, rh, p)),
    pressurePa: new Float64Array(8760).fill(p),
    humidityRatio: new Float64Array(8760).fill(w),
  };
}

describe('electrical losses', () => {
  it('a hand-worked UPS + distribution + lighting loss', () => {
    // hyperscale midpoints: η 0.945 → full-load loss 1/0.945 − 1 = 0.0582011 of rating;
    // 500 kW on 1,000 kW: x = 0.5 → UPS 1000 × 0.0582011 × (0.3 + 0.5·0.5 + 0.2·0.25) = 34.9206 kW;
    // distribution 500/0.99 − 500 = 5.0505 kW; lighting 0.001 × 500 = 0.5 kW → 40.4711 kW
    const e = coolingDesign('indirect-evaporative', {}, 'hyperscale').electrical;
    expectClose(electricalLossKw(500, 1000, e), 40.4711, { abs: 1e-3 });
  });

  it('UPS efficiency at rated load equals the class midpoint', () => {
    // large class: 80–94 % → 87 %; at x = 1 the three terms add to the full-load loss 1/0.87 − 1
    const e = { ...coolingDesign('air-cooled-chiller').electrical, distributionLoss: 0, lightingFraction: 0 };
    expectClose(1000 / (1000 + electricalLossKw(1000, 1000, e)), 0.87, { abs: 1e-12 });
  });
});

describe('cooling designs', () => {
  it('unknown names and parameters are refused with one line', () => {
    expect(() => coolingDesign('magic')).toThrow('invalid coolingDesign: magic');
    expect(() => coolingDesign('air-cooled-chiller', { nope: 1 })).toThrow(
      'cooling.overrides.nope: unknown parameter',
    );
    expect(() => coolingDesign('air-cooled-chiller', {}, 'tiny')).toThrow('invalid facilityClass: tiny');
    expect(() => coolingDesign('air-cooled-chiller', { pumpEfficiency: 0 })).toThrow(
      'pumpEfficiency: must be in (0, 1]',
    );
  });

  it('every parameter carries a unit, a source and a grade', () => {
    for (const name of COOLING_DESIGN_NAMES) {
      for (const [k, row] of Object.entries(coolingDesign(name).table)) {
        expect(row.source.length, `${name}.${k}`).toBeGreaterThan(5);
        expect(['A', 'B', 'C', 'D', 'assumption']).toContain(row.grade);
      }
    }
  });

  it('hand-worked free-cooling hour of the waterside-economized plant (large class)', () => {
    // Large-class midpoints (cooling.md): CRAH ΔT 7.5 K, 700 Pa, η 0.70; CHW ΔT 7.5 K, pumps 143.65 kPa, η 0.70;
    // tower ΔT 5 K, pump 208.65 kPa, fan 300 Pa η 0.70, L/G 1.1; supply air 22.5 °C.
    // ρ = 101,325 / (287.05 × 295.65) = 1.19393 kg/m³
    // CRAH fan per kW heat: (1 / (1.006 × 7.5)) / 1.19393 × 700 / 0.70 / 1000 = 0.111009
    // CHW pump: 1 / (4.186 × 7.5) / 1000 × 143,650 / 0.70 / 1000 = 0.0065365; economizer pump the same
    // tower pump: 1 / (4.186 × 5) / 1000 × 208,650 / 0.70 / 1000 = 0.0142413
    // tower fan: 0.0477783 / 1.1 / 1.19393 × 300 / 0.70 / 1000 = 0.0155913
    // free hour (wb 0 °C): plant = 0.0065365 × 2 + 0.0142413 + 0.0155913 = 0.0429056
    // with CRAH fan heat: (0.111009 + 0.0429056) / (1 − 0.111009) = 0.173134 kW per kW of heat
    const d = coolingDesign('water-cooled-chiller-wse');
    const prof = prepareCooling(d, steady(2, 60));
    expect(prof.mode[0]).toBe(FREE);
    expectClose(prof.coolingKwPerKwHeat[0], 0.173134, { abs: 2e-6 });
    // The hour at IT 4,500 kW on a 6,500 kW UPS (large: η 0.87, distribution 3.5 %, lighting 3.5 %):
    // UPS 6,500 × 0.149425 × (0.3 + 0.5 × 0.692308 + 0.2 × 0.479290) = 720.69; distribution 163.21; lighting 157.5
    // heat 5,541.40 kW; cooling 5,541.40 × 0.173134 = 959.41; facility 6,500.81 kW → PUE 1.44462
    const out = { facilityKw: new Float64Array(8760), waterL: new Float64Array(8760) };
    const s = facilityLoad(new Float64Array(8760).fill(4500), 6500, d, prof, out);
    expectClose(out.facilityKw[0], 6500.81, { abs: 0.02 });
    expectClose(s.pue, 1.44462, { abs: 2e-5 });
    expect(s.freeCoolingHours).toBe(8760);
  });

  it('hand-worked mechanical hour of the air-cooled chiller at 35 °C', () => {
    // CHW supply = return air − ΔT/ε = (22.5 + 7.5) − 7.5/0.775 = 20.32258 °C; evaporator 18.32258 °C;
    // condensing 35 + 15 = 50 °C; COP = 0.5 × 291.47258 / 31.67742 = 4.600636
    // plant = CHW pump 0.0065365 + 1/4.60064 (0.217361) = 0.2238975
    // total = (0.111009 + 0.2238975) / (1 − 0.111009) = 0.3349065 / 0.888991 = 0.376727
    const prof = prepareCooling(coolingDesign('air-cooled-chiller'), steady(35, 40));
    expect(prof.mode[0]).toBe(MECHANICAL);
    expectClose(prof.coolingKwPerKwHeat[0], 0.376727, { abs: 2e-6 });
    expect(prof.waterLPerKwhHeat[0]).toBe(0);
  });

  it('the economizer runs partially between CHW supply and return, and not at all above return', () => {
    // CHW supply 20.32 °C, return 27.82 °C; economizer leaving water = wb + 4.75 + 2.25 = wb + 7 K:
    // free for wb ≤ 13.32 °C, partial for wb < 20.82 °C, mechanical above
    const d = coolingDesign('water-cooled-chiller-wse');
    const modeAt = (t: number, rh: number) => prepareCooling(d, steady(t, rh)).mode[0];
    expect(modeAt(15, 60)).toBe(FREE); // wb ≈ 11.2
    expect(modeAt(24, 60)).toBe(PARTIAL); // wb ≈ 18.8
    expect(modeAt(34, 70)).toBe(MECHANICAL); // wb ≈ 29.3
  });

  it('hotter, more humid hours cost more cooling; dry designs use no water', () => {
    for (const name of COOLING_DESIGN_NAMES) {
      const d = coolingDesign(name);
      const cool = prepareCooling(d, steady(5, 50)).coolingKwPerKwHeat[0];
      const hot = prepareCooling(d, steady(33, 70)).coolingKwPerKwHeat[0];
      expect(hot, name).toBeGreaterThan(cool);
    }
    const dry = prepareCooling(coolingDesign('air-cooled-chiller'), seededClimates().wuhan).waterLPerKwhHeat;
    expect(dry.every((v) => v === 0)).toBe(true);
  });

  it('cooling-tower evaporation: all-latent in hot humid air, much less in cold dry air', () => {
    // all-latent ceiling: 3,600 kJ / 2,450 kJ/kg = 1.469 L per kWh rejected (cooling.md)
    const air = 0.0477783 / 1.1;
    const summer = towerEvaporationLPerKwh(32, humidityRatio(32, 65, 101325), 101325, air);
    const winter = towerEvaporationLPerKwh(-5, humidityRatio(-5, 50, 85000), 85000, air);
    expect(summer).toBeGreaterThan(1.2);
    expect(summer).toBeLessThanOrEqual(3600 / 2450 + 1e-12);
    expect(winter).toBeLessThan(0.9);
    expect(winter).toBeGreaterThan(0.3);
  });

  it('Qingyang PUE against the hub cap: hyperscale-class economized designs meet 1.2, none of the large-class do', () => {
    // docs/models/cooling.md discusses this outcome
    const q = seededClimates().qingyang;
    const it = new Float64Array(8760).fill(4500);
    const out = { facilityKw: new Float64Array(8760), waterL: new Float64Array(8760) };
    const pue = (name: string, cls: string) => {
      const d = coolingDesign(name, {}, cls);
      return facilityLoad(it, 6500, d, prepareCooling(d, q), out).pue;
    };
    for (const name of ['water-cooled-chiller-wse', 'indirect-evaporative', 'liquid-cold-plate']) {
      expect(pue(name, 'hyperscale'), name).toBeLessThanOrEqual(1.2);
    }
    expect(pue('air-cooled-chiller', 'hyperscale')).toBeGreaterThan(1.2);
    for (const name of COOLING_DESIGN_NAMES) expect(pue(name, 'large'), name).toBeGreaterThan(1.2);
  });
});

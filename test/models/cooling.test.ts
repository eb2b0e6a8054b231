import { describe, expect, it } from 'vitest';
import { DAYS_IN_MONTH } from '../../models/calendar.ts';
import { lossCoefficients } from '../../models/cooling/facility.ts';
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
import { humidityRatio, wetBulbC } from '../../models/psychrometrics.ts';
import { sum } from '../../models/sum.ts';
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
    // lighting is a share of the installed halls' IT design power (1,000 kW): 0.001 × 1000 = 1.0 kW
    // → 34.9206 + 5.0505 + 1.0 = 40.9711 kW
    const e = coolingDesign('indirect-evaporative', {}, 'hyperscale').electrical;
    const c = lossCoefficients(e, { installedItKw: 1000, energisedItKw: 1000 });
    expectClose(c.a0 + (c.a1 + c.a2 * 500) * 500 + c.dist * 500, 40.9711, { abs: 1e-3 });
  });

  it('UPS efficiency at rated load equals the class midpoint', () => {
    // large class: 80–94 % → 87 %; at x = 1 the three terms add to the full-load loss 1/0.87 − 1
    const e = { ...coolingDesign('air-cooled-chiller').electrical, distributionLoss: 0, lightingFraction: 0 };
    const c = lossCoefficients(e, { installedItKw: 1000, energisedItKw: 1000 });
    expectClose(1000 / (1000 + c.a0 + (c.a1 + c.a2 * 1000) * 1000), 0.87, { abs: 1e-12 });
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
      'cooling.overrides.pumpEfficiency: must be > 0',
    );
  });

  it("a year's totals (plain running sums) agree with a compensated sum of the hourly series to 1e-12", () => {
    // The loop sums 8,760 non-negative terms in hour order: the recursive-summation bound
    // (n − 1)·2⁻⁵³ ≈ 9.7e-13 relative (Higham 2002, §4.2). Reference: Neumaier's compensated sum of
    // the loop's own hourly output, on a real climate year with chillers at part load and a weekly shape.
    const d = coolingDesign('water-cooled-chiller-wse');
    const prof = prepareCooling(d, seededClimates().wuhan);
    const it = new Float64Array(8760).map((_, h) => 3000 + 1500 * Math.sin((2 * Math.PI * h) / 168) ** 2);
    const out = { facilityKw: new Float64Array(8760), waterL: new Float64Array(8760) };
    const s = facilityLoad(it, { installedItKw: 6500, energisedItKw: 5000 }, d, prof, out);
    expect(s.partialCoolingHours + s.freeCoolingHours).toBeLessThan(8760); // some mechanical hours
    expectClose(s.itEnergyKwh, sum(it), { abs: 0, rel: 1e-12 });
    expectClose(s.facilityEnergyKwh, sum(out.facilityKw), { abs: 0, rel: 1e-12 });
    expectClose(s.waterL, sum(out.waterL), { abs: 0, rel: 1e-12 });
  });

  it('monthly totals and peaks are those of the hourly output; without a water array, the same numbers', () => {
    // Months from the calendar (31, 28, 31, … days × 24 h); sums, peaks and the IT peak taken here from
    // the hourly series the loop wrote.
    const d = coolingDesign('air-cooled-chiller');
    const prof = prepareCooling(d, seededClimates().zhengzhou);
    const it = new Float64Array(8760).map((_, h) => 2000 + 800 * Math.cos((2 * Math.PI * h) / 24) ** 2);
    const months = new Float64Array(36);
    const out = { facilityKw: new Float64Array(8760), waterL: new Float64Array(8760), months };
    const sizing = { installedItKw: 4000, energisedItKw: 3000 };
    const s = facilityLoad(it, sizing, d, prof, out);
    let h0 = 0;
    DAYS_IN_MONTH.forEach((days, m) => {
      const h1 = h0 + days * 24;
      expectClose(months[3 * m], sum(it, h0, h1), { abs: 0, rel: 1e-12 });
      expectClose(months[3 * m + 1], sum(out.facilityKw, h0, h1), { abs: 0, rel: 1e-12 });
      expect(months[3 * m + 2]).toBe(Math.max(...out.facilityKw.subarray(h0, h1)));
      h0 = h1;
    });
    expect(s.peakItKw).toBe(Math.max(...it));
    expect(s.peakFacilityKw).toBe(Math.max(...out.facilityKw));
    const noWater = facilityLoad(it, sizing, d, prof, { facilityKw: new Float64Array(8760), waterL: null });
    expect(noWater).toEqual(s);
    expect(() => facilityLoad(new Float64Array(24), sizing, d, prof, out)).toThrow(
      'itKw: must have 8760 hours',
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
    // Large-class midpoints (Lei & Masanet 2022 Table B.1): CRAH ΔT 7.5 K, 700 Pa, η 0.70; CHW ΔT 7.5 K,
    // pumps 143.65 kPa, η 0.70; tower ΔT 5 K, pump 208.65 kPa, fan 300 Pa η 0.70, L/G 1.1; supply air 24 °C.
    // ρ = 101,325 / (287.05 × 297.15) = 1.187909 kg/m³
    // CRAH fan per kW heat: (1 / (1.006 × 7.5)) / 1.187909 × 700 / 0.70 / 1000 = 0.1115726
    // CHW pump: 1 / (4.186 × 7.5) / 1000 × 143,650 / 0.70 / 1000 = 0.0065365; economizer pump the same
    // tower pump: 1 / (4.186 × 5) / 1000 × 208,650 / 0.70 / 1000 = 0.0142413
    // tower fan: 0.0477783 / 1.1 / 1.187909 × 300 / 0.70 / 1000 = 0.0156703
    // free hour (wb 0 °C): plant = 0.0065365 × 2 + 0.0142413 + 0.0156703 = 0.0429847
    // with CRAH fan heat: (0.1115726 + 0.0429847) / (1 − 0.1115726) = 0.1739673 kW per kW of heat
    const d = coolingDesign('water-cooled-chiller-wse');
    const prof = prepareCooling(d, steady(2, 60));
    expect(prof.mode[0]).toBe(FREE);
    expectClose(prof.coolingKwPerKwHeat[0], 0.1739673, { abs: 2e-7 });
    expect(prof.water!.loadPerKwHeat[0]).toBe(0); // no compressor in a free hour
    // IT 4,500 kW in halls built and energised for 6,500 kW (large: η 0.87, distribution 3.5 %, lighting 3.5 %):
    // UPS 6,500 × 0.149425 × (0.3 + 0.5 × 0.692308 + 0.2 × 0.479290) = 720.69; distribution 163.21;
    // lighting of the built halls 0.035 × 6,500 = 227.5 → heat 5,611.40 kW; cooling × 0.1739673 = 976.20;
    // facility 6,587.60 kW → PUE 1.463912
    const out = { facilityKw: new Float64Array(8760), waterL: new Float64Array(8760) };
    const s = facilityLoad(
      new Float64Array(8760).fill(4500),
      { installedItKw: 6500, energisedItKw: 6500 },
      d,
      prof,
      out,
    );
    expectClose(out.facilityKw[0], 6587.602, { abs: 0.01 });
    expectClose(s.pue, 1.463912, { abs: 2e-6 });
    expect(s.freeCoolingHours).toBe(8760);
  });

  it('hand-worked mechanical hour of the air-cooled chiller at 35 °C, compressor from its EIR curves', () => {
    // fans and pumps: (CRAH 0.1115726 + CHW pump 0.0065365) / (1 − 0.1115726) = 0.1329417 kW per kW of heat
    const d = coolingDesign('air-cooled-chiller');
    const prof = prepareCooling(d, steady(35, 40));
    expect(prof.mode[0]).toBe(MECHANICAL);
    expectClose(prof.coolingKwPerKwHeat[0], 0.1329417, { abs: 2e-7 });
    expect(prof.waterLPerKwhHeat[0]).toBe(0);
    // compressor load = heat × 1/(1 − 0.1115726) = 1.1255843 per kW; the curve is read at its upper
    // chilled-water bound (10 °C; the plant's 21.8 °C lies above the fitted range) and 35 °C air:
    // EIRFT(10, 35)/EIRFT(6.67, 35) and CAPFT likewise, from the published York YCAL0033EE coefficients
    const c = prof.air!;
    expectClose(c.loadPerKwHeat[0], 1.1255843, { abs: 2e-7 });
    const eir = (x: number, y: number) =>
      0.1807017787 +
      0.0271530312 * x -
      0.0004553574 * x * x +
      0.0188175079 * y +
      0.0002623276 * y * y -
      0.0012881189 * x * y;
    expectClose(c.eirFt[0], eir(10, 35) / eir(6.67, 35), { abs: 1e-12 });
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
    const it = new Float64Array(8760).fill(4500);
    const out = { facilityKw: new Float64Array(8760), waterL: new Float64Array(8760) };
    const sizing = { installedItKw: 6500, energisedItKw: 6500 };
    for (const name of COOLING_DESIGN_NAMES) {
      const d = coolingDesign(name);
      const cool = facilityLoad(it, sizing, d, prepareCooling(d, steady(5, 50)), out).pue;
      const hot = facilityLoad(it, sizing, d, prepareCooling(d, steady(33, 70)), out).pue;
      expect(hot, name).toBeGreaterThan(cool);
    }
    const dry = prepareCooling(coolingDesign('air-cooled-chiller'), seededClimates().wuhan).waterLPerKwhHeat;
    expect(dry.every((v) => v === 0)).toBe(true);
  });

  it('fans need more power in thin air: 85 kPa at the Gansu sites', () => {
    // ρ(85 kPa, 24 °C) = 85,000 / (287.05 × 297.15) = 0.996519 kg/m³ (vs 1.187909 at 101.325 kPa)
    // direct airside free hour, fans only: CRAH (1/(1.006 × 7.5))/0.996519 × 700/0.70/1000 = 0.1330011
    // → 0.1330011 / (1 − 0.1330011) = 0.1534040 kW per kW of heat (0.1255843 at sea level: +22 %)
    const d = coolingDesign('direct-airside-adiabatic');
    const thin = prepareCooling(d, steady(10, 40, 85000));
    expectClose(thin.airDensityKgPerM3, 0.996519, { abs: 1e-6 });
    expect(thin.mode[0]).toBe(FREE);
    expectClose(thin.coolingKwPerKwHeat[0], 0.153404, { abs: 1e-6 });
    expectClose(prepareCooling(d, steady(10, 40)).coolingKwPerKwHeat[0], 0.1255843, { abs: 1e-6 });
  });

  it('PUE rises as occupancy falls: fixed UPS and lighting losses of the built halls', () => {
    // Large-class WSE plant in free-cooling weather (0.1739673 kW per kW of heat), 10,000 kW built.
    // Full: IT 10,000; UPS 1,494.25; distribution 362.69; lighting 350 → heat 12,206.95 → PUE 1.433056
    // 30 % occupied: IT 3,000 on modules energised for max(0.3, 0.5) × 10,000 = 5,000 kW:
    // UPS 5,000 × 0.149425 × (0.3 + 0.5 × 0.6 + 0.2 × 0.36) = 502.07; distribution 108.81; lighting 350
    // → heat 3,960.88 → PUE 1.549980
    const d = coolingDesign('water-cooled-chiller-wse');
    const prof = prepareCooling(d, steady(2, 60));
    const out = { facilityKw: new Float64Array(8760), waterL: new Float64Array(8760) };
    const at = (occ: number) =>
      facilityLoad(
        new Float64Array(8760).fill(10000 * occ),
        { installedItKw: 10000, energisedItKw: 10000 * Math.max(occ, d.p.upsMinEnergisedFraction) },
        d,
        prof,
        out,
      ).pue;
    expectClose(at(1), 1.433056, { abs: 2e-6 });
    expectClose(at(0.3), 1.54998, { abs: 2e-6 });
    expect(at(0.5)).toBeGreaterThan(at(1));
    expect(at(0.3)).toBeGreaterThan(at(0.5));
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
      return facilityLoad(it, { installedItKw: 6500, energisedItKw: 6500 }, d, prepareCooling(d, q), out).pue;
    };
    for (const name of ['water-cooled-chiller-wse', 'indirect-evaporative', 'liquid-cold-plate']) {
      expect(pue(name, 'hyperscale'), name).toBeLessThanOrEqual(1.2);
    }
    expect(pue('air-cooled-chiller', 'hyperscale')).toBeGreaterThan(1.2);
    for (const name of COOLING_DESIGN_NAMES) expect(pue(name, 'large'), name).toBeGreaterThan(1.2);
  });
});

import { describe, expect, it } from 'vitest';
import { DAYS_IN_MONTH, HOURS_PER_YEAR } from '../../models/calendar.ts';
import { planeOfArray, pvDefaults, pvOutputKw } from '../../models/pv.ts';
import { declinationAndEot, solarPosition } from '../../models/solar.ts';
import { type BalanceInput, energyBalance, fadedCapacityKwh } from '../../models/storage.ts';
import { sum } from '../../models/sum.ts';
import { hourlyPeriods, hourlyPriceCnyPerKwh } from '../../models/tariff.ts';
import {
  farmCurve,
  turbineFraction,
  type WindParams,
  windDefaults,
  windOutputKw,
} from '../../models/wind.ts';
import { SEEDS, seededClimates } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

const fill = (v: number) => new Float64Array(HOURS_PER_YEAR).fill(v);

describe('solar position', () => {
  it('declination at the June solstice is +23.44° and near 0° at the March equinox', () => {
    // Astronomical Almanac: obliquity of the ecliptic 23.44° (2025); Spencer's series is good to ≈ 0.05°
    expectClose(declinationAndEot(((2 * Math.PI) / 365) * 171).declinationDeg, 23.44, { abs: 0.05 });
    expectClose(declinationAndEot(((2 * Math.PI) / 365) * 78.5).declinationDeg, 0, { abs: 0.5 });
  });

  it('the noon zenith in Lanzhou on 21 June is latitude − declination', () => {
    // Solar noon at 103.88° E, UTC+8: 12:00 + (120 − 103.88)·4 min − EoT (−1.3 min) ≈ 13:06 → the 13:00–14:00 hour
    // midpoint 13:30 is 24.2 min past noon: hour angle 6.05°; cos z = sin36.05·sin23.45 + cos36.05·cos23.45·cos6.05
    // = 0.58846·0.39795 + 0.80852·0.91741·0.99443 = 0.97179 → z = 13.64°
    const sun = solarPosition(36.05, 103.88, 8);
    const h = 171 * 24 + 13;
    expectClose(sun.zenithDeg[h], 13.64, { abs: 0.05 });
    expect(sun.azimuthDeg[h]).toBeGreaterThan(180); // just past noon: the sun is west of south
    expect(sun.cosZenith[171 * 24 + 0]).toBeLessThan(0); // midnight
  });
});

describe('PV', () => {
  it('a hand-worked plane-of-array hour from the file’s DNI (issue 8, point 6)', () => {
    // SAM / pvlib form: beam on the plane = DNI · cos θ (pvlib irradiance.beam_component). Sun along the
    // panel normal (tilt 30° south, zenith 30°, azimuth 180°): cos θ = 1.
    // POA = 750 · 1 + 100 · (1 + cos30°)/2 + 800 · 0.2 · (1 − cos30°)/2 = 750 + 93.301 + 10.718 = 854.019
    // (the horizontal rebuild (GHI − DHI)/cos z would give 808.290 for the beam instead of 750).
    const sun = {
      cosZenith: fill(Math.cos(Math.PI / 6)),
      zenithDeg: fill(30),
      azimuthDeg: fill(180),
      declinationDeg: fill(0),
    };
    const climate = {
      tDryC: fill(25),
      ghiWhM2: fill(800),
      dniWhM2: fill(750),
      dhiWhM2: fill(100),
      windMps: fill(1),
    };
    const poa = planeOfArray(sun, climate, { tiltDeg: 30, azimuthDeg: 180, tracking: 'fixed', albedo: 0.2 });
    expectClose(poa[0], 854.019, { abs: 0.01 });
  });

  it('a hand-worked plane-of-array hour: sun normal to the panel, beam from GHI − DHI (closure option)', () => {
    // Put the sun straight along the panel normal: tilt 30° south, zenith 30°, azimuth 180°.
    // POA = (GHI − DHI)/cos z · 1 + DHI (1 + cos30°)/2 + GHI · 0.2 (1 − cos30°)/2
    //     = (800 − 100)/0.866025 + 100 · 0.933013 + 800 · 0.2 · 0.0669873 = 808.290 + 93.301 + 10.718 = 912.309
    const sun = {
      cosZenith: fill(Math.cos(Math.PI / 6)),
      zenithDeg: fill(30),
      azimuthDeg: fill(180),
      declinationDeg: fill(0),
    };
    const climate = {
      tDryC: fill(25),
      ghiWhM2: fill(800),
      dniWhM2: fill(0),
      dhiWhM2: fill(100),
      windMps: fill(1),
    };
    const poa = planeOfArray(sun, climate, {
      tiltDeg: 30,
      azimuthDeg: 180,
      tracking: 'fixed',
      albedo: 0.2,
      beam: 'ghi-dhi',
    });
    expectClose(poa[0], 912.309, { abs: 0.01 });
    // DC: cell temp (SAPM open rack) T_m = 912.309·e^(−3.56 − 0.075) + 25 = 24.06 + 25 = 49.06; T_c = 49.06 + 0.912·3 = 51.80 °C
    // P = 1 kW · 0.912309 · (1 − 0.0037 · 26.80) · (1 − 0.1408) · 0.96 = 0.912309 · 0.900840 · 0.8592 · 0.96 = 0.67788 kW
    const out = pvOutputKw(sun, climate, pvDefaults(30, 1, { tiltDeg: 30, beam: 'ghi-dhi' }));
    expectClose(out[0], 0.67788, { abs: 2e-4 });
  });

  it('clips at the inverter rating (DC/AC 1.2)', () => {
    const sun = { cosZenith: fill(1), zenithDeg: fill(0), azimuthDeg: fill(180), declinationDeg: fill(0) };
    const climate = {
      tDryC: fill(-20),
      ghiWhM2: fill(1400),
      dniWhM2: fill(1300),
      dhiWhM2: fill(100),
      windMps: fill(10),
    };
    const out = pvOutputKw(sun, climate, pvDefaults(0, 1200, { tiltDeg: 0 }));
    expect(out[0]).toBe(1000);
  });

  it('a 1 MWdc fixed array in Lanzhou yields about what the plane-of-array irradiation and PVWatts losses imply', () => {
    // Hand check: yield ≈ H_poa · (1 − 14.08 %) · 96 % · temperature factor, where Lanzhou's cool climate keeps the
    // temperature factor within 0.95–1.01; published context: Gansu PV 1,061 full-load h at 31 % curtailment
    // in 2015 (NEA, facts.md §6) ≈ 1,538 h uncurtailed over sunnier sites (Gansu zone 1,500–1,694 kWh/m², B)
    // against Lanzhou's 1,403 kWh/m².
    const c = seededClimates().lanzhou;
    const sun = solarPosition(c.site.latDeg, c.site.lonDeg, 8);
    const p = pvDefaults(c.site.latDeg, 1000);
    const hPoa = sum(planeOfArray(sun, c, p)) / 1000; // kWh/m²
    const yieldKwhPerKwp = sum(pvOutputKw(sun, c, p)) / 1000;
    expect(yieldKwhPerKwp / (hPoa * 0.8592 * 0.96)).toBeGreaterThan(0.95);
    expect(yieldKwhPerKwp / (hPoa * 0.8592 * 0.96)).toBeLessThan(1.01);
    expect(yieldKwhPerKwp).toBeGreaterThan(1061); // above the curtailed 2015 provincial figure
    expect(yieldKwhPerKwp).toBeLessThan(1538); // below the uncurtailed figure for sunnier Gansu sites
  });
});

describe('wind', () => {
  // One turbine, the hand calculations' parameters: α = 1/7, availability 0.97, losses 10 %
  const turbine = (ratedKw: number, over: Partial<WindParams> = {}) =>
    windDefaults(ratedKw, {
      shearExponent: 1 / 7,
      availability: 0.97,
      losses: 0.1,
      speedSpreadMps: 0,
      speedSpreadFraction: 0,
      ...over,
    });

  it('follows the power law and the generic curve', () => {
    // (7³ − 3³)/(11³ − 3³) = 316/1304 = 0.24233
    expectClose(turbineFraction(7, windDefaults(1)), 0.24233, { abs: 1e-5 });
    expect(turbineFraction(2, windDefaults(1))).toBe(0);
    expect(turbineFraction(30, windDefaults(1))).toBe(0);
    // 10 m at 5 m/s → 100 m: 5 · 10^(1/7) = 6.9487 m/s; fraction (6.9487³ − 27)/(1331 − 27) = 0.23659;
    // density at 101,325 Pa, 15 °C = 1.2250 → ×1.000; × availability 0.97 × (1 − 0.10) = 0.20655 of rated
    const out = windOutputKw(fill(5), fill(101325), fill(15), turbine(1000));
    expectClose(out[0], 206.55, { abs: 0.2 });
  });

  it('density normalises the wind speed (IEC 61400-12-1: V_n = V·(ρ/ρ0)^(1/3)), so output is continuous at rated', () => {
    // Hand calculation at 85 kPa, 15 °C: ρ = 85,000 / (287.05 · 288.15) = 1.02764 kg/m³;
    // (ρ/1.225)^(1/3) = 0.943124; 11 m/s at hub (10 m hub, no shear) → V_n = 10.3744 m/s;
    // fraction (10.3744³ − 27)/1304 = 0.835557 → × 0.97 × 0.9 = 0.729442 of rated (not 1.0: rated is
    // reached only at V_n = 11 m/s, and 10.99 m/s gives 0.727405 — no jump).
    const p = turbine(1, { hubHeightM: 10 });
    expectClose(windOutputKw(fill(11), fill(85000), fill(15), p)[0], 0.729442, { abs: 1e-5 });
    expectClose(windOutputKw(fill(10.99), fill(85000), fill(15), p)[0], 0.727405, { abs: 1e-5 });
  });

  it('the farm power curve is the turbine curve averaged over a spread of speeds σ = 0.6 + 0.2·v', () => {
    // Hand calculation at v = 11 m/s (σ = 2.8 m/s), standard normal partial moments over
    // α = (3 − 11)/2.8 = −2.857, β = 0: φ(α) = 0.006733, Φ(α) = 0.002138, φ(0) = 0.398942;
    // M0 = 0.497862, M1 = −0.392209, M2 = 0.478625, M3 = −0.729459;
    // E[u³; 3 ≤ u < 11] = 1331·M0 + 3·121·2.8·M1 + 3·11·7.84·M2 + 21.952·M3 = 371.832;
    // cubic part (371.832 − 27·M0)/1304 = 0.274839; plateau Φ(5) − Φ(0) = 0.5 → 0.774839
    const c = farmCurve(windDefaults(1))!;
    expectClose(c[Math.round(11 / 0.05)], 0.774839, { abs: 2e-4 });
    // at cut-out (25 m/s, σ = 5.6): the plateau Φ(0) − Φ(−2.5) = 0.49379 plus the cubic tail ≈ 0.0039
    expectClose(c[Math.round(25 / 0.05)], 0.4977, { abs: 5e-4 });
    expect(farmCurve(turbine(1))).toBeNull(); // no spread: one turbine, the exact curve
  });
});

describe('battery and energy balance', () => {
  const gansu = SEEDS.tariffs.find((t) => t.id === 'gansu-2021')!;
  const periods = hourlyPeriods(gansu, 2025);
  // Gansu TOU on a 1 CNY/kWh flat energy price: valley 0.5, flat 1, peak 1.5 (facts.md §4)
  const prices = hourlyPriceCnyPerKwh(
    {
      months: Array.from({ length: 12 }, () => ({
        calendar: gansu,
        components: { energy: 1, lineLoss: 0, td: 0, systemOperation: 0, funds: 0 },
        floats: ['energy' as const],
      })),
      twoPart: { kind: 'none' },
      incentive: { kind: 'none' },
    },
    2025,
    periods,
  );
  const load = fill(1000);
  const pv = pvOutputKw(solarPosition(35.73, 107.63, 8), seededClimates().qingyang, pvDefaults(35.73, 3000));

  for (const policy of ['arbitrage', 'peak-shaving', 'surplus'] as const) {
    const input = (hourlyDetail?: boolean): BalanceInput => ({
      loadKw: load,
      onsiteKw: pv,
      periods,
      pricesCnyPerKwh: prices,
      battery: { energyKwh: 4000, powerKw: 1000, roundTripEfficiency: 0.88, depthOfDischarge: 0.9, policy },
      initialSocKwh: 2000,
      initialGreenFraction: 0,
      exportCapKw: 0,
      contracted: { kind: 'share', share: 0.3 },
      hourlyDetail,
    });
    it(`${policy}: state of charge stays within bounds and energy balances every hour`, () => {
      const b = energyBalance(input());
      const soc = b.socKwh;
      const green = b.greenKw;
      if (!soc || !green) throw new Error('hourly detail is the default: socKwh and greenKw expected');
      // Each hour, from the outputs alone: the battery's AC flow follows from its change of state of
      // charge (charge ΔSOC/√η, discharge ΔSOC·√η, η = 0.88, no self-discharge), and what the grid, the PV
      // and the battery supply beyond the load can only be PV spilled (export cap 0: curtailed) — never
      // negative, never more than the PV surplus of the hour.
      const sq = Math.sqrt(0.88);
      for (let h = 0; h < HOURS_PER_YEAR; h++) {
        if (soc[h] < 400 - 1e-9 || soc[h] > 4000 + 1e-9) throw new Error(`hour ${h}: SOC ${soc[h]}`);
        if (green[h] > load[h] + 1e-9) throw new Error(`hour ${h}: green above load`);
        const dSoc = soc[h] - (h === 0 ? 2000 : soc[h - 1]);
        const batteryKw = dSoc >= 0 ? dSoc / sq : dSoc * sq;
        const spill = b.gridKw[h] + pv[h] - batteryKw - load[h];
        if (spill < -1e-6 || spill > Math.max(0, pv[h] - load[h]) + 1e-6)
          throw new Error(`hour ${h}: energy does not balance (spill ${spill} kW)`);
      }
      // annual: load = grid + on-site − export − curtailment + discharge − charge (load and on-site
      // output summed here from the inputs)
      expectClose(
        sum(load) / 1000,
        b.gridMwh + sum(pv) / 1000 - b.exportMwh - b.curtailedMwh + b.dischargeMwh - b.chargeMwh,
        { abs: 1e-6 },
      );
      expect(b.dischargeMwh).toBeGreaterThan(0);
    });

    it(`${policy}: green supply by month is the sum of its hours; without hourly detail, the same grid and sums`, () => {
      const full = energyBalance(input(true));
      const green = full.greenKw ?? new Float64Array(0);
      // Months from the calendar (31, 28, 31, … days × 24 h), summed here from the hourly green supply.
      let h0 = 0;
      DAYS_IN_MONTH.forEach((days, m) => {
        expectClose(full.greenByMonthKwh[m], sum(green, h0, h0 + days * 24), { abs: 1e-6 });
        h0 += days * 24;
      });
      const fullMonths = Array.from(full.greenByMonthKwh);
      const lean = energyBalance(input(false));
      expect(lean.socKwh).toBeNull();
      expect(lean.contractedKw).toBeNull();
      expect(lean.greenKw).toBeNull();
      expect(lean.gridKw).toEqual(full.gridKw);
      expect(Array.from(lean.greenByMonthKwh)).toEqual(fullMonths);
      const {
        gridKw: _g1,
        greenKw: _g2,
        socKwh: _s1,
        contractedKw: _c1,
        greenByMonthKwh: _m1,
        ...fullSums
      } = full;
      const {
        gridKw: _g3,
        greenKw: _g4,
        socKwh: _s2,
        contractedKw: _c2,
        greenByMonthKwh: _m2,
        ...leanSums
      } = lean;
      expect(leanSums).toEqual(fullSums);
    });
  }

  it('arbitrage charges in valley hours and discharges in peak hours', () => {
    const b = energyBalance({
      loadKw: load,
      onsiteKw: null,
      periods,
      pricesCnyPerKwh: prices,
      battery: {
        energyKwh: 2000,
        powerKw: 500,
        roundTripEfficiency: 0.81,
        depthOfDischarge: 1,
        policy: 'arbitrage',
      },
      initialSocKwh: 0,
      initialGreenFraction: 0,
      exportCapKw: 0,
      contracted: { kind: 'none' },
    });
    // Gansu: 02–04 valley (2 h) then 07–09 peak; 500 kW × 2 h = 1,000 kWh charged → SOC 900 (√0.81 = 0.9);
    // 07:00 peak: discharge 500 kW, drawing 500/0.9 = 555.6 kWh → SOC 344.4; 08:00: only 344.4 · 0.9 = 310 kW left
    // → grid 1,000 − 310 = 690 kW
    expectClose(b.socKwh?.[3] ?? Number.NaN, 900, { abs: 1e-9 });
    expect(b.gridKw[2]).toBe(1500);
    expect(b.gridKw[7]).toBe(500);
    expectClose(b.gridKw[8], 690, { abs: 1e-9 });
  });

  it('arbitrage follows the hourly price: no cycling where the spread does not beat the round-trip loss (issue 8, point 11)', () => {
    // Hand check: a battery that buys at p_lo and sells at p_hi gains only if p_lo < η · p_hi.
    // Flat price (Gansu's delivered 0.28 CNY/kWh, facts.md §4): no spread → no cycle.
    // Night 0.95 / day 1.00 with η = 0.88: 0.95 > 0.88 → the 5 % spread loses money → no cycle.
    // Night 0.50 / day 1.00: 0.50 < 0.88 → it cycles.
    const battery = {
      energyKwh: 2000,
      powerKw: 500,
      roundTripEfficiency: 0.88,
      depthOfDischarge: 1,
      policy: 'arbitrage' as const,
    };
    const night = (lo: number) => fill(1).map((_, h) => (h % 24 < 6 ? lo : 1));
    const bal = (p: Float64Array) =>
      energyBalance({
        loadKw: load,
        onsiteKw: null,
        periods,
        pricesCnyPerKwh: p,
        battery,
        initialSocKwh: 0,
        initialGreenFraction: 0,
        exportCapKw: 0,
        contracted: { kind: 'none' },
      });
    expect(bal(fill(0.28)).cycles).toBe(0);
    expect(bal(night(0.95)).cycles).toBe(0);
    expect(bal(night(0.5)).cycles).toBeGreaterThan(100);
  });

  it('contracted green covers the load’s grid deficit, not battery grid-charging (issue 8, point 12)', () => {
    // A 50 % contract on a grid-charged battery: the contract applies to the import that serves the load
    // (load − discharge here, no on-site output), so green = contracted = 0.5 · (load − discharge) ≤ 50 %
    // of the load (hand: the battery's grey grid energy and its losses cannot become green).
    const b = energyBalance({
      loadKw: load,
      onsiteKw: null,
      periods,
      pricesCnyPerKwh: prices,
      battery: {
        energyKwh: 4000,
        powerKw: 1000,
        roundTripEfficiency: 0.88,
        depthOfDischarge: 0.9,
        policy: 'arbitrage',
      },
      initialSocKwh: 0,
      initialGreenFraction: 0,
      exportCapKw: 0,
      contracted: { kind: 'share', share: 0.5 },
    });
    expect(b.gridChargeMwh).toBeGreaterThan(0);
    const loadMwh = sum(load) / 1000;
    expectClose(b.contractedMwh, 0.5 * (loadMwh - b.dischargeMwh), { rel: 1e-12 });
    expectClose(b.greenMwh, b.contractedMwh, { rel: 1e-12 });
    expect(b.greenMwh).toBeLessThanOrEqual(0.5 * loadMwh + 1e-9);
  });

  it('fixed contracted MWh are spread pro rata over the import serving the load, at most all of it', () => {
    // Hand: 1,000 kW all year, nothing on site, no battery → 8,760 MWh of import serving the load.
    // 4,380 MWh contracted → share 0.5 → 500 kW every hour, green = contracted = 4,380 MWh, no hour ≥ 80 %.
    // 20,000 MWh contracted → share capped at 1 → every hour fully green (8,760 h ≥ 80 %).
    const flat = fill(1000);
    const bal = (mwh: number) =>
      energyBalance({
        loadKw: flat,
        onsiteKw: null,
        periods,
        battery: null,
        initialSocKwh: 0,
        initialGreenFraction: 0,
        exportCapKw: 0,
        contracted: { kind: 'mwh', mwh },
      });
    const half = bal(4380);
    expectClose(half.contractedMwh, 4380, { rel: 1e-12 });
    expectClose(half.greenMwh, 4380, { rel: 1e-12 });
    expect(half.contractedKw?.[5000]).toBe(500);
    expect(half.hoursAtLeast80).toBe(0);
    const all = bal(20_000);
    expectClose(all.contractedMwh, 8760, { rel: 1e-12 });
    expect(all.greenKw?.[0]).toBe(1000);
    // January: 744 h × 1,000 kW, all green
    expect(all.greenByMonthKwh[0]).toBe(744_000);
    expect(all.hoursAtLeast80).toBe(8760);
  });

  it('capacity fades with years and cycles', () => {
    // 1,000 × (1 − 0.02·5 − 0.00003·1,000) = 870 kWh
    expectClose(fadedCapacityKwh(1000, 5, 1000, 0.02, 0.00003), 870, { abs: 1e-9 });
  });
});

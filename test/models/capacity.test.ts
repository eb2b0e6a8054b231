import { describe, expect, it } from 'vitest';
import { capacityInYear, itPowerSeries, STANDARD_RACK_KW } from '../../models/capacity.ts';
import { powerFraction, powerFractionSeries } from '../../models/powerCurve.ts';
import { parseScenario } from '../../models/scenario.ts';
import { prepareRun } from '../../models/simulate.ts';
import { sum } from '../../models/sum.ts';
import { hourlyUtilisation } from '../../models/utilisation.ts';
import { engineReference, SEEDS } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

describe('capacity', () => {
  it('100,000 standard racks are 250 MW (2.5 kW each, facts.md §1)', () => {
    expect(STANDARD_RACK_KW).toBe(2.5);
    const c = capacityInYear([{ year: 2025, racks: 100_000, kwPerRack: 2.5 }], 2025);
    expect(c.designItKw).toBe(250_000);
    expect(c.standardRacks).toBe(100_000);
  });

  it('phases enter service on 1 January of their year and leave on 1 January of retireYear', () => {
    const phases = [
      { year: 2025, racks: 1000, kwPerRack: 5, retireYear: 2030 },
      { year: 2027, racks: 500, kwPerRack: 10 },
    ];
    // 2027: 1,000 × 5 + 500 × 10 = 10,000 kW = 4,000 std racks over 1,500 racks (6.667 kW average)
    expect(capacityInYear(phases, 2024).racksInService).toBe(0);
    const c = capacityInYear(phases, 2027);
    expect([c.racksInService, c.designItKw, c.standardRacks]).toEqual([1500, 10_000, 4000]);
    expectClose(c.averageKwPerRack, 6.6667, { abs: 1e-4 });
    expect(capacityInYear(phases, 2030).racksInService).toBe(500);
  });

  it('refuses impossible phases naming the field (the rows of buildout[].racks and kwPerRack)', () => {
    const prepare = (buildout: unknown[]) =>
      prepareRun(
        parseScenario({
          name: 'b',
          startYear: 2025,
          years: 2,
          clusters: [
            { cluster: 'wuhan', buildout, occupancy: 0.5, cooling: { design: 'air-cooled-chiller' } },
          ],
        }),
        engineReference(),
      );
    expect(() =>
      prepare([
        { year: 2025, racks: 1, kwPerRack: 5 },
        { year: 2026, racks: -5, kwPerRack: 5 },
      ]),
    ).toThrow('clusters[0].buildout[1].racks: must be ≥ 0');
    expect(() => prepare([{ year: 2025, racks: 1, kwPerRack: 0 }])).toThrow(
      'clusters[0].buildout[0].kwPerRack: must be > 0',
    );
  });

  it('doubling racks doubles IT energy', () => {
    const f = new Float64Array(8760).fill(0.6);
    const out = new Float64Array(8760);
    // 1,000 kW × 0.5 × 0.6 = 300 kW × 8,760 h = 2,628,000 kWh
    expectClose(sum(itPowerSeries(1000, 0.5, f, out)), 2_628_000, { rel: 1e-12 });
    expectClose(sum(itPowerSeries(2000, 0.5, f, out)), 5_256_000, { rel: 1e-12 });
  });
});

describe('server power curves (SPECpower_ssj2008)', () => {
  const dl380 = SEEDS.servers.curves.find((c) => c.model === 'HPE ProLiant DL380 Gen10 Plus')!;
  const curve = { id: 'dl380', label: 'DL380', fractionAtLoad: dl380.fractionAtLoad };

  it('interpolates linearly between the 10 % load points', () => {
    // result 20210601-01103: 281 W at 40 %, 314 W at 50 %, 619 W at 100 % → 45 %: 297.5 W / 619 W = 0.480614
    // (the seeded fractions are the watts over 619 W rounded to 4 decimals: compare at 1e-4)
    expectClose(powerFraction(curve, 0.45), 297.5 / 619, { abs: 1e-4 });
    expectClose(powerFraction(curve, 0.45), (curve.fractionAtLoad[4] + curve.fractionAtLoad[5]) / 2, {
      abs: 1e-15,
    });
    expectClose(powerFraction(curve, 0), 127 / 619, { abs: 1e-4 });
    expectClose(powerFraction(curve, 1.3), 1, { abs: 1e-12 });
    const s = powerFractionSeries(curve, new Float64Array([0.45, 0, 1]), new Float64Array(3));
    expectClose(s[0], 297.5 / 619, { abs: 1e-4 });
  });

  it('the seeded fractions are the measured watts over the 100 %-load watts', () => {
    // result 20210601-01103: 127 W idle, 619 W at 100 %
    for (const [i, w] of dl380.powerW.entries()) expectClose(dl380.fractionAtLoad[i], w / 619, { abs: 1e-4 });
  });
});

describe('hourly utilisation', () => {
  it('aligns the weekly shape with the calendar: 1 January 2025 is a Wednesday', () => {
    // shape 1 on Wednesdays (index 3 × 24 …), 0.5 otherwise; 2025-01-01 is a Wednesday (any calendar)
    const shape = Array.from({ length: 168 }, (_, k) => (Math.floor(k / 24) === 3 ? 1 : 0.5));
    const u = hourlyUtilisation(shape, 0.2, 2025);
    expect(u[0]).toBeGreaterThan(u[24]);
    expectClose(sum(u) / 8760, 0.2, { abs: 1e-12 });
  });

  it('keeps the mean when a peaky shape is clamped at 100 %', () => {
    const shape = Array.from({ length: 168 }, (_, k) => (k % 24 < 6 ? 3 : 0.6)); // mean (6·3 + 18·0.6)/24 = 1.2
    const u = hourlyUtilisation(shape, 0.5, 2025);
    expect(Math.max(...u)).toBe(1);
    expectClose(sum(u) / 8760, 0.5, { abs: 1e-9 });
  });

  it('refuses a mean outside (0, 1]', () => {
    expect(() => hourlyUtilisation(new Array(168).fill(1), 0, 2025)).toThrow(
      'meanUtilisation: must be in (0, 1]',
    );
  });

  it('shifts the shape by whole hours, either way round the week', () => {
    // Shape = hour of the week; 2025-01-01 00:00 is Wednesday = hour 72. Shifted by +5 h, hour 0 of the
    // year reads shape hour 67; by −100 h, hour 172 → 4 (wrapped); hour 8759 with no shift: (72 + 8759) mod 168 = 95.
    const shape = Array.from({ length: 168 }, (_, k) => k + 1);
    const at = (shift: number, h: number) =>
      hourlyUtilisation(shape, 0.5, 2025, { phaseShiftHours: shift })[h];
    const ratio = (shift: number, h: number) => at(shift, h) / at(shift, 0);
    expect(ratio(5, 1)).toBeCloseTo(69 / 68, 12);
    expect(ratio(-100, 1)).toBeCloseTo(6 / 5, 12);
    expect(ratio(0, 8759)).toBeCloseTo(96 / 73, 12);
    expect(() => at(1.5, 0)).toThrow('phaseShiftHours: must be a whole number of hours');
  });
});

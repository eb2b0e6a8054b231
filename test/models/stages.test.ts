import { describe, expect, it } from 'vitest';
import { jan1Weekday, MONTH_START_HOUR } from '../../models/calendar.ts';
import { engineCache, fractionMemo, type LoadSeries, loadSeries } from '../../models/engine-cache.ts';
import { prepareRun } from '../../models/prepare/cluster.ts';
import type { PreparedCluster } from '../../models/prepare/types.ts';
import type { AnnualRow } from '../../models/result.ts';
import { parseScenario } from '../../models/scenario.ts';
import { monthlyStage } from '../../models/stages/annual.ts';
import { tariffStage } from '../../models/stages/bill.ts';
import { loadCache, loadStage } from '../../models/stages/load.ts';
import { coolingProfileFor } from '../../models/stages/site.ts';
import type { SupplyYear } from '../../models/stages/supply.ts';
import {
  hourlyPriceCnyPerKwh,
  type PriceComponent,
  type PriceComponents,
  type TariffBill,
  type TariffInput,
} from '../../models/tariff.ts';
import { engineReference } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

/** Stages run alone on hand-made inputs (issue 9): no scenario, no reference data. */
describe('monthly stage, alone', () => {
  const months = Array.from({ length: 12 }, (_, m) => ({
    month: m + 1,
    energyKwh: 0,
    energyChargeCny: 100 * (m + 1),
    capacityChargeCny: 10,
    peakKw: 0,
    totalCny: 100 * (m + 1) + 10,
    kwhByPeriod: [0, 0, 0, 0] as [number, number, number, number],
  }));
  const bill = { months } as unknown as TariffBill;
  /** A load-year of constant IT and facility power, with its monthly totals worked out by hand. */
  const series = (itKw: number, facilityKw: number): LoadSeries => {
    const s = loadSeries();
    s.itKw.fill(itKw);
    s.facilityKw.fill(facilityKw);
    for (let m = 0; m < 12; m++) {
      const hours = MONTH_START_HOUR[m + 1] - MONTH_START_HOUR[m];
      s.months.set([itKw * hours, facilityKw * hours, facilityKw], 3 * m);
    }
    return s;
  };
  const buf = series(1000, 1200);

  it('1,000 kW of IT and 1,200 kW of facility all year: January 744 h → 744 MWh and 892.8 MWh, PUE 1.2', () => {
    // Hand calculation: January has 31 × 24 = 744 hours; 1,000 kW × 744 h = 744,000 kWh = 744 MWh;
    // February (365-day year) 672 h → 672 MWh.
    const row = { facilityEnergyMwh: 1200 * 8.76, greenEnergyMwh: 0.25 * 1200 * 8.76 } as AnnualRow;
    const supply = { greenKw: null } as unknown as SupplyYear;
    const rows = monthlyStage(2025, row, supply, bill, buf);
    expect(rows).toHaveLength(12);
    expect(rows[0].itEnergyMwh).toBeCloseTo(744, 9);
    expect(rows[0].facilityEnergyMwh).toBeCloseTo(892.8, 9);
    expect(rows[1].itEnergyMwh).toBeCloseTo(672, 9);
    expect(rows[0].pue).toBeCloseTo(1.2, 12);
    expect(rows[0].peakFacilityKw).toBe(1200);
    // Without hourly green supply the annual green share (25 %) applies to every month.
    expect(rows[6].greenShare).toBeCloseTo(0.25, 12);
    // The bill's months pass through unchanged.
    expect(rows[11].electricityCostCny).toBe(1210);
    expect(rows[11].capacityChargeCny).toBe(10);
    expect(MONTH_START_HOUR[12]).toBe(8760);
  });

  it('with hourly green supply: the month’s green share is Σ green ÷ Σ facility of that month', () => {
    // Green 600 kW in January only (744 h → 446,400 kWh), none later: January share 600/1200 = 0.5; July 0.
    const greenByMonthKwh = new Float64Array(12);
    greenByMonthKwh[0] = 600 * 744;
    const supply = { greenKw: null, greenByMonthKwh } as unknown as SupplyYear;
    const row = { facilityEnergyMwh: 1, greenEnergyMwh: 0 } as AnnualRow;
    const rows = monthlyStage(2025, row, supply, bill, buf);
    expect(rows[0].greenShare).toBeCloseTo(0.5, 12);
    expect(rows[6].greenShare).toBe(0);
  });

  it('a month with no IT energy has no PUE (null, never 0)', () => {
    const idle = series(0, 50);
    const row = { facilityEnergyMwh: 0.05 * 8760, greenEnergyMwh: 0 } as AnnualRow;
    const rows = monthlyStage(2025, row, { greenKw: null } as unknown as SupplyYear, bill, idle);
    expect(rows[3].pue).toBeNull();
  });
});

describe('load stage, reused across years', () => {
  const ref = engineReference();
  // 30 years from 2025: occupancy 0.5 in even years and 0.5 + year/1000 in odd ones, so some cases
  // repeat (same occupancy and weekday of 1 January) and more than the cache holds do not.
  const occupancy = Object.fromEntries(
    Array.from({ length: 30 }, (_, i) => [2025 + i, i % 2 === 0 ? 0.5 : 0.5 + (2025 + i) / 100_000]),
  );
  const input = {
    name: 'reuse',
    startYear: 2025,
    years: 30,
    clusters: [
      {
        cluster: 'wuhan',
        buildout: [{ year: 2025, racks: 400, kwPerRack: '5 kW' }],
        occupancy,
        cooling: { design: 'water-cooled-chiller-wse' },
      },
    ],
  };
  const pc = prepareRun(parseScenario(input), ref).clusters[0];
  const ec = engineCache();
  const profile = coolingProfileFor(ec, pc.design, pc.climate);
  const fractions = () => fractionMemo(engineCache(), pc.curve, pc.shape);
  const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));

  it('every year equals a fresh computation, bit for bit, and a repeated case shares its series', () => {
    const shared = loadCache(fractions());
    const seen = new Map<string, LoadSeries>();
    let reused = 0;
    for (let year = 2025; year < 2055; year++) {
      const warm = loadStage(pc, year, profile, shared);
      const fresh = loadStage(pc, year, profile, loadCache(fractions()));
      for (const k of ['itKw', 'facilityKw', 'waterL', 'months'] as const)
        expect(bits(warm.series[k]), `${year} ${k}`).toEqual(bits(fresh.series[k]));
      expect(warm.facility).toEqual(fresh.facility);
      expect(warm.facility.peakItKw).toBe(fresh.facility.peakItKw);
      const key = `${warm.occupancy}|${jan1Weekday(year)}`;
      if (seen.get(key) === warm.series) reused++;
      seen.set(key, warm.series);
    }
    // By hand (weekday of 1 January, 0 = Sunday): the occupancy-0.5 years 2025, 2027, …, 2053 have
    // weekdays 3 5 1 3 6 1 4 6 2 4 0 2 5 0 3, so 8 of them repeat an earlier case. Two of those repeats
    // come 22 years later (2049 → 2027, 2053 → 2031) with 17 other cases (6 of the 0.5 years, 11
    // single years) used in between, more than the 16 the cache keeps: they are computed afresh. 6 reuse.
    expect(reused).toBe(6);
  });

  it('hourly water only when a year asks: a repeated case made without it is recomputed with it', () => {
    const cache = loadCache(fractions());
    const lean = loadStage(pc, 2025, profile, cache, false);
    expect(lean.series.hasWater).toBe(false);
    const annualWater = lean.facility.waterL;
    // 2027: the same occupancy (0.5) but another weekday — a new case; 2031 repeats 2025's (Wednesday).
    expect(jan1Weekday(2031)).toBe(jan1Weekday(2025));
    const kept = loadStage(pc, 2031, profile, cache, true);
    expect(kept.series).toBe(lean.series); // the same buffers, now with water
    expect(kept.series.hasWater).toBe(true);
    const fresh = loadStage(pc, 2025, profile, loadCache(fractions()), true);
    expect(bits(kept.series.waterL)).toEqual(bits(fresh.series.waterL));
    expect(kept.facility.waterL).toBe(annualWater); // the year's total never depended on it
    expect(fresh.facility.waterL).toBeGreaterThan(0); // a tower plant: there is water to lose
  });
});

describe('tariff stage, series shared across years, clusters and runs', () => {
  const calendar = engineReference().tariffCalendars['gansu-2021'];
  const owner = engineReference().clusters.lanzhou;
  type Over = Partial<PriceComponents> & { floats?: PriceComponent[]; incentive?: TariffInput['incentive'] };
  const input = (over: Over): TariffInput => {
    const { floats = ['energy'], incentive = { kind: 'none' }, ...c } = over;
    return {
      months: Array.from({ length: 12 }, () => ({
        calendar,
        components: { energy: 0.3, lineLoss: 0, td: 0.1, systemOperation: 0, funds: 0.02, ...c },
        floats,
      })),
      twoPart: { kind: 'none' },
      incentive,
    };
  };
  const ec = engineCache();
  const cluster = (t: TariffInput) =>
    ({ ref: owner, tariff: { tariffAt: () => t } }) as unknown as PreparedCluster;

  it('the same tariff gives the same array; any other price component its own, equal to a fresh build', () => {
    // Each case against hourlyPriceCnyPerKwh built afresh, e.g. Gansu's 07:00 peak hour (ratio 1.5):
    // energy 0.3 × 1.5 + T&D 0.1 + funds 0.02 = 0.57; with TOU on energy + T&D, (0.3 + 0.1) × 1.5 + 0.02 = 0.62.
    const base = tariffStage(cluster(input({})), 2025, ec);
    expect(tariffStage(cluster(input({})), 2025, ec).prices).toBe(base.prices);
    expectClose(base.prices[7], 0.57, { abs: 1e-12 });
    const cases: Over[] = [
      { floats: ['energy', 'td'] },
      { energy: 0.31 },
      { td: 0.2 },
      { funds: 0 },
      { lineLoss: 0.01 },
      { systemOperation: 0.04 },
      { incentive: { kind: 'discount', fraction: 0.1 } },
      { incentive: { kind: 'cap', cnyPerKwh: 0.4 } },
    ];
    for (const c of cases) {
      const t = tariffStage(cluster(input(c)), 2025, ec);
      expect(t.prices, JSON.stringify(c)).not.toBe(base.prices);
      expect(Array.from(t.prices), JSON.stringify(c)).toEqual(
        Array.from(hourlyPriceCnyPerKwh(input(c), 2025)),
      );
    }
    expectClose(tariffStage(cluster(input({ floats: ['energy', 'td'] })), 2025, ec).prices[7], 0.62, {
      abs: 1e-12,
    });
  });
});

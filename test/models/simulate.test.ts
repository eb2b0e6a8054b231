import { describe, expect, it } from 'vitest';
import { COOLING_DESIGN_NAMES } from '../../models/cooling.ts';
import { parseScenario } from '../../models/scenario.ts';
import { type EngineReference, prepareRun, simulate } from '../../models/simulate.ts';
import { sum } from '../../models/sum.ts';
import { engineReference } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

const ref = engineReference();

function scenario(over: Record<string, unknown> = {}, cluster: Record<string, unknown> = {}) {
  return {
    name: 'property',
    startYear: 2025,
    years: 2,
    clusters: [
      {
        cluster: 'qingyang',
        buildout: [{ year: 2025, racks: 1000, kwPerRack: '5 kW' }],
        occupancy: 0.6,
        cooling: { design: 'water-cooled-chiller-wse' },
        ...cluster,
      },
    ],
    ...over,
  };
}

function run(input: unknown, reference: EngineReference = ref, keep = false) {
  const prepared = prepareRun(parseScenario(input), reference);
  return simulate(prepared, reference, { keepHourly: keep ? () => true : undefined });
}

const DESIGNS = COOLING_DESIGN_NAMES;

describe('simulate: properties every run must keep', () => {
  for (const design of DESIGNS) {
    it(`${design}: facility ≥ IT every hour, PUE ≥ 1, annual energy = Σ hourly`, () => {
      const r = run(scenario({}, { cooling: { design } }), ref, true);
      for (const h of r.hourly) {
        for (let i = 0; i < 8760; i++) {
          if (!(h.facilityKw[i] >= h.itKw[i])) throw new Error(`hour ${i}: facility < IT`);
        }
        const row = r.clusters[0].annual.find((a) => a.year === h.year)!;
        expectClose(row.itEnergyMwh, sum(h.itKw) / 1000, { rel: 1e-12 });
        expectClose(row.facilityEnergyMwh, sum(h.facilityKw) / 1000, { rel: 1e-12 });
        expect(row.pue).toBeGreaterThanOrEqual(1);
        expectClose(row.pue, row.facilityEnergyMwh / row.itEnergyMwh, { rel: 1e-12 });
        expectClose(row.waterM3, sum(h.waterL) / 1000, { rel: 1e-12, abs: 1e-9 });
      }
    });
  }

  it('doubling racks doubles IT and facility energy, cost and carbon when nothing else changes', () => {
    const one = run(scenario()).clusters[0].annual[0];
    const two = run(scenario({}, { buildout: [{ year: 2025, racks: 2000, kwPerRack: '5 kW' }] })).clusters[0]
      .annual[0];
    expectClose(two.itEnergyMwh, 2 * one.itEnergyMwh, { rel: 1e-12 });
    expectClose(two.facilityEnergyMwh, 2 * one.facilityEnergyMwh, { rel: 1e-12 });
    expectClose(two.electricityCostCny, 2 * one.electricityCostCny, { rel: 1e-12 });
    expectClose(two.carbonLocationTco2, 2 * one.carbonLocationTco2, { rel: 1e-12 });
    expect(two.pue).toBeCloseTo(one.pue, 12);
  });

  it('IT energy is racks × kW × occupancy × the mean power fraction × 8,760 h', () => {
    // With utilisation held, IT power scales linearly: 1,000 racks × 5 kW × 0.6 = 3,000 kW at full power;
    // the power curve fraction is between the idle fraction and 1, so IT energy lies within these bounds.
    const a = run(scenario()).clusters[0].annual[0];
    expect(a.itEnergyMwh).toBeLessThanOrEqual(3000 * 8.76 + 1e-9);
    expect(a.itEnergyMwh).toBeGreaterThan(0.3 * 3000 * 8.76);
    expect(a.peakItKw).toBeLessThanOrEqual(3000 + 1e-9);
  });

  it('a delivered direct-trade price bills price × energy', () => {
    // Gansu 0.28 CNY/kWh delivered (facts.md §4): replaces energy, T&D and TOU → cost = 0.28 × facility kWh
    const a = run(scenario({}, { tariff: { incentive: { kind: 'delivered-price', cnyPerKwh: 0.28 } } }))
      .clusters[0].annual[0];
    expectClose(a.electricityCostCny, 0.28 * a.facilityEnergyMwh * 1000, { rel: 1e-9 });
  });

  it('a capacity charge adds kVA × rate × 12 months', () => {
    const base = run(scenario()).clusters[0].annual[0];
    const withCap = run(
      scenario({}, { tariff: { twoPart: { kind: 'capacity', cnyPerKvaMonth: 30, kva: 8000 } } }),
    ).clusters[0].annual[0];
    // 8,000 kVA × 30 CNY/kVA·month × 12 = 2,880,000 CNY
    expectClose(withCap.capacityChargeCny, 2_880_000, { abs: 1e-6 });
    expectClose(withCap.electricityCostCny - base.electricityCostCny, 2_880_000, { abs: 1e-3 });
  });

  it('invalid per-year values fail before the run, naming field and year', () => {
    expect(() => run(scenario({}, { occupancy: '0.95 + 0.1 * (year - 2025)' }))).toThrow(
      'clusters[0].occupancy: must be ≤ 1 (in 2026)',
    );
    expect(() => run(scenario({}, { buildout: [{ year: 2025, racks: -5, kwPerRack: 5 }] }))).toThrow(
      'clusters[0].buildout[0].racks: must be ≥ 0',
    );
    expect(() => run(scenario({}, { cluster: 'atlantis' }))).toThrow(
      'clusters[0].cluster: unknown cluster "atlantis"',
    );
    expect(() => run(scenario({}, { cooling: { design: 'magic' } }))).toThrow(
      'clusters[0].cooling.design: invalid coolingDesign: magic',
    );
  });
});

describe('simulate: climate ordering', () => {
  for (const design of DESIGNS) {
    it(`${design}: economized designs rank Wuhan > Zhengzhou > Gansu; the others barely depend on the site`, () => {
      const r = run({
        name: 'order',
        startYear: 2025,
        years: 1,
        defaults: {
          buildout: [{ year: 2025, itPowerKw: '10 MW', kwPerRack: '5 kW' }],
          occupancy: 0.65,
          cooling: { design },
        },
        clusters: [
          { cluster: 'lanzhou' },
          { cluster: 'qingyang' },
          { cluster: 'zhengzhou' },
          { cluster: 'wuhan' },
        ],
      });
      const pue = Object.fromEntries(r.clusters.map((c) => [c.clusterId, c.annual[0].pue]));
      // Economizers turn Gansu's cold, dry hours into free cooling: hot-humid Wuhan > Zhengzhou > Gansu.
      // Designs that run compressors or fans all year gain little from cold air below the chillers'
      // fitted condensing range (24 °C; held there, as EnergyPlus does) and pay for Gansu's 85 kPa air
      // (≈ 19 % more fan volume): their PUE is nearly the same at all four sites (docs/models/cooling.md).
      if (['water-cooled-chiller-wse', 'liquid-cold-plate', 'direct-airside-adiabatic'].includes(design)) {
        expect(pue.wuhan).toBeGreaterThan(pue.zhengzhou);
        expect(pue.zhengzhou).toBeGreaterThan(Math.max(pue.lanzhou, pue.qingyang));
      } else {
        const values = Object.values(pue) as number[];
        expect(Math.max(...values) - Math.min(...values)).toBeLessThan(0.05);
      }
    });
  }
});

describe('simulate: contracted green at a price', () => {
  it('a contracted price replaces the tariff price for the contracted share, hour by hour', () => {
    // 50 % of grid import contracted at 300 CNY/MWh on a delivered 0.28 CNY/kWh tariff:
    // cost = 0.28 × E + 0.5 × E × (0.30 − 0.28) = 0.29 × E
    const base = { tariff: { incentive: { kind: 'delivered-price', cnyPerKwh: 0.28 } } };
    const a = run(scenario({}, { ...base, green: { contracted: { share: 0.5, priceCnyPerMwh: 300 } } }))
      .clusters[0].annual[0];
    expectClose(a.electricityCostCny, 0.29 * a.facilityEnergyMwh * 1000, { rel: 1e-9 });
    expectClose(a.greenShare, 0.5, { abs: 1e-12 });
  });
});

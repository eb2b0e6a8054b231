import { describe, expect, it } from 'vitest';
import { irr, npv, paybackYears } from '../../models/finance.ts';
import { parseScenario } from '../../models/scenario.ts';
import { prepareRun, simulate } from '../../models/simulate.ts';
import { engineReference } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

describe('finance', () => {
  it('NPV discounts each year-end flow', () => {
    // −100/1.1 + 60/1.1² + 60/1.1³ = −90.9091 + 49.5868 + 45.0789 = 3.7566
    expectClose(npv(0.1, [-100, 60, 60]), 3.7566, { abs: 1e-4 });
  });

  it('IRR solves NPV = 0', () => {
    // x = 1/(1+r): 60x² + 60x − 100 = 0 → x = (−60 + √(3,600 + 24,000)) / 120 = 0.884 437 → r = 0.130 663
    expectClose(irr([-100, 60, 60])!, 0.130663, { abs: 1e-5 });
    expect(irr([100, 60])).toBeNull();
  });

  it('payback interpolates within the year the cumulative flow turns positive', () => {
    // cumulative −100, −40, +20: 40/60 of the third year → 2.667
    expectClose(paybackYears([-100, 60, 60])!, 2 + 40 / 60, { abs: 1e-12 });
    expect(paybackYears([-100, 10, 10])).toBeNull();
  });
});

describe('discounted payback', () => {
  it('discounts each flow before accumulating', () => {
    // at 10 %: −90.909, +49.587, +45.079 → cumulative −90.909, −41.322, +3.757 → 2 + 41.322/45.079 = 2.9167
    expectClose(paybackYears([-100, 60, 60], 0.1)!, 2.9167, { abs: 1e-4 });
  });
});

describe('costs that scale with the build (issue 20, point 4)', () => {
  const ref = engineReference();
  const build = (kwPerRack: number, design: string, finance: Record<string, unknown> = {}) =>
    simulate(
      prepareRun(
        parseScenario({
          name: 'capex',
          startYear: 2025,
          years: 1,
          clusters: [
            {
              cluster: 'qingyang',
              buildout: [{ year: 2025, itPowerKw: '10 MW', kwPerRack: `${kwPerRack} kW` }],
              occupancy: 0.65,
              cooling: { design, facilityClass: 'hyperscale' },
              finance,
            },
          ],
        }),
        ref,
      ),
      ref,
    ).clusters[0];

  it('capex per MW of IT sits in the published range at 5 kW and at 21 kW racks', () => {
    // Published: Cushman & Wakefield 2025, Chinese mainland mid-spec USD 7.11 M/MW (B) and Arizton USD
    // 7–9 M/MW (C) → 49.7–65.7 M CNY/MW at 7.1–7.3 CNY/USD; Chinese project totals 18–32 M CNY/MW (C/D,
    // 2021–2024, often with land) are lower. Hand calculation of the default: 7.11 M × 7.1 = 50.481 M CNY/MW;
    // 90 % per kW (45,432.9 CNY/kW) + fit-out 10 % × 5 kW = 25,240.5 CNY per rack.
    // 5 kW: 45,432.9 + 25,240.5 / 5 = 50,481 CNY/kW.
    const five = build(5, 'water-cooled-chiller-wse');
    expectClose(five.finance.capexPerMwItCny!, 50.481e6, { rel: 1e-6 });
    // 21 kW, liquid cold plate: 45,432.9 × 1.085 (AI-ready premium 7–10 %, midpoint) + 25,240.5 / 21 = 50,496.6
    const dense = build(21, 'liquid-cold-plate');
    expectClose(dense.finance.capexPerMwItCny!, 50.4966e6, { rel: 1e-5 });
    for (const c of [five, dense]) {
      expect(c.finance.capexPerMwItCny!).toBeGreaterThan(49.7e6);
      expect(c.finance.capexPerMwItCny!).toBeLessThan(65.7e6);
    }
    // The old flat 180,000 CNY per rack gave 8.6 M CNY/MW at 21 kW (the complaint)
    expectClose(
      build(21, 'liquid-cold-plate', { capexCnyPerRack: 180000 }).finance.capexPerMwItCny!,
      8.571e6,
      {
        rel: 1e-3,
      },
    );
  });

  it('the capex is split into shell, site, power, cooling, back of house and fit-out, and adds up', () => {
    const c = build(5, 'water-cooled-chiller-wse');
    const b = c.finance.capexBreakdownCny;
    for (const k of ['shell', 'site', 'power', 'cooling', 'back of house', 'fit-out'])
      expect(b[k], k).toBeGreaterThan(0);
    // shell 21 % of 50.481 M CNY/MW × 10 MW = 106.01 M CNY (the cost guide's share of the whole build)
    expectClose(b.shell, 0.21 * 50.481e6 * 10, { rel: 1e-9 });
    // fit-out: 2,000 racks × 25,240.5 = 50.481 M CNY (10 %)
    expectClose(b['fit-out'], 2000 * 25240.5, { rel: 1e-9 });
    expectClose(
      Object.values(b).reduce((s, v) => s + v, 0),
      c.finance.capexCny!,
      { rel: 1e-12 },
    );
  });

  it('opex has staff, maintenance and water lines by default, each from its row', () => {
    const c = build(5, 'water-cooled-chiller-wse');
    const o = c.finance.opexBreakdownCny;
    // staff: 13 people per 10 MW (or part) × 150,285 CNY (NBS 2024, power sector) × 1.35 on-cost = 2,637,501.75
    expectClose(o.staff, 13 * 150285 * 1.35, { rel: 1e-12 });
    // maintenance: 2 % of the M&E plant, the critical share 53 % of 50.481 M CNY/MW × 10 MW
    expectClose(o.maintenance, 0.02 * 0.53 * 50.481e6 * 10, { rel: 1e-9 });
    // water: the year's m³ × 4.70 CNY/m³ (Baiyin's non-residential price standing in for Qingyang)
    expectClose(o.water, c.annual[0].waterM3 * 4.7, { rel: 1e-12 });
    const fields = c.assumptions.map((a) => a.field);
    for (const f of [
      'finance.buildCnyPerKwIt',
      'finance.fitOutCnyPerRack',
      'finance.staffPer10Mw',
      'finance.waterPriceCnyPerM3',
    ])
      expect(fields).toContain(f);
  });

  it('cost per rack says which rack: per physical rack and per 2.5 kW standard rack', () => {
    const c = build(20, 'liquid-cold-plate');
    // 20 kW physical racks = 8 standard racks each: the standard-rack cost is one eighth
    expectClose(c.finance.costPerStandardRackYearCny!, c.finance.costPerRackYearCny! / 8, { rel: 1e-9 });
  });
});

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LpSolver, loadLpSolver } from '../../models/lp.ts';
import { parseScenario } from '../../models/scenario.ts';
import { engineCache, prepareRun, simulate } from '../../models/simulate.ts';
import { optimalDispatch } from '../../models/storage-optimal.ts';
import { engineReference } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

let lp: LpSolver;
beforeAll(async () => {
  lp = await loadLpSolver();
});

const hours = (n: number, f: (h: number) => number) => Float64Array.from({ length: n }, (_, h) => f(h));

describe('optimal battery dispatch (a linear program, HiGHS)', () => {
  it('matches a hand-solved two-day arbitrage', () => {
    // Valley 0.3 CNY/kWh from 00 to 08, peak 1.0 after; 100 kW load; 100 kWh / 50 kW, η 0.81 (√η 0.9),
    // empty at the start. By hand: each day charge 100/0.9 = 111.1 kWh in the valley (33.33 CNY) and
    // give back 100 × 0.9 = 90 kWh at the peak (90 CNY saved): 56.67 CNY a day. Without the battery a
    // day costs 8 × 100 × 0.3 + 16 × 100 × 1.0 = 1,840 CNY; two days with it 3,680 − 113.33 = 3,566.67.
    const plan = optimalDispatch(
      {
        loadKw: hours(48, () => 100),
        onsiteKw: null,
        pricesCnyPerKwh: hours(48, (h) => (h % 24 < 8 ? 0.3 : 1.0)),
        monthEnd: [48],
        demandCnyPerKw: [0],
        floorKw: [0],
        soc0: 0,
      },
      { eMax: 100, eMin: 0, pMax: 50, sq: 0.9 },
      lp,
    );
    expectClose(plan.billCny, 3680 - 2 * (90 - (100 / 0.9) * 0.3), { abs: 1e-6 });
    const charged = plan.gridChargeKw.reduce((a, b) => a + b, 0);
    expectClose(charged, 2 * (100 / 0.9), { abs: 1e-6 });
    for (let h = 0; h < 48; h++) if (h % 24 >= 8) expect(plan.gridChargeKw[h]).toBeCloseTo(0, 9);
  });

  it('matches a hand-solved two-day demand charge', () => {
    // Flat 0.5 CNY/kWh; 100 kW, 200 kW from 18 to 22 each day; 40 CNY/kW of the month's peak; a full
    // 400 kWh / 100 kW battery, η = 1. The battery shaves both evenings to B and refills in the 20 hours
    // between at B − 100: 4(200 − B) ≤ 400 on day 1, then 400 − 4(200 − B) + 20(B − 100) ≥ 4(200 − B)
    // → 28 B ≥ 3,200 → B = 114.29 kW. The energy cost is 0.5 × (5,600 − 400) (it ends empty, η = 1):
    // 2,600 + 40 × 3,200/28 = 7,171.43 CNY.
    const plan = optimalDispatch(
      {
        loadKw: hours(48, (h) => (h % 24 >= 18 && h % 24 < 22 ? 200 : 100)),
        onsiteKw: null,
        pricesCnyPerKwh: hours(48, () => 0.5),
        monthEnd: [48],
        demandCnyPerKw: [40],
        floorKw: [0],
        soc0: 400,
      },
      { eMax: 400, eMin: 0, pMax: 100, sq: 1 },
      lp,
    );
    expectClose(plan.billCny, 2600 + (40 * 3200) / 28, { abs: 1e-5 });
  });

  it('bills no more than every rule policy on the same year (Wuhan, TOU with critical hours, demand charge, PV)', () => {
    const ref = engineReference();
    const cache = engineCache();
    const base = JSON.parse(
      readFileSync(new URL('../../scenarios/wuhan-battery-peak-shaving.json', import.meta.url), 'utf8'),
    );
    const cost = (policy: string) => {
      const s = {
        ...base,
        years: 1,
        clusters: [
          {
            cluster: 'wuhan',
            green: {
              pv: { dcKw: '4 MW' },
              battery: { energyKwh: '4 MWh', powerKw: '2 MW', policy },
            },
          },
        ],
      };
      const r = simulate(prepareRun(parseScenario(s), ref, { cache }), ref, { cache, lp });
      return r.clusters[0].annual[0];
    };
    const optimal = cost('optimal');
    const none = (() => {
      const s = { ...base, years: 1, clusters: [{ cluster: 'wuhan', green: { pv: { dcKw: '4 MW' } } }] };
      return simulate(prepareRun(parseScenario(s), ref, { cache }), ref, { cache }).clusters[0].annual[0];
    })();
    expect(optimal.electricityCostCny).toBeLessThan(none.electricityCostCny);
    for (const policy of ['arbitrage', 'peak-shaving', 'surplus']) {
      const rule = cost(policy);
      expect(optimal.electricityCostCny, policy).toBeLessThanOrEqual(rule.electricityCostCny + 1e-6);
    }
    // The energy balance still closes: battery in and out within its round trip.
    expect(optimal.batteryDischargeMwh).toBeLessThanOrEqual(optimal.batteryChargeMwh);
  }, 120_000);

  it('says what it needs when no solver is passed', () => {
    const ref = engineReference();
    const s = {
      name: 'x',
      startYear: 2025,
      years: 1,
      clusters: [
        {
          cluster: 'wuhan',
          buildout: [{ year: 2025, itPowerKw: '1 MW', kwPerRack: '5 kW' }],
          occupancy: 0.8,
          cooling: { design: 'water-cooled-chiller-wse' },
          green: { battery: { energyKwh: 1000, powerKw: 500, policy: 'optimal' } },
        },
      ],
    };
    expect(() => simulate(prepareRun(parseScenario(s), ref), ref)).toThrow(/"optimal" needs an LP solver/);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { type LpSolver, loadLpSolver } from '../../models/lp.ts';
import { engineCache } from '../../models/simulate.ts';
import { confirmSizing, type SizingSetup, sizingSetup, solveSizing } from '../../models/sizing.ts';
import { engineReference } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

let lp: LpSolver;
beforeAll(async () => {
  lp = await loadLpSolver();
});

/** A hand-made day: 100 kW load, PV output 1 kW/kW from 06 to 18, wind 0.5 kW/kW all day, free grid. */
function handDay(): SizingSetup {
  const n = 24;
  return {
    loadKw: new Float64Array(n).fill(100),
    pricesCnyPerKwh: new Float64Array(n),
    pvUnit: Float64Array.from({ length: n }, (_, h) => (h >= 6 && h < 18 ? 1 : 0)),
    windUnit: new Float64Array(n).fill(0.5),
    pvCnyPerKwYear: 3,
    windCnyPerKwYear: 30,
    batteryCnyPerKwhYear: 0.1,
    premiumCnyPerKwh: 0.5,
    certificatesKwh: 0,
    certificatesCny: 0,
    sq: 1,
    depthOfDischarge: 1,
    fadeFactor: 1,
    demandCnyPerKw: new Float64Array(12),
    floorKw: new Float64Array(12),
    bounds: { maxPvKw: 1e4, maxWindKw: 1e4, maxBatteryKwh: 1e5, maxBatteryKw: 1e5, maxContractedShare: 1 },
  } as unknown as SizingSetup;
}

describe('least-cost green supply (LP/MILP with HiGHS)', () => {
  it('finds the hand-solved optimum of a small day', () => {
    // Target 75 % of 2,400 kWh = 1,800 kWh green. Daytime PV serves at most 12 × 100 = 1,200 kWh;
    // the night's 600 kWh come from storage or contracts. Per kWh: PV 3/12 = 0.25, stored PV
    // 0.25 + 0.1 (a kWh of storage, one cycle) = 0.35, contracts 0.5, wind 30/12 = 2.5. So PV 150 kW
    // (1,200 direct + 600 stored), 600 kWh of storage, no wind, no contracts: 450 + 60 = 510 CNY.
    const m = solveSizing(handDay(), { greenShare: 0.75 }, lp);
    expect(m.status).toBe('optimal');
    expectClose(m.pvKw, 150, { abs: 1e-3 });
    expectClose(m.batteryKwh, 600, { abs: 1e-2 });
    expectClose(m.windKw, 0, { abs: 1e-3 });
    expectClose(m.contractedMwh, 0, { abs: 1e-5 });
    expectClose(m.lpCostCny, 510, { abs: 1e-2 });
    expectClose(m.greenShareLp, 0.75, { abs: 1e-6 });
    // Dearer storage (0.3 per kWh: 0.55 a stored kWh) makes contracts the answer for the night:
    // PV 100 kW (300) + 600 kWh of contracts (300) = 600 CNY.
    const dear = { ...handDay(), batteryCnyPerKwhYear: 0.3 };
    const m2 = solveSizing(dear, { greenShare: 0.75 }, lp);
    expectClose(m2.pvKw, 100, { abs: 1e-3 });
    expectClose(m2.batteryKwh, 0, { abs: 1e-2 });
    expectClose(m2.contractedMwh, 0.6, { abs: 1e-5 });
    expectClose(m2.lpCostCny, 600, { abs: 1e-2 });
    // Without a target (and a free grid) nothing is bought.
    expectClose(solveSizing(handDay(), null, lp).lpCostCny, 0, { abs: 1e-3 });
  });

  it('finds the hand-solved optimum of an hourly (24×7) target', () => {
    // 18 of the 24 hours (75 %) must be ≥ 80 % green. PV 80 kW covers the 12 daytime hours at 80 %
    // (240); 6 night hours more need 6 × 80 = 480 kWh from storage (PV 40 kW more, 120 + 48 = 168) or
    // contracts. At contract share s every hour gets s × its import: s = 0.8 alone meets every hour at
    // 0.5 × 0.8 × 2,400 = 960; so the PV-and-storage mix at 408 CNY is the least (s = 0).
    const m = solveSizing(handDay(), { greenShare: 0.75, hourlyLevel: 0.8 }, lp, { timeLimitS: 60 });
    expect(m.status).toBe('optimal');
    expectClose(m.lpCostCny, 240 + 120 + 48, { abs: 0.5 });
    expectClose(m.contractedShare, 0, { abs: 1e-9 });
    expectClose(m.greenShareLp, 0.75, { abs: 1e-9 });
  }, 120_000);

  it('sizes a cluster-year whose mix, re-simulated, meets the target', () => {
    const ref = engineReference();
    const cache = engineCache();
    const scenario = {
      name: 'sizing test',
      startYear: 2025,
      years: 1,
      clusters: [
        {
          cluster: 'qingyang',
          buildout: [{ year: 2025, itPowerKw: '2 MW', kwPerRack: '10 kW' }],
          occupancy: 0.7,
          cooling: { design: 'indirect-evaporative', facilityClass: 'hyperscale' },
          green: { contracted: { premiumCnyPerMwh: 60 } },
        },
      ],
    };
    const setup = sizingSetup(scenario, ref, { cluster: 0 }, { cache });
    const target = { greenShare: 0.6 };
    const mix = solveSizing(setup, target, lp);
    expect(mix.status).toBe('optimal');
    expectClose(mix.greenShareLp, 0.6, { abs: 1e-4 });
    const confirmed = confirmSizing(setup, mix, target, ref, { cache });
    expect(confirmed.met).toBe(true);
    expect(confirmed.greenShare).toBeGreaterThanOrEqual(0.6 - 1e-6);
    // The re-simulated cost is the program's within what the surplus policy and the rounding change.
    expectClose(confirmed.annualCostCny, mix.lpCostCny, { rel: 0.05 });
  }, 180_000);
});

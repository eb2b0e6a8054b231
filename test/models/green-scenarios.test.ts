import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { irr, npv } from '../../models/finance.ts';
import { engineReference } from '../../seeds/index.ts';
import { runScenario } from '../../server/run.ts';
import { expectClose } from '../helpers/tolerance.ts';

const ref = engineReference();
const load = (f: string) =>
  JSON.parse(readFileSync(new URL(`../../scenarios/${f}`, import.meta.url), 'utf8'));

describe('green power in scenarios', () => {
  it('Qingyang: the hourly green share meets 80 % by day and misses it at night — the reason is visible', () => {
    const r = runScenario(load('qingyang-green-2025.json'), ref);
    const c = r.clusters[0];
    const gp = c.greenProfile!;
    // Night (00–05): no PV, little wind, so only the 70 % contracted share of grid import plus battery energy
    expect(Math.max(...gp.byHourOfDay.slice(0, 6))).toBeLessThan(0.8);
    // Midday (10–15): PV covers the load
    expect(Math.min(...gp.byHourOfDay.slice(10, 16))).toBeGreaterThan(0.9);
    expect(gp.hoursAtLeast80).toBeGreaterThan(2000);
    expect(gp.hoursAtLeast80).toBeLessThan(8760);
    const a = c.annual[0];
    // annual balance: green = on-site used + green battery discharge + contracted ≤ facility energy
    expect(a.greenEnergyMwh).toBeLessThanOrEqual(a.facilityEnergyMwh);
    expect(a.onsiteGreenMwh + a.curtailedMwh + a.exportedMwh).toBeLessThanOrEqual(a.pvMwh + a.windMwh + 1e-6);
    const target = c.targets.find((t) => t.id === 'hub-green-80' && t.year === 2025)!;
    expect(target.met).toBe(a.greenShare > 0.8);
  });

  it('the 0.28 CNY/kWh delivered price lowers cost and raises NPV against the TOU benchmark', () => {
    const r = runScenario(load('gansu-direct-trade.json'), ref);
    const [tou, direct] = r.clusters;
    expect(direct.finance.npvCny!).toBeGreaterThan(tou.finance.npvCny!);
    // Same energy and the same demand charge on top, so the cost gap is the per-kWh price only:
    // Σ (the TOU bill's per-kWh lines − 0.28 × facility kWh)
    const gap =
      tou.annual.reduce((s, a) => s + a.electricityCostCny, 0) -
      direct.annual.reduce((s, a) => s + a.electricityCostCny, 0);
    const hand = tou.annual.reduce((s, a) => s + a.energyChargeCny - a.facilityEnergyMwh * 1000 * 0.28, 0);
    expectClose(gap, hand, { rel: 1e-9 });
    // and the bill says so: the incentive line is the gap
    expectClose(-direct.annual.reduce((s, a) => s + a.incentiveCny, 0), gap, { rel: 1e-9 });
  });

  it('NPV and IRR are those of the reported cash flows (hand-checkable flows)', () => {
    const r = runScenario(load('gansu-direct-trade.json'), ref);
    const c = r.clusters[1];
    const f = c.finance.cashFlowCny;
    // Year 1 by hand (10 MW in 5 kW racks = 2,000 racks, 40 % occupied):
    //   rent 510 CNY/kW·month × 10,000 kW × 40 % × 12 + award 5 M
    //   − electricity − water (m³ × 4.70) − staff (13 × 150,285 × 1.35) − maintenance (2 % of the M&E plant:
    //     power and cooling, the critical share 53 % of the capex)
    //   − capex: 10,000 kW × 7.11 M USD/MW ÷ 1,000 × 7.1 = 504.81 M CNY (90 % per kW + 10 % as 2,000 racks' fit-out)
    const a0 = c.annual[0];
    const capex = 10000 * 7110 * 7.1;
    const year1 =
      510 * 10000 * 0.4 * 12 +
      5e6 -
      a0.electricityCostCny -
      a0.waterM3 * 4.7 -
      13 * 150285 * 1.35 -
      0.02 * 0.53 * capex -
      capex;
    expectClose(f[0], year1, { rel: 1e-9 });
    expectClose(c.finance.capexCny!, capex, { rel: 1e-9 });
    expectClose(c.finance.npvCny!, npv(0.08, f), { rel: 1e-12 });
    expectClose(c.finance.irr!, irr(f)!, { abs: 1e-9 });
    // The last flow carries the salvage: 10 of the facility's 20 years are left after 10 → half the capex
    expectClose(c.finance.salvageCny, capex / 2, { rel: 1e-9 });
  });

  it('a peak-shaving battery cuts the demand charge in Wuhan', () => {
    const r = runScenario(load('wuhan-battery-peak-shaving.json'), ref);
    const [none, battery] = r.clusters;
    expect(battery.annual[1].capacityChargeCny).toBeLessThan(none.annual[1].capacityChargeCny);
    expect(battery.annual[1].batteryCycles).toBeGreaterThan(10);
    expect(battery.finance.capexBreakdownCny.storage).toBeCloseTo(4000 * 1000 * 0.4646, 3);
  });

  it('the comparison ranks clusters and its drivers add up to each gap', () => {
    const r = runScenario(load('east-west-compare.json'), ref);
    const cmp = r.comparison!;
    expect(cmp.ranking.map((x) => x.rank.cost)).toEqual([1, 2, 3, 4]);
    for (const d of cmp.drivers) {
      expectClose(
        d.priceEffect + d.capacityChargeEffect + d.pueEnergyEffect + d.greenAndOtherEffect,
        d.gapCnyPerRackYear,
        {
          abs: 1e-6,
        },
      );
    }
    expect(cmp.ranking.find((x) => x.clusterId === 'wuhan')!.rank.pue).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { HOURS_PER_YEAR } from '../../models/calendar.ts';
import {
  FRACTIONS_PER_SHAPE,
  fractionMemo,
  PRICES_PER_CLUSTER,
  SITE_PER_CLIMATE,
  siteSeries,
  tariffMemo,
} from '../../models/engine-cache.ts';
import { parseScenario } from '../../models/scenario.ts';
import { engineCache, prepareRun, simulate } from '../../models/simulate.ts';
import { tariffStage } from '../../models/stages/bill.ts';
import { powerFractions } from '../../models/stages/load.ts';
import { type BalanceInput, energyBalance } from '../../models/storage.ts';
import { hourlyPeriods, type TariffInput } from '../../models/tariff.ts';
import { engineReference } from '../../seeds/index.ts';

const ref = engineReference();

describe('no hidden state: model functions answer from their arguments alone', () => {
  it('energyBalance on a price array refilled with flat prices does not cycle the battery', () => {
    // Issue 19: the energy balance kept arbitrage windows by the identity of the price array, so a
    // caller that refilled the same array with a flat price still got the old windows (1,232 MWh of
    // cycling). With a flat price no hour beats the round trip (p_lo < η·p_hi fails): 0 MWh.
    const periods = hourlyPeriods(ref.tariffCalendars['gansu-2021'], 2025);
    const prices = new Float64Array(HOURS_PER_YEAR);
    for (let h = 0; h < HOURS_PER_YEAR; h++) prices[h] = h % 24 < 6 ? 0.2 : h % 24 >= 18 ? 0.8 : 0.5;
    const input = (): BalanceInput => ({
      loadKw: new Float64Array(HOURS_PER_YEAR).fill(1000),
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
      contracted: { kind: 'none' },
    });
    expect(energyBalance(input()).dischargeMwh).toBeGreaterThan(1000); // a daily spread: it cycles
    prices.fill(0.5);
    const flat = energyBalance(input());
    expect(flat.dischargeMwh).toBe(0);
    expect(flat.gridChargeMwh).toBe(0);
  });

  it('a run gives the same result with a fresh cache, a warm cache and none', () => {
    const input = {
      name: 'cache',
      startYear: 2025,
      years: 3,
      defaults: {
        buildout: [{ year: 2025, itPowerKw: '4 MW', kwPerRack: '5 kW' }],
        occupancy: { 2025: 0.4, 2027: 0.7 },
        cooling: { design: 'water-cooled-chiller-wse' },
        green: {
          pv: { dcKw: '2 MW' },
          battery: { energyKwh: '2 MWh', powerKw: '1 MW', policy: 'arbitrage' as const },
        },
      },
      clusters: [{ cluster: 'lanzhou' }, { cluster: 'wuhan' }],
    };
    const go = (cache?: ReturnType<typeof engineCache>) => {
      const { hourly: _h, ...r } = simulate(prepareRun(parseScenario(input), ref), ref, { cache });
      return r;
    };
    const none = go();
    const cache = engineCache();
    const cold = go(cache);
    expect(cache.site.get(ref.climates.lanzhou)?.size).toBeGreaterThan(0); // the cooling profile, PV, sun
    expect(cache.idle).not.toBeNull(); // the run's buffers, lent to the next run
    const warm = go(cache);
    expect(cold).toEqual(none);
    expect(warm).toEqual(none);
  });
});

describe('engine cache bounds', () => {
  it(`keeps at most ${SITE_PER_CLIMATE} site series per climate, the most recently used`, () => {
    const cache = engineCache();
    const climate = {};
    for (let i = 0; i < SITE_PER_CLIMATE + 10; i++) siteSeries(cache, climate, `k${i}`, () => i);
    const kept = cache.site.get(climate)!;
    expect(kept.size).toBe(SITE_PER_CLIMATE);
    expect(kept.has('k9')).toBe(false);
    expect(kept.has(`k${SITE_PER_CLIMATE + 9}`)).toBe(true);
  });

  it(`keeps at most ${PRICES_PER_CLUSTER} price series per cluster reference`, () => {
    const cache = engineCache();
    const calendar = ref.tariffCalendars['gansu-2021'];
    const owner = ref.clusters.lanzhou;
    const tariff = (price: number): TariffInput => ({
      months: Array.from({ length: 12 }, () => ({
        calendar,
        components: { energy: price, lineLoss: 0, td: 0.1, systemOperation: 0, funds: 0.02 },
        floats: ['energy'],
      })),
      twoPart: { kind: 'none' },
      incentive: { kind: 'none' },
    });
    for (let i = 0; i < PRICES_PER_CLUSTER + 5; i++) {
      const pc = { ref: owner, tariff: { tariffAt: () => tariff(0.3 + i / 1000) } } as never;
      tariffStage(pc, 2025, cache);
    }
    expect(tariffMemo(cache, owner).prices.size).toBe(PRICES_PER_CLUSTER);
    expect(tariffMemo(cache, owner).periods.size).toBe(1); // one calendar, no weekend matrix
  });

  it(`keeps at most ${FRACTIONS_PER_SHAPE} power-fraction series per (curve, shape)`, () => {
    const cache = engineCache();
    const pc = prepareRun(
      parseScenario({
        name: 'f',
        startYear: 2025,
        years: 1,
        clusters: [
          {
            cluster: 'wuhan',
            buildout: [{ year: 2025, racks: 10, kwPerRack: 5 }],
            occupancy: 0.5,
            cooling: { design: 'air-cooled-chiller' },
          },
        ],
      }),
      ref,
    ).clusters[0];
    const memo = fractionMemo(cache, pc.curve, pc.shape);
    for (let i = 0; i < FRACTIONS_PER_SHAPE + 8; i++) powerFractions(pc, 0.1 + i / 100, 2025, memo);
    expect(memo.size).toBe(FRACTIONS_PER_SHAPE);
    expect(fractionMemo(cache, pc.curve, pc.shape)).toBe(memo);
  });
});

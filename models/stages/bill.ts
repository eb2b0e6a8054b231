import { jan1Weekday } from '../calendar.ts';
import { type EngineCache, PERIOD_CASES, PRICES_PER_CLUSTER, tariffMemo } from '../engine-cache.ts';
import { lruGet } from '../memo.ts';
import type { PreparedCluster } from '../prepare/types.ts';
import type { DispatchPolicy } from '../storage.ts';
import { arbitrageWindows, peakShavingWindows } from '../storage-policy.ts';
import { hourlyPriceCnyPerKwh, type TariffInput, tariffPeriods } from '../tariff.ts';

/** The year's tariff with its hourly prices and TOU periods. */
export interface TariffYear {
  input: TariffInput;
  /** All-in price of each hour, CNY/kWh. */
  prices: Float64Array;
  /** TOU period code of each hour. */
  periods: Uint8Array;
  /**
   * The battery policy's window codes for these prices and periods (storage-policy.ts), made once per
   * price series (arbitrage, by round-trip efficiency) or period series (peak-shaving) and kept with
   * it; null for a policy whose window depends on neither (surplus).
   */
  batteryWindow: (policy: DispatchPolicy, roundTripEfficiency: number) => Uint8Array | null;
}

/**
 * The tariff of a year as hourly series. Periods depend on the calendar of each month and the weekday
 * of 1 January (only when a calendar has a weekend matrix: otherwise every day follows the weekday
 * matrix); prices on those and on each month's components, floating parts and the incentive. Each
 * distinct case is built once and kept in the engine cache by cluster reference, so years, clusters
 * and runs with the same case share one array (read-only).
 */
export function tariffStage(pc: PreparedCluster, year: number, cache: EngineCache): TariffYear {
  const input = pc.tariff.tariffAt(year);
  const memo = tariffMemo(cache, pc.ref);
  const weekends = input.months.some((m) => m.calendar.weekend);
  const wd = weekends ? jan1Weekday(year) : -1;
  const perKey = `${wd}|${input.months.map((m) => m.calendar.id).join(',')}`;
  const periods = lruGet(memo.periods, perKey, () => tariffPeriods(input, year), PERIOD_CASES);
  // Everything hourlyPriceCnyPerKwh reads besides the periods.
  const pKey = `${perKey}|${JSON.stringify(input.months.map((m) => [m.components, m.floats]))}|${JSON.stringify(input.incentive)}`;
  const entry = lruGet(
    memo.prices,
    pKey,
    () => ({ prices: hourlyPriceCnyPerKwh(input, year, periods), arbitrage: new Map<number, Uint8Array>() }),
    PRICES_PER_CLUSTER,
  );
  const batteryWindow = (policy: DispatchPolicy, eta: number): Uint8Array | null => {
    if (policy === 'arbitrage')
      return lruGet(
        entry.arbitrage,
        eta,
        () => {
          const w = new Uint8Array(entry.prices.length);
          arbitrageWindows(entry.prices, eta, w);
          return w;
        },
        4,
      );
    if (policy === 'peak-shaving')
      return lruGet(
        memo.shaving,
        perKey,
        () => {
          const w = new Uint8Array(periods.length);
          peakShavingWindows(periods, w);
          return w;
        },
        PERIOD_CASES,
      );
    return null;
  };
  return { input, prices: entry.prices, periods, batteryWindow };
}

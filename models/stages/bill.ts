import { jan1Weekday } from '../calendar.ts';
import type { PreparedCluster } from '../prepare/types.ts';
import { hourlyPeriods, hourlyPriceCnyPerKwh, type TariffInput } from '../tariff.ts';

/** The year's tariff with its hourly prices and TOU periods. */
export interface TariffYear {
  input: TariffInput;
  /** All-in price of each hour, CNY/kWh. */
  prices: Float64Array;
  /** TOU period code of each hour. */
  periods: Uint8Array;
}

/** Hourly prices and periods already built for this cluster (they repeat across years). */
export interface TariffCaches {
  prices: Map<string, Float64Array>;
  periods: Map<number, Uint8Array>;
}

export const tariffCaches = (): TariffCaches => ({ prices: new Map(), periods: new Map() });

/**
 * The tariff of a year as hourly series. Prices depend on the weekday of 1 January (only when the
 * calendar has a weekend matrix: otherwise every day follows the weekday matrix) and the year's price
 * components, periods on the weekday only: each distinct case is built once per cluster, and years
 * with the same case share one array (the energy balance reuses its arbitrage masks on it).
 */
export function tariffStage(pc: PreparedCluster, year: number, caches: TariffCaches): TariffYear {
  const input = pc.tariffAt(year);
  const wd = pc.calendar.weekend ? jan1Weekday(year) : -1;
  const pKey = `${wd}|${input.energyPriceCnyPerKwh}|${input.tdCnyPerKwh}|${input.fundsCnyPerKwh}|${JSON.stringify(input.incentive)}`;
  let prices = caches.prices.get(pKey);
  if (!prices) {
    prices = hourlyPriceCnyPerKwh(input, year);
    caches.prices.set(pKey, prices);
  }
  let periods = caches.periods.get(wd);
  if (!periods) {
    periods = hourlyPeriods(pc.calendar, year);
    caches.periods.set(wd, periods);
  }
  return { input, prices, periods };
}

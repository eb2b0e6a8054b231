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

/**
 * Hourly prices and TOU periods already built, by calendar (a reference object; a WeakMap, so a
 * calendar no longer referenced takes its series with it): they repeat across years, clusters on the
 * same calendar and runs. Each calendar keeps its `MAX_PRICE_SERIES` most recently used price series.
 * The series are shared: read them, do not write them.
 */
const MAX_PRICE_SERIES = 64;
const priceMemo = new WeakMap<object, Map<string, Float64Array>>();
const periodMemo = new WeakMap<object, Map<number, Uint8Array>>();

function memoOf<K, V>(memo: WeakMap<object, Map<K, V>>, calendar: object): Map<K, V> {
  let m = memo.get(calendar);
  if (!m) {
    m = new Map();
    memo.set(calendar, m);
  }
  return m;
}

/**
 * The tariff of a year as hourly series. Prices depend on the weekday of 1 January (only when the
 * calendar has a weekend matrix: otherwise every day follows the weekday matrix) and the year's price
 * components, periods on the weekday only: each distinct case is built once, and years, clusters and
 * runs with the same case share one array (the energy balance reuses its arbitrage masks on it).
 */
export function tariffStage(pc: PreparedCluster, year: number): TariffYear {
  const input = pc.tariffAt(year);
  const wd = pc.calendar.weekend ? jan1Weekday(year) : -1;
  const byWeekday = memoOf(periodMemo, pc.calendar);
  let periods = byWeekday.get(wd);
  if (!periods) {
    periods = hourlyPeriods(pc.calendar, year);
    byWeekday.set(wd, periods);
  }
  // Everything hourlyPriceCnyPerKwh reads besides the calendar and the periods.
  const pKey = `${wd}|${input.energyPriceCnyPerKwh}|${input.tdCnyPerKwh}|${input.fundsCnyPerKwh}|${input.touAppliesTo}|${JSON.stringify(input.incentive)}`;
  const byKey = memoOf(priceMemo, pc.calendar);
  let prices = byKey.get(pKey);
  if (prices)
    byKey.delete(pKey); // most recently used last
  else {
    prices = hourlyPriceCnyPerKwh(input, year, periods);
    if (byKey.size >= MAX_PRICE_SERIES) byKey.delete(byKey.keys().next().value as string);
  }
  byKey.set(pKey, prices);
  return { input, prices, periods };
}

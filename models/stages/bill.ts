import { jan1Weekday } from '../calendar.ts';
import { lruGet, mapOf } from '../memo.ts';
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
 * same calendar and runs (models/memo.ts). Each calendar keeps its `MAX_PRICE_SERIES` most recently
 * used price series and its period series.
 */
const MAX_PRICE_SERIES = 64;
/** Distinct period series a calendar can have: one per weekday of 1 January, or one without weekends. */
const PERIOD_CASES = 8;
const priceMemo = new WeakMap<object, Map<string, Float64Array>>();
const periodMemo = new WeakMap<object, Map<number, Uint8Array>>();

/**
 * The tariff of a year as hourly series. Prices depend on the weekday of 1 January (only when the
 * calendar has a weekend matrix: otherwise every day follows the weekday matrix) and the year's price
 * components, periods on the weekday only: each distinct case is built once, and years, clusters and
 * runs with the same case share one array (the energy balance reuses its arbitrage masks on it).
 */
export function tariffStage(pc: PreparedCluster, year: number): TariffYear {
  const input = pc.tariffAt(year);
  const wd = pc.calendar.weekend ? jan1Weekday(year) : -1;
  const periods = lruGet(
    mapOf(periodMemo, pc.calendar),
    wd,
    () => hourlyPeriods(pc.calendar, year),
    PERIOD_CASES,
  );
  // Everything hourlyPriceCnyPerKwh reads besides the calendar and the periods.
  const pKey = `${wd}|${input.energyPriceCnyPerKwh}|${input.tdCnyPerKwh}|${input.fundsCnyPerKwh}|${input.touAppliesTo}|${JSON.stringify(input.incentive)}`;
  const prices = lruGet(
    mapOf(priceMemo, pc.calendar),
    pKey,
    () => hourlyPriceCnyPerKwh(input, year, periods),
    MAX_PRICE_SERIES,
  );
  return { input, prices, periods };
}

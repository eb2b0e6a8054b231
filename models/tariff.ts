import { DAYS_IN_MONTH, HOURS_PER_YEAR } from './calendar.ts';
import { FLAT, hourlyPeriods, PEAK, periodRatio, type TariffCalendar, VALLEY } from './tariff-calendar.ts';

/**
 * Electricity tariff (DESIGN.md §4, dcplan sources (docs/sources.md)). Since the 2021 price reform (发改价格〔2021〕1439号) an
 * industrial user pays, per kWh, an energy price + the provincial T&D charge + government funds, with
 * time-of-use (TOU) multipliers on a provincial calendar, plus — for two-part users (≥ 315 kVA) — a
 * capacity charge per kVA·month of transformer capacity or a demand charge per kW·month of the monthly
 * peak. Incentives (a delivered direct-trade price, a discount, a price cap) act on the per-kWh price.
 *
 * Inputs and their units, labels and ranges are declared once, in the scenario rules
 * (`models/scenario.ts`, `RULES`); the seeded calendars and reference prices, with sources and grades,
 * are in `seeds/tariffs/`. This file holds no default numbers.
 */

export {
  CRITICAL,
  FLAT,
  hourlyPeriods,
  type MonthNumber,
  type MonthRatioOverride,
  PEAK,
  PERIOD_NAMES,
  type Period,
  type PeriodRatios,
  periodRatio,
  TARIFF_STATUSES,
  type TariffCalendar,
  type TariffSource,
  VALLEY,
  validateCalendar,
} from './tariff-calendar.ts';

/** Second part of a two-part tariff, billed monthly. */
export type TwoPart =
  | { kind: 'none' }
  /** Capacity charge: transformer kVA × CNY/kVA·month, every month. */
  | { kind: 'capacity'; cnyPerKvaMonth: number; kva: number }
  /** Demand charge: the month's peak hourly grid kW × CNY/kW·month. */
  | { kind: 'demand'; cnyPerKwMonth: number };

/** Electricity incentive applied to the all-in per-kWh price. */
export type Incentive =
  | { kind: 'none' }
  /** A delivered direct-trade price that replaces energy + T&D + funds, flat, without TOU. */
  | { kind: 'delivered-price'; cnyPerKwh: number }
  /** A fractional discount on the all-in per-kWh price (0.1 = 10 % off). */
  | { kind: 'discount'; fraction: number }
  /** A ceiling on the all-in per-kWh price. */
  | { kind: 'cap'; cnyPerKwh: number };

/** Everything needed to bill one year. */
export interface TariffInput {
  calendar: TariffCalendar;
  /** Flat-period energy price of the year (after escalation), CNY/kWh. */
  energyPriceCnyPerKwh: number;
  /** T&D charge, CNY/kWh (per-voltage values NOT FOUND in the references: a user input). */
  tdCnyPerKwh: number;
  /** Government funds and surcharges, CNY/kWh (NOT FOUND: a user input). */
  fundsCnyPerKwh: number;
  /** Whether TOU ratios multiply the energy price only or energy + T&D (funds are never multiplied). */
  touAppliesTo: 'energy' | 'energy+td';
  twoPart: TwoPart;
  incentive: Incentive;
}

/** Escalation of the energy price over the simulated years. */
export type Escalation =
  | { kind: 'none' }
  /** Compound growth: factor = (1 + ratePerYear)^(year − baseYear). */
  | { kind: 'rate'; ratePerYear: number; baseYear: number }
  /** Year → factor, held after the last given year, 1 before the first. */
  | { kind: 'schedule'; factors: Record<string, number> };

/**
 * All-in price per kWh for every hour of `year`, after incentives:
 * energy × ratio + T&D + funds (or (energy + T&D) × ratio + funds), then a delivered price replaces it,
 * a discount multiplies it by (1 − fraction), a cap takes min(price, cap).
 *
 * @example
 * hourlyPriceCnyPerKwh({ calendar: gansu2021, energyPriceCnyPerKwh: 0.3078, tdCnyPerKwh: 0, fundsCnyPerKwh: 0,
 *   touAppliesTo: 'energy', twoPart: { kind: 'none' }, incentive: { kind: 'none' } }, 2025)[7] // → 0.4617 (0.3078 × 1.5)
 */
export function hourlyPriceCnyPerKwh(
  input: TariffInput,
  year: number,
  periods: Uint8Array = hourlyPeriods(input.calendar, year),
): Float64Array {
  const out = new Float64Array(HOURS_PER_YEAR);
  const inc = input.incentive;
  if (inc.kind === 'delivered-price') {
    out.fill(inc.cnyPerKwh);
    return out;
  }
  // Price per (month, period), CNY/kWh; NaN for a critical period without a ratio (validateCalendar rejects it).
  const table = new Float64Array(12 * 4);
  const onTd = input.touAppliesTo === 'energy+td';
  const multiplied = onTd ? input.energyPriceCnyPerKwh + input.tdCnyPerKwh : input.energyPriceCnyPerKwh;
  const added = onTd ? input.fundsCnyPerKwh : input.tdCnyPerKwh + input.fundsCnyPerKwh;
  for (let m = 0; m < 12; m++) {
    for (let p = 0; p < 4; p++) {
      let price = multiplied * (periodRatio(input.calendar, m + 1, p) ?? Number.NaN) + added;
      if (inc.kind === 'discount') price *= 1 - inc.fraction;
      else if (inc.kind === 'cap') price = Math.min(price, inc.cnyPerKwh);
      table[m * 4 + p] = price;
    }
  }
  let h = 0;
  for (let m = 0; m < 12; m++) {
    const base = m * 4;
    const end = h + DAYS_IN_MONTH[m] * 24;
    for (; h < end; h++) out[h] = table[base + periods[h]];
  }
  return out;
}

/** One month's bill. */
export interface MonthlyBill {
  /** 1 = January … 12 = December. */
  month: number;
  energyKwh: number;
  /** Σ kWh × all-in price, CNY. */
  energyChargeCny: number;
  /** Capacity or demand charge, CNY. */
  capacityChargeCny: number;
  /** Highest hourly grid load of the month, kW. */
  peakKw: number;
  totalCny: number;
  /** kWh in the valley, flat, peak and critical periods. */
  kwhByPeriod: [number, number, number, number];
}

/** A year's bills: the twelve months and their totals. */
export interface TariffBill {
  months: MonthlyBill[];
  energyKwh: number;
  energyChargeCny: number;
  capacityChargeCny: number;
  totalCny: number;
  /** totalCny ÷ energyKwh (0 with no energy), CNY/kWh — includes the capacity or demand charge. */
  averagePriceCnyPerKwh: number;
}

/**
 * The hours [h0, end) of a bill into `acc`: kWh, energy charge (CNY), peak kW, then kWh in the valley,
 * flat, peak and critical periods. Typed arrays in and out: with the month objects built after the
 * loop in the same function, V8 dropped the loop's optimised code for want of type feedback.
 */
function monthHours(
  gridKw: Float64Array,
  price: Float64Array,
  per: Uint8Array,
  h0: number,
  end: number,
  acc: Float64Array,
): void {
  let kwh = 0;
  let cost = 0;
  let peakKw = 0;
  let v = 0;
  let f = 0;
  let pk = 0;
  let c = 0;
  for (let h = h0; h < end; h++) {
    const kw = gridKw[h];
    kwh += kw;
    cost += kw * price[h];
    if (kw > peakKw) peakKw = kw;
    switch (per[h]) {
      case VALLEY:
        v += kw;
        break;
      case FLAT:
        f += kw;
        break;
      case PEAK:
        pk += kw;
        break;
      default:
        c += kw;
    }
  }
  acc[0] = kwh;
  acc[1] = cost;
  acc[2] = peakKw;
  acc[3] = v;
  acc[4] = f;
  acc[5] = pk;
  acc[6] = c;
}

/**
 * Monthly electricity bills of a year for an hourly grid load (kW; each value = kWh in that hour).
 * Capacity charge = kVA × CNY/kVA·month each month; demand charge = the month's peak hourly kW ×
 * CNY/kW·month. Pass `prices` (from `hourlyPriceCnyPerKwh`) and `periods` (from `hourlyPeriods`) to
 * reuse them across clusters and years; the loop then allocates only the twelve month records.
 * Monthly sums are plain (≤ 744 terms: relative error ≤ 744 × 2⁻⁵³ ≈ 1e-13).
 *
 * @example
 * monthlyBills(new Float64Array(8760).fill(1000), flat05, 2025).totalCny // → 4380000 (1,000 kW × 8,760 h × 0.5)
 */
export function monthlyBills(
  gridKw: Float64Array,
  input: TariffInput,
  year: number,
  prices?: Float64Array,
  periods?: Uint8Array,
): TariffBill {
  if (gridKw.length !== HOURS_PER_YEAR) throw new Error(`gridKw: must have ${HOURS_PER_YEAR} hours`);
  const per = periods ?? hourlyPeriods(input.calendar, year);
  const price = prices ?? hourlyPriceCnyPerKwh(input, year, per);
  const tp = input.twoPart;
  const months: MonthlyBill[] = [];
  let energyKwh = 0;
  let energyCharge = 0;
  let capacityCharge = 0;
  const acc = new Float64Array(7);
  let h = 0;
  for (let m = 0; m < 12; m++) {
    const end = h + DAYS_IN_MONTH[m] * 24;
    monthHours(gridKw, price, per, h, end, acc);
    h = end;
    const kwh = acc[0];
    const cost = acc[1]; // CNY
    const peakKw = acc[2];
    const cap =
      tp.kind === 'capacity'
        ? tp.kva * tp.cnyPerKvaMonth
        : tp.kind === 'demand'
          ? peakKw * tp.cnyPerKwMonth
          : 0;
    months.push({
      month: m + 1,
      energyKwh: kwh,
      energyChargeCny: cost,
      capacityChargeCny: cap,
      peakKw,
      totalCny: cost + cap,
      kwhByPeriod: [acc[3], acc[4], acc[5], acc[6]],
    });
    energyKwh += kwh;
    energyCharge += cost;
    capacityCharge += cap;
  }
  const total = energyCharge + capacityCharge;
  return {
    months,
    energyKwh,
    energyChargeCny: energyCharge,
    capacityChargeCny: capacityCharge,
    totalCny: total,
    averagePriceCnyPerKwh: energyKwh > 0 ? total / energyKwh : 0,
  };
}

/**
 * Energy-price escalation factor of `year`: (1 + rate)^(year − baseYear), or a year → factor schedule
 * held after its last year and 1 before its first (step, no interpolation).
 *
 * @example
 * escalationFactor({ kind: 'rate', ratePerYear: 0.02, baseYear: 2025 }, 2027) // → 1.0404
 */
export function escalationFactor(esc: Escalation, year: number): number {
  if (esc.kind === 'none') return 1;
  if (esc.kind === 'rate') return (1 + esc.ratePerYear) ** (year - esc.baseYear);
  let bestYear = Number.NEGATIVE_INFINITY;
  let factor = 1;
  for (const k of Object.keys(esc.factors)) {
    const y = Number(k);
    if (!Number.isFinite(y)) throw new Error(`escalation.factors.${k}: must be a year`);
    if (y <= year && y > bestYear) {
      bestYear = y;
      factor = esc.factors[k];
    }
  }
  return factor;
}

import { DAYS_IN_MONTH, HOURS_PER_YEAR } from './calendar.ts';
import { FLAT, hourlyPeriods, PEAK, periodRatio, type TariffCalendar, VALLEY } from './tariff-calendar.ts';

/**
 * Electricity tariff as the grid bills it (DESIGN.md §4). Since the 2021 reform (发改价格〔2021〕1439号) and
 * the third regulatory period (发改价格〔2023〕526号) an industrial customer pays per kWh the sum of
 *   energy (the grid-agency purchase price 代理购电价格 of the month, or a market contract price)
 *   + line-loss charge (上网环节线损费用) + T&D by voltage level and structure (输配电价)
 *   + system-operation charge (系统运行费) + government funds (政府性基金及附加),
 * with time-of-use ratios on a provincial calendar multiplying the components the province floats
 * (Hubei and Gansu: energy + line loss; Henan: energy + T&D), and — for a two-part customer — a
 * capacity charge per kVA·month of contract capacity or a demand charge per kW·month of the month's
 * maximum demand, at least 40 % of the contract capacity, both at 90 % in a month of ≥ 260 kWh per kVA
 * (526号). Each month of a year has its own components and calendar (the ones in force that month).
 * Incentives (a delivered price, a discount, a price cap) act on the per-kWh price; the bill shows them
 * as their own line.
 *
 * Inputs, defaults and their sources are declared in `models/inputs.ts` and the seeds
 * (`seeds/tariffs/`); this file holds no default numbers.
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

/** Supply voltage levels of the T&D tables (电压等级). */
export const VOLTAGE_LEVELS = ['<1kV', '1-10kV', '35kV', '110kV', '220kV+'] as const;
export type VoltageLevel = (typeof VOLTAGE_LEVELS)[number];

/** Single-part (per kWh only) or two-part (per kWh + capacity or demand) billing. */
export const TARIFF_STRUCTURES = ['single-part', 'two-part'] as const;
export type TariffStructure = (typeof TARIFF_STRUCTURES)[number];

/** The per-kWh parts of a delivered price, in bill order. */
export const PRICE_COMPONENTS = ['energy', 'lineLoss', 'td', 'systemOperation', 'funds'] as const;
export type PriceComponent = (typeof PRICE_COMPONENTS)[number];

/** A month's per-kWh components, CNY/kWh, before TOU ratios. */
export type PriceComponents = Record<PriceComponent, number>;

/** One month of a tariff: its TOU calendar, components and the components the TOU ratios multiply. */
export interface MonthTariff {
  calendar: TariffCalendar;
  components: PriceComponents;
  /** Components multiplied by the period's ratio; the others are charged flat in every hour. */
  floats: readonly PriceComponent[];
}

/** Second part of a two-part tariff, billed monthly (rates by month, from the months in force). */
export type TwoPart =
  | { kind: 'none' }
  /** Capacity charge: contract kVA × CNY/kVA·month. */
  | { kind: 'capacity'; kva: number; cnyPerKvaMonth: number[] }
  /** Demand charge: max(the month's peak hourly kW, 40 % of the contract kVA) × CNY/kW·month. */
  | { kind: 'demand'; kva: number; cnyPerKwMonth: number[] };

/** Electricity incentive applied to the all-in per-kWh price. */
export type Incentive =
  | { kind: 'none' }
  /** A delivered price that replaces every per-kWh component, flat, without TOU. */
  | { kind: 'delivered-price'; cnyPerKwh: number }
  /** A fractional discount on the all-in per-kWh price (0.1 = 10 % off). */
  | { kind: 'discount'; fraction: number }
  /** A ceiling on the all-in per-kWh price. */
  | { kind: 'cap'; cnyPerKwh: number };

/** Everything needed to bill one year: twelve months of components and calendars, the second part, the incentive. */
export interface TariffInput {
  months: MonthTariff[];
  twoPart: TwoPart;
  incentive: Incentive;
}

/** Share of the contract capacity below which the billed demand never falls (526号). */
export const DEMAND_FLOOR_OF_CONTRACT = 0.4;
/** kWh per kVA of contract capacity in a month from which the capacity or demand charge is billed at 90 % (526号). */
export const HIGH_LOAD_KWH_PER_KVA = 260;
/** The share billed in such a month. */
export const HIGH_LOAD_SHARE = 0.9;

/** Escalation of the energy price over the simulated years. */
export type Escalation =
  | { kind: 'none' }
  /** Compound growth: factor = (1 + ratePerYear)^(year − baseYear). */
  | { kind: 'rate'; ratePerYear: number; baseYear: number }
  /** Year → factor, held after the last given year, 1 before the first. */
  | { kind: 'schedule'; factors: Record<string, number> };

/**
 * The per-kWh price of each period of a month before incentives, CNY/kWh: the floating components
 * times the period's ratio plus the flat ones. NaN for a critical period the calendar does not price.
 *
 * @example
 * // Hubei, January 2026, two-part 1–10 kV: (0.384470 + 0.013643) × 2.0 + 0.1263 + 0.082273 + 0.0452
 * periodPrice(hubeiJanuary, 1, CRITICAL) // → 1.049999 (the table's critical price)
 */
export function periodPrice(mt: MonthTariff, month: number, period: number): number {
  let floating = 0;
  let flat = 0;
  for (const c of PRICE_COMPONENTS) {
    if (mt.floats.includes(c)) floating += mt.components[c];
    else flat += mt.components[c];
  }
  return floating * (periodRatio(mt.calendar, month, period) ?? Number.NaN) + flat;
}

/** The period code of every hour of `year`, each month on its own calendar. */
export function tariffPeriods(input: Pick<TariffInput, 'months'>, year: number): Uint8Array {
  const out = new Uint8Array(HOURS_PER_YEAR);
  const byCalendar = new Map<TariffCalendar, Uint8Array>();
  let h = 0;
  for (let m = 0; m < 12; m++) {
    const cal = input.months[m].calendar;
    let p = byCalendar.get(cal);
    if (!p) {
      p = hourlyPeriods(cal, year);
      byCalendar.set(cal, p);
    }
    const end = h + DAYS_IN_MONTH[m] * 24;
    out.set(p.subarray(h, end), h);
    h = end;
  }
  return out;
}

/**
 * All-in price per kWh for every hour of `year`, after incentives: each month's period price
 * (`periodPrice`), then a delivered price replaces it, a discount multiplies it by (1 − fraction), a
 * cap takes min(price, cap).
 *
 * @example
 * hourlyPriceCnyPerKwh(gansuEnergyOnly0_3078, 2025)[7] // → 0.4617 (07:00 peak: 0.3078 × 1.5)
 */
export function hourlyPriceCnyPerKwh(
  input: TariffInput,
  year: number,
  periods: Uint8Array = tariffPeriods(input, year),
): Float64Array {
  const out = new Float64Array(HOURS_PER_YEAR);
  const inc = input.incentive;
  if (inc.kind === 'delivered-price') {
    out.fill(inc.cnyPerKwh);
    return out;
  }
  // Price per (month, period), CNY/kWh.
  const table = new Float64Array(12 * 4);
  for (let m = 0; m < 12; m++) {
    for (let p = 0; p < 4; p++) {
      let price = periodPrice(input.months[m], m + 1, p);
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

/** One month's bill, every line of it in CNY. */
export interface MonthlyBill {
  /** 1 = January … 12 = December. */
  month: number;
  energyKwh: number;
  /** Σ kWh × all-in price (every per-kWh line, the incentive included), CNY. */
  energyChargeCny: number;
  /** The per-kWh lines before the incentive: energy, line loss, T&D, system operation, funds, CNY. */
  componentsCny: PriceComponents;
  /** What the incentive changes on the per-kWh lines (≤ 0 for a saving), CNY. */
  incentiveCny: number;
  /** Capacity or demand charge, CNY. */
  capacityChargeCny: number;
  /** The kW (demand) or kVA (capacity) the second part was billed on. */
  billedDemand: number;
  /** True when the month's kWh per contract kVA reached the 90 % rule. */
  highLoadRate: boolean;
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
  componentsCny: PriceComponents;
  incentiveCny: number;
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
 * The second part of a month's bill (526号): capacity = contract kVA × rate; demand = max(the month's
 * peak kW, 40 % of the contract kVA) × rate; either at 90 % when the month's kWh reach 260 per kVA.
 *
 * @example
 * secondPart({ kind: 'demand', kva: 10000, cnyPerKwMonth: Array(12).fill(42) }, 0, 6000, 2_700_000)
 * // → { cny: 226800, billed: 6000, high: true } (6,000 kW ≥ 4,000; 270 kWh/kVA ≥ 260: 6,000 × 42 × 0.9)
 */
export function secondPart(
  tp: TwoPart,
  month: number,
  peakKw: number,
  kwh: number,
): { cny: number; billed: number; high: boolean } {
  if (tp.kind === 'none') return { cny: 0, billed: 0, high: false };
  const high = tp.kva > 0 && kwh >= HIGH_LOAD_KWH_PER_KVA * tp.kva;
  const share = high ? HIGH_LOAD_SHARE : 1;
  if (tp.kind === 'capacity') return { cny: tp.kva * tp.cnyPerKvaMonth[month] * share, billed: tp.kva, high };
  const billed = Math.max(peakKw, DEMAND_FLOOR_OF_CONTRACT * tp.kva);
  return { cny: billed * tp.cnyPerKwMonth[month] * share, billed, high };
}

/** Σ kWh × ratio over a month's periods: the kWh the floating components are charged on. */
function ratioKwh(mt: MonthTariff, month: number, kwhByPeriod: ArrayLike<number>): number {
  let s = 0;
  for (let p = 0; p < 4; p++)
    if (kwhByPeriod[p] > 0) s += kwhByPeriod[p] * (periodRatio(mt.calendar, month, p) ?? 0);
  return s;
}

const zeroComponents = (): PriceComponents => ({
  energy: 0,
  lineLoss: 0,
  td: 0,
  systemOperation: 0,
  funds: 0,
});

/**
 * Monthly electricity bills of a year for an hourly grid load (kW; each value = kWh in that hour),
 * every line shown: the per-kWh components (energy, line loss, T&D, system operation, funds; the
 * floating ones on the month's ratio-weighted kWh), the incentive's effect, and the capacity or demand
 * charge (`secondPart`). Pass `prices` (from `hourlyPriceCnyPerKwh`) and `periods` (from
 * `tariffPeriods`) to reuse them across clusters and years. Monthly sums are plain (≤ 744 terms:
 * relative error ≤ 744 × 2⁻⁵³ ≈ 1e-13).
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
  const per = periods ?? tariffPeriods(input, year);
  const price = prices ?? hourlyPriceCnyPerKwh(input, year, per);
  const months: MonthlyBill[] = [];
  const total = { kwh: 0, energy: 0, capacity: 0, incentive: 0, components: zeroComponents() };
  const acc = new Float64Array(7);
  let h = 0;
  for (let m = 0; m < 12; m++) {
    const end = h + DAYS_IN_MONTH[m] * 24;
    monthHours(gridKw, price, per, h, end, acc);
    h = end;
    const kwh = acc[0];
    const cost = acc[1]; // CNY
    const peakKw = acc[2];
    const kwhByPeriod: [number, number, number, number] = [acc[3], acc[4], acc[5], acc[6]];
    const mt = input.months[m];
    const rk = ratioKwh(mt, m + 1, kwhByPeriod);
    const componentsCny = zeroComponents();
    let listed = 0;
    for (const c of PRICE_COMPONENTS) {
      componentsCny[c] = mt.components[c] * (mt.floats.includes(c) ? rk : kwh);
      listed += componentsCny[c];
      total.components[c] += componentsCny[c];
    }
    const incentiveCny = input.incentive.kind === 'none' ? 0 : cost - listed;
    const second = secondPart(input.twoPart, m, peakKw, kwh);
    months.push({
      month: m + 1,
      energyKwh: kwh,
      energyChargeCny: cost,
      componentsCny,
      incentiveCny,
      capacityChargeCny: second.cny,
      billedDemand: second.billed,
      highLoadRate: second.high,
      peakKw,
      totalCny: cost + second.cny,
      kwhByPeriod,
    });
    total.kwh += kwh;
    total.energy += cost;
    total.capacity += second.cny;
    total.incentive += incentiveCny;
  }
  const all = total.energy + total.capacity;
  return {
    months,
    energyKwh: total.kwh,
    energyChargeCny: total.energy,
    componentsCny: total.components,
    incentiveCny: total.incentive,
    capacityChargeCny: total.capacity,
    totalCny: all,
    averagePriceCnyPerKwh: total.kwh > 0 ? all / total.kwh : 0,
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

import { DAYS_IN_MONTH, HOURS_PER_YEAR, weekdayOfHour } from './calendar.ts';

/**
 * Electricity tariff (DESIGN.md §4). Since the 2021 price reform (发改价格〔2021〕1439号) an industrial
 * user pays an energy price + the provincial T&D charge + government funds, per kWh, with time-of-use
 * multipliers on a provincial calendar, plus — for two-part users (≥ 315 kVA) — a capacity charge per
 * kVA·month of transformer capacity or a demand charge per kW·month of the monthly peak.
 */

/** Period codes of a calendar cell. */
export const VALLEY = 0;
export const FLAT = 1;
export const PEAK = 2;
export const CRITICAL = 3;
export type Period = 0 | 1 | 2 | 3;
export const PERIOD_NAMES = ['valley', 'flat', 'peak', 'critical'] as const;

export interface PeriodRatios {
  valley: number;
  flat: 1;
  peak: number;
  critical?: number;
}

/** A provincial time-of-use calendar: which period each hour of each month is, and the price ratios. */
export interface TariffCalendar {
  id: string;
  province: string;
  label: string;
  effectiveFrom: string;
  status: 'in-force' | 'superseded' | 'draft';
  /** 12 months × 24 hours of period codes; hour h means h:00–(h+1):00 local time. */
  weekday: number[][];
  /** Optional weekend matrix (Saturday, Sunday). */
  weekend?: number[][];
  ratios: PeriodRatios;
  /** Month-specific ratio overrides, keyed by month 1–12. */
  monthRatios?: Record<string, Partial<Omit<PeriodRatios, 'flat'>>>;
  sources?: Array<Record<string, unknown>>;
}

export type TwoPart =
  | { kind: 'none' }
  | { kind: 'capacity'; cnyPerKvaMonth: number; kva: number }
  | { kind: 'demand'; cnyPerKwMonth: number };

export type Incentive =
  | { kind: 'none' }
  /** A delivered direct-trade price that replaces energy + T&D + funds, flat, without TOU. */
  | { kind: 'delivered-price'; cnyPerKwh: number }
  /** A discount on the per-kWh charges. */
  | { kind: 'discount'; fraction: number }
  /** A ceiling on the all-in per-kWh price. */
  | { kind: 'cap'; cnyPerKwh: number };

/** Everything needed to bill one year. */
export interface TariffInput {
  calendar: TariffCalendar;
  /** Flat-period energy price of the year, CNY/kWh. */
  energyPriceCnyPerKwh: number;
  tdCnyPerKwh: number;
  fundsCnyPerKwh: number;
  /** Whether TOU ratios apply to the energy price only or to energy + T&D. */
  touAppliesTo: 'energy' | 'energy+td';
  twoPart: TwoPart;
  incentive: Incentive;
}

export type Escalation =
  | { kind: 'none' }
  | { kind: 'rate'; ratePerYear: number; baseYear: number }
  | { kind: 'schedule'; factors: Record<string, number> };

/**
 * Check a calendar; throws a one-line error naming the cell or ratio.
 *
 * @example
 * validateCalendar({ ...gansu, weekday: [[9]] }) // throws "tariff.gansu-2021.weekday: must have 12 months"
 */
export function validateCalendar(cal: TariffCalendar): void {
  const p = `tariff.${cal.id}`;
  const checkMatrix = (m: number[][] | undefined, name: string) => {
    if (m === undefined) return;
    if (!Array.isArray(m) || m.length !== 12) throw new Error(`${p}.${name}: must have 12 months`);
    m.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== 24) throw new Error(`${p}.${name}[${i}]: must have 24 hours`);
      row.forEach((v, h) => {
        if (!(v === 0 || v === 1 || v === 2 || v === 3))
          throw new Error(`${p}.${name}[${i}][${h}]: period must be 0–3`);
        if (v === CRITICAL && ratioOf(cal, i, CRITICAL) === undefined) {
          throw new Error(`${p}.${name}[${i}][${h}]: critical period needs ratios.critical`);
        }
      });
    });
  };
  checkMatrix(cal.weekday, 'weekday');
  checkMatrix(cal.weekend, 'weekend');
  const r = cal.ratios;
  if (r.flat !== 1) throw new Error(`${p}.ratios.flat: must be 1`);
  for (const k of ['valley', 'peak', 'critical'] as const) {
    const v = r[k];
    if (v !== undefined && !(v > 0 && v < 10)) throw new Error(`${p}.ratios.${k}: must be in (0, 10)`);
  }
}

function ratioOf(cal: TariffCalendar, month0: number, period: number): number | undefined {
  const o = cal.monthRatios?.[String(month0 + 1)];
  switch (period) {
    case VALLEY:
      return o?.valley ?? cal.ratios.valley;
    case FLAT:
      return 1;
    case PEAK:
      return o?.peak ?? cal.ratios.peak;
    default:
      return o?.critical ?? cal.ratios.critical;
  }
}

/**
 * Period code of every hour of `year` (weekend matrix on Saturdays and Sundays when given).
 *
 * @example
 * hourlyPeriods(gansu2021, 2025)[7] // → 2 (07:00–08:00 on 1 January is peak in Gansu)
 */
export function hourlyPeriods(calendar: TariffCalendar, year: number): Uint8Array {
  const out = new Uint8Array(HOURS_PER_YEAR);
  const wd = calendar.weekend ? weekdayOfHour(year) : null;
  let h = 0;
  for (let m = 0; m < 12; m++) {
    for (let d = 0; d < DAYS_IN_MONTH[m]; d++) {
      const dow = wd ? wd[h] : 1;
      const row = wd && (dow === 0 || dow === 6) ? calendar.weekend![m] : calendar.weekday[m];
      for (let i = 0; i < 24; i++) out[h + i] = row[i];
      h += 24;
    }
  }
  return out;
}

/**
 * All-in price per kWh for every hour of `year`, after incentives.
 *
 * @example
 * hourlyPriceCnyPerKwh({ calendar: gansu2021, energyPriceCnyPerKwh: 0.3078, tdCnyPerKwh: 0, fundsCnyPerKwh: 0,
 *   touAppliesTo: 'energy', twoPart: { kind: 'none' }, incentive: { kind: 'none' } }, 2025)[7] // → 0.4617 (0.3078 × 1.5)
 */
export function hourlyPriceCnyPerKwh(input: TariffInput, year: number): Float64Array {
  const periods = hourlyPeriods(input.calendar, year);
  const out = new Float64Array(HOURS_PER_YEAR);
  const inc = input.incentive;
  if (inc.kind === 'delivered-price') {
    out.fill(inc.cnyPerKwh);
    return out;
  }
  // price per (month, period), then fill
  const table: number[][] = [];
  for (let m = 0; m < 12; m++) {
    table.push(
      [0, 1, 2, 3].map((p) => {
        const r = ratioOf(input.calendar, m, p) ?? Number.NaN;
        let price =
          input.touAppliesTo === 'energy+td'
            ? (input.energyPriceCnyPerKwh + input.tdCnyPerKwh) * r + input.fundsCnyPerKwh
            : input.energyPriceCnyPerKwh * r + input.tdCnyPerKwh + input.fundsCnyPerKwh;
        if (inc.kind === 'discount') price *= 1 - inc.fraction;
        else if (inc.kind === 'cap') price = Math.min(price, inc.cnyPerKwh);
        return price;
      }),
    );
  }
  let h = 0;
  for (let m = 0; m < 12; m++) {
    const row = table[m];
    const end = h + DAYS_IN_MONTH[m] * 24;
    for (; h < end; h++) out[h] = row[periods[h]];
  }
  return out;
}

export interface MonthlyBill {
  month: number;
  energyKwh: number;
  energyChargeCny: number;
  capacityChargeCny: number;
  peakKw: number;
  totalCny: number;
  /** kWh in valley, flat, peak, critical periods. */
  kwhByPeriod: [number, number, number, number];
}

export interface TariffBill {
  months: MonthlyBill[];
  energyKwh: number;
  energyChargeCny: number;
  capacityChargeCny: number;
  totalCny: number;
  averagePriceCnyPerKwh: number;
}

/**
 * Monthly electricity bills of a year for an hourly grid load (kW, each value = kWh in that hour).
 * Pass `prices` from `hourlyPriceCnyPerKwh` to reuse them across years with the same calendar alignment.
 *
 * @example
 * monthlyBills(new Float64Array(8760).fill(1000), flat0_5, 2025).totalCny // → 4,380,000 (1,000 kW × 8,760 h × 0.5)
 */
export function monthlyBills(
  gridKw: Float64Array,
  input: TariffInput,
  year: number,
  prices: Float64Array = hourlyPriceCnyPerKwh(input, year),
  periods: Uint8Array = hourlyPeriods(input.calendar, year),
): TariffBill {
  const months: MonthlyBill[] = [];
  let h = 0;
  let energyKwh = 0;
  let energyCharge = 0;
  let capacityCharge = 0;
  for (let m = 0; m < 12; m++) {
    const end = h + DAYS_IN_MONTH[m] * 24;
    let kwh = 0;
    let cost = 0;
    let peakKw = 0;
    const byPeriod: [number, number, number, number] = [0, 0, 0, 0];
    for (; h < end; h++) {
      const kw = gridKw[h];
      kwh += kw;
      cost += kw * prices[h];
      byPeriod[periods[h]] += kw;
      if (kw > peakKw) peakKw = kw;
    }
    const tp = input.twoPart;
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
      kwhByPeriod: byPeriod,
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
 * Price escalation factor of `year`: (1 + rate)^(year − baseYear), or a year → factor schedule held
 * after its last year and 1 before its first.
 *
 * @example
 * escalationFactor({ kind: 'rate', ratePerYear: 0.02, baseYear: 2025 }, 2027) // → 1.0404
 */
export function escalationFactor(esc: Escalation, year: number): number {
  if (esc.kind === 'none') return 1;
  if (esc.kind === 'rate') return (1 + esc.ratePerYear) ** (year - esc.baseYear);
  const ys = Object.keys(esc.factors)
    .map(Number)
    .sort((a, b) => a - b);
  if (ys.length === 0 || year < ys[0]) return 1;
  let f = 1;
  for (const y of ys) if (y <= year) f = esc.factors[String(y)];
  return f;
}

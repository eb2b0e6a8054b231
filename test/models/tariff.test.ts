import { describe, expect, it } from 'vitest';
import {
  CRITICAL,
  escalationFactor,
  hourlyPeriods,
  hourlyPriceCnyPerKwh,
  monthlyBills,
  PEAK,
  type TariffCalendar,
  type TariffInput,
  VALLEY,
  validateCalendar,
} from '../../models/tariff.ts';
import { SEEDS } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

const cal = (id: string) => SEEDS.tariffs.find((t) => t.id === id)! as TariffCalendar;
const input = (calendar: TariffCalendar, over: Partial<TariffInput> = {}): TariffInput => ({
  calendar,
  energyPriceCnyPerKwh: 0.3078,
  tdCnyPerKwh: 0,
  fundsCnyPerKwh: 0,
  touAppliesTo: 'energy',
  twoPart: { kind: 'none' },
  incentive: { kind: 'none' },
  ...over,
});
const FLAT: TariffCalendar = {
  id: 'flat',
  province: 'test',
  label: 'flat',
  effectiveFrom: '2000',
  status: 'in-force',
  weekday: Array.from({ length: 12 }, () => new Array(24).fill(1)),
  ratios: { valley: 0.5, flat: 1, peak: 1.5 },
};
const constant = (kw: number) => new Float64Array(8760).fill(kw);

describe('tariff', () => {
  it('a flat tariff bills price × energy plus the capacity charge', () => {
    // 1,000 kW × 8,760 h × 0.5 CNY/kWh = 4,380,000; capacity 2,000 kVA × 25 CNY × 12 = 600,000
    const bill = monthlyBills(
      constant(1000),
      input(FLAT, {
        energyPriceCnyPerKwh: 0.4,
        tdCnyPerKwh: 0.1,
        twoPart: { kind: 'capacity', kva: 2000, cnyPerKvaMonth: 25 },
      }),
      2025,
    );
    expectClose(bill.energyChargeCny, 4_380_000, { rel: 1e-12 });
    expectClose(bill.capacityChargeCny, 600_000, { rel: 1e-12 });
    expectClose(bill.totalCny, 4_980_000, { rel: 1e-12 });
  });

  it('Gansu has 8 peak, 8 flat and 8 valley hours a day (07–09 & 18–24 peak; 02–04 & 11–17 valley)', () => {
    // facts.md §4 (Lanzhou Evening News 2020-12-02): peak 2 + 6 = 8 h; valley 2 + 6 = 8 h; flat the other 8
    const p = hourlyPeriods(cal('gansu-2021'), 2025).slice(0, 24);
    expect([...p].filter((x) => x === PEAK).length).toBe(8);
    expect([...p].filter((x) => x === VALLEY).length).toBe(8);
    expect([p[7], p[8], p[18], p[23]]).toEqual([PEAK, PEAK, PEAK, PEAK]);
    expect([p[2], p[3], p[11], p[16]]).toEqual([VALLEY, VALLEY, VALLEY, VALLEY]);
    expect([p[0], p[6], p[9], p[17]]).toEqual([1, 1, 1, 1]);
  });

  it('a constant 1,000 kW load in January under Gansu TOU: 31 days × 24 h-equivalents × 0.3078', () => {
    // per day: 8 h × 1.5 + 8 h × 1 + 8 h × 0.5 = 24 price-hours → 1,000 kW × 24 × 0.3078 = 7,387.2 CNY/day;
    // January: 31 × 7,387.2 = 229,003.2 CNY for 744,000 kWh
    const jan = monthlyBills(constant(1000), input(cal('gansu-2021')), 2025).months[0];
    expectClose(jan.energyKwh, 744_000, { rel: 1e-12 });
    expectClose(jan.energyChargeCny, 229_003.2, { abs: 1e-6 });
    expect(jan.kwhByPeriod).toEqual([248_000, 248_000, 248_000, 0]);
  });

  it('a load running only in Gansu peak hours pays 1.5 × the flat price', () => {
    // January: 8 peak hours × 31 days × 1,000 kW = 248,000 kWh × 0.4617 CNY/kWh = 114,501.6 CNY
    const periods = hourlyPeriods(cal('gansu-2021'), 2025);
    const load = new Float64Array(8760).map((_, h) => (periods[h] === PEAK ? 1000 : 0));
    expectClose(monthlyBills(load, input(cal('gansu-2021')), 2025).months[0].energyChargeCny, 114_501.6, {
      abs: 1e-6,
    });
  });

  it('a demand charge bills each month’s peak kW', () => {
    // 1,000 kW all year, one February hour at 2,500 kW; 40 CNY/kW·month:
    // February 2,500 × 40 = 100,000; other months 1,000 × 40 = 40,000 → 11 × 40,000 + 100,000 = 540,000
    const load = constant(1000);
    load[31 * 24 + 100] = 2500;
    const bill = monthlyBills(load, input(FLAT, { twoPart: { kind: 'demand', cnyPerKwMonth: 40 } }), 2025);
    expectClose(bill.months[1].capacityChargeCny, 100_000, { abs: 1e-9 });
    expectClose(bill.capacityChargeCny, 540_000, { abs: 1e-9 });
  });

  it('a delivered direct-trade price replaces energy, T&D, funds and TOU', () => {
    // Gansu 0.28 CNY/kWh delivered (facts.md §4, B): 1,000 kW × 8,760 h × 0.28 = 2,452,800
    const bill = monthlyBills(
      constant(1000),
      input(cal('gansu-2021'), { tdCnyPerKwh: 0.1, incentive: { kind: 'delivered-price', cnyPerKwh: 0.28 } }),
      2025,
    );
    expectClose(bill.totalCny, 2_452_800, { rel: 1e-12 });
  });

  it('T&D is added flat unless TOU applies to energy + T&D; discounts and caps act on the per-kWh price', () => {
    const gansu = cal('gansu-2021');
    // peak hour 07:00: energy 0.3078 × 1.5 + T&D 0.1 = 0.5617; with TOU on both: (0.3078 + 0.1) × 1.5 = 0.6117
    expectClose(hourlyPriceCnyPerKwh(input(gansu, { tdCnyPerKwh: 0.1 }), 2025)[7], 0.5617, { abs: 1e-12 });
    expectClose(
      hourlyPriceCnyPerKwh(input(gansu, { tdCnyPerKwh: 0.1, touAppliesTo: 'energy+td' }), 2025)[7],
      0.6117,
      {
        abs: 1e-12,
      },
    );
    expectClose(
      hourlyPriceCnyPerKwh(input(gansu, { incentive: { kind: 'discount', fraction: 0.1 } }), 2025)[7],
      0.41553,
      {
        abs: 1e-12,
      },
    );
    expectClose(
      hourlyPriceCnyPerKwh(input(gansu, { incentive: { kind: 'cap', cnyPerKwh: 0.4 } }), 2025)[7],
      0.4,
      { abs: 1e-12 },
    );
  });

  it('Hubei draft: critical 18–20 in March but 20–22 in July, at 2.0 × flat in July', () => {
    const p = hourlyPeriods(cal('hubei-2024-draft'), 2025);
    const mar = 59 * 24; // 1 March 00:00
    const jul = 181 * 24; // 1 July 00:00
    expect([p[mar + 18], p[mar + 19], p[mar + 20]]).toEqual([CRITICAL, CRITICAL, PEAK]);
    expect([p[jul + 18], p[jul + 20], p[jul + 21], p[jul + 22]]).toEqual([PEAK, CRITICAL, CRITICAL, PEAK]);
    const prices = hourlyPriceCnyPerKwh(
      input(cal('hubei-2024-draft'), { energyPriceCnyPerKwh: 0.4161 }),
      2025,
    );
    expectClose(prices[jul + 20], 0.8322, { abs: 1e-12 }); // 0.4161 × 2.0 (July override)
    expectClose(prices[mar + 18], 0.74898, { abs: 1e-12 }); // 0.4161 × 1.8
    expectClose(prices[jul + 3], 0.187245, { abs: 1e-12 }); // valley 0.4161 × 0.45 in July
  });

  it('Henan 2024: critical hours only in January/December (17–18) and July/August (20–23)', () => {
    const p = hourlyPeriods(cal('henan-2024'), 2025);
    const critPerDay = (dayOfYear: number) =>
      [...p.slice(dayOfYear * 24, dayOfYear * 24 + 24)].filter((x) => x === CRITICAL).length;
    expect(critPerDay(0)).toBe(1); // January
    expect(critPerDay(59)).toBe(0); // March
    expect(critPerDay(181)).toBe(3); // July
    expect(critPerDay(334)).toBe(1); // December
    // March–May adds a midday valley 11–14
    expect(p[59 * 24 + 12]).toBe(VALLEY);
    expect(p[0 * 24 + 12]).toBe(1);
  });

  it('escalates by a rate or a schedule held after its last year', () => {
    // 1.02² = 1.0404
    expectClose(escalationFactor({ kind: 'rate', ratePerYear: 0.02, baseYear: 2025 }, 2027), 1.0404, {
      abs: 1e-12,
    });
    const s = { kind: 'schedule' as const, factors: { '2026': 1.1, '2028': 1.2 } };
    expect([2025, 2026, 2027, 2028, 2035].map((y) => escalationFactor(s, y))).toEqual([
      1, 1.1, 1.1, 1.2, 1.2,
    ]);
  });

  it('rejects an invalid calendar with one line naming the cell', () => {
    const bad = structuredClone(FLAT);
    bad.weekday[3][7] = 9;
    expect(() => validateCalendar(bad)).toThrow('tariff.flat.weekday[3][7]: period must be 0–3');
    expect(() => validateCalendar({ ...FLAT, weekday: [[1]] })).toThrow(
      'tariff.flat.weekday: must have 12 months',
    );
    const crit = structuredClone(FLAT);
    crit.weekday[0][0] = 3;
    expect(() => validateCalendar(crit)).toThrow(
      'tariff.flat.weekday[0][0]: critical period needs ratios.critical',
    );
  });
});

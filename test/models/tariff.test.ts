import { describe, expect, it } from 'vitest';
import {
  CRITICAL,
  escalationFactor,
  FLAT,
  hourlyPeriods,
  hourlyPriceCnyPerKwh,
  monthlyBills,
  PEAK,
  periodRatio,
  type TariffCalendar,
  type TariffInput,
  VALLEY,
  validateCalendar,
} from '../../models/tariff.ts';
import { SEEDS } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

const cal = (id: string) => SEEDS.tariffs.find((t) => t.id === id)!;
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
const ALL_FLAT: TariffCalendar = {
  id: 'flat',
  province: 'test',
  label: 'flat',
  effectiveFrom: '2000',
  status: 'in-force',
  weekday: Array.from({ length: 12 }, () => new Array(24).fill(FLAT)),
  ratios: { valley: 0.5, flat: 1, peak: 1.5 },
  sources: [],
};
const constant = (kw: number) => new Float64Array(8760).fill(kw);
/** Hour index of 00:00 on the first day of month m (1–12) in a 365-day year. */
const monthStart = (m: number) => [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][m - 1] * 24;
/** Count of each period code in one day starting at hour `h0`. */
const dayCounts = (p: Uint8Array, h0: number) => {
  const n = [0, 0, 0, 0];
  for (let i = 0; i < 24; i++) n[p[h0 + i]]++;
  return n;
};

describe('tariff: bills', () => {
  it('a flat tariff bills price × energy plus the capacity charge kVA × rate × 12', () => {
    // energy 0.4 + T&D 0.1 = 0.5 CNY/kWh: 1,000 kW × 8,760 h × 0.5 = 4,380,000 CNY;
    // capacity 2,000 kVA × 25 CNY/kVA·month × 12 = 600,000 CNY; total 4,980,000 CNY
    const bill = monthlyBills(
      constant(1000),
      input(ALL_FLAT, {
        energyPriceCnyPerKwh: 0.4,
        tdCnyPerKwh: 0.1,
        twoPart: { kind: 'capacity', kva: 2000, cnyPerKvaMonth: 25 },
      }),
      2025,
    );
    expectClose(bill.energyKwh, 8_760_000, { rel: 1e-12 });
    expectClose(bill.energyChargeCny, 4_380_000, { rel: 1e-12 });
    expectClose(bill.capacityChargeCny, 600_000, { rel: 1e-12 });
    expectClose(bill.totalCny, 4_980_000, { rel: 1e-12 });
    // 4,980,000 / 8,760,000 = 0.568493150684… CNY/kWh
    expectClose(bill.averagePriceCnyPerKwh, 4_980_000 / 8_760_000, { rel: 1e-12 });
    expectClose(bill.months[1].capacityChargeCny, 50_000, { abs: 1e-9 }); // 2,000 × 25
    expectClose(bill.months[1].energyKwh, 672_000, { abs: 1e-6 }); // 28 d × 24 h × 1,000 kW
  });

  it('a constant 1,000 kW load in January under Gansu TOU costs 31 days × 24 price-hours × 0.3078', () => {
    // per day: 8 h × 1.5 + 8 h × 1 + 8 h × 0.5 = 24 price-hours → 1,000 kW × 24 × 0.3078 = 7,387.2 CNY/day;
    // January: 31 × 7,387.2 = 229,003.2 CNY for 31 × 24,000 = 744,000 kWh, 248,000 kWh in each period
    const jan = monthlyBills(constant(1000), input(cal('gansu-2021')), 2025).months[0];
    expectClose(jan.energyKwh, 744_000, { rel: 1e-12 });
    expectClose(jan.energyChargeCny, 229_003.2, { abs: 1e-6 });
    expect(jan.kwhByPeriod).toEqual([248_000, 248_000, 248_000, 0]);
  });

  it('a load running only in Gansu peak hours pays 1.5 × the flat price', () => {
    // January: 8 peak hours × 31 days × 1,000 kW = 248,000 kWh × (0.3078 × 1.5 = 0.4617) = 114,501.6 CNY
    const periods = hourlyPeriods(cal('gansu-2021'), 2025);
    const load = new Float64Array(8760).map((_, h) => (periods[h] === PEAK ? 1000 : 0));
    expectClose(monthlyBills(load, input(cal('gansu-2021')), 2025).months[0].energyChargeCny, 114_501.6, {
      abs: 1e-6,
    });
  });

  it('a demand charge bills each month’s peak hourly kW', () => {
    // 1,000 kW all year, one February hour at 2,500 kW; 40 CNY/kW·month:
    // February 2,500 × 40 = 100,000; other months 1,000 × 40 = 40,000 → 11 × 40,000 + 100,000 = 540,000
    const load = constant(1000);
    load[monthStart(2) + 100] = 2500;
    const bill = monthlyBills(
      load,
      input(ALL_FLAT, { twoPart: { kind: 'demand', cnyPerKwMonth: 40 } }),
      2025,
    );
    expect(bill.months[1].peakKw).toBe(2500);
    expect(bill.months[0].peakKw).toBe(1000);
    expectClose(bill.months[1].capacityChargeCny, 100_000, { abs: 1e-9 });
    expectClose(bill.capacityChargeCny, 540_000, { abs: 1e-9 });
  });

  it('a delivered direct-trade price replaces energy, T&D, funds and TOU', () => {
    // Gansu 0.28 CNY/kWh delivered (facts.md §4, B): 1,000 kW × 8,760 h × 0.28 = 2,452,800 CNY,
    // whatever the T&D (0.1) and funds (0.02) given
    const bill = monthlyBills(
      constant(1000),
      input(cal('gansu-2021'), {
        tdCnyPerKwh: 0.1,
        fundsCnyPerKwh: 0.02,
        incentive: { kind: 'delivered-price', cnyPerKwh: 0.28 },
      }),
      2025,
    );
    expectClose(bill.totalCny, 2_452_800, { rel: 1e-12 });
    // the period split is still reported: 8 h of each period a day in Gansu → 2,920,000 kWh each
    expect(bill.months.reduce((s, m) => s + m.kwhByPeriod[PEAK], 0)).toBe(2_920_000);
  });

  it('T&D is added flat unless TOU applies to energy + T&D; funds are never multiplied', () => {
    const gansu = cal('gansu-2021');
    // peak hour 07:00: 0.3078 × 1.5 + 0.1 + 0.02 = 0.5817; with TOU on both: (0.3078 + 0.1) × 1.5 + 0.02 = 0.6317
    const over = { tdCnyPerKwh: 0.1, fundsCnyPerKwh: 0.02 };
    expectClose(hourlyPriceCnyPerKwh(input(gansu, over), 2025)[7], 0.5817, { abs: 1e-12 });
    expectClose(hourlyPriceCnyPerKwh(input(gansu, { ...over, touAppliesTo: 'energy+td' }), 2025)[7], 0.6317, {
      abs: 1e-12,
    });
    // valley hour 02:00 with TOU on both: (0.3078 + 0.1) × 0.5 + 0.02 = 0.2239
    expectClose(hourlyPriceCnyPerKwh(input(gansu, { ...over, touAppliesTo: 'energy+td' }), 2025)[2], 0.2239, {
      abs: 1e-12,
    });
  });

  it('a discount scales the all-in per-kWh price and a cap limits it', () => {
    const gansu = cal('gansu-2021');
    // peak: 0.4617 × (1 − 0.1) = 0.41553; cap 0.4 binds at peak (0.4617) but not at flat (0.3078)
    const disc = hourlyPriceCnyPerKwh(input(gansu, { incentive: { kind: 'discount', fraction: 0.1 } }), 2025);
    expectClose(disc[7], 0.41553, { abs: 1e-12 });
    const cap = hourlyPriceCnyPerKwh(input(gansu, { incentive: { kind: 'cap', cnyPerKwh: 0.4 } }), 2025);
    expectClose(cap[7], 0.4, { abs: 1e-12 });
    expectClose(cap[0], 0.3078, { abs: 1e-12 });
  });

  it('precomputed prices and periods give the same bill, and the months add up to the year', () => {
    const inp = input(cal('hubei-2024-draft'), { energyPriceCnyPerKwh: 0.4161 });
    const load = new Float64Array(8760).map((_, h) => 800 + 200 * Math.sin((2 * Math.PI * h) / 24));
    const a = monthlyBills(load, inp, 2025);
    const periods = hourlyPeriods(inp.calendar, 2025);
    const b = monthlyBills(load, inp, 2025, hourlyPriceCnyPerKwh(inp, 2025, periods), periods);
    expect(b).toEqual(a);
    // Σ months = year; Σ periods = month energy (same numbers, regrouped)
    expectClose(
      a.months.reduce((s, m) => s + m.totalCny, 0),
      a.totalCny,
      { rel: 1e-12 },
    );
    for (const m of a.months)
      expectClose(
        m.kwhByPeriod.reduce((s, x) => s + x, 0),
        m.energyKwh,
        { rel: 1e-12 },
      );
  });
});

describe('tariff: seeded calendars', () => {
  it('every seeded calendar validates and sources its periods and ratios', () => {
    for (const c of SEEDS.tariffs) {
      validateCalendar(c);
      const fields = c.sources.map((s) => s.field);
      expect(fields, c.id).toContain('weekday');
      expect(
        fields.some((f) => f.startsWith('ratios')),
        c.id,
      ).toBe(true);
      expect(c.referenceEnergyPrice.grade, c.id).toBe('B');
    }
    // coal benchmarks, facts.md §4 (B)
    expect(cal('gansu-2021').referenceEnergyPrice.value).toBe(0.3078);
    expect(cal('hubei-2024-draft').referenceEnergyPrice.value).toBe(0.4161);
    expect(cal('henan-2024').referenceEnergyPrice.value).toBe(0.3779);
  });

  it('Gansu has 8 peak, 8 flat and 8 valley hours a day (07–09 & 18–24 peak; 02–04 & 11–17 valley)', () => {
    // facts.md §4 (Lanzhou Evening News 2020-12-02): peak 07–09 (2 h) + 18–24 (6 h) = 8 h;
    // valley 02–04 (2 h) + 11–17 (6 h) = 8 h; flat the other 24 − 16 = 8 h
    const p = hourlyPeriods(cal('gansu-2021'), 2025);
    for (let m = 1; m <= 12; m++) expect(dayCounts(p, monthStart(m))).toEqual([8, 8, 8, 0]);
    expect([p[7], p[8], p[18], p[23]]).toEqual([PEAK, PEAK, PEAK, PEAK]);
    expect([p[2], p[3], p[11], p[16]]).toEqual([VALLEY, VALLEY, VALLEY, VALLEY]);
    expect([p[0], p[1], p[4], p[6], p[9], p[10], p[17]]).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('Henan 2022 has peak 10–14 & 17–21 and valley 23–07 (8 h each)', () => {
    // 豫发改价管〔2022〕867号 (facts.md §4): peak 4 + 4 = 8 h; valley 1 (23–24) + 7 (00–07) = 8 h; flat 8 h
    const p = hourlyPeriods(cal('henan-2022'), 2025);
    expect(dayCounts(p, 0)).toEqual([8, 8, 8, 0]);
    expect([p[10], p[13], p[17], p[20], p[21], p[23], p[6], p[7]]).toEqual([2, 2, 2, 2, 1, 0, 0, 1]);
  });

  it('Hubei draft: critical 18–20 in March but 20–22 in July, at 2.0 × flat in July', () => {
    const p = hourlyPeriods(cal('hubei-2024-draft'), 2025);
    const mar = monthStart(3);
    const jul = monthStart(7);
    expect([p[mar + 18], p[mar + 19], p[mar + 20]]).toEqual([CRITICAL, CRITICAL, PEAK]);
    expect([p[jul + 18], p[jul + 20], p[jul + 21], p[jul + 22]]).toEqual([PEAK, CRITICAL, CRITICAL, PEAK]);
    // both: critical 2 h, peak 2 + 4 (Jul: 4 + 2) = 6 h, flat 1 + 5 + 2 = 8 h, valley 6 + 2 = 8 h
    expect(dayCounts(p, mar)).toEqual([8, 8, 6, 2]);
    expect(dayCounts(p, jul)).toEqual([8, 8, 6, 2]);
    const prices = hourlyPriceCnyPerKwh(
      input(cal('hubei-2024-draft'), { energyPriceCnyPerKwh: 0.4161 }),
      2025,
    );
    expectClose(prices[jul + 20], 0.8322, { abs: 1e-12 }); // 0.4161 × 2.0 (July override)
    expectClose(prices[mar + 18], 0.74898, { abs: 1e-12 }); // 0.4161 × 1.8
    expectClose(prices[jul + 3], 0.187245, { abs: 1e-12 }); // valley 0.4161 × 0.45 in July
    expectClose(prices[mar + 3], 0.199728, { abs: 1e-12 }); // valley 0.4161 × 0.48 in March
    expect(periodRatio(cal('hubei-2024-draft'), 12, CRITICAL)).toBe(2);
    expect(cal('hubei-2024-draft').status).toBe('draft');
  });

  it('Hubei draft: a constant 1,000 kW load costs 24.54 price-hours a day in July and 24.38 in March', () => {
    // July: 2 × 2.0 + 6 × 1.49 + 8 × 1 + 8 × 0.45 = 4 + 8.94 + 8 + 3.6 = 24.54 → 31 × 24.54 × 416.1 = 316,543.914 CNY
    // March: 2 × 1.8 + 6 × 1.49 + 8 × 1 + 8 × 0.48 = 3.6 + 8.94 + 8 + 3.84 = 24.38 → 31 × 24.38 × 416.1 = 314,480.058 CNY
    const bill = monthlyBills(
      constant(1000),
      input(cal('hubei-2024-draft'), { energyPriceCnyPerKwh: 0.4161 }),
      2025,
    );
    expectClose(bill.months[6].energyChargeCny, 316_543.914, { abs: 1e-6 });
    expectClose(bill.months[2].energyChargeCny, 314_480.058, { abs: 1e-6 });
  });

  it('Henan 2024: critical hours only in January/December (17–18) and July/August (20–23)', () => {
    const p = hourlyPeriods(cal('henan-2024'), 2025);
    const crit = (m: number) => dayCounts(p, monthStart(m))[CRITICAL];
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(crit)).toEqual([1, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 1]);
    expect(p[monthStart(1) + 17]).toBe(CRITICAL);
    expect(p[monthStart(7) + 17]).toBe(PEAK);
    expect([20, 21, 22, 23].map((h) => p[monthStart(7) + h])).toEqual([CRITICAL, CRITICAL, CRITICAL, PEAK]);
    // March–May and Sep–Nov add a midday valley 11–14: 6 + 3 = 9 valley hours; January has 6
    expect(dayCounts(p, monthStart(3))).toEqual([9, 7, 8, 0]);
    expect(dayCounts(p, monthStart(1))).toEqual([6, 10, 7, 1]);
  });

  it('Henan 2024 seeds the 2022 valley ratio as a labelled assumption', () => {
    const h24 = cal('henan-2024');
    expect(h24.ratios.valley).toBe(cal('henan-2022').ratios.valley); // 0.41 (豫发改价管〔2022〕867号)
    expect(h24.sources.find((s) => s.field === 'ratios.valley')!.grade).toBe('assumption');
    expect(h24.sources.find((s) => s.field === 'ratios.critical')!.grade).toBe('assumption');
    expect(h24.sources.find((s) => s.field === 'ratios.peak')!.grade).toBe('B');
    // July constant 1,000 kW: 6 × 0.41 + 10 × 1 + 5 × 1.69 + 3 × 2.028 = 2.46 + 10 + 8.45 + 6.084 = 26.994
    // price-hours a day → 31 × 26.994 × 377.9 = 316,232.0106 CNY
    const jul = monthlyBills(constant(1000), input(h24, { energyPriceCnyPerKwh: 0.3779 }), 2025).months[6];
    expectClose(jul.energyChargeCny, 316_232.0106, { abs: 1e-6 });
  });

  it('the incentives seed holds the Gansu 0.28 delivered price and cites the policy documents by number and source id', () => {
    const inc = SEEDS.incentives;
    const g = inc.find((i) => i.id === 'gansu-delivered-0.28')!;
    expect(g).toMatchObject({ kind: 'delivered-price', cnyPerKwh: 0.28, grade: 'B' });
    expect(inc.find((i) => i.id === 'gansu-large-industry')!.source).toContain('[gansu-2015-119]');
    expect(inc.find((i) => i.id === 'hubei-direct-supply')!.source).toContain('[hubei-2016-cloud]');
  });
});

describe('tariff: calendars and escalation', () => {
  it('a weekend matrix applies on Saturdays and Sundays only', () => {
    // 1 Jan 2025 is a Wednesday, so 4–5 Jan are Saturday–Sunday; 2025 has 52 Saturdays and 52 Sundays
    // (365 = 52 × 7 + 1, the extra day a Wednesday) → 104 × 24 = 2,496 weekend hours
    const wk: TariffCalendar = {
      ...ALL_FLAT,
      weekend: Array.from({ length: 12 }, () => new Array(24).fill(VALLEY)),
    };
    const p = hourlyPeriods(wk, 2025);
    expect([p[2 * 24], p[3 * 24], p[4 * 24 + 23], p[5 * 24]]).toEqual([FLAT, VALLEY, VALLEY, FLAT]);
    expect(p.filter((x) => x === VALLEY).length).toBe(2496);
  });

  it('escalates by a compound rate or by a schedule held after its last year', () => {
    // 1.02² = 1.0404; one year before the base: 1 / 1.02
    const rate = { kind: 'rate' as const, ratePerYear: 0.02, baseYear: 2025 };
    expectClose(escalationFactor(rate, 2027), 1.0404, { abs: 1e-12 });
    expectClose(escalationFactor(rate, 2024), 1 / 1.02, { abs: 1e-12 });
    const s = { kind: 'schedule' as const, factors: { '2028': 1.2, '2026': 1.1 } };
    expect([2025, 2026, 2027, 2028, 2035].map((y) => escalationFactor(s, y))).toEqual([
      1, 1.1, 1.1, 1.2, 1.2,
    ]);
    expect(escalationFactor({ kind: 'none' }, 2040)).toBe(1);
  });

  it('rejects an invalid calendar with one line naming the cell or ratio', () => {
    const bad = structuredClone(ALL_FLAT);
    bad.weekday[3][7] = 9;
    expect(() => validateCalendar(bad)).toThrow('tariff.flat.weekday[3][7]: period must be 0–3');
    expect(() => validateCalendar({ ...ALL_FLAT, weekday: [[1]] })).toThrow(
      'tariff.flat.weekday: must have 12 months',
    );
    const short = structuredClone(ALL_FLAT);
    short.weekday[11] = [1, 1];
    expect(() => validateCalendar(short)).toThrow('tariff.flat.weekday[11]: must have 24 hours');
    const crit = structuredClone(ALL_FLAT);
    crit.weekday[0][0] = CRITICAL;
    expect(() => validateCalendar(crit)).toThrow(
      'tariff.flat.weekday[0][0]: critical period needs ratios.critical',
    );
    expect(() => validateCalendar({ ...ALL_FLAT, ratios: { valley: 1.2, flat: 1, peak: 1.5 } })).toThrow(
      'tariff.flat.ratios.valley: must be in (0, 1]',
    );
    expect(() => validateCalendar({ ...ALL_FLAT, monthRatios: { 7: { peak: 0.9 } } })).toThrow(
      'tariff.flat.monthRatios.7.peak: must be in [1, 10)',
    );
    expect(() =>
      validateCalendar({ ...ALL_FLAT, monthRatios: { 13: { peak: 2 } } as TariffCalendar['monthRatios'] }),
    ).toThrow('tariff.flat.monthRatios.13: month must be 1–12');
    expect(() => validateCalendar({ ...ALL_FLAT, status: 'final' as 'draft' })).toThrow(
      'tariff.flat.status: must be one of in-force, superseded, draft',
    );
  });

  it('a bill of the wrong length is refused with one line', () => {
    expect(() => monthlyBills(new Float64Array(10), input(ALL_FLAT), 2025)).toThrow(
      'gridKw: must have 8760 hours',
    );
  });
});

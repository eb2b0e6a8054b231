import { describe, expect, it } from 'vitest';
import {
  CRITICAL,
  escalationFactor,
  FLAT,
  hourlyPeriods,
  hourlyPriceCnyPerKwh,
  type MonthTariff,
  monthlyBills,
  PEAK,
  type PriceComponent,
  type PriceComponents,
  periodPrice,
  periodRatio,
  secondPart,
  type TariffCalendar,
  type TariffInput,
  tariffPeriods,
  VALLEY,
  validateCalendar,
} from '../../models/tariff.ts';
import { calendarAt, datedAt, monthStart as isoMonth, type TariffBook } from '../../models/tariff-book.ts';
import { engineReference, SEEDS } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

const cal = (id: string) => SEEDS.tariffs.find((t) => t.id === id)!;
const ZERO: PriceComponents = { energy: 0, lineLoss: 0, td: 0, systemOperation: 0, funds: 0 };
/** Twelve months of one calendar and one set of components. */
const input = (
  calendar: TariffCalendar,
  components: Partial<PriceComponents> = { energy: 0.3078 },
  over: Partial<TariffInput> = {},
  floats: PriceComponent[] = ['energy'],
): TariffInput => ({
  months: Array.from(
    { length: 12 },
    (): MonthTariff => ({ calendar, components: { ...ZERO, ...components }, floats }),
  ),
  twoPart: { kind: 'none' },
  incentive: { kind: 'none' },
  ...over,
});
const ALL_FLAT: TariffCalendar = {
  id: 'flat',
  province: 'test',
  label: 'flat',
  effectiveFrom: '2000-01-01',
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
const rate12 = (v: number) => new Array(12).fill(v);

describe('tariff: bills', () => {
  it('a flat tariff bills the sum of its components × energy, and a capacity charge kVA × rate × 12', () => {
    // energy 0.4 + T&D 0.1 = 0.5 CNY/kWh: 1,000 kW × 8,760 h × 0.5 = 4,380,000 CNY; capacity 4,000 kVA ×
    // 25 CNY/kVA·month × 12 = 1,200,000 CNY (744,000 kWh / 4,000 kVA = 186 kWh/kVA < 260: no 90 % rule)
    const bill = monthlyBills(
      constant(1000),
      input(
        ALL_FLAT,
        { energy: 0.4, td: 0.1 },
        { twoPart: { kind: 'capacity', kva: 4000, cnyPerKvaMonth: rate12(25) } },
      ),
      2025,
    );
    expectClose(bill.energyKwh, 8_760_000, { rel: 1e-12 });
    expectClose(bill.energyChargeCny, 4_380_000, { rel: 1e-12 });
    expectClose(bill.componentsCny.energy, 3_504_000, { rel: 1e-12 }); // 8,760,000 × 0.4
    expectClose(bill.componentsCny.td, 876_000, { rel: 1e-12 }); // 8,760,000 × 0.1
    expectClose(bill.capacityChargeCny, 1_200_000, { rel: 1e-12 });
    expectClose(bill.totalCny, 5_580_000, { rel: 1e-12 });
    expectClose(bill.averagePriceCnyPerKwh, 5_580_000 / 8_760_000, { rel: 1e-12 });
    expect(bill.months[1].highLoadRate).toBe(false);
  });

  it('a constant 1,000 kW load in January under Gansu 2021 TOU costs 31 days × 24 price-hours × 0.3078', () => {
    // per day: 8 h × 1.5 + 8 h × 1 + 8 h × 0.5 = 24 price-hours → 1,000 kW × 24 × 0.3078 = 7,387.2 CNY/day;
    // January: 31 × 7,387.2 = 229,003.2 CNY for 31 × 24,000 = 744,000 kWh, 248,000 kWh in each period
    const jan = monthlyBills(constant(1000), input(cal('gansu-2021')), 2025).months[0];
    expectClose(jan.energyKwh, 744_000, { rel: 1e-12 });
    expectClose(jan.energyChargeCny, 229_003.2, { abs: 1e-6 });
    expect(jan.kwhByPeriod).toEqual([248_000, 248_000, 248_000, 0]);
  });

  it('a load running only in Gansu 2021 peak hours pays 1.5 × the flat price', () => {
    // January: 8 peak hours × 31 days × 1,000 kW = 248,000 kWh × (0.3078 × 1.5 = 0.4617) = 114,501.6 CNY
    const periods = hourlyPeriods(cal('gansu-2021'), 2025);
    const load = new Float64Array(8760).map((_, h) => (periods[h] === PEAK ? 1000 : 0));
    expectClose(monthlyBills(load, input(cal('gansu-2021')), 2025).months[0].energyChargeCny, 114_501.6, {
      abs: 1e-6,
    });
  });

  it('a month of a two-part 1–10 kV Hubei customer, worked by hand: demand charge at 90 %', () => {
    // State Grid Hubei, January 2026, two-part 1–10 kV: agency 0.384470 + line loss 0.013643 (base 0.398113,
    // floating) + T&D 0.1263 + system operation 0.082273 + funds 0.0452 (flat 0.253773); January ratios
    // critical 2.0, peak 1.49, valley 0.45 (鄂发改价管〔2024〕77号 hours: critical 18–20, peak 16–18 & 20–24,
    // flat 06–12 & 14–16, valley 00–06 & 12–14). Prices: critical 0.796226 + 0.253773 = 1.049999; peak
    // 0.59318837 + 0.253773 = 0.84696137; flat 0.651886; valley 0.17915085 + 0.253773 = 0.43292385.
    // Load 5,000 kW every hour of January, 6,200 kW at 10:00 on 15 January (a flat hour).
    // kWh: 5,000 × 744 + 1,200 = 3,721,200. A day at 5,000 kW: 5,000 × (2 × 1.049999 + 6 × 0.84696137 +
    // 8 × 0.651886 + 8 × 0.43292385) = 5,000 × 15.86024502 = 79,301.2251; × 31 = 2,458,337.9781; the extra
    // 1,200 kWh × 0.651886 = 782.2632 → energy charge 2,459,120.2413 CNY.
    // Contract 10,000 kVA: 3,721,200 / 10,000 = 372.12 kWh/kVA ≥ 260 → 90 %; billed demand max(6,200,
    // 40 % × 10,000 = 4,000) = 6,200 kW × 42 × 0.9 = 234,360 CNY. Month: 2,693,480.2413 CNY.
    const c = { energy: 0.38447, lineLoss: 0.013643, td: 0.1263, systemOperation: 0.082273, funds: 0.0452 };
    const load = constant(5000);
    load[14 * 24 + 10] = 6200;
    const bill = monthlyBills(
      load,
      input(cal('hubei-2024'), c, { twoPart: { kind: 'demand', kva: 10_000, cnyPerKwMonth: rate12(42) } }, [
        'energy',
        'lineLoss',
      ]),
      2026,
    );
    const jan = bill.months[0];
    expectClose(jan.energyKwh, 3_721_200, { abs: 1e-6 });
    expectClose(jan.energyChargeCny, 2_459_120.2413, { abs: 1e-3 });
    expect(jan.highLoadRate).toBe(true);
    expect(jan.billedDemand).toBe(6200);
    expectClose(jan.capacityChargeCny, 234_360, { abs: 1e-6 });
    expectClose(jan.totalCny, 2_693_480.2413, { abs: 1e-3 });
    // The lines add up to the energy charge: flat parts on kWh, floating parts on ratio-weighted kWh.
    const lines = Object.values(jan.componentsCny).reduce((a, b) => a + b, 0);
    expectClose(lines, jan.energyChargeCny, { rel: 1e-12 });
    expectClose(jan.componentsCny.td, 3_721_200 * 0.1263, { rel: 1e-12 });
  });

  it('the demand charge never bills less than 40 % of the contract, and at full rate below 260 kWh/kVA', () => {
    // 1,000 kW on a 10,000 kVA contract: 744,000 kWh / 10,000 = 74.4 kWh/kVA < 260; billed max(1,000,
    // 4,000) = 4,000 kW × 42 = 168,000 CNY in January (526号: at least 40 % of the contract capacity)
    const s = secondPart({ kind: 'demand', kva: 10_000, cnyPerKwMonth: rate12(42) }, 0, 1000, 744_000);
    expect(s).toEqual({ cny: 168_000, billed: 4000, high: false });
    // capacity: the whole contract, 90 % at 260 kWh/kVA: 10,000 × 26.3 × 0.9 = 236,700
    const c = secondPart({ kind: 'capacity', kva: 10_000, cnyPerKvaMonth: rate12(26.3) }, 0, 0, 2_600_000);
    expectClose(c.cny, 236_700, { abs: 1e-9 });
    expect(c.high).toBe(true);
  });

  it('a delivered price replaces every component and TOU; the bill shows the incentive as its own line', () => {
    // Gansu 0.28 CNY/kWh delivered: 1,000 kW × 8,760 h × 0.28 = 2,452,800 CNY; the components it replaces
    // (0.3 + 0.1 + 0.02, flat) would be 8,760,000 × 0.42 = 3,679,200 → incentive −1,226,400 CNY
    const bill = monthlyBills(
      constant(1000),
      input(
        ALL_FLAT,
        { energy: 0.3, td: 0.1, funds: 0.02 },
        {
          incentive: { kind: 'delivered-price', cnyPerKwh: 0.28 },
        },
      ),
      2025,
    );
    expectClose(bill.totalCny, 2_452_800, { rel: 1e-12 });
    expectClose(bill.incentiveCny, -1_226_400, { rel: 1e-9 });
  });

  it('the components a calendar floats are multiplied by the ratio; the others are charged flat', () => {
    // Gansu 2021 07:00 (peak 1.5): energy 0.3 floating, T&D 0.1 flat → 0.55; floating both → 0.6
    const cal21 = cal('gansu-2021');
    const flatTd = hourlyPriceCnyPerKwh(input(cal21, { energy: 0.3, td: 0.1, funds: 0.02 }), 2025);
    expectClose(flatTd[7], 0.3 * 1.5 + 0.1 + 0.02, { abs: 1e-12 });
    const floating = hourlyPriceCnyPerKwh(
      input(cal21, { energy: 0.3, td: 0.1, funds: 0.02 }, {}, ['energy', 'td']),
      2025,
    );
    expectClose(floating[7], (0.3 + 0.1) * 1.5 + 0.02, { abs: 1e-12 });
  });

  it('a discount scales the all-in per-kWh price and a cap limits it', () => {
    const disc = hourlyPriceCnyPerKwh(
      input(ALL_FLAT, { energy: 0.5 }, { incentive: { kind: 'discount', fraction: 0.1 } }),
      2025,
    );
    expectClose(disc[0], 0.45, { abs: 1e-12 });
    const cap = hourlyPriceCnyPerKwh(
      input(cal('gansu-2021'), { energy: 0.4 }, { incentive: { kind: 'cap', cnyPerKwh: 0.5 } }),
      2025,
    );
    expect(Math.max(...cap)).toBe(0.5); // the peak (0.6) is capped, the flat (0.4) is not
    expect(Math.min(...cap)).toBe(0.2);
  });

  it('precomputed prices and periods give the same bill, and the months add up to the year', () => {
    const inp = input(cal('hubei-2024'), { energy: 0.38, lineLoss: 0.01, td: 0.12 }, {}, [
      'energy',
      'lineLoss',
    ]);
    const load = new Float64Array(8760).map((_, h) => 800 + 400 * Math.sin(h / 7));
    const periods = tariffPeriods(inp, 2026);
    const a = monthlyBills(load, inp, 2026);
    const b = monthlyBills(load, inp, 2026, hourlyPriceCnyPerKwh(inp, 2026, periods), periods);
    expect(b).toEqual(a);
    expectClose(
      a.months.reduce((s, m) => s + m.totalCny, 0),
      a.totalCny,
      { rel: 1e-12 },
    );
  });

  it('the incentives seed holds the Gansu 0.28 delivered price and cites the policy documents by number and source id', () => {
    const inc = SEEDS.incentives;
    const g = inc.find((i) => i.id === 'gansu-delivered-0.28')!;
    expect(g).toMatchObject({ kind: 'delivered-price', cnyPerKwh: 0.28, grade: 'B' });
    expect(inc.find((i) => i.id === 'gansu-large-industry')!.source).toContain('[gansu-2015-119]');
    expect(inc.find((i) => i.id === 'hubei-direct-supply')!.source).toContain('[hubei-2016-cloud]');
  });

  it('a bill of the wrong length is refused with one line', () => {
    expect(() => monthlyBills(new Float64Array(10), input(ALL_FLAT), 2025)).toThrow(
      'gridKw: must have 8760 hours',
    );
  });
});

describe('the State Grid Hubei table of January 2026, rebuilt from its components', () => {
  const book = SEEDS.tariffBooks.find((b) => b.province === 'Hubei')!;
  const published = book.published!.rows;
  const energy = datedAt(book.energy, '2026-01-01').item;
  const td = datedAt(book.td, '2026-01-01').item;
  const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
  const rows = published.map((r) => {
    const t =
      (r.structure === 'two-part' ? td.twoPartCnyPerKwh : td.singlePartCnyPerKwh)[r.voltage] ?? Number.NaN;
    const mt: MonthTariff = {
      calendar: cal('hubei-2024'),
      components: {
        energy: energy.energyCnyPerKwh.value as number,
        lineLoss: energy.lineLossCnyPerKwh.value as number,
        td: t,
        systemOperation: energy.systemOperationCnyPerKwh.value as number,
        funds: td.fundsCnyPerKwh,
      },
      floats: ['energy', 'lineLoss'],
    };
    const p = (period: number) => round6(periodPrice(mt, 1, period));
    return { r, built: { critical: p(CRITICAL), peak: p(PEAK), flat: p(FLAT), valley: p(VALLEY) }, td };
  });

  it('every two-part row to the last published digit (one peak cell aside, as published)', () => {
    // e.g. 1–10 kV flat: 0.384470 + 0.013643 + 0.1263 + 0.082273 + 0.0452 = 0.651886 (the table's figure)
    for (const { r, built } of rows.filter((x) => x.r.structure === 'two-part')) {
      expect(built.flat, `${r.voltage} flat`).toBe(r.flat);
      expect(built.critical, `${r.voltage} critical`).toBe(r.critical);
      expect(built.valley, `${r.voltage} valley`).toBe(r.valley);
      expect(built.flat, `${r.voltage} non-TOU`).toBe(r.nonTou);
      // The table's 1–10 kV peak (0.848961) is 0.002 above the 1.49 × base every other row follows
      // (0.846961): recorded as a published inconsistency in the seed's source.
      if (r.voltage === '1-10kV') expectClose(built.peak, r.peak, { abs: 0.00201 });
      else expect(built.peak, `${r.voltage} peak`).toBe(r.peak);
    }
  });

  it('every single-part row: critical, peak and valley to the last digit; flat 0.0002 above the table, as published', () => {
    for (const { r, built } of rows.filter((x) => x.r.structure === 'single-part')) {
      expect(built.critical, `${r.voltage} critical`).toBe(r.critical);
      expect(built.peak, `${r.voltage} peak`).toBe(r.peak);
      expect(built.valley, `${r.voltage} valley`).toBe(r.valley);
      expectClose(built.flat - r.flat, 0.0002, { abs: 1e-9 });
    }
  });

  it('the demand and capacity charges of every two-part row', () => {
    for (const { r, td: t } of rows.filter((x) => x.r.structure === 'two-part')) {
      expect(t.demandCnyPerKwMonth[r.voltage], r.voltage).toBe(r.demand);
      expect(t.capacityCnyPerKvaMonth[r.voltage], r.voltage).toBe(r.capacity);
    }
  });
});

describe('tariff: the provincial TOU calendars hour by hour against their documents', () => {
  /** A day's periods as a 24-letter string: V valley, F flat, P peak, C critical. */
  const day = (c: TariffCalendar, month: number) => c.weekday[month - 1].map((p) => 'VFPC'[p]).join('');
  /** A day from the document's wording: the hours [from, to) of each period; the rest flat. */
  const fromText = (spec: Partial<Record<'V' | 'P' | 'C', Array<[number, number]>>>) => {
    const h = new Array(24).fill('F');
    for (const [k, ranges] of Object.entries(spec))
      for (const [a, b] of ranges ?? []) for (let i = a; i < b; i++) h[i] = k;
    return h.join('');
  };

  it('Gansu from 2024-08-01 (甘发改价格〔2024〕424号): peak 06–08 & 18–23, valley 10–16, every month', () => {
    const want = fromText({
      P: [
        [6, 8],
        [18, 23],
      ],
      V: [[10, 16]],
    });
    for (let m = 1; m <= 12; m++) expect(day(cal('gansu-2024'), m), `month ${m}`).toBe(want);
    expect(cal('gansu-2024').floats).toEqual(['energy', 'lineLoss']);
  });

  it('Hubei from 2024-05-01 (鄂发改价管〔2024〕77号): critical 18–20 (Jul–Aug 20–22) at 2.0 in Jan, Jul, Aug, Dec', () => {
    const c = cal('hubei-2024');
    const ordinary = fromText({
      C: [[18, 20]],
      P: [
        [16, 18],
        [20, 24],
      ],
      V: [
        [0, 6],
        [12, 14],
      ],
    });
    const summer = fromText({
      C: [[20, 22]],
      P: [
        [16, 20],
        [22, 24],
      ],
      V: [
        [0, 6],
        [12, 14],
      ],
    });
    for (let m = 1; m <= 12; m++)
      expect(day(c, m), `month ${m}`).toBe(m === 7 || m === 8 ? summer : ordinary);
    expect([1, 7, 8, 12].map((m) => periodRatio(c, m, CRITICAL))).toEqual([2, 2, 2, 2]);
    expect([1, 7, 8, 12].map((m) => periodRatio(c, m, VALLEY))).toEqual([0.45, 0.45, 0.45, 0.45]);
    expect([3, 10].map((m) => periodRatio(c, m, CRITICAL))).toEqual([1.8, 1.8]);
  });

  it('Henan from 2024-06-01 (豫发改价管〔2024〕283号): peak 16–24; valley and critical by season; 1.72 : 1 : 0.45', () => {
    const c = cal('henan-2024');
    const winter = fromText({ V: [[0, 7]], P: [[16, 24]], C: [[17, 19]] }); // Jan, Dec
    const feb = fromText({ V: [[0, 7]], P: [[16, 24]] });
    const spring = fromText({
      V: [
        [0, 6],
        [11, 14],
      ],
      P: [[16, 24]],
    }); // Mar–May, Sep–Nov
    const summer = fromText({ V: [[0, 7]], P: [[16, 24]] }); // Jun
    const high = fromText({
      V: [[0, 7]],
      P: [
        [16, 20],
        [23, 24],
      ],
      C: [[20, 23]],
    }); // Jul, Aug
    const want = [winter, feb, spring, spring, spring, summer, high, high, spring, spring, spring, winter];
    for (let m = 1; m <= 12; m++) expect(day(c, m), `month ${m}`).toBe(want[m - 1]);
    expect(c.ratios).toEqual({ valley: 0.45, flat: 1, peak: 1.72, critical: 2.064 });
    expect(c.floats).toEqual(['energy', 'td']);
  });

  it('the calendar in force is chosen by the month: Gansu 2021 to July 2024, 2024 from August', () => {
    const all = SEEDS.tariffs;
    expect(calendarAt(all, 'Gansu', isoMonth(2024, 7))?.item.id).toBe('gansu-2021');
    expect(calendarAt(all, 'Gansu', isoMonth(2024, 8))?.item.id).toBe('gansu-2024');
    expect(calendarAt(all, 'Henan', isoMonth(2024, 5))?.item.id).toBe('henan-2022');
    expect(calendarAt(all, 'Henan', isoMonth(2024, 6))?.item.id).toBe('henan-2024');
    expect(calendarAt(all, 'Hubei', isoMonth(2030, 1))?.item.id).toBe('hubei-2024'); // never the draft
    // before the first calendar, the earliest stands in and says so
    expect(calendarAt(all, 'Gansu', isoMonth(2017, 1))).toMatchObject({ early: true });
  });

  it('the T&D period in force is chosen by the month: the fourth period from 2026-08-01', () => {
    const ref = engineReference();
    const g: TariffBook = ref.tariffBooks.Gansu;
    expect(datedAt(g.td, '2026-07-01').item.id).toBe('gansu-td-2023');
    expect(datedAt(g.td, '2026-08-01').item.id).toBe('gansu-td-2026');
    expect(datedAt(g.td, '2026-08-01').item.twoPartCnyPerKwh['220kV+']).toBe(0.0693);
  });

  it('every seeded calendar validates and sources its periods, ratios and floating components', () => {
    for (const c of SEEDS.tariffs) {
      expect(() => validateCalendar(c)).not.toThrow();
      const fields = new Set(c.sources.map((s) => s.field));
      expect(fields, c.id).toContain('weekday');
      expect(fields, c.id).toContain('floats');
      expect(
        [...fields].some((f) => f.startsWith('ratios')),
        c.id,
      ).toBe(true);
    }
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
    expect(dayCounts(p, monthStart(1))).toEqual([0, 24, 0, 0]);
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
    const crit = structuredClone(ALL_FLAT);
    crit.weekday[0][0] = CRITICAL;
    expect(() => validateCalendar(crit)).toThrow(
      'tariff.flat.weekday[0][0]: critical period needs ratios.critical',
    );
    expect(() => validateCalendar({ ...ALL_FLAT, ratios: { valley: 1.2, flat: 1, peak: 1.5 } })).toThrow(
      'tariff.flat.ratios.valley: must be in (0, 1]',
    );
    expect(() => validateCalendar({ ...ALL_FLAT, status: 'final' as 'draft' })).toThrow(
      'tariff.flat.status: must be one of in-force, superseded, draft',
    );
  });
});

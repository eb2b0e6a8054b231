import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { all } from 'mathjs';
import { describe, expect, it } from 'vitest';
import {
  compileQuantity,
  createQuantityMath,
  evaluateQuantity,
  type QuantityCompiler,
  type QuantityInput,
  quantityCompiler,
} from '../../models/quantity.ts';
import { PROPERTY_RUNS, PROPERTY_SEED } from '../helpers/fuzz.ts';
import { expectClose } from '../helpers/tolerance.ts';

describe('scenario quantities', () => {
  it('a plain number is taken in the field unit and does not depend on the year', () => {
    const q = compileQuantity(0.65, '', 'occupancy');
    expect(q.constant).toBe(true);
    expect(q.at(2030)).toBe(0.65);
  });

  it('a number with a unit converts to the field unit', () => {
    // 10 MW = 10,000 kW; 2 Tbps = 2,000 Gbps; 2.5 kW stays 2.5 kW (SI prefixes).
    expect(compileQuantity('10 MW', 'kW', 'x').at(0)).toBe(10000);
    expect(compileQuantity('2 Tbps', 'Gbps', 'x').at(0)).toBe(2000);
    expect(compileQuantity('2500 W', 'kW', 'x').at(0)).toBe(2.5);
    expect(compileQuantity('0.28 CNY/kWh', 'CNY/kWh', 'x').at(0)).toBe(0.28);
  });

  it('an expression of year is evaluated for each year', () => {
    // Hand calculation: 0.3078 × 1.02² = 0.3078 × 1.0404 = 0.32023512
    const q = compileQuantity('0.3078 * 1.02^(year - 2025)', 'CNY/kWh', 'price');
    expect(q.constant).toBe(false);
    expectClose(q.at(2027), 0.32023512, { abs: 1e-12 });
    expectClose(q.at(2025), 0.3078, { abs: 1e-12 });
    expect(compileQuantity('min(0.65, 0.3 + 0.1 * (year - 2025))', '', 'o').at(2030)).toBe(0.65);
  });

  it('a year schedule interpolates linearly between given years and holds outside them', () => {
    const q = compileQuantity({ '2025': 0.4, '2027': 0.6 }, '', 'occupancy');
    expect(q.at(2020)).toBe(0.4);
    expectClose(q.at(2026), 0.5, { abs: 1e-12 });
    expect(q.at(2040)).toBe(0.6);
  });

  it('refuses anything but arithmetic on year, numbers and units', () => {
    expect(() => compileQuantity('import({}, {})', '', 'f')).toThrow('f: function import is not allowed');
    expect(() => compileQuantity('x + 1', '', 'f')).toThrow('f: unknown symbol "x"');
    expect(() => compileQuantity('a.b', '', 'f')).toThrow('f: expression may not contain AccessorNode');
    expect(() => compileQuantity('f(x) = 1', '', 'f')).toThrow('FunctionAssignmentNode');
    expect(() => compileQuantity('[1, 2]', '', 'f')).toThrow('ArrayNode');
    expect(() => compileQuantity('2 kg', 'kW', 'f')).toThrow('f: cannot convert to kW');
    expect(() => compileQuantity('2 kW', '', 'f')).toThrow('f: expected a plain number');
    expect(() => compileQuantity('1 +', '', 'f')).toThrow('f: cannot parse');
    expect(() => compileQuantity({ '25': 1 }, '', 'f')).toThrow(
      'f: schedule key "25" must be a four-digit year',
    );
  });

  it('evaluateQuantity goes through the same whitelist as compiled expressions (issue 8, point 14)', () => {
    // 2 Tbps = 2,000 Gbps (SI prefixes)
    expect(evaluateQuantity('2 Tbps', 'Gbps')).toBe(2000);
    // Assignment, function definition and non-whitelisted functions must be refused, not evaluated.
    expect(() => evaluateQuantity('x = 5', '')).toThrow(/may not contain AssignmentNode/);
    expect(() => evaluateQuantity('f(a) = a', '')).toThrow(/may not contain FunctionAssignmentNode/);
    expect(() => evaluateQuantity('cos(0)', '')).toThrow(/function cos is not allowed/);
    expect(() => evaluateQuantity('2 * year', '')).toThrow(/depends on year/);
  });
});

/**
 * Issue 9: quantities use a mathjs instance built from only the factories they need (and read plain
 * literals without mathjs) instead of `create(all)`. The same code over mathjs' `all` is the reference:
 * every case below must give the same values in every year, or fail with the same message.
 */
describe('the minimal mathjs instance gives what mathjs with all functions gives', () => {
  const full = quantityCompiler(() => createQuantityMath(all));
  const minimal = quantityCompiler(() => createQuantityMath());
  const YEARS = [2015, 2025, 2030.5, 2040];
  const UNITS = [
    '',
    'kW',
    'kVA',
    'MWh',
    'kWh',
    'Gbps',
    'CNY',
    'CNY/kWh',
    'CNY/kW/month',
    'kg/kWh',
    'h',
    'year',
  ];
  type Outcome = { constant: boolean; values: number[] } | { error: string };
  /**
   * The values in YEARS, or the error. A wrong argument type is reported by typed-function with the
   * type names the instance has registered (`actual: identifier | boolean` with all of mathjs, `actual:
   * number` with fewer types): the same error, so that detail is left out of the comparison.
   */
  const outcome = (c: QuantityCompiler, input: QuantityInput, unit: string): Outcome => {
    try {
      const q = c.compileQuantity(input, unit, 'f');
      return { constant: q.constant, values: YEARS.map((y) => q.at(y)) };
    } catch (e) {
      return {
        error: (e as Error).message.replace(
          /(Unexpected type of argument in function \w+) \(.*\)$/,
          '$1 (…)',
        ),
      };
    }
  };
  /** `Object.is` on each value: −0 and NaN count, and a last-bit difference fails. */
  const expectSame = (input: QuantityInput, unit: string) => {
    const want = outcome(full, input, unit);
    for (const [name, got] of [
      ['minimal instance', outcome(minimal, input, unit)],
      [
        'compileQuantity (literals without mathjs)',
        outcome({ compileQuantity, evaluateQuantity }, input, unit),
      ],
    ] as const) {
      const label = `${name}: ${JSON.stringify(input)} in "${unit}"`;
      if ('error' in want) expect(got, label).toEqual(want);
      else {
        expect('values' in got && got.constant, label).toBe(want.constant);
        if ('values' in got)
          expect(
            got.values.map((v, i) => Object.is(v, want.values[i])),
            label,
          ).not.toContain(false);
      }
    }
  };

  const ROOT = fileURLToPath(new URL('../../', import.meta.url));
  /** Every string in the shipped scenarios that is a quantity (a number, unit or expression). */
  const scenarioStrings = readdirSync(join(ROOT, 'scenarios'))
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      const out: string[] = [];
      const walk = (v: unknown): void => {
        if (typeof v === 'string' && /^[\d(.]|year|min\(|max\(/.test(v) && v.length < 80) out.push(v);
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') Object.values(v).forEach(walk);
      };
      walk(JSON.parse(readFileSync(join(ROOT, 'scenarios', f), 'utf8')));
      return out;
    });

  const CASES = [
    ...scenarioStrings,
    // the cases of the tests above
    '10 MW',
    '2 Tbps',
    '2500 W',
    '0.28 CNY/kWh',
    '0.3078 * 1.02^(year - 2025)',
    'min(0.65, 0.3 + 0.1 * (year - 2025))',
    'import({}, {})',
    'x + 1',
    'a.b',
    'f(x) = 1',
    '[1, 2]',
    '2 kg',
    '2 kW',
    '1 +',
    'x = 5',
    'cos(0)',
    '2 * year',
    // every operator and function of the whitelist, with numbers and units
    '1 + 2 - 3 * 4 / 5 ^ 2',
    '-year + +2025',
    '7 % 3',
    '7 mod 3',
    '50%',
    '2 kW + 500 W',
    '2 MW - 1 kW',
    '3 kW * 2',
    '1 MWh / 2 h',
    '(2 kW)^2 / 1 kW',
    '1 MW to kW',
    '3 GW in MW',
    'year > 2025 ? 2 MW : 1 MW',
    'year >= 2030 and year <= 2035 ? 1 : 0',
    'year < 2020 or year > 2035 ? 1 : 0',
    'year == 2025 xor year != 2030 ? 1 : 0',
    'not (year > 2025) ? 0.4 : 0.65',
    '0 and (2 kW)',
    '1 or (2 kW)',
    '(2 kW) and 1',
    'year > 2030 and sqrt(-1) ? 1 : 0',
    '2 kW > 1500 W ? 1 : 0',
    'max(0.4, min(0.65, 0.1 * (year - 2020)))',
    'max(1 kW, 900 W)',
    'abs(-2 kW)',
    'round(2.567, 2)',
    'round(year / 7)',
    'floor(2.5) + ceil(2.5)',
    'floor(0.9999999999999999)',
    'sqrt(2) * exp(1) / log(10)',
    'log(8, 2)',
    'pow(1.02, year - 2025)',
    'sqrt(-1)',
    'log(0)',
    '1 / 0',
    '0 / 0',
    '(-8)^(1/3)',
    '1.1^(year - 1000)',
    '1e308 * 10',
    '1e400',
    '5e6',
    '0.1 + 0.2',
    '1e-7 kW',
    '123456.789 MWh',
    '0.1 kWh',
    '2.5kW',
    ' 2.5 kW ',
    '2.5\tkW',
    '2.5 kW h',
    '2.5 kw',
    '2.5 min',
    '1 CNY + 2 yuan',
    '3 racks',
    '2 rack',
    '1 bit_per_s',
    'true ? 1 : 0',
    '"2 kW"',
    '2 kW kW',
    'year kW',
    '',
    ' ',
    // operators and functions outside the whitelist: refused before anything is evaluated
    '5!',
    '1 << 2',
    '6 & 3',
    '2 .* 3',
    "2'",
    'null ?? 1',
    '1 < year < 3000',
    'e',
    'pi',
    'sin(1)',
  ];

  it(`${CASES.length} strings, in each of ${UNITS.length} field units: the same values, or the same error`, () => {
    for (const text of CASES) for (const unit of UNITS) expectSame(text, unit);
  });

  it('plain numbers and year schedules: the same values, or the same error', () => {
    for (const unit of UNITS) {
      for (const input of [0, -0, 0.65, 1e-300, Number.NaN, Number.POSITIVE_INFINITY])
        expectSame(input as QuantityInput, unit);
      expectSame({ '2025': '2 MW', '2030': 4000 }, unit);
      expectSame({ '2025': 0.4, '2027': '0.1 * 6' }, unit);
      expectSame({ '2025': 'year' }, unit);
    }
  });

  it('every literal of the table without mathjs ("2.5 kW" in MW, …) is mathjs\' number to the last bit', () => {
    const names = ['W', 'VA', 'Wh', 'bps'].flatMap((u) => ['', 'k', 'M', 'G', 'T'].map((p) => `${p}${u}`));
    // Numbers with many significant digits, tiny and huge, and ones that are not exact in binary.
    const xs = [
      0,
      1,
      2.5,
      0.1,
      0.3,
      1 / 3,
      7.77,
      123.456,
      999999.999,
      1e-9,
      3.3e-5,
      4.2e7,
      1.7e300,
      9.87654321e21,
    ];
    const texts = xs.flatMap((x) => names.map((n) => `${x} ${n}`));
    for (const text of texts) for (const unit of [...names, '', 'CNY']) expectSame(text, unit);
  });

  it('generated expressions of year, numbers and units: the same values, or the same error', () => {
    const num = fc.oneof(
      fc.integer({ min: 0, max: 3000 }).map(String),
      fc.double({ min: 0, max: 1e6, noNaN: true }).map((x) => String(x)),
      fc.constantFrom('0.5', '1.02', '1e-3', '2.5e3', '0'),
    );
    const unit = fc.constantFrom('', ' kW', ' MW', ' W', ' MWh', ' kWh', ' Gbps', ' Tbps', ' h', ' CNY');
    const leaf = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(num, unit).map(([n, u]) => `${n}${u}`) },
      { weight: 2, arbitrary: fc.constant('year') },
      { weight: 1, arbitrary: fc.constant('(year - 2025)') },
    );
    const expr = fc.letrec((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc
          .tuple(
            tie('e'),
            fc.constantFrom('+', '-', '*', '/', '^', '%', '<', '>=', '==', ' and ', ' to kW'),
            tie('e'),
          )
          .map(([a, op, b]) => (op === ' to kW' ? `(${a}) to kW` : `(${a}) ${op} (${b})`)),
        fc
          .tuple(
            fc.constantFrom('min', 'max', 'abs', 'round', 'floor', 'ceil', 'sqrt', 'exp', 'log', 'pow'),
            tie('e'),
            tie('e'),
          )
          .map(([f, a, b]) =>
            ['min', 'max', 'pow', 'log', 'round'].includes(f) ? `${f}(${a}, ${b})` : `${f}(${a})`,
          ),
        fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `(${c}) ? (${a}) : (${b})`),
        tie('e').map((a) => `-(${a})`),
      ),
    })).e as fc.Arbitrary<string>;
    fc.assert(
      fc.property(expr, fc.constantFrom(...UNITS), (text, u) => expectSame(text, u)),
      { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED },
    );
  });

  it('sec, chain and coulomb are units (second, chain, coulomb); with all of mathjs they named a function or a constant', () => {
    // The one difference: these names are both units and members of the full namespace, which
    // resolves a symbol to a member first. None was a valid quantity of any scenario field before.
    expect(compileQuantity('7200 sec', 'h', 'f').at(0)).toBe(2);
    expect(() => full.compileQuantity('7200 sec', 'h', 'f')).toThrow();
  });
});

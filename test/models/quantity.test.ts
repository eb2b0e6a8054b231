import { describe, expect, it } from 'vitest';
import { compileQuantity, evaluateQuantity } from '../../models/quantity.ts';
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

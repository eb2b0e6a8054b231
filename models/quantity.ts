import type { MathJsInstance, MathNode } from 'mathjs';
import { checkExpression, createQuantityMath, literalValue } from './quantity-math.ts';

export { createQuantityMath, QUANTITY_FACTORIES } from './quantity-math.ts';

/**
 * Scenario quantities: a value given as a plain number (in the field's unit), a number with a unit
 * ("2.5 kW", "10 MW", "0.28 CNY/kWh", "2 Tbps"), an expression of `year`
 * ("0.3078 * 1.02^(year - 2025)", "min(0.65, 0.3 + 0.1 * (year - 2025))"), or a year-keyed schedule
 * ({ "2025": 0.4, "2028": 0.65 }: linear interpolation between given years, held flat outside them).
 *
 * Expressions are parsed with mathjs and checked against a whitelist before they are evaluated: only
 * numbers, units, arithmetic, comparisons, conditionals, the symbol `year` and a few pure functions.
 * Nothing else (assignment, property access, function definition, import) can run.
 */
export type QuantityInput = number | string | Record<string, number | string>;

/** A quantity compiled for one field: evaluate it for any simulated year. */
export interface Quantity {
  /** The value in the field's unit for `year`. */
  at(year: number): number;
  /** True when the value does not depend on the year. */
  readonly constant: boolean;
}

/** The two entry points, bound to one mathjs instance. */
export interface QuantityCompiler {
  compileQuantity(input: QuantityInput, unit: string, field: string): Quantity;
  evaluateQuantity(text: string, unit: string): number;
}

/**
 * `compileQuantity` and `evaluateQuantity` over a mathjs instance made by `makeMath` on first need
 * (see `createQuantityMath`). With `literals`, plain literals ("2.5 kW", "5e6") are read without mathjs
 * (`literalValue`), so a run whose quantities are all numbers and literals never builds an instance.
 * The module's own functions use the minimal instance and literals; tests compare them with mathjs' `all`.
 *
 * @example
 * quantityCompiler(() => createQuantityMath()).evaluateQuantity('10 MW', 'kW') // → 10000
 */
export function quantityCompiler(
  makeMath: () => MathJsInstance,
  opts: { literals?: boolean } = {},
): QuantityCompiler {
  let instance: MathJsInstance | undefined;
  const mathjs = (): MathJsInstance => {
    instance ??= makeMath();
    return instance;
  };

  function isUnitName(name: string): boolean {
    try {
      return mathjs().Unit.isValuelessUnit(name);
    } catch {
      return false;
    }
  }

  function compileString(text: string, unit: string, field: string): Quantity {
    if (opts.literals) {
      const v = literalValue(text, unit);
      if (v !== undefined) return { at: () => v, constant: true };
    }
    let node: MathNode;
    try {
      node = mathjs().parse(text);
    } catch (e) {
      throw new Error(`${field}: cannot parse "${text}" (${(e as Error).message})`);
    }
    checkExpression(node, field, isUnitName);
    const code = node.compile();
    let usesYear = false;
    node.traverse((n: MathNode) => {
      if (n.type === 'SymbolNode' && (n as unknown as { name: string }).name === 'year') usesYear = true;
    });
    const evalAt = (year: number): number => {
      let v: unknown;
      try {
        v = code.evaluate({ year });
      } catch (e) {
        throw new Error(`${field}: ${(e as Error).message}`);
      }
      const num = toNumberIn(v, unit, field);
      if (!Number.isFinite(num))
        throw new Error(`${field}: must be a finite number (got ${num}${usesYear ? ` in ${year}` : ''})`);
      return num;
    };
    if (!usesYear) {
      const v = evalAt(0);
      return { at: () => v, constant: true };
    }
    // Probe once so that unit errors surface at compile time, not in the middle of a run.
    evalAt(2025);
    return { at: evalAt, constant: false };
  }

  function compileQuantity(input: QuantityInput, unit: string, field: string): Quantity {
    if (typeof input === 'number') {
      if (!Number.isFinite(input)) throw new Error(`${field}: must be a finite number`);
      return { at: () => input, constant: true };
    }
    if (typeof input === 'string') return compileString(input, unit, field);
    if (input && typeof input === 'object')
      return compileSchedule(input, field, (v, f) => compileQuantity(v, unit, f));
    throw new Error(`${field}: must be a number, a string with a unit or expression, or a year schedule`);
  }

  function evaluateQuantity(text: string, unit: string): number {
    const q = compileString(text, unit, 'value');
    if (!q.constant) throw new Error('value: depends on year; give a constant');
    return q.at(0);
  }

  return { compileQuantity, evaluateQuantity };
}

/**
 * A year schedule ({ "2025": 0.4, "2028": 0.65 }): linear between the given years, held flat outside;
 * each value is compiled by `compileOne` and may not depend on the year.
 */
function compileSchedule(
  input: Record<string, number | string>,
  field: string,
  compileOne: (value: number | string, field: string) => Quantity,
): Quantity {
  const years = Object.keys(input);
  if (years.length === 0) throw new Error(`${field}: a year schedule needs at least one year`);
  const points = years
    .map((y) => {
      if (!/^\d{4}$/.test(y)) throw new Error(`${field}: schedule key "${y}" must be a four-digit year`);
      const q = compileOne(input[y], `${field}.${y}`);
      if (!q.constant) throw new Error(`${field}.${y}: schedule values may not depend on year`);
      return [Number(y), q.at(0)] as const;
    })
    .sort((a, b) => a[0] - b[0]);
  const at = (year: number): number => {
    if (year <= points[0][0]) return points[0][1];
    const last = points[points.length - 1];
    if (year >= last[0]) return last[1];
    for (let i = 1; i < points.length; i++) {
      const [y1, v1] = points[i];
      if (year <= y1) {
        const [y0, v0] = points[i - 1];
        return v0 + ((v1 - v0) * (year - y0)) / (y1 - y0);
      }
    }
    return last[1];
  };
  return { at, constant: points.length === 1 };
}

function toNumberIn(value: unknown, unit: string, field: string): number {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'Unit') {
    const u = value as { toNumber(unit: string): number; equalBase(o: unknown): boolean };
    if (!unit) throw new Error(`${field}: expected a plain number, got a quantity with a unit`);
    try {
      return u.toNumber(unit);
    } catch {
      throw new Error(`${field}: cannot convert to ${unit}`);
    }
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new Error(`${field}: expression must give a number`);
}

const minimal = quantityCompiler(() => createQuantityMath(), { literals: true });

/**
 * Compile a scenario quantity for a field with a given unit ('' for dimensionless).
 * Errors name the field: `clusters[0].occupancy: unknown symbol "x" (…)`.
 *
 * @example
 * compileQuantity('0.3078 * 1.02^(year - 2025)', 'CNY/kWh', 'price').at(2027) // → 0.32023512
 * compileQuantity('10 MW', 'kW', 'itPowerKw').at(2030) // → 10000
 * compileQuantity({ '2025': 0.4, '2027': 0.6 }, '', 'occupancy').at(2026) // → 0.5
 */
export function compileQuantity(input: QuantityInput, unit: string, field: string): Quantity {
  return minimal.compileQuantity(input, unit, field);
}

/**
 * Evaluate a constant expression with units, e.g. to check a literal. The text is parsed and checked
 * against the same whitelist as scenario expressions, and only the checked node is evaluated (never
 * `math.evaluate` on the raw text); an expression of `year` is refused.
 *
 * @example
 * evaluateQuantity('2 Tbps', 'Gbps') // → 2000
 */
export function evaluateQuantity(text: string, unit: string): number {
  return minimal.evaluateQuantity(text, unit);
}

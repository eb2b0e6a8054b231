import { all, create, type MathNode } from 'mathjs';

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

const math = create(all, {});
math.createUnit('CNY', { aliases: ['yuan', 'RMB'] });
math.createUnit('bps', { prefixes: 'short', aliases: ['bit_per_s'] });
math.createUnit('rack', { aliases: ['racks'] });

/** Functions an expression may call. */
const ALLOWED_FUNCTIONS = new Set([
  'min',
  'max',
  'abs',
  'round',
  'floor',
  'ceil',
  'sqrt',
  'exp',
  'log',
  'pow',
]);
const ALLOWED_NODES = new Set([
  'ConstantNode',
  'SymbolNode',
  'OperatorNode',
  'ParenthesisNode',
  'FunctionNode',
  'ConditionalNode',
]);

function isUnitName(name: string): boolean {
  try {
    return math.Unit.isValuelessUnit(name);
  } catch {
    return false;
  }
}

/** Throws `<field>: <rule>` unless the expression uses only whitelisted syntax. */
function checkExpression(node: MathNode, field: string): void {
  node.traverse((n: MathNode, _path: string, parent: MathNode | null) => {
    if (!ALLOWED_NODES.has(n.type)) throw new Error(`${field}: expression may not contain ${n.type}`);
    if (n.type === 'FunctionNode') {
      const fn = (n as unknown as { fn: MathNode & { name?: string } }).fn;
      if (fn.type !== 'SymbolNode' || !ALLOWED_FUNCTIONS.has(fn.name ?? '')) {
        throw new Error(`${field}: function ${fn.name ?? fn.type} is not allowed`);
      }
    }
    if (n.type === 'SymbolNode') {
      const name = (n as unknown as { name: string }).name;
      const isCallee =
        parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === (n as MathNode);
      if (!isCallee && name !== 'year' && !isUnitName(name)) {
        throw new Error(`${field}: unknown symbol "${name}" (only year, units and numbers are allowed)`);
      }
    }
  });
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

function compileString(text: string, unit: string, field: string): Quantity {
  let node: MathNode;
  try {
    node = math.parse(text);
  } catch (e) {
    throw new Error(`${field}: cannot parse "${text}" (${(e as Error).message})`);
  }
  checkExpression(node, field);
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
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new Error(`${field}: must be a finite number`);
    return { at: () => input, constant: true };
  }
  if (typeof input === 'string') return compileString(input, unit, field);
  if (input && typeof input === 'object') {
    const years = Object.keys(input);
    if (years.length === 0) throw new Error(`${field}: a year schedule needs at least one year`);
    const points = years
      .map((y) => {
        if (!/^\d{4}$/.test(y)) throw new Error(`${field}: schedule key "${y}" must be a four-digit year`);
        const q = compileQuantity(input[y], unit, `${field}.${y}`);
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
  throw new Error(`${field}: must be a number, a string with a unit or expression, or a year schedule`);
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
  const q = compileString(text, unit, 'value');
  if (!q.constant) throw new Error('value: depends on year; give a constant');
  return q.at(0);
}

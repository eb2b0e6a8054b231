import {
  absDependencies,
  addDependencies,
  andDependencies,
  andTransformDependencies,
  ceilDependencies,
  create,
  createUnitDependencies,
  divideDependencies,
  equalDependencies,
  expDependencies,
  type FactoryFunctionMap,
  floorDependencies,
  largerDependencies,
  largerEqDependencies,
  logDependencies,
  type MathJsInstance,
  type MathNode,
  maxDependencies,
  maxTransformDependencies,
  minDependencies,
  minTransformDependencies,
  modDependencies,
  multiplyDependencies,
  notDependencies,
  orDependencies,
  orTransformDependencies,
  parseDependencies,
  powDependencies,
  roundDependencies,
  smallerDependencies,
  smallerEqDependencies,
  sqrtDependencies,
  subtractDependencies,
  toDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
  unequalDependencies,
  xorDependencies,
} from 'mathjs';

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

/**
 * The mathjs factories quantities need — the parser, units, the functions an operator of
 * `ALLOWED_OPERATORS` or a call of `ALLOWED_FUNCTIONS` evaluates to — instead of mathjs' `all`, whose
 * few hundred typed functions took most of a cold CLI start to create (issue 9). Each `…Dependencies`
 * object brings the factories that function needs (Unit, Complex for `sqrt(-1)`, …), so results are
 * those of the full library: test/models/quantity.test.ts compares the two on every case.
 */
export const QUANTITY_FACTORIES: FactoryFunctionMap = {
  ...parseDependencies,
  ...createUnitDependencies,
  // operators
  ...addDependencies,
  ...subtractDependencies,
  ...multiplyDependencies,
  ...divideDependencies,
  ...powDependencies,
  ...modDependencies,
  ...unaryMinusDependencies,
  ...unaryPlusDependencies,
  ...equalDependencies,
  ...unequalDependencies,
  ...smallerDependencies,
  ...smallerEqDependencies,
  ...largerDependencies,
  ...largerEqDependencies,
  ...andDependencies,
  ...orDependencies,
  ...xorDependencies,
  ...notDependencies,
  ...toDependencies,
  // the expression parser's versions of and/or (they evaluate their right side only when needed)
  ...andTransformDependencies,
  ...orTransformDependencies,
  // functions
  ...minDependencies,
  ...maxDependencies,
  ...minTransformDependencies,
  ...maxTransformDependencies,
  ...absDependencies,
  ...roundDependencies,
  ...floorDependencies,
  ...ceilDependencies,
  ...sqrtDependencies,
  ...expDependencies,
  ...logDependencies,
  ...powDependencies,
};

/**
 * A mathjs instance for quantities: `factories` (default `QUANTITY_FACTORIES`) plus the units
 * dcplan adds (CNY, bps with SI prefixes, rack).
 *
 * @example
 * createQuantityMath().parse('2 Tbps').compile().evaluate().toNumber('Gbps') // → 2000
 */
export function createQuantityMath(factories: FactoryFunctionMap = QUANTITY_FACTORIES): MathJsInstance {
  const m = create(factories, {});
  m.createUnit('CNY', { aliases: ['yuan', 'RMB'] });
  m.createUnit('bps', { prefixes: 'short', aliases: ['bit_per_s'] });
  m.createUnit('rack', { aliases: ['racks'] });
  return m;
}

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
/**
 * Operators an expression may use, by the mathjs function they call: arithmetic (`+ - * / ^ %`, `mod`,
 * implicit multiplication as in `2 kW`), comparisons, logic, and unit conversion (`to`, `in`).
 */
const ALLOWED_OPERATORS = new Set([
  'add',
  'subtract',
  'multiply',
  'divide',
  'pow',
  'mod',
  'unaryMinus',
  'unaryPlus',
  'equal',
  'unequal',
  'smaller',
  'smallerEq',
  'larger',
  'largerEq',
  'and',
  'or',
  'xor',
  'not',
  'to',
]);
const ALLOWED_NODES = new Set([
  'ConstantNode',
  'SymbolNode',
  'OperatorNode',
  'ParenthesisNode',
  'FunctionNode',
  'ConditionalNode',
]);

/**
 * Units a literal like "2.5 kW" may name without mathjs: the scenario fields' power, energy and
 * bandwidth units, each with mathjs' base dimension, unit value and SI prefix value. The value of such a
 * literal in another unit of the table is computed with mathjs' own operations in mathjs' order (see
 * `literalValue`), so it is the same number to the last bit; test/models/quantity.test.ts checks every
 * pair of the table against mathjs.
 */
const LITERAL_UNITS: Record<string, { base: string; unitValue: number; prefixValue: number }> = (() => {
  const out: Record<string, { base: string; unitValue: number; prefixValue: number }> = {};
  const prefixes: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  const units = [
    { name: 'W', base: 'POWER', unitValue: 1 },
    { name: 'VA', base: 'POWER', unitValue: 1 },
    { name: 'Wh', base: 'ENERGY', unitValue: 3600 },
    { name: 'bps', base: 'bps', unitValue: 1 },
  ];
  for (const u of units) {
    for (const [p, prefixValue] of Object.entries(prefixes)) {
      out[`${p}${u.name}`] = { base: u.base, unitValue: u.unitValue, prefixValue };
    }
  }
  return out;
})();

/** A number (digits, optional fraction and exponent) and optionally one unit name, as mathjs reads it. */
const LITERAL = /^[ \t]*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)[ \t]*([A-Za-z]*)[ \t]*$/;

/**
 * The value of a literal quantity ("2.5 kW", "2 Tbps", "5e6") in `unit`, computed as mathjs does, or
 * undefined when the text is anything else (an expression, another unit, a conversion mathjs would
 * refuse, a non-finite result): those go through mathjs, which gives the value or the error.
 * mathjs 15 evaluates `x u` as `x × (1 × (v·p)^1)` (`Unit.multiply`, `_normalize`) and `toNumber(t)`
 * as that ÷ (vₜ·pₜ)^1 (`_denormalize`); a power of 1 is exact, so the result is `(v·p)·x ÷ (vₜ·pₜ)`.
 */
function literalValue(text: string, unit: string): number | undefined {
  const m = LITERAL.exec(text);
  if (!m) return undefined;
  const x = Number(m[1]);
  let value: number;
  if (m[2] === '') value = x;
  else {
    const from = Object.hasOwn(LITERAL_UNITS, m[2]) ? LITERAL_UNITS[m[2]] : undefined;
    const to = Object.hasOwn(LITERAL_UNITS, unit) ? LITERAL_UNITS[unit] : undefined;
    if (!from || !to || from.base !== to.base) return undefined;
    value = (from.unitValue * from.prefixValue * x) / (to.unitValue * to.prefixValue);
  }
  return Number.isFinite(value) ? value : undefined;
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

  /** Throws `<field>: <rule>` unless the expression uses only whitelisted syntax. */
  function checkExpression(node: MathNode, field: string): void {
    node.traverse((n: MathNode, _path: string, parent: MathNode | null) => {
      if (!ALLOWED_NODES.has(n.type)) throw new Error(`${field}: expression may not contain ${n.type}`);
      if (n.type === 'OperatorNode') {
        const { fn, op } = n as unknown as { fn: string; op: string };
        if (!ALLOWED_OPERATORS.has(fn)) throw new Error(`${field}: operator ${op} is not allowed`);
      }
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

  function compileQuantity(input: QuantityInput, unit: string, field: string): Quantity {
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

  function evaluateQuantity(text: string, unit: string): number {
    const q = compileString(text, unit, 'value');
    if (!q.constant) throw new Error('value: depends on year; give a constant');
    return q.at(0);
  }

  return { compileQuantity, evaluateQuantity };
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

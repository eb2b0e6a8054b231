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
 * The mathjs side of scenario quantities: a minimal instance (only the factories quantities use), the
 * whitelist an expression is checked against, and the literal reader that skips mathjs for "2.5 kW".
 */

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
export function literalValue(text: string, unit: string): number | undefined {
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

/** Throws `<field>: <rule>` unless the expression uses only whitelisted syntax. */
export function checkExpression(node: MathNode, field: string, isUnitName: (name: string) => boolean): void {
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

/**
 * The public engine API: everything a caller (CLI, server, web page, a notebook) needs to validate a
 * scenario, simulate it and read the result. Pure modules only; no I/O.
 */
export * from './calendar.ts';
export * from './capacity.ts';
export * from './carbon.ts';
export * from './chiller.ts';
export * from './climate.ts';
export * from './compare.ts';
export * from './cooling.ts';
export * from './distribution.ts';
export * from './electrical.ts';
export * from './finance.ts';
export * from './grade-bands.ts';
export * from './input-row.ts';
export * from './inputs.ts';
export * from './lp.ts';
export * from './network.ts';
export * from './powerCurve.ts';
export * from './psychrometrics.ts';
export * from './pv.ts';
export * from './quantity.ts';
export * from './reference.ts';
export * from './result.ts';
export * from './sampling.ts';
export * from './scenario.ts';
export * from './simulate.ts';
export * from './sizing.ts';
export * from './solar.ts';
export * from './storage.ts';
export * from './sum.ts';
export * from './targets.ts';
export * from './tariff.ts';
export * from './uncertainty/evaluate.ts';
export * from './uncertainty/montecarlo.ts';
export * from './uncertainty/plan.ts';
export * from './uncertainty/summary.ts';
export * from './utilisation.ts';
export * from './wind.ts';

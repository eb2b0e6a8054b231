import { type BuildoutPhase, STANDARD_RACK_KW } from '../capacity.ts';
import { type CoolingDesign, coolingDesign } from '../cooling.ts';
import { isDistributionInput } from '../distribution.ts';
import { buildSplit, CLUSTER_FIELDS } from '../inputs.ts';
import type { ClusterReference, EngineReference, TargetReference } from '../reference.ts';
import {
  type ClusterScenario,
  explainScenarioErrors,
  type FieldError,
  parseScenario,
  rangeWarnings,
  type Scenario,
  ValidationError,
} from '../scenario.ts';
import { targetApplies } from '../targets.ts';
import { prepareGreen, prepareWindResource } from './green.ts';
import {
  clampTo,
  constant,
  defaultFactor,
  own,
  type PrepareContext,
  plain,
  quantity,
  quantityOrThrow,
  type Resolved,
  resolve,
  unknownRef,
  useDefault,
} from './resolve.ts';
import { type PreparedTariff, prepareTariff } from './tariff.ts';
import type { PreparedCluster, PreparedRun, PrepareOptions } from './types.ts';

/** Build-out phases as racks and kW per rack (standard racks are 2.5 kW equivalents). */
function prepareBuildout(ctx: PrepareContext, cs: ClusterScenario): BuildoutPhase[] {
  return cs.buildout.map((ph, i) => {
    const pp = `buildout[${i}]`;
    // kW per rack is required with racks or IT power (the schema says so); with standard racks it
    // defaults to the standard rack's 2.5 kW (listed), so racks = standard racks.
    const kwPerRack = constant(ctx, 'buildout[].kwPerRack', ph.kwPerRack, `${pp}.kwPerRack`) as number;
    let racks: number;
    if (ph.racks !== undefined) racks = constant(ctx, 'buildout[].racks', ph.racks, `${pp}.racks`) as number;
    else if (ph.standardRacks !== undefined) {
      const std = constant(
        ctx,
        'buildout[].standardRacks',
        ph.standardRacks,
        `${pp}.standardRacks`,
      ) as number;
      racks = (std * STANDARD_RACK_KW) / kwPerRack;
    } else {
      const kw = constant(ctx, 'buildout[].itPowerKw', ph.itPowerKw, `${pp}.itPowerKw`) as number;
      racks = kw / kwPerRack;
    }
    return { year: ph.year as number, racks, kwPerRack, retireYear: ph.retireYear as number | undefined };
  });
}

/** The weekly utilisation shape, mean server utilisation, its phase shift and server power curve. */
function prepareWorkload(ctx: PrepareContext, cs: ClusterScenario) {
  const { p, ref } = ctx;
  const shapeId = plain(ctx, 'workloadShape', cs.workloadShape) as string;
  const shape = own(ref.workloadShapes, shapeId);
  if (!shape) throw unknownRef(`${p}.workloadShape`, 'workloadShape', shapeId, ref.workloadShapes);
  const serverUtilisation = quantityOrThrow(ctx, 'serverUtilisation', cs.serverUtilisation);
  const phaseShiftHours = plain(ctx, 'workloadPhaseShiftHours', cs.workloadPhaseShiftHours) as number;
  const curveId = plain(ctx, 'powerCurve', cs.powerCurve) as string;
  const curve = own(ref.powerCurves, curveId);
  if (!curve) throw unknownRef(`${p}.powerCurve`, 'powerCurve', curveId, ref.powerCurves);
  return { shape, serverUtilisation, phaseShiftHours, curve };
}

/** The cooling design with its class and overrides; a bad override names its own field. */
function prepareCoolingDesign(ctx: PrepareContext, cs: ClusterScenario): CoolingDesign {
  try {
    if (cs.cooling.facilityClass === undefined) useDefault(ctx, 'cooling.facilityClass');
    const d = coolingDesign(cs.cooling.design, cs.cooling.overrides, cs.cooling.facilityClass);
    ctx.assumptions.push(...d.defaultsUsed);
    ctx.warnings.push(...d.warnings.map((w) => `${ctx.p}.${w}`));
    // A Monte Carlo sample may move the table's defaults (grade bands): the design again with them.
    const moved: Record<string, number> = {};
    for (const u of d.defaultsUsed) {
      const k = u.field.slice('cooling.overrides.'.length);
      const row = d.table[k];
      const f = defaultFactor(ctx, u.field, u.grade, row.value, row);
      if (f !== 1) moved[k] = clampTo(row.value * f, row);
    }
    if (Object.keys(moved).length === 0) return d;
    const m = coolingDesign(
      cs.cooling.design,
      { ...cs.cooling.overrides, ...moved },
      cs.cooling.facilityClass,
    );
    return { ...m, defaultsUsed: d.defaultsUsed, warnings: d.warnings };
  } catch (e) {
    // `cooling.overrides.x: rule` names its own field; anything else is about the design.
    const m = /^cooling\.overrides(\.[^:]*)?: (.*)$/.exec((e as Error).message);
    if (m) throw new ValidationError([{ path: `${ctx.p}.cooling.overrides${m[1] ?? ''}`, message: m[2] }]);
    throw new ValidationError([{ path: `${ctx.p}.cooling.design`, message: (e as Error).message }]);
  }
}

/** The grid emission factor: the scenario's, else the seeded factors of the chosen scope (nearest year held). */
function prepareGridFactor(ctx: PrepareContext, cs: ClusterScenario): Resolved {
  const scope = plain(ctx, 'gridFactorScope', cs.gridFactorScope);
  const factor = quantity(ctx, 'gridFactorKgPerKwh', cs.gridFactorKgPerKwh);
  if (!factor)
    throw new ValidationError([
      { path: `${ctx.p}.gridFactorScope`, message: `no ${scope} grid factors seeded for ${ctx.cref.id}` },
    ]);
  return factor;
}

/** Egress per rack, its peak factor, outbound capacity (the scenario's or the cluster's) and route factor. */
function prepareNetwork(ctx: PrepareContext, cs: ClusterScenario) {
  const net = cs.network ?? {};
  const gbpsPerStandardRack = quantity(ctx, 'network.gbpsPerStandardRack', net.gbpsPerStandardRack);
  // The peak factor matters only with an egress figure: it is read (and listed) only then.
  const peakFactor = gbpsPerStandardRack ? quantity(ctx, 'network.peakFactor', net.peakFactor) : null;
  const outboundCapacityGbps = quantity(ctx, 'network.outboundCapacityGbps', net.outboundCapacityGbps);
  const routeFactor = constant(ctx, 'network.routeFactor', net.routeFactor) as number;
  const equipmentMs = constant(ctx, 'network.equipmentMs', net.equipmentMs) as number;
  return { gbpsPerStandardRack, peakFactor, outboundCapacityGbps, routeFactor, equipmentMs };
}

/**
 * Capex, rent, opex and the discount rate. An all-in figure the scenario gives replaces the model it
 * stands for (capex per rack or per kW replaces the build cost model; rent per rack the rent per kW;
 * staff per year the staffing rule), and the replaced defaults are not listed. Every default used is
 * listed with its source; optional costs not given (IT equipment, land, other opex) stay absent.
 */
function prepareFinance(ctx: PrepareContext, cs: ClusterScenario): PreparedCluster['finance'] {
  const fin = cs.finance ?? {};
  const q = (field: keyof typeof fin) => quantity(ctx, `finance.${field}`, fin[field]);
  const must = (field: keyof typeof fin) => quantityOrThrow(ctx, `finance.${field}`, fin[field]);
  let capex: PreparedCluster['finance']['capex'];
  if (fin.capexCnyPerRack !== undefined) capex = { kind: 'per-rack', cnyPerRack: must('capexCnyPerRack') };
  else if (fin.capexCnyPerKwIt !== undefined) capex = { kind: 'per-kw', cnyPerKw: must('capexCnyPerKwIt') };
  else
    capex = {
      kind: 'build',
      cnyPerKw: must('buildCnyPerKwIt'),
      fitOutCnyPerRack: must('fitOutCnyPerRack'),
      shares: buildSplit(ctx.ref),
    };
  const rent: PreparedCluster['finance']['rent'] =
    fin.rentCnyPerRackMonth !== undefined
      ? { kind: 'per-rack', cny: must('rentCnyPerRackMonth') }
      : { kind: 'per-kw', cny: must('rentCnyPerKwMonth') };
  const staff: PreparedCluster['finance']['staff'] =
    fin.staffCnyPerYear !== undefined
      ? { kind: 'given', cnyPerYear: must('staffCnyPerYear') }
      : { kind: 'per-10mw', heads: must('staffPer10Mw'), cnyPerHead: must('staffCostCnyPerYear') };
  return {
    capex,
    itCapexCnyPerKw: q('itCapexCnyPerKw'),
    gridConnectionCny: constant(ctx, 'finance.gridConnectionCny', fin.gridConnectionCny) as number,
    rent,
    otherOpexCnyPerYear: q('otherOpexCnyPerYear'),
    staff,
    maintenanceFractionOfCapex: must('maintenanceFractionOfCapex'),
    landLeaseCnyPerYear: q('landLeaseCnyPerYear'),
    incentiveAwardCny: constant(ctx, 'finance.incentiveAwardCny', fin.incentiveAwardCny) as number,
    facilityLifeYears: constant(ctx, 'finance.facilityLifeYears', fin.facilityLifeYears) as number,
    waterPriceCnyPerM3: must('waterPriceCnyPerM3'),
    discountRate: plain(ctx, 'finance.discountRate', fin.discountRate as number | undefined) as number,
  };
}

/** The targets that bind this cluster (by its properties), with the scenario's includes and excludes. */
function selectTargets(ctx: PrepareContext, cs: ClusterScenario): TargetReference[] {
  const include = new Set(cs.targets?.include ?? []);
  const exclude = new Set(cs.targets?.exclude ?? []);
  const known = new Set(ctx.ref.targets.map((x) => x.id));
  for (const id of [...include, ...exclude]) {
    if (!known.has(id))
      throw new ValidationError([{ path: `${ctx.p}.targets`, message: `unknown target "${id}"` }]);
  }
  return ctx.ref.targets.filter((x) => {
    if (exclude.has(x.id)) return false;
    if (include.has(x.id)) return true;
    return targetApplies(x.appliesTo, ctx.cref) && !x.optIn;
  });
}

function clusterOf(ref: EngineReference, cs: ClusterScenario, p: string): ClusterReference {
  const cref = own(ref.clusters, cs.cluster);
  if (!cref) throw unknownRef(`${p}.cluster`, 'cluster', cs.cluster, ref.clusters);
  return cref;
}

/**
 * Check one cluster of a scenario against the reference data and resolve every input for every year:
 * the stages then read plain functions of the year. Defaults come from the input rows
 * (models/inputs.ts) and are listed in `assumptions`.
 */
export function prepareCluster(
  cs: ClusterScenario,
  index: number,
  years: number[],
  ref: EngineReference,
  opts: PrepareOptions,
): PreparedCluster {
  const p = `clusters[${index}]`;
  const cref = clusterOf(ref, cs, p);
  const weather = own(opts.weather, cs.cluster);
  const climate = weather ?? own(ref.climates, cref.climate);
  if (!climate)
    throw new ValidationError([{ path: `${p}.cluster`, message: `no climate "${cref.climate}"` }]);
  const ctx: PrepareContext = {
    p,
    years,
    ref,
    cref,
    climate,
    cluster: cs,
    assumptions: [],
    warnings: [],
    cache: opts.cache ?? null,
    sample: opts.sample ?? null,
    uncertain: [],
  };
  // Each step is tried, so that one cluster's errors are all said at once; a step that needs an
  // earlier one that failed is skipped (its own errors would follow from the first).
  const errors: FieldError[] = [];
  const attempt = <T>(step: () => T): T => {
    try {
      return step();
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      errors.push(...e.errors);
      return undefined as T;
    }
  };
  const phases = attempt(() => prepareBuildout(ctx, cs));
  const workload = attempt(() => prepareWorkload(ctx, cs));
  const design = attempt(() => prepareCoolingDesign(ctx, cs));
  const tariff = attempt(() =>
    phases ? prepareTariff(ctx, cs.tariff ?? {}, phases) : (undefined as unknown as PreparedTariff),
  );
  const greenShare = attempt(() => quantityOrThrow(ctx, 'greenShare', cs.greenShare));
  const gridFactor = attempt(() => prepareGridFactor(ctx, cs));
  const residualFactor = attempt(() =>
    quantityOrThrow(ctx, 'residualFactorKgPerKwh', cs.residualFactorKgPerKwh),
  );
  const network = attempt(() => prepareNetwork(ctx, cs));
  const finance = attempt(() => prepareFinance(ctx, cs));
  const green = attempt(() => prepareGreen(ctx, cs.green));
  if (green?.wind && cs.green?.wind)
    attempt(() => prepareWindResource(ctx, cs.green!.wind!.resource, climate, green.wind!));
  const targets = attempt(() => selectTargets(ctx, cs));
  const occupancy = attempt(() => quantityOrThrow(ctx, 'occupancy', cs.occupancy));
  if (errors.length) throw new ValidationError(errors);
  return {
    index,
    scenario: cs,
    ref: cref,
    climate,
    climateSource: weather ? `imported: ${climate.source}` : climate.source,
    phases,
    occupancy,
    ...workload,
    design,
    tariff,
    greenShare,
    gridFactor,
    residualFactor,
    ...network,
    finance,
    green,
    targets,
    assumptions: ctx.assumptions,
    uncertain: ctx.uncertain,
    warnings: ctx.warnings,
  };
}

/**
 * Validate a scenario input and prepare it, saying every error at once: the schema's errors and, for
 * the clusters the schema passed, the reference checks (unknown ids, quantities out of bounds in a
 * year). Throws `ValidationError` with all of them; else the parsed scenario and its prepared run.
 */
export function checkScenario(
  input: unknown,
  ref: EngineReference,
  opts: PrepareOptions = {},
): { scenario: Scenario; prepared: PreparedRun } {
  let scenario: Scenario;
  try {
    scenario = parseScenario(input);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    // the quantities of the clusters the schema refused (a field missing) are still checked
    const bounds = quantityErrors(input, e.errors, e.partial?.valid ?? []);
    const partial = e.partial;
    if (!partial) throw bounds.length ? new ValidationError([...e.errors, ...bounds]) : e;
    try {
      prepareRun(partial.scenario, ref, { ...opts, clusters: partial.valid });
    } catch (more) {
      // (a failure of the partial check itself is not the user's error: the schema's are reported)
      if (!(more instanceof ValidationError)) throw e;
      throw new ValidationError([...e.errors, ...bounds, ...more.errors]);
    }
    throw bounds.length ? new ValidationError([...e.errors, ...bounds]) : e;
  }
  return { scenario, prepared: prepareRun(scenario, ref, opts) };
}

/**
 * The quantities of the cluster entries the schema refused (those `known` names, but not the `valid`
 * ones the partial check reads anyway: misspelt fields only), each checked
 * against its row's bounds in every simulated year, as `prepareRun` would once the entry is whole —
 * so that a missing field does not hide `occupancy: 65`. Fields the schema already named, values of
 * the wrong form and distributions are left to the schema's own messages.
 */
function quantityErrors(input: unknown, known: FieldError[], valid: number[]): FieldError[] {
  const given = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const clusters = Array.isArray(given.clusters) ? given.clusters : [];
  const defaults =
    given.defaults && typeof given.defaults === 'object' && !Array.isArray(given.defaults)
      ? (given.defaults as Record<string, unknown>)
      : {};
  const readable =
    Number.isInteger(given.startYear) && Number.isInteger(given.years) && (given.years as number) > 0;
  const years = readable
    ? Array.from({ length: Math.min(given.years as number, 200) }, (_, i) => (given.startYear as number) + i)
    : [2025];
  const named = new Set(known.map((e) => e.path));
  const out: FieldError[] = [];
  const mergedAll = clusters.map((raw) =>
    raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...defaults, ...(raw as object) } : raw,
  );
  clusters.forEach((raw, i) => {
    const refused = known.some((e) => e.path === `clusters[${i}]` || e.path.startsWith(`clusters[${i}].`));
    if (!refused || valid.includes(i) || !raw || typeof raw !== 'object' || Array.isArray(raw)) return;
    const merged = mergedAll[i] as Record<string, unknown>;
    for (const [key, row] of Object.entries(CLUSTER_FIELDS)) {
      if (row.kind !== 'quantity') continue;
      for (const [path, value] of valuesAt(merged, key.split('.'), `clusters[${i}]`)) {
        if (value === undefined || isDistributionInput(value) || named.has(path)) continue;
        if ([...named].some((p) => p.startsWith(`${path}.`) || p.startsWith(`${path}[`))) continue;
        try {
          resolve(value, row, path, years);
        } catch (err) {
          if (err instanceof ValidationError) out.push(...err.errors);
        }
      }
    }
  });
  // said as the schema's errors are (`occupancy: 65` → "for 65 %, write 0.65")
  return explainScenarioErrors(out, { ...given, clusters: mergedAll });
}

/** The values at a row's key path (`buildout[].standardRacks`: one per phase), with their paths. */
function valuesAt(obj: unknown, keys: string[], at: string): Array<[string, unknown]> {
  if (keys.length === 0) return [[at, obj]];
  if (!obj || typeof obj !== 'object') return [];
  const [head, ...rest] = keys;
  const list = head.endsWith('[]');
  const name = list ? head.slice(0, -2) : head;
  const v = (obj as Record<string, unknown>)[name];
  if (!list) return valuesAt(v, rest, `${at}.${name}`);
  return Array.isArray(v) ? v.flatMap((x, j) => valuesAt(x, rest, `${at}.${name}[${j}]`)) : [];
}

/**
 * Check a parsed scenario against the reference data and resolve every quantity for every year.
 * Throws `ValidationError` (`clusters[1].cluster: unknown cluster "x" (known: …)`) before any work.
 */
export function prepareRun(scenario: Scenario, ref: EngineReference, opts: PrepareOptions = {}): PreparedRun {
  const years = Array.from({ length: scenario.years }, (_, i) => scenario.startYear + i);
  const only = opts.clusters;
  // every cluster is checked, so that a scenario's errors are all said at once
  const errors: FieldError[] = [];
  const clusters = scenario.clusters.flatMap((cs, i) => {
    if (only && !only.includes(i)) return [];
    try {
      const pc = prepareCluster(cs, i, years, ref, opts);
      const data = Object.keys(pc.ref.gridFactors.byYear).map(Number);
      pc.warnings.push(...rangeWarnings(scenario, i, data.length ? Math.min(...data) : null));
      return [pc];
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      errors.push(...e.errors);
      return [];
    }
  });
  if (errors.length) throw new ValidationError(explainScenarioErrors(errors, scenario));
  return { scenario, years, clusters };
}

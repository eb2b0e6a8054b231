import type { BuildoutPhase } from '../capacity.ts';
import { type CoolingDesign, coolingDesign } from '../cooling.ts';
import { seededDefault } from '../inputs.ts';
import type { ClusterReference, EngineReference, TargetReference } from '../reference.ts';
import { type ClusterScenario, RULES, type Scenario, ValidationError } from '../scenario.ts';
import { targetApplies } from '../targets.ts';
import { prepareGreen, prepareWindResource } from './green.ts';
import {
  nearestYearValue,
  optional,
  orDefault,
  own,
  type PrepareContext,
  type Resolved,
  resolve,
  resolveConstant,
  unknownRef,
  useDefault,
  useSeeded,
} from './resolve.ts';
import { prepareTariff } from './tariff.ts';
import type { PreparedCluster, PreparedRun, PrepareOptions } from './types.ts';

/** Build-out phases as racks and kW per rack (standard racks are 2.5 kW equivalents). */
function prepareBuildout(ctx: PrepareContext, cs: ClusterScenario): BuildoutPhase[] {
  return cs.buildout.map((ph, i) => {
    const pp = `${ctx.p}.buildout[${i}]`;
    const kwPerRack =
      ph.kwPerRack !== undefined ? resolveConstant(ph.kwPerRack, RULES.kwPerRack, `${pp}.kwPerRack`) : 2.5;
    let racks: number;
    if (ph.racks !== undefined) racks = resolveConstant(ph.racks, RULES.racks, `${pp}.racks`);
    else if (ph.standardRacks !== undefined) {
      const std = resolveConstant(ph.standardRacks, RULES.standardRacks, `${pp}.standardRacks`);
      racks = (std * 2.5) / kwPerRack;
    } else {
      const kw = resolveConstant(ph.itPowerKw, RULES.itPowerKw, `${pp}.itPowerKw`);
      racks = kw / kwPerRack;
    }
    return { year: ph.year, racks, kwPerRack, retireYear: ph.retireYear };
  });
}

/** The weekly utilisation shape, mean server utilisation and server power curve. */
function prepareWorkload(ctx: PrepareContext, cs: ClusterScenario) {
  const { p, ref } = ctx;
  const shapeId = cs.workloadShape ?? ref.defaultWorkloadShape;
  const shape = own(ref.workloadShapes, shapeId);
  if (!shape) throw unknownRef(`${p}.workloadShape`, 'workloadShape', shapeId, ref.workloadShapes);
  if (cs.workloadShape === undefined)
    useDefault(ctx, 'workloadShape', { value: shapeId, source: shape.source, grade: shape.grade });
  const serverUtilisation = orDefault(
    ctx,
    cs.serverUtilisation,
    RULES.serverUtilisation,
    'serverUtilisation',
    'serverUtilisation',
    { value: shape.meanUtilisation, source: shape.source, grade: shape.grade },
  );
  const curveId = cs.powerCurve ?? ref.defaultPowerCurve;
  const curve = own(ref.powerCurves, curveId);
  if (!curve) throw unknownRef(`${p}.powerCurve`, 'powerCurve', curveId, ref.powerCurves);
  if (cs.powerCurve === undefined)
    useDefault(ctx, 'powerCurve', {
      value: curveId,
      source: `${curve.label}: ${curve.source ?? 'no source given'}`,
      grade: curve.grade ?? 'NOT FOUND',
    });
  return { shape, serverUtilisation, curve };
}

/** The cooling design with its class and overrides; a bad override names its own field. */
function prepareCoolingDesign(ctx: PrepareContext, cs: ClusterScenario): CoolingDesign {
  try {
    const d = coolingDesign(cs.cooling.design, cs.cooling.overrides, cs.cooling.facilityClass);
    if (cs.cooling.facilityClass === undefined)
      useDefault(ctx, 'cooling.facilityClass', {
        value: d.facilityClass,
        source: `dcplan default class of the ${d.name} design (parameter sets of Lei & Masanet 2022 [lei-masanet-2022])`,
        grade: 'assumption',
      });
    ctx.assumptions.push(...d.defaultsUsed);
    return d;
  } catch (e) {
    // `cooling.overrides.x: rule` names its own field; anything else is about the design.
    const m = /^cooling\.overrides(\.[^:]*)?: (.*)$/.exec((e as Error).message);
    if (m) throw new ValidationError([{ path: `${ctx.p}.cooling.overrides${m[1] ?? ''}`, message: m[2] }]);
    throw new ValidationError([{ path: `${ctx.p}.cooling.design`, message: (e as Error).message }]);
  }
}

/** The grid emission factor: the scenario's, else the seeded factors of the chosen scope, nearest year held. */
function prepareGridFactor(ctx: PrepareContext, cs: ClusterScenario): Resolved {
  const { p, cref, years } = ctx;
  if (cs.gridFactorKgPerKwh !== undefined)
    return resolve(cs.gridFactorKgPerKwh, RULES.gridFactor, `${p}.gridFactorKgPerKwh`, years);
  const scope = cs.gridFactorScope ?? 'province';
  const factors =
    scope === 'region'
      ? cref.regionGridFactors
      : scope === 'national'
        ? cref.nationalGridFactors
        : cref.gridFactors;
  if (!factors)
    throw new ValidationError([
      { path: `${p}.gridFactorScope`, message: `no ${scope} grid factors seeded for ${cref.id}` },
    ]);
  const what =
    scope === 'province'
      ? `${cref.province} provincial`
      : scope === 'region'
        ? `${cref.gridRegion} regional grid`
        : 'national average';
  const held = years.filter((y) => !nearestYearValue(factors.byYear, y).exact);
  if (held.length) {
    ctx.warnings.push(
      `gridFactorKgPerKwh: no published ${what} factor for ${held[0]}${held.length > 1 ? `–${held[held.length - 1]}` : ''}; the nearest published year is held (${factors.source})`,
    );
  }
  useDefault(ctx, 'gridFactorKgPerKwh', {
    value: `${what} factor by year`,
    source: factors.source,
    grade: factors.grade,
  });
  return (y) => nearestYearValue(factors.byYear, y).value;
}

/** Egress per rack, its peak factor, outbound capacity (the scenario's or the cluster's) and route factor. */
function prepareNetwork(ctx: PrepareContext, cs: ClusterScenario) {
  const net = cs.network ?? {};
  const gbpsPerStandardRack = optional(
    ctx,
    net.gbpsPerStandardRack,
    RULES.gbpsPerStandardRack,
    'network.gbpsPerStandardRack',
  );
  // The peak factor matters only with an egress figure: it is listed as an assumption only then.
  const peakFactor =
    optional(ctx, net.peakFactor, RULES.peakFactor, 'network.peakFactor') ??
    (
      (v: number) => () =>
        v
    )(
      gbpsPerStandardRack
        ? useSeeded(ctx, 'network.peakFactor')
        : seededDefault(ctx.ref, 'network.peakFactor').value,
    );
  const seeded = ctx.cref.outboundCapacityGbps;
  const outboundCapacityGbps =
    optional(ctx, net.outboundCapacityGbps, RULES.outboundCapacityGbps, 'network.outboundCapacityGbps') ??
    (seeded !== null ? () => seeded : null);
  const routeFactor =
    net.routeFactor !== undefined
      ? resolveConstant(net.routeFactor, RULES.routeFactor, `${ctx.p}.network.routeFactor`)
      : useSeeded(ctx, 'network.routeFactor');
  return { gbpsPerStandardRack, peakFactor, outboundCapacityGbps, routeFactor };
}

/** Capex, rent, opex and the discount rate; absent money inputs stay absent (null), never 0. */
function prepareFinance(ctx: PrepareContext, cs: ClusterScenario): PreparedCluster['finance'] {
  const fin = cs.finance ?? {};
  const opt = (v: unknown, rule: (typeof RULES)[keyof typeof RULES], field: string) =>
    optional(ctx, v, rule, `finance.${field}`);
  const discountRate =
    fin.discountRate !== undefined ? fin.discountRate : useSeeded(ctx, 'finance.discountRate');
  const constant = (v: unknown, field: string) =>
    v === undefined ? 0 : resolveConstant(v, RULES.cny, `${ctx.p}.finance.${field}`);
  return {
    capexCnyPerRack: opt(fin.capexCnyPerRack, RULES.capexCnyPerRack, 'capexCnyPerRack'),
    capexCnyPerKwIt: opt(fin.capexCnyPerKwIt, RULES.capexCnyPerKwIt, 'capexCnyPerKwIt'),
    itCapexCnyPerKw: opt(fin.itCapexCnyPerKw, RULES.itCapexCnyPerKw, 'itCapexCnyPerKw'),
    gridConnectionCny: constant(fin.gridConnectionCny, 'gridConnectionCny'),
    rentCnyPerRackMonth: opt(fin.rentCnyPerRackMonth, RULES.rentCnyPerRackMonth, 'rentCnyPerRackMonth'),
    otherOpexCnyPerYear: opt(fin.otherOpexCnyPerYear, RULES.opexCnyPerYear, 'otherOpexCnyPerYear'),
    staffCnyPerYear: opt(fin.staffCnyPerYear, RULES.cnyPerYear, 'staffCnyPerYear'),
    maintenanceFractionOfCapex: opt(
      fin.maintenanceFractionOfCapex,
      RULES.fraction,
      'maintenanceFractionOfCapex',
    ),
    landLeaseCnyPerYear: opt(fin.landLeaseCnyPerYear, RULES.cnyPerYear, 'landLeaseCnyPerYear'),
    incentiveAwardCny: constant(fin.incentiveAwardCny, 'incentiveAwardCny'),
    waterPriceCnyPerM3: opt(fin.waterPriceCnyPerM3, RULES.waterPrice, 'waterPriceCnyPerM3'),
    discountRate,
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
 * the stages then read plain functions of the year. Defaults taken are listed in `assumptions`.
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
  const ctx: PrepareContext = { p, years, ref, cref, climate, assumptions: [], warnings: [] };
  const phases = prepareBuildout(ctx, cs);
  const workload = prepareWorkload(ctx, cs);
  const design = prepareCoolingDesign(ctx, cs);
  const { calendar, tariffAt } = prepareTariff(ctx, cs.tariff ?? {}, phases);
  const greenShare = optional(ctx, cs.greenShare, RULES.greenShare, 'greenShare') ?? (() => 0);
  const gridFactor = prepareGridFactor(ctx, cs);
  const network = prepareNetwork(ctx, cs);
  const finance = prepareFinance(ctx, cs);
  const green = prepareGreen(ctx, cs.green);
  if (green?.wind && cs.green?.wind) prepareWindResource(ctx, cs.green.wind.resource, climate, green.wind);
  const targets = selectTargets(ctx, cs);
  return {
    index,
    scenario: cs,
    ref: cref,
    climate,
    climateSource: weather ? `imported: ${climate.source}` : climate.source,
    phases,
    occupancy: resolve(cs.occupancy, RULES.occupancy, `${p}.occupancy`, years),
    ...workload,
    phaseShiftHours: cs.workloadPhaseShiftHours ?? 0,
    design,
    calendar,
    tariffAt,
    greenShare,
    gridFactor,
    ...network,
    finance,
    green,
    targets,
    assumptions: ctx.assumptions,
    warnings: ctx.warnings,
  };
}

/**
 * Check a parsed scenario against the reference data and resolve every quantity for every year.
 * Throws `ValidationError` (`clusters[1].cluster: unknown cluster "x" (known: …)`) before any work.
 */
export function prepareRun(scenario: Scenario, ref: EngineReference, opts: PrepareOptions = {}): PreparedRun {
  const years = Array.from({ length: scenario.years }, (_, i) => scenario.startYear + i);
  const clusters = scenario.clusters.map((cs, i) => prepareCluster(cs, i, years, ref, opts));
  return { scenario, years, clusters };
}

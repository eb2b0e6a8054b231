import { type ClimateStats, type ClimateYear, rebuildClimateYear } from '../models/climate.ts';
import type { PowerCurve } from '../models/powerCurve.ts';
import type {
  ClusterReference,
  EngineReference,
  IncentiveReference,
  SourcedDefault,
  TargetReference,
  WorkloadShape,
} from '../models/simulate.ts';
import { type TariffCalendar, validateCalendar } from '../models/tariff.ts';
import assumptions from './assumptions.json' with { type: 'json' };
import lanzhouClimate from './climate/lanzhou.json' with { type: 'json' };
import pingliangClimate from './climate/pingliang.json' with { type: 'json' };
import qingyangClimate from './climate/qingyang.json' with { type: 'json' };
import wuhanClimate from './climate/wuhan.json' with { type: 'json' };
import xianClimate from './climate/xian.json' with { type: 'json' };
import zhengzhouClimate from './climate/zhengzhou.json' with { type: 'json' };
import clustersFile from './clusters.json' with { type: 'json' };
import costs from './costs.json' with { type: 'json' };
import demandCentres from './demand-centres.json' with { type: 'json' };
import gridFactors from './grid-factors.json' with { type: 'json' };
import { type ClusterSeed, ClusterSeedSchema, type TargetSeed, TargetSeedSchema } from './schema.ts';
import specpower from './servers/specpower.json' with { type: 'json' };
import targetsFile from './targets.json' with { type: 'json' };
import gansu2021 from './tariffs/gansu-2021.json' with { type: 'json' };
import henan2022 from './tariffs/henan-2022.json' with { type: 'json' };
import henan2024 from './tariffs/henan-2024.json' with { type: 'json' };
import hubei2024 from './tariffs/hubei-2024-draft.json' with { type: 'json' };
import incentives from './tariffs/incentives.json' with { type: 'json' };
import workload from './workload/shapes.json' with { type: 'json' };

/**
 * The seed bundle: every reference number dcplan ships, with its source and grade. Imported statically
 * so the same bundle serves the CLI, the server (which also loads it into SQLite) and the browser.
 */
export const SEEDS = {
  clusters: clustersFile.clusters.map((c) => ClusterSeedSchema.parse(c)) as ClusterSeed[],
  targets: targetsFile.targets.map((t) => TargetSeedSchema.parse(t)) as TargetSeed[],
  gb40879Thresholds: targetsFile.gb40879Thresholds,
  tariffs: [gansu2021, henan2022, henan2024, hubei2024] as unknown as Array<
    TariffCalendar & { referenceEnergyPrice: SourcedDefault & { unit: string } }
  >,
  incentives: incentives.incentives,
  climates: {
    lanzhou: lanzhouClimate,
    qingyang: qingyangClimate,
    wuhan: wuhanClimate,
    zhengzhou: zhengzhouClimate,
    pingliang: pingliangClimate,
    xian: xianClimate,
  } as unknown as Record<string, ClimateStats & { provenance: Record<string, unknown> }>,
  gridFactors,
  demandCentres,
  assumptions,
  costs,
  servers: specpower,
  workload,
};

export type SeedBundle = typeof SEEDS;

for (const cal of SEEDS.tariffs) validateCalendar(cal);

/** Climate years rebuilt from the seeded statistics on first use, one station at a time (pure data). */
const climateCache = new Map<string, ClimateYear>();

/** The typical climate year of one seeded station (rebuilt once per process). */
export function seededClimate(id: string): ClimateYear | undefined {
  let y = climateCache.get(id);
  if (!y && Object.hasOwn(SEEDS.climates, id)) {
    y = rebuildClimateYear(SEEDS.climates[id]);
    climateCache.set(id, y);
  }
  return y;
}

/** The typical climate years of every seeded station. */
export function seededClimates(): Record<string, ClimateYear> {
  return Object.fromEntries(Object.keys(SEEDS.climates).map((id) => [id, seededClimate(id)!]));
}

const regions = SEEDS.gridFactors.regions as Record<
  string,
  { byYear: Record<string, number>; source: string; grade: string }
>;

function clusterReference(c: ClusterSeed): ClusterReference {
  const prov = (
    SEEDS.gridFactors.provinces as Record<
      string,
      { byYear: Record<string, number>; source: string; grade: string }
    >
  )[c.province];
  if (!prov) throw new Error(`cluster ${c.id}: no grid factors seeded for province ${c.province}`);
  return {
    id: c.id,
    name: c.name,
    province: c.province,
    latDeg: c.location.latDeg,
    lonDeg: c.location.lonDeg,
    hubNode: c.hubNode,
    climateZone: c.climateZone,
    gridRegion: c.gridRegion,
    climate: c.climate,
    tariffCalendar: c.tariffCalendar,
    referenceEnergyPrice: c.referenceEnergyPriceCnyPerKwh,
    gridFactors: prov,
    regionGridFactors: regions[c.gridRegion],
    nationalGridFactors: regions.national,
    outboundCapacityGbps: c.outboundCapacityGbps,
    publishedLatency: c.publishedLatency,
  };
}

const sourced = (a: { value: number; source: string; grade: string }): SourcedDefault => ({
  value: a.value,
  source: a.source,
  grade: a.grade,
});

/**
 * Build the engine's reference data from the seeds, plus any user-added clusters (same shape as a
 * seeded one; distinct ids, a user cluster replaces a seeded one of its id) and extra climates (e.g. imported EPW years) by id.
 */
export function engineReference(
  opts: { extraClusters?: ClusterSeed[]; extraClimates?: Record<string, ClimateYear> } = {},
): EngineReference {
  const clusters: Record<string, ClusterReference> = {};
  for (const c of SEEDS.clusters) clusters[c.id] = clusterReference(c);
  // A user cluster replaces a seeded one of the same id: a run's own copy of the user cluster it ran
  // with must win over a seeded cluster that a later seed bundle added under that id.
  const extraIds = new Set<string>();
  for (const c of opts.extraClusters ?? []) {
    if (extraIds.has(c.id)) throw new Error(`cluster ${c.id}: id already exists`);
    extraIds.add(c.id);
    clusters[c.id] = clusterReference(c);
  }
  // Only the stations the clusters use are rebuilt.
  const climates: Record<string, ClimateYear> = { ...(opts.extraClimates ?? {}) };
  for (const c of Object.values(clusters)) {
    const y =
      (Object.hasOwn(climates, c.climate) ? climates[c.climate] : undefined) ?? seededClimate(c.climate);
    if (!y) throw new Error(`cluster ${c.id}: unknown climate "${c.climate}"`);
    climates[c.climate] = y;
  }
  const powerCurves: Record<string, PowerCurve> = {};
  for (const c of SEEDS.servers.curves) {
    powerCurves[c.id] = {
      id: c.id,
      label: `${c.model} (${c.specResultId})`,
      fractionAtLoad: c.fractionAtLoad,
      source: `SPECpower_ssj2008 ${c.specResultId} (${c.specResultUrl}), ${c.citationStatus} [specpower-ssj2008]`,
      // The collection is graded B (copied via CloudSim/OpenDC, not re-checked); a doubtful citation is C.
      grade: c.citationStatus === 'citation doubtful' ? 'C' : SEEDS.servers.provenance.grade,
    };
  }
  const workloadShapes: Record<string, WorkloadShape> = {};
  for (const s of SEEDS.workload.shapes) {
    workloadShapes[s.id] = {
      id: s.id,
      label: s.label,
      weekly: s.weekly,
      meanUtilisation: s.cpuUtilisation.mean,
      source: `${s.label}; ${SEEDS.workload.provenance.attribution}; mean = ${s.meanUtilisationMeaning}`,
      grade: s.grade,
    };
  }
  const a = SEEDS.assumptions;
  return {
    clusters,
    climates,
    tariffCalendars: Object.fromEntries(SEEDS.tariffs.map((t) => [t.id, t])),
    powerCurves,
    defaultPowerCurve: SEEDS.servers.default,
    workloadShapes,
    defaultWorkloadShape: SEEDS.workload.default,
    targets: SEEDS.targets as TargetReference[],
    incentives: Object.fromEntries(
      SEEDS.incentives
        .filter((i) => i.kind === 'delivered-price' || i.kind === 'discount' || i.kind === 'cap')
        .map((i) => [i.id, i as unknown as IncentiveReference]),
    ),
    gb40879Thresholds: SEEDS.gb40879Thresholds.value as [number, number, number],
    demandCentres: SEEDS.demandCentres.centres,
    assumptions: {
      routeFactor: sourced(a.routeFactor),
      egressPeakFactor: sourced(a.egressPeakFactor),
      tdCnyPerKwh: sourced(a.tdCnyPerKwh),
      fundsCnyPerKwh: sourced(a.fundsCnyPerKwh),
      discountRate: sourced(a.discountRate),
      windFullLoadHoursByProvince: {
        source: a.windFullLoadHoursByProvince.source,
        grade: a.windFullLoadHoursByProvince.grade,
        provinces: a.windFullLoadHoursByProvince.provinces as Record<string, number | null>,
      },
    },
    costs: Object.fromEntries(
      Object.entries(SEEDS.costs)
        .filter(([k]) => k !== '$comment')
        .map(([k, v]) => [k, sourced(v as { value: number; source: string; grade: string })]),
    ) as EngineReference['costs'],
  };
}

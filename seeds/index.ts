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
import type { TariffBook } from '../models/tariff-book.ts';
import assumptionsJson from './assumptions.json' with { type: 'json' };
import lanzhouClimate from './climate/lanzhou.json' with { type: 'json' };
import pingliangClimate from './climate/pingliang.json' with { type: 'json' };
import qingyangClimate from './climate/qingyang.json' with { type: 'json' };
import wuhanClimate from './climate/wuhan.json' with { type: 'json' };
import xianClimate from './climate/xian.json' with { type: 'json' };
import zhengzhouClimate from './climate/zhengzhou.json' with { type: 'json' };
import clustersJson from './clusters.json' with { type: 'json' };
import costsJson from './costs.json' with { type: 'json' };
import demandCentresJson from './demand-centres.json' with { type: 'json' };
import {
  AssumptionsFileSchema,
  ClimateFileSchema,
  ClustersFileSchema,
  CostsFileSchema,
  checkSeedFile,
  DemandCentresFileSchema,
  GridFactorsFileSchema,
  IncentivesFileSchema,
  PowerCurvesFileSchema,
  SupplyFileSchema,
  TargetsFileSchema,
  TariffFileSchema,
  WorkloadFileSchema,
} from './file-schemas.ts';
import gridFactorsJson from './grid-factors.json' with { type: 'json' };
import type { ClusterSeed, TargetSeed } from './schema.ts';
import specpowerJson from './servers/specpower.json' with { type: 'json' };
import targetsJson from './targets.json' with { type: 'json' };
import gansu2021 from './tariffs/gansu-2021.json' with { type: 'json' };
import gansu2024 from './tariffs/gansu-2024.json' with { type: 'json' };
import henan2022 from './tariffs/henan-2022.json' with { type: 'json' };
import henan2024 from './tariffs/henan-2024.json' with { type: 'json' };
import hubei2024 from './tariffs/hubei-2024.json' with { type: 'json' };
import hubei2024Draft from './tariffs/hubei-2024-draft.json' with { type: 'json' };
import incentivesJson from './tariffs/incentives.json' with { type: 'json' };
import supplyGansu from './tariffs/supply-gansu.json' with { type: 'json' };
import supplyHenan from './tariffs/supply-henan.json' with { type: 'json' };
import supplyHubei from './tariffs/supply-hubei.json' with { type: 'json' };
import workloadJson from './workload/shapes.json' with { type: 'json' };

/** A seeded climate: the statistics a typical year is rebuilt from, with the provenance of the file. */
export type SeededClimateStats = ClimateStats & { provenance: Record<string, string> };

/** The raw climate files by station id; each is checked when its station is first used. */
const CLIMATE_FILES: Record<string, unknown> = {
  lanzhou: lanzhouClimate,
  qingyang: qingyangClimate,
  wuhan: wuhanClimate,
  zhengzhou: zhengzhouClimate,
  pingliang: pingliangClimate,
  xian: xianClimate,
};

/** Climate statistics checked so far (a file is checked once per process, on first use). */
const climateStatsCache = new Map<string, SeededClimateStats>();

/**
 * The checked statistics of one seeded station (seeds/climate/<id>.json), or undefined for an id that
 * is not seeded. Throws `seeds/climate/<id>.json: <field>: <problem>` for a broken file.
 */
export function seededClimateStats(id: string): SeededClimateStats | undefined {
  let s = climateStatsCache.get(id);
  if (!s && Object.hasOwn(CLIMATE_FILES, id)) {
    s = checkSeedFile(`climate/${id}.json`, ClimateFileSchema, CLIMATE_FILES[id]);
    climateStatsCache.set(id, s);
  }
  return s;
}

const clustersFile = checkSeedFile('clusters.json', ClustersFileSchema, clustersJson);
const targetsFile = checkSeedFile('targets.json', TargetsFileSchema, targetsJson);
const tariffFiles: Array<[string, unknown]> = [
  ['tariffs/gansu-2021.json', gansu2021],
  ['tariffs/gansu-2024.json', gansu2024],
  ['tariffs/henan-2022.json', henan2022],
  ['tariffs/henan-2024.json', henan2024],
  ['tariffs/hubei-2024.json', hubei2024],
  ['tariffs/hubei-2024-draft.json', hubei2024Draft],
];
const supplyFiles: Array<[string, unknown]> = [
  ['tariffs/supply-gansu.json', supplyGansu],
  ['tariffs/supply-henan.json', supplyHenan],
  ['tariffs/supply-hubei.json', supplyHubei],
];

/**
 * The seed bundle: every reference number dcplan ships, with its source and grade. Imported statically
 * so the same bundle serves the CLI, the server (which also loads it into SQLite) and the browser. Each
 * file is checked against its schema (seeds/file-schemas.ts) as it is loaded; the climate files, the
 * bulk of the bundle, when first used (`seededClimateStats`, or all of them on reading `climates`).
 */
export const SEEDS = {
  clusters: clustersFile.clusters as ClusterSeed[],
  targets: targetsFile.targets as TargetSeed[],
  gb40879Thresholds: targetsFile.gb40879Thresholds,
  tariffs: tariffFiles.map(([file, data]) => {
    const cal = checkSeedFile(file, TariffFileSchema, data);
    validateCalendar(cal);
    return cal;
  }) satisfies TariffCalendar[],
  /** Each province's tariff book: T&D by regulatory period, grid-agency purchase components by date. */
  tariffBooks: supplyFiles.map(([file, data]) => checkSeedFile(file, SupplyFileSchema, data)),
  incentives: checkSeedFile('tariffs/incentives.json', IncentivesFileSchema, incentivesJson).incentives,
  /** Every seeded station's statistics (checks all the climate files on first read). */
  get climates(): Record<string, SeededClimateStats> {
    return Object.fromEntries(Object.keys(CLIMATE_FILES).map((id) => [id, seededClimateStats(id)!]));
  },
  /** Ids of the seeded stations (no file is checked). */
  climateIds: Object.keys(CLIMATE_FILES),
  gridFactors: checkSeedFile('grid-factors.json', GridFactorsFileSchema, gridFactorsJson),
  demandCentres: checkSeedFile('demand-centres.json', DemandCentresFileSchema, demandCentresJson),
  assumptions: checkSeedFile('assumptions.json', AssumptionsFileSchema, assumptionsJson),
  costs: checkSeedFile('costs.json', CostsFileSchema, costsJson),
  servers: checkSeedFile('servers/specpower.json', PowerCurvesFileSchema, specpowerJson),
  workload: checkSeedFile('workload/shapes.json', WorkloadFileSchema, workloadJson),
};

export type SeedBundle = typeof SEEDS;

/** Climate years rebuilt from the seeded statistics on first use, one station at a time (pure data). */
const climateCache = new Map<string, ClimateYear>();

/**
 * Where climate years rebuilt ahead of time can come from: given a station id and the fingerprint of
 * its statistics file, the year rebuilt from exactly that file, or undefined. The CLI and the server
 * read the one the build wrote (server/climate-cache.ts, dist/climates.bin); the page and the tests
 * rebuild.
 */
export type PrebuiltClimates = (id: string, fingerprint: string) => ClimateYear | undefined;
let prebuilt: PrebuiltClimates | null = null;

/** Take seeded climate years from `source` before rebuilding them (null: always rebuild). */
export function usePrebuiltClimates(source: PrebuiltClimates | null): void {
  prebuilt = source;
}

/**
 * Fingerprint of a seeded station's statistics file: FNV-1a (32 bit) of its JSON text, in hex. A
 * climate year rebuilt ahead of time is used only when it was rebuilt from a file with this print.
 */
export function seededClimateFingerprint(id: string): string | undefined {
  if (!Object.hasOwn(CLIMATE_FILES, id)) return undefined;
  const text = JSON.stringify(CLIMATE_FILES[id]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * The typical climate year of one seeded station, rebuilt once per process from its statistics (or
 * taken from a source of years rebuilt ahead of time from the same file: `usePrebuiltClimates`).
 */
export function seededClimate(id: string): ClimateYear | undefined {
  let y = climateCache.get(id);
  if (!y) {
    if (!Object.hasOwn(CLIMATE_FILES, id)) return undefined;
    y = prebuilt?.(id, seededClimateFingerprint(id) as string) ?? rebuildSeededClimate(id);
    climateCache.set(id, y);
  }
  return y;
}

/** Rebuild a seeded station's climate year from its checked statistics (no cache of any kind). */
export function rebuildSeededClimate(id: string): ClimateYear {
  const stats = seededClimateStats(id);
  if (!stats) throw new Error(`climate ${id}: not seeded`);
  return rebuildClimateYear(stats);
}

/** The typical climate years of every seeded station. */
export function seededClimates(): Record<string, ClimateYear> {
  return Object.fromEntries(SEEDS.climateIds.map((id) => [id, seededClimate(id)!]));
}

const regions = SEEDS.gridFactors.regions;

function clusterReference(c: ClusterSeed): ClusterReference {
  const prov = Object.hasOwn(SEEDS.gridFactors.provinces, c.province)
    ? SEEDS.gridFactors.provinces[c.province]
    : undefined;
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
    waterPrice: c.waterPriceCnyPerM3 ?? null,
    gridFactors: prov,
    regionGridFactors: regions[c.gridRegion],
    nationalGridFactors: regions.national,
    residualGridFactors: SEEDS.gridFactors.residual,
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
  // Seeded stations are rebuilt on first read (a getter per station): a run touches only its
  // clusters' climates, so a one-cluster CLI run rebuilds one year, not every seeded one.
  const climates: Record<string, ClimateYear> = { ...(opts.extraClimates ?? {}) };
  const lazy = new Set<string>();
  for (const c of Object.values(clusters)) {
    const id = c.climate;
    if (lazy.has(id) || (Object.hasOwn(climates, id) && climates[id] !== undefined)) continue;
    lazy.add(id);
    if (!Object.hasOwn(CLIMATE_FILES, id)) throw new Error(`cluster ${c.id}: unknown climate "${id}"`);
    Object.defineProperty(climates, id, {
      enumerable: true,
      configurable: true,
      get: () => seededClimate(id)!,
    });
  }
  const powerCurves: Record<string, PowerCurve> = {};
  for (const c of SEEDS.servers.curves) {
    powerCurves[c.id] = {
      id: c.id,
      label: `${c.model} (${c.specResultId})`,
      fractionAtLoad: c.fractionAtLoad,
      source: `SPECpower_ssj2008 ${c.specResultId}${c.specResultUrl ? ` (${c.specResultUrl})` : ''}${c.citationStatus ? `, ${c.citationStatus}` : ''} [specpower-ssj2008]`,
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
  const { $comment: _comment, ...costs } = SEEDS.costs;
  return {
    clusters,
    climates,
    tariffCalendars: Object.fromEntries(SEEDS.tariffs.map((t) => [t.id, t])),
    tariffBooks: Object.fromEntries(
      SEEDS.tariffBooks.map(({ $comment: _c, published: _p, ...b }) => [b.province, b as TariffBook]),
    ),
    powerCurves,
    defaultPowerCurve: SEEDS.servers.default,
    workloadShapes,
    defaultWorkloadShape: SEEDS.workload.default,
    targets: SEEDS.targets as TargetReference[],
    incentives: Object.fromEntries(
      SEEDS.incentives
        .filter((i): i is Exclude<typeof i, { kind: 'qualitative' }> => i.kind !== 'qualitative')
        .map((i): [string, IncentiveReference] => [i.id, i]),
    ),
    gb40879Thresholds: SEEDS.gb40879Thresholds.value,
    demandCentres: SEEDS.demandCentres.centres,
    assumptions: {
      routeFactor: sourced(a.routeFactor),
      latencyEquipmentMs: sourced(a.latencyEquipmentMs),
      egressPeakFactor: sourced(a.egressPeakFactor),
      discountRate: sourced(a.discountRate),
      windFullLoadHoursByProvince: {
        source: a.windFullLoadHoursByProvince.source,
        grade: a.windFullLoadHoursByProvince.grade,
        provinces: a.windFullLoadHoursByProvince.provinces,
      },
    },
    costs: Object.fromEntries(
      Object.entries(costs).map(([k, v]) => [k, sourced(v)]),
    ) as EngineReference['costs'],
  };
}

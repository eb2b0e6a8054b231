import { z } from 'zod';
import { WIND_QUANTILE_P } from '../models/climate.ts';
import { PRICE_COMPONENTS, TARIFF_STATUSES, VOLTAGE_LEVELS } from '../models/tariff.ts';
import { ClusterSeedSchema, GradeSchema, TargetSeedSchema } from './schema.ts';

/**
 * Schemas of whole seed files (seeds/…/*.json), checked when seeds/index.ts loads them, so a broken
 * file stops dcplan with one line naming the file and the field (`seeds/climate/lanzhou.json:
 * daily.tMeanC[3]: Invalid input: expected number, received string`) instead of a wrong number or a
 * TypeError deep in a run. Objects are strict: a misspelt optional field is an error, not a silently
 * ignored one; the documentation fields each file carries (`$comment`, `provenance`, `label`, …) are
 * declared. No schema transforms or defaults, so a file that passes is used as it is.
 */

const HOURS_PER_DAY = 24;

/** Grades, plus NOT FOUND for a value the references do not give. */
const GradeOrNotFound = z.union([GradeSchema, z.literal('NOT FOUND')]);
const Comment = z.union([z.string(), z.array(z.string())]).optional();

/** `n` numbers. */
const numbers = (n: number) => z.array(z.number()).length(n);
/** 12 months × `n` numbers. */
const monthly = (n: number) => z.array(numbers(n)).length(12);

/** A value with its source and grade. */
const Sourced = z.strictObject({
  value: z.number(),
  unit: z.string().optional(),
  label: z.string().optional(),
  source: z.string().min(1),
  grade: GradeSchema,
});

/** A year-keyed series (kg/kWh) with its source. */
const ByYear = z.strictObject({
  byYear: z.record(z.string().regex(/^\d{4}$/, 'must be a four-digit year'), z.number().positive()),
  source: z.string().min(1),
  grade: GradeSchema,
});

/** seeds/climate/<id>.json: compact statistics of a typical year (models/climate.ts `ClimateStats`). */
export const ClimateFileSchema = z.strictObject({
  provenance: z.record(z.string(), z.string()),
  site: z.strictObject({
    id: z.string().min(1),
    name: z.string().min(1),
    wmo: z.string().optional(),
    latDeg: z.number().min(-90).max(90),
    lonDeg: z.number().min(-180).max(180),
    elevationM: z.number().min(-500).max(9000),
    utcOffsetHours: z.number().min(-12).max(14),
  }),
  source: z.string().min(1),
  daily: z.strictObject({
    tMeanC: numbers(365),
    tMinC: numbers(365),
    tMaxC: numbers(365),
    tDewMeanC: numbers(365),
    pressurePa: numbers(365),
    ghiWhM2: numbers(365),
    dniWhM2: numbers(365),
    dhiWhM2: numbers(365),
    windMps: numbers(365),
  }),
  monthly: z.strictObject({
    tShape: monthly(HOURS_PER_DAY),
    tDewAnomalyC: monthly(HOURS_PER_DAY),
    ghiShare: monthly(HOURS_PER_DAY),
    dniShare: monthly(HOURS_PER_DAY),
    dhiShare: monthly(HOURS_PER_DAY),
    windShape: monthly(HOURS_PER_DAY),
    windQuantiles: monthly(WIND_QUANTILE_P.length).optional(),
  }),
  extremes: z
    .array(z.strictObject({ hour: z.number().int().min(0).max(8759), tDryC: z.number(), tDewC: z.number() }))
    .optional(),
});

/** A 12 × 24 matrix of TOU period codes (0 valley, 1 flat, 2 peak, 3 critical). */
const PeriodMatrix = z.array(z.array(z.number().int().min(0).max(3)).length(HOURS_PER_DAY)).length(12);
const MonthRatio = z.strictObject({
  valley: z.number().optional(),
  peak: z.number().optional(),
  critical: z.number().optional(),
});
/** A charge the references do not give (the user enters it): value null with the reason. */
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be an ISO date (YYYY-MM-DD)' });
const PriceComponent = z.enum(PRICE_COMPONENTS);

export const TariffFileSchema = z.strictObject({
  id: z.string().min(1),
  province: z.string().min(1),
  label: z.string().min(1),
  effectiveFrom: IsoDate,
  effectiveTo: IsoDate.nullable(),
  status: z.enum(TARIFF_STATUSES),
  floats: z.array(PriceComponent).min(1),
  weekday: PeriodMatrix,
  weekend: PeriodMatrix.optional(),
  ratios: z.strictObject({
    valley: z.number(),
    flat: z.literal(1),
    peak: z.number(),
    critical: z.number().optional(),
  }),
  monthRatios: z
    .partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']), MonthRatio)
    .optional(),
  sources: z.array(
    z.strictObject({ field: z.string(), what: z.string(), source: z.string(), grade: GradeOrNotFound }),
  ),
});

const ByVoltage = z.strictObject(
  Object.fromEntries(VOLTAGE_LEVELS.map((v) => [v, z.number().min(0).max(1000).nullable()])) as Record<
    (typeof VOLTAGE_LEVELS)[number],
    z.ZodNullable<z.ZodNumber>
  >,
);
const BookFigure = z.strictObject({
  value: z.union([z.number().min(0).max(10), z.array(z.number().min(0).max(10)).length(12)]),
  source: z.string().min(1),
  grade: GradeOrNotFound,
  estimated: z.string().min(1).optional(),
});

/** A province's tariff book (models/tariff-book.ts): T&D by regulatory period, agency purchase components by date. */
export const SupplyFileSchema = z.strictObject({
  $comment: Comment,
  province: z.string().min(1),
  td: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        label: z.string().min(1),
        effectiveFrom: IsoDate,
        effectiveTo: IsoDate.nullable(),
        estimated: z.string().min(1).optional(),
        singlePartCnyPerKwh: ByVoltage,
        twoPartCnyPerKwh: ByVoltage,
        demandCnyPerKwMonth: ByVoltage,
        capacityCnyPerKvaMonth: ByVoltage,
        lineLossRate: z.number().min(0).max(0.2),
        fundsCnyPerKwh: z.number().min(0).max(1),
        source: z.string().min(1),
        grade: GradeOrNotFound,
        fundsSource: z.string().min(1).optional(),
        fundsGrade: GradeOrNotFound.optional(),
      }),
    )
    .min(1),
  energy: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        label: z.string().min(1),
        effectiveFrom: IsoDate,
        energyCnyPerKwh: BookFigure,
        lineLossCnyPerKwh: BookFigure,
        systemOperationCnyPerKwh: BookFigure,
      }),
    )
    .min(1),
  /** A published table the book must rebuild (tests read it). */
  published: z
    .strictObject({
      $comment: Comment,
      month: z.string(),
      rows: z.array(
        z.strictObject({
          structure: z.enum(['single-part', 'two-part']),
          voltage: z.enum(VOLTAGE_LEVELS),
          nonTou: z.number(),
          critical: z.number(),
          peak: z.number(),
          flat: z.number(),
          valley: z.number(),
          demand: z.number().optional(),
          capacity: z.number().optional(),
        }),
      ),
    })
    .optional(),
});

const incentive = {
  id: z.string().min(1),
  province: z.string().min(1),
  unit: z.string().optional(),
  label: z.string(),
  source: z.string().min(1),
  grade: GradeOrNotFound,
};

/**
 * seeds/tariffs/incentives.json: incentives named in the references; the quantitative kinds (models'
 * `IncentiveReference`) carry their number, the qualitative ones are listed for the record.
 */
export const IncentivesFileSchema = z.strictObject({
  $comment: Comment,
  incentives: z.array(
    z.discriminatedUnion('kind', [
      z.strictObject({ ...incentive, kind: z.literal('delivered-price'), cnyPerKwh: z.number().positive() }),
      z.strictObject({ ...incentive, kind: z.literal('cap'), cnyPerKwh: z.number().positive() }),
      z.strictObject({ ...incentive, kind: z.literal('discount'), fraction: z.number().gt(0).lt(1) }),
      z.strictObject({ ...incentive, kind: z.literal('qualitative') }),
    ]),
  ),
});

/** seeds/grid-factors.json: location-based grid emission factors by province and by regional grid. */
export const GridFactorsFileSchema = z.strictObject({
  $comment: Comment,
  provinces: z.record(z.string(), ByYear),
  regions: z.record(z.string(), ByYear).refine((r) => Object.hasOwn(r, 'national'), {
    message: 'must include national',
  }),
  residual: ByYear,
});

/** seeds/costs.json: cost defaults (the keys of `EngineReference.costs`), each sourced. */
export const CostsFileSchema = z.strictObject({
  $comment: Comment,
  pvCapexCnyPerW: Sourced,
  windCapexCnyPerW: Sourced,
  storageCapexCnyPerWh2h: Sourced,
  storageCapexCnyPerWh4h: Sourced,
  certificatePriceCnyPerMwh: Sourced,
  pvOmFractionPerYear: Sourced,
  windOmFractionPerYear: Sourced,
  storageOmFractionPerYear: Sourced,
  assetLifeYears: Sourced,
  dcBuildUsdPerMwIt: Sourced,
  cnyPerUsd: Sourced,
  dcShellShare: Sourced,
  dcSiteShare: Sourced,
  dcCriticalShare: Sourced,
  dcWhiteSpaceShare: Sourced,
  dcOtherShare: Sourced,
  dcPowerShareOfCritical: Sourced,
  dcLiquidCoolingPremium: Sourced,
  dcMidSpecKwPerRack: Sourced,
  dcMaintenanceFractionOfCapex: Sourced,
  dcStaffPer10Mw: Sourced,
  staffWageCnyPerYear: Sourced,
  staffOnCost: Sourced,
  rentCnyPerKwMonth: Sourced,
  dcFacilityLifeYears: Sourced,
});

/** seeds/assumptions.json: defaults the references do not give, each labelled. */
export const AssumptionsFileSchema = z.strictObject({
  $comment: Comment,
  routeFactor: Sourced,
  latencyEquipmentMs: Sourced,
  egressPeakFactor: Sourced,
  discountRate: Sourced,
  windFullLoadHoursByProvince: z.strictObject({
    unit: z.string(),
    label: z.string(),
    source: z.string().min(1),
    grade: GradeOrNotFound,
    provinces: z.record(z.string(), z.number().positive().nullable()),
  }),
});

/** seeds/demand-centres.json: city centres for latency estimates. */
export const DemandCentresFileSchema = z.strictObject({
  $comment: Comment,
  source: z.string().min(1),
  grade: GradeSchema,
  centres: z.array(
    z.strictObject({
      id: z.string().min(1),
      name: z.string().min(1),
      latDeg: z.number().min(-90).max(90),
      lonDeg: z.number().min(-180).max(180),
    }),
  ),
});

/** seeds/servers/specpower.json: server power curves (fraction of full power at 0, 10, …, 100 % load). */
export const PowerCurvesFileSchema = z.strictObject({
  provenance: z.record(z.string(), z.string()),
  default: z.string().min(1),
  defaultReason: z.string().optional(),
  curves: z.array(
    z.strictObject({
      id: z.string().min(1),
      model: z.string().min(1),
      configuration: z.string().optional(),
      specResultId: z.string().min(1),
      specResultUrl: z.string().optional(),
      citationStatus: z.string().optional(),
      powerW: numbers(11),
      fractionAtLoad: z.array(z.number().min(0).max(1)).length(11),
      via: z.record(z.string(), z.string()).optional(),
    }),
  ),
});

/** seeds/workload/shapes.json: weekly utilisation shapes (168 hours, mean 1) from public traces. */
export const WorkloadFileSchema = z.strictObject({
  provenance: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  default: z.string().min(1),
  defaultReason: z.string().optional(),
  shapes: z.array(
    z.strictObject({
      id: z.string().min(1),
      label: z.string().min(1),
      trace: z.string().optional(),
      weekly: z.array(z.number().min(0)).length(168),
      daily: z.array(z.number().min(0)).length(HOURS_PER_DAY).optional(),
      cpuUtilisation: z.strictObject({
        mean: z.number().gt(0).max(1),
        min: z.number().min(0).max(1),
        max: z.number().min(0).max(1),
      }),
      meanUtilisationMeaning: z.string(),
      grade: GradeSchema,
    }),
  ),
});

/** seeds/clusters.json: the seeded clusters. */
export const ClustersFileSchema = z.strictObject({ $comment: Comment, clusters: z.array(ClusterSeedSchema) });

/** seeds/targets.json: policy targets and the GB 40879 PUE grade thresholds. */
export const TargetsFileSchema = z.strictObject({
  $comment: Comment,
  gb40879Thresholds: z.strictObject({
    value: z.tuple([z.number(), z.number(), z.number()]),
    source: z.string().min(1),
    grade: GradeSchema,
  }),
  targets: z.array(TargetSeedSchema),
});

/** Every seed file seeds/index.ts loads, by its path under seeds/ (a `*` matches any file name). */
export const SEED_FILE_SCHEMAS = {
  'assumptions.json': AssumptionsFileSchema,
  'climate/*.json': ClimateFileSchema,
  'clusters.json': ClustersFileSchema,
  'costs.json': CostsFileSchema,
  'demand-centres.json': DemandCentresFileSchema,
  'grid-factors.json': GridFactorsFileSchema,
  'servers/specpower.json': PowerCurvesFileSchema,
  'targets.json': TargetsFileSchema,
  'tariffs/incentives.json': IncentivesFileSchema,
  'tariffs/*.json': TariffFileSchema,
  'tariffs/supply-*.json': SupplyFileSchema,
  'workload/shapes.json': WorkloadFileSchema,
} as const;

/**
 * The schema of a seed file, by its path under seeds/ (an exact entry wins over a `*` one).
 *
 * @example
 * schemaOfSeedFile('climate/lanzhou.json') === ClimateFileSchema // → true
 */
export function schemaOfSeedFile(file: string): z.ZodType | undefined {
  if (Object.hasOwn(SEED_FILE_SCHEMAS, file))
    return SEED_FILE_SCHEMAS[file as keyof typeof SEED_FILE_SCHEMAS];
  const dir = file.slice(0, file.lastIndexOf('/') + 1);
  const prefixed = `${dir}${file.slice(dir.length).split('-')[0]}-*.json`;
  if (Object.hasOwn(SEED_FILE_SCHEMAS, prefixed))
    return SEED_FILE_SCHEMAS[prefixed as keyof typeof SEED_FILE_SCHEMAS];
  const key = `${dir}*.json`;
  return Object.hasOwn(SEED_FILE_SCHEMAS, key)
    ? SEED_FILE_SCHEMAS[key as keyof typeof SEED_FILE_SCHEMAS]
    : undefined;
}

/** A zod issue path as written in the message: `daily.tMeanC[3]`, `clusters[0].location.latDeg`. */
function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${String(k)}` : String(k);
  }
  return out || '(file)';
}

/**
 * Check a parsed seed file against its schema; returns it unchanged (typed), or throws one line naming
 * the file and the first failing field, with the count of further problems.
 *
 * @example
 * checkSeedFile('costs.json', CostsFileSchema, { pvCapexCnyPerW: 4.15 })
 * // throws 'seeds/costs.json: pvCapexCnyPerW: Invalid input: expected object, received number (and 8 more problems)'
 */
export function checkSeedFile<S extends z.ZodType>(file: string, schema: S, data: unknown): z.output<S> {
  // Each file is checked once per process: zod's compiled fast path would cost more than it saves.
  const r = schema.safeParse(data, { jitless: true });
  if (r.success) return data as z.output<S>;
  const [first, ...rest] = r.error.issues;
  const more = rest.length ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
  throw new Error(`seeds/${file}: ${pathText(first.path)}: ${first.message}${more}`);
}

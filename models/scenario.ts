import { z } from 'zod';
import { COOLING_DESIGN_NAMES } from './cooling/design.ts';
import { clusterField, defaultText, type FieldRow, scenarioField } from './inputs.ts';
import {
  explainErrors,
  type FieldError,
  issuesToErrors,
  unknownChoice,
  ValidationError,
  valueAt,
} from './validation.ts';

export * from './validation.ts';

/**
 * The scenario schema: one zod schema gives the TypeScript type, runtime validation, the API's error
 * messages (field path + rule), the API reference (JSON Schema via `z.toJSONSchema`) and the UI's labels.
 * Its structure (objects, lists, variants by `kind`) is written here; every leaf is made from the
 * field's row in models/inputs.ts (kind, unit, label, hard bounds, default, source and grade), so a
 * field is declared once.
 *
 * Quantities accept a number in the field's unit, a string with a unit ("2.5 kW"), an expression of
 * `year` ("0.3078 * 1.02^(year - 2025)"), a year schedule ({ "2025": 0.4, "2028": 0.65 }) or a
 * distribution ({ "dist": "triangular", "min": 0.5, "mode": 0.65, "max": 0.8 }); see
 * `models/quantity.ts` and `models/distribution.ts`. Their bounds are checked for every simulated year after evaluation (the
 * preparation, models/prepare/resolve.ts).
 */

/** A distribution's number: in the field's unit, or a string with its unit ("0.3 CNY/kWh"). */
const distParam = z.union([z.number(), z.string().min(1).max(100)]);
const distUnit = z.string().min(1).max(50).optional();

/**
 * An uncertain quantity (issue 22; models/distribution.ts): its parameters in the field's unit, with a
 * `unit` for them all, or each a string with its unit; checked against the field's bounds when the run
 * is prepared. A plain run takes the median (listed in the assumptions); `dcplan montecarlo` draws.
 */
export const DistributionInputSchema = z
  .discriminatedUnion('dist', [
    z.strictObject({ dist: z.literal('uniform'), min: distParam, max: distParam, unit: distUnit }),
    z.strictObject({
      dist: z.literal('triangular'),
      min: distParam,
      mode: distParam,
      max: distParam,
      unit: distUnit,
    }),
    z.strictObject({ dist: z.literal('normal'), mean: distParam, sd: distParam, unit: distUnit }),
    z.strictObject({ dist: z.literal('lognormal'), mean: distParam, sd: distParam, unit: distUnit }),
    z.strictObject({
      dist: z.literal('discrete'),
      values: z.array(distParam).min(1).max(100),
      weights: z.array(z.number().min(0)).max(100).optional(),
      unit: distUnit,
    }),
  ])
  .meta({ label: 'Distribution (Monte Carlo)', 'x-distribution': true });

const quantityInput = z.union([
  z.number(),
  z.string().min(1).max(500),
  DistributionInputSchema,
  z.record(z.string(), z.union([z.number(), z.string().min(1).max(500)])),
]);

/** The metadata a row gives its schema node (read by the editor, the docs and the API reference). */
export function fieldMeta(row: FieldRow): Record<string, unknown> {
  const d = row.default;
  const meta: Record<string, unknown> = { label: row.label, 'x-zh': row.zh };
  if (row.unit !== undefined) meta.unit = row.unit;
  if (row.description) meta.description = row.description;
  if (row.typical) meta['x-typical'] = [row.typical.min, row.typical.max];
  if (row.refers) meta['x-refers'] = row.refers;
  if (row.table) meta['x-table'] = row.table;
  if (d) {
    if ('row' in d) {
      meta.default = d.row.value;
      meta['x-source'] = d.row.source;
      meta['x-grade'] = d.row.grade;
    } else if ('value' in d) {
      meta.default = d.value;
      meta['x-source'] = d.source;
      meta['x-grade'] = d.grade;
    } else {
      meta['x-default-ref'] = defaultText(row);
      if ('seed' in d) meta['x-default-seed'] = d.seed;
    }
  }
  return meta;
}

/** The zod schema of a leaf from its row, required or optional as the row says. */
function leaf(row: FieldRow, where: string, structure?: z.ZodType): z.ZodType {
  let s: z.ZodType;
  switch (row.kind) {
    case 'quantity':
      s = quantityInput.meta({
        ...(row.exclusiveMin ? { exclusiveMinimum: row.min } : { minimum: row.min }),
        maximum: row.max,
        'x-quantity': true,
      });
      break;
    case 'number': {
      let n = z.number();
      if (row.integer) n = n.int();
      if (row.min !== undefined) n = row.exclusiveMin ? n.gt(row.min) : n.min(row.min);
      if (row.max !== undefined) n = n.max(row.max);
      s = n;
      break;
    }
    case 'choice':
      s = z.enum(row.choices as [string, ...string[]]);
      break;
    case 'id':
      s = z.string().min(1).max(200);
      break;
    case 'text': {
      let t = z.string();
      if (row.min !== undefined) t = t.min(row.min);
      if (row.maxLength !== undefined) t = t.max(row.maxLength);
      s = t;
      break;
    }
    case 'texts':
      s = z.array(z.string().max(2000)).max(200);
      break;
    case 'ids':
      s = z.array(z.string().min(1).max(200)).max(200);
      break;
    case 'table':
      s = z.record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, { error: 'must be a parameter name' }),
        z.number(),
      );
      break;
    case 'structure':
      if (!structure) throw new Error(`scenario schema: ${where} needs its structure`);
      s = structure;
      break;
  }
  s = s.meta(fieldMeta(row));
  return row.required ? s : s.optional();
}

type Group = 'cluster' | 'top';
const rowOf = (group: Group, path: string) =>
  group === 'cluster' ? clusterField(path) : scenarioField(path);

/** A leaf of the expected kind; throws at load time when the row says otherwise (so types and rows agree). */
function typed<T extends z.ZodType>(
  group: Group,
  path: string,
  kinds: FieldRow['kind'][],
  required: boolean,
  structure?: z.ZodType,
): T {
  const row = rowOf(group, path);
  if (!kinds.includes(row.kind) || Boolean(row.required) !== required)
    throw new Error(
      `scenario schema: ${path} is declared ${row.required ? 'required' : 'optional'} ${row.kind} in models/inputs.ts`,
    );
  return leaf(row, path, structure) as T;
}

type Opt<T extends z.ZodType> = z.ZodOptional<T>;
type Quantity = typeof quantityInput;

/** Cluster fields by kind: optional (lower case) or required (`Req`). */
const q = (path: string) => typed<Opt<Quantity>>('cluster', path, ['quantity'], false);
const qReq = (path: string) => typed<Quantity>('cluster', path, ['quantity'], true);
const num = (path: string) => typed<Opt<z.ZodNumber>>('cluster', path, ['number'], false);
const numReq = (path: string) => typed<z.ZodNumber>('cluster', path, ['number'], true);
const str = (path: string) => typed<Opt<z.ZodString>>('cluster', path, ['id', 'text'], false);
const strReq = (path: string) => typed<z.ZodString>('cluster', path, ['id', 'text'], true);
const ids = (path: string) => typed<Opt<z.ZodArray<z.ZodString>>>('cluster', path, ['ids'], false);
const table = (path: string) =>
  typed<Opt<z.ZodRecord<z.ZodString, z.ZodNumber>>>('cluster', path, ['table'], false);
function choice<const T extends readonly [string, ...string[]]>(path: string, values: T) {
  const row = clusterField(path);
  if (JSON.stringify(row.choices) !== JSON.stringify(values))
    throw new Error(`scenario schema: the choices of ${path} differ from models/inputs.ts`);
  return typed<Opt<z.ZodEnum<{ [K in T[number]]: K }>>>('cluster', path, ['choice'], false);
}
function choiceReq<const T extends readonly [string, ...string[]]>(path: string, values: T) {
  const row = clusterField(path);
  if (JSON.stringify(row.choices) !== JSON.stringify(values))
    throw new Error(`scenario schema: the choices of ${path} differ from models/inputs.ts`);
  return typed<z.ZodEnum<{ [K in T[number]]: K }>>('cluster', path, ['choice'], true);
}
const structure = <T extends z.ZodType>(path: string, s: T) =>
  typed<Opt<T>>('cluster', path, ['structure'], false, s);
const structureReq = <T extends z.ZodType>(path: string, s: T) =>
  typed<T>('cluster', path, ['structure'], true, s);

const comment = z.union([z.string(), z.array(z.string())]).optional();

export const BuildoutPhaseSchema = z
  .strictObject({
    $comment: comment,
    year: numReq('buildout[].year'),
    racks: q('buildout[].racks'),
    standardRacks: q('buildout[].standardRacks'),
    itPowerKw: q('buildout[].itPowerKw'),
    kwPerRack: q('buildout[].kwPerRack'),
    retireYear: num('buildout[].retireYear'),
  })
  .superRefine((p, ctx) => {
    const given = ['racks', 'standardRacks', 'itPowerKw'].filter((k) => p[k as keyof typeof p] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'give exactly one of racks, standardRacks, itPowerKw',
        path: [],
      });
    }
    if (p.racks !== undefined && p.kwPerRack === undefined) {
      ctx.addIssue({ code: 'custom', message: 'required with racks', path: ['kwPerRack'] });
    }
    if (p.itPowerKw !== undefined && p.kwPerRack === undefined) {
      ctx.addIssue({ code: 'custom', message: 'required with itPowerKw', path: ['kwPerRack'] });
    }
    if (p.retireYear !== undefined && (p.retireYear as number) <= (p.year as number)) {
      ctx.addIssue({ code: 'custom', message: 'must be after year', path: ['retireYear'] });
    }
  })
  .meta({ label: 'Build-out phase' });

const EscalationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('rate'),
    ratePerYear: numReq('tariff.escalation.ratePerYear'),
    baseYear: numReq('tariff.escalation.baseYear'),
  }),
  z.strictObject({
    kind: z.literal('schedule'),
    factors: structureReq(
      'tariff.escalation.factors',
      z.record(z.string().regex(/^\d{4}$/), z.number().min(0).max(100)),
    ),
  }),
]);

const TwoPartSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('capacity'),
    cnyPerKvaMonth: q('tariff.twoPart.cnyPerKvaMonth'),
    kva: q('tariff.twoPart.kva'),
    kvaPerItKw: q('tariff.twoPart.kvaPerItKw'),
  }),
  z.strictObject({ kind: z.literal('demand'), cnyPerKwMonth: q('tariff.twoPart.cnyPerKwMonth') }),
]);

const IncentiveSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('delivered-price'), cnyPerKwh: qReq('tariff.incentive.cnyPerKwh') }),
  z.strictObject({ kind: z.literal('discount'), fraction: qReq('tariff.incentive.fraction') }),
  z.strictObject({ kind: z.literal('cap'), cnyPerKwh: qReq('tariff.incentive.cnyPerKwh') }),
  z.strictObject({ kind: z.literal('seeded'), id: strReq('tariff.incentive.id') }),
]);

export const TariffChoiceSchema = z
  .strictObject({
    $comment: comment,
    calendar: str('tariff.calendar'),
    voltage: choice('tariff.voltage', ['<1kV', '1-10kV', '35kV', '110kV', '220kV+']),
    structure: choice('tariff.structure', ['single-part', 'two-part']),
    contractKva: q('tariff.contractKva'),
    contractKvaPerItKw: q('tariff.contractKvaPerItKw'),
    energyPriceCnyPerKwh: q('tariff.energyPriceCnyPerKwh'),
    lineLossCnyPerKwh: q('tariff.lineLossCnyPerKwh'),
    tdCnyPerKwh: q('tariff.tdCnyPerKwh'),
    systemOperationCnyPerKwh: q('tariff.systemOperationCnyPerKwh'),
    fundsCnyPerKwh: q('tariff.fundsCnyPerKwh'),
    touAppliesTo: choice('tariff.touAppliesTo', [
      'energy',
      'energy+lineloss',
      'energy+td',
      'energy+lineloss+td',
    ]),
    twoPart: TwoPartSchema.optional().meta(fieldMeta(clusterField('tariff.twoPart.kind'))),
    incentive: IncentiveSchema.optional().meta(fieldMeta(clusterField('tariff.incentive.kind'))),
    escalation: EscalationSchema.optional().meta(fieldMeta(clusterField('tariff.escalation.kind'))),
  })
  .meta({ label: 'Electricity tariff', 'x-zh': '电价' });

export const CoolingChoiceSchema = z
  .strictObject({
    $comment: comment,
    design: strReq('cooling.design'),
    facilityClass: choice('cooling.facilityClass', ['hyperscale', 'large', 'small']),
    overrides: table('cooling.overrides'),
  })
  .meta({ label: 'Cooling', 'x-zh': '制冷' });

export const NetworkChoiceSchema = z
  .strictObject({
    $comment: comment,
    gbpsPerStandardRack: q('network.gbpsPerStandardRack'),
    peakFactor: q('network.peakFactor'),
    outboundCapacityGbps: q('network.outboundCapacityGbps'),
    routeFactor: q('network.routeFactor'),
    equipmentMs: q('network.equipmentMs'),
  })
  .meta({ label: 'Network', 'x-zh': '网络' });

export const FinanceChoiceSchema = z
  .strictObject({
    $comment: comment,
    capexCnyPerRack: q('finance.capexCnyPerRack'),
    capexCnyPerKwIt: q('finance.capexCnyPerKwIt'),
    buildCnyPerKwIt: q('finance.buildCnyPerKwIt'),
    fitOutCnyPerRack: q('finance.fitOutCnyPerRack'),
    itCapexCnyPerKw: q('finance.itCapexCnyPerKw'),
    gridConnectionCny: q('finance.gridConnectionCny'),
    rentCnyPerRackMonth: q('finance.rentCnyPerRackMonth'),
    rentCnyPerKwMonth: q('finance.rentCnyPerKwMonth'),
    otherOpexCnyPerYear: q('finance.otherOpexCnyPerYear'),
    staffCnyPerYear: q('finance.staffCnyPerYear'),
    staffPer10Mw: q('finance.staffPer10Mw'),
    staffCostCnyPerYear: q('finance.staffCostCnyPerYear'),
    maintenanceFractionOfCapex: q('finance.maintenanceFractionOfCapex'),
    landLeaseCnyPerYear: q('finance.landLeaseCnyPerYear'),
    incentiveAwardCny: q('finance.incentiveAwardCny'),
    facilityLifeYears: q('finance.facilityLifeYears'),
    waterPriceCnyPerM3: q('finance.waterPriceCnyPerM3'),
    discountRate: num('finance.discountRate'),
  })
  .meta({ label: 'Finance', 'x-zh': '财务' });

export const GreenChoiceSchema = z
  .strictObject({
    $comment: comment,
    pv: z
      .strictObject({
        $comment: comment,
        dcKw: qReq('green.pv.dcKw'),
        tiltDeg: num('green.pv.tiltDeg'),
        azimuthDeg: num('green.pv.azimuthDeg'),
        tracking: choice('green.pv.tracking', ['fixed', 'single-axis']),
        beam: choice('green.pv.beam', ['dni', 'ghi-dhi']),
        overrides: table('green.pv.overrides'),
        capexCnyPerW: q('green.pv.capexCnyPerW'),
        fromYear: num('green.pv.fromYear'),
      })
      .optional()
      .meta({ label: 'On-site PV', 'x-zh': '场内光伏' }),
    wind: z
      .strictObject({
        $comment: comment,
        ratedKw: qReq('green.wind.ratedKw'),
        hubHeightM: num('green.wind.hubHeightM'),
        overrides: table('green.wind.overrides'),
        resource: structure(
          'green.wind.resource',
          z.union([
            z.literal('station'),
            z.strictObject({
              fullLoadHours: numReq('green.wind.resource.fullLoadHours'),
              source: strReq('green.wind.resource.source'),
            }),
          ]),
        ),
        capexCnyPerW: q('green.wind.capexCnyPerW'),
        fromYear: num('green.wind.fromYear'),
      })
      .optional()
      .meta({ label: 'On-site or dedicated wind', 'x-zh': '风电' }),
    battery: z
      .strictObject({
        $comment: comment,
        energyKwh: qReq('green.battery.energyKwh'),
        powerKw: qReq('green.battery.powerKw'),
        policy: choiceReq('green.battery.policy', ['arbitrage', 'peak-shaving', 'surplus', 'optimal']),
        roundTripEfficiency: num('green.battery.roundTripEfficiency'),
        depthOfDischarge: num('green.battery.depthOfDischarge'),
        fadePerYear: num('green.battery.fadePerYear'),
        fadePerCycle: num('green.battery.fadePerCycle'),
        capexCnyPerWh: q('green.battery.capexCnyPerWh'),
        fromYear: num('green.battery.fromYear'),
      })
      .optional()
      .meta({ label: 'Battery storage', 'x-zh': '储能' }),
    contracted: z
      .strictObject({
        $comment: comment,
        share: q('green.contracted.share'),
        mwh: q('green.contracted.mwh'),
        premiumCnyPerMwh: q('green.contracted.premiumCnyPerMwh'),
        priceCnyPerMwh: q('green.contracted.priceCnyPerMwh'),
      })
      .refine((v) => !(v.share !== undefined && v.mwh !== undefined), {
        message: 'give share or mwh, not both',
      })
      .refine((v) => !(v.premiumCnyPerMwh !== undefined && v.priceCnyPerMwh !== undefined), {
        message: 'give premiumCnyPerMwh or priceCnyPerMwh, not both',
      })
      .optional()
      .meta({ label: 'Contracted green power (绿电交易)', 'x-zh': '绿电交易' }),
    certificates: z
      .strictObject({
        $comment: comment,
        mwh: qReq('green.certificates.mwh'),
        priceCnyPerMwh: q('green.certificates.priceCnyPerMwh'),
      })
      .optional()
      .meta({ label: 'Green certificates (GEC)', 'x-zh': '绿证' }),
    exportCapKw: q('green.exportCapKw'),
    exportPriceCnyPerKwh: q('green.exportPriceCnyPerKwh'),
  })
  .meta({ label: 'Green power and storage', 'x-zh': '绿电与储能' });

const clusterFields = {
  $comment: comment,
  label: str('label'),
  buildout: z
    .array(BuildoutPhaseSchema)
    .min(1)
    .max(200)
    .meta({ label: 'Build-out phases', 'x-zh': '建设阶段' }),
  occupancy: qReq('occupancy'),
  serverUtilisation: q('serverUtilisation'),
  workloadShape: str('workloadShape'),
  workloadPhaseShiftHours: num('workloadPhaseShiftHours'),
  powerCurve: str('powerCurve'),
  cooling: CoolingChoiceSchema,
  tariff: TariffChoiceSchema.optional(),
  greenShare: q('greenShare'),
  green: GreenChoiceSchema.optional(),
  gridFactorKgPerKwh: q('gridFactorKgPerKwh'),
  residualFactorKgPerKwh: q('residualFactorKgPerKwh'),
  gridFactorScope: choice('gridFactorScope', ['province', 'region', 'national']),
  network: NetworkChoiceSchema.optional(),
  finance: FinanceChoiceSchema.optional(),
  targets: z
    .strictObject({
      $comment: comment,
      include: ids('targets.include'),
      exclude: ids('targets.exclude'),
    })
    .optional()
    .meta({ label: 'Targets', 'x-zh': '目标' }),
};

export const ClusterScenarioSchema = z
  .strictObject({ cluster: strReq('cluster'), ...clusterFields })
  .meta({ label: 'Cluster in a scenario', 'x-zh': '情景中的集群' });

/** Defaults shared by every cluster of a scenario; each cluster's own fields win. */
export const ClusterDefaultsSchema = z.strictObject(clusterFields).partial();

export const ScenarioSchema = z
  .strictObject({
    $comment: comment,
    $schema: z.string().max(500).optional(),
    name: typed<z.ZodString>('top', 'name', ['text'], true),
    description: typed<Opt<z.ZodString>>('top', 'description', ['text'], false),
    sources: typed<Opt<z.ZodArray<z.ZodString>>>('top', 'sources', ['texts'], false),
    startYear: typed<z.ZodNumber>('top', 'startYear', ['number'], true),
    years: typed<z.ZodNumber>('top', 'years', ['number'], true),
    defaults: ClusterDefaultsSchema.optional(),
    clusters: z.array(z.unknown()).min(1).max(50),
  })
  .meta({ label: 'Scenario', 'x-zh': '情景' });

export type ClusterScenario = z.infer<typeof ClusterScenarioSchema>;
export type Scenario = Omit<z.infer<typeof ScenarioSchema>, 'clusters'> & { clusters: ClusterScenario[] };

/** The overrides record (cooling, PV, wind) that holds an own `__proto__` key, if any. */
function protoOverride(cluster: Record<string, unknown>): string | null {
  const green = cluster.green as Record<string, unknown> | undefined;
  const records: Array<[string, unknown]> = [
    ['cooling.overrides', (cluster.cooling as { overrides?: unknown } | undefined)?.overrides],
    ['green.pv.overrides', (green?.pv as { overrides?: unknown } | undefined)?.overrides],
    ['green.wind.overrides', (green?.wind as { overrides?: unknown } | undefined)?.overrides],
  ];
  for (const [path, rec] of records)
    if (rec && typeof rec === 'object' && Object.hasOwn(rec, '__proto__')) return path;
  return null;
}

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
};
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under wrappers (optional, nullable, default, pipe). */
function unwrap(s: z.ZodType): z.ZodType {
  let d = defOf(s);
  while (d.innerType || d.in) {
    s = (d.innerType ?? d.in) as z.ZodType;
    d = defOf(s);
  }
  return s;
}

/**
 * The field names allowed at a path of a scenario (`clusters[0].tariff` → the tariff's fields; a
 * variant told apart by `kind` → that kind's fields), for "did you mean"; null where the path leaves
 * the schema.
 *
 * @example
 * scenarioKeysAt('clusters[0].cooling', input) // → ['$comment', 'design', 'facilityClass', 'overrides']
 */
export function scenarioKeysAt(path: string, input: unknown): string[] | null {
  const parts = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) =>
    m[2] !== undefined ? Number(m[2]) : m[1],
  );
  let s: z.ZodType = ScenarioSchema;
  let value: unknown = input;
  for (let i = 0; i < parts.length; i++) {
    const k = parts[i];
    value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[k] : undefined;
    if (i === 1 && parts[0] === 'clusters') {
      s = ClusterScenarioSchema;
      continue;
    }
    const d = defOf(unwrap(s));
    if (typeof k === 'number') {
      if (!d.element) return null;
      s = d.element;
      continue;
    }
    if (!d.shape?.[k]) return null;
    s = d.shape[k];
    const inner = defOf(unwrap(s));
    if (inner.options) {
      const kind = (value as { kind?: unknown } | undefined)?.kind;
      const pick = inner.options.find((o) => {
        const lit = defOf(unwrap(o)).shape?.kind;
        return (
          lit && (lit as unknown as { _zod: { def: { values?: unknown[] } } })._zod.def.values?.includes(kind)
        );
      });
      if (pick) s = pick;
    }
  }
  const d = defOf(unwrap(s));
  return d.shape ? Object.keys(d.shape) : null;
}

/** Field errors made to say what to do (models/validation.ts `explainErrors`) for a scenario input. */
export function explainScenarioErrors(errors: FieldError[], input: unknown): FieldError[] {
  const out = explainErrors(errors, input, (p) => scenarioKeysAt(p, input));
  return out.map((e) => {
    const m = /^invalid coolingDesign: (.*)$/.exec(e.message);
    return m ? { ...e, message: unknownChoice('cooling design', m[1], COOLING_DESIGN_NAMES) } : e;
  });
}

/** How many years before the reference data's first year a scenario may start without a warning. */
export const YEARS_BEFORE_DATA = 10;

/**
 * Warnings for inputs that are valid but implausible enough to make a result meaningless, one line
 * each, `path: what and what to do`: a build-out phase that starts after the last simulated year (or
 * is retired before the first), nothing in service at all within the simulated years, and a first year
 * more than `YEARS_BEFORE_DATA` years before `dataFromYear` (the first year of the seeded grid and
 * tariff figures, which then stand in for every year).
 *
 * @example
 * rangeWarnings({ startYear: 1999, years: 10, clusters: [c] } as Scenario, 0, 2021)
 * // → ['clusters[0].buildout[0].year: 2025 is after the last simulated year, 2008: …', …]
 */
export function rangeWarnings(s: Scenario, index: number, dataFromYear: number | null): string[] {
  const out: string[] = [];
  const first = s.startYear;
  const last = s.startYear + s.years - 1;
  const c = s.clusters[index];
  const never: string[] = [];
  c.buildout.forEach((p, j) => {
    const year = p.year as number;
    const retire = p.retireYear as number | undefined;
    if (year > last)
      never.push(
        `clusters[${index}].buildout[${j}].year: ${year} is after the last simulated year, ${last}: this phase is never in service — simulate more years or start it earlier`,
      );
    else if (retire !== undefined && retire <= first)
      never.push(
        `clusters[${index}].buildout[${j}].retireYear: ${retire} is not after the first simulated year, ${first}: this phase is never in service`,
      );
  });
  if (never.length === c.buildout.length)
    out.push(
      `clusters[${index}].buildout: no phase is in service in ${first}–${last} (the first starts in ${Math.min(...c.buildout.map((p) => p.year as number))}): every result is zero — check the years of the build-out and startYear`,
    );
  else out.push(...never);
  if (dataFromYear !== null && first < dataFromYear - YEARS_BEFORE_DATA)
    out.push(
      `startYear: ${first} is ${dataFromYear - first} years before the reference data begin (${dataFromYear}): the nearest figures stand in for every earlier year — the results describe today's prices and grid, not ${first}'s`,
    );
  return out;
}

/**
 * Validate a scenario object. Cluster entries are merged over `defaults` (shallow, the cluster wins)
 * before they are checked, so error paths point at `clusters[i]`.
 * Throws `ValidationError` whose message names the first field and rule.
 *
 * @example
 * parseScenario({ name: 'x', startYear: 2025, years: 0, clusters: [] }) // throws "years: must be ≥ 1"
 */
export function parseScenario(input: unknown): Scenario {
  const top = ScenarioSchema.safeParse(input);
  const errors: FieldError[] = [];
  if (!top.success) errors.push(...issuesToErrors(top.error.issues, '', input));
  // the cluster entries are checked even when a scenario-wide field is wrong: every error at once
  const given = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const rawClusters = top.success ? top.data.clusters : Array.isArray(given.clusters) ? given.clusters : [];
  const rawDefaults = top.success ? top.data.defaults : given.defaults;
  const defaults =
    rawDefaults && typeof rawDefaults === 'object' && !Array.isArray(rawDefaults)
      ? (rawDefaults as Record<string, unknown>)
      : {};
  const clusters: ClusterScenario[] = [];
  const mergedAll: unknown[] = [];
  rawClusters.forEach((raw, i) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push({ path: `clusters[${i}]`, message: 'must be an object' });
      return;
    }
    const merged = { ...defaults, ...(raw as Record<string, unknown>) };
    mergedAll[i] = merged;
    // zod's record drops a "__proto__" key silently; refuse it like any other unknown parameter.
    const proto = protoOverride(merged);
    if (proto) {
      errors.push({ path: `clusters[${i}].${proto}.__proto__`, message: 'unknown parameter' });
      return;
    }
    const r = ClusterScenarioSchema.safeParse(merged);
    if (r.success) clusters[i] = r.data;
    else {
      errors.push(...issuesToErrors(r.error.issues, `clusters[${i}]`, merged));
      // misspelt fields alone: the entry without them is still checked against the reference data
      if (r.error.issues.every((x) => x.code === 'unrecognized_keys')) {
        const stripped = structuredClone(merged);
        for (const x of r.error.issues) {
          const at = valueAt(stripped, x.path) as Record<string, unknown> | undefined;
          for (const k of (x as { keys: string[] }).keys) if (at) delete at[k];
        }
        const again = ClusterScenarioSchema.safeParse(stripped);
        if (again.success) clusters[i] = again.data;
      }
    }
  });
  if (errors.length) {
    // an error reported twice (the same path and rule) is said once
    const seen = new Set<string>();
    const unique = errors.filter((e) => {
      const k = `${e.path}|${e.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    const err = new ValidationError(explainScenarioErrors(unique, { ...given, clusters: mergedAll }));
    const valid = clusters.flatMap((c, i) => (c ? [i] : []));
    // (a cluster with misspelt fields only is among them, read without those fields)
    // a scenario-wide error (a name, a description) that leaves the years readable still lets the
    // valid clusters be checked against the reference data: their errors are said too
    const yearsReadable =
      Number.isInteger(given.startYear) &&
      Number.isInteger(given.years) &&
      !errors.some((e) => /^(startYear|years|clusters)$/.test(e.path));
    const topData = top.success
      ? top.data
      : yearsReadable
        ? { name: String(given.name ?? ''), startYear: given.startYear, years: given.years }
        : null;
    if (topData && valid.length) err.partial = { scenario: { ...topData, clusters } as never, valid };
    throw err;
  }
  if (!top.success) throw new Error('unreachable: a scenario error without a field error');
  const { clusters: _raw, ...rest } = top.data;
  return { ...rest, clusters };
}

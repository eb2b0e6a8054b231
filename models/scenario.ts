import { z } from 'zod';
import { annotateField, REFERENCE_DEFAULTS, rowMeta } from './inputs.ts';
import { BATTERY_TABLE } from './storage.ts';
import { WIND_TABLE } from './wind.ts';

/**
 * The scenario schema: one zod schema gives the TypeScript type, runtime validation, the API's error
 * messages (field path + rule), the API reference (JSON Schema via `z.toJSONSchema`) and the UI's labels
 * (the `unit`, `label` and `description` metadata on every field).
 *
 * Quantities (`q(...)`) accept a number in the field's unit, a string with a unit ("2.5 kW"), an
 * expression of `year` ("0.3078 * 1.02^(year - 2025)") or a year schedule ({ "2025": 0.4, "2028": 0.65 });
 * see `models/quantity.ts`. Range rules are checked for every simulated year after evaluation.
 */

/** Range rule of a quantity, checked on every evaluated value. */
export interface QuantityRule {
  unit: string;
  label: string;
  description?: string;
  min?: number;
  /** True when `min` itself is not allowed (> min). */
  exclusiveMin?: boolean;
  max?: number;
  /** Smallest non-zero value (physical floor: below it the engine's divisions lose all precision). */
  minPositive?: number;
  integer?: boolean;
}

const quantityInput = z.union([
  z.number(),
  z.string().min(1).max(500),
  z.record(z.string(), z.union([z.number(), z.string().min(1).max(500)])),
]);

/** Registry of quantity rules by schema instance, read by the resolver to check evaluated values. */
export const QUANTITY_RULES = new WeakMap<z.ZodType, QuantityRule>();

/** A scenario quantity with its unit, label and range rule. */
function q(rule: QuantityRule) {
  const schema = quantityInput.meta({
    unit: rule.unit,
    label: rule.label,
    description: rule.description,
    ...(rule.exclusiveMin ? { exclusiveMinimum: rule.min } : { minimum: rule.min }),
    maximum: rule.max,
    'x-quantity': true,
  });
  QUANTITY_RULES.set(schema, rule);
  return schema;
}

/** Check an evaluated value against its rule; returns the one-line error or null. */
export function checkRule(value: number, rule: QuantityRule): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (rule.min !== undefined) {
    if (rule.exclusiveMin ? !(value > rule.min) : !(value >= rule.min)) {
      return `must be ${rule.exclusiveMin ? '>' : '≥'} ${rule.min}`;
    }
  }
  if (rule.max !== undefined && !(value <= rule.max)) return `must be ≤ ${rule.max}`;
  if (rule.minPositive !== undefined && value !== 0 && Math.abs(value) < rule.minPositive)
    return `must be ${rule.exclusiveMin ? '' : '0 or '}≥ ${rule.minPositive}`;
  if (rule.integer && !Number.isInteger(value)) return 'must be a whole number';
  return null;
}

const year = z.number().int().min(1990).max(2100);

/** Overrides of an input table's rows by name (checked against the table when the run is prepared). */
const tableOverrides = (label: string) => z.record(z.string(), z.number()).optional().meta({ label });
const comment = z.union([z.string(), z.array(z.string())]).optional();

export const RULES = {
  racks: {
    unit: 'rack',
    label: 'Racks added',
    min: 0,
    max: 1e6,
    description: 'Physical racks this phase adds',
  },
  standardRacks: {
    unit: 'rack',
    label: 'Standard racks added',
    min: 0,
    max: 2e6,
    description: 'Capacity added in 2.5 kW standard-rack equivalents',
  },
  itPowerKw: { unit: 'kW', label: 'IT design power added', min: 0, max: 1e7 },
  kwPerRack: { unit: 'kW', label: 'Design power per rack', min: 0, exclusiveMin: true, max: 500 },
  occupancy: {
    unit: '',
    label: 'Occupancy (上架率)',
    min: 0,
    max: 1,
    minPositive: 1e-6,
    description: 'Fraction of built racks populated and powered',
  },
  serverUtilisation: {
    unit: '',
    label: 'Mean server utilisation',
    min: 0,
    exclusiveMin: true,
    minPositive: 1e-6,
    max: 1,
    description: 'Mean CPU load of installed servers; the weekly trace shape is scaled to it',
  },
  energyPrice: { unit: 'CNY/kWh', label: 'Energy price (flat period)', min: 0, max: 10 },
  tdPrice: { unit: 'CNY/kWh', label: 'T&D charge', min: 0, max: 10 },
  funds: { unit: 'CNY/kWh', label: 'Government funds and surcharges', min: 0, max: 10 },
  capacityCharge: { unit: 'CNY/kVA/month', label: 'Capacity charge', min: 0, max: 1000 },
  demandCharge: { unit: 'CNY/kW/month', label: 'Demand charge', min: 0, max: 1000 },
  kva: { unit: 'kVA', label: 'Contracted transformer capacity', min: 0, max: 1e8 },
  kvaPerItKw: { unit: '', label: 'Transformer kVA per kW of IT design power', min: 0, max: 10 },
  deliveredPrice: { unit: 'CNY/kWh', label: 'Delivered direct-trade price', min: 0, max: 10 },
  discount: { unit: '', label: 'Discount on the energy bill', min: 0, max: 1 },
  greenShare: {
    unit: '',
    label: 'Contracted green-power share',
    min: 0,
    max: 1,
    description: 'Share of facility energy bought as contracted green power (绿电交易)',
  },
  gridFactor: { unit: 'kg/kWh', label: 'Grid emission factor', min: 0, max: 2 },
  gbpsPerStandardRack: { unit: 'Gbps', label: 'Egress per occupied standard rack', min: 0, max: 1000 },
  peakFactor: { unit: '', label: 'Egress peak-to-mean factor', min: 1, max: 20 },
  outboundCapacityGbps: { unit: 'Gbps', label: 'Outbound bandwidth capacity', min: 0, max: 1e7 },
  routeFactor: { unit: '', label: 'Fibre route factor (route ÷ great-circle)', min: 1, max: 5 },
  capexCnyPerRack: { unit: 'CNY', label: 'Capex per rack (building + M&E)', min: 0, max: 1e8 },
  rentCnyPerRackMonth: { unit: 'CNY', label: 'Rack rental per occupied rack-month', min: 0, max: 1e6 },
  opexCnyPerYear: { unit: 'CNY', label: 'Other fixed opex per year', min: 0, max: 1e12 },
  waterPrice: { unit: 'CNY/m^3', label: 'Water price', min: 0, max: 100 },
  pvDcKw: { unit: 'kW', label: 'PV array DC rating', min: 0, max: 1e8 },
  windKw: { unit: 'kW', label: 'Wind farm rating', min: 0, max: 1e8 },
  batteryKwh: { unit: 'kWh', label: 'Battery energy', min: 0, max: 1e9 },
  batteryKw: { unit: 'kW', label: 'Battery power', min: 0, max: 1e8 },
  contractedMwh: { unit: 'MWh', label: 'Contracted green energy per year', min: 0, max: 1e9 },
  premium: { unit: 'CNY/MWh', label: 'Green-power premium over the grid price', min: -1000, max: 10000 },
  certificatesMwh: { unit: 'MWh', label: 'Green certificates (GEC) bought per year', min: 0, max: 1e9 },
  certificatePrice: { unit: 'CNY/MWh', label: 'Green certificate price', min: 0, max: 1000 },
  exportCapKw: { unit: 'kW', label: 'Export limit for on-site surplus', min: 0, max: 1e8 },
  exportPrice: { unit: 'CNY/kWh', label: 'Price for exported surplus', min: 0, max: 10 },
  capexCnyPerW: { unit: 'CNY/W', label: 'Installed cost per W', min: 0, max: 100 },
  capexCnyPerWh: { unit: 'CNY/Wh', label: 'Installed cost per Wh', min: 0, max: 100 },
  capexCnyPerKwIt: {
    unit: 'CNY/kW',
    label: 'Capex per kW of IT design power (building + M&E)',
    min: 0,
    max: 1e7,
  },
  itCapexCnyPerKw: { unit: 'CNY/kW', label: 'IT equipment capex per kW (optional)', min: 0, max: 1e7 },
  cny: { unit: 'CNY', label: 'Amount', min: 0, max: 1e13 },
  cnyPerYear: { unit: 'CNY', label: 'Amount per year', min: 0, max: 1e12 },
  fraction: { unit: '', label: 'Fraction', min: 0, max: 1 },
} satisfies Record<string, QuantityRule>;

export const BuildoutPhaseSchema = z
  .strictObject({
    $comment: comment,
    year: year.meta({ label: 'In service from (1 January)', unit: 'year' }),
    racks: q(RULES.racks).optional(),
    standardRacks: q(RULES.standardRacks).optional(),
    itPowerKw: q(RULES.itPowerKw).optional(),
    kwPerRack: q(RULES.kwPerRack).optional(),
    retireYear: year.optional().meta({ label: 'Retired from (1 January)', unit: 'year' }),
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
    if (p.retireYear !== undefined && p.retireYear <= p.year) {
      ctx.addIssue({ code: 'custom', message: 'must be after year', path: ['retireYear'] });
    }
  })
  .meta({ label: 'Build-out phase' });

const EscalationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('rate'), ratePerYear: z.number().min(-0.5).max(1), baseYear: year }),
  z.strictObject({
    kind: z.literal('schedule'),
    factors: z.record(z.string().regex(/^\d{4}$/), z.number().min(0).max(100)),
  }),
]);

const TwoPartSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('capacity'),
    cnyPerKvaMonth: q(RULES.capacityCharge),
    kva: q(RULES.kva).optional(),
    kvaPerItKw: q(RULES.kvaPerItKw).optional(),
  }),
  z.strictObject({ kind: z.literal('demand'), cnyPerKwMonth: q(RULES.demandCharge) }),
]);

const IncentiveSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('delivered-price'), cnyPerKwh: q(RULES.deliveredPrice) }),
  z.strictObject({ kind: z.literal('discount'), fraction: q(RULES.discount) }),
  z.strictObject({ kind: z.literal('cap'), cnyPerKwh: q(RULES.deliveredPrice) }),
  z.strictObject({ kind: z.literal('seeded'), id: z.string().min(1) }).meta({
    label: 'A quantitative incentive from seeds/tariffs/incentives.json, by id (e.g. gansu-delivered-0.28)',
  }),
]);

export const TariffChoiceSchema = z
  .strictObject({
    $comment: comment,
    calendar: z.string().min(1).optional().meta({ label: 'TOU calendar id (default: the cluster’s)' }),
    energyPriceCnyPerKwh: q(RULES.energyPrice).optional(),
    tdCnyPerKwh: q(RULES.tdPrice).optional(),
    fundsCnyPerKwh: q(RULES.funds).optional(),
    touAppliesTo: z.enum(['energy', 'energy+td']).optional(),
    twoPart: TwoPartSchema.optional(),
    incentive: IncentiveSchema.optional(),
    escalation: EscalationSchema.optional().meta({
      label: 'Energy-price escalation (multiplies energyPriceCnyPerKwh)',
    }),
  })
  .meta({ label: 'Electricity tariff' });

export const CoolingChoiceSchema = z
  .strictObject({
    $comment: comment,
    design: z.string().min(1).meta({ label: 'Cooling design' }),
    facilityClass: z
      .enum(['hyperscale', 'large', 'small'])
      .optional()
      .meta({ label: 'Facility class (parameter set of Lei & Masanet 2022)' }),
    overrides: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, { error: 'must be a parameter name' }), z.number())
      .optional()
      .meta({ label: 'Design parameter overrides' }),
  })
  .meta({ label: 'Cooling' });

export const NetworkChoiceSchema = z
  .strictObject({
    $comment: comment,
    gbpsPerStandardRack: q(RULES.gbpsPerStandardRack).optional(),
    peakFactor: q(RULES.peakFactor).optional(),
    outboundCapacityGbps: q(RULES.outboundCapacityGbps).optional(),
    routeFactor: q(RULES.routeFactor).optional(),
  })
  .meta({ label: 'Network' });

export const FinanceChoiceSchema = z
  .strictObject({
    $comment: comment,
    capexCnyPerRack: q(RULES.capexCnyPerRack).optional(),
    capexCnyPerKwIt: q(RULES.capexCnyPerKwIt).optional(),
    itCapexCnyPerKw: q(RULES.itCapexCnyPerKw).optional(),
    gridConnectionCny: q(RULES.cny).optional(),
    rentCnyPerRackMonth: q(RULES.rentCnyPerRackMonth).optional(),
    otherOpexCnyPerYear: q(RULES.opexCnyPerYear).optional(),
    staffCnyPerYear: q(RULES.cnyPerYear).optional(),
    maintenanceFractionOfCapex: q({
      ...RULES.fraction,
      label: 'Maintenance per year, share of capex',
    }).optional(),
    landLeaseCnyPerYear: q(RULES.cnyPerYear).optional(),
    incentiveAwardCny: q({
      ...RULES.cny,
      label: 'One-off award in the first year (e.g. relocation award)',
    }).optional(),
    waterPriceCnyPerM3: q(RULES.waterPrice).optional(),
    discountRate: z.number().min(-0.5).max(1).optional().meta({ label: 'Discount rate', unit: '1/yr' }),
  })
  .meta({ label: 'Finance' });

const fromYear = z
  .number()
  .int()
  .min(1990)
  .max(2100)
  .optional()
  .meta({ label: 'In service from', unit: 'year' });

export const GreenChoiceSchema = z
  .strictObject({
    $comment: comment,
    pv: z
      .strictObject({
        dcKw: q(RULES.pvDcKw),
        tiltDeg: z.number().min(0).max(90).optional(),
        azimuthDeg: z.number().min(0).max(360).optional(),
        tracking: z.enum(['fixed', 'single-axis']).optional(),
        beam: z.enum(['dni', 'ghi-dhi']).optional().meta({
          label: "Beam irradiance: the file's DNI (default) or the closure rebuild (GHI − DHI)/cos z",
        }),
        overrides: tableOverrides('PV parameter overrides (albedo, tempCoeffPerC, systemLoss, …)'),
        capexCnyPerW: q(RULES.capexCnyPerW).optional(),
        fromYear,
      })
      .optional(),
    wind: z
      .strictObject({
        ratedKw: q(RULES.windKw),
        hubHeightM: z.number().min(10).max(250).optional().meta({ label: 'Hub height', unit: 'm' }),
        overrides: tableOverrides('Wind parameter overrides (shearExponent, cutInMps, availability, …)'),
        resource: z
          .union([
            z.literal('station'),
            z.strictObject({
              fullLoadHours: z.number().min(50).max(6000).meta({ unit: 'h', label: 'Wind full-load hours' }),
              source: z.string().min(1).max(500).meta({ label: 'Where the figure comes from' }),
            }),
          ])
          .optional()
          .meta({
            label:
              "Wind resource: the station's 10 m wind as it is ('station'), or its hourly shape scaled to a full-load-hours figure with its source",
          }),
        capexCnyPerW: q(RULES.capexCnyPerW).optional(),
        fromYear,
      })
      .optional(),
    battery: z
      .strictObject({
        energyKwh: q(RULES.batteryKwh),
        powerKw: q(RULES.batteryKw),
        policy: z.enum(['arbitrage', 'peak-shaving', 'surplus']),
        roundTripEfficiency: z.number().gt(0).max(1).optional(),
        depthOfDischarge: z.number().gt(0).max(1).optional(),
        fadePerYear: z.number().min(0).max(0.2).optional(),
        fadePerCycle: z.number().min(0).max(0.01).optional(),
        capexCnyPerWh: q(RULES.capexCnyPerWh).optional(),
        fromYear,
      })
      .optional(),
    contracted: z
      .strictObject({
        share: q({ ...RULES.greenShare, label: 'Contracted green share of grid import' }).optional(),
        mwh: q(RULES.contractedMwh).optional(),
        premiumCnyPerMwh: q(RULES.premium).optional(),
        priceCnyPerMwh: q({
          ...RULES.certificatePrice,
          label: 'Contracted green energy price (replaces the energy component; T&D and funds still apply)',
          max: 10000,
        }).optional(),
      })
      .refine((c) => !(c.share !== undefined && c.mwh !== undefined), {
        message: 'give share or mwh, not both',
      })
      .refine((c) => !(c.premiumCnyPerMwh !== undefined && c.priceCnyPerMwh !== undefined), {
        message: 'give premiumCnyPerMwh or priceCnyPerMwh, not both',
      })
      .optional(),
    certificates: z
      .strictObject({ mwh: q(RULES.certificatesMwh), priceCnyPerMwh: q(RULES.certificatePrice).optional() })
      .optional(),
    exportCapKw: q(RULES.exportCapKw).optional(),
    exportPriceCnyPerKwh: q(RULES.exportPrice).optional(),
  })
  .meta({ label: 'Green power and storage' });

const clusterFields = {
  $comment: comment,
  label: z.string().max(200).optional(),
  buildout: z.array(BuildoutPhaseSchema).min(1).max(200),
  occupancy: q(RULES.occupancy),
  serverUtilisation: q(RULES.serverUtilisation).optional(),
  workloadShape: z.string().min(1).optional().meta({ label: 'Weekly utilisation shape' }),
  workloadPhaseShiftHours: z.number().int().min(-167).max(167).optional(),
  powerCurve: z.string().min(1).optional().meta({ label: 'Server power curve (SPECpower)' }),
  cooling: CoolingChoiceSchema,
  tariff: TariffChoiceSchema.optional(),
  greenShare: q(RULES.greenShare).optional(),
  green: GreenChoiceSchema.optional(),
  gridFactorKgPerKwh: q(RULES.gridFactor).optional(),
  gridFactorScope: z.enum(['province', 'region', 'national']).optional().meta({
    label:
      'Grid emission factor: provincial (default), regional grid or national average (seeds/grid-factors.json)',
  }),
  network: NetworkChoiceSchema.optional(),
  finance: FinanceChoiceSchema.optional(),
  targets: z
    .strictObject({
      include: z.array(z.string()).optional(),
      exclude: z.array(z.string()).optional(),
    })
    .optional(),
};

export const ClusterScenarioSchema = z
  .strictObject({ cluster: z.string().min(1).meta({ label: 'Cluster id' }), ...clusterFields })
  .meta({ label: 'Cluster in a scenario' });

/** Defaults shared by every cluster of a scenario; each cluster's own fields win. */
// Defaults declared once: the reference-data defaults say where they come from; the table rows give
// their value, source and grade (models/inputs.ts).
for (const [path, d] of Object.entries(REFERENCE_DEFAULTS))
  annotateField(ClusterScenarioSchema, path, {
    'x-default-ref': d.text,
    ...(d.seed ? { 'x-default-seed': d.seed } : {}),
  });
for (const [k, row] of Object.entries(BATTERY_TABLE))
  annotateField(ClusterScenarioSchema, `green.battery.${k}`, rowMeta(row));
annotateField(ClusterScenarioSchema, 'green.wind.hubHeightM', rowMeta(WIND_TABLE.hubHeightM));

export const ClusterDefaultsSchema = z.strictObject(clusterFields).partial();

export const ScenarioSchema = z
  .strictObject({
    $comment: comment,
    $schema: z.string().optional(),
    name: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    sources: z.array(z.string()).optional(),
    startYear: year.meta({ label: 'First simulated year', unit: 'year' }),
    years: z.number().int().min(1).max(100).meta({ label: 'Simulated years', unit: 'yr' }),
    defaults: ClusterDefaultsSchema.optional(),
    clusters: z.array(z.unknown()).min(1).max(50),
  })
  .meta({ label: 'Scenario' });

export type ClusterScenario = z.infer<typeof ClusterScenarioSchema>;
export type Scenario = Omit<z.infer<typeof ScenarioSchema>, 'clusters'> & { clusters: ClusterScenario[] };
export type BuildoutPhaseInput = z.infer<typeof BuildoutPhaseSchema>;

/** One validation problem: the field path (`clusters[0].buildout[1].racks`) and the rule. */
export interface FieldError {
  path: string;
  message: string;
}

/** Thrown for invalid input; `message` is the one-line `path: rule` of the first problem. */
export class ValidationError extends Error {
  readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super(errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message))[0] ?? 'invalid input');
    this.name = 'ValidationError';
    this.errors = errors;
  }
}

/** Format a zod issue path as `clusters[0].buildout[1].racks`. */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

const article = (w: string) => (/^[aeiou]/.test(w) ? `an ${w}` : `a ${w}`);
const TYPE_NAMES: Record<string, string> = { int: 'whole number', nan: 'number' };
const bound = (v: unknown) => (typeof v === 'bigint' ? String(v) : String(v));

/**
 * zod's default wording → the project's terse rules, from the issue's code (not its English):
 * `must be a number (got string)`, `must be ≥ 1`, `must have at most 200 characters`,
 * `must be one of "a", "b"`. A message the schema itself set (e.g. a regex rule) is kept.
 */
export function ruleOf(i: z.core.$ZodIssue, value?: unknown): string {
  const custom = !/^(Invalid|Too (small|big)|Expected|Unrecognized)/.test(i.message);
  if (custom) return i.message;
  switch (i.code) {
    case 'invalid_type': {
      const want = TYPE_NAMES[i.expected] ?? i.expected;
      const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
      return `must be ${article(want)}${value === undefined ? '' : ` (got ${got})`}`;
    }
    case 'too_small': {
      const n = bound(i.minimum);
      if (i.origin === 'string') return `must have at least ${n} character${n === '1' ? '' : 's'}`;
      if (i.origin === 'array' || i.origin === 'set')
        return `must have at least ${n} item${n === '1' ? '' : 's'}`;
      return `must be ${i.inclusive === false ? '>' : '≥'} ${n}`;
    }
    case 'too_big': {
      const n = bound(i.maximum);
      if (i.origin === 'string') return `must have at most ${n} characters`;
      if (i.origin === 'array' || i.origin === 'set') return `must have at most ${n} items`;
      return `must be ${i.inclusive === false ? '<' : '≤'} ${n}`;
    }
    case 'invalid_value':
      return `must be ${i.values.length === 1 ? '' : 'one of '}${i.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return i.format === 'regex' ? 'has the wrong format' : `must be ${article(i.format)}`;
    case 'not_multiple_of':
      return `must be a multiple of ${bound(i.divisor)}`;
    case 'invalid_key':
      return 'has an invalid key';
    default:
      return 'is invalid';
  }
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Is the schema at this path a quantity (number, string with unit or expression, year schedule)? */
function isQuantityUnion(i: z.core.$ZodIssue): boolean {
  if (i.code !== 'invalid_union') return false;
  // A quantity's branches are exactly number | string | record.
  const expected = i.errors.map((branch) => branch.find((x) => x.path.length === 0));
  return (
    expected.length === 3 &&
    expected[0]?.code === 'invalid_type' &&
    expected[0].expected === 'number' &&
    expected[2]?.code === 'invalid_type' &&
    expected[2].expected === 'record'
  );
}

function issuesToErrors(issues: z.core.$ZodIssue[], prefix: string, input: unknown): FieldError[] {
  return issues.map((i) => {
    const path = formatPath(i.path, prefix) || prefix;
    if (i.code === 'unrecognized_keys') {
      return { path, message: `unknown field ${i.keys.map((k) => `"${k}"`).join(', ')}` };
    }
    const value = valueAt(input, i.path);
    if ((i.code === 'invalid_type' || i.code === 'invalid_union') && value === undefined) {
      return { path, message: 'is required' };
    }
    if (isQuantityUnion(i)) {
      return { path, message: 'must be a number, a string with a unit or expression, or a year schedule' };
    }
    if (i.code === 'invalid_union') {
      const last = i.path[i.path.length - 1];
      if (last === '$comment') return { path, message: 'must be a string or an array of strings' };
      const note = (i as { note?: string }).note;
      if (note === 'No matching discriminator')
        return { path: `${path}.kind`, message: 'is not a known kind' };
      return { path, message: 'does not match any allowed form' };
    }
    return { path, message: ruleOf(i, value) };
  });
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
  if (!top.success) throw new ValidationError(issuesToErrors(top.error.issues, '', input));
  const { clusters: rawClusters, ...rest } = top.data;
  const defaults = rest.defaults ?? {};
  const errors: FieldError[] = [];
  const clusters: ClusterScenario[] = [];
  rawClusters.forEach((raw, i) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push({ path: `clusters[${i}]`, message: 'must be an object' });
      return;
    }
    const merged = { ...defaults, ...(raw as Record<string, unknown>) };
    // zod's record drops a "__proto__" key silently; refuse it like any other unknown parameter.
    const overrides = (merged.cooling as { overrides?: unknown } | undefined)?.overrides;
    if (overrides && typeof overrides === 'object' && Object.hasOwn(overrides, '__proto__')) {
      errors.push({ path: `clusters[${i}].cooling.overrides.__proto__`, message: 'unknown parameter' });
      return;
    }
    const r = ClusterScenarioSchema.safeParse(merged);
    if (r.success) clusters.push(r.data);
    else errors.push(...issuesToErrors(r.error.issues, `clusters[${i}]`, merged));
  });
  if (errors.length) throw new ValidationError(errors);
  return { ...rest, clusters };
}

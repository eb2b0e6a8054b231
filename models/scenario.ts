import { z } from 'zod';
import { type QuantityRule, RULES } from './rules.ts';
import { type FieldError, issuesToErrors, ValidationError } from './validation.ts';

export * from './rules.ts';
export * from './validation.ts';

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

const year = z.number().int().min(1990).max(2100);

/** Overrides of an input table's rows by name (checked against the table when the run is prepared). */
const tableOverrides = (label: string) => z.record(z.string(), z.number()).optional().meta({ label });
const comment = z.union([z.string(), z.array(z.string())]).optional();

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
    const proto = protoOverride(merged);
    if (proto) {
      errors.push({ path: `clusters[${i}].${proto}.__proto__`, message: 'unknown parameter' });
      return;
    }
    const r = ClusterScenarioSchema.safeParse(merged);
    if (r.success) clusters.push(r.data);
    else errors.push(...issuesToErrors(r.error.issues, `clusters[${i}]`, merged));
  });
  if (errors.length) throw new ValidationError(errors);
  return { ...rest, clusters };
}

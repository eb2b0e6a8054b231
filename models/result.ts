import { z } from 'zod';

/**
 * The result schema (DESIGN.md "Result JSON"): the contract of `dcplan simulate --format json` and
 * `POST /api/runs`. Field names, units and meanings of the DESIGN.md fields are fixed; fields may be added.
 * Every number carries its unit and label as metadata, so tables, CSV headers, chart axes and the API
 * reference all read them from here.
 */

const n = (unit: string, label: string, description?: string) =>
  z.number().meta({ unit, label, description });
const nn = (unit: string, label: string, description?: string) =>
  z.number().nullable().meta({ unit, label, description });

export const AnnualRowSchema = z.object({
  year: z.number().int().meta({ unit: 'year', label: 'Year' }),
  racksInService: n('racks', 'Racks in service'),
  standardRacks: n('std racks', 'Standard racks (2.5 kW)'),
  designItKw: n('kW', 'IT design power'),
  occupancy: n('', 'Occupancy (上架率)'),
  serverUtilisation: n('', 'Mean server utilisation'),
  itEnergyMwh: n('MWh', 'IT energy'),
  facilityEnergyMwh: n('MWh', 'Facility energy'),
  coolingEnergyMwh: n('MWh', 'Cooling energy'),
  electricalLossMwh: n('MWh', 'UPS and distribution losses'),
  pue: nn('', 'PUE', 'Σ facility energy ÷ Σ IT energy; null (not computed) in a year without IT energy'),
  peakItKw: n('kW', 'Peak IT power'),
  peakFacilityKw: n('kW', 'Peak facility power'),
  freeCoolingHours: n('h', 'Free-cooling hours'),
  partialCoolingHours: n('h', 'Partial free-cooling hours'),
  waterM3: n('m³', 'Site water'),
  wueLPerKwh: nn('L/kWh', 'WUE', 'Site water ÷ IT energy; null without IT energy'),
  electricityCostCny: n('CNY', 'Electricity cost'),
  energyChargeCny: n('CNY', 'Energy charge'),
  capacityChargeCny: n('CNY', 'Capacity / demand charge'),
  averagePriceCnyPerKwh: n('CNY/kWh', 'Average electricity price'),
  gridEnergyMwh: n('MWh', 'Grid (non-green) energy'),
  billedEnergyMwh: n(
    'MWh',
    'Grid energy billed (all imports, battery charging and contracted green included)',
  ),
  greenEnergyMwh: n('MWh', 'Green energy'),
  greenShare: n('', 'Green share'),
  gridFactorKgPerKwh: n('kg/kWh', 'Grid emission factor'),
  carbonLocationTco2: n('tCO2', 'Carbon, location-based'),
  carbonMarketTco2: n('tCO2', 'Carbon, market-based'),
  cueKgPerKwh: n('kg/kWh', 'CUE (location-based)'),
  egressGbps: nn('Gbps', 'Peak egress demand'),
  outboundCapacityGbps: nn('Gbps', 'Outbound capacity'),
  gb40879Grade: nn('grade', 'GB 40879 grade (1 best, 4 = worse than limit)'),
  pvMwh: n('MWh', 'PV output'),
  windMwh: n('MWh', 'Wind output'),
  onsiteGreenMwh: n('MWh', 'On-site renewables used'),
  curtailedMwh: n('MWh', 'Curtailed on-site output'),
  exportedMwh: n('MWh', 'Exported on-site output'),
  batteryChargeMwh: n('MWh', 'Battery charge'),
  batteryDischargeMwh: n('MWh', 'Battery discharge'),
  batteryCycles: n('cycles', 'Battery equivalent full cycles'),
  contractedGreenMwh: n('MWh', 'Contracted green power'),
  certificatesMwh: n('MWh', 'Green certificates'),
  greenShareHourly: n('', 'Green share, hourly matched (24×7)'),
  greenHoursAtLeast80: n('h', 'Hours with ≥ 80 % green supply'),
  greenCostCny: n('CNY', 'Green premiums and certificates'),
  exportRevenueCny: n('CNY', 'Export revenue'),
  energyComponentCny: n('CNY', 'Bill: energy (agency purchase or contract)'),
  lineLossCny: n('CNY', 'Bill: line-loss charge'),
  tdCny: n('CNY', 'Bill: T&D'),
  systemOperationCny: n('CNY', 'Bill: system-operation charge'),
  fundsCny: n('CNY', 'Bill: government funds'),
  incentiveCny: n('CNY', 'Bill: incentive (negative: a saving)'),
  energyComponentCnyPerKwh: n('CNY/kWh', 'Delivered price: energy'),
  lineLossCnyPerKwh: n('CNY/kWh', 'Delivered price: line loss'),
  tdCnyPerKwh: n('CNY/kWh', 'Delivered price: T&D'),
  systemOperationCnyPerKwh: n('CNY/kWh', 'Delivered price: system operation'),
  fundsCnyPerKwh: n('CNY/kWh', 'Delivered price: government funds'),
  incentiveCnyPerKwh: n('CNY/kWh', 'Delivered price: incentive'),
  capacityChargeCnyPerKwh: n('CNY/kWh', 'Delivered price: capacity or demand charge'),
});

export const MonthlyRowSchema = z.object({
  year: z.number().int(),
  month: z.number().int().meta({ label: 'Month', unit: '1–12' }),
  itEnergyMwh: n('MWh', 'IT energy'),
  facilityEnergyMwh: n('MWh', 'Facility energy'),
  pue: nn('', 'PUE'),
  energyChargeCny: n('CNY', 'Energy charge'),
  capacityChargeCny: n('CNY', 'Capacity / demand charge'),
  electricityCostCny: n('CNY', 'Electricity cost'),
  peakFacilityKw: n('kW', 'Peak facility power'),
  greenShare: n('', 'Green share (hourly matched)'),
});

export const TargetCheckSchema = z.object({
  id: z.string(),
  label: z.string(),
  source: z.string(),
  grade: z.string(),
  unit: z.string(),
  limit: z.number(),
  comparator: z.enum(['<=', '<', '>=', '>']),
  value: z.number().nullable(),
  met: z.boolean().nullable(),
  year: z.number().int(),
  metric: z.string(),
  /** What the target binds: a project, a cluster, a province or the nation (see models/targets.ts). */
  scope: z.enum(['project', 'cluster', 'province', 'nation']),
});

export const LatencySchema = z.object({
  to: z.string(),
  name: z.string(),
  distanceKm: n('km', 'Great-circle distance'),
  routeKm: n('km', 'Fibre route length'),
  equipmentMs: n('ms', 'Equipment and IP-layer part (one way)'),
  oneWayMs: n('ms', 'One-way latency'),
  roundTripMs: n('ms', 'Round-trip latency'),
});

export const FinanceSchema = z.object({
  capexCny: nn('CNY', 'Capex'),
  capexBreakdownCny: z.record(z.string(), z.number()).meta({ unit: 'CNY', label: 'Capex by item' }),
  capexPerMwItCny: nn('CNY/MW', 'Facility capex per MW of IT design power (building, M&E, fit-out)'),
  opexBreakdownCny: z
    .record(z.string(), z.number())
    .meta({ unit: 'CNY', label: 'Opex by line over the simulated years' }),
  salvageCny: n('CNY', 'Salvage value at the end of the simulated years (in the last cash flow)'),
  npvCny: nn('CNY', 'NPV'),
  irr: nn('', 'IRR'),
  paybackYears: nn('yr', 'Simple payback'),
  discountedPaybackYears: nn('yr', 'Discounted payback'),
  costPerRackYearCny: nn('CNY/rack-yr', 'Cost per occupied physical rack-year'),
  levelizedCostPerRackYearCny: nn(
    'CNY/rack-yr',
    'Levelized cost per occupied physical rack-year (discounted)',
  ),
  costPerStandardRackYearCny: nn('CNY/std-rack-yr', 'Cost per occupied standard-rack-year (2.5 kW)'),
  levelizedCostPerStandardRackYearCny: nn(
    'CNY/std-rack-yr',
    'Levelized cost per occupied standard-rack-year (2.5 kW, discounted)',
  ),
  costPerMwhItCny: nn('CNY/MWh', 'Cost per MWh IT'),
  lcoeOnsiteCnyPerMwh: nn('CNY/MWh', 'LCOE of on-site renewables'),
  discountRate: n('1/yr', 'Discount rate'),
  cashFlowCny: z.array(z.number()).meta({ unit: 'CNY', label: 'Net cash flow by year' }),
  note: z.string(),
});

export const AssumptionUsedSchema = z.object({
  field: z.string(),
  value: z.union([z.number(), z.string()]),
  /** Unit of a numeric value ('' for a fraction); absent for a text value. */
  unit: z.string().optional(),
  source: z.string(),
  grade: z.string(),
});

export const ClusterResultSchema = z.object({
  clusterId: z.string(),
  name: z.string(),
  province: z.string(),
  coolingDesign: z.string(),
  tariffCalendar: z.string(),
  tariffClass: z
    .object({
      voltage: z.string().meta({ label: 'Supply voltage level' }),
      structure: z.string().meta({ label: 'Billing structure' }),
      maxContractKva: n('kVA', 'Largest contract capacity'),
    })
    .meta({ label: 'How the grid bills the cluster' }),
  climateSource: z.string(),
  annual: z.array(AnnualRowSchema),
  monthly: z.array(MonthlyRowSchema),
  targets: z.array(TargetCheckSchema),
  latency: z.array(LatencySchema),
  publishedLatency: z.array(z.object({ text: z.string(), source: z.string(), grade: z.string() })),
  finance: FinanceSchema,
  greenProfile: z
    .object({
      year: z.number().int(),
      byHourOfDay: z.array(z.number()).meta({ unit: '', label: 'Green share by hour of day (0–23)' }),
      byMonth: z.array(z.number()).meta({ unit: '', label: 'Green share by month (1–12)' }),
      hoursAtLeast80: n('h', 'Hours with ≥ 80 % green supply'),
    })
    .nullable()
    .meta({ label: 'Hourly green-share profile of the last simulated year' }),
  assumptions: z.array(AssumptionUsedSchema),
  warnings: z.array(z.string()),
});

export const ComparisonSchema = z
  .object({
    best: z.string().nullable(),
    ranking: z.array(
      z.object({
        clusterId: z.string(),
        name: z.string(),
        costPerRackYearCny: nn('CNY/rack-yr', 'Cost per occupied physical rack-year'),
        levelizedCostPerRackYearCny: nn('CNY/rack-yr', 'Levelized cost per occupied physical rack-year'),
        costPerStandardRackYearCny: nn('CNY/std-rack-yr', 'Cost per occupied standard-rack-year (2.5 kW)'),
        npvCny: nn('CNY', 'NPV'),
        irr: nn('', 'IRR'),
        pue: nn('', 'PUE over the simulated years (null without IT energy)'),
        greenShare: n('', 'Green share over the simulated years'),
        carbonLocationTco2: n('tCO2', 'Carbon, location-based, all years'),
        averagePriceCnyPerKwh: n('CNY/kWh', 'Average grid price'),
        priceMakeUp: z
          .record(z.string(), z.number())
          .meta({ unit: 'CNY/kWh', label: 'Delivered price by component over the simulated years' }),
        rank: z.object({
          cost: z.number(),
          npv: z.number().nullable(),
          irr: z.number().nullable(),
          pue: z.number(),
          green: z.number(),
          carbon: z.number(),
        }),
      }),
    ),
    drivers: z.array(
      z.object({
        clusterId: z.string(),
        name: z.string(),
        gapCnyPerRackYear: n('CNY/rack-yr', 'Cost gap to the cheapest, per occupied physical rack-year'),
        priceEffect: n('CNY/rack-yr', 'Price effect (tariff, TOU, incentives)'),
        capacityChargeEffect: n('CNY/rack-yr', 'Capacity/demand charge effect'),
        pueEnergyEffect: n('CNY/rack-yr', 'Energy effect (PUE and on-site supply)'),
        greenAndOtherEffect: n('CNY/rack-yr', 'Green premiums, capex and other'),
      }),
    ),
    note: z.string(),
  })
  .nullable();

export const RunResultSchema = z.object({
  scenario: z.object({ name: z.string(), startYear: z.number().int(), years: z.number().int() }),
  engine: z.object({ version: z.string(), clusterHours: z.number() }),
  clusters: z.array(ClusterResultSchema),
  comparison: ComparisonSchema.optional(),
});

export type AnnualRow = z.infer<typeof AnnualRowSchema>;
export type MonthlyRow = z.infer<typeof MonthlyRowSchema>;
export type ClusterResult = z.infer<typeof ClusterResultSchema>;
export type RunResult = z.infer<typeof RunResultSchema>;
export type FinanceResult = z.infer<typeof FinanceSchema>;
export type AssumptionUsed = z.infer<typeof AssumptionUsedSchema>;

/** A result field's label and unit, as its schema declares them. */
export interface FieldInfo {
  label: string;
  unit: string;
}

/** Label and unit of every field of an object schema of the result, by key (the schema's metadata). */
function fieldsOf<T extends z.ZodRawShape>(schema: z.ZodObject<T>): Record<keyof T, FieldInfo> {
  return Object.fromEntries(
    Object.entries(schema.shape).map(([key, s]) => {
      const meta = (s as z.ZodType).meta() as { unit?: string; label?: string } | undefined;
      return [key, { label: meta?.label ?? key, unit: meta?.unit ?? '' }];
    }),
  ) as Record<keyof T, FieldInfo>;
}

/**
 * Labels and units of the result's fields, read from the schemas above: what tables, CSV headers,
 * chart axes and the page's views show, so no view types a label or a unit of its own.
 */
export const ANNUAL_FIELDS = fieldsOf(AnnualRowSchema);
export const MONTHLY_FIELDS = fieldsOf(MonthlyRowSchema);
export const FINANCE_FIELDS = fieldsOf(FinanceSchema);
export const LATENCY_FIELDS = fieldsOf(LatencySchema);
export const RANKING_FIELDS = fieldsOf(
  (ComparisonSchema.unwrap().shape.ranking as z.ZodArray<z.ZodObject<z.ZodRawShape>>).element,
);
export const DRIVER_FIELDS = fieldsOf(
  (ComparisonSchema.unwrap().shape.drivers as z.ZodArray<z.ZodObject<z.ZodRawShape>>).element,
);

/** The annual columns in contract order, with unit and label, for tables and CSV. */
export function annualColumns(): Array<{ key: keyof AnnualRow; unit: string; label: string }> {
  return Object.entries(ANNUAL_FIELDS).map(([key, f]) => ({ key: key as keyof AnnualRow, ...f }));
}

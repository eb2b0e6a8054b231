/**
 * Range rules of the scenario's quantities: unit, label and bounds, checked on every evaluated value
 * (the schema in models/scenario.ts attaches them to its fields; the resolver checks them per year).
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

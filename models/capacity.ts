/**
 * Build-out and IT power. A phase adds `racks` racks of `kwPerRack` design power, in service from
 * 1 January of `year` through 31 December of the year before `retireYear`. Standard racks are 2.5 kW
 * equivalents (MIIT convention, dcplan sources (docs/sources.md), grade A).
 */

/** kW of IT design power per standard rack (dcplan sources (docs/sources.md): MIIT statistics convention, grade A). */
export const STANDARD_RACK_KW = 2.5;

export interface BuildoutPhase {
  year: number;
  racks: number;
  kwPerRack: number;
  retireYear?: number;
}

export interface CapacityYear {
  racksInService: number;
  designItKw: number;
  standardRacks: number;
  averageKwPerRack: number;
}

/**
 * Racks, design power and standard racks in service in `year`.
 *
 * @example
 * capacityInYear([{ year: 2025, racks: 1000, kwPerRack: 5 }, { year: 2027, racks: 500, kwPerRack: 10 }], 2027)
 * // → { racksInService: 1500, designItKw: 10000, standardRacks: 4000, averageKwPerRack: 6.667 }
 */
export function capacityInYear(phases: readonly BuildoutPhase[], year: number): CapacityYear {
  let racks = 0;
  let kw = 0;
  for (const p of phases) {
    if (p.year <= year && (p.retireYear === undefined || year < p.retireYear)) {
      racks += p.racks;
      kw += p.racks * p.kwPerRack;
    }
  }
  return {
    racksInService: racks,
    designItKw: kw,
    standardRacks: kw / STANDARD_RACK_KW,
    averageKwPerRack: racks > 0 ? kw / racks : 0,
  };
}

/**
 * Hourly IT power: designItKw × occupancy × the servers' power fraction at each hour's utilisation,
 * written into `out` (returned).
 *
 * @example
 * sum(itPowerSeries(1000, 0.5, new Float64Array(8760).fill(0.6), new Float64Array(8760))) // → 2,628,000 kWh (300 kW × 8,760 h)
 */
export function itPowerSeries(
  designItKw: number,
  occupancy: number,
  powerFraction: Float64Array,
  out: Float64Array,
): Float64Array {
  if (!(occupancy >= 0 && occupancy <= 1)) throw new Error('occupancy: must be in [0, 1]');
  const k = designItKw * occupancy;
  for (let h = 0; h < powerFraction.length; h++) out[h] = k * powerFraction[h];
  return out;
}

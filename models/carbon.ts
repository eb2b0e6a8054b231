/**
 * Carbon accounting of a year (GHG Protocol Scope 2 Guidance, 2015: location- and market-based methods).
 *
 * - Location-based: all electricity delivered through the grid (brown and contracted green alike) × the
 *   provincial grid factor; on-site generation is not grid electricity.
 * - Market-based: only the grid electricity not covered by contracted green power or certificates × the
 *   grid factor. (The residual-mix factor is not published for Chinese provinces — dcplan sources (docs/sources.md) — so the
 *   grid average stands in; this overstates the market-based figure slightly.)
 * - CUE = kgCO2 / kWh IT (The Green Grid, WP #32, 2010).
 */
export interface CarbonYear {
  carbonLocationTco2: number;
  carbonMarketTco2: number;
  cueLocationKgPerKwh: number;
  cueMarketKgPerKwh: number;
}

/**
 * @param facilityEnergyMwh total facility energy
 * @param onsiteGreenMwh on-site renewable energy consumed by the facility (not drawn from the grid)
 * @param contractedGreenMwh contracted green power and certificates matched to the load
 * @param gridFactorKgPerKwh location-based grid emission factor (numerically t/MWh)
 * @param itEnergyMwh IT energy, for CUE
 *
 * @example
 * carbonYear(1000, 0, 300, 0.5, 800)
 * // → { carbonLocationTco2: 500, carbonMarketTco2: 350, cueLocationKgPerKwh: 0.625, cueMarketKgPerKwh: 0.4375 }
 */
export function carbonYear(
  facilityEnergyMwh: number,
  onsiteGreenMwh: number,
  contractedGreenMwh: number,
  gridFactorKgPerKwh: number,
  itEnergyMwh: number,
): CarbonYear {
  const delivered = Math.max(0, facilityEnergyMwh - onsiteGreenMwh);
  const brown = Math.max(0, delivered - contractedGreenMwh);
  const carbonLocationTco2 = delivered * gridFactorKgPerKwh; // MWh × kg/kWh = t
  const carbonMarketTco2 = brown * gridFactorKgPerKwh;
  return {
    carbonLocationTco2,
    carbonMarketTco2,
    cueLocationKgPerKwh: itEnergyMwh > 0 ? carbonLocationTco2 / itEnergyMwh : 0,
    cueMarketKgPerKwh: itEnergyMwh > 0 ? carbonMarketTco2 / itEnergyMwh : 0,
  };
}

/**
 * Carbon of a year from the energy imported from the grid (which already excludes on-site generation
 * and includes any grid energy charged into batteries). Market-based nets contracted green power and
 * certificates, never below zero.
 *
 * @example
 * carbonFromImport(800, 300, 0.5, 800) // → { carbonLocationTco2: 400, carbonMarketTco2: 250, … }
 */
export function carbonFromImport(
  importMwh: number,
  contractedAndCertificatesMwh: number,
  gridFactorKgPerKwh: number,
  itEnergyMwh: number,
): CarbonYear {
  return carbonYear(importMwh, 0, contractedAndCertificatesMwh, gridFactorKgPerKwh, itEnergyMwh);
}

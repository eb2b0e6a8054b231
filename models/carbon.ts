/**
 * Carbon accounting of a year (GHG Protocol Scope 2 Guidance, 2015: location- and market-based methods).
 *
 * - Location-based: all electricity delivered through the grid (brown and contracted green alike) × the
 *   provincial grid factor; on-site generation is not grid electricity.
 * - Market-based: only the grid electricity not covered by contracted green power or certificates × the
 *   residual-mix factor — the grid's emissions with the traded non-fossil power taken out, which MEE/NBS
 *   publish nationally (全国电力平均二氧化碳排放因子（不包括市场化交易的非化石能源电量）: 0.6096 kg/kWh for
 *   2023 against the 0.5306 average). The plain average would under-state market-based emissions (≈ 15 %
 *   nationally in 2023): green power claimed by some buyers must not stay in everyone else's average.
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
 * @param residualFactorKgPerKwh residual-mix factor for the market-based method
 * @param itEnergyMwh IT energy, for CUE
 *
 * @example
 * carbonYear(1000, 0, 300, 0.5, 0.6, 800)
 * // → { carbonLocationTco2: 500, carbonMarketTco2: 420, cueLocationKgPerKwh: 0.625, cueMarketKgPerKwh: 0.525 }
 */
export function carbonYear(
  facilityEnergyMwh: number,
  onsiteGreenMwh: number,
  contractedGreenMwh: number,
  gridFactorKgPerKwh: number,
  residualFactorKgPerKwh: number,
  itEnergyMwh: number,
): CarbonYear {
  const delivered = Math.max(0, facilityEnergyMwh - onsiteGreenMwh);
  const brown = Math.max(0, delivered - contractedGreenMwh);
  const carbonLocationTco2 = delivered * gridFactorKgPerKwh; // MWh × kg/kWh = t
  const carbonMarketTco2 = brown * residualFactorKgPerKwh;
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
 * carbonFromImport(800, 300, 0.5, 0.6, 800) // → { carbonLocationTco2: 400, carbonMarketTco2: 300, … }
 */
export function carbonFromImport(
  importMwh: number,
  contractedAndCertificatesMwh: number,
  gridFactorKgPerKwh: number,
  residualFactorKgPerKwh: number,
  itEnergyMwh: number,
): CarbonYear {
  return carbonYear(
    importMwh,
    0,
    contractedAndCertificatesMwh,
    gridFactorKgPerKwh,
    residualFactorKgPerKwh,
    itEnergyMwh,
  );
}

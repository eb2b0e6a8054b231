import { carbonFromImport } from '../carbon.ts';
import type { FacilitySummary } from '../cooling.ts';
import type { LoadSeries } from '../engine-cache.ts';
import { egressGbps } from '../network.ts';
import type { Resolved } from '../prepare/resolve.ts';
import type { PreparedCluster } from '../prepare/types.ts';
import type { EngineReference } from '../reference.ts';
import type { AnnualRow, MonthlyRow } from '../result.ts';
import { gb40879Grade, type TargetMetrics } from '../targets.ts';
import type { TariffBill } from '../tariff.ts';
import type { LoadYear } from './load.ts';
import type { GreenAnnual, SupplyYear } from './supply.ts';

/** Green share (contracts and certificates over facility energy) and location- and market-based carbon. */
function carbonPart(pc: PreparedCluster, year: number, fs: FacilitySummary, ga: GreenAnnual) {
  const itEnergyMwh = fs.itEnergyKwh / 1000;
  const facilityEnergyMwh = fs.facilityEnergyKwh / 1000;
  const gridFactor = pc.gridFactor(year);
  const green =
    facilityEnergyMwh > 0 ? Math.min(1, (ga.greenEnergyMwh + ga.certificatesMwh) / facilityEnergyMwh) : 0;
  const carbon = carbonFromImport(
    ga.importMwh,
    ga.contractedGreenMwh + ga.certificatesMwh,
    gridFactor,
    pc.residualFactor(year),
    itEnergyMwh,
  );
  return { gridFactor, green, carbon };
}

/** Peak egress of the year's racks against the outbound capacity (null without network inputs). */
function networkPart(pc: PreparedCluster, year: number, load: LoadYear) {
  const egress = pc.gbpsPerStandardRack
    ? egressGbps(
        load.cap.standardRacks,
        load.occupancy,
        pc.gbpsPerStandardRack(year),
        (pc.peakFactor as Resolved)(year),
      )
    : null;
  const outbound = pc.outboundCapacityGbps ? pc.outboundCapacityGbps(year) : null;
  return { egress, outbound };
}

/** The on-site, battery, contract and hourly-green columns of the annual row (the row's last columns). */
function supplyColumns(ga: GreenAnnual, facilityEnergyMwh: number) {
  return {
    pvMwh: ga.pvMwh,
    windMwh: ga.windMwh,
    onsiteGreenMwh: ga.onsiteGreenMwh,
    curtailedMwh: ga.curtailedMwh,
    exportedMwh: ga.exportedMwh,
    batteryChargeMwh: ga.batteryChargeMwh,
    batteryDischargeMwh: ga.batteryDischargeMwh,
    batteryCycles: ga.batteryCycles,
    contractedGreenMwh: ga.contractedGreenMwh,
    certificatesMwh: ga.certificatesMwh,
    greenShareHourly: facilityEnergyMwh > 0 ? ga.greenEnergyMwh / facilityEnergyMwh : 0,
    greenHoursAtLeast80: ga.hours80,
    greenCostCny: ga.greenCostCny,
    exportRevenueCny: ga.exportRevenueCny,
  };
}

/**
 * The bill's make-up (DESIGN.md §4): each per-kWh line, the incentive's effect and the capacity or
 * demand charge, in CNY and in CNY per kWh of grid import (the delivered price's parts).
 */
function billColumns(bill: TariffBill) {
  const c = bill.componentsCny;
  const per = (v: number) => (bill.energyKwh > 0 ? v / bill.energyKwh : 0);
  return {
    billedEnergyMwh: bill.energyKwh / 1000,
    energyComponentCny: c.energy,
    lineLossCny: c.lineLoss,
    tdCny: c.td,
    systemOperationCny: c.systemOperation,
    fundsCny: c.funds,
    incentiveCny: bill.incentiveCny,
    energyComponentCnyPerKwh: per(c.energy),
    lineLossCnyPerKwh: per(c.lineLoss),
    tdCnyPerKwh: per(c.td),
    systemOperationCnyPerKwh: per(c.systemOperation),
    fundsCnyPerKwh: per(c.funds),
    incentiveCnyPerKwh: per(bill.incentiveCny),
    capacityChargeCnyPerKwh: per(bill.capacityChargeCny),
  };
}

/** The metrics the targets stage checks, from the annual row. */
function targetMetrics(row: AnnualRow): TargetMetrics {
  return {
    year: row.year,
    pue: row.pue,
    // Occupancy of a year with no racks in service is undefined: 上架率 targets are not checked.
    occupancy: row.racksInService > 0 ? row.occupancy : null,
    greenShare: row.greenShare,
    standardRacks: row.standardRacks,
    racksInService: row.racksInService,
    outboundCapacityGbps: row.outboundCapacityGbps,
    gb40879Grade: row.gb40879Grade,
    wueLPerKwh: row.wueLPerKwh,
  };
}

/**
 * Carbon → network → the annual row: energy, PUE/WUE (null without IT energy: 0/0 is not computed,
 * never 0), cost, green share, location- and market-based carbon, egress against capacity, GB 40879
 * grade; and the metrics the targets stage checks.
 */
export function annualStage(
  pc: PreparedCluster,
  year: number,
  load: LoadYear,
  supply: SupplyYear,
  bill: TariffBill,
  ref: EngineReference,
): { row: AnnualRow; metrics: TargetMetrics } {
  const { cap, occupancy, facility: fs } = load;
  const ga = supply.green;
  const facilityEnergyMwh = fs.facilityEnergyKwh / 1000;
  const { gridFactor, green, carbon } = carbonPart(pc, year, fs, ga);
  const { egress, outbound } = networkPart(pc, year, load);
  const pue = fs.itEnergyKwh > 0 ? fs.pue : null;
  const wue = fs.itEnergyKwh > 0 ? fs.waterL / fs.itEnergyKwh : null;
  const row: AnnualRow = {
    year,
    racksInService: cap.racksInService,
    standardRacks: cap.standardRacks,
    designItKw: cap.designItKw,
    occupancy,
    serverUtilisation: load.serverUtilisation,
    itEnergyMwh: fs.itEnergyKwh / 1000,
    facilityEnergyMwh,
    coolingEnergyMwh: fs.coolingEnergyKwh / 1000,
    electricalLossMwh: fs.electricalLossKwh / 1000,
    pue,
    peakItKw: load.facility.peakItKw,
    peakFacilityKw: fs.peakFacilityKw,
    freeCoolingHours: fs.freeCoolingHours,
    partialCoolingHours: fs.partialCoolingHours,
    waterM3: fs.waterL / 1000,
    wueLPerKwh: wue,
    electricityCostCny: bill.totalCny + ga.greenCostCny - ga.exportRevenueCny,
    energyChargeCny: bill.energyChargeCny,
    capacityChargeCny: bill.capacityChargeCny,
    averagePriceCnyPerKwh: bill.energyKwh > 0 ? bill.totalCny / bill.energyKwh : 0,
    gridEnergyMwh: Math.max(0, ga.importMwh - ga.contractedGreenMwh),
    greenEnergyMwh: ga.greenEnergyMwh,
    greenShare: green,
    gridFactorKgPerKwh: gridFactor,
    carbonLocationTco2: carbon.carbonLocationTco2,
    carbonMarketTco2: carbon.carbonMarketTco2,
    cueKgPerKwh: carbon.cueLocationKgPerKwh,
    egressGbps: egress,
    outboundCapacityGbps: outbound,
    gb40879Grade: pue !== null ? gb40879Grade(pue, ref.gb40879Thresholds) : null,
    ...supplyColumns(ga, facilityEnergyMwh),
    ...billColumns(bill),
  };
  return { row, metrics: targetMetrics(row) };
}

/** The twelve monthly rows of a year: energy, PUE, bill by month, peak and green share. */
export function monthlyStage(
  year: number,
  row: AnnualRow,
  supply: SupplyYear,
  bill: TariffBill,
  series: LoadSeries,
): MonthlyRow[] {
  const share = row.facilityEnergyMwh > 0 ? row.greenEnergyMwh / row.facilityEnergyMwh : 0;
  const greenMonths = supply.greenByMonthKwh;
  const out: MonthlyRow[] = [];
  for (let m = 0; m < 12; m++) {
    const it = series.months[3 * m] / 1000;
    const fac = series.months[3 * m + 1] / 1000;
    const gm = greenMonths ? greenMonths[m] / 1000 : fac * share;
    const mb = bill.months[m];
    out.push({
      year,
      month: m + 1,
      itEnergyMwh: it,
      facilityEnergyMwh: fac,
      pue: it > 0 ? fac / it : null,
      energyChargeCny: mb.energyChargeCny,
      capacityChargeCny: mb.capacityChargeCny,
      electricityCostCny: mb.totalCny,
      peakFacilityKw: series.months[3 * m + 2],
      greenShare: fac > 0 ? gm / fac : 0,
    });
  }
  return out;
}

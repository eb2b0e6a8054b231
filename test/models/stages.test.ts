import { describe, expect, it } from 'vitest';
import { HOURS_PER_YEAR } from '../../models/calendar.ts';
import type { AnnualRow } from '../../models/result.ts';
import { MONTH_START_HOUR, monthlyStage } from '../../models/stages/annual.ts';
import type { LoadBuffers } from '../../models/stages/load.ts';
import type { SupplyYear } from '../../models/stages/supply.ts';
import type { TariffBill } from '../../models/tariff.ts';

/** Stages run alone on hand-made inputs (issue 9): no scenario, no reference data. */
describe('monthly stage, alone', () => {
  const flat = (kw: number) => new Float64Array(HOURS_PER_YEAR).fill(kw);
  const months = Array.from({ length: 12 }, (_, m) => ({
    month: m + 1,
    energyKwh: 0,
    energyChargeCny: 100 * (m + 1),
    capacityChargeCny: 10,
    peakKw: 0,
    totalCny: 100 * (m + 1) + 10,
    kwhByPeriod: [0, 0, 0, 0] as [number, number, number, number],
  }));
  const bill = { months } as unknown as TariffBill;
  const buf: LoadBuffers = { itKw: flat(1000), facilityKw: flat(1200), waterL: flat(0) };

  it('1,000 kW of IT and 1,200 kW of facility all year: January 744 h → 744 MWh and 892.8 MWh, PUE 1.2', () => {
    // Hand calculation: January has 31 × 24 = 744 hours; 1,000 kW × 744 h = 744,000 kWh = 744 MWh;
    // February (365-day year) 672 h → 672 MWh.
    const row = { facilityEnergyMwh: 1200 * 8.76, greenEnergyMwh: 0.25 * 1200 * 8.76 } as AnnualRow;
    const supply = { greenKw: null } as unknown as SupplyYear;
    const rows = monthlyStage(2025, row, supply, bill, buf);
    expect(rows).toHaveLength(12);
    expect(rows[0].itEnergyMwh).toBeCloseTo(744, 9);
    expect(rows[0].facilityEnergyMwh).toBeCloseTo(892.8, 9);
    expect(rows[1].itEnergyMwh).toBeCloseTo(672, 9);
    expect(rows[0].pue).toBeCloseTo(1.2, 12);
    expect(rows[0].peakFacilityKw).toBe(1200);
    // Without hourly green supply the annual green share (25 %) applies to every month.
    expect(rows[6].greenShare).toBeCloseTo(0.25, 12);
    // The bill's months pass through unchanged.
    expect(rows[11].electricityCostCny).toBe(1210);
    expect(rows[11].capacityChargeCny).toBe(10);
    expect(MONTH_START_HOUR[12]).toBe(8760);
  });

  it('with hourly green supply: the month’s green share is Σ green ÷ Σ facility of that month', () => {
    // Green 600 kW in January only, none later: January share 600/1200 = 0.5; July 0.
    const green = new Float64Array(HOURS_PER_YEAR);
    green.fill(600, 0, 744);
    const supply = { greenKw: green } as unknown as SupplyYear;
    const row = { facilityEnergyMwh: 1, greenEnergyMwh: 0 } as AnnualRow;
    const rows = monthlyStage(2025, row, supply, bill, buf);
    expect(rows[0].greenShare).toBeCloseTo(0.5, 12);
    expect(rows[6].greenShare).toBe(0);
  });

  it('a month with no IT energy has no PUE (null, never 0)', () => {
    const idle: LoadBuffers = { itKw: flat(0), facilityKw: flat(50), waterL: flat(0) };
    const row = { facilityEnergyMwh: 0.05 * 8760, greenEnergyMwh: 0 } as AnnualRow;
    const rows = monthlyStage(2025, row, { greenKw: null } as unknown as SupplyYear, bill, idle);
    expect(rows[3].pue).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coolingDesign } from '../../models/cooling.ts';
import { applyTable, type InputTable, REFERENCE_DEFAULTS, seededDefault } from '../../models/inputs.ts';
import { PV_TABLE } from '../../models/pv.ts';
import type { AssumptionUsed } from '../../models/result.ts';
import { ClusterScenarioSchema } from '../../models/scenario.ts';
import { BATTERY_TABLE } from '../../models/storage.ts';
import { WIND_TABLE } from '../../models/wind.ts';
import { engineReference } from '../../seeds/index.ts';
import { runScenario } from '../../server/run.ts';

/**
 * Inputs declared once (issue 9): the result's `assumptions` list every default a run used and nothing
 * it did not. The expected lists come from walking the input tables themselves (cooling/electrical by
 * class, PV, wind, battery) and the reference-default table, not from what the engine prints.
 */
const ref = engineReference();
const DESIGN = 'water-cooled-chiller-wse';

/** A cluster that uses every kind of input: build-out, cooling, tariff, network, green power of every kind. */
function baseCluster(): Record<string, unknown> {
  return {
    cluster: 'qingyang',
    buildout: [{ year: 2025, racks: 1000, kwPerRack: 8 }],
    occupancy: 0.6,
    cooling: { design: DESIGN },
    network: { gbpsPerStandardRack: 0.1 },
    green: {
      pv: { dcKw: 2000 },
      wind: { ratedKw: 2000 },
      battery: { energyKwh: 2000, powerKw: 1000, policy: 'arbitrage' },
      contracted: { share: 0.3 },
      certificates: { mwh: 1000 },
    },
  };
}

/** A value to give for each reference-defaulted field (any valid value other than "leave it out"). */
const GIVEN: Record<string, unknown> = {
  workloadShape: ref.defaultWorkloadShape,
  serverUtilisation: 0.4,
  powerCurve: ref.defaultPowerCurve,
  'cooling.facilityClass': 'large',
  'tariff.calendar': ref.clusters.qingyang.tariffCalendar,
  'tariff.energyPriceCnyPerKwh': 0.3,
  'tariff.tdCnyPerKwh': 0.1,
  'tariff.fundsCnyPerKwh': 0.02,
  gridFactorKgPerKwh: 0.5,
  'network.peakFactor': 2,
  'network.routeFactor': 1.4,
  'finance.discountRate': 0.07,
  'green.pv.capexCnyPerW': 3,
  'green.pv.tiltDeg': 30,
  'green.pv.azimuthDeg': 180,
  'green.pv.tracking': 'fixed',
  'green.pv.beam': 'dni',
  'green.wind.capexCnyPerW': 3,
  'green.wind.resource': 'station',
  'green.battery.capexCnyPerWh': 0.5,
  'green.certificates.priceCnyPerMwh': 5,
};

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    o[k] ??= {};
    o = o[k] as Record<string, unknown>;
  }
  o[keys[keys.length - 1]] = value;
}

/** Defaults used: assumptions other than echoes of what the scenario gave (grade `input`). */
function defaultsOf(cluster: Record<string, unknown>): AssumptionUsed[] {
  const r = runScenario({ name: 'inputs', startYear: 2025, years: 2, clusters: [cluster] }, ref);
  return r.clusters[0].assumptions.filter((a) => a.grade !== 'input');
}

/** The tables a run on `baseCluster()` reads, with the field prefix each is listed under. */
function tables(): Array<[string, InputTable]> {
  const { hubHeightM: _hub, ...wind } = WIND_TABLE;
  return [
    ['cooling.overrides', coolingDesign(DESIGN).table],
    ['green.pv.overrides', PV_TABLE],
    ['green.wind.overrides', wind],
    ['green.battery', BATTERY_TABLE],
  ];
}

describe('inputs declared once: the assumptions a result lists', () => {
  const base = defaultsOf(baseCluster());
  const byField = new Map(base.map((a) => [a.field, a]));

  it('lists every table row it used, with the row’s value, unit, source and grade', () => {
    for (const [prefix, table] of tables()) {
      for (const [k, row] of Object.entries(table)) {
        const a = byField.get(`${prefix}.${k}`);
        expect(a, `${prefix}.${k}`).toBeDefined();
        expect(a!.value).toBeCloseTo(row.value, 12);
        expect(a!.source).toBe(row.source);
        expect(a!.grade).toBe(row.grade);
        if (a!.unit !== undefined) expect(a!.unit).toBe(row.unit);
      }
    }
    expect(byField.get('green.wind.hubHeightM')?.value).toBe(WIND_TABLE.hubHeightM.value);
  });

  it('lists every reference default it used, each with a source and a grade (the seeded figure’s own)', () => {
    for (const [field, d] of Object.entries(REFERENCE_DEFAULTS)) {
      const a = byField.get(field);
      expect(a, field).toBeDefined();
      expect(a!.source.length, field).toBeGreaterThan(5);
      expect(a!.grade, field).toMatch(/^(A|B|C|D|assumption|NOT FOUND)$/);
      if (d.seed) {
        const [group, key] = d.seed.split('.');
        const seeded = (ref as unknown as Record<string, Record<string, { value: number; source: string }>>)[
          group
        ][key];
        expect(a!.value, field).toBe(seeded.value);
        expect(a!.source, field).toBe(seeded.source);
      }
    }
  });

  it('the preparation reads seeded defaults through the table’s seed paths, and refuses a field without one', () => {
    // finance.discountRate → assumptions.discountRate (seeds/assumptions.json): the same object.
    expect(seededDefault(ref, 'finance.discountRate')).toBe(ref.assumptions.discountRate);
    expect(seededDefault(ref, 'green.pv.capexCnyPerW')).toBe(ref.costs.pvCapexCnyPerW);
    expect(() => seededDefault(ref, 'green.pv.tiltDeg')).toThrow(
      'seededDefault: green.pv.tiltDeg has no seeded default in REFERENCE_DEFAULTS',
    );
    expect(() => seededDefault(ref, 'nonsense')).toThrow('nonsense');
  });

  it('lists nothing else: every listed field is a table row or a declared reference default', () => {
    const declared = new Set<string>([...Object.keys(REFERENCE_DEFAULTS), 'green.wind.hubHeightM']);
    for (const [prefix, table] of tables())
      for (const k of Object.keys(table)) declared.add(`${prefix}.${k}`);
    expect(base.map((a) => a.field).filter((f) => !declared.has(f))).toEqual([]);
    expect(new Set(base.map((a) => a.field)).size).toBe(base.length); // each listed once
    expect(base.length).toBe(declared.size);
  });

  it('a field the scenario gives is no longer listed — one reference default at a time', () => {
    for (const [field, value] of Object.entries(GIVEN)) {
      const c = baseCluster();
      setPath(c, field, value);
      const fields = defaultsOf(c).map((a) => a.field);
      expect(fields, field).not.toContain(field);
      expect(fields.length, field).toBe(base.length - 1);
    }
  });

  it('a scenario that gives every input lists no default at all', () => {
    const c = baseCluster();
    for (const [field, value] of Object.entries(GIVEN)) setPath(c, field, value);
    for (const [prefix, table] of tables()) {
      for (const [k, row] of Object.entries(table)) setPath(c, `${prefix}.${k}`, row.value);
    }
    setPath(c, 'green.wind.hubHeightM', 100);
    expect(defaultsOf(c)).toEqual([]);
  });

  it('an override outside a table row’s range, or of an unknown row, is refused with its field path', () => {
    const bad = baseCluster();
    setPath(bad, 'green.pv.overrides.albedo', 0.9); // PVWatts range 0.1–0.4
    expect(() => defaultsOf(bad)).toThrow(
      /clusters\[0\]\.green\.pv\.overrides\.albedo: must be within 0\.1–0\.4/,
    );
    const unknown = baseCluster();
    setPath(unknown, 'green.wind.overrides.bladeCount', 3);
    expect(() => defaultsOf(unknown)).toThrow(/green\.wind\.overrides\.bladeCount: unknown parameter/);
  });

  it('the schema carries each default where it is declared (what the docs and the editor read)', () => {
    const js = z.toJSONSchema(ClusterScenarioSchema, { unrepresentable: 'any' }) as {
      properties: Record<string, { properties?: Record<string, Record<string, unknown>> }>;
    };
    const rate = js.properties.finance.properties!.discountRate;
    expect(rate['x-default-ref']).toBe(REFERENCE_DEFAULTS['finance.discountRate'].text);
    expect(rate['x-default-seed']).toBe('assumptions.discountRate');
    const battery = (js.properties.green.properties!.battery as { properties: Record<string, unknown> })
      .properties.roundTripEfficiency as Record<string, unknown>;
    expect(battery.default).toBe(BATTERY_TABLE.roundTripEfficiency.value);
    expect(battery['x-grade']).toBe(BATTERY_TABLE.roundTripEfficiency.grade);
  });

  it('applyTable: overrides replace values and drop their rows from the defaults used', () => {
    const { values, used } = applyTable('green.pv.overrides', PV_TABLE, { albedo: 0.3 });
    expect(values.albedo).toBe(0.3);
    expect(values.systemLoss).toBe(PV_TABLE.systemLoss.value);
    expect(used.map((u) => u.field)).not.toContain('green.pv.overrides.albedo');
    expect(used).toHaveLength(Object.keys(PV_TABLE).length - 1);
  });
});

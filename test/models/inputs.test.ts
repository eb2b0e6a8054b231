import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coolingDesign } from '../../models/cooling.ts';
import { applyTable, type InputTable } from '../../models/input-row.ts';
import {
  CLUSTER_FIELDS,
  DEFAULT_RULES,
  defaultOf,
  defaultText,
  type FieldRow,
  SCENARIO_FIELDS,
  STRUCTURAL_FIELDS,
} from '../../models/inputs.ts';
import { PV_TABLE } from '../../models/pv.ts';
import type { AssumptionUsed } from '../../models/result.ts';
import { ClusterScenarioSchema, ScenarioSchema } from '../../models/scenario.ts';
import { BATTERY_TABLE } from '../../models/storage.ts';
import { WIND_TABLE } from '../../models/wind.ts';
import { engineReference } from '../../seeds/index.ts';
import { runScenario } from '../../server/run.ts';

/**
 * Inputs declared once (issue 19): every scenario field has one row (models/inputs.ts) and the schema,
 * the preparation's defaults and the result's `assumptions` come from it. The expected lists come
 * from walking the rows and the model tables themselves, not from what the engine prints.
 */
const ref = engineReference();
const DESIGN = 'water-cooled-chiller-wse';

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema is untyped data
type JS = Record<string, any>;
const jsonSchema = (s: z.ZodType): JS => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JS;

/** Every leaf of a JSON Schema by path (`green.battery.policy`, `buildout[].racks`), with its node. */
function leaves(s: JS, path = '', out = new Map<string, JS[]>()): Map<string, JS[]> {
  if (s.properties) {
    for (const [k, v] of Object.entries<JS>(s.properties)) {
      if (k === '$comment' || k === '$schema') continue;
      leaves(v, path ? `${path}.${k}` : k, out);
    }
    return out;
  }
  const alts: JS[] | undefined = s.oneOf ?? s.anyOf;
  if (alts?.some((a) => a.type === 'object' && a.properties)) {
    // Variants by `kind`: each variant's fields; a union with an object form (the wind resource) is a leaf.
    if (alts.every((a) => a.type === 'object' && a.properties?.kind)) {
      for (const a of alts) leaves(a, path, out);
      return out;
    }
    for (const a of alts) if (a.type === 'object' && a.properties) leaves(a, path, out);
  }
  if (s.type === 'array' && s.items?.properties) return leaves(s.items, `${path}[]`, out);
  out.set(path, [...(out.get(path) ?? []), s]);
  return out;
}

/** A cluster that has every optional object, and leaves every field with a default out. */
function maximalCluster(): Record<string, unknown> {
  return {
    cluster: 'qingyang',
    buildout: [
      { year: 2025, racks: 1000, kwPerRack: 8 },
      { year: 2026, standardRacks: 2000 },
    ],
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

function run(cluster: Record<string, unknown>) {
  return runScenario({ name: 'inputs', startYear: 2025, years: 2, clusters: [cluster] }, ref).clusters[0];
}

/** The model tables a run on `maximalCluster()` reads, with the field prefix each is listed under. */
function tables(): Array<[string, InputTable]> {
  const { hubHeightM: _hub, ...wind } = WIND_TABLE;
  return [
    ['cooling.overrides', coolingDesign(DESIGN).table],
    ['green.pv.overrides', PV_TABLE],
    ['green.wind.overrides', wind],
  ];
}

describe('every scenario field is declared once, in models/inputs.ts', () => {
  const cluster = leaves(jsonSchema(ClusterScenarioSchema));
  const top = leaves(jsonSchema(ScenarioSchema));

  it('every leaf of the schema has a row, and every row a leaf', () => {
    expect([...cluster.keys()].filter((p) => !CLUSTER_FIELDS[p]).sort()).toEqual([]);
    expect(Object.keys(CLUSTER_FIELDS).filter((p) => !cluster.has(p))).toEqual([]);
    const topLeaves = [...top.keys()].filter((p) => p !== 'clusters' && !p.startsWith('defaults'));
    expect(topLeaves.filter((p) => !SCENARIO_FIELDS[p]).sort()).toEqual([]);
    expect(Object.keys(SCENARIO_FIELDS).filter((p) => !top.has(p))).toEqual([]);
    expect([...STRUCTURAL_FIELDS]).toEqual(['$comment', '$schema', 'defaults', 'clusters']);
  });

  it("the schema's metadata and bounds are the row's (what the editor and the API reference read)", () => {
    for (const [path, nodes] of cluster) {
      const row = CLUSTER_FIELDS[path];
      for (const n of nodes) {
        if (n.const !== undefined) {
          expect(row.choices, path).toContain(n.const); // a variant's `kind`
          continue;
        }
        expect(n.label, path).toBe(row.label);
        expect(n['x-zh'], path).toBe(row.zh);
        if (row.unit !== undefined) expect(n.unit, path).toBe(row.unit);
        if (row.kind === 'quantity' || row.kind === 'number') {
          if (row.exclusiveMin) expect(n.exclusiveMinimum, path).toBe(row.min);
          else expect(n.minimum, path).toBe(row.min);
          expect(n.maximum, path).toBe(row.max);
        }
        if (row.kind === 'choice') expect(n.enum, path).toEqual(row.choices);
        const d = row.default;
        if (d && ('row' in d || 'value' in d)) {
          expect(n.default, path).toBe('row' in d ? d.row.value : d.value);
          expect(n['x-grade'], path).toBe('row' in d ? d.row.grade : d.grade);
        } else if (d) expect(n['x-default-ref'], path).toBe(defaultText(row));
        else expect(n.default, path).toBeUndefined();
      }
    }
  });

  it('every rule has its one line of prose, and every rule is used by a row', () => {
    const used = new Set(
      Object.values(CLUSTER_FIELDS).flatMap((r: FieldRow) =>
        r.default && 'rule' in r.default ? [r.default.rule] : [],
      ),
    );
    for (const [name, rule] of Object.entries(DEFAULT_RULES)) {
      expect(rule.text.length, name).toBeGreaterThan(10);
      expect(used, name).toContain(name);
    }
  });
});

describe('the assumptions a result lists: every default it used, and nothing else', () => {
  const result = run(maximalCluster());
  const listed = result.assumptions.filter((a) => a.grade !== 'input');
  const byField = new Map<string, AssumptionUsed>(listed.map((a) => [a.field, a]));
  const ctx = {
    ref,
    cref: ref.clusters.qingyang,
    climate: ref.climates[ref.clusters.qingyang.climate],
    cluster: maximalCluster(),
    years: [2025, 2026],
  };

  it('lists every row whose default the run fell back on, with its value, source and grade', () => {
    // Rows left out of maximalCluster() whose default applies to it: all with a default, except a
    // rule that gives none here (no seeded outbound capacity for Qingyang) and kW per rack, which
    // applies only to the standard-rack phase (listed once for it).
    let checked = 0;
    for (const [path, row] of Object.entries(CLUSTER_FIELDS)) {
      if (!row.default) continue;
      const d = defaultOf(path, ctx);
      if (d === null) continue;
      const a = byField.get(path);
      expect(a, path).toBeDefined();
      if (path === 'green.wind.resource') continue; // listed in words: the station's hours
      if (typeof d.value === 'number' && !d.byYear) expect(a!.value, path).toBeCloseTo(d.value, 10);
      else if (!d.byYear) expect(a!.value, path).toBe(d.value);
      expect(a!.source, path).toBe(d.source);
      expect(a!.grade, path).toBe(d.grade);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('lists every model-table row it used', () => {
    for (const [prefix, table] of tables()) {
      for (const [k, row] of Object.entries(table)) {
        const a = byField.get(`${prefix}.${k}`);
        expect(a, `${prefix}.${k}`).toBeDefined();
        expect(a!.value).toBeCloseTo(row.value, 12);
        expect(a!.source).toBe(row.source);
        expect(a!.grade).toBe(row.grade);
        expect(a!.unit).toBe(row.unit);
      }
    }
  });

  it('lists nothing else, each once: every listed field is a row or a model-table row', () => {
    const declared = new Set(Object.keys(CLUSTER_FIELDS));
    for (const [prefix, table] of tables())
      for (const k of Object.keys(table)) declared.add(`${prefix}.${k}`);
    expect(listed.map((a) => a.field).filter((f) => !declared.has(f))).toEqual([]);
    expect(new Set(listed.map((a) => a.field)).size).toBe(listed.length);
  });

  it('the defaults issue 19 found unlisted are listed: TOU scope, 2.5 kW per standard rack, phase shift', () => {
    expect(byField.get('tariff.touAppliesTo')?.value).toBe('energy+lineLoss'); // Gansu 2024: energy + line loss
    expect(byField.get('buildout[].kwPerRack')).toMatchObject({ value: 2.5, unit: 'kW', grade: 'A' });
    expect(byField.get('workloadPhaseShiftHours')?.value).toBe(0);
  });

  it('a field the scenario gives is no longer listed', () => {
    const c = maximalCluster();
    (c.finance as unknown) = { discountRate: 0.07 };
    (c as { workloadPhaseShiftHours: number }).workloadPhaseShiftHours = 3;
    (c.green as Record<string, Record<string, unknown>>).battery.roundTripEfficiency = 0.9;
    const fields = run(c).assumptions.map((a) => a.field);
    for (const f of ['finance.discountRate', 'workloadPhaseShiftHours', 'green.battery.roundTripEfficiency'])
      expect(fields, f).not.toContain(f);
    expect(fields.length).toBe(result.assumptions.length - 3);
  });
});

describe('hard bounds refuse, usual ranges warn — for every kind of input alike', () => {
  const withGreen = (
    green: Record<string, unknown>,
    cooling: Record<string, unknown> = { design: DESIGN },
  ) => ({
    ...maximalCluster(),
    cooling,
    green,
  });

  it('a cooling override outside its hard bounds is refused (chiller sizing 50)', () => {
    expect(() => run(withGreen({}, { design: DESIGN, overrides: { chillerSizing: 50 } }))).toThrow(
      'clusters[0].cooling.overrides.chillerSizing: must be ≤ 3',
    );
  });

  it('a battery round-trip efficiency of 0.3 and a PV albedo of 0.9 are kept, each with a warning', () => {
    const r = run(
      withGreen({
        pv: { dcKw: 1000, overrides: { albedo: 0.9 } },
        battery: { energyKwh: 2000, powerKw: 1000, policy: 'arbitrage', roundTripEfficiency: 0.3 },
      }),
    );
    expect(r.warnings.join('\n')).toMatch(
      /green\.pv\.overrides\.albedo: 0\.9 is outside the usual 0\.1–0\.4/,
    );
    expect(r.warnings.join('\n')).toMatch(
      /green\.battery\.roundTripEfficiency: 0\.3 is outside the usual 0\.8–0\.92/,
    );
  });

  it('a battery efficiency above 1 is refused by the same row', () => {
    const bad = withGreen({
      battery: { energyKwh: 2000, powerKw: 1000, policy: 'arbitrage', roundTripEfficiency: 1.2 },
    });
    expect(() => run(bad)).toThrow('clusters[0].green.battery.roundTripEfficiency: must be ≤ 1');
  });

  it('an override of an unknown parameter is refused with the known ones', () => {
    const bad = withGreen({ wind: { ratedKw: 1000, overrides: { bladeCount: 3 } } });
    expect(() => run(bad)).toThrow(/green\.wind\.overrides\.bladeCount: unknown parameter \(known: /);
  });

  it('applyTable: overrides replace values and drop their rows from the defaults used', () => {
    const { values, used } = applyTable('green.pv.overrides', PV_TABLE, { albedo: 0.3 });
    expect(values.albedo).toBe(0.3);
    expect(values.systemLoss).toBe(PV_TABLE.systemLoss.value);
    expect(used.map((u) => u.field)).not.toContain('green.pv.overrides.albedo');
    expect(used).toHaveLength(Object.keys(PV_TABLE).length - 1);
  });

  it('every model-table default lies inside its own usual range and hard bounds', () => {
    const all: Array<[string, InputTable]> = [
      ...tables(),
      ['green.battery', BATTERY_TABLE],
      ['wind', WIND_TABLE],
      ...(['hyperscale', 'large', 'small'] as const).map(
        (cls) =>
          [`cooling ${cls}`, coolingDesign('liquid-cold-plate', {}, cls).table] as [string, InputTable],
      ),
    ];
    for (const [name, table] of all)
      for (const [k, row] of Object.entries(table)) {
        const where = `${name}.${k}`;
        if (row.typical) {
          expect(row.value, where).toBeGreaterThanOrEqual(row.typical.min);
          expect(row.value, where).toBeLessThanOrEqual(row.typical.max);
        }
        if (row.min !== undefined) expect(row.value, where).toBeGreaterThanOrEqual(row.min);
        if (row.max !== undefined) expect(row.value, where).toBeLessThanOrEqual(row.max);
      }
  });
});

import { describe, expect, it } from 'vitest';
import { parseScenario, rangeWarnings, ValidationError } from '../../models/scenario.ts';
import { checkScenario, prepareRun } from '../../models/simulate.ts';
import { editDistance, jsonErrorAt, jsonErrorText } from '../../models/validation.ts';
import { engineReference } from '../../seeds/index.ts';

const cluster = {
  cluster: 'qingyang',
  buildout: [{ year: 2025, standardRacks: 1000 }],
  occupancy: 0.65,
  cooling: { design: 'water-cooled-chiller-wse' },
};
const scenario = (over: Record<string, unknown> = {}) => ({
  name: 't',
  startYear: 2025,
  years: 2,
  clusters: [cluster],
  ...over,
});

function messageOf(input: unknown): string {
  try {
    parseScenario(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as Error).message;
  }
  throw new Error('expected a ValidationError');
}

describe('scenario validation', () => {
  it('accepts a minimal scenario', () => {
    expect(parseScenario(scenario()).clusters[0].cluster).toBe('qingyang');
  });

  it('names the missing field', () => {
    expect(messageOf({ startYear: 2025, years: 1, clusters: [cluster] })).toBe('name: is required');
    const { occupancy: _o, ...noOcc } = cluster;
    expect(messageOf(scenario({ clusters: [noOcc] }))).toBe('clusters[0].occupancy: is required');
  });

  it('names a literal rack count below zero by its path', () => {
    const bad = {
      ...cluster,
      buildout: [
        { year: 2025, standardRacks: 10 },
        { year: 2026, racks: -5, kwPerRack: 5 },
      ],
    };
    // literal quantities are range-checked when resolved; the schema guarantees shape only, so parse passes
    expect(() => parseScenario(scenario({ clusters: [bad] }))).not.toThrow();
  });

  it('rejects unknown fields, wrong types and impossible years with one line each', () => {
    expect(messageOf(scenario({ yeers: 3 }))).toBe(
      'unknown field "yeers" — did you mean "years"? (known: name, description, sources, startYear, years, defaults, clusters)',
    );
    expect(messageOf(scenario({ years: 0 }))).toBe('years: must be ≥ 1');
    expect(messageOf(scenario({ years: 'ten' }))).toBe('years: must be a number (got string)');
    expect(messageOf(scenario({ clusters: [] }))).toMatch(/^clusters: /);
    expect(messageOf(scenario({ clusters: [{ ...cluster, occupancy: true }] }))).toBe(
      'clusters[0].occupancy: must be a number, a string with a unit or expression, a year schedule or a distribution',
    );
    expect(messageOf(scenario({ clusters: [{ ...cluster, buildout: [{ year: 2025, racks: 10 }] }] }))).toBe(
      'clusters[0].buildout[0].kwPerRack: required with racks',
    );
    expect(
      messageOf(
        scenario({
          clusters: [{ ...cluster, buildout: [{ year: 2025, racks: 10, standardRacks: 4, kwPerRack: 5 }] }],
        }),
      ),
    ).toBe('clusters[0].buildout[0]: give exactly one of racks, standardRacks, itPowerKw');
  });

  it('merges scenario defaults under each cluster, the cluster winning', () => {
    const s = parseScenario({
      name: 'd',
      startYear: 2025,
      years: 1,
      defaults: { occupancy: 0.5, cooling: { design: 'air-cooled-chiller' }, buildout: cluster.buildout },
      clusters: [{ cluster: 'wuhan' }, { cluster: 'lanzhou', occupancy: 0.7 }],
    });
    expect(s.clusters.map((c) => [c.cluster, c.occupancy, c.cooling.design])).toEqual([
      ['wuhan', 0.5, 'air-cooled-chiller'],
      ['lanzhou', 0.7, 'air-cooled-chiller'],
    ]);
  });
});

/** Every field error of an input (parse, then prepare against the seeds). */
function errorsOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    checkScenario(input, engineReference());
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).errors;
  }
  throw new Error('expected a ValidationError');
}

describe('errors that say what to do (issue 23)', () => {
  it('gives every error at once: a scenario-wide field and two clusters', () => {
    const errors = errorsOf(
      scenario({
        years: 0,
        clusters: [
          { ...cluster, occupancy: 65 },
          { ...cluster, cluster: 'wuhan', cooling: { design: 'evaporative' } },
        ],
      }),
    );
    // years is refused by the schema; the clusters' entries are still read (they pass the schema)
    expect(errors.map((e) => e.path)).toEqual(['years']);
    // a scenario-wide error that leaves the years readable (an empty name) does not hide the clusters'
    expect(
      errorsOf(
        scenario({
          name: '',
          clusters: [
            { ...cluster, occupancy: 65 },
            { ...cluster, cluster: 'wuhan', cooling: { design: 'evaporative' } },
          ],
        }),
      ).map((e) => e.path),
    ).toEqual(['name', 'clusters[0].occupancy', 'clusters[1].cooling.design']);
    // schema errors (cluster 2), reference errors (clusters 0 and 1), and two in one cluster: all at once
    const all = errorsOf(
      scenario({
        clusters: [
          { ...cluster, occupancy: 65, greenShare: 2 },
          { ...cluster, cluster: 'wuhan', cooling: { design: 'evaporative' } },
          { ...cluster, cluster: 'lanzhou', buildout: [{ year: 2025, racks: 10 }] },
        ],
      }),
    );
    expect(all.map((e) => e.path)).toEqual([
      'clusters[2].buildout[0].kwPerRack',
      'clusters[0].greenShare',
      'clusters[0].occupancy',
      'clusters[1].cooling.design',
    ]);
  });

  it('a missing field does not hide the rest: the quantities of a refused entry are still checked', () => {
    const { cooling: _c, ...noCooling } = cluster as typeof cluster & { cooling?: unknown };
    const errors = errorsOf(
      scenario({
        clusters: [{ ...noCooling, occupancy: 65, buildout: [{ year: 2025, standardRacks: -5 }] }],
      }),
    );
    expect(errors).toEqual([
      { path: 'clusters[0].cooling', message: 'is required' },
      { path: 'clusters[0].buildout[0].standardRacks', message: 'must be ≥ 0' },
      { path: 'clusters[0].occupancy', message: 'must be ≤ 1 — for 65 %, write 0.65 (or "65 %")' },
    ]);
  });

  it('a percentage in a fraction field says how to write it', () => {
    const [e] = errorsOf(scenario({ clusters: [{ ...cluster, occupancy: 65 }] }));
    expect(e).toEqual({
      path: 'clusters[0].occupancy',
      message: 'must be ≤ 1 — for 65 %, write 0.65 (or "65 %")',
    });
  });

  it('an unknown cooling design lists the seven and the closest one', () => {
    const [e] = errorsOf(
      scenario({ clusters: [{ ...cluster, cooling: { design: 'indirect-evaporativ' } }] }),
    );
    expect(e.message).toBe(
      'unknown cooling design "indirect-evaporativ" — did you mean "indirect-evaporative"? (known: air-cooled-chiller, water-cooled-chiller-wse, indirect-evaporative, liquid-cold-plate, direct-airside-adiabatic, water-cooled-chiller, dx-crac)',
    );
  });

  it('a choice outside its list names the choices', () => {
    const [e] = errorsOf(scenario({ clusters: [{ ...cluster, tariff: { voltage: '10kV' } }] }));
    expect(e).toEqual({
      path: 'clusters[0].tariff.voltage',
      message: 'must be one of "<1kV", "1-10kV", "35kV", "110kV", "220kV+"',
    });
  });

  it('a misspelt field does not hide the other errors of its cluster', () => {
    const all = errorsOf(scenario({ clusters: [{ ...cluster, occupnacy: 0.5, occupancy: 65 }] }));
    expect(all.map((e) => e.path)).toEqual(['clusters[0]', 'clusters[0].occupancy']);
  });

  it('a misspelt field or id gets "did you mean"', () => {
    const [f] = errorsOf(scenario({ clusters: [{ ...cluster, occupnacy: 0.5 }] }));
    expect(f.path).toBe('clusters[0]');
    expect(f.message).toMatch(
      /^unknown field "occupnacy" — did you mean "occupancy"\? \(known: cluster, label, /,
    );
    const [t] = errorsOf(scenario({ clusters: [{ ...cluster, tariff: { calender: 'gansu-2024' } }] }));
    expect(t).toMatchObject({ path: 'clusters[0].tariff' });
    expect(t.message).toMatch(/did you mean "calendar"\?/);
    const [c] = errorsOf(scenario({ clusters: [{ ...cluster, cluster: 'qinyang' }] }));
    expect(c.message).toMatch(/^unknown cluster "qinyang" — did you mean "qingyang"\? \(known: /);
    // far from every name: no guess, the list only
    const [z] = errorsOf(scenario({ clusters: [{ ...cluster, cluster: 'atlantis' }] }));
    expect(z.message).toMatch(/^unknown cluster "atlantis" \(known: /);
  });

  it('edit distance counts a swap of neighbours as one (optimal string alignment)', () => {
    expect(editDistance('occupnacy', 'occupancy')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3); // the textbook example
  });

  it('a JSON syntax error is placed by line and column', () => {
    const text = '{\n  "name": "x",\n}';
    let err: Error | null = null;
    try {
      JSON.parse(text);
    } catch (e) {
      err = e as Error;
    }
    // the "}" on line 3 is where the parser stops (position 16 = 2 + 13 + 1 characters before it)
    expect(jsonErrorAt(text, err!)).toEqual({ line: 3, column: 1 });
    expect(jsonErrorText(text, err!)).toMatch(
      /^invalid JSON at line 3, column 1: .* — a comma before a closing brace/,
    );
    expect(jsonErrorAt('x', new SyntaxError('Unexpected token x in JSON at position 0'))).toEqual({
      line: 1,
      column: 1,
    });
  });

  it('warns of a build-out after the horizon and of a first year far before the data', () => {
    const s = parseScenario(scenario({ startYear: 1999, years: 10 }));
    expect(rangeWarnings(s, 0, 2021)).toEqual([
      'clusters[0].buildout: no phase is in service in 1999–2008 (the first starts in 2025): every result is zero — check the years of the build-out and startYear',
      "startYear: 1999 is 22 years before the reference data begin (2021): the nearest figures stand in for every earlier year — the results describe today's prices and grid, not 1999's",
    ]);
    // and the run carries them among its warnings
    const run = prepareRun(s, engineReference());
    expect(run.clusters[0].warnings).toContain(rangeWarnings(s, 0, 2021)[1]);
    // one phase of two after the horizon: that phase
    const late = parseScenario(
      scenario({
        clusters: [{ ...cluster, buildout: [...cluster.buildout, { year: 2031, standardRacks: 5 }] }],
      }),
    );
    expect(rangeWarnings(late, 0, 2021)).toEqual([
      'clusters[0].buildout[1].year: 2031 is after the last simulated year, 2026: this phase is never in service — simulate more years or start it earlier',
    ]);
    // a plausible scenario has none
    expect(rangeWarnings(parseScenario(scenario()), 0, 2021)).toEqual([]);
  });
});

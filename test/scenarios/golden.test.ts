import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../models/result.ts';
import { engineReference } from '../../seeds/index.ts';
import { runScenario } from '../../server/run.ts';

const DIR = new URL('../../scenarios/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
const ref = engineReference();

const r = (v: number | null, digits: number) => (v === null ? null : Number(v.toPrecision(digits)));

/** The rounded summary each scenario is held to: a change to any computed number shows up here. */
function summary(result: RunResult) {
  return result.clusters.map((c) => ({
    cluster: c.clusterId,
    years: c.annual.map((a) => ({
      year: a.year,
      standardRacks: r(a.standardRacks, 6),
      itGwh: r(a.itEnergyMwh / 1000, 5),
      pue: r(a.pue, 4),
      peakMw: r(a.peakFacilityKw / 1000, 4),
      freeCoolingHours: a.freeCoolingHours,
      wue: r(a.wueLPerKwh, 3),
      costMcny: r(a.electricityCostCny / 1e6, 5),
      carbonKt: r(a.carbonLocationTco2 / 1000, 5),
      egressGbps: r(a.egressGbps, 4),
    })),
    targetsMissed: c.targets.filter((t) => t.met === false).map((t) => `${t.id}@${t.year}`),
    targetsMet: c.targets.filter((t) => t.met === true).length,
    costPerRackYearCny: r(c.finance.costPerRackYearCny, 5),
  }));
}

describe('scenario files (golden summaries)', () => {
  it('every scenario file cites its source in a $comment', () => {
    for (const f of files) {
      const json = JSON.parse(readFileSync(new URL(f, DIR), 'utf8'));
      expect(json.$comment, f).toBeTruthy();
      expect(JSON.stringify(json.$comment), f).toMatch(/\[[a-z0-9-]+\]|DESIGN/);
    }
  });

  for (const f of files) {
    it(`${f} simulates to its recorded summary`, () => {
      const input = JSON.parse(readFileSync(new URL(f, DIR), 'utf8'));
      const { hourly: _h, ...result } = runScenario(input, ref);
      expect(summary(result)).toMatchSnapshot();
    });
  }
});

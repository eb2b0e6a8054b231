import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareClusters } from '../../models/compare.ts';
import type { RunResult } from '../../models/result.ts';
import { engineReference } from '../../seeds/index.ts';
import { compareInput, compareRuns } from '../../server/compare-rows.ts';
import { runScenario } from '../../server/run.ts';

const scenario = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../scenarios/${name}.json`, import.meta.url), 'utf8'));

/** A run's result as stored: through JSON, as the API keeps it. */
const stored = (name: string): RunResult => {
  const { hourly: _h, ...r } = runScenario(scenario(name), engineReference());
  return JSON.parse(JSON.stringify(r));
};

describe('comparison rows (models/compare.ts across runs)', () => {
  let eastWest: RunResult;
  let wuhan: RunResult;
  beforeAll(() => {
    eastWest = stored('east-west-compare');
    wuhan = stored('hubei-wuhan-2025');
  }, 600_000);

  it('a lone cluster gets the figures of the engine, ranks first and has no cost gap', () => {
    const cmp = compareRuns([{ runId: 'w', input: compareInput(wuhan) }]);
    const c = wuhan.clusters[0];
    // models/compare.ts compares two or more: compared with a copy of itself, it ranks first in each.
    const want = compareClusters([c, { ...c, clusterId: 'copy' }])!.ranking[0];
    expect(cmp.rows).toHaveLength(1);
    const { clusterId: _c, ...figures } = want;
    expect(cmp.rows[0]).toMatchObject({ runId: 'w', clusterId: c.clusterId, ...figures });
    // first in each rank it has (Wuhan has no NPV or IRR: no rental revenue in this scenario)
    expect(Object.values(cmp.rows[0].rank).every((k) => k === 1 || k === null)).toBe(true);
    expect(cmp.rows[0].rank.cost).toBe(1);
    expect(cmp.rows[0].drivers?.gapCnyPerRackYear).toBe(0);
    expect(cmp.best).toEqual({ runId: 'w', clusterId: c.clusterId });
  });

  it('ranks the clusters of several runs together, keeping each row, the same cluster twice included', () => {
    const runs = [
      { runId: 'a', input: compareInput(eastWest) },
      { runId: 'b', input: compareInput(wuhan) },
    ];
    const cmp = compareRuns(runs);
    const all = [...eastWest.clusters, ...wuhan.clusters];
    const want = compareClusters(all.map((c, i) => ({ ...c, clusterId: `${i}` })))!;
    expect(cmp.rows.map((r) => `${r.runId}:${r.clusterId}`)).toEqual([
      'a:lanzhou',
      'a:qingyang',
      'a:wuhan',
      'a:zhengzhou',
      'b:wuhan',
    ]);
    for (const { clusterId: i, name: _n, ...figures } of want.ranking) {
      expect(cmp.rows[Number(i)]).toMatchObject(figures);
    }
    expect(cmp.rows.map((r) => r.rank.cost).sort()).toEqual([1, 2, 3, 4, 5]);
    const best = cmp.rows[Number(want.best)];
    expect(cmp.best).toEqual({ runId: best.runId, clusterId: best.clusterId });
  });

  it('keeps a few kB a run, not its result', () => {
    const bytes = JSON.stringify(compareInput(eastWest)).length;
    expect(bytes).toBeLessThan(JSON.stringify(eastWest).length / 20);
  });
});

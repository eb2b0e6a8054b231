import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../models/scenario.ts';
import { engineReference } from '../../seeds/index.ts';
import { WorkerPool } from '../../server/jobs/pool.ts';
import { clusterGroups, runScenarioOnPool } from '../../server/parallel.ts';
import { runScenario } from '../../server/run.ts';

const eastWest = JSON.parse(
  readFileSync(new URL('../../scenarios/east-west-compare.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('clusters on the worker pool (issue 19, point 4)', () => {
  const pool = new WorkerPool(2, undefined, { lowPriority: false });
  afterAll(() => pool.close());

  it('clusterGroups: contiguous groups of near-equal size, none empty', () => {
    expect(clusterGroups(4, 2)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(clusterGroups(5, 2)).toEqual([
      [0, 1],
      [2, 3, 4],
    ]);
    expect(clusterGroups(2, 8)).toEqual([[0], [1]]);
    expect(clusterGroups(3, 1)).toEqual([[0, 1, 2]]);
  });

  it('a multi-cluster run split over the pool is the one-thread result, to the last bit', async () => {
    const input = { ...eastWest, years: 3 };
    const { hourly: _h, ...alone } = runScenario(input, engineReference());
    const progress: number[] = [];
    for (const groups of [4, 2, 1]) {
      const pooled = await runScenarioOnPool(input, pool, { groups, onProgress: (d) => progress.push(d) });
      expect(pooled, `${groups} groups`).toEqual(alone);
    }
    expect(progress.at(-1)).toBe(4 * 3); // every cluster-year reported
  });

  it('invalid input fails as on one thread: the first failing cluster, with its field path', async () => {
    const input = {
      ...eastWest,
      years: 2,
      clusters: [{ cluster: 'lanzhou' }, { cluster: 'atlantis' }, { cluster: 'nowhere' }],
    };
    const err = await runScenarioOnPool(input, pool, { groups: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toMatch(/^clusters\[1\]\.cluster: unknown cluster "atlantis"/);
    expect(() => runScenario(input, engineReference())).toThrow((err as Error).message);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monteCarlo } from '../../models/uncertainty/montecarlo.ts';
import { engineReference } from '../../seeds/index.ts';
import { call, type Started, start, until } from '../helpers/server.ts';
import { twoUncertainClusters } from '../helpers/uncertain.ts';

/**
 * Monte Carlo and sizing as API jobs (issue 22, point 7): started with 202 and a Location, polled
 * until they end (no assertion depends on the machine's speed), cancelled, deleted, reused for
 * identical inputs; every answer checked against the OpenAPI document by `call`.
 */

const scenario = twoUncertainClusters('Monte Carlo job');

/** One cluster, one year, a small build: the sizing LP is over the year's 8,760 hours all the same. */
const sizing = {
  name: 'Sizing job',
  startYear: 2025,
  years: 1,
  clusters: [
    {
      cluster: 'qingyang',
      buildout: [{ year: 2025, itPowerKw: '1 MW', kwPerRack: '5 kW' }],
      occupancy: 0.6,
      cooling: { design: 'water-cooled-chiller-wse', facilityClass: 'hyperscale' },
      green: { contracted: { premiumCnyPerMwh: 50 } },
    },
  ],
};

const ENDED = new Set(['done', 'failed', 'cancelled']);

describe('studies: Monte Carlo and sizing jobs', { timeout: 600_000 }, () => {
  let s: Started;
  beforeAll(async () => {
    s = await start(join(mkdtempSync(join(tmpdir(), 'dcplan-studies-')), 'db.sqlite'));
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  const poll = (path: string) =>
    until(
      () => call('GET', `${s.base}${path}`),
      (r) => ENDED.has(r.json.status),
    );

  it('a Monte Carlo job: 202 with a Location, progress while it runs, the same report as the engine gives in Node with the same seed', async () => {
    const options = { samples: 24, seed: 7, tornado: true };
    const post = await call('POST', `${s.base}/montecarlo`, { scenario, options });
    expect(post.status).toBe(202);
    expect(post.json).toMatchObject({ kind: 'montecarlo', cached: false });
    expect(['queued', 'running']).toContain(post.json.status);
    const location = post.headers.get('location')!;
    expect(location).toBe(`/api/montecarlo/${post.json.id}`);
    // the options come back with their defaults
    expect(post.json.options).toMatchObject({
      samples: 24,
      seed: 7,
      method: 'lhs',
      grades: false,
      tornado: true,
    });
    const seen: number[] = [];
    const end = await until(
      () => call('GET', `${s.base}${location.replace(/^\/api/, '')}`),
      (r) => {
        seen.push(r.json.progress);
        return ENDED.has(r.json.status);
      },
    );
    expect(end.json.status).toBe('done');
    expect(end.json.progress).toBe(1);
    expect(seen.every((p, i) => p >= 0 && p <= 1 && (i === 0 || p >= seen[i - 1]))).toBe(true);
    // The engine's own Monte Carlo (as `dcplan montecarlo`), JSON-encoded as the API sends it.
    const expected = JSON.parse(
      JSON.stringify(
        monteCarlo(scenario, engineReference(), { ...options, method: 'lhs', output: 'costPerRackYearCny' }),
      ),
    );
    expect(end.json.result).toEqual(expected);
    expect(end.json.result.clusters[0].costRank.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(
      1,
      12,
    );
    // identical inputs: the stored study, 200
    const again = await call('POST', `${s.base}/montecarlo`, { scenario, options });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: post.json.id, cached: true, status: 'done' });
    expect(again.json.result).toEqual(expected);
    // an ended study cannot be cancelled; DELETE removes it
    expect((await call('POST', `${s.base}/montecarlo/${post.json.id}/cancel`)).status).toBe(409);
    expect((await call('DELETE', `${s.base}/montecarlo/${post.json.id}`)).status).toBe(204);
    expect((await call('GET', `${s.base}/montecarlo/${post.json.id}`)).status).toBe(404);
  });

  it('a Monte Carlo job is cancelled while it runs: cancelled, no report', async () => {
    const post = await call('POST', `${s.base}/montecarlo`, {
      scenario,
      options: { samples: 10_000, seed: 2 },
    });
    expect(post.status).toBe(202);
    await until(
      () => call('GET', `${s.base}/montecarlo/${post.json.id}`),
      (r) => r.json.status === 'running',
    );
    const c = await call('POST', `${s.base}/montecarlo/${post.json.id}/cancel`);
    expect(c.status).toBe(200);
    expect(c.json.status).toBe('cancelled');
    const end = await poll(`/montecarlo/${post.json.id}`);
    expect(end.json).toMatchObject({ status: 'cancelled', error: 'cancelled by the client' });
    expect(end.json.result).toBeUndefined();
  });

  it('refuses bad options and scenarios with field errors (400), unknown ids with 404; a job with nothing uncertain fails saying why', async () => {
    const bad = await call('POST', `${s.base}/montecarlo`, {
      scenario,
      options: { samples: 1, method: 'sobol', extra: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'options',
      'options.method',
      'options.samples',
    ]);
    const badScenario = await call('POST', `${s.base}/montecarlo`, {
      scenario: { ...scenario, years: 0 },
    });
    expect(badScenario.status).toBe(400);
    expect(badScenario.json.detail).toMatch(/^scenario\.years: /);
    const noCluster = await call('POST', `${s.base}/sizing`, {
      scenario: sizing,
      options: { cluster: 'wuhan', greenShare: 0.8 },
    });
    expect(noCluster.status).toBe(400);
    expect(noCluster.json.detail).toBe(
      'options.cluster: the scenario has no cluster "wuhan" (it has: qingyang)',
    );
    expect((await call('GET', `${s.base}/montecarlo/nope`)).status).toBe(404);
    expect((await call('GET', `${s.base}/sizing/nope`)).status).toBe(404);
    // nothing uncertain: the job fails and says why
    const plain = await call('POST', `${s.base}/montecarlo`, {
      scenario: sizing,
      options: { samples: 10 },
    });
    expect(plain.status).toBe(202);
    const end = await poll(`/montecarlo/${plain.json.id}`);
    expect(end.json.status).toBe('failed');
    expect(end.json.error).toMatch(/nothing is uncertain/);
  });

  it('a sizing job: the mix meets the target as re-simulated, with the JSON names of dcplan size; cancel works on a queued or running one', async () => {
    const post = await call('POST', `${s.base}/sizing`, {
      scenario: sizing,
      options: { cluster: 'qingyang', greenShare: 0.6, curve: false },
    });
    expect(post.status).toBe(202);
    expect(post.json.options).toMatchObject({ cluster: 0, greenShare: 0.6, curve: false, timeLimitS: 300 });
    // a second one, with the curve, queued behind it on the one worker: cancelled before it ends
    const second = await call('POST', `${s.base}/sizing`, {
      scenario: sizing,
      options: { cluster: 0, greenShare: 0.7 },
    });
    expect(second.status).toBe(202);
    const del = await call('DELETE', `${s.base}/sizing/${second.json.id}`);
    expect(del.status).toBe(200);
    expect(del.json.status).toBe('cancelled');
    const end = await poll(`/sizing/${post.json.id}`);
    expect(end.json.status).toBe('done');
    const r = end.json.result;
    for (const k of [
      'pvKw',
      'windKw',
      'batteryKwh',
      'batteryKw',
      'contractedShare',
      'greenShare',
      'annualCostCny',
      'solveMs',
    ])
      expect(typeof r[k]).toBe('number');
    expect(r.met).toBe(true);
    expect(r.greenShare).toBeGreaterThanOrEqual(0.6 - 1e-6);
    expect(r.curve).toEqual([]);
    expect((await poll(`/sizing/${second.json.id}`)).json.status).toBe('cancelled');
  });
});

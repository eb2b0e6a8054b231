import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Started, start } from '../helpers/server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EAST_WEST = JSON.parse(readFileSync(join(ROOT, 'scenarios/east-west-compare.json'), 'utf8'));

describe('the API says every error at once (issue 23, point 5)', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start(join(mkdtempSync(join(tmpdir(), 'dcplan-api-errors-')), 'db.sqlite'));
  });
  afterAll(async () => {
    await s.close();
  });

  it('a scenario with three mistakes in two clusters gets three field errors, each saying what to do', async () => {
    const bad = structuredClone(EAST_WEST);
    bad.clusters[0].occupancy = 65;
    bad.clusters[1].cooling = { design: 'evaporative' };
    bad.clusters[2].tariff = { voltage: '10kV' };
    const r = await call('POST', `${s.base}/scenarios`, bad);
    expect(r.status).toBe(400);
    expect(r.json.errors).toEqual([
      {
        path: 'scenario.clusters[2].tariff.voltage',
        message: 'must be one of "<1kV", "1-10kV", "35kV", "110kV", "220kV+"',
      },
      { path: 'scenario.clusters[0].occupancy', message: 'must be ≤ 1 — for 65 %, write 0.65 (or "65 %")' },
      {
        path: 'scenario.clusters[1].cooling.design',
        message: expect.stringMatching(
          /^unknown cooling design "evaporative" — did you mean "indirect-evaporative"\?/,
        ),
      },
    ]);
  });
});

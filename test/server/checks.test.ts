import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, type Started, start } from '../helpers/server.ts';

// POST /api/checks, GET /api/checks, GET/DELETE /api/checks/{id} (issue 21, point 6). Every reply is
// checked against the OpenAPI document by `call`. No assertion depends on the machine's speed.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLE = readFileSync(join(ROOT, 'docs/examples/meter-sample-lanzhou.csv'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'dcplan-checks-'));

/**
 * A monthly year built so its metrics are known by hand: IT 1,000,000 kWh a month, facility
 * 1,300,000 kWh (PUE 1.30) except July, 1,350,000 kWh (1.35). Energy-weighted PUE over the year:
 * (11 × 1.30 + 1.35) × 10⁶ ÷ (12 × 10⁶) = 15.65 ÷ 12 = 1.304166…
 */
const months = Array.from({ length: 12 }, (_, i) => ({
  timestamp: `2025-${String(i + 1).padStart(2, '0')}`,
  it_kwh: 1_000_000,
  facility_kwh: i === 6 ? 1_350_000 : 1_300_000,
}));
const MONTHLY_CSV = `timestamp,it_kwh,facility_kwh\n${months.map((m) => `${m.timestamp},${m.it_kwh},${m.facility_kwh}`).join('\n')}\n`;
const PUE_BY_HAND = 15.65 / 12;

const csvHeaders = { 'content-type': 'text/csv' };

describe('meter checks through the API', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start(join(dir, 'checks.sqlite'), { savedLimits: { maxChecks: 4 } });
  });
  afterAll(async () => {
    await s.close();
  });

  it('checks a CSV body and a JSON body alike, stores each with the site, and lists the history', async () => {
    const a = await call('POST', `${s.base}/checks?cluster=qingyang&site=QY-A`, MONTHLY_CSV, csvHeaders);
    expect(a.status, a.text).toBe(201);
    expect(a.headers.get('location')).toBe(`/api/checks/${a.json.id}`);
    expect(a.json).toMatchObject({ site: 'QY-A', cluster: 'qingyang', coverageShare: 1 });
    expect(a.json.check.pue).toBeCloseTo(PUE_BY_HAND, 12);
    expect(a.json.pue).toBeCloseTo(PUE_BY_HAND, 12);
    const july = a.json.check.monthly.find((m: { month: string }) => m.month === '2025-07');
    expect(july.pue).toBeCloseTo(1.35, 12);
    expect(a.json.check.monthly).toHaveLength(12);
    for (const m of a.json.check.monthly) expect(m.expectedPue).toBeGreaterThan(1);

    // The same data as JSON rows (numbers), with the options beside them: the same check.
    const b = await call('POST', `${s.base}/checks`, { cluster: 'qingyang', site: 'QY-A', rows: months });
    expect(b.status, b.text).toBe(201);
    expect(b.json.check.pue).toBe(a.json.check.pue);
    expect(b.json.check.gb40879Grade).toBe(a.json.check.gb40879Grade);
    expect(b.json.check.monthly).toEqual(a.json.check.monthly);

    // …and as CSV text inside JSON, for another site
    const c = await call('POST', `${s.base}/checks`, { cluster: 'lanzhou', site: 'LNA-1', csv: SAMPLE });
    expect(c.status, c.text).toBe(201);
    expect(c.json.check.coverage.interval).toBe(1440);

    const history = await call('GET', `${s.base}/checks?site=QY-A`);
    expect(history.status).toBe(200);
    expect(history.json.total).toBe(2);
    expect(history.json.checks.map((x: { id: string }) => x.id)).toEqual([b.json.id, a.json.id]);
    const all = await call('GET', `${s.base}/checks?limit=1`);
    expect(all.json).toMatchObject({ total: 3, limit: 1 });
    expect(all.json.checks[0].id).toBe(c.json.id);

    const one = await call('GET', `${s.base}/checks/${a.json.id}`);
    expect(one.status).toBe(200);
    expect(one.json).toEqual(a.json);
  });

  it('refuses a file with defects with every one listed by line (or row) and column, and stores nothing', async () => {
    const before = (await call('GET', `${s.base}/checks`)).json.total;
    const bad = 'timestamp,it_kwh,facility_kwh\n2025-01,1000,1300\n2025-02,abc,1180\n2025-03,900,800\n';
    const r = await call('POST', `${s.base}/checks?cluster=lanzhou`, bad, csvHeaders);
    expect(r.status).toBe(400);
    expect(r.type).toContain('application/problem+json');
    expect(r.json.total).toBe(2);
    expect(r.json.errors).toEqual([
      { path: 'line 3 [it_kwh]', message: expect.stringContaining('not a number') },
      { path: 'line 4 [facility_kwh]', message: expect.stringContaining('below the IT energy') },
    ]);
    // JSON rows: the defect names the row (0-based) and the column
    const rows = [
      { timestamp: '2025-01', it_kwh: 1000, facility_kwh: 1300 },
      { timestamp: '2025-02', it_kwh: -5, facility_kwh: 1180 },
    ];
    const j = await call('POST', `${s.base}/checks`, { cluster: 'lanzhou', rows });
    expect(j.status).toBe(400);
    expect(j.json.errors).toEqual([{ path: 'rows[1].it_kwh', message: expect.stringContaining('negative') }]);
    // options are checked, all at once, before any work
    const o = await call('POST', `${s.base}/checks`, {
      cluster: 'lanzhou',
      cooling: 'fan',
      interval: 7,
      csv: 'x',
    });
    expect(o.status).toBe(400);
    expect(o.json.errors.map((e: { path: string }) => e.path)).toEqual(['cooling', 'interval']);
    expect(o.json.errors[0].message).toContain('water-cooled-chiller-wse');
    const u = await call('POST', `${s.base}/checks?cluster=lanzou`, MONTHLY_CSV, csvHeaders);
    expect(u.status).toBe(400);
    expect(u.json.detail).toContain('known: lanzhou');
    const both = await call('POST', `${s.base}/checks`, { cluster: 'lanzhou', csv: MONTHLY_CSV, rows });
    expect(both.status).toBe(400);
    expect((await call('GET', `${s.base}/checks`)).json.total).toBe(before);
    // CSV is a body type of this operation only
    const run = await call('POST', `${s.base}/runs`, MONTHLY_CSV, csvHeaders);
    expect(run.status).toBe(415);
  });

  it('keeps at most DCPLAN_KEEP_CHECKS checks (507), and a delete makes room', async () => {
    const fourth = await call('POST', `${s.base}/checks?cluster=wuhan`, MONTHLY_CSV, csvHeaders);
    expect(fourth.status, fourth.text).toBe(201);
    const full = await call('POST', `${s.base}/checks?cluster=wuhan`, MONTHLY_CSV, csvHeaders);
    expect(full.status).toBe(507);
    expect(full.json.detail).toContain('DCPLAN_KEEP_CHECKS');
    const list = (await call('GET', `${s.base}/checks`)).json;
    const id = list.checks[0].id;
    expect((await call('DELETE', `${s.base}/checks/${id}`)).status).toBe(204);
    expect((await call('GET', `${s.base}/checks/${id}`)).status).toBe(404);
    const again = await call('POST', `${s.base}/checks?cluster=wuhan`, MONTHLY_CSV, csvHeaders);
    expect(again.status, again.text).toBe(201);
    expect(again.json.site).toBe('wuhan'); // no site given: the cluster id
  });
});

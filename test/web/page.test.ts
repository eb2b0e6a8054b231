import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../models/result.ts';
import { parseScenario } from '../../models/scenario.ts';
import { prepareRun, simulate } from '../../models/simulate.ts';
import eastWest from '../../scenarios/east-west-compare.json' with { type: 'json' };
import qingyangHub from '../../scenarios/qingyang-hub-2025-2030.json' with { type: 'json' };
import { engineReference } from '../../seeds/index.ts';
import { applyLevers } from '../../web/levers.ts';
import { CHROMIUM, HAVE_CHROMIUM, ready, startWeb, type WebRig } from '../helpers/web.ts';

if (!HAVE_CHROMIUM)
  console.warn(
    `page.test: ${CHROMIUM} is absent — skipping the browser tests (.ci/run installs Debian's chromium)`,
  );

/** The engine itself, in Node, for the expected values. */
function engine(s: unknown): RunResult {
  const ref = engineReference();
  return simulate(prepareRun(parseScenario(s), ref), ref);
}

/** The page formats numbers with en-US grouping and at most `d` decimals. */
const fmt = (v: number, d: number) => v.toLocaleString('en-US', { maximumFractionDigits: d });

describe.skipIf(!HAVE_CHROMIUM)('the web app in headless Chromium', { timeout: 600_000 }, () => {
  let rig: WebRig;
  let browser: Browser;
  let base: string;
  let consoleErrors: string[];
  const open = (path: string, size?: { width: number; height: number }, expected?: RegExp): Promise<Page> =>
    rig.open(path, size, expected);

  beforeAll(async () => {
    rig = await startWeb();
    ({ browser, base, consoleErrors } = rig);
  }, 300_000);

  afterAll(async () => {
    await rig?.close();
  });

  it('the overview map shows the four seeded clusters with the scenario figures', async () => {
    const page = await open('/');
    await ready(page, '.view-body .status');
    const marks = page.locator('svg.map .cluster-mark');
    await marks.first().waitFor();
    expect(await marks.count()).toBe(4);
    const ids = await marks.evaluateAll((els) => els.map((e) => e.getAttribute('data-cluster')));
    expect(ids.sort()).toEqual(['lanzhou', 'qingyang', 'wuhan', 'zhengzhou']);
    // each card shows the engine's last-year PUE for that cluster
    const r = engine(eastWest);
    for (const c of r.clusters) {
      const last = c.annual[c.annual.length - 1];
      const card = page.locator(`.card[data-cluster="${c.clusterId}"]`);
      expect(await card.textContent()).toContain(fmt(last.pue!, 3));
    }
    await page.close();
  });

  it('editing a build-out field on /plan changes the numbers and a chart as the engine computes them', async () => {
    const page = await open('/plan?s=qingyang-hub-2025-2030');
    await ready(page, '#run-status');
    const input = page.locator('[data-path="clusters[0].buildout[5].standardRacks"]');
    await input.fill('40000');
    // expected: the same edit run through the engine in Node
    const edited = structuredClone(qingyangHub) as typeof qingyangHub;
    (edited.clusters[0].buildout[5] as { standardRacks: number }).standardRacks = 40000;
    const last = engine(edited).clusters[0].annual.at(-1)!;
    expect(last.standardRacks).toBe(700_000); // 100,000 + 4 × 140,000 + 40,000 (hand sum)
    const kpi = page.locator('.kpi', { hasText: 'Standard racks (2.5 kW) 2030' });
    await expect.poll(() => kpi.textContent(), { timeout: 120_000, interval: 100 }).toContain('700,000');
    const itMw = fmt(last.itEnergyMwh / 8760, 2);
    // the load chart may be out of view: it follows once the page is idle
    await expect
      .poll(() => page.locator('#chart-load .desc').textContent(), { timeout: 120_000, interval: 100 })
      .toContain(`IT ${itMw} MW`);
    const row = page
      .locator('.annual tbody tr')
      .filter({ has: page.locator('td:first-child', { hasText: /^2030$/ }) });
    // the table of years may be out of view too: it follows once the page is idle
    await expect
      .poll(() => row.textContent(), { timeout: 120_000, interval: 100 })
      .toContain(fmt(last.itEnergyMwh, 0));
    // the URL carries the edit once the edits pause: a reload reproduces it
    await expect.poll(() => page.url(), { timeout: 120_000, interval: 100 }).toMatch(/[?&]x=/);
    await page.reload();
    await ready(page, '#run-status');
    await expect.poll(() => kpi.textContent(), { timeout: 120_000, interval: 100 }).toContain('700,000');
    await page.close();
  });

  it('an invalid field shows the validator message beside it and runs nothing', async () => {
    const page = await open('/plan?s=qingyang-hub-2025-2030');
    await ready(page, '#run-status');
    const before = await page.locator('.kpis').textContent();
    // the full editor: occupancy as the scenario file writes it (the simple mode takes a percentage)
    await page.locator('#mode-full').click();
    await page.waitForSelector('.editor-mode[data-mode="full"]');
    const occ = page.locator('[data-path="clusters[0].occupancy"]');
    await occ.fill('1.5');
    await expect
      .poll(() => page.locator('#run-status').textContent(), { timeout: 120_000, interval: 100 })
      .toContain('Not simulated');
    // parseScenario's own message for the same value
    let message = '';
    try {
      const s = structuredClone(qingyangHub) as Record<string, unknown>;
      (s.clusters as Array<Record<string, unknown>>)[0].occupancy = 1.5;
      prepareRun(parseScenario(s), engineReference());
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe('clusters[0].occupancy: must be ≤ 1');
    const err = occ.locator('xpath=..').locator('.field-error');
    expect(await err.textContent()).toBe('must be ≤ 1');
    expect(await occ.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.kpis').textContent()).toBe(before);
    await page.close();
  });

  it('moving the price slider on /compare re-ranks the clusters when the gap flips', async () => {
    const page = await open('/compare?s=east-west-compare');
    await ready(page, '.view-body .status');
    const first = () => page.locator('#compare-results tbody tr').first().textContent();
    const base = engine(eastWest).comparison!;
    expect(await first()).toContain(base.ranking[0].name.split(' ')[0]);
    // Wuhan (index 2) at an energy price of 0.10 CNY/kWh (the slider's floor; T&D, line loss, system
    // operation, funds and the demand charge stay): the engine in Node says who is cheapest then
    const lowered = engine(applyLevers(eastWest, { price: { 2: 0.1 } })).comparison!;
    expect(lowered.ranking[0].clusterId).toBe('wuhan');
    await page.locator('#price-2').fill('0.1');
    await expect.poll(first, { timeout: 120_000, interval: 100 }).toContain('Wuhan');
    expect(page.url()).toContain('p2=0.1');
    await page.close();
  });

  it('the operator uploads a meter file: a good one gives the scorecard, a bad one its defects by line', async () => {
    const page = await open('/operator');
    await page.waitForSelector('#meter-file');
    const dir = mkdtempSync(join(tmpdir(), 'dcplan-meter-'));
    // a good file: twelve months, PUE 1.30 except July 1.35 (energy-weighted 1.3043 over the year)
    const good = join(dir, 'good.csv');
    const rows = ['timestamp,it_kwh,facility_kwh'];
    for (let m = 1; m <= 12; m++)
      rows.push(`2025-${String(m).padStart(2, '0')},1000000,${m === 7 ? 1350000 : 1300000}`);
    writeFileSync(good, `${rows.join('\n')}\n`);
    await page.setInputFiles('#meter-file', good);
    await page.waitForSelector('#meter-report', { timeout: 120_000 });
    const report = await page.locator('#meter-report').innerText();
    expect(report).toContain('1.304'); // (11 × 1.30 + 1.35) ÷ 12 = 1.3042
    expect(report).toMatch(/missed/); // 1.304 misses the < 1.3 cap for new large DCs
    expect(await page.locator('#chart-meter-pue svg').count()).toBeGreaterThan(0);
    // stored on the server under a site's name (POST /api/checks), then listed as its history
    await page.fill('#meter-site', 'browser test site');
    await page.locator('#meter-site').dispatchEvent('change');
    await page.click('#meter-store');
    await expect
      .poll(() => page.locator('#meter-history').innerText(), { timeout: 120_000 })
      .toMatch(/1\.304/);
    expect(await page.locator('#meter-history tbody tr').count()).toBe(1);
    // a bad file: its defects by line and column, and no report
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'timestamp,it_kwh,facility_kwh\n2025-01,100,130\n2025-02,abc,130\n2025-03,100,90\n');
    await page.setInputFiles('#meter-file', bad);
    await page.waitForSelector('#meter-out .errors', { timeout: 120_000 });
    const errors = await page.locator('#meter-out .errors').innerText();
    expect(errors).toMatch(/line 3, column it_kwh: "abc" is not a number/);
    expect(errors).toMatch(/line 4, column facility_kwh/);
    expect(await page.locator('#meter-report').count()).toBe(0);
    // the sample runs too, and flags its bad August
    await page.click('#meter-sample');
    await page.waitForSelector('#meter-report', { timeout: 120_000 });
    await expect
      .poll(() => page.locator('#meter-report').innerText(), { timeout: 120_000 })
      .toMatch(/2025-08/);
    await page.close();
  });

  it('each export button yields a file', async () => {
    const page = await open('/plan?s=gansu-2017');
    await ready(page, '#run-status');
    const fig = page.locator('#chart-monthly-cost');
    for (const [act, ext] of [
      ['svg', 'svg'],
      ['png', 'png'],
      ['csv', 'csv'],
    ]) {
      const [dl] = await Promise.all([
        page.waitForEvent('download'),
        fig.locator(`button[data-act="${act}"]`).click(),
      ]);
      expect(dl.suggestedFilename()).toBe(`chart-monthly-cost.${ext}`);
      const path = await dl.path();
      const { statSync, readFileSync } = await import('node:fs');
      expect(statSync(path).size).toBeGreaterThan(100);
      if (ext === 'png') expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
      if (ext === 'csv') expect(readFileSync(path, 'utf8').split('\n')[0]).toContain('valley energy (CNY)');
    }
    // the table view of a chart
    await fig.locator('button[data-act="table"]').click();
    expect(await fig.locator('.chart-table table tbody tr').count()).toBe(12);
    await page.close();
  });

  it('saves a scenario, shows a 409 from a stale version and resolves it by saving on the latest', async () => {
    const page = await open('/plan?s=hubei-wuhan-2025', undefined, /status of 409/);
    await ready(page, '#run-status');
    const msg = page.locator('.save-msg');
    await page.locator('#save').click();
    await expect.poll(() => msg.textContent(), { timeout: 120_000, interval: 100 }).toMatch(/version 1\./);
    const id = Number(/[?&]id=(\d+)/.exec(page.url())![1]);
    // someone else saves version 2 through the API
    const stored = await (await fetch(`${base}/api/scenarios/${id}`)).json();
    const put = await fetch(`${base}/api/scenarios/${id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ scenario: { ...stored.scenario, name: 'theirs' }, baseVersion: 1 }),
    });
    expect(put.status).toBe(200);
    await page.locator('#sc-name').fill('mine');
    await page.locator('#save').click();
    await expect
      .poll(() => msg.textContent(), { timeout: 120_000, interval: 100 })
      .toContain('is at version 2');
    await msg.locator('button').click();
    await expect.poll(() => msg.textContent(), { timeout: 120_000, interval: 100 }).toMatch(/version 3\./);
    const latest = await (await fetch(`${base}/api/scenarios/${id}`)).json();
    expect(latest.scenario.name).toBe('mine');
    await page.close();
  });

  it('lists stored runs and puts two side by side; a citation opens its source', async () => {
    for (const f of ['gansu-2017', 'hubei-wuhan-2025']) {
      const scenario = (await import(`../../scenarios/${f}.json`, { with: { type: 'json' } })).default;
      const res = await fetch(`${base}/api/runs?wait=0`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ scenario }),
      });
      const run = await res.json();
      // poll the run to its end (no assumption about how long it takes)
      for (let s = run.status; s === 'queued' || s === 'running'; ) {
        await new Promise((r) => setTimeout(r, 200));
        s = (await (await fetch(`${base}/api/runs/${run.id}`)).json()).status;
      }
    }
    const page = await open('/runs');
    await page.waitForSelector('#view[data-ready="true"]', { timeout: 120_000 });
    const boxes = page.locator('tbody input[type=checkbox]:not([disabled])');
    expect(await boxes.count()).toBeGreaterThanOrEqual(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await expect
      .poll(() => page.locator('#runs-compare tbody tr').count(), { timeout: 120_000, interval: 100 })
      .toBeGreaterThanOrEqual(2);
    expect(await page.locator('#runs-compare').textContent()).toMatch(/wuhan/i);
    // a [source-id] in the operator page resolves to an entry of /sources
    await page.goto(`${base}/operator`);
    await page.waitForSelector('#view[data-ready="true"]', { timeout: 120_000 });
    const cite = page.locator('a.cite').first();
    const href = (await cite.getAttribute('href'))!;
    await cite.click();
    await page.waitForSelector('#view[data-view="/sources"][data-ready="true"]', { timeout: 120_000 });
    expect(await page.locator(`#${href.split('#')[1]}`).count()).toBe(1);
    await page.close();
  });

  it('a view leaves nothing behind: window listeners go when the view is left (issue 19)', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Count the window's live 'resize' listeners, honouring the AbortSignal a view registers them with.
    await page.addInitScript(() => {
      const w = window as unknown as { liveResize: number };
      w.liveResize = 0;
      const add = window.addEventListener.bind(window);
      window.addEventListener = ((type: string, fn: EventListener, opts?: AddEventListenerOptions) => {
        if (type === 'resize') {
          w.liveResize++;
          opts?.signal?.addEventListener('abort', () => w.liveResize--);
        }
        add(type, fn, opts);
      }) as typeof window.addEventListener;
    });
    await page.goto(`${base}/plan?s=gansu-2017`);
    await ready(page, '#run-status');
    for (const path of ['/', '/plan', '/compare', '/plan', '/sources']) {
      await page.evaluate((p) => {
        const a = Object.assign(document.createElement('a'), { href: p });
        a.setAttribute('data-link', '');
        document.body.append(a);
        a.click();
      }, path);
      await page.waitForSelector(`#view[data-view="${path}"][data-ready="true"]`, { timeout: 120_000 });
    }
    // Three visits to /plan, each added a resize listener; only the shown view's may live (here none).
    expect(await page.evaluate(() => (window as unknown as { liveResize: number }).liveResize)).toBe(0);
    await page.close();
  });

  it('switches every label of the shell to 中文 and back', async () => {
    const page = await open('/plan?s=gansu-2017');
    await ready(page, '#run-status');
    await page.locator('#lang').click();
    await page.waitForSelector('#view[data-ready="true"]', { timeout: 120_000 });
    await expect.poll(() => page.locator('#nav').textContent(), { timeout: 120_000 }).toContain('规划');
    expect(await page.locator('#view-title').textContent()).toBe('规划');
    expect(page.url()).toContain('lang=zh');
    await page.locator('#lang').click();
    await expect.poll(() => page.locator('#view-title').textContent(), { timeout: 120_000 }).toBe('Plan');
    await page.close();
  });

  it('every view renders without console errors at 1440 × 900 and 390 × 844, without page overflow', async () => {
    for (const size of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      for (const path of ['/', '/plan', '/compare', '/operator', '/runs', '/sources']) {
        const page = await open(path, size);
        await page.waitForSelector('#view[data-ready="true"]', { timeout: 120_000 });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(overflow, `${path} at ${size.width}px`).toBeLessThanOrEqual(size.width);
        await page.close();
      }
    }
    expect(consoleErrors).toEqual([]);
  });
});

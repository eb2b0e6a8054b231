import lz from 'lz-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLpSolver } from '../../models/lp.ts';
import { engineCache } from '../../models/simulate.ts';
import { sizingSetup, solveSizing } from '../../models/sizing.ts';
import { monteCarlo } from '../../models/uncertainty/montecarlo.ts';
import eastWest from '../../scenarios/east-west-compare.json' with { type: 'json' };
import qingyangGreen from '../../scenarios/qingyang-green-2025.json' with { type: 'json' };
import { engineReference } from '../../seeds/index.ts';
import { applyLevers } from '../../web/levers.ts';
import { twoUncertainClusters } from '../helpers/uncertain.ts';
import { HAVE_CHROMIUM, ready, startWeb, type WebRig } from '../helpers/web.ts';

/**
 * The uncertainty panels in headless Chromium (issue 22, point 7): a Monte Carlo in the page's worker
 * fills the ranking's "cheapest in N % of samples" — the same numbers as the engine's Monte Carlo in
 * Node with the same seed — the tornado, and the fan chart on /plan; the sizing curve's first mix is
 * the one Node's HiGHS finds and goes into the scenario. Every wait polls; nothing is timed.
 */

describe.skipIf(!HAVE_CHROMIUM)('uncertainty in the page', { timeout: 600_000 }, () => {
  let rig: WebRig;
  const open = (path: string) => rig.open(path);

  beforeAll(async () => {
    rig = await startWeb();
  }, 300_000);

  afterAll(async () => {
    await rig?.close();
  });

  it('/compare: the ranking says how often each cluster is cheapest, as the engine in Node does with the same seed; a tornado follows', async () => {
    const page = await open('/compare?s=east-west-compare');
    await ready(page, '.view-body .status');
    const panel = page.locator('#uncertainty-compare');
    await panel.locator('#u-compare-samples').fill('40');
    await panel.locator('[data-act="u-compare-run"]').click();
    // the charts fill in while the samples come: the progress line counts them
    await expect
      .poll(() => panel.locator('.u-progress-text').textContent(), { timeout: 300_000, interval: 200 })
      .toMatch(/40 \/ 40 samples/);
    const caption = await panel.locator('.u-ranking caption').textContent();
    const shown = Object.fromEntries(
      [...(caption ?? '').matchAll(/([^:·]+?): Cheapest in (\d+) % of samples/g)].map((m) => [
        m[1].trim(),
        Number(m[2]),
      ]),
    );
    // The same Monte Carlo in Node: 40 Latin-hypercube samples, seed 1, every default banded by its grade.
    const r = monteCarlo(applyLevers(eastWest, { price: {} }), engineReference(), {
      samples: 40,
      seed: 1,
      grades: true,
    });
    const expected = Object.fromEntries(
      r.clusters.map((c) => [c.name, Math.round((c.costRank as number[])[0] * 100)]),
    );
    expect(shown).toEqual(expected);
    expect(Object.values(shown).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(98); // rounding of four shares
    // histograms and CDFs with P10/P50/P90 in their tables
    for (const id of ['chart-rank-probability', 'chart-hist-npvCny', 'chart-cdf-costPerRackYearCny'])
      expect(await page.locator(`#${id} svg`).count()).toBeGreaterThan(0);
    const npv = r.clusters[0].finance.npvCny!;
    const desc = await page.locator('#chart-hist-npvCny .desc').textContent();
    const f1 = (v: number) =>
      (v / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    expect(desc).toContain(`P10 ${f1(npv.p10)}, P50 ${f1(npv.p50)}, P90 ${f1(npv.p90)} M CNY`);
    // the tornado on cost per rack-year comes after the samples
    await page.locator('#chart-tornado').waitFor({ timeout: 300_000 });
    expect(await page.locator('#chart-tornado svg rect').count()).toBeGreaterThan(2);
    // a lever moved after the samples ran: the panel says they are stale until it runs again
    expect(await panel.evaluate((e) => e.classList.contains('stale'))).toBe(false);
    await page.locator('#price-0').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => panel.evaluate((e) => e.classList.contains('stale'))).toBe(true);
    expect(await panel.locator('.stale-note').isVisible()).toBe(true);
    await page.close();
  });

  it('/compare: more samples go to the server as a job; its report fills the ranking as the engine in Node gives it', async () => {
    const scenario = twoUncertainClusters('Two clusters, uncertain occupancy and build cost');
    const page = await open(`/compare?x=${lz.compressToEncodedURIComponent(JSON.stringify(scenario))}`);
    await ready(page, '.view-body .status');
    const panel = page.locator('#uncertainty-compare');
    await panel.locator('#u-compare-grades').uncheck();
    await panel.locator('#u-compare-samples').fill('1500');
    await panel.locator('[data-act="u-compare-server"]').click();
    await expect
      .poll(() => panel.locator('.u-progress-text').textContent(), { timeout: 300_000, interval: 250 })
      .toMatch(/On the server: 1,500 \/ 1,500 samples/);
    await panel.locator('.u-ranking caption').waitFor();
    const caption = (await panel.locator('.u-ranking caption').textContent()) ?? '';
    const r = monteCarlo(applyLevers(scenario, { price: {} }), engineReference(), {
      samples: 1500,
      seed: 1,
      tornado: true,
    });
    for (const c of r.clusters)
      expect(caption).toContain(
        `${c.name}: Cheapest in ${Math.round((c.costRank as number[])[0] * 100)} % of samples`,
      );
    await page.locator('#chart-tornado').waitFor();
    await page.close();
  });

  it('/plan: a fan chart of an annual output fills in with P10 ≤ P50 ≤ P90 by year; Cancel stops a run', async () => {
    const page = await open('/plan?s=qingyang-hub-2025-2030');
    await ready(page, '#run-status');
    const panel = page.locator('#uncertainty-plan');
    await panel.locator('#u-plan-samples').fill('20');
    await panel.locator('[data-act="u-plan-run"]').click();
    await page.locator('#chart-fan').waitFor({ timeout: 300_000 });
    await expect
      .poll(() => panel.locator('.u-fan-panel .u-progress-text').textContent(), {
        timeout: 300_000,
        interval: 200,
      })
      .toMatch(/20 \/ 20 samples/);
    const desc = (await page.locator('#chart-fan .desc').textContent()) ?? '';
    const m = /2030: P10 ([\d.,]+), P50 ([\d.,]+), P90 ([\d.,]+)/.exec(desc);
    expect(m).not.toBeNull();
    const [p10, p50, p90] = (m as RegExpExecArray).slice(1, 4).map((x) => Number(x.replace(/,/g, '')));
    expect(p10).toBeGreaterThan(1);
    expect(p10).toBeLessThanOrEqual(p50);
    expect(p50).toBeLessThanOrEqual(p90);
    expect(p90).toBeLessThan(2);
    // the band's table has every year
    await page.locator('#chart-fan [data-act="table"]').click();
    expect(await page.locator('#chart-fan tbody tr').count()).toBe(6);
    // a second, longer run cancelled: the page says so and the Run button is back
    await panel.locator('#u-plan-samples').fill('1000');
    await panel.locator('[data-act="u-plan-run"]').click();
    await panel.locator('[data-act="u-plan-cancel"]').click();
    await expect
      .poll(() => panel.locator('.u-fan-panel .u-progress-text').textContent(), {
        timeout: 60_000,
        interval: 100,
      })
      .toBe('Cancelled');
    expect(await panel.locator('[data-act="u-plan-run"]').isDisabled()).toBe(false);
    await page.close();
  });

  it('/plan: the sizing curve fills in point by point in the page (HiGHS in the worker); "Use this mix" puts the mix into the scenario', async () => {
    const page = await open('/plan?s=qingyang-green-2025');
    await ready(page, '#run-status');
    await page.locator('[data-act="u-size-run"]').click();
    // the first point is the cheapest mix without a target
    const first = page.locator('.u-mixes li').first();
    await first.waitFor({ timeout: 300_000 });
    const text = (await first.textContent()) ?? '';
    expect(text).toMatch(/^no target: /);
    const windMw = Number(/wind ([\d.,]+) MW/.exec(text)![1].replace(/,/g, ''));
    // the same program solved in Node (the same HiGHS build) gives the same mix
    const lp = await loadLpSolver();
    const setup = sizingSetup(qingyangGreen, engineReference(), { cluster: 0 }, { cache: engineCache() });
    const node = solveSizing(setup, null, lp);
    expect(windMw).toBeCloseTo(node.windKw / 1000, 1);
    await first.locator('[data-act="u-use-mix"]').click();
    await expect.poll(() => page.url(), { timeout: 120_000, interval: 200 }).toMatch(/[?&]x=/);
    // the planner opens in its simple mode: the wind farm's rated power is a field of the full editor
    await page.locator('#mode-full').click();
    await page.waitForSelector('.editor-mode[data-mode="full"]');
    const wind = page.locator('[data-path="clusters[0].green.wind.ratedKw"]');
    await expect
      .poll(async () => Number(await wind.inputValue()), { timeout: 120_000, interval: 200 })
      .toBeCloseTo(Math.round(node.windKw * 10) / 10, 0);
    expect(page.url()).toMatch(/[?&]x=/);
    await page.close();
  });

  it('no console errors', () => {
    expect(rig.consoleErrors).toEqual([]);
  });
});

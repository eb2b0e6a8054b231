import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadLpSolver } from '../models/lp.ts';
import { engineCache } from '../models/simulate.ts';
import { sizingSetup, solveSizing } from '../models/sizing.ts';
import { engineReference } from '../seeds/index.ts';
import { runMonteCarlo } from './montecarlo.ts';
import { defaultThreads } from './parallel.ts';

/**
 * `dcplan bench --uncertainty` (issue 22's speed goals, on this machine):
 * - Monte Carlo: N samples of a one-cluster, 15-year scenario with PV, wind and a battery (the
 *   east–west scenario's Qingyang cluster; occupancy, the energy price and the build cost uncertain),
 *   on one worker and on the pool (the machine's cores), with the pool's speed-up; goals ≤ 5 s for
 *   1,000 samples and ≤ 30 s for 10,000 on the pool;
 * - sizing: one least-cost green supply over 8,760 hours (Qingyang's hub scenario, 80 %); goal ≤ 10 s;
 * - the page: 200 samples of the same scenario in the page's uncertainty worker; goal ≤ 2 s.
 * Timed by the wall clock here, never in tests.
 */

export const MC_GOAL_MS: Record<number, number> = { 1000: 5000, 10000: 30000 };
export const SIZING_GOAL_MS = 10000;
export const PAGE_GOAL_MS = 2000;

/**
 * `samples` samples of a scenario in the page's uncertainty worker (/plan, grades off: the scenario's
 * own distributions, as the Node figures): the worker's own time (its `done` message) and the time
 * from the click to the last chart. Skipped without Chromium.
 */
export async function pageMonteCarlo(
  scenario: unknown,
  samples: number,
  log: (s: string) => void,
): Promise<{ skipped: string | null; samples: number; workerMs: number | null; clickMs: number | null }> {
  const CHROMIUM = '/usr/bin/chromium';
  if (!existsSync(CHROMIUM))
    return { skipped: `${CHROMIUM} is absent`, samples, workerMs: null, clickMs: null };
  const { chromium } = await import('playwright-core');
  const lz = (await import('lz-string')).default;
  const { servePage } = await import('./bench-web.ts');
  const served = await servePage(log);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${served.base}/plan?x=${lz.compressToEncodedURIComponent(JSON.stringify(scenario))}`);
    await page.waitForSelector('#view[data-ready="true"]', { timeout: 0 });
    await page.locator('#u-plan-grades').uncheck();
    await page.locator('#u-plan-samples').fill(String(samples));
    const t0 = performance.now();
    await page.locator('[data-act="u-plan-run"]').click();
    await page.waitForSelector('.u-fan-panel .u-status[data-ms]', { timeout: 0 });
    const clickMs = performance.now() - t0;
    const workerMs = Number(await page.locator('.u-fan-panel .u-status').getAttribute('data-ms'));
    return { skipped: null, samples, workerMs, clickMs };
  } finally {
    await browser.close();
    await served.close();
  }
}

/** The scenario the Monte Carlo part samples. */
export function mcScenario(): unknown {
  const s = JSON.parse(readFileSync(new URL('../scenarios/east-west-compare.json', import.meta.url), 'utf8'));
  return {
    ...s,
    name: 'bench: one cluster, 15 years, PV + wind + battery, three uncertain inputs',
    clusters: [
      {
        cluster: 'qingyang',
        tariff: { energyPriceCnyPerKwh: { dist: 'triangular', min: 0.25, mode: 0.3, max: 0.4 } },
        finance: { buildCnyPerKwIt: { dist: 'uniform', min: 20000, max: 50000 } },
      },
    ],
    defaults: { ...s.defaults, occupancy: { dist: 'triangular', min: 0.5, mode: 0.65, max: 0.75 } },
  };
}

export async function runUncertaintyBench(opts: {
  samples: number[];
  threads?: number;
  log?: (s: string) => void;
}): Promise<{ data: unknown; text: string }> {
  const log = opts.log ?? (() => {});
  const ref = engineReference();
  const threads = opts.threads ?? defaultThreads();
  const scenario = mcScenario();
  const mc: Array<{
    samples: number;
    threads: number;
    ms: number;
    oneWorkerMs: number | null;
    speedUp: number | null;
  }> = [];
  for (const n of opts.samples) {
    const time = async (t: number) => {
      const t0 = performance.now();
      await runMonteCarlo(scenario, ref, { samples: n, seed: 1, threads: t });
      return performance.now() - t0;
    };
    log(`montecarlo: ${n} samples on ${threads} workers…`);
    const ms = await time(threads);
    // One worker (the pool of one), for the speed-up; the 10,000 case only when asked as the only size.
    let oneWorkerMs: number | null = null;
    if (n <= 1000) {
      log(`montecarlo: ${n} samples on 1 worker…`);
      oneWorkerMs = await time(1);
    }
    mc.push({ samples: n, threads, ms, oneWorkerMs, speedUp: oneWorkerMs ? oneWorkerMs / ms : null });
  }
  log('sizing: Qingyang, 80 % green, 8,760 hours…');
  const lp = await loadLpSolver();
  const raw = JSON.parse(
    readFileSync(new URL('../scenarios/qingyang-green-2025.json', import.meta.url), 'utf8'),
  );
  const setup = sizingSetup(raw, ref, { cluster: 0 }, { cache: engineCache() });
  const t0 = performance.now();
  const mix = solveSizing(setup, { greenShare: 0.8 }, lp);
  const sizingMs = performance.now() - t0;
  const lines = [
    'uncertainty (issue 22):',
    ...mc.map(
      (m) =>
        `  Monte Carlo, ${m.samples.toLocaleString('en-US')} samples of one cluster × 15 years (PV, wind, battery): ${(m.ms / 1000).toFixed(1)} s on ${m.threads} workers${m.oneWorkerMs ? `, ${(m.oneWorkerMs / 1000).toFixed(1)} s on 1 (speed-up ${m.speedUp!.toFixed(2)}×)` : ''} (goal ≤ ${((MC_GOAL_MS[m.samples] ?? Number.NaN) / 1000).toFixed(0)} s) — ${m.ms <= (MC_GOAL_MS[m.samples] ?? Number.POSITIVE_INFINITY) ? 'met' : 'NOT met'}`,
    ),
    `  sizing over 8,760 hours (Qingyang, 80 %): ${(sizingMs / 1000).toFixed(1)} s, ${mix.status} (goal ≤ ${SIZING_GOAL_MS / 1000} s) — ${sizingMs <= SIZING_GOAL_MS ? 'met' : 'NOT met'}`,
  ];
  log('page: 200 samples in the page’s worker (headless Chromium)…');
  const page = await pageMonteCarlo(scenario, 200, log);
  lines.push(
    page.skipped
      ? `  200 samples in the page’s worker: not measured (${page.skipped})`
      : `  200 samples in the page’s worker (the same scenario, /plan, headless Chromium): ${((page.workerMs as number) / 1000).toFixed(1)} s in the worker, ${((page.clickMs as number) / 1000).toFixed(1)} s from the click to the last chart (goal ≤ ${PAGE_GOAL_MS / 1000} s) — ${(page.workerMs as number) <= PAGE_GOAL_MS ? 'met' : 'NOT met'}`,
  );
  return {
    data: { montecarlo: mc, sizing: { ms: sizingMs, status: mix.status }, page },
    text: lines.join('\n'),
  };
}

import { existsSync, mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { openDatabase } from '../../server/db/database.ts';

const CHROMIUM = '/usr/bin/chromium';
const HAVE = existsSync(CHROMIUM);
if (!HAVE)
  console.warn(
    `page.test: ${CHROMIUM} is absent — skipping the browser test (.ci/run installs Debian's chromium)`,
  );

describe.skipIf(!HAVE)('the web page in headless Chromium', () => {
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dcplan-web-'));
    const outDir = join(dir, 'web');
    await build({
      configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
      build: { outDir, emptyOutDir: true },
      logLevel: 'warn',
    });
    const db = openDatabase(join(dir, 'web.sqlite'));
    const app = createApp({ db, workers: 1, webDir: outDir, log: () => {} });
    const server = app.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
      ],
    });
    close = async () => {
      await browser.close();
      server.close();
      server.closeAllConnections();
      await app.close();
      db.close();
    };
  }, 120_000);

  afterAll(async () => {
    await close?.();
  });

  it('shows the four seeded clusters and simulates a scenario with its comparison', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await page.waitForSelector('.card');
    expect(await page.locator('.card').count()).toBe(4);
    expect(await page.locator('.card h3').first().textContent()).toContain('Lanzhou');
    await page.selectOption('#scenario', { label: 'East–west compare: 10 MW IT in four clusters' });
    await page.click('button[type=submit]');
    await page.waitForSelector('#result table');
    expect(await page.textContent('#status')).toMatch(/525,600 cluster-hours in \d+ ms/);
    const caption = await page.locator('#result caption').first().textContent();
    expect(caption).toContain('Investor comparison');
    // comparison table: 4 clusters, Qingyang first (cheapest per rack-year)
    const firstRow = await page.locator('#result table').first().locator('tr').nth(1).textContent();
    expect(firstRow).toContain('Qingyang');
    // every per-cluster table has units in its header
    expect(await page.locator('#result th', { hasText: 'PUE' }).count()).toBeGreaterThan(0);
    expect(await page.locator('#result th', { hasText: '(GWh)' }).count()).toBeGreaterThan(0);
    await page.close();
  });
});

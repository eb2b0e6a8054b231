import { existsSync, mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { createApp } from '../../server/app.ts';
import { openDatabase } from '../../server/db/database.ts';

/** Debian's Chromium (.ci/run installs it); the browser tests skip without it. */
export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** The web app built into a temporary directory, served with its API, and a headless Chromium on it. */
export interface WebRig {
  browser: Browser;
  base: string;
  /** Console errors and page errors of every page opened with `open` (a test may expect some). */
  consoleErrors: string[];
  open(path: string, size?: { width: number; height: number }, expected?: RegExp): Promise<Page>;
  close(): Promise<void>;
}

/** Build the page (vite), serve it with a fresh database on 127.0.0.1:0 and launch Chromium. */
export async function startWeb(): Promise<WebRig> {
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
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  const consoleErrors: string[] = [];
  return {
    browser,
    base,
    consoleErrors,
    async open(path, size = { width: 1440, height: 900 }, expected) {
      const page = await browser.newPage({ viewport: size, acceptDownloads: true });
      page.on('console', (m) => {
        if (m.type() === 'error' && !expected?.test(m.text()))
          consoleErrors.push(`${path} @${size.width}: ${m.text()}`);
      });
      page.on('pageerror', (e) => consoleErrors.push(`${path} @${size.width}: ${e.message}`));
      await page.goto(`${base}${path}`);
      return page;
    },
    async close() {
      await browser.close();
      server.close();
      server.closeAllConnections();
      await app.close();
      db.close();
    },
  };
}

/** Wait until the view has rendered, the engine worker has answered and every figure is drawn (polls). */
export async function ready(page: Page, statusSel: string): Promise<void> {
  await page.waitForSelector('#view[data-ready="true"]', { timeout: 120_000 });
  await page.waitForFunction(
    (sel) => {
      const s = document.querySelector<HTMLElement>(sel);
      return s?.dataset.state === 'done' || s?.dataset.state === 'invalid';
    },
    statusSel,
    { timeout: 120_000 },
  );
  // on /plan the figures out of view follow once the page is idle (web/figure-slots.ts)
  await page.waitForFunction(() => !document.querySelector('[data-figures="pending"]'), null, {
    timeout: 120_000,
  });
}

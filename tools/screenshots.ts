/**
 * Screenshots of every view at a desktop and a phone size, for docs/screenshots/ (and for looking at
 * the page as a person would). Builds the web app, serves it with the API on a temporary database,
 * and drives Debian's Chromium.
 *
 * Run: npx tsx tools/screenshots.ts [outDir]     (default docs/screenshots)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { servePage } from '../server/bench-web.ts';

const out = process.argv[2] ?? fileURLToPath(new URL('../docs/screenshots', import.meta.url));
mkdirSync(out, { recursive: true });
const { base, close } = await servePage(() => {});
// one stored run so that /runs has something to show
await fetch(`${base}/api/runs?wait=60000`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({
    scenario: (await import('../scenarios/gansu-2017.json', { with: { type: 'json' } })).default,
  }),
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const views = ['/', '/plan', '/compare', '/operator', '/runs', '/sources'];
const sizes = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];
const langs = [
  { suffix: '', query: '' },
  { suffix: '-zh', query: '?lang=zh' },
];
/** The view has rendered, its engine has answered and every figure is drawn (polls; no fixed wait). */
const settled = () =>
  !!document.querySelector('#view[data-ready="true"]') &&
  !document.querySelector('[data-state="running"], [data-figures="pending"]');
let errors = 0;
for (const size of sizes)
  for (const lang of langs) {
    const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
    page.on('console', (m) => {
      if (m.type() === 'error') {
        errors++;
        console.error(`console error (${size.name}${lang.suffix}): ${m.text()}`);
      }
    });
    page.on('pageerror', (e) => {
      errors++;
      console.error(`page error (${size.name}${lang.suffix}): ${e.message}`);
    });
    const full = process.env.FULL === '1';
    for (const v of views) {
      await page.goto(`${base}${v}${lang.query}`);
      await page.waitForFunction(settled, null, { timeout: 120_000 });
      const name = v === '/' ? 'overview' : v.slice(1);
      await page.screenshot({ path: join(out, `${name}-${size.name}${lang.suffix}.png`), fullPage: full });
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      console.log(`${name} ${size.name}${lang.suffix}: page scroll width ${scroll} px`);
      if (v === '/plan' && size.name === 'phone') {
        // on a phone the results are a tab of their own
        await page.locator('.plan-tabs button[data-tab="results"]').click();
        await page.waitForFunction(settled, null, { timeout: 120_000 });
        await page.screenshot({ path: join(out, `plan-phone-results${lang.suffix}.png`), fullPage: full });
      }
    }
    await page.close();
  }
await browser.close();
await close();
console.log(`${errors} console errors; screenshots in ${out}`);
process.exit(errors ? 1 : 0);

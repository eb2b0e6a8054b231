import { decompressFromEncodedURIComponent } from 'lz-string';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_CHROMIUM, ready, startWeb, type WebRig } from '../helpers/web.ts';

/**
 * Issue 23 in headless Chromium, as a user meets the page: levers that drag and step (point 1), the
 * compare view's headline numbers and words (point 3), 中文 throughout (point 4), errors beside their
 * fields with stale results marked (point 5), the planner's simple mode (point 2) and the phone layout.
 */

/** Mark an element so that a test can tell it is still the same node later (not redrawn). */
const mark = (page: Page, sel: string) =>
  page.locator(sel).evaluate((e) => {
    (e as unknown as { marked: boolean }).marked = true;
  });
const stillMarked = (page: Page, sel: string) =>
  page.locator(sel).evaluate((e) => (e as unknown as { marked?: boolean }).marked === true);
const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Count how often the compare results are redrawn (their children replaced). */
const countRedraws = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { redraws: number };
    w.redraws = 0;
    new MutationObserver(() => w.redraws++).observe(document.getElementById('compare-results')!, {
      childList: true,
    });
  });
const redraws = (page: Page) => page.evaluate(() => (window as unknown as { redraws: number }).redraws);

/**
 * The text nodes of the view a user can read as CJK or Latin-only, leaving out what reads the same in
 * both languages: numbers, units and symbols, ids (`east-west-compare`), source ids in brackets, metric
 * and standard abbreviations (PUE, IRR, ISO/IEC…) and the export buttons' file types. Every <details>
 * is opened first, so that English in a collapsed panel is caught too; the options of a visible
 * select count. Exempt are only elements marked `lang="en"`: an English original's bibliographic title
 * or document number on /sources, and the bibliographic references inside the notes on the inputs (the
 * defaults used, the warnings' sources and figures: web/source-text.ts translates the rest; its rule is
 * test/web/source-text.test.ts's, which keeps this list in step).
 */
async function scripts(page: Page): Promise<{ cjk: number; latin: string[] }> {
  return page.evaluate(() => {
    for (const d of document.querySelectorAll('#view details')) (d as HTMLDetailsElement).open = true;
    const SAME = new RegExp(
      [
        String.raw`\[[\w.-]+\]`, // citations
        String.raw`\b[a-z0-9]+(?:[-_.][a-z0-9]+)+\b`, // ids, file names
        String.raw`(?<![A-Za-z])(?:PUE|pPUE|WUE|CUE|REF|ERF|IRR|NPV|IT|DX|CRAH|CRAC|UPS|PV|TOU|T&D|GB|SVG|PNG|CSV|JSON|API|EPW|ISO|IEC|COP|EER|kVA|kV|kWh|MWh|GWh|kW|MW|GW|Gbps|Tbps|CNY|CO2|CO₂|tCO2|kgCO2|kg|L|h|yr|km|ms|dcplan|engine|TWh|Wh|kPa|Pa|PDF|ECO|v\d+)\b`,
        String.raw`\b(?:I{1,3}|IV)[A-C]?\b`, // equipment classes (IEC wind class IIIA)
        String.raw`\b\d{4}-\d{2}(?:-\d{2})?\b`,
        String.raw`[\d.,%+−–—×÷/()·:;'"’“”<>≤≥=~#°℃-]`,
      ].join('|'),
      'g',
    );
    const view = document.getElementById('view')!;
    const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
    let cjk = 0;
    const latin: string[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim();
      const parent = n.parentElement;
      if (!text || !parent || parent.closest('script, style, title, [hidden]')) continue;
      // an element of the view marked English (not the English page's own <html lang="en">)
      if (view.contains(parent.closest('[lang="en"]'))) continue;
      // only what is on screen (an option: when its select is), not in a hidden element
      if (!(parent.closest('select') ?? parent).checkVisibility()) continue;
      if (/[\u4e00-\u9fff]/.test(text)) {
        cjk++;
        // a Chinese text with an English sentence left inside it (four English words in a row); not in
        // an option, where a server's model name stands beside its Chinese (HPE ProLiant DL380 Gen10 Plus)
        if (!parent.closest('option') && /[A-Za-z]{2,}(?:\s+[A-Za-z]{2,}){3}/.test(text.replace(SAME, ' ')))
          latin.push(text);
      } else if (/[A-Za-z]{2,}/.test(text.replace(SAME, ' '))) latin.push(text);
    }
    return { cjk, latin };
  });
}

/** The edited scenario as the page keeps it in its URL (`x`, compressed), once it is there. */
const urlScenario = (page: Page) => {
  const x = new URL(page.url()).searchParams.get('x');
  return x ? JSON.parse(decompressFromEncodedURIComponent(x) ?? 'null') : null;
};
/** Poll the URL's scenario (written once edits pause) until `pick` of it equals `want`. */
type Entry = Record<string, Record<string, unknown> | undefined> & { occupancy?: unknown };
const expectInUrl = (page: Page, pick: (s: Entry) => unknown, want: unknown) =>
  expect
    .poll(() => pick(urlScenario(page)?.clusters?.[0] ?? {}), { timeout: 120_000, interval: 100 })
    .toEqual(want);
const runState = (page: Page) => page.locator('#run-status').getAttribute('data-state');
/** Open the full editor of /plan on a bundled scenario, every section open. */
async function fullEditor(page: Page): Promise<void> {
  await ready(page, '#run-status');
  await page.locator('#mode-full').click();
  await page.waitForSelector('.editor-mode[data-mode="full"]');
  await page.evaluate(() => {
    for (const d of document.querySelectorAll<HTMLDetailsElement>('details.section')) d.open = true;
  });
}
/** The inputs of the editor that hold or ask for JSON text (a value or placeholder opening with { or [). */
const jsonBoxes = (page: Page) =>
  page
    .locator('#plan-editor input, #plan-editor textarea')
    .evaluateAll((els) =>
      (els as HTMLInputElement[])
        .filter((i) => /^\s*[[{]/.test(i.value) || /^\s*[[{]/.test(i.placeholder ?? ''))
        .map((i) => `${i.dataset.path}: ${i.value || i.placeholder}`),
    );

/**
 * /compare's discount-rate slider once the page has answered, marked (to tell it is never rebuilt)
 * and its redraws counted: its range, its value and where a value sits on screen.
 */
async function discountSlider(page: Page) {
  await ready(page, '#compare-status');
  await mark(page, '#dr');
  await countRedraws(page);
  const slider = page.locator('#dr');
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  const [min, max, step] = await slider.evaluate((e) => {
    const i = e as HTMLInputElement;
    return [Number(i.min), Number(i.max), Number(i.step)];
  });
  const v0 = Number(await slider.inputValue());
  const xOf = (v: number) => box.x + 8 + ((v - min) / (max - min)) * (box.width - 16);
  return { slider, min, max, step, v0, xOf, y: box.y + box.height / 2 };
}

describe.skipIf(!HAVE_CHROMIUM)('issue 23 in headless Chromium', { timeout: 600_000 }, () => {
  let rig: WebRig;

  beforeAll(async () => {
    rig = await startWeb();
  }, 300_000);

  afterAll(async () => {
    await rig?.close();
  });

  it('a lever drags across its range with the mouse: the value moves many steps, the ranking redraws, focus stays', async () => {
    const page = await rig.open('/compare?s=east-west-compare');
    const { slider, max, step, v0, xOf, y } = await discountSlider(page);
    await page.mouse.move(xOf(v0), y);
    await page.mouse.down();
    const seen = new Set<number>();
    for (let k = 1; k <= 12; k++) {
      // to the right end in twelve moves, each given time for the engine to answer
      await page.mouse.move(xOf(v0 + ((max - v0) * k) / 12), y, { steps: 3 });
      await page.waitForTimeout(250);
      seen.add(Number(await slider.inputValue()));
    }
    await page.mouse.up();
    const v1 = Number(await slider.inputValue());
    expect(v1 - v0).toBeGreaterThan(5 * step);
    expect(v1).toBeCloseTo(max, 6);
    // the value followed the pointer through the drag (under load some moves coalesce), not one step
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect([...seen].some((v) => v > v0 + step && v < max)).toBe(true);
    expect(await activeId(page)).toBe('dr');
    expect(await stillMarked(page, '#dr')).toBe(true);
    await ready(page, '#compare-status');
    // the results were redrawn during the drag, more than once, and end on the last value
    expect(await redraws(page)).toBeGreaterThan(1);
    expect(await page.locator('#dr-out').textContent()).toBe('15.0 % a year');
    await expect.poll(() => page.url()).toContain('dr=0.15');
    await page.close();
  });

  it('a lever drags with a finger on a phone: the value moves through the range, the ranking redraws, the slider stays', async () => {
    const page = await rig.browser.newPage({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    await page.goto(`${rig.base}/compare?s=east-west-compare`);
    const { slider, max, v0, xOf, y } = await discountSlider(page);
    // touch events as a phone's browser receives them (Chrome DevTools protocol)
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x = 0) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    await touch('touchStart', xOf(v0));
    const seen = new Set<number>();
    for (let k = 1; k <= 12; k++) {
      await touch('touchMove', xOf(v0 + ((max - v0) * k) / 12));
      await page.waitForTimeout(250);
      seen.add(Number(await slider.inputValue()));
    }
    await touch('touchEnd');
    expect(Number(await slider.inputValue())).toBeCloseTo(max, 6);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect([...seen].some((v) => v > v0 && v < max)).toBe(true);
    expect(await stillMarked(page, '#dr')).toBe(true);
    await ready(page, '#compare-status');
    expect(await redraws(page)).toBeGreaterThan(1);
    expect(await page.locator('#dr-out').textContent()).toBe('15.0 % a year');
    await page.close();
  });

  it('a lever steps with the keyboard: ten arrow presses, ten steps, focus stays on the slider', async () => {
    const page = await rig.open('/compare?s=east-west-compare');
    await ready(page, '#compare-status');
    await mark(page, '#price-0');
    await page.locator('#price-0').focus();
    const v0 = Number(await page.locator('#price-0').inputValue());
    for (let k = 0; k < 10; k++) {
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(60);
      expect(await activeId(page)).toBe('price-0');
    }
    const v1 = Number(await page.locator('#price-0').inputValue());
    expect(v1 - v0).toBeCloseTo(10 * 0.005, 6);
    expect(await stillMarked(page, '#price-0')).toBe(true);
    await ready(page, '#compare-status');
    expect(await activeId(page)).toBe('price-0');
    await expect.poll(() => page.url()).toContain(`p0=${Number(v1.toFixed(3))}`);
    await page.close();
  });

  it('/compare shows the headline columns at 1440 px, the near tie in words, rates in per cent, incentives by name', async () => {
    const page = await rig.open('/compare?s=east-west-compare', { width: 1440, height: 900 });
    await ready(page, '#compare-status');
    for (const key of ['cost', 'npv', 'irr', 'payback']) {
      const th = page.locator(`#ranking th[data-key="${key}"]`);
      const b = (await th.boundingBox())!;
      expect(b.x + b.width, key).toBeLessThanOrEqual(1440);
      // inside the table's own scroll box without scrolling it
      const inWrap = await th.evaluate((e) => {
        const wrap = e.closest('.table-wrap')!.getBoundingClientRect();
        const r = e.getBoundingClientRect();
        return r.right <= wrap.right + 0.5 && r.left >= wrap.left - 0.5;
      });
      expect(inWrap, key).toBe(true);
    }
    expect(await page.locator('#ranking th[data-key="cost"]').textContent()).toMatch(/5 kW rack-year/);
    const verdict = await page.locator('#verdict').textContent();
    expect(verdict).toMatch(/^Near tie: Lanzhou.* and Qingyang.* are within 0\.\d+ %/);
    expect(await page.locator('#dr-out').textContent()).toMatch(/^\d+\.\d % a year$/);
    const incentives = await page.locator('#incentive-kind option').allTextContents();
    expect(incentives).toContain('Delivered price (direct trade)');
    for (const o of incentives) expect(o).not.toMatch(/^(none|delivered-price|discount|cap)$/);
    // the cash flow told apart: the difference to the cheapest by default, the cumulative on request
    expect(await page.locator('#chart-cashflow h3').textContent()).toMatch(/^Discounted cash flow against/);
    await page.locator('button[data-mode="cumulative"]').click();
    expect(await page.locator('#chart-cashflow h3').textContent()).toBe('Cumulative discounted cash flow');
    await page.close();
  });

  it('another scenario resets the levers: its own values, none carried over in the page or the URL', async () => {
    const page = await rig.open('/compare?s=east-west-compare');
    await ready(page, '#compare-status');
    await page.locator('#build').focus();
    for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowLeft');
    await page.locator('#price-3').fill('0.2');
    await expect.poll(() => page.url()).toMatch(/build=.*p3=0\.2|p3=0\.2.*build=/);
    await page.locator('#scenario-pick').selectOption('s:gansu-direct-trade');
    await ready(page, '#compare-status');
    await expect.poll(() => page.url()).toContain('s=gansu-direct-trade');
    expect(page.url()).not.toMatch(/[?&](build|p\d)=/);
    expect(await page.locator('#build-out').getAttribute('class')).not.toContain('set');
    await page.close();
  });

  it('with 中文 on, no view shows an English text node, every <details> open (and the English pages stay English)', async () => {
    // [path, status to wait for, a button to press first and the status it leads to]
    const views: Array<[string, string | null, [string, string]?]> = [
      ['/compare?s=east-west-compare', '#compare-status'],
      ['/operator?s=east-west-compare', '#operator-status'],
      ['/operator?s=east-west-compare', '#operator-status', ['#meter-sample', '#meter-report']],
      ['/plan?s=qingyang-hub-2025-2030', '#run-status'],
      ['/plan?s=qingyang-hub-2025-2030', '#run-status', ['#mode-full', '.editor-mode[data-mode="full"]']],
      ['/?s=east-west-compare', '.view-body .status'],
      ['/runs?s=east-west-compare', null],
      ['/sources?s=east-west-compare', null],
    ];
    const open = async (path: string, status: string | null, press?: [string, string]) => {
      const page = await rig.open(path);
      await page.waitForSelector('#view[data-ready="true"]', { timeout: 120_000 });
      if (status) await ready(page, status);
      if (press) {
        await page.locator(press[0]).click();
        await page.waitForSelector(press[1], { timeout: 120_000 });
      }
      return page;
    };
    for (const [path, status, press] of views) {
      const zh = await open(`${path}&lang=zh`, status, press);
      const z = await scripts(zh);
      if (/^\/(plan|compare)/.test(path) && !press) {
        // the notes on the inputs are read, not exempt: no cell of the defaults used, no note and no
        // "sources and figures" paragraph marked English as a whole; only references inside them
        const notes = await zh.evaluate(() => {
          const cells = [...document.querySelectorAll('#view .assumptions td')];
          const paras = [...document.querySelectorAll('#view .warnings li, #view .warnings .original p')];
          return {
            cells: cells.length,
            paras: paras.length,
            wholeEn: [...cells, ...paras].filter((e) => e.closest('[lang="en"]')).length,
            refs: document.querySelectorAll('#view .assumptions td [lang="en"], #view .warnings [lang="en"]')
              .length,
            cjkSources: cells.filter((td, i) => i % 4 === 3 && /[\u4e00-\u9fff]/.test(td.textContent ?? ''))
              .length,
          };
        });
        expect(notes.cells, path).toBeGreaterThan(40);
        expect(notes.paras, path).toBeGreaterThan(4);
        expect(notes.wholeEn, path).toBe(0);
        expect(notes.refs, path).toBeGreaterThan(5);
        // every source reads in Chinese around its references
        expect(notes.cjkSources, path).toBe(notes.cells / 4);
      }
      expect(z.cjk, path).toBeGreaterThan(path.startsWith('/runs') ? 3 : 40);
      // what is left in English is listed on failure
      expect(z.latin, path).toEqual([]);
      await zh.close();
      const en = await open(path, status, press);
      const e = await scripts(en);
      expect(e.latin.length, path).toBeGreaterThan(path.startsWith('/runs') ? 3 : 30);
      // Chinese in the English page only where a name or a document is Chinese (上架率, policy titles)
      expect(e.cjk / (e.cjk + e.latin.length), path).toBeLessThan(0.2);
      await en.close();
    }
  });

  it('three invalid fields are shown at once beside their fields by label; the results are marked stale until fixed', async () => {
    const page = await rig.open('/plan?s=qingyang-hub-2025-2030');
    await ready(page, '#run-status');
    await page.locator('#mode-full').click();
    await page.waitForSelector('.editor-mode[data-mode="full"]');
    expect(await page.locator('#stale-note').isHidden()).toBe(true);
    await page.locator('[data-path="clusters[0].occupancy"]').fill('65');
    await page.locator('[data-path="clusters[0].buildout[2].standardRacks"]').fill('-5');
    await page.locator('[data-path="clusters[0].serverUtilisation"]').fill('3');
    await expect
      .poll(() => page.locator('[aria-invalid="true"]').count(), { timeout: 120_000, interval: 100 })
      .toBe(3);
    expect(await page.locator('#run-status').getAttribute('data-state')).toBe('invalid');
    const beside = await page
      .locator('.field-error')
      .evaluateAll((els) => els.map((e) => e.textContent ?? '').filter(Boolean));
    expect(beside).toHaveLength(3);
    expect(beside.join(' | ')).toContain('write 0.65');
    expect(beside.join(' | ')).toContain('write 0.03');
    // the summary names each field by its label, not its path
    const summary = await page.locator('#error-summary').innerText();
    expect(summary).toMatch(/3 inputs to fix/);
    expect(summary).toMatch(/Occupancy/);
    expect(summary).toMatch(/Standard racks added — 1\. .*phase 3/);
    expect(summary).not.toMatch(/clusters\[|buildout\[/);
    // the old results stay, marked as stale, and the run cannot be stored
    expect(await page.locator('#stale-note').isVisible()).toBe(true);
    expect(await page.locator('#plan-results-box').getAttribute('class')).toContain('stale');
    expect(await page.locator('#store-run').isDisabled()).toBe(true);
    // fixed: the mark goes, the results are current again
    await page.locator('[data-path="clusters[0].occupancy"]').fill('0.65');
    await page.locator('[data-path="clusters[0].buildout[2].standardRacks"]').fill('140000');
    await page.locator('[data-path="clusters[0].serverUtilisation"]').fill('');
    await expect
      .poll(() => page.locator('#run-status').getAttribute('data-state'), { timeout: 120_000, interval: 100 })
      .toBe('done');
    expect(await page.locator('#stale-note').isHidden()).toBe(true);
    expect(await page.locator('#plan-results-box').getAttribute('class')).not.toContain('stale');
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(0);
    await page.close();
  });

  it('the full editor has no JSON box: overrides, factors and targets are small tables and checkboxes', async () => {
    const page = await rig.open('/plan?s=qingyang-hub-2025-2030');
    await fullEditor(page);
    // the green share's schedule is a table of years, the targets are ticked by name
    expect(await page.locator('[data-path="clusters[0].greenShare"]').count()).toBe(2);
    const included = page.locator('[data-path="clusters[0].targets.include.qingyang-2025-racks-100k"]');
    expect(await included.isChecked()).toBe(true);
    // PV included, an escalation schedule chosen: still no JSON text anywhere
    await page.locator('[data-path="clusters[0].green.pv"]').click();
    await page.locator('[data-path="clusters[0].green.pv.dcKw"]').fill('20000');
    await page.locator('[data-path="clusters[0].tariff.escalation.kind"]').selectOption('schedule');
    await page
      .locator('fieldset:has(> legend:text("Price factor by year")) button:text("Add a year")')
      .click();
    await page
      .locator('fieldset:has(> legend:text("Price factor by year")) button:text("Add a year")')
      .click();
    await page.locator('[data-path="clusters[0].tariff.escalation.factors.2026"]').fill('1.1');
    await expectInUrl(page, (c) => c.tariff?.escalation, {
      kind: 'schedule',
      factors: { 2025: 1, 2026: 1.1 },
    });
    expect(await jsonBoxes(page)).toEqual([]);
    // unticking a target writes the id list without it
    await page.locator('[data-path="clusters[0].targets.include.qingyang-2025-racks-100k"]').uncheck();
    await expectInUrl(page, (c) => c.targets, { include: ['qingyang-2032-racks-800k'] });
    await expect.poll(() => runState(page), { timeout: 120_000, interval: 100 }).toBe('done');
    await page.close();
  });

  it('the wind resource is a choice, not text: the station’s wind, or full-load hours of your own with the source', async () => {
    const page = await rig.open('/plan?s=qingyang-green-2025');
    await fullEditor(page);
    const sel = page.locator('select[data-path="clusters[0].green.wind.resource"]');
    expect(await sel.locator('option').allTextContents()).toEqual([
      '— Default',
      'The station’s own wind, as measured',
      'Wind full-load hours of your own, with the source',
    ]);
    await sel.selectOption('{}');
    await page.locator('[data-path="clusters[0].green.wind.resource.fullLoadHours"]').fill('2200');
    await page.locator('[data-path="clusters[0].green.wind.resource.source"]').fill('a hand figure');
    await expectInUrl(page, (c) => (c.green as { wind?: { resource?: unknown } })?.wind?.resource, {
      fullLoadHours: 2200,
      source: 'a hand figure',
    });
    await expect.poll(() => runState(page), { timeout: 120_000, interval: 100 }).toBe('done');
    expect(await page.locator('#plan-editor').textContent()).not.toContain('[object Object]');
    await page.close();
  });

  it('an override row: a parameter chosen by name and a value change the scenario, the engine takes it; a bad value is marked beside its row', async () => {
    const page = await rig.open('/plan?s=qingyang-hub-2025-2030');
    await fullEditor(page);
    const box = page.locator('fieldset:has(> legend:text("Design parameter overrides"))');
    await box.locator('button:text("Add a parameter")').click();
    const sel = box.locator('select').last();
    // the known parameters by name, with their defaults
    expect(await sel.locator('option[value="supplyAirC"]').textContent()).toMatch(
      /^Supply \(server inlet\) air temperature \(default [\d.]+ °C\)$/,
    );
    await sel.selectOption('supplyAirC');
    const value = page.locator('[data-path="clusters[0].cooling.overrides.supplyAirC"]');
    await value.fill('26');
    await expectInUrl(page, (c) => c.cooling?.overrides, { supplyAirC: 26 });
    await expect.poll(() => runState(page), { timeout: 120_000, interval: 100 }).toBe('done');
    // a second row: out of its bounds, its error stands in its own row
    await box.locator('button:text("Add a parameter")').click();
    await box.locator('select').last().selectOption('upsEfficiency');
    const ups = page.locator('[data-path="clusters[0].cooling.overrides.upsEfficiency"]');
    await ups.fill('1.5');
    await expect
      .poll(() => ups.getAttribute('aria-invalid'), { timeout: 120_000, interval: 100 })
      .toBe('true');
    expect(await runState(page)).toBe('invalid');
    expect(await ups.locator('xpath=..').locator('.field-error').textContent()).toMatch(/≤ 1/);
    expect(await value.getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('#error-summary').innerText()).toMatch(
      /Design parameter overrides: UPS efficiency at rated load/,
    );
    // removed, the scenario is valid again
    await ups.locator('xpath=ancestor::tr').locator('button').click();
    await expect.poll(() => runState(page), { timeout: 120_000, interval: 100 }).toBe('done');
    await expectInUrl(page, (c) => c.cooling?.overrides, { supplyAirC: 26 });
    await page.close();
  });

  it('a quantity by year: rows give the schedule the JSON gave; back to one row, the constant', async () => {
    const page = await rig.open('/plan?s=qingyang-hub-2025-2030');
    await fullEditor(page);
    const occ = '[data-path="clusters[0].occupancy"]';
    expect(await page.locator(occ).inputValue()).toBe('0.65');
    await page.locator('button[aria-label="By year: Occupancy (上架率)"]').click();
    await page.locator(`fieldset:has(${occ}) button:text("Add a year")`).click();
    await page.locator(`fieldset:has(${occ}) input[aria-label="Year, row 2"]`).fill('2028');
    await page.locator(`${occ}[aria-label$="row 1"]`).fill('0.4');
    await page.locator(`${occ}[aria-label$="row 2"]`).fill('0.65');
    // what the full editor took as JSON text before: {"2025": 0.4, "2028": 0.65}
    await expectInUrl(page, (c) => c.occupancy, { 2025: 0.4, 2028: 0.65 });
    await expect.poll(() => runState(page), { timeout: 120_000, interval: 100 }).toBe('done');
    await page.locator(`fieldset:has(${occ}) button[aria-label="Remove row 2"]`).click();
    await expectInUrl(page, (c) => c.occupancy, 0.4);
    await expect.poll(() => page.locator(occ).getAttribute('type')).toBe('text');
    expect(await page.locator(occ).count()).toBe(1);
    expect(await page.locator(occ).inputValue()).toBe('0.4');
    await page.close();
  });

  it('the simple mode edits the same scenario: occupancy in per cent, racks in the scenario’s unit', async () => {
    const page = await rig.open('/plan?s=qingyang-hub-2025-2030');
    await ready(page, '#run-status');
    expect(await page.locator('#mode-simple').getAttribute('aria-pressed')).toBe('true');
    const unit = page.locator('.build-unit');
    expect(await unit.inputValue()).toBe('standardRacks');
    const occ = page.locator('[data-path="clusters[0].occupancy"]').first();
    expect(await occ.inputValue()).toBe('65');
    await occ.fill('150');
    await expect
      .poll(() => page.locator('#run-status').getAttribute('data-state'), { timeout: 120_000, interval: 100 })
      .toBe('invalid');
    expect(await page.locator('#stale-note').isVisible()).toBe(true);
    await occ.fill('70');
    await expect
      .poll(() => page.locator('#run-status').getAttribute('data-state'), { timeout: 120_000, interval: 100 })
      .toBe('done');
    // the full editor shows what the simple one wrote
    await page.locator('#mode-full').click();
    await page.waitForSelector('.editor-mode[data-mode="full"]');
    expect(await page.locator('[data-path="clusters[0].occupancy"]').inputValue()).toBe('0.7');
    await page.close();
  });

  it('on a phone, /plan has tabs and a summary of the results; no page overflow', async () => {
    const page = await rig.open('/plan?s=qingyang-hub-2025-2030', { width: 390, height: 844 });
    await ready(page, '#run-status');
    expect(await page.locator('.plan-tabs').isVisible()).toBe(true);
    expect(await page.locator('#plan-editor').isVisible()).toBe(true);
    expect(await page.locator('#plan-results-box').isVisible()).toBe(false);
    expect(await page.locator('#plan-summary').textContent()).toMatch(/PUE 1\.\d{3}/);
    await page.locator('.plan-tabs button[data-tab="results"]').click();
    expect(await page.locator('#plan-results-box').isVisible()).toBe(true);
    expect(await page.locator('#plan-editor').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });

  it('on a phone, chart text is at least 11 px as drawn, on /compare and in the plan’s results', async () => {
    const smallest = (page: Page) =>
      page.evaluate(() => {
        const sizes: number[] = [];
        for (const t of document.querySelectorAll<SVGTextElement>('figure.chart svg text')) {
          const svg = t.ownerSVGElement!;
          if (!t.textContent?.trim() || !svg.checkVisibility()) continue;
          const drawn = svg.getBoundingClientRect().width;
          const scale = drawn / (svg.viewBox.baseVal?.width || drawn);
          sizes.push(Number.parseFloat(getComputedStyle(t).fontSize) * scale);
        }
        return { n: sizes.length, min: Math.min(...sizes) };
      });
    const cmp = await rig.open('/compare?s=east-west-compare', { width: 390, height: 844 });
    await ready(cmp, '#compare-status');
    const c = await smallest(cmp);
    expect(c.n).toBeGreaterThan(20);
    expect(c.min).toBeGreaterThanOrEqual(11);
    await cmp.close();
    const plan = await rig.open('/plan?s=qingyang-hub-2025-2030', { width: 390, height: 844 });
    await ready(plan, '#run-status');
    await plan.locator('.plan-tabs button[data-tab="results"]').click();
    // the results are drawn again at their width; the figures out of view follow when the page is idle
    await plan.waitForFunction(() => document.getElementById('plan-results')?.dataset.figures === 'complete');
    const p = await smallest(plan);
    expect(p.n).toBeGreaterThan(20);
    expect(p.min).toBeGreaterThanOrEqual(11);
    expect(await plan.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await plan.close();
  });

  it('“Open in the planner” keeps a four-cluster scenario whole, with the cluster in focus', async () => {
    const page = await rig.open('/?s=east-west-compare');
    await ready(page, '.view-body .status');
    await page.locator('.card[data-cluster="wuhan"] button[data-open="scenario"]').click();
    await page.waitForSelector('#view[data-view="/plan"][data-ready="true"]', { timeout: 120_000 });
    await ready(page, '#run-status');
    expect(page.url()).toContain('s=east-west-compare');
    expect(page.url()).not.toMatch(/[?&]x=/);
    // every cluster still there, Wuhan (the third) in the editor and in focus
    expect(await page.locator('#edit-target option:not([value="-1"])').count()).toBe(4);
    expect(await page.locator('#edit-target').inputValue()).toBe('2');
    expect(await page.locator('#focus-cluster').inputValue()).toBe('2');
    await page.close();
  });

  it('“Store this run” on /plan lands the run in /runs', async () => {
    const page = await rig.open('/plan?s=gansu-2017');
    await ready(page, '#run-status');
    await page.locator('#store-run').click();
    await page.waitForSelector('#view[data-view="/runs"][data-ready="true"]', { timeout: 120_000 });
    const id = /[?&]runs=([\w-]+)/.exec(page.url())?.[1];
    expect(id).toBeTruthy();
    await expect
      .poll(async () => (await fetch(`${rig.base}/api/runs/${id}`)).status, { timeout: 120_000 })
      .toBe(200);
    expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#runs-store').isVisible()).toBe(true);
    await page.close();
  });

  it('the dispatch week of the focused cluster, when a scenario holds the same site twice (with a battery the second time)', async () => {
    const desc = async (c: number) => {
      const page = await rig.open(`/plan?s=wuhan-battery-peak-shaving&c=${c}`);
      await ready(page, '#run-status');
      const text = (await page.locator('#chart-dispatch .desc').textContent()) ?? '';
      await page.close();
      return text;
    };
    expect(await desc(0)).toMatch(/Battery discharge 0,/);
    // the second Wuhan's own hours: its battery charges and discharges
    expect(await desc(1)).toMatch(/Battery discharge [1-9][\d,]*, .*Battery charging [1-9]/);
  });

  it('what-if: the figures in view redraw with the answer, those out of view follow when idle and match a fresh load', async () => {
    const page = await rig.open('/plan?s=qingyang-hub-2025-2030');
    await ready(page, '#run-status');
    await page.locator('[data-path="clusters[0].buildout[5].standardRacks"]').fill('40000');
    // 100,000 + 4 × 140,000 + 40,000 (hand sum), in the key figures at the top
    const kpi = page.locator('.kpi', { hasText: 'Standard racks (2.5 kW) 2030' });
    await expect.poll(() => kpi.textContent(), { timeout: 120_000, interval: 100 }).toContain('700,000');
    await ready(page, '#run-status');
    const order = await page.evaluate(() => {
      const redrawn = performance.getEntriesByName('whatif-redrawn').at(-1)!.startTime;
      const after = (name: string) =>
        performance.getEntriesByName(`draw:${name}`).some((e) => e.startTime >= redrawn);
      return { racks: after('racks'), bandwidth: after('bandwidth'), annual: after('annual-table') };
    });
    // the chart in view (racks) was built before the answer was drawn; those far below after it
    expect(order).toEqual({ racks: false, bandwidth: true, annual: true });
    // once idle, every figure is the edited scenario's: the same as a fresh page of it
    await expect.poll(() => page.url(), { timeout: 120_000 }).toMatch(/[?&]x=/);
    const text = (p: Page) =>
      p.evaluate(() =>
        ['#chart-load .desc', '#chart-bandwidth .desc', '#chart-dispatch .desc', '.annual tbody'].map(
          (s) => document.querySelector(s)?.textContent ?? '',
        ),
      );
    const edited = await text(page);
    const fresh = await rig.open(page.url().replace(/^https?:\/\/[^/]+/, ''));
    await ready(fresh, '#run-status');
    expect(edited).toEqual(await text(fresh));
    expect(edited[3]).toContain('700,000');
    await fresh.close();
    await page.close();
  });

  it('no console errors on these pages', () => {
    expect(rig.consoleErrors).toEqual([]);
  });
});

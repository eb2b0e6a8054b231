import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { npv } from '../../models/finance.ts';
import { type FieldError, parseScenario, ValidationError } from '../../models/scenario.ts';
import { checkScenario, prepareRun, simulate } from '../../models/simulate.ts';
import { engineReference } from '../../seeds/index.ts';
import { cumulativeDiscounted } from '../../web/charts/compare.ts';
import { csvNumber } from '../../web/format.ts';
import { setLang } from '../../web/i18n.ts';
import { errorText, fieldLabel, ruleText, warningView } from '../../web/messages.ts';
import { verdict } from '../../web/verdict.ts';

/**
 * Issue 23, points 3, 5 and 6 on the page's side, without a browser: errors and warnings as a person
 * reads them (labels, not paths; both languages), the near tie in words, CSV numbers without float
 * noise, and the cumulative discounted cash flow ending at the engine's NPV.
 */

const DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const BUNDLED = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, scenario: JSON.parse(readFileSync(DIR + f, 'utf8')) }));

const ref = engineReference();
const run = (s: unknown) => simulate(prepareRun(parseScenario(s), ref), ref);

beforeAll(() => {
  // setLang marks the document's language; a bare stand-in is enough here
  (globalThis as { document?: unknown }).document = { documentElement: {} };
});
afterEach(() => setLang('en'));

describe('every warning of every bundled scenario reads as a sentence with its field label', () => {
  const results = BUNDLED.map(({ file, scenario }) => ({ file, result: run(scenario) }));

  it.each(['en', 'zh'] as const)('in %s: no pattern left unread, no raw path, no NOT FOUND shouting', (l) => {
    setLang(l);
    let n = 0;
    for (const { file, result } of results)
      for (const c of result.clusters)
        for (const w of c.warnings) {
          const v = warningView(w);
          n++;
          expect(v.known, `${file}: ${w}`).toBe(true);
          expect(v.text, w).not.toMatch(/NOT FOUND|clusters\[\d+\]/);
          expect(v.field, w).not.toMatch(/[[\].]/);
          expect(v.original).toBe(w);
          if (l === 'zh') expect(v.text, w).toMatch(/[\u4e00-\u9fff]/);
        }
    expect(n).toBeGreaterThan(20);
  });
});

describe('field errors by label, every one at once', () => {
  it('a phase amount error names the field and the phase, not the path', () => {
    expect(fieldLabel('clusters[0].buildout[2].standardRacks', (i) => `${i + 1}. Qingyang`)).toBe(
      'Standard racks added — 1. Qingyang, phase 3',
    );
    setLang('zh');
    const zh = fieldLabel('clusters[0].buildout[2].standardRacks', (i) => `${i + 1}. 庆阳`);
    expect(zh).toBe('新增标准机架数 — 1. 庆阳，第 3 期');
  });

  it('three invalid fields give three errors, each readable in both languages', () => {
    const s = structuredClone(BUNDLED.find((b) => b.file === 'qingyang-hub-2025-2030.json')!.scenario);
    s.clusters[0].occupancy = 65;
    s.clusters[0].cooling = { design: 'air-coold-chiller' };
    s.clusters[0].buildout[2].standardRacks = -5;
    let errors: FieldError[] = [];
    try {
      checkScenario(s, ref);
    } catch (e) {
      if (e instanceof ValidationError) errors = e.errors;
    }
    expect(errors.length).toBeGreaterThanOrEqual(3);
    const texts = errors.map((e) => errorText(e, () => 'Qingyang'));
    for (const x of texts) expect(x.label).not.toMatch(/clusters\[|\]\./);
    const occ = texts.find((x) => x.label.startsWith('Occupancy'))!;
    expect(occ.rule).toContain('write 0.65');
    setLang('zh');
    const zh = errors.map((e) => errorText(e, () => '庆阳'));
    for (const x of zh) expect(`${x.label}${x.rule}`).toMatch(/[\u4e00-\u9fff]/);
    expect(ruleText('must be ≤ 1')).toBe('须≤ 1');
  });
});

describe('the compare view in words and numbers', () => {
  it('the east–west near tie is said as one, with both names and the gap in per cent', () => {
    const s = BUNDLED.find((b) => b.file === 'east-west-compare.json')!.scenario;
    const cmp = run(s).comparison!;
    const v = verdict(cmp);
    const [a, b] = cmp.ranking;
    const share = (b.costPerRackYearCny! - a.costPerRackYearCny!) / a.costPerRackYearCny!;
    expect(share).toBeLessThan(0.01);
    expect(v.tie).toBe(true);
    expect(v.text).toContain(`Near tie: ${a.name} and ${b.name} are within`);
    expect(v.text).toContain(`${(share * 100).toFixed(2)} %`);
  });

  it('the cumulative discounted cash flow ends at the engine’s NPV', () => {
    const r = run(BUNDLED.find((b) => b.file === 'east-west-compare.json')!.scenario);
    for (const c of r.clusters) {
      const cum = cumulativeDiscounted(c.finance.cashFlowCny, c.finance.discountRate);
      expect(cum.at(-1)).toBeCloseTo(npv(c.finance.discountRate, c.finance.cashFlowCny), 6);
      if (c.finance.npvCny !== null) expect(cum.at(-1)).toBeCloseTo(c.finance.npvCny, 0);
    }
  });

  it('CSV numbers carry no float noise', () => {
    expect(csvNumber(56.99999999999999)).toBe('57');
    expect(csvNumber(1234.5678, 1)).toBe('1234.6');
    expect(csvNumber(-0.0000001, 2)).toBe('0');
    expect(csvNumber(Number.NaN)).toBe('');
  });
});

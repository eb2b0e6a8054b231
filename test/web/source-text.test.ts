import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkScenario, engineCache, simulate } from '../../models/simulate.ts';
import { engineReference } from '../../seeds/index.ts';
import { setLang } from '../../web/i18n.ts';
import { sourceKnown, sourceParts, sourceText } from '../../web/source-text.ts';

/**
 * Issue 23, point 4 — the notes on the inputs in 中文, without a browser: every bundled scenario runs
 * through the engine, and every text it writes about its inputs — each default's source and text value
 * (the "Defaults used" table) and each warning's own text ("Sources and figures") — goes through the
 * page's translator (web/source-text.ts).
 *
 * The rule: in 中文 a text is read by a rule (none is left whole in English); what is left in Latin
 * letters outside the parts marked English is only what reads the same in both languages — the same
 * list the browser test (test/web/issue23.test.ts, `scripts`) exempts: source ids in brackets, ids and
 * file names, units, metric and standard abbreviations, dates, single letters (grades, variables);
 * and a part marked English is a bibliographic reference — an author, a journal, a report, dataset or
 * product title, a DOI or URL — never dcplan's own words. Every number of the English is carried over.
 */

/** What reads the same in both languages (kept in step with `SAME` in test/web/issue23.test.ts). */
const SAME = new RegExp(
  [
    String.raw`\[[\w.-]+\]`, // citations
    String.raw`\b[a-z0-9]+(?:[-_.][a-z0-9]+)+\b`, // ids, file names
    String.raw`(?<![A-Za-z])(?:PUE|pPUE|WUE|CUE|REF|ERF|IRR|NPV|IT|DX|CRAH|CRAC|UPS|PV|TOU|T&D|GB|SVG|PNG|CSV|JSON|API|EPW|ISO|IEC|COP|EER|kVA|kV|kWh|MWh|GWh|TWh|Wh|kW|MW|GW|Gbps|Tbps|CNY|CO2|CO₂|tCO2|kgCO2|kg|L|h|yr|km|ms|dcplan|engine|kPa|Pa|PDF|ECO|v\d+)\b`,
    String.raw`\b(?:I{1,3}|IV)[A-C]?\b`, // equipment classes (IEC wind class IIIA)
    String.raw`\b\d{4}-\d{2}(?:-\d{2})?\b`,
  ].join('|'),
  'g',
);

/** dcplan's own words (lower case: a licence's "CC BY" is a reference): none may hide in a part marked English. */
const OWN_WORDS =
  /\b(?:the|is|are|as|of|for|by|from|with|not|no|per|default|assum\w*|estimate\w*|given|unless|stands?|held|found|midpoint|split|engineering|typical|counted|cited|quoted|transcri\w*|NOT FOUND)\b/;

const numbers = (s: string) => s.match(/\d+(?:[.,]\d+)*/g) ?? [];

const DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const ref = engineReference();

/** Every text the engine writes about its inputs, across the bundled scenarios, each once. */
function engineTexts(): { sources: Set<string>; values: Set<string>; warnings: Set<string> } {
  const sources = new Set<string>();
  const values = new Set<string>();
  const warnings = new Set<string>();
  for (const f of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
    const { prepared } = checkScenario(JSON.parse(readFileSync(DIR + f, 'utf8')), ref);
    for (const c of simulate(prepared, ref, { cache: engineCache() }).clusters) {
      for (const a of c.assumptions) {
        sources.add(a.source);
        if (typeof a.value === 'string') values.add(a.value);
      }
      for (const w of c.warnings) warnings.add(w);
    }
  }
  return { sources, values, warnings };
}

beforeAll(() => {
  // setLang marks the document's language; a bare stand-in is enough here
  (globalThis as { document?: unknown }).document = { documentElement: {} };
});
afterEach(() => setLang('en'));

describe('the notes on the inputs in 中文 (issue 23, point 4)', () => {
  const texts = engineTexts();

  it('the bundled scenarios write the texts this test expects to read', () => {
    expect(texts.sources.size).toBeGreaterThan(100);
    expect(texts.values.size).toBeGreaterThan(15);
    expect(texts.warnings.size).toBeGreaterThan(20);
  });

  it.each(['sources', 'values', 'warnings'] as const)(
    'every %s text reads in Chinese but its references, ids, units and numbers',
    (kind) => {
      setLang('zh');
      const problems: string[] = [];
      for (const s of texts[kind]) {
        if (!sourceKnown(s)) {
          problems.push(`no rule reads: ${s}`);
          continue;
        }
        const parts = sourceParts(s);
        const zh = parts
          .filter((p) => !p.en)
          .map((p) => p.text)
          .join('');
        const left = zh.replace(SAME, ' ').match(/[A-Za-z]{2,}/g);
        if (left) problems.push(`English left (${left.join(', ')}): ${zh}`);
        for (const p of parts.filter((p) => p.en))
          if (OWN_WORDS.test(p.text)) problems.push(`dcplan's words marked as a reference «${p.text}»: ${s}`);
        const all = sourceText(s);
        for (const n of numbers(s)) if (!all.includes(n)) problems.push(`number ${n} lost: ${all}`);
      }
      expect(problems).toEqual([]);
    },
  );

  it('a reference stays as it is, marked English; dcplan’s template around it is Chinese', () => {
    setLang('zh');
    expect(sourceParts('Lei & Masanet (2022) Table B.1 [lei-masanet-2022]: midpoint of 4–6 (large)')).toEqual(
      [
        { text: 'Lei & Masanet (2022)', en: true },
        { text: ' 表 B.1[lei-masanet-2022]：取 4–6 的中值（大型）' },
      ],
    );
    expect(sourceText("dcplan default: the trace's own hours, unshifted")).toBe(
      'dcplan 默认：负载轨迹本身的时刻，不做平移',
    );
    // a text no rule reads stays whole, in English, marked so — never half-translated
    expect(sourceParts('Some new source: a midpoint of 1–2 (large), assumed')).toEqual([
      { text: 'Some new source: a midpoint of 1–2 (large), assumed', en: true },
    ]);
  });

  it('in English every text is as the engine wrote it', () => {
    setLang('en');
    for (const s of [...texts.sources, ...texts.values, ...texts.warnings])
      expect(sourceParts(s)).toEqual([{ text: s }]);
  });
});

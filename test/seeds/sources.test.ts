import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../models/scenario.ts';
import { prepareRun, simulate } from '../../models/simulate.ts';
import { engineReference } from '../../seeds/index.ts';
import registry from '../../seeds/sources.json' with { type: 'json' };
import { renderSourcesDoc, type SourceRegistry } from '../../tools/gen-sources-doc.ts';

const ROOT = new URL('../../', import.meta.url);

/** All JSON files under a folder of the repository, recursively, as repository-relative paths. */
function jsonFiles(dir: string, recursive: boolean): string[] {
  return readdirSync(new URL(dir, ROOT), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}${e.name}`;
    if (e.isDirectory()) return recursive ? jsonFiles(`${path}/`, true) : [];
    return e.name.endsWith('.json') ? [path] : [];
  });
}

/** Every string value (and object key) in a parsed JSON document. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      strings(x, out);
    }
  }
  return out;
}

const files = [...jsonFiles('seeds/', true), ...jsonFiles('scenarios/', false)];
const texts = files.map((f) => ({
  file: f,
  strings: strings(JSON.parse(readFileSync(new URL(f, ROOT), 'utf8'))),
}));
const reg = registry as SourceRegistry;
const ids = new Set(reg.sources.map((s) => s.id));

/** Citations of files users of the repository do not have. */
const FORBIDDEN: RegExp[] = [/facts\.md/, /seed-documents/, /\.\.\/shared/, /cooling\.md/, /\bseed 00\d/i];

describe('source registry (seeds/sources.json)', () => {
  it('covers the seed and scenario files', () => {
    expect(files).toContain('seeds/clusters.json');
    expect(files).toContain('seeds/tariffs/gansu-2021.json');
    expect(files).toContain('scenarios/gansu-2017.json');
  });

  it('no seed or scenario string cites facts.md, seed documents, ../shared or cooling.md', () => {
    const bad = texts.flatMap(({ file, strings: ss }) =>
      ss.filter((s) => FORBIDDEN.some((re) => re.test(s))).map((s) => `${file}: ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('every [id] cited in seeds and scenarios names a registered source', () => {
    const cited = new Set<string>();
    const unknown: string[] = [];
    for (const { file, strings: ss } of texts) {
      if (file === 'seeds/sources.json') continue;
      for (const s of ss) {
        for (const m of s.matchAll(/\[([a-z0-9][a-z0-9-]*)\]/g)) {
          cited.add(m[1]);
          if (!ids.has(m[1])) unknown.push(`${file}: [${m[1]}] in ${s}`);
        }
      }
    }
    expect(unknown).toEqual([]);
    expect(cited.size).toBeGreaterThan(20);
  });

  it('ids are unique; each source has a title, an issuer and at least one graded figure', () => {
    expect(ids.size).toBe(reg.sources.length);
    const grades = new Set(['A', 'B', 'C', 'D', 'assumption', 'NOT FOUND']);
    const kinds = new Set(['policy', 'standard', 'dataset', 'report', 'news', 'statistic']);
    for (const s of reg.sources) {
      expect(s.id, s.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(s.title, s.id).toBeTruthy();
      expect(s.issuer, s.id).toBeTruthy();
      expect(kinds.has(s.kind), `${s.id} kind ${s.kind}`).toBe(true);
      expect(s.figures.length, s.id).toBeGreaterThan(0);
      for (const f of s.figures) {
        expect(f.what, s.id).toBeTruthy();
        expect(f.value, s.id).toBeTruthy();
        expect(grades.has(f.grade), `${s.id}: grade ${f.grade}`).toBe(true);
      }
      if (s.kind === 'dataset') expect(s.licence, s.id).toBeTruthy();
    }
  });

  it('every source reads in Chinese: a Chinese heading, issuer, outlet and every figure (/sources in 中文)', () => {
    const CJK = /[\u4e00-\u9fff]/;
    // words that read the same in both languages: units, metric and curve abbreviations
    const SAME =
      /\b(?:Tbps|Gbps|kgCO2|kWh|MWh|kW|MW|kVA|kV|kPa|ms|PUE|COP|EER|CAPFT|EIRFT|EIRFPLR|PFLOPS|GWh|GW|GB|W|Wh)\b/g;
    const words = (v: string) => !CJK.test(v) && /[A-Za-z]{2,}/.test(v.replace(SAME, ' '));
    const bad: string[] = [];
    for (const s of reg.sources) {
      // a Chinese original's own title, or dcplan's Chinese name; an English original keeps its title
      if (!s.titleZh && !s.nameZh) bad.push(`${s.id}: no titleZh or nameZh`);
      if (s.titleLang && s.titleLang !== 'en') bad.push(`${s.id}: titleLang ${s.titleLang}`);
      if (!s.issuerZh || !CJK.test(s.issuerZh)) bad.push(`${s.id}: issuerZh`);
      if (!s.publishedInZh || !CJK.test(s.publishedInZh)) bad.push(`${s.id}: publishedInZh`);
      if (words(s.date) && !s.dateZh) bad.push(`${s.id}: dateZh`);
      if (s.licence && !s.licenceZh) bad.push(`${s.id}: licenceZh`);
      if (s.number && words(s.number) && !s.numberZh && s.titleLang !== 'en') bad.push(`${s.id}: numberZh`);
      for (const f of s.figures) {
        if (!f.whatZh || !CJK.test(f.whatZh)) bad.push(`${s.id}: whatZh of ${f.what}`);
        if (words(f.value) && !f.valueZh) bad.push(`${s.id}: valueZh of ${f.value}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('docs/sources.md is what tools/gen-sources-doc.ts generates', () => {
    const doc = readFileSync(new URL('docs/sources.md', ROOT), 'utf8');
    expect(doc).toBe(renderSourcesDoc(reg));
  });

  it('no result of a bundled scenario cites a file outside the repository, and its [ids] resolve', () => {
    const ref = engineReference();
    const ids = new Set(registry.sources.map((x) => x.id));
    const bad: string[] = [];
    for (const file of jsonFiles('scenarios/', false)) {
      const scenario = JSON.parse(readFileSync(new URL(file, ROOT), 'utf8'));
      const { hourly: _h, ...result } = simulate(prepareRun(parseScenario(scenario), ref), ref);
      for (const s of strings(result)) {
        if (FORBIDDEN.some((re) => re.test(s))) bad.push(`${file}: ${s}`);
        for (const m of s.matchAll(/\[([a-z0-9][a-z0-9.-]*)\]/g))
          if (!ids.has(m[1])) bad.push(`${file}: [${m[1]}]`);
      }
    }
    expect(bad).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunResult } from '../../models/result.ts';
import { parseScenario } from '../../models/scenario.ts';
import { SEEDS } from '../../seeds/index.ts';
import {
  DOC_URL,
  extractExample,
  fallbackDefaults,
  fieldRows,
  linkSources,
  main,
  renderScenarioDoc,
  runExample,
  scenarioJsonSchemas,
  walkSchemas,
} from '../../tools/gen-scenario-doc.ts';

const doc = readFileSync(DOC_URL, 'utf8');
const sourcesDoc = readFileSync(new URL('../../docs/sources.md', import.meta.url), 'utf8');

/** The field column of every table row of the doc. */
const documentedFields = new Set([...doc.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));

describe('docs/scenarios.md (tools/gen-scenario-doc.ts)', () => {
  it('is what the generator writes (check mode, in process)', () => {
    const messages: string[] = [];
    const code = main(['--check'], (s) => messages.push(s));
    expect(messages.filter((m) => m.includes('stale'))).toEqual([]);
    expect(code).toBe(0);
  });

  it('check mode sees a stale region', () => {
    const stale = doc.replace(/(<!-- fields:begin -->\n)[\s\S]*?(<!-- fields:end -->)/, '$1old table\n$2');
    expect(stale).not.toBe(doc);
    expect(renderScenarioDoc(stale)).toBe(doc);
  });

  it('documents every top-level scenario field and every cluster field of the schema', () => {
    const { top, cluster } = scenarioJsonSchemas();
    const topFields = Object.keys(top.properties);
    expect(topFields).toEqual(expect.arrayContaining(['name', 'startYear', 'years', 'clusters']));
    for (const k of topFields) expect(documentedFields, k).toContain(k);
    // `$comment` is allowed in every object; it is documented once, at the top level.
    const clusterFields = Object.keys(cluster.properties).filter((k) => k !== '$comment');
    expect(clusterFields).toEqual(expect.arrayContaining(['cluster', 'buildout', 'occupancy', 'cooling']));
    for (const k of clusterFields) expect(documentedFields, k).toContain(`clusters[].${k}`);
    expect(documentedFields).toContain('clusters[].cooling.facilityClass');
    expect(documentedFields).toContain('clusters[].tariff.energyPriceCnyPerKwh');
  });

  it('every nested field the generator walks is in the doc, and every fallback default names one', () => {
    const { cluster } = fieldRows();
    for (const r of cluster) expect(documentedFields, r.path).toContain(r.path);
    const paths = new Set(cluster.map((r) => r.path.slice('clusters[].'.length)));
    const dead = Object.keys(fallbackDefaults()).filter((k) => !paths.has(k));
    expect(dead).toEqual([]);
  });

  it('has one parameter table per cooling design and the PV and wind tables', () => {
    for (const h of ['## Cooling design parameters', '## PV parameters', '## Wind parameters'])
      expect(doc).toContain(h);
    expect(doc).toMatch(/^### `indirect-evaporative` — .* \(class `\w+`\)$/m);
    expect(doc).toContain('| `iecEffectiveness` |');
    expect(doc).toContain('| `systemLoss` |');
    expect(doc).toContain('| `shearExponent` |');
  });

  it('links every [id] it cites to docs/sources.md, and every anchor exists there', () => {
    const anchors = new Set([...sourcesDoc.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
    const linked = [...doc.matchAll(/sources\.md#([a-z0-9.-]+)/g)].map((m) => m[1]);
    expect(linked.length).toBeGreaterThan(5);
    expect(linked.filter((id) => !anchors.has(id))).toEqual([]);
    // No bare [id] left unlinked (a bracketed id not followed by a link target).
    const bare = [...doc.matchAll(/\[([a-z0-9][a-z0-9.-]*[a-z][a-z0-9.-]*)\](?!\()/g)].map((m) => m[1]);
    expect(bare).toEqual([]);
    expect(linkSources('x [gb-50176] y')).toBe('x [gb-50176](sources.md#gb-50176) y');
  });
});

describe('field metadata the schema may carry (default, x-source, x-grade, x-default-ref, exclusiveMinimum)', () => {
  const quantity = z.union([z.number(), z.string()]);
  const schema = z.toJSONSchema(
    z.strictObject({
      cluster: z.string(),
      tariff: z
        .strictObject({
          energyPriceCnyPerKwh: quantity
            .meta({
              unit: 'CNY/kWh',
              label: 'Energy price',
              minimum: 0,
              maximum: 10,
              'x-quantity': true,
              'x-default-ref': "the province's coal benchmark price (seeded)",
              'x-source': 'benchmark prices [coal-benchmark-prices]',
              'x-grade': 'B',
            })
            .optional(),
          tdCnyPerKwh: quantity
            .meta({
              unit: 'CNY/kWh',
              label: 'T&D',
              minimum: 0,
              maximum: 10,
              'x-quantity': true,
              default: 0.12,
            })
            .optional(),
          fundsCnyPerKwh: quantity
            .meta({ unit: 'CNY/kWh', label: 'Funds', minimum: 0, maximum: 10, 'x-quantity': true })
            .optional(),
        })
        .optional(),
      kwPerRack: quantity.meta({
        unit: 'kW',
        label: 'Design power per rack',
        minimum: 0,
        exclusiveMinimum: 0,
        maximum: 500,
        'x-quantity': true,
        default: '2.5 kW',
        'x-grade': 'NOT FOUND',
      }),
    }),
    { io: 'input' },
  );
  const fallback = {
    'tariff.energyPriceCnyPerKwh': { text: 'fallback price' },
    'tariff.fundsCnyPerKwh': { text: 'fallback funds', source: 'none [ndrc-2021-1439]', grade: 'assumption' },
  };
  const rows = walkSchemas({ properties: {} }, schema as Record<string, unknown>, fallback);
  const at = (p: string) => rows.cluster.find((r) => r.path === `clusters[].${p}`)!;

  it('schema metadata wins over the fallback map, which is then reported as superseded', () => {
    expect(at('tariff.energyPriceCnyPerKwh')).toMatchObject({
      default: "the province's coal benchmark price (seeded)",
      source: 'benchmark prices [coal-benchmark-prices](sources.md#coal-benchmark-prices) (B)',
      allowed: '_quantity_ 0–10',
      unit: 'CNY/kWh',
    });
    expect([...rows.supersededFallback]).toEqual(['tariff.energyPriceCnyPerKwh']);
  });

  it('numeric and text defaults, the fallback marked †, "—" without either', () => {
    expect(at('tariff.tdCnyPerKwh')).toMatchObject({ default: '0.12', source: '—' });
    expect(at('tariff.fundsCnyPerKwh')).toMatchObject({
      default: 'fallback funds †',
      source: 'none [ndrc-2021-1439](sources.md#ndrc-2021-1439) (assumption)',
    });
    expect(at('kwPerRack')).toMatchObject({
      default: '`2.5 kW`',
      source: '(NOT FOUND)',
      allowed: 'required; _quantity_ > 0, ≤ 500',
    });
    expect(at('cluster')).toMatchObject({ default: '—', source: '—', label: '—' });
  });
});

describe('the example scenario of docs/scenarios.md', () => {
  let result: RunResult;
  beforeAll(() => {
    result = runExample(doc);
  });

  it('parses', () => {
    const s = parseScenario(extractExample(doc));
    expect(s.clusters.length).toBeGreaterThan(0);
  });

  it("meets the hub node's PUE cap (from the seeded targets) in every year", () => {
    const hubPue = SEEDS.targets.filter(
      (t) =>
        t.metric === 'pue' &&
        typeof t.appliesTo === 'object' &&
        (t.appliesTo as { hubNode?: boolean }).hubNode === true,
    );
    expect(hubPue.length).toBeGreaterThan(0);
    const cap = hubPue.reduce((a, b) => (b.limit < a.limit ? b : a));
    expect(['<=', '<']).toContain(cap.comparator);
    const scenario = parseScenario(extractExample(doc));
    for (const c of result.clusters) {
      const seed = SEEDS.clusters.find((x) => x.id === c.clusterId);
      expect(seed?.hubNode, c.clusterId).toBe(true);
      expect(c.annual.length).toBe(scenario.years);
      for (const a of c.annual) {
        expect(a.pue, `${c.clusterId} ${a.year}`).not.toBeNull();
        if (cap.comparator === '<=') expect(a.pue!, `${a.year}`).toBeLessThanOrEqual(cap.limit);
        else expect(a.pue!, `${a.year}`).toBeLessThan(cap.limit);
      }
      const checks = c.targets.filter((t) => t.id === cap.id);
      expect(checks.length).toBeGreaterThan(0);
      expect(checks.every((t) => t.met === true)).toBe(true);
    }
  });

  it('the summary names every missed target', () => {
    const summary = /<!-- example:begin -->\n([\s\S]*?)\n<!-- example:end -->/.exec(doc)?.[1] ?? '';
    const missed = new Set(
      result.clusters.flatMap((c) => c.targets.filter((t) => t.met !== true).map((t) => t.id)),
    );
    const missedPart = summary.slice(summary.indexOf('Missed:'));
    for (const id of missed) expect(missedPart).toContain(`\`${id}\``);
  });
});

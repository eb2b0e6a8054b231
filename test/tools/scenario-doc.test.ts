import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_FIELDS, SCENARIO_FIELDS } from '../../models/inputs.ts';
import type { RunResult } from '../../models/result.ts';
import { parseScenario } from '../../models/scenario.ts';
import { SEEDS } from '../../seeds/index.ts';
import {
  DOC_URL,
  extractExample,
  fieldRows,
  linkSources,
  main,
  renderScenarioDoc,
  runExample,
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

  it('documents every row of the input tables, top level and per cluster, with its default', () => {
    for (const k of Object.keys(SCENARIO_FIELDS)) expect(documentedFields, k).toContain(k);
    for (const k of ['$comment', 'defaults', 'clusters']) expect(documentedFields, k).toContain(k);
    for (const k of Object.keys(CLUSTER_FIELDS)) expect(documentedFields, k).toContain(`clusters[].${k}`);
    const { cluster } = fieldRows();
    const discount = cluster.find((r) => r.path === 'clusters[].finance.discountRate')!;
    expect(discount.default).toMatch(/^0\.08 1\/yr \(seeded\)/);
    expect(discount.source).toMatch(/\(assumption\)$/);
    const rte = cluster.find((r) => r.path === 'clusters[].green.battery.roundTripEfficiency')!;
    expect(rte.allowed).toContain('usually 0.8–0.92');
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

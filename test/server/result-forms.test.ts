import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { engineReference } from '../../seeds/index.ts';
import { HOURLY_CHECK_KEYS } from '../../server/hourly.ts';
import {
  expectedResultBytes,
  RESULT_FORMS,
  resultForms,
  SUMMARY_CLUSTER_KEYS,
} from '../../server/result-forms.ts';
import { runScenario } from '../../server/run.ts';

/**
 * The stored forms of a result (issue 24, points 1 and 3): what admission reserves for a run is at
 * least what its result takes, and the summary is the small form it promises.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIOS = readdirSync(join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f, JSON.parse(readFileSync(join(ROOT, 'scenarios', f), 'utf8'))] as const);
const ref = engineReference();

describe('stored forms of a result', () => {
  for (const [file, scenario] of SCENARIOS) {
    it(`${file}: the bytes reserved for it cover its stored forms; its summary keeps annual rows and finance only`, () => {
      const { hourly: _h, ...result } = runScenario(scenario, ref);
      const forms = resultForms(result);
      const stored =
        RESULT_FORMS.reduce((n, f) => n + forms.bytes[f].length, 0) +
        forms.head.length +
        forms.clusters.reduce((n, c) => n + JSON.stringify({ check: c.check }).length, 0);
      const clusters = result.clusters.length;
      const clusterYears = clusters * scenario.years;
      expect(expectedResultBytes(clusters, clusterYears)).toBeGreaterThanOrEqual(stored);
      // …and not wildly more (it is what admission holds back for the run)
      expect(expectedResultBytes(clusters, clusterYears)).toBeLessThan(2 * stored);

      const summary = JSON.parse(new TextDecoder().decode(forms.bytes.summary));
      for (const c of summary.clusters) expect(Object.keys(c)).toEqual([...SUMMARY_CLUSTER_KEYS]);
      expect(summary.clusters[0].annual).toEqual(JSON.parse(JSON.stringify(result.clusters[0].annual)));
      expect(summary.comparison).toEqual(JSON.parse(JSON.stringify(result.comparison)));
      // a few kB per cluster-year (2.0–2.2 kB with engine 0.3.0; the full result 8.8–15 kB)
      expect(forms.bytes.summary.length / clusterYears).toBeLessThan(4000);

      // what an hourly export is checked against: every cluster-year's figures
      expect(forms.clusters.map((c) => c.clusterId)).toEqual(result.clusters.map((c) => c.clusterId));
      const first = result.clusters[0].annual[0];
      expect(forms.clusters[0].check[first.year]).toEqual(
        Object.fromEntries(HOURLY_CHECK_KEYS.map((k) => [k, first[k]])),
      );
      const csv = new TextDecoder().decode(forms.bytes['annual.csv']).trim().split('\n');
      expect(csv).toHaveLength(1 + clusterYears);
    });
  }
});

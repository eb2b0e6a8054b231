import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEEDS } from '../../seeds/index.ts';
import { foldShape, hourlyMeans } from '../../tools/derive-workload-shape.ts';
import { expectClose, SHARED_DATA } from '../helpers/tolerance.ts';

const DIR = `${SHARED_DATA}workload/`;
const HAVE = existsSync(DIR);
if (!HAVE) console.warn(`workload.test: ${DIR} is absent — skipping the checks against the traces`);

describe('workload shapes', () => {
  it('each shipped shape has 168 values with mean 1', () => {
    for (const s of SEEDS.workload.shapes) {
      expect(s.weekly.length).toBe(168);
      expectClose(s.weekly.reduce((a, b) => a + b, 0) / 168, 1, { abs: 1e-3 });
    }
  });

  it('folding hourly means gives a mean-1 shape', () => {
    expect(hourlyMeans(new Array(24).fill(2))).toEqual([2, 2]);
    expect(foldShape([1, 3, 1, 3], 2)).toEqual([0.5, 1.5]);
  });

  it.skipIf(!HAVE)(
    'trace means match ../shared/data/workload/PROVENANCE.md (Alibaba CPU 40.2 %, Google avg_cpu 0.47)',
    () => {
      const ali = SEEDS.workload.shapes.find((s) => s.id === 'alibaba2018')!;
      const goo = SEEDS.workload.shapes.find((s) => s.id === 'google2019')!;
      expectClose(ali.cpuUtilisation.mean, 0.402, { abs: 0.001 });
      expectClose(ali.cpuUtilisation.min, 0.161, { abs: 0.001 });
      expectClose(goo.cpuUtilisation.mean, 0.47, { abs: 0.005 });
      const rows =
        readFileSync(`${DIR}alibaba2018_machine_usage_days1-8_300s.csv`, 'utf8').trim().split('\n').length -
        1;
      expect(rows).toBe(2243);
    },
  );
});

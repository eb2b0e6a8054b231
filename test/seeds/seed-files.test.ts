import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSeedFile, schemaOfSeedFile } from '../../seeds/file-schemas.ts';

/**
 * Issue 9: every seed file is checked against a zod schema as it is loaded, and a broken one stops
 * dcplan with one line naming the file and the field.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The seed files seeds/index.ts loads: every JSON under seeds/ but the source registry. */
function seedFiles(dir = ''): string[] {
  return readdirSync(join(ROOT, 'seeds', dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return seedFiles(rel);
    return e.name.endsWith('.json') && rel !== 'sources.json' ? [rel] : [];
  });
}
const FILES = seedFiles().sort();
const read = (file: string) => JSON.parse(readFileSync(join(ROOT, 'seeds', file), 'utf8'));

// biome-ignore lint/suspicious/noExplicitAny: a parsed seed file, changed in place by each case
type Doc = any;

/** Check a changed copy of a seed file; returns the error message. */
function messageFor(file: string, change: (doc: Doc) => void): string {
  const doc = read(file);
  change(doc);
  try {
    checkSeedFile(file, schemaOfSeedFile(file)!, doc);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${file}: the changed copy passed`);
}

describe('seed files are checked by their schemas (issue 9)', () => {
  it('every bundled seed file has a schema and passes it', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(17);
    for (const file of FILES) {
      const schema = schemaOfSeedFile(file);
      expect(schema, file).toBeDefined();
      expect(() => checkSeedFile(file, schema!, read(file)), file).not.toThrow();
    }
  });

  it('a corrupted copy fails with one line naming the file and the field', () => {
    const cases: Array<[string, (d: Doc) => void, string]> = [
      [
        'climate/lanzhou.json',
        (d) => {
          d.daily.tMeanC[3] = 'warm';
        },
        'seeds/climate/lanzhou.json: daily.tMeanC[3]: Invalid input: expected number, received string',
      ],
      [
        'climate/wuhan.json',
        (d) => {
          d.monthly.tShape[11].pop();
        },
        'seeds/climate/wuhan.json: monthly.tShape[11]: Too small: expected array to have exactly 24 items',
      ],
      [
        'tariffs/gansu-2021.json',
        (d) => {
          d.weekday[2][5] = 7;
        },
        'seeds/tariffs/gansu-2021.json: weekday[2][5]: Too big: expected number to be <=3',
      ],
      [
        'tariffs/hubei-2024-draft.json',
        (d) => {
          d.monthRatios['13'] = { valley: 0.5 };
        },
        'seeds/tariffs/hubei-2024-draft.json: monthRatios: Unrecognized key: "13"',
      ],
      [
        'clusters.json',
        (d) => {
          d.clusters[1].location.latDeg = 95;
        },
        'seeds/clusters.json: clusters[1].location.latDeg: Too big: expected number to be <=90',
      ],
      [
        'grid-factors.json',
        (d) => {
          d.provinces.Gansu.byYear['2021'] = '0.5';
        },
        'seeds/grid-factors.json: provinces.Gansu.byYear.2021: Invalid input: expected number, received string',
      ],
      [
        'costs.json',
        (d) => {
          d.pvCapexCnyPerW.sorce = d.pvCapexCnyPerW.source;
        },
        'seeds/costs.json: pvCapexCnyPerW: Unrecognized key: "sorce"',
      ],
      [
        'tariffs/incentives.json',
        (d) => {
          delete d.incentives[0].cnyPerKwh;
        },
        'seeds/tariffs/incentives.json: incentives[0].cnyPerKwh: Invalid input: expected number, received undefined',
      ],
      [
        'targets.json',
        (d) => {
          d.gb40879Thresholds.value = [1.2, 1.3];
        },
        'seeds/targets.json: gb40879Thresholds.value: ',
      ],
      [
        'workload/shapes.json',
        (d) => {
          d.shapes[0].cpuUtilisation.mean = 40.2;
        },
        'seeds/workload/shapes.json: shapes[0].cpuUtilisation.mean: Too big: expected number to be <=1',
      ],
    ];
    for (const [file, change, message] of cases) {
      const got = messageFor(file, change);
      expect(got, file).toContain(message);
      expect(got, file).not.toContain('\n');
    }
  });

  it('more than one problem is counted, not listed', () => {
    const got = messageFor('costs.json', (d) => {
      d.pvCapexCnyPerW.value = 'x';
      d.windCapexCnyPerW.grade = 'E';
    });
    expect(got).toMatch(/^seeds\/costs\.json: pvCapexCnyPerW\.value: .* \(and 1 more problem\)$/);
  });

  describe('the CLI with a broken seed file', () => {
    // A copy of the sources with node_modules linked: its first run builds its own dist/.
    const dir = mkdtempSync(join(tmpdir(), 'dcplan-seeds-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    function dcplan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      return new Promise((resolve) => {
        execFile(
          process.execPath,
          [join(dir, 'bin/dcplan.js'), ...args],
          { cwd: dir },
          (err, stdout, stderr) => {
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
          },
        );
      });
    }

    it('stops with exit code 1 and one line naming the file and the field', {
      timeout: 120_000,
    }, async () => {
      for (const d of ['bin', 'models', 'seeds', 'server', 'scenarios'])
        cpSync(join(ROOT, d), join(dir, d), { recursive: true });
      for (const f of ['package.json', 'package-lock.json']) cpSync(join(ROOT, f), join(dir, f));
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
      const file = join(dir, 'seeds/costs.json');
      const costs = JSON.parse(readFileSync(file, 'utf8'));
      costs.assetLifeYears.value = '20 years';
      writeFileSync(file, JSON.stringify(costs));
      const r = await dcplan('simulate', 'scenarios/gansu-2017.json', '--format', 'json');
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'dcplan: seeds/costs.json: assetLifeYears.value: Invalid input: expected number, received string\n',
      );
    });
  });
});

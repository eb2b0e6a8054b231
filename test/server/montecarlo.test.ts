import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { engineReference } from '../../seeds/index.ts';
import { runMonteCarlo } from '../../server/montecarlo.ts';
import { twoUncertainClusters } from '../helpers/uncertain.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/dcplan.js');

function dcplan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const scenario = twoUncertainClusters('Monte Carlo on the pool');

const tmp = mkdtempSync(join(tmpdir(), 'dcplan-mc-'));
const file = join(tmp, 'mc.json');
writeFileSync(file, JSON.stringify(scenario));

describe('Monte Carlo on the worker pool', () => {
  it('gives the same report on one thread and on two workers', async () => {
    const ref = engineReference();
    const o = { samples: 12, seed: 5, grades: true };
    const one = await runMonteCarlo(scenario, ref, { ...o, threads: 1 });
    const two = await runMonteCarlo(scenario, ref, { ...o, threads: 2 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(one.failed.count).toBe(0);
    expect(one.inputs.filter((x) => x.kind === 'scenario').map((x) => x.key)).toEqual([
      'defaults.occupancy',
      'clusters[1].finance.buildCnyPerKwIt',
    ]);
  }, 120_000);

  it('dcplan montecarlo --format json writes one object: spreads by field name, targets, ranks', async () => {
    const r = await dcplan(
      'montecarlo',
      file,
      '--samples',
      '8',
      '--seed',
      '2',
      '--threads',
      '1',
      '--format',
      'json',
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const c = json.clusters[1];
    for (const k of ['electricityCostCny', 'pue', 'greenShare', 'carbonLocationTco2'])
      expect(Object.keys(c.annual[k]).sort()).toEqual(['mean', 'n', 'p10', 'p50', 'p90', 'sd']);
    for (const k of ['npvCny', 'irr', 'costPerRackYearCny'])
      expect(c.finance[k].p10).toBeLessThanOrEqual(c.finance[k].p90);
    expect(c.targets.length).toBeGreaterThan(0);
    expect(c.costRank.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 12);
    expect(r.stderr).toMatch(/8 samples in .* s on 1 thread/);
  }, 120_000);

  it('--correlate gives the two inputs the rank correlation asked for', async () => {
    const r = await dcplan(
      'montecarlo',
      file,
      '--samples',
      '40',
      '--threads',
      '1',
      '--format',
      'json',
      '--correlate',
      'defaults.occupancy:clusters[1].finance.buildCnyPerKwIt=0.7',
    );
    expect(r.code).toBe(0);
    const [c] = JSON.parse(r.stdout).correlations;
    expect([c.a, c.b, c.rho]).toEqual(['defaults.occupancy', 'clusters[1].finance.buildCnyPerKwIt', 0.7]);
    expect(Math.abs(c.achieved - 0.7)).toBeLessThan(0.1);
  }, 120_000);

  it('SIGINT cancels a run: exit 1, "cancelled", nothing on stdout', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'montecarlo', file, '--samples', '10000', '--threads', '2', '--format', 'json'],
      {
        cwd: ROOT,
      },
    );
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    // Wait for the start line, then interrupt once (no timing: the line says the samples are under way).
    let sent = false;
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!sent && /sampling 10,000 runs/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(code).toBe(1);
    expect(stderr).toMatch(/dcplan: montecarlo: cancelled/);
    expect(stdout).toBe('');
  }, 120_000);

  it('refuses bad options with one line naming each, exit 2', async () => {
    const r = await dcplan('montecarlo', file, '--samples', '20000', '--seed', '-1', '--format', 'csv');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'dcplan: --format: must be table or json (got "csv"); --samples: must be a whole number 2–10000 (got "20000"); --seed: must be a whole number 0–4294967295 (got "-1")',
    );
    const plain = join(tmp, 'plain.json');
    writeFileSync(
      plain,
      JSON.stringify({
        ...scenario,
        defaults: { ...scenario.defaults, occupancy: 0.6 },
        clusters: [{ cluster: 'lanzhou' }],
      }),
    );
    const none = await dcplan('montecarlo', plain, '--samples', '4');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing is uncertain/);
  }, 120_000);
});

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RunResultSchema } from '../../models/result.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/dcplan.js');

function dcplan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'dcplan-cli-'));
function scenarioFile(obj: unknown): string {
  const f = join(tmp, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, typeof obj === 'string' ? obj : JSON.stringify(obj));
  return f;
}

describe('dcplan CLI', () => {
  it('simulate --format json writes only the result JSON to stdout, with the contract fields', async () => {
    const r = await dcplan('simulate', 'scenarios/hubei-wuhan-2025.json', '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    RunResultSchema.parse(json);
    const a = json.clusters[0].annual[0];
    for (const k of [
      'year',
      'racksInService',
      'standardRacks',
      'occupancy',
      'itEnergyMwh',
      'facilityEnergyMwh',
      'pue',
      'peakFacilityKw',
      'freeCoolingHours',
      'waterM3',
      'wueLPerKwh',
      'electricityCostCny',
      'energyChargeCny',
      'capacityChargeCny',
      'gridEnergyMwh',
      'greenEnergyMwh',
      'greenShare',
      'carbonLocationTco2',
      'carbonMarketTco2',
      'egressGbps',
    ]) {
      expect(a, k).toHaveProperty(k);
    }
    expect(json.clusters[0].targets[0]).toHaveProperty('met');
    expect(Object.keys(json.clusters[0].finance)).toEqual(
      expect.arrayContaining(['capexCny', 'npvCny', 'irr', 'paybackYears', 'costPerRackYearCny']),
    );
    expect(json.scenario).toEqual({ name: expect.any(String), startYear: 2025, years: 3 });
  });

  it('simulate --format csv gives one row per cluster-year under a header', async () => {
    const r = await dcplan('simulate', 'scenarios/east-west-compare.json', '--format', 'csv');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0].startsWith('clusterId,year,racksInService')).toBe(true);
    expect(lines.length).toBe(1 + 4 * 15);
  });

  it('simulate prints a table with units and the target scorecard', async () => {
    const r = await dcplan('simulate', 'scenarios/qingyang-hub-2025-2030.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PUE');
    expect(r.stdout).toContain('IT GWh');
    expect(r.stdout).toContain('Hub-node cluster PUE ≤ 1.2');
  });

  it('invalid input exits 2 with one line naming the field and rule', async () => {
    const bad = scenarioFile({
      name: 'bad',
      startYear: 2025,
      years: 2,
      clusters: [
        {
          cluster: 'qingyang',
          buildout: [
            { year: 2025, racks: 10, kwPerRack: 5 },
            { year: 2026, racks: -5, kwPerRack: 5 },
          ],
          occupancy: 0.6,
          cooling: { design: 'water-cooled-chiller-wse' },
        },
      ],
    });
    const r = await dcplan('simulate', bad, '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('dcplan: clusters[0].buildout[1].racks: must be ≥ 0');
  });

  it('a missing file, malformed JSON or bad option exit 2', async () => {
    expect((await dcplan('simulate', join(tmp, 'nope.json'))).stderr).toMatch(
      /scenario .*nope\.json: file not found/,
    );
    const malformed = await dcplan('simulate', scenarioFile('{"name": '));
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/invalid JSON/);
    const fmt = await dcplan('simulate', 'scenarios/gansu-2017.json', '--format', 'xml');
    expect(fmt.code).toBe(2);
    expect(fmt.stderr.trim()).toBe('dcplan: --format: must be table, json or csv (got "xml")');
    const epw = await dcplan(
      'simulate',
      'scenarios/gansu-2017.json',
      '--weather',
      `lanzhou=${scenarioFile('x')}`,
    );
    expect(epw.code).toBe(2);
    expect(epw.stderr).toMatch(/--weather lanzhou: epw line 1: expected a LOCATION header/);
  });

  it('simulate draws a cli-progress bar on stderr only when stderr is a terminal', async () => {
    // In a pipe (every other test here): no bar, only the summary line.
    const piped = await dcplan('simulate', 'scenarios/gansu-2017.json', '--format', 'csv');
    expect(piped.stderr).toMatch(/^dcplan: 52,560 cluster-hours simulated in \d+ ms\n$/);
    // On a terminal: util-linux `script` gives the command a pseudo-terminal (skipped without it).
    const SCRIPT = '/usr/bin/script';
    if (!existsSync(SCRIPT)) return;
    const log = join(tmp, 'tty.log');
    const cmd = `${process.execPath} ${BIN} simulate scenarios/gansu-2017.json --format csv > /dev/null`;
    await new Promise((resolve) => execFile(SCRIPT, ['-qec', cmd, log], { cwd: ROOT }, resolve));
    expect(readFileSync(log, 'utf8')).toMatch(/simulating \[=+\] 100% \(6\/6 cluster-years\)/);
  });

  it('bench --format json ends with one JSON object on the last stdout line', async () => {
    const r = await dcplan('bench', '--format', 'json', '--years', '1', '--reps', '2');
    expect(r.code).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(last.clusterHours).toBe(4 * 8760);
    expect(last.clusterHoursPerSecond).toBeGreaterThan(0);
    expect(last.goalMs).toBe(16);
    expect(last.runMedianMs).toBeGreaterThan(0);
    // the pooled part: one run split over the pool and a batch in flight, with its ratio to one thread
    expect(last.pooled.threads).toBeGreaterThanOrEqual(1);
    expect(last.pooled.splitMedianMs).toBeGreaterThan(0);
    expect(last.pooled.batchClusterHoursPerSecond).toBeGreaterThan(0);
    expect(last.pooled.speedUpOverOneThread).toBeGreaterThan(0);
    expect(last.cold).toBeNull();
  });

  it('bench --cold times fresh CLI processes and reports them against the 0.5 s goal', async () => {
    const r = await dcplan(
      'bench',
      '--format',
      'json',
      '--years',
      '1',
      '--reps',
      '1',
      '--cold',
      '--cold-runs',
      '2',
    );
    expect(r.code).toBe(0);
    const { cold } = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(cold).toMatchObject({
      command: 'node bin/dcplan.js simulate scenarios/gansu-2017.json --format json',
      runs: 2,
      goalMs: 500,
    });
    // Shape only: wall times depend on the machine (no timing assertions in tests).
    for (const k of ['medianMs', 'minMs', 'maxMs', 'nodeMedianMs']) expect(cold[k]).toBeGreaterThan(0);
    expect(typeof cold.goalMet).toBe('boolean');
    expect(r.stderr).toMatch(/cold start 2\/2: \d+ ms/);
  });
});

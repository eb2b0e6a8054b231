import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { synthetic } from '../helpers/epw.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/dcplan.js');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const WUHAN = readFileSync(join(ROOT, 'scenarios/hubei-wuhan-2025.json'), 'utf8');

function dcplan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'dcplan-cli-input-'));

describe('CLI input (issue 10, points 11 and 19)', () => {
  it('--version prints the package version', async () => {
    const r = await dcplan('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(PKG.version);
  });

  it('a directory as input is a clear exit-2 message, not a raw EISDIR', async () => {
    const r = await dcplan('simulate', tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`dcplan: scenario ${tmp}: is a directory; give a file\n`);
  });

  it('--weather naming a cluster the scenario does not have exits 2', async () => {
    const r = await dcplan('simulate', 'scenarios/hubei-wuhan-2025.json', '--weather', 'lanzhou=nowhere.epw');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--weather lanzhou: the scenario has no cluster "lanzhou" \(it has: wuhan\)/);
  });

  it('compare on a one-cluster scenario exits 2 with a message', async () => {
    const r = await dcplan('compare', 'scenarios/hubei-wuhan-2025.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has one cluster; compare needs two or more/);
    expect(r.stdout).toBe('');
  });

  it('a scenario file that starts with a UTF-8 byte-order mark is read', async () => {
    const f = join(tmp, 'bom.json');
    writeFileSync(f, `\uFEFF${WUHAN}`);
    const r = await dcplan('simulate', f, '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).scenario.name).toMatch(/Wuhan/);
  });
});

describe('CLI errors that say what to do (issue 23, point 5)', () => {
  it('prints every invalid field at once, with the closest name, the choices and the percentage fix', async () => {
    const s = JSON.parse(WUHAN);
    s.clusters[0].occupancy = 65;
    s.clusters[0].cooling = { design: 'evaporative' };
    s.clusters[0].occupnacy = 1;
    const f = join(tmp, 'three.json');
    writeFileSync(f, JSON.stringify(s, null, 2));
    const r = await dcplan('simulate', f);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('dcplan: 3 invalid fields:');
    expect(lines[1]).toMatch(/^ {2}clusters\[0\]: unknown field "occupnacy" — did you mean "occupancy"\?/);
    expect(lines[2]).toMatch(
      /^ {2}clusters\[0\]\.cooling\.design: unknown cooling design "evaporative" — did you mean "indirect-evaporative"\? \(known: air-cooled-chiller, .*dx-crac\)$/,
    );
    expect(lines[3]).toBe('  clusters[0].occupancy: must be ≤ 1 — for 65 %, write 0.65 (or "65 %")');
  });

  it('a JSON syntax error names its line and column', async () => {
    const f = join(tmp, 'comma.json');
    writeFileSync(f, '{\n  "name": "x",\n  "years": 3,\n}\n');
    const r = await dcplan('simulate', f);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid JSON at line 4, column 1: .*a comma before a closing brace/);
  });

  it('warns of a build-out after the horizon and a first year far before the data', async () => {
    const s = JSON.parse(WUHAN);
    s.startYear = 1999;
    const f = join(tmp, 'y1999.json');
    writeFileSync(f, JSON.stringify(s));
    const r = await dcplan('simulate', f);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warning: clusters\[0\]\.buildout: no phase is in service in 1999–2001/);
    expect(r.stdout).toMatch(/warning: startYear: 1999 is 22 years before the reference data begin \(2021\)/);
  });

  it('warns of a weather file far outside the station’s year (60 °C every hour)', async () => {
    const f = join(tmp, 'hot.epw');
    writeFileSync(
      f,
      synthetic(8760, (x) => {
        x[6] = '60.0';
        x[7] = '20.0';
      }),
    );
    const r = await dcplan('simulate', 'scenarios/gansu-2017.json', '--weather', `lanzhou=${f}`);
    expect(r.stderr).toMatch(
      /dcplan: warning: --weather lanzhou: the file's dry bulb runs 60\.0–60\.0 °C \(mean 60\.0 °C\); the station's typical year .* 8,760 hours lie more than 8 K above or 10 K below it and the annual mean is \d+\.\d K off — check that the file is this site's and in °C/,
    );
  });
});

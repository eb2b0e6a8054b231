import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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

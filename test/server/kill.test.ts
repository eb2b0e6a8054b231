import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { call, type Served, serve, until } from '../helpers/server.ts';

/**
 * The server SIGKILLed at random moments of a run, again and again (issue 10, point 21). Each
 * repetition starts `dcplan serve` on the database the previous one killed (so every start is a
 * restart after a crash), checks what the restart shows, starts a run and saves a scenario, and kills
 * the server: a random delay after the POST, just after the run is seen running, or late in the run
 * (near or during the write of its result). After each kill the database file, opened directly, must
 * pass `integrity_check` and hold result rows only for done runs; after each restart no run may be
 * left queued/running and every acknowledged scenario must be there.
 *
 * DCPLAN_KILL_REPETITIONS (default 20) and DCPLAN_KILL_SEED (default 10) vary it.
 */
const REPETITIONS = Number(process.env.DCPLAN_KILL_REPETITIONS ?? 20);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EAST_WEST = JSON.parse(readFileSync(join(ROOT, 'scenarios/east-west-compare.json'), 'utf8'));
const WUHAN = JSON.parse(readFileSync(join(ROOT, 'scenarios/hubei-wuhan-2025.json'), 'utf8'));

/** Seeded PRNG (mulberry32): the same kill moments on every run of the suite. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(Number(process.env.DCPLAN_KILL_SEED ?? 10));

const dir = mkdtempSync(join(tmpdir(), 'dcplan-kill-'));
const file = join(dir, 'killed.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Server = Served;

/** Start `dcplan serve` on the shared database (port 0, one worker) and wait until /api/health answers. */
async function start(): Promise<Server> {
  const s = await serve(file, { HOST: '127.0.0.1', DCPLAN_WORKERS: '1' });
  await until(
    () => call('GET', `${s.base}/health`).catch(() => null),
    (r) => r?.status === 200,
  );
  return s;
}

async function kill(s: Server): Promise<void> {
  s.child.kill('SIGKILL');
  await s.exited;
}

/** What the file holds right after a kill, read directly (no recovery). */
function inspect(runId?: string) {
  const db = new Database(file, { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    if (runId) {
      const row = db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as
        | { status: string }
        | undefined;
      statusAtKill.push(row?.status ?? 'missing');
    }
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      orphanResults: n(
        `SELECT COUNT(*) AS n FROM results WHERE run_id NOT IN (SELECT id FROM runs WHERE status = 'done')`,
      ),
      orphanAnnual: n(
        `SELECT COUNT(*) AS n FROM annual_rows WHERE run_id NOT IN (SELECT id FROM runs WHERE status = 'done')`,
      ),
      doneWithoutResults: n(
        `SELECT COUNT(*) AS n FROM runs WHERE status = 'done' AND id NOT IN (SELECT run_id FROM results)`,
      ),
      // every done run has all four stored forms (a result is marked done only once its parts are in)
      doneWithoutParts: n(
        `SELECT COUNT(*) AS n FROM runs WHERE status = 'done'
         AND (SELECT COUNT(DISTINCT form) FROM result_parts WHERE run_id = runs.id) < 4`,
      ),
    };
  } finally {
    db.close();
  }
}

const savedScenarios: number[] = [];
/** The killed run's status in the file right after each kill. */
const statusAtKill: string[] = [];
const killedRuns: string[] = [];
let server: Server | null = null;
afterAll(async () => {
  if (server) await kill(server);
});

/**
 * After a (re)start: nothing in flight, no parts left of a result whose write the kill cut, every
 * acknowledged save there, killed runs ended.
 */
async function checkRestart(s: Server): Promise<void> {
  const db = new Database(file, { readonly: true });
  try {
    expect(
      db
        .prepare(
          `SELECT COUNT(*) AS n FROM result_parts WHERE run_id NOT IN (SELECT id FROM runs WHERE status = 'done')`,
        )
        .get(),
    ).toEqual({ n: 0 });
  } finally {
    db.close();
  }
  const list = await call('GET', `${s.base}/runs?limit=200`);
  expect(list.status).toBe(200);
  for (const r of list.json.runs) expect(['queued', 'running']).not.toContain(r.status);
  for (const id of killedRuns) {
    const r = await call('GET', `${s.base}/runs/${id}`);
    expect(r.status).toBe(200);
    if (r.json.status === 'failed') expect(r.json.error).toMatch(/interrupted/);
    else expect(r.json.status).toBe('done');
  }
  const saved = await call('GET', `${s.base}/scenarios`);
  const ids = saved.json.map((x: { id: number }) => x.id);
  for (const id of savedScenarios) expect(ids).toContain(id);
}

type Moment = 'after-delay' | 'when-running' | 'late';

describe(`a server SIGKILLed at random moments of a run, ${REPETITIONS} times (issue 10, point 21)`, () => {
  for (let i = 0; i < REPETITIONS; i++) {
    const roll = random();
    const moment: Moment = roll < 0.4 ? 'after-delay' : roll < 0.7 ? 'when-running' : 'late';
    const delayMs = Math.floor(
      random() * (moment === 'after-delay' ? 1500 : moment === 'when-running' ? 500 : 300),
    );
    it(`repetition ${i + 1}: killed ${moment} (+${delayMs} ms)`, { timeout: 180_000 }, async () => {
      server = await start();
      const s = server;
      if (i > 0) await checkRestart(s);

      // A run of its own (a distinct name, so no earlier run is reused) and an acknowledged save.
      const scenario = { ...EAST_WEST, name: `kill ${i}` };
      const r = await call('POST', `${s.base}/runs?wait=0`, { scenario });
      expect(r.status).toBe(202);
      killedRuns.push(r.json.id);
      const saved = await call('POST', `${s.base}/scenarios`, { ...WUHAN, name: `saved ${i}` });
      expect(saved.status).toBe(201);
      savedScenarios.push(saved.json.id);

      const get = () => call('GET', `${s.base}/runs/${r.json.id}`);
      const ended = (x: { json: { status: string } }) => !['queued', 'running'].includes(x.json.status);
      if (moment === 'when-running') await until(get, (x) => x.json.status === 'running' || ended(x));
      if (moment === 'late') await until(get, (x) => x.json.progress >= 0.8 || ended(x));
      await new Promise((res) => setTimeout(res, delayMs));
      await kill(s);
      server = null;

      const after = inspect(r.json.id);
      expect(after).toEqual({
        integrity: 'ok',
        orphanResults: 0,
        orphanAnnual: 0,
        doneWithoutResults: 0,
        doneWithoutParts: 0,
      });
    });
  }

  it('a last restart shows every run ended and every acknowledged save', { timeout: 180_000 }, async () => {
    server = await start();
    await checkRestart(server);
    await kill(server);
    server = null;
    expect(inspect().integrity).toBe('ok');
    // The run was acknowledged (202) before each kill, so the file always has it; and the kills must
    // land inside runs, not only before or after them.
    expect(statusAtKill).not.toContain('missing');
    if (REPETITIONS >= 5) expect(statusAtKill.filter((x) => x === 'running').length).toBeGreaterThan(0);
  });
});

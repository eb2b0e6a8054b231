import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClimateYear } from '../../models/climate.ts';
import {
  rebuildSeededClimate,
  SEEDS,
  seededClimate,
  seededClimateFingerprint,
  usePrebuiltClimates,
} from '../../seeds/index.ts';
import { readClimateCache, writeClimateCache } from '../../server/climate-cache.ts';

/** The bytes of every series and the other fields: equal means bit for bit the same year. */
function sameYear(a: ClimateYear, b: ClimateYear): void {
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const k of Object.keys(a) as (keyof ClimateYear)[]) {
    const x = a[k];
    const y = b[k];
    if (x instanceof Float64Array && y instanceof Float64Array) {
      expect(
        Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(
          Buffer.from(y.buffer, y.byteOffset, y.byteLength),
        ),
        k,
      ).toBe(true);
    } else expect(x, k).toEqual(y);
  }
}

describe('climate years rebuilt at build time (dist/climates.bin)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dcplan-climate-'));
  const file = join(dir, 'climates.bin');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('give every seeded station bit for bit the year rebuilt from its statistics', () => {
    expect(writeClimateCache(file)).toBe(SEEDS.climateIds.length);
    const source = readClimateCache(file);
    expect(source).not.toBeNull();
    for (const id of SEEDS.climateIds) {
      const cached = source?.(id, seededClimateFingerprint(id) as string);
      expect(cached, id).toBeDefined();
      sameYear(cached as ClimateYear, rebuildSeededClimate(id));
    }
  });

  it('give nothing for another fingerprint, an unknown station, a missing, foreign or cut file', () => {
    const source = readClimateCache(file);
    expect(source?.('lanzhou', '00000000')).toBeUndefined();
    expect(source?.('nowhere', '00000000')).toBeUndefined();
    expect(readClimateCache(join(dir, 'absent.bin'))).toBeNull();
    writeFileSync(join(dir, 'foreign.bin'), 'not a climate cache at all');
    expect(readClimateCache(join(dir, 'foreign.bin'))).toBeNull();
    const bytes = readFileSync(file);
    writeFileSync(join(dir, 'cut.bin'), bytes.subarray(0, bytes.length - 1000));
    const cut = readClimateCache(join(dir, 'cut.bin'));
    const last = SEEDS.climateIds[SEEDS.climateIds.length - 1];
    expect(cut?.(last, seededClimateFingerprint(last) as string)).toBeUndefined();
  });

  it('are asked for by station and fingerprint before a station is rebuilt; a fingerprint follows its file', () => {
    // FNV-1a of each statistics file's JSON: stations differ, and the same file gives the same print.
    const prints = SEEDS.climateIds.map((id) => seededClimateFingerprint(id));
    expect(new Set(prints).size).toBe(prints.length);
    expect(seededClimateFingerprint('xian')).toBe(prints[SEEDS.climateIds.indexOf('xian')]);
    const asked: string[] = [];
    usePrebuiltClimates((id, fingerprint) => {
      asked.push(`${id}:${fingerprint}`);
      return readClimateCache(file)?.(id, fingerprint);
    });
    try {
      sameYear(seededClimate('xian') as ClimateYear, rebuildSeededClimate('xian'));
      expect(asked).toEqual([`xian:${seededClimateFingerprint('xian')}`]);
    } finally {
      usePrebuiltClimates(null);
    }
  });
});

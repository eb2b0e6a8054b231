import { closeSync, openSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClimateYear } from '../models/climate.ts';
import {
  type PrebuiltClimates,
  rebuildSeededClimate,
  SEEDS,
  seededClimateFingerprint,
  usePrebuiltClimates,
} from '../seeds/index.ts';

/**
 * The seeded climate years, rebuilt by the build (bin/build.mjs) and stored in dist/climates.bin, so
 * that a cold `dcplan` process reads them (a few ms) instead of rebuilding them from the statistics
 * (psychrometrics for 8,760 hours, ≈ 50 ms a station in a cold process). Each year carries the
 * fingerprint of the statistics file it was rebuilt from and is used only while the seeded file has
 * the same one; a missing, foreign or damaged file is ignored (the years are rebuilt as before). The
 * numbers are the rebuilt ones, stored as raw float64: bit for bit the same (tested).
 *
 * Format: "DCPLANCY" (8 bytes), header length (uint32 LE), the header (UTF-8 JSON: format, and per
 * year its id, fingerprint, site, source and the byte offset of each hourly series), zero padding to
 * a multiple of 8, then the series (float64 LE, 8,760 values each).
 */

export const CLIMATE_CACHE_FILE = fileURLToPath(new URL('../dist/climates.bin', import.meta.url));

const MAGIC = 'DCPLANCY';
const FORMAT = 1;
/** The hourly series of a climate year, in the order of the object `deriveClimateYear` returns. */
const SERIES = [
  'tDryC',
  'rhPct',
  'pressurePa',
  'ghiWhM2',
  'dniWhM2',
  'dhiWhM2',
  'windMps',
  'tDewC',
  'tWetC',
  'humidityRatio',
] as const;

interface CachedYear {
  id: string;
  fingerprint: string;
  site: ClimateYear['site'];
  source: string;
  offsets: number[];
}

/** Rebuild every seeded climate year and write them to `file` (atomically: a temporary file renamed). */
export function writeClimateCache(file = CLIMATE_CACHE_FILE): number {
  const years = SEEDS.climateIds.map((id) => ({ id, year: rebuildSeededClimate(id) }));
  const n = years[0]?.year.tDryC.length ?? 0;
  const entries: CachedYear[] = [];
  let offset = 0;
  for (const { id, year } of years) {
    entries.push({
      id,
      fingerprint: seededClimateFingerprint(id) as string,
      site: year.site,
      source: year.source,
      offsets: SERIES.map((_, k) => offset + k * n * 8),
    });
    offset += SERIES.length * n * 8;
  }
  const header = Buffer.from(JSON.stringify({ format: FORMAT, hours: n, years: entries }), 'utf8');
  const start = Math.ceil((MAGIC.length + 4 + header.length) / 8) * 8;
  const out = Buffer.alloc(start + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, MAGIC.length);
  header.copy(out, MAGIC.length + 4);
  const data = new Float64Array(out.buffer, out.byteOffset + start, offset / 8);
  years.forEach(({ year }, y) => {
    for (const [k, name] of SERIES.entries()) data.set(year[name], entries[y].offsets[k] / 8);
  });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, file);
  return years.length;
}

/**
 * The climate years of `file` as a source for `usePrebuiltClimates`, or null when the file is
 * missing or of another format. Only the header is read here; a year's series (≈ 0.7 MB) when it is
 * asked for, and only for a matching fingerprint (a short or unreadable file gives none).
 */
export function readClimateCache(file = CLIMATE_CACHE_FILE): PrebuiltClimates | null {
  let start: number;
  let n: number;
  let byId: Map<string, CachedYear>;
  try {
    const fd = openSync(file, 'r');
    try {
      const pre = Buffer.alloc(MAGIC.length + 4);
      readSync(fd, pre, 0, pre.length, 0);
      if (pre.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
      const len = pre.readUInt32LE(MAGIC.length);
      const headBuf = Buffer.alloc(len);
      if (readSync(fd, headBuf, 0, len, pre.length) !== len) return null;
      const head = JSON.parse(headBuf.toString('utf8'));
      if (head.format !== FORMAT) return null;
      start = Math.ceil((pre.length + len) / 8) * 8;
      n = head.hours;
      byId = new Map((head.years as CachedYear[]).map((e) => [e.id, e]));
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  return (id, fingerprint) => {
    const e = byId.get(id);
    if (!e || e.fingerprint !== fingerprint) return undefined;
    const first = e.offsets[0];
    const data = new Float64Array(SERIES.length * n);
    try {
      const fd = openSync(file, 'r');
      try {
        const bytes = readSync(fd, data, 0, data.byteLength, start + first);
        if (bytes !== data.byteLength) return undefined;
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined;
    }
    const s = e.offsets.map((o) => data.subarray((o - first) / 8, (o - first) / 8 + n));
    return {
      tDryC: s[0],
      rhPct: s[1],
      pressurePa: s[2],
      ghiWhM2: s[3],
      dniWhM2: s[4],
      dhiWhM2: s[5],
      windMps: s[6],
      site: e.site,
      source: e.source,
      tDewC: s[7],
      tWetC: s[8],
      humidityRatio: s[9],
    };
  };
}

/**
 * Use dist/climates.bin for seeded climate years when it is there (CLI and server start-up). The file
 * is opened when a station is first asked for, not here: commands that read no climate never touch it.
 */
export function useClimateCache(file = CLIMATE_CACHE_FILE): void {
  let source: PrebuiltClimates | null | undefined;
  usePrebuiltClimates((id, fingerprint) => {
    if (source === undefined) source = readClimateCache(file);
    return source?.(id, fingerprint);
  });
}

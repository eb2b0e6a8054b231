/**
 * Derive the compact climate statistics in seeds/climate/ from the CSWD EPW files in
 * ../shared/data/weather/china_cswd (never committed). Run: npx tsx tools/derive-climate-stats.ts
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { summarizeClimate } from '../models/climate.ts';
import { parseEpw } from '../server/import/epw.ts';

export const STATIONS = [
  {
    id: 'lanzhou',
    file: 'CHN_Gansu.Lanzhou.528890_CSWD',
    name: 'Lanzhou',
    wmo: '52889',
    usedFor: 'Lanzhou cluster',
  },
  {
    id: 'qingyang',
    file: 'CHN_Gansu.Xifengzhen.539230_CSWD',
    name: 'Xifengzhen (Qingyang)',
    wmo: '53923',
    usedFor: 'Qingyang cluster',
  },
  { id: 'wuhan', file: 'CHN_Hubei.Wuhan.574940_CSWD', name: 'Wuhan', wmo: '57494', usedFor: 'Wuhan cluster' },
  {
    id: 'zhengzhou',
    file: 'CHN_Henan.Zhengzhou.570830_CSWD',
    name: 'Zhengzhou',
    wmo: '57083',
    usedFor: 'Zhengzhou cluster',
  },
  {
    id: 'pingliang',
    file: 'CHN_Gansu.Pingliang.539150_CSWD',
    name: 'Pingliang',
    wmo: '53915',
    usedFor: 'backup for Qingyang',
  },
  {
    id: 'xian',
    file: 'CHN_Shaanxi.Xian.570360_CSWD',
    name: "Xi'an",
    wmo: '57036',
    usedFor: 'north-west reference',
  },
] as const;

export const WEATHER_DIR = new URL('../../shared/data/weather/china_cswd/', import.meta.url);

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const s of STATIONS) {
    const buf = readFileSync(new URL(`${s.file}.epw`, WEATHER_DIR));
    const sha256 = createHash('sha256').update(buf).digest('hex');
    const year = parseEpw(buf.toString('utf8'), { id: s.id, name: s.name });
    const stats = summarizeClimate(year);
    stats.source = `CSWD ${s.file}.epw`;
    const out = {
      provenance: {
        what: 'Derived daily and monthly statistics of the CSWD typical-year EPW file (daily means/ranges and irradiation, monthly diurnal shapes, monthly wind-speed quantiles, and the design-extreme hours: the 48 highest wet-bulb and 48 highest dry-bulb hours with their dry-bulb and dew point) — not the hourly file itself',
        station: s.name,
        wmo: s.wmo,
        usedFor: s.usedFor,
        file: `${s.file}.epw`,
        sha256,
        attribution:
          'China Standard Weather Data (CSWD): China Meteorological Administration Climate Information Center, Climate Data Office, and Tsinghua University Department of Building Science and Technology; distributed by US DOE EnergyPlus [cswd-weather]',
        derivedBy: 'tools/derive-climate-stats.ts (models/climate.ts summarizeClimate)',
        grade: 'A',
      },
      ...stats,
    };
    writeFileSync(new URL(`../seeds/climate/${s.id}.json`, import.meta.url), `${JSON.stringify(out)}\n`);
    console.log(
      `seeds/climate/${s.id}.json  ${(JSON.stringify(out).length / 1024).toFixed(1)} KB  sha256 ${sha256.slice(0, 12)}…`,
    );
  }
}

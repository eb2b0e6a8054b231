import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sum } from '../../../models/sum.ts';
import { parseEpw } from '../../../server/import/epw.ts';
import { HEADER, setAt, synthetic } from '../../helpers/epw.ts';
import { expectClose, SHARED_DATA } from '../../helpers/tolerance.ts';

describe('EPW importer', () => {
  it('reads location, hourly fields and derives psychrometrics', () => {
    const y = parseEpw(synthetic());
    expect(y.site).toMatchObject({
      name: 'Testville',
      latDeg: 36.05,
      lonDeg: 103.88,
      utcOffsetHours: 8,
      elevationM: 1517.2,
    });
    expect(y.tDryC[100]).toBe(20);
    // 8 h × 100 Wh/m² × 365 days = 292 kWh/m²
    expectClose(sum(y.ghiWhM2) / 1000, 292, { abs: 1e-9 });
    // 20 °C, 50 % RH, sea level: wet-bulb 13.78 °C (psychrolib GetTWetBulbFromRelHum)
    expectClose(y.tWetC[0], 13.78, { abs: 0.01 });
  });

  it('clamps RH above 100 % (CSWD files reach 108 %)', () => {
    const y = parseEpw(synthetic(8760, setAt(5, 8, '108')));
    expect(y.rhPct[5]).toBe(100);
  });

  it('drops 29 February from a leap-year file', () => {
    const lines = synthetic().split('\r\n');
    // insert 24 rows for 29 Feb after 28 Feb (row index 8 + 59*24)
    const at = HEADER.length + 59 * 24;
    const leap = Array.from({ length: 24 }, (_, h) => {
      const f = lines[at].split(',');
      f[1] = '2';
      f[2] = '29';
      f[3] = String(h + 1);
      f[6] = '-40';
      return f.join(',');
    });
    lines.splice(at, 0, ...leap);
    const y = parseEpw(lines.join('\n'));
    expect(Math.min(...y.tDryC)).toBe(20);
  });

  it('rejects bad files with one line naming the line and field', () => {
    expect(() => parseEpw('')).toThrow('epw: empty file');
    expect(() => parseEpw('hello\nworld')).toThrow('epw line 1: expected a LOCATION header');
    expect(() => parseEpw(synthetic(100))).toThrow(
      'epw: expected 8760 hourly rows (or 8784 for a leap year), got 100',
    );
    expect(() => parseEpw(synthetic(8760, setAt(3, 6, 'abc')))).toThrow(
      'epw line 12: dry-bulb "abc" is not a number',
    );
    expect(() => parseEpw(synthetic(8760, setAt(0, 6, '99.9')))).toThrow(
      'epw line 9: dry-bulb is missing (99.9)',
    );
    expect(() => parseEpw(synthetic(8760, (f, i) => i === 1 && f.splice(10)))).toThrow(
      'epw line 10: expected 35 fields, got 10',
    );
  });

  const FILE = `${SHARED_DATA}weather/china_cswd/CHN_Gansu.Lanzhou.528890_CSWD.epw`;
  it.skipIf(!existsSync(FILE))(
    'reads the real Lanzhou CSWD file (PROVENANCE.md: mean 10.25 °C, GHI 1,403 kWh/m²)',
    () => {
      const y = parseEpw(readFileSync(FILE, 'utf8'));
      expectClose(sum(y.tDryC) / 8760, 10.25, { abs: 0.01 });
      expectClose(sum(y.ghiWhM2) / 1000, 1403, { abs: 1 });
      expect(y.site.wmo).toBe('528890');
    },
  );
});

import { describe, expect, it } from 'vitest';
import { parseEpw } from '../../../server/import/epw.ts';

const HEADER = [
  'LOCATION,Testville,Gansu,CHN,TEST,123450,36.05,103.88,8.0,1517.2',
  'DESIGN CONDITIONS,0',
  'TYPICAL/EXTREME PERIODS,0',
  'GROUND TEMPERATURES,0',
  'HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0',
  'COMMENTS 1,synthetic',
  'COMMENTS 2,synthetic',
  'DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31',
];

/** A synthetic EPW year: constant 20 °C, 50 % RH, 101,325 Pa; GHI 100 Wh/m² from 08:00 to 16:00. */
function synthetic(rows = 8760, edit?: (fields: string[], i: number) => void): string {
  const lines = [...HEADER];
  const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let i = 0;
  for (let m = 0; m < 12; m++) {
    for (let d = 1; d <= days[m]; d++) {
      for (let h = 1; h <= 24; h++) {
        if (i >= rows) break;
        const f = new Array(35).fill('0');
        f[0] = '2005';
        f[1] = String(m + 1);
        f[2] = String(d);
        f[3] = String(h);
        f[6] = '20.0';
        f[7] = '9.3';
        f[8] = '50';
        f[9] = '101325';
        f[13] = h > 8 && h <= 16 ? '100' : '0';
        f[14] = '0';
        f[15] = f[13];
        f[21] = '2.0';
        edit?.(f, i);
        lines.push(f.join(','));
        i++;
      }
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** An edit for `synthetic`: set field `col` of data row `row`. */
const setAt = (row: number, col: number, value: string) => (fields: string[], i: number) => {
  if (i === row) fields[col] = value;
};

/** Replace data row `row` (0-based) with `fn` of its fields. */
const rowEdit = (text: string, row: number, fn: (fields: string[]) => string) => {
  const lines = text.split('\r\n');
  lines[HEADER.length + row] = fn(lines[HEADER.length + row].split(','));
  return lines.join('\r\n');
};

describe('EPW importer refuses malformed rows (issue 10, point 11)', () => {
  it('a truncated last row', () => {
    const t = rowEdit(synthetic(), 8759, (f) => f.slice(0, 12).join(','));
    expect(() => parseEpw(t)).toThrow(/epw line 8768: expected 35 fields, got 12/);
  });
  it('rows of 25 or 40 fields', () => {
    expect(() => parseEpw(rowEdit(synthetic(), 5, (f) => f.slice(0, 25).join(',')))).toThrow(
      /epw line 14: expected 35 fields, got 25/,
    );
    expect(() => parseEpw(rowEdit(synthetic(), 5, (f) => [...f, '0', '0', '0', '0', '0'].join(',')))).toThrow(
      /epw line 14: expected 35 fields, got 40/,
    );
  });
  it('hexadecimal and other non-decimal numbers', () => {
    for (const v of ['0x10', '0b1', '0o7', 'Infinity', '1e999', ' ']) {
      expect(() => parseEpw(synthetic(8760, setAt(3, 6, v)))).toThrow(
        /epw line 12: dry-bulb .* is not a number/,
      );
    }
  });
  it('month 13, day 32, hour 25', () => {
    expect(() => parseEpw(synthetic(8760, setAt(0, 1, '13')))).toThrow(
      /epw line 9: month 13 is not a whole number 1–12/,
    );
    expect(() => parseEpw(synthetic(8760, setAt(0, 2, '32')))).toThrow(
      /epw line 9: day 32 is not a whole number 1–31/,
    );
    expect(() => parseEpw(synthetic(8760, setAt(0, 3, '25')))).toThrow(
      /epw line 9: hour 25 is not a whole number 1–24/,
    );
  });
  it('still reads a well-formed file, with decimals such as "-.5" and "+3"', () => {
    expect(parseEpw(synthetic(8760, setAt(0, 6, '-.5'))).tDryC[0]).toBe(-0.5);
  });
});

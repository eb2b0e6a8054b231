import { describe, expect, it } from 'vitest';
import { parseEpw } from '../../../server/import/epw.ts';
import { HEADER, setAt, synthetic } from '../../helpers/epw.ts';

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

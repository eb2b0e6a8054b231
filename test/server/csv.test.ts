import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../models/result.ts';
import { csvTable } from '../../server/csv.ts';
import { formatCsv } from '../../server/format.ts';

describe('CSV writer (d3-dsv)', () => {
  it('quotes a cell with a comma, a quote, LF or CR (quotes doubled), and nothing else', () => {
    // RFC 4180 §2.6–2.7, worked by hand.
    expect(csvTable([['a,b', 'say "hi"', 'two\nlines', 'cr\rhere', 'plain']])).toBe(
      '"a,b","say ""hi""","two\nlines","cr\rhere",plain\n',
    );
  });

  it('writes CJK text as it is, unquoted', () => {
    expect(csvTable([['兰州新区', '庆阳 数据中心']])).toBe('兰州新区,庆阳 数据中心\n');
  });

  it('writes null as an empty cell and numbers to 10 significant digits', () => {
    expect(csvTable([[null, undefined, 3, 1 / 3, 1.23456789012e-7, true]])).toBe(
      ',,3,0.3333333333,1.23456789e-7,true\n',
    );
  });

  it('annual CSV quotes a cluster id that needs it', () => {
    const result = {
      clusters: [{ clusterId: '甘肃,"庆阳"', annual: [{ year: 2030 }] }],
    } as unknown as RunResult;
    const [head, row] = formatCsv(result).split('\n');
    expect(head.startsWith('clusterId,year,')).toBe(true);
    expect(row.startsWith('"甘肃,""庆阳""",2030,')).toBe(true);
  });
});

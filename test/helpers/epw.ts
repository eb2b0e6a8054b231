// A synthetic EPW file for the importer's tests.

/** The eight header lines of an EPW file (location: a made-up station near Lanzhou). */
export const HEADER = [
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
export function synthetic(rows = 8760, edit?: (fields: string[], i: number) => void): string {
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
export const setAt = (row: number, col: number, value: string) => (fields: string[], i: number) => {
  if (i === row) fields[col] = value;
};

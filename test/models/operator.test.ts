import { describe, expect, it } from 'vitest';
import { runCheck } from '../../models/operator/check.ts';
import { parseTimestamp, readMeterCsv } from '../../models/operator/meter.ts';
import { meteredMetrics } from '../../models/operator/metrics.ts';
import { parseScenario } from '../../models/scenario.ts';
import { prepareRun, simulate } from '../../models/simulate.ts';
import { engineReference, seededClimates } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

const ref = engineReference();
const site = (cluster: string) => ({
  cref: ref.clusters[cluster],
  targets: ref.targets,
  gb40879Thresholds: ref.gb40879Thresholds,
});
const pad = (n: number) => String(n).padStart(2, '0');
/** China-time ISO of hour h of 2025 (no offset written: read as UTC+8). */
function hourStamp(h: number): string {
  const d = new Date(Date.UTC(2025, 0, 1) + h * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:00`;
}
const JULY = [4344, 5088]; // hours of July in 2025 (day 181 × 24 to day 212 × 24)

/** An hourly 2025 with 1,000 kWh of IT every hour, PUE 1.30 and 1.35 in July; water 0.1 m³ an hour. */
function hourlyYear(extra = ''): string {
  const lines = [`timestamp,it_kwh,facility_kwh,water_m3${extra ? `,${extra}` : ''}`];
  for (let h = 0; h < 8760; h++) {
    const july = h >= JULY[0] && h < JULY[1];
    lines.push(`${hourStamp(h)},1000,${july ? 1350 : 1300},0.1${extra ? ',0' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('meter files (issue 21, point 1)', () => {
  it('reads ISO 8601 times with an offset, in China time without one, days and months', () => {
    expect(parseTimestamp('2025-01-01T00:00+08:00')!.ms).toBe(Date.UTC(2024, 11, 31, 16));
    expect(parseTimestamp('2025-01-01 08:00')!.ms).toBe(Date.UTC(2025, 0, 1, 0));
    expect(parseTimestamp('2025-01-01T00:00Z')!.ms).toBe(Date.UTC(2025, 0, 1, 0));
    expect(parseTimestamp('2025-03')).toMatchObject({ unit: 'month', ms: Date.UTC(2025, 1, 28, 16) });
    expect(parseTimestamp('2025-02-29')).toBeNull(); // 2025 is not a leap year
    expect(parseTimestamp('01/02/2025')).toBeNull();
  });

  it('an hourly year with PUE 1.30 and July 1.35: the period PUE is energy-weighted, July is 1.35', () => {
    const r = readMeterCsv(hourlyYear());
    expect(r.refusal).toBeNull();
    const m = meteredMetrics(r.data!, site('lanzhou'));
    expect(m.coverage).toMatchObject({ interval: 60, rows: 8760, expectedRows: 8760, share: 1, gaps: [] });
    // (1,300 × 8,016 + 1,350 × 744) ÷ (1,000 × 8,760) = 11,425,200 ÷ 8,760,000 = 1.3042466
    expectClose(m.period.pue!, 11_425_200 / 8_760_000, { rel: 1e-12 });
    expect(m.monthly.map((x) => x.month)).toHaveLength(12);
    expectClose(m.monthly[6].pue!, 1.35, { rel: 1e-12 });
    expectClose(m.monthly[0].pue!, 1.3, { rel: 1e-12 });
    // WUE: 0.1 m³ = 100 L per 1,000 kWh → 0.1 L/kWh
    expectClose(m.period.wueLPerKwh!, 0.1, { rel: 1e-12 });
    // GB 40879 grade 3 (1.30 < PUE ≤ 1.50); the annual totals need no scaling
    expect(m.period.gb40879Grade).toBe(3);
    expectClose(m.coverage.annualised!.factor, 1, { rel: 1e-12 });
    expect(m.category.byResolution).toBe(2);
  });

  it('CUE location-based uses the province factor of the year; market-based nets green power on the residual mix', () => {
    const text =
      'timestamp,it_kwh,facility_kwh,contracted_green_kwh,certificates_mwh\n2023-01,1000,1200,300,0.1\n2023-02,1000,1200,300,0.1\n';
    const m = meteredMetrics(readMeterCsv(text).data!, site('lanzhou'));
    // Gansu 2023: 0.4471 kg/kWh; residual mix 2023: 0.6096 (MEE/NBS 2025 No. 47)
    // location: 2,400 kWh × 0.4471 ÷ 2,000 = 0.53652; market: (2,400 − 600 − 200) × 0.6096 ÷ 2,000 = 0.48768
    expectClose(m.period.cueLocationKgPerKwh!, 0.53652, { rel: 1e-9 });
    expectClose(m.period.cueMarketKgPerKwh!, 0.48768, { rel: 1e-9 });
    // REF = (600 + 200) ÷ 2,400
    expectClose(m.period.ref!, 1 / 3, { rel: 1e-12 });
    expect(m.coverage.interval).toBe('month');
  });

  it('a 15-minute week: category 3 resolution, pPUE of cooling, ERF', () => {
    const lines = ['timestamp,it_kwh,facility_kwh,cooling_kwh,reused_heat_kwh'];
    const t0 = Date.UTC(2025, 5, 2, 0) - 8 * 3_600_000; // 2025-06-02 00:00 China time
    for (let i = 0; i < 7 * 96; i++) lines.push(`${new Date(t0 + i * 900_000).toISOString()},250,320,50,32`);
    const m = meteredMetrics(readMeterCsv(lines.join('\n')).data!, {
      ...site('qingyang'),
      itMeterPoint: 'it',
    });
    expect(m.coverage).toMatchObject({ interval: 15, rows: 672, expectedRows: 672 });
    expectClose(m.period.pue!, 1.28, { rel: 1e-12 });
    expectClose(m.period.pPueCooling!, 1.2, { rel: 1e-12 }); // (250 + 50) ÷ 250
    expectClose(m.period.erf!, 0.1, { rel: 1e-12 }); // 32 ÷ 320
    expect(m.category).toMatchObject({ byResolution: 3, atPoint: 3 });
    expect(m.coverage.annualised).toBeNull(); // a week is not a year
  });

  it('benchmarks: met or missed over the period, with the months that miss and by how much', () => {
    const m = meteredMetrics(readMeterCsv(hourlyYear()).data!, site('qingyang'));
    const hub = m.benchmarks.find((b) => b.id === 'hub-pue-1.2')!;
    expect(hub.met).toBe(false);
    expect(hub.monthsMissed).toHaveLength(12);
    expectClose(hub.monthsMissed[6].by, 0.15, { abs: 1e-12 });
    const large = m.benchmarks.find((b) => b.id === 'national-large-pue-1.3')!;
    expect(large.met).toBe(false); // 1.3042 is not < 1.3
    expect(large.monthsMissed.map((x) => x.month)).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
    ]);
    // cluster- and province-wide totals are not one site's
    expect(m.benchmarks.map((b) => b.id)).not.toContain('qingyang-2025-racks-100k');
  });

  it('gaps are reported as coverage, and a year with a small gap is annualised and says so', () => {
    const text = hourlyYear()
      .split('\n')
      .filter((_, i) => i < 2 || i > 26) // drop 25 hours after the first row
      .join('\n');
    const m = meteredMetrics(readMeterCsv(text).data!, site('wuhan'));
    expect(m.coverage.gaps).toEqual([
      { afterLine: 2, from: '2025-01-01T01:00+08:00', to: '2025-01-02T02:00+08:00', missing: 25 },
    ]);
    expect(m.coverage.rows).toBe(8735);
    expectClose(m.coverage.annualised!.factor, 8760 / 8735, { rel: 1e-12 });
    expect(m.coverage.note).toMatch(/scaled by 1\.0029/);
  });
});

describe('meter files with defects: each with its line and column, nothing kept', () => {
  const refuse = (text: string) => {
    const r = readMeterCsv(text);
    expect(r.data).toBeNull();
    return r.refusal!.defects;
  };
  it('a missing required column', () => {
    expect(refuse('timestamp,it_kwh\n2025-01,1\n')).toEqual([
      {
        line: 1,
        column: 'facility_kwh',
        message: expect.stringMatching(/required column "facility_kwh" is missing/),
      },
    ]);
  });
  it('bad values, impossible values, bad times, duplicates and short rows, all at once', () => {
    const d = refuse(
      [
        'timestamp,it_kwh,facility_kwh,water_m3,cooling_kwh',
        '2025-01-01 00:00,100,130,0.1,20', // line 2 ok
        '2025-01-01 01:00,abc,130,0.1,20', // 3: not a number
        '2025-01-01 02:00,100,-5,0.1,20', // 4: negative
        '2025-01-01 03:00,100,90,0.1,0', // 5: facility < IT, water with no cooling
        'yesterday,100,130,0.1,20', // 6: bad time
        '2025-01-01 00:00,100,130,0.1,20', // 7: out of order
        '2025-01-01 04:00,100,130', // 8: 3 fields
      ].join('\n'),
    );
    expect(d.map((x) => [x.line, x.column])).toEqual([
      [3, 'it_kwh'],
      [4, 'facility_kwh'],
      [5, 'facility_kwh'],
      [5, 'water_m3'],
      [6, 'timestamp'],
      [7, 'timestamp'],
      [8, null],
    ]);
    expect(d[5].message).toMatch(/earlier than line 2|repeats the time of line 2/);
  });
  it('a duplicate row names the line it repeats; more than 20 defects are counted', () => {
    expect(refuse('timestamp,it_kwh,facility_kwh\n2025-01,1,2\n2025-01,1,2\n')[0]).toMatchObject({
      line: 3,
      column: 'timestamp',
      message: expect.stringMatching(/repeats the time of line 2/),
    });
    const many = [
      'timestamp,it_kwh,facility_kwh',
      ...Array.from({ length: 30 }, (_, i) => `2025-01-01 ${pad(i % 24)}:00,-1,2`),
    ];
    const r = readMeterCsv(many.join('\n'));
    expect(r.refusal!.defects).toHaveLength(20);
    expect(r.refusal!.total).toBeGreaterThan(20);
  });
});

describe('expected versus measured, and calibration (issue 21, point 4)', () => {
  /** A year of hourly meter rows made by the engine for a 6 MW Lanzhou site (occupancy 0.7), with noise. */
  function engineYear(
    overrides: Record<string, number>,
    noise: number,
    fault?: { month: number; by: number },
  ) {
    const s = parseScenario({
      name: 'synthetic site',
      startYear: 2025,
      years: 1,
      clusters: [
        {
          cluster: 'lanzhou',
          buildout: [{ year: 2025, itPowerKw: '6 MW', kwPerRack: '5 kW' }],
          occupancy: 0.7,
          cooling: { design: 'water-cooled-chiller-wse', facilityClass: 'large', overrides },
        },
      ],
    });
    const h = simulate(prepareRun(s, ref), ref, { keepHourly: () => true }).hourly[0];
    let seed = 7;
    const rand = () => {
      seed = (seed * 16807) % 2147483647; // Park–Miller, a fixed seed
      return seed / 2147483647;
    };
    const lines = ['timestamp,it_kwh,facility_kwh'];
    for (let k = 0; k < 8760; k++) {
      const month = Number(hourStamp(k).slice(5, 7));
      const over =
        (h.facilityKw[k] - h.itKw[k]) *
        (1 + noise * (2 * rand() - 1)) *
        (fault?.month === month ? 1 + fault.by : 1);
      lines.push(`${hourStamp(k)},${h.itKw[k].toFixed(2)},${(h.itKw[k] + over).toFixed(2)}`);
    }
    return lines.join('\n');
  }
  const station = seededClimates().lanzhou;
  const plant = {
    cluster: 'lanzhou',
    cooling: 'water-cooled-chiller-wse',
    facilityClass: 'large',
    designItKw: 6000,
    upsOnlineKw: 4200,
  };

  it("the engine's own year is expected back month by month, and calibration recovers a changed fixed load", () => {
    // the site draws 4.5 % of its IT design power for lighting and misc. where the class's midpoint is 3.5 %
    const r = runCheck(engineYear({ lightingFraction: 0.045 }, 0.01), plant, ref, station);
    if (!r.ok) throw new Error('refused');
    const c = r.result.calibration;
    expect(c.claim).toBe(true);
    const fitted = c.params.find((p) => p.key === 'lightingFraction')!;
    expectClose(fitted.value, 0.045, { abs: 0.002 });
    expect(c.rmseTest!).toBeLessThan(0.005);
    expect(c.rmseBefore).toBeGreaterThan(0.005); // the uncalibrated model was off by the extra 1 %
  });

  it('a month the operation spoiled is said (not the weather) and left out of the fit', () => {
    const r = runCheck(engineYear({}, 0.01, { month: 8, by: 0.08 }), plant, ref, station);
    if (!r.ok) throw new Error('refused');
    const aug = r.result.monthly.find((x) => x.month === '2025-08')!;
    expect(aug.operationFlag).toBe(true);
    expect(aug.pue! - aug.expectedPue!).toBeGreaterThan(0.02);
    expect(r.result.monthly.filter((x) => x.operationFlag)).toHaveLength(1);
    expect(r.result.warnings.join(' ')).toMatch(/2025-08: .*the operation, not the weather/);
    expect(r.result.calibration.claim).toBe(true);
  });

  it('refuses to claim a calibration the data cannot support', () => {
    // three months of data: too few to fit and test
    const text = engineYear({}, 0.01)
      .split('\n')
      .filter(
        (l, i) => i === 0 || l.startsWith('2025-01') || l.startsWith('2025-02') || l.startsWith('2025-03'),
      )
      .join('\n');
    const r = runCheck(text, plant, ref, station);
    if (!r.ok) throw new Error('refused');
    expect(r.result.calibration).toMatchObject({ claim: false, params: [] });
    expect(r.result.calibration.reason).toMatch(/at least 6 months/);
  });
});

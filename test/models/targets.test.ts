import { describe, expect, it } from 'vitest';
import { evaluateTargets, gb40879Grade, type TargetDef, type TargetMetrics } from '../../models/targets.ts';

const base = { source: 's', grade: 'B', unit: '' };
const metrics = (year: number, pue: number | null): TargetMetrics => ({
  year,
  pue,
  occupancy: 0.6,
  greenShare: 0,
  standardRacks: 1000,
  racksInService: 1000,
  outboundCapacityGbps: null,
  gb40879Grade: null,
  wueLPerKwh: null,
});

describe('targets', () => {
  it('GB 40879 grade follows the 1.20 / 1.30 / 1.50 thresholds', () => {
    // facts.md §2 thresholds (grade C): ≤ 1.20 grade 1, ≤ 1.30 grade 2, ≤ 1.50 grade 3, worse fails
    const t: [number, number, number] = [1.2, 1.3, 1.5];
    expect([1.15, 1.2, 1.25, 1.3, 1.45, 1.6].map((p) => gb40879Grade(p, t))).toEqual([1, 1, 2, 2, 3, 4]);
  });

  it('a deadline target is checked only in its year; a standing target every year from fromYear', () => {
    const defs: TargetDef[] = [
      { ...base, id: 'deadline', label: 'd', metric: 'pue', comparator: '<', limit: 1.3, year: 2026 },
      { ...base, id: 'standing', label: 's', metric: 'pue', comparator: '<=', limit: 1.2, fromYear: 2026 },
    ];
    const checks = evaluateTargets(defs, [metrics(2025, 1.25), metrics(2026, 1.2), metrics(2027, 1.21)]);
    expect(checks.map((c) => [c.id, c.year, c.met])).toEqual([
      ['deadline', 2026, true],
      ['standing', 2026, true],
      ['standing', 2027, false],
    ]);
  });

  it('a metric the run did not compute gives value null and met null', () => {
    const defs: TargetDef[] = [
      { ...base, id: 'bw', label: 'b', metric: 'outboundCapacityGbps', comparator: '>=', limit: 2000 },
    ];
    expect(evaluateTargets(defs, [metrics(2020, 1.3)])[0]).toMatchObject({ value: null, met: null });
  });
});

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../models/scenario.ts';
import { prepareRun } from '../../models/simulate.ts';
import {
  EXTENSIVE_METRICS,
  evaluateTargets,
  gb40879Grade,
  TARGET_SCOPES,
  type TargetDef,
  type TargetMetrics,
} from '../../models/targets.ts';
import { engineReference, SEEDS } from '../../seeds/index.ts';

const base = { source: 's', grade: 'B', unit: '', scope: 'project' as const };
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

describe('targets bound to cluster properties (issue 8, point 13)', () => {
  // The hub-node caps (NDRC reply approving the Gansu hub node [gansu-hub-approval-2021]) apply to every
  // national hub-node cluster, the MIIT cold-zone cap to every cluster in a cold zone (GB 50176 zoning) —
  // including clusters a user adds, not only the seeded ids.
  const qy = SEEDS.clusters.find((c) => c.id === 'qingyang')!;
  const wh = SEEDS.clusters.find((c) => c.id === 'wuhan')!;
  const ref = engineReference({
    extraClusters: [
      { ...qy, id: 'new-hub', name: 'A user-added hub node' },
      { ...wh, id: 'new-south', name: 'A user-added hot-summer site', hubNode: false },
    ],
  });
  const ids = (cluster: string) => {
    const run = prepareRun(
      parseScenario({
        name: 't',
        startYear: 2025,
        years: 1,
        clusters: [
          {
            cluster,
            buildout: [{ year: 2025, racks: 100, kwPerRack: 5 }],
            occupancy: 0.7,
            cooling: { design: 'water-cooled-chiller-wse' },
          },
        ],
      }),
      ref,
    );
    return run.clusters[0].targets.map((t) => t.id);
  };

  it('a user-added hub-node cluster gets the hub caps; a non-hub cluster does not', () => {
    const hub = ids('new-hub');
    expect(hub).toContain('hub-pue-1.2');
    expect(hub).toContain('hub-occupancy-65');
    expect(hub).toContain('national-hub-pue-1.25');
    expect(hub).toContain('miit-2023-pue-cold');
    expect(hub).not.toContain('qingyang-2025-racks-100k'); // a Qingyang city plan stays Qingyang's
    const south = ids('new-south');
    expect(south).not.toContain('hub-pue-1.2');
    expect(south).not.toContain('miit-2023-pue-cold');
    expect(south).toContain('miit-2023-pue');
    expect(south).toContain('hubei-pue-1.3');
  });

  it('every seeded target says which property binds it', () => {
    for (const t of SEEDS.targets)
      expect(t.appliesTo === 'all' || !Array.isArray(t.appliesTo), t.id).toBe(true);
  });
});

describe('targets at their own scope (issue 20, point 6)', () => {
  const ref = engineReference();
  const project = (cluster: string, targets?: { include: string[] }) =>
    prepareRun(
      parseScenario({
        name: 't',
        startYear: 2025,
        years: 1,
        clusters: [
          {
            cluster,
            buildout: [{ year: 2025, itPowerKw: '10 MW', kwPerRack: '5 kW' }],
            occupancy: 0.65,
            cooling: { design: 'water-cooled-chiller-wse', facilityClass: 'hyperscale' },
            ...(targets ? { targets } : {}),
          },
        ],
      }),
      ref,
    ).clusters[0].targets.map((t) => t.id);

  it('a total over a cluster, a province or the nation (racks, bandwidth) is opt-in; every target has a scope', () => {
    for (const t of SEEDS.targets) {
      expect(TARGET_SCOPES, t.id).toContain(t.scope);
      if (t.scope !== 'project' && EXTENSIVE_METRICS.includes(t.metric)) expect(t.optIn, t.id).toBe(true);
    }
  });

  it("one 10 MW Qingyang project is not scored against the cluster's 100,000 and 800,000 standard racks, unless it asks", () => {
    // The complaint: "missed by −796,000 racks" for a single project
    const mine = project('qingyang');
    expect(mine).not.toContain('qingyang-2025-racks-100k');
    expect(mine).not.toContain('qingyang-2032-racks-800k');
    expect(mine).toContain('hub-pue-1.2'); // a cluster-wide average: the project is held to it as a proxy
    expect(project('qingyang', { include: ['qingyang-2025-racks-100k'] })).toContain(
      'qingyang-2025-racks-100k',
    );
    expect(project('lanzhou')).not.toContain('gansu-2017-racks');
  });

  it('the 2024 action plan binds new large DCs at ≤ 1.25 and hub-node DCs at ≤ 1.2', () => {
    // 《数据中心绿色低碳发展专项行动计划》 (2024-07-23) as reported: ≤ 1.25 by end-2025, hub nodes ≤ 1.2
    const byId = new Map(SEEDS.targets.map((t) => [t.id, t]));
    expect(byId.get('action-2025-pue-1.25')).toMatchObject({
      limit: 1.25,
      comparator: '<=',
      scope: 'project',
    });
    expect(byId.get('action-2025-hub-pue-1.2')).toMatchObject({ limit: 1.2, appliesTo: { hubNode: true } });
    expect(project('wuhan')).toContain('action-2025-pue-1.25');
    expect(project('wuhan')).not.toContain('action-2025-hub-pue-1.2');
    expect(project('qingyang')).toContain('action-2025-hub-pue-1.2');
    expect(byId.get('gb40879-limit')?.note).toContain('revision');
  });
});

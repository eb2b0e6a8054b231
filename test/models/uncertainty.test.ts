import { describe, expect, it } from 'vitest';
import { median, normalQuantile, quantile, truncatedCdf } from '../../models/distribution.ts';
import { GRADE_BANDS } from '../../models/grade-bands.ts';
import { prepareRun } from '../../models/prepare/cluster.ts';
import { imanConover, latinHypercube, rankCorrelation, rng } from '../../models/sampling.ts';
import { parseScenario, ValidationError } from '../../models/scenario.ts';
import { engineCache, simulate } from '../../models/simulate.ts';
import { monteCarlo } from '../../models/uncertainty/montecarlo.ts';
import { gradeInputs, samplingPlan, scenarioInputs } from '../../models/uncertainty/plan.ts';
import { spreadOf } from '../../models/uncertainty/summary.ts';
import { engineReference } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

const ref = engineReference();
const cache = engineCache();

/** A small one-cluster scenario: 2 MW in Lanzhou for two years (fast to sample). */
function small(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'uncertainty test',
    startYear: 2025,
    years: 2,
    clusters: [
      {
        cluster: 'lanzhou',
        buildout: [{ year: 2025, itPowerKw: '2 MW', kwPerRack: '5 kW' }],
        occupancy: 0.6,
        cooling: { design: 'water-cooled-chiller-wse', facilityClass: 'hyperscale' },
        ...extra,
      },
    ],
  };
}

describe('distributions', () => {
  it('give their quantiles and medians by hand', () => {
    // Triangular(0, 0, 1): F(x) = 1 − (1 − x)², so F⁻¹(0.75) = 1 − √0.25 = 0.5.
    expectClose(quantile({ dist: 'triangular', min: 0, mode: 0, max: 1 }, 0.75), 0.5, { abs: 1e-12 });
    // Uniform 2–4: the median is 3.
    expect(median({ dist: 'uniform', min: 2, max: 4 })).toBe(3);
    // Lognormal of the quantity, mean 1, sd 0.5: σ² = ln 1.25, μ = −σ²/2, median e^μ = 1.25^−½.
    expectClose(median({ dist: 'lognormal', mean: 1, sd: 0.5 }), 1 / Math.sqrt(1.25), { abs: 1e-12 });
    // Φ⁻¹(0.975) = 1.959963984540054 (any normal table).
    expectClose(normalQuantile(0.975), 1.959963984540054, { abs: 1e-14 });
    // Discrete 1, 2, 3 with weights 1, 1, 2: cumulative ¼, ½, 1 — the median is 2, the P90 3.
    const d = { dist: 'discrete' as const, values: [3, 1, 2], weights: [2, 1, 1] };
    expect(median(d)).toBe(2);
    expect(quantile(d, 0.9)).toBe(3);
    // A normal truncated to [0, 1] keeps its quantiles inside.
    expect(quantile({ dist: 'normal', mean: 0.95, sd: 0.2 }, 0.999, { min: 0, max: 1 })).toBeLessThanOrEqual(
      1,
    );
  });

  it('a plain simulate uses each distribution’s median and lists it', () => {
    const s = small({ occupancy: { dist: 'triangular', min: 0.4, mode: 0.6, max: 0.8 } });
    const run = prepareRun(parseScenario(s), ref, { cache });
    const { hourly: _h, ...r } = simulate(run, ref, { cache });
    // The triangle is symmetric: its median is its mode.
    expectClose(r.clusters[0].annual[0].occupancy, 0.6, { abs: 1e-12 });
    const listed = r.clusters[0].assumptions.find((a) => a.field === 'occupancy');
    expect(listed?.grade).toBe('input');
    expect(listed?.source).toMatch(/median of the scenario's triangular 0.4–0.8/);
  });

  it('a bad distribution is refused with every broken rule, each naming its field', () => {
    const s = small({ occupancy: { dist: 'uniform', min: -0.1, max: 1.2, extra: 1 } });
    try {
      prepareRun(parseScenario(s), ref);
      expect.fail('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).errors.map((x) => `${x.path}: ${x.message}`)).toEqual([
        'clusters[0].occupancy.extra: unknown parameter of a uniform distribution (known: min, max, unit)',
        'clusters[0].occupancy.min: must be ≥ 0',
        'clusters[0].occupancy.max: must be ≤ 1',
      ]);
    }
  });

  it('reads a unit string: a price in CNY/MWh on a CNY/kWh field', () => {
    const s = small({
      tariff: { energyPriceCnyPerKwh: { dist: 'uniform', min: 250, max: 350, unit: 'CNY/MWh' } },
    });
    const [x] = scenarioInputs(parseScenario(s), s);
    const d = x.dist as { dist: string; min: number; max: number };
    expect(d.dist).toBe('uniform');
    expectClose(d.min, 0.25, { abs: 1e-12 });
    expectClose(d.max, 0.35, { abs: 1e-12 });
  });
});

describe('sampling', () => {
  it('a Latin hypercube puts exactly one sample in each stratum of every input', () => {
    const n = 50;
    const u = latinHypercube(n, 3, rng(11));
    for (let j = 0; j < 3; j++) {
      const strata = Array.from(u.subarray(j * n, (j + 1) * n), (v) => Math.floor(v * n)).sort(
        (a, b) => a - b,
      );
      expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('an input’s drawn values fall one per stratum of its own distribution', () => {
    const s = small({ occupancy: { dist: 'normal', mean: 0.6, sd: 0.1 } });
    const inputs = scenarioInputs(parseScenario(s), s);
    const n = 40;
    const u = samplingPlan(inputs, { samples: n, seed: 3 });
    const strata = Array.from({ length: n }, (_, i) => {
      const v = quantile(inputs[0].dist, u[i], inputs[0].bounds);
      return Math.min(n - 1, Math.floor(truncatedCdf(inputs[0].dist, v, inputs[0].bounds) * n + 1e-9));
    }).sort((a, b) => a - b);
    expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('Iman–Conover gives the asked rank correlation and keeps the strata', () => {
    const n = 500;
    const u = latinHypercube(n, 2, rng(5));
    imanConover(u, n, 2, Float64Array.from([1, 0.8, 0.8, 1]));
    expect(Math.abs(rankCorrelation(u.subarray(0, n), u.subarray(n)) - 0.8)).toBeLessThan(0.03);
    const strata = Array.from(u.subarray(n), (v) => Math.floor(v * n)).sort((a, b) => a - b);
    expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('the same seed gives the same plan; another seed another', () => {
    const s = small({ occupancy: { dist: 'uniform', min: 0.4, max: 0.8 } });
    const inputs = scenarioInputs(parseScenario(s), s);
    expect(samplingPlan(inputs, { samples: 20, seed: 9 })).toEqual(
      samplingPlan(inputs, { samples: 20, seed: 9 }),
    );
    expect(samplingPlan(inputs, { samples: 20, seed: 9 })).not.toEqual(
      samplingPlan(inputs, { samples: 20, seed: 10 }),
    );
  });
});

describe('Monte Carlo', () => {
  it('quantiles are simple-statistics’ on a small sample, as by hand', () => {
    // 1 … 10 sorted: the quantile at p interpolates at h = (n − 1)·p (Hyndman & Fan type 7): P10 at
    // h = 0.9 → 1 + 0.9 = 1.9, P50 at h = 4.5 → 5.5, P90 at h = 8.1 → 9.1.
    const s = spreadOf([7, 2, 9, 1, 10, 4, 3, 8, 6, 5])!;
    const hand = [1.9, 5.5, 9.1, 5.5];
    [s.p10, s.p50, s.p90, s.mean].forEach((v, i) => {
      expectClose(v, hand[i], { abs: 1e-12 });
    });
    expectClose(s.sd, Math.sqrt(82.5 / 9), { abs: 1e-12 }); // Σ(x − 5.5)² = 82.5, n − 1 = 9
    // 1, 2, 3: h = 2 × 0.1 = 0.2 → 1.2; h = 1.8 → 2.8.
    expectClose(spreadOf([3, 1, 2])!.p10, 1.2, { abs: 1e-12 });
    expectClose(spreadOf([3, 1, 2])!.p90, 2.8, { abs: 1e-12 });
  });

  it('an input that enters linearly gives the analytic quantiles within sampling error', () => {
    // Other opex X ~ U(0, 20 M CNY/yr) adds X × years ÷ rack-years to the cost per rack-year: linear.
    // α and β from two plain runs at X = 0 and X = 20 M; then Y_p = α + β·20M·p for p = 0.1, 0.5, 0.9.
    const at = (x: number) => {
      const run = prepareRun(parseScenario(small({ finance: { otherOpexCnyPerYear: x } })), ref, { cache });
      return simulate(run, ref, { cache }).clusters[0].finance.costPerRackYearCny as number;
    };
    const a = at(0);
    const beta = (at(20e6) - a) / 20e6;
    const n = 60;
    const r = monteCarlo(
      small({ finance: { otherOpexCnyPerYear: { dist: 'uniform', min: 0, max: 2e7 } } }),
      ref,
      {
        samples: n,
        seed: 1,
        cache,
      },
    );
    const got = r.clusters[0].finance.costPerRackYearCny!;
    // A Latin hypercube's empirical quantile of a uniform lies within 1/n of the true one.
    for (const [p, v] of [
      [0.1, got.p10],
      [0.5, got.p50],
      [0.9, got.p90],
    ] as const)
      expectClose(v, a + beta * 2e7 * p, { abs: Math.abs(beta) * 2e7 * (1.5 / n) });
    expectClose(got.mean, a + beta * 1e7, { abs: Math.abs(beta) * 2e7 * (1 / n) });
  });

  it('the grade bands are applied to exactly the defaults the run used', () => {
    const s = small({
      green: { pv: { dcKw: '1 MW' }, battery: { energyKwh: 1000, powerKw: 500, policy: 'arbitrage' } },
    });
    const run = prepareRun(parseScenario(s), ref, { cache });
    const { inputs, unbanded } = gradeInputs(run);
    const listed = run.clusters[0].assumptions.filter((a) => a.grade !== 'input').map((a) => a.field);
    const banded = inputs.map((x) => x.field);
    // Every listed default is banded or said not to be, once; nothing else is banded.
    expect([...banded, ...unbanded.map((u) => u.field)].sort()).toEqual([...listed].sort());
    // Each band is its grade's, and every number listed (but for 0, conventions and whole numbers) has one.
    for (const x of inputs)
      expect(x.dist).toEqual({
        dist: 'triangular',
        min: 1 - GRADE_BANDS[x.grade as keyof typeof GRADE_BANDS].band,
        mode: 1,
        max: 1 + GRADE_BANDS[x.grade as keyof typeof GRADE_BANDS].band,
      });
    expect(banded).toContain('finance.buildCnyPerKwIt');
    expect(banded).toContain('green.pv.overrides.systemLoss');
    expect(banded).toContain('green.battery.roundTripEfficiency');
    expect(banded).toContain('cooling.overrides.upsEfficiency');
    expect(unbanded.find((u) => u.field === 'green.pv.tiltDeg')?.why).toMatch(/design choice/);
    // A factor moves exactly its default: build cost × 1.1.
    const moved = prepareRun(parseScenario(s), ref, {
      cache,
      sample: { factors: { 'clusters[0].finance.buildCnyPerKwIt': 1.1 } },
    });
    const cap = (r: typeof run) => r.clusters[0].finance.capex as { cnyPerKw: (y: number) => number };
    expectClose(cap(moved).cnyPerKw(2025), 1.1 * cap(run).cnyPerKw(2025), { rel: 1e-12 });
  });

  it('the tornado ranks a dominant input first, and so does the rank correlation', () => {
    const s = small({
      finance: {
        buildCnyPerKwIt: { dist: 'uniform', min: 20000, max: 60000 },
        otherOpexCnyPerYear: { dist: 'uniform', min: 0, max: 1000 },
      },
    });
    const r = monteCarlo(s, ref, { samples: 30, seed: 2, cache, output: 'npvCny', tornado: true });
    expect(r.sensitivity.tornado!.bars[0].key).toBe('clusters[0].finance.buildCnyPerKwIt');
    expect(r.sensitivity.tornado!.bars[0].swing).toBeGreaterThan(100 * r.sensitivity.tornado!.bars[1].swing);
    // More build cost, lower NPV.
    expect(r.sensitivity.tornado!.bars[0].atP90).toBeLessThan(r.sensitivity.tornado!.bars[0].atP10);
    expect(r.sensitivity.rankCorrelation[0].key).toBe('clusters[0].finance.buildCnyPerKwIt');
    expect(r.sensitivity.rankCorrelation[0].rho).toBeLessThan(-0.95);
  });

  it('gives each cluster’s cost-rank probabilities and target probabilities; the same seed the same report', () => {
    const s = {
      ...small(),
      defaults: { finance: { buildCnyPerKwIt: { dist: 'uniform', min: 10000, max: 60000 } } },
      clusters: [
        { ...(small().clusters as object[])[0] },
        { ...(small().clusters as object[])[0], cluster: 'wuhan', finance: { buildCnyPerKwIt: 25000 } },
      ],
    };
    const a = monteCarlo(s, ref, { samples: 20, seed: 4, cache });
    const b = monteCarlo(s, ref, { samples: 20, seed: 4, cache });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    // Lanzhou's build cost is uncertain (shared from defaults); Wuhan's is given: Lanzhou is cheapest
    // in some samples and not in others, and the two clusters' probabilities of rank 1 add up to 1.
    const p1 = a.clusters.map((c) => c.costRank![0]);
    expectClose(p1[0] + p1[1], 1, { abs: 1e-12 });
    expect(p1[0]).toBeGreaterThan(0);
    expect(p1[0]).toBeLessThan(1);
    expect(a.inputs.map((x) => [x.key, x.clusters])).toEqual([['defaults.finance.buildCnyPerKwIt', [0]]]);
    for (const t of a.clusters[0].targets)
      expect(t.probabilityMet === null || (t.probabilityMet >= 0 && t.probabilityMet <= 1)).toBe(true);
  });
});

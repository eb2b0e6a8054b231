import { describe, expect, it } from 'vitest';
import { egressGbps, greatCircleKm, latencies } from '../../models/network.ts';
import { engineReference } from '../../seeds/index.ts';
import { expectClose } from '../helpers/tolerance.ts';

describe('network', () => {
  it('great-circle distance Beijing–Shanghai is about 1,067 km', () => {
    // Independent figure: the Beijing–Shanghai great-circle distance is commonly given as ≈ 1,067–1,068 km
    // (e.g. the Vincenty/haversine value between the city centres 39.9042 N 116.4074 E and 31.2304 N 121.4737 E).
    expectClose(greatCircleKm(39.9042, 116.4074, 31.2304, 121.4737), 1067, { abs: 3 });
  });

  it('one degree of latitude along a meridian is 111.2 km', () => {
    // 2π × 6,371.0088 km / 360 = 111.195 km
    expectClose(greatCircleKm(30, 110, 31, 110), 111.195, { abs: 0.01 });
  });

  it('latency is route km × 5 µs/km one way and twice that round trip', () => {
    const [l] = latencies(
      { latDeg: 30, lonDeg: 110 },
      [{ id: 'n', name: 'N', latDeg: 31, lonDeg: 110 }],
      1.5,
    );
    // 111.195 km × 1.5 = 166.79 km; × 5 µs/km = 833.96 µs = 0.834 ms
    expectClose(l.routeKm, 166.79, { abs: 0.01 });
    expectClose(l.oneWayMs, 0.834, { abs: 0.001 });
    expectClose(l.roundTripMs, 1.668, { abs: 0.002 });
    expect(() => latencies({ latDeg: 0, lonDeg: 0 }, [], 0.5)).toThrow('routeFactor: must be ≥ 1');
  });

  it('the default route factor and equipment term are the least-squares fit to published one-way figures', () => {
    // Published one-way latency (China Daily 2020, 2023 [published-latency]): Gui'an → Chengdu 6, Guangzhou 10,
    // Shanghai 15, Beijing 20 ms; Zhongwei → Beijing 9 (8–10), Shanghai 15 ms. City-centre coordinates.
    const at: Record<string, [number, number]> = {
      guian: [26.65, 106.63],
      chengdu: [30.66, 104.07],
      guangzhou: [23.13, 113.26],
      shanghai: [31.23, 121.47],
      beijing: [39.9, 116.41],
      zhongwei: [37.51, 105.19],
    };
    const published: Array<[string, string, number]> = [
      ['guian', 'chengdu', 6],
      ['guian', 'guangzhou', 10],
      ['guian', 'shanghai', 15],
      ['guian', 'beijing', 20],
      ['zhongwei', 'beijing', 9],
      ['zhongwei', 'shanghai', 15],
    ];
    const x = published.map(([a, b]) => greatCircleKm(...at[a], ...at[b]) * 0.005); // ms at route factor 1
    const y = published.map((p) => p[2]);
    const mx = x.reduce((s, v) => s + v, 0) / x.length;
    const my = y.reduce((s, v) => s + v, 0) / y.length;
    const slope =
      x.reduce((s, v, i) => s + (v - mx) * (y[i] - my), 0) / x.reduce((s, v) => s + (v - mx) ** 2, 0);
    const a = engineReference().assumptions;
    expectClose(a.routeFactor.value, slope, { abs: 0.005 });
    expectClose(a.latencyEquipmentMs.value, my - slope * mx, { abs: 0.005 });
    // and the model then lands within 2.5 ms of every published figure (one way)
    for (const [from, to, ms] of published) {
      const [l] = latencies(
        { latDeg: at[from][0], lonDeg: at[from][1] },
        [{ id: to, name: to, latDeg: at[to][0], lonDeg: at[to][1] }],
        a.routeFactor.value,
        a.latencyEquipmentMs.value,
      );
      expect(Math.abs(l.oneWayMs - ms), `${from}→${to}`).toBeLessThan(2.6);
    }
  });

  it('egress demand is std racks × occupancy × Gbps per rack × peak factor', () => {
    // 100,000 × 0.65 × 0.02 × 1.5 = 1,950 Gbps
    expectClose(egressGbps(100_000, 0.65, 0.02, 1.5), 1950, { abs: 1e-9 });
  });
});

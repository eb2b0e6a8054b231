import { describe, expect, it } from 'vitest';
import { egressGbps, greatCircleKm, latencies } from '../../models/network.ts';
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

  it('egress demand is std racks × occupancy × Gbps per rack × peak factor', () => {
    // 100,000 × 0.65 × 0.02 × 1.5 = 1,950 Gbps
    expectClose(egressGbps(100_000, 0.65, 0.02, 1.5), 1950, { abs: 1e-9 });
  });
});

/**
 * Network model: outbound (egress) bandwidth demand of a cluster and fibre latency to demand centres.
 *
 * Egress demand (Gbps) = standard racks in service × occupancy × Gbps per occupied standard rack × peak
 * factor (DESIGN.md §7). Latency one way = great-circle distance × route factor × 5 µs/km + a fixed
 * equipment and IP-layer term: light in fibre travels at ≈ 200,000 km/s (refractive index ≈ 1.5), real
 * routes run longer than the great circle, and transmission and routing equipment add a fixed delay.
 * The defaults (factor 1.89, 1.14 ms) are a least-squares fit to published one-way figures between hub
 * nodes and eastern cities (seeds/assumptions.json, grade D).
 */

/** Mean Earth radius, km (IUGG mean radius R1 = 6,371.0088 km; Moritz, Geodetic Reference System 1980). */
export const EARTH_RADIUS_KM = 6371.0088;

/** One-way propagation delay in optical fibre, µs per km (dcplan sources (docs/sources.md): 200,000 km/s → 5 µs/km). */
export const FIBRE_US_PER_KM = 5;

/**
 * Great-circle distance (haversine) between two points given in decimal degrees.
 *
 * @example
 * greatCircleKm(39.9042, 116.4074, 31.2304, 121.4737) // → ≈ 1,067 km (Beijing–Shanghai)
 */
export function greatCircleKm(lat1Deg: number, lon1Deg: number, lat2Deg: number, lon2Deg: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2Deg - lat1Deg) * rad;
  const dLon = (lon2Deg - lon1Deg) * rad;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1Deg * rad) * Math.cos(lat2Deg * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A place that consumes the cluster's services, with any published latency figure to show beside ours. */
export interface DemandCentre {
  id: string;
  name: string;
  latDeg: number;
  lonDeg: number;
}

/** Latency from a cluster to one demand centre. */
export interface LatencyEstimate {
  to: string;
  name: string;
  distanceKm: number;
  routeKm: number;
  /** The fixed equipment/IP-layer part of the one-way latency. */
  equipmentMs: number;
  oneWayMs: number;
  roundTripMs: number;
}

/**
 * Fibre latency from a cluster location to each demand centre.
 *
 * @example
 * latencies({ latDeg: 35.73, lonDeg: 107.63 }, [{ id: 'xian', name: "Xi'an", latDeg: 34.34, lonDeg: 108.94 }], 1.5, 1)
 * // → [{ to: 'xian', distanceKm: ≈ 195, routeKm: ≈ 293, oneWayMs: ≈ 2.46, roundTripMs: ≈ 4.93, … }]
 */
export function latencies(
  from: { latDeg: number; lonDeg: number },
  centres: readonly DemandCentre[],
  routeFactor: number,
  equipmentMs = 0,
): LatencyEstimate[] {
  if (!(routeFactor >= 1)) throw new Error('routeFactor: must be ≥ 1');
  return centres.map((c) => {
    const distanceKm = greatCircleKm(from.latDeg, from.lonDeg, c.latDeg, c.lonDeg);
    const routeKm = distanceKm * routeFactor;
    const oneWayMs = (routeKm * FIBRE_US_PER_KM) / 1000 + equipmentMs;
    return { to: c.id, name: c.name, distanceKm, routeKm, equipmentMs, oneWayMs, roundTripMs: 2 * oneWayMs };
  });
}

/**
 * Peak egress demand in Gbps.
 *
 * @example
 * egressGbps(100_000, 0.65, 0.02, 1.5) // → 1950 (100,000 std racks × 65 % × 0.02 Gbps × 1.5)
 */
export function egressGbps(
  standardRacks: number,
  occupancy: number,
  gbpsPerStandardRack: number,
  peakFactor: number,
): number {
  return standardRacks * occupancy * gbpsPerStandardRack * peakFactor;
}

import { HOURS_PER_YEAR } from './calendar.ts';
import type { InputRow as Param } from './input-row.ts';
import type { SolarPosition } from './solar.ts';

/**
 * Photovoltaic output, after NREL's PVWatts v5 (A. P. Dobos, "PVWatts Version 5 Manual",
 * NREL/TP-6A20-62641, 2014), with the isotropic sky of Liu & Jordan (1963) for the plane of array and
 * the Sandia open-rack cell-temperature model (D. L. King et al., SAND2004-3535, 2004, Table 1):
 *   POA = DNI·cos θ + DHI·(1 + cos β)/2 + GHI·ρ·(1 − cos β)/2   (beam from the file's DNI, as SAM and
 *   pvlib do; no beam with the sun below the horizon). Option `beam: 'ghi-dhi'` rebuilds the beam from
 *   the horizontal components instead, (GHI − DHI)·cos θ / cos z with no beam below 5° — a closure
 *   correction for files whose DNI does not close GHI = DNI·cos z + DHI (docs/models/green-power.md).
 *   T_module = POA·exp(a + b·WS) + T_air;  T_cell = T_module + POA/1000·ΔT
 *   P_dc = P_dc0 · POA/1000 · (1 + γ (T_cell − 25)) · (1 − losses)
 *   P_ac = min(P_dc · η_inv, P_dc0 / (DC/AC ratio))
 * Fixed tilt, or single-axis horizontal north–south tracking (true tracking, no backtracking).
 */

export interface PvParams {
  dcKw: number;
  tiltDeg: number;
  azimuthDeg: number;
  tracking: 'fixed' | 'single-axis';
  /** Beam source: the file's DNI (default) or the closure rebuild (GHI − DHI)/cos z. */
  beam: 'dni' | 'ghi-dhi';
  albedo: number;
  tempCoeffPerC: number;
  systemLoss: number;
  inverterEfficiency: number;
  dcAcRatio: number;
  sapmA: number;
  sapmB: number;
  sapmDeltaTC: number;
}

/** Default PV parameters with their sources (tilt and azimuth default to the site: see `pvDefaults`). */
export const PV_TABLE: Record<
  Exclude<keyof PvParams, 'dcKw' | 'tiltDeg' | 'azimuthDeg' | 'tracking' | 'beam'>,
  Param
> = {
  albedo: {
    value: 0.2,
    unit: '',
    label: 'Ground albedo',
    typical: { min: 0.1, max: 0.4 },
    source: 'PVWatts v5 default (Dobos 2014)',
    grade: 'B',
    min: 0,
    max: 1,
  },
  tempCoeffPerC: {
    value: -0.0037,
    unit: '1/°C',
    label: 'Power temperature coefficient',
    typical: { min: -0.005, max: -0.0025 },
    source: 'PVWatts v5 standard module −0.37 %/°C (Dobos 2014)',
    grade: 'B',
    min: -0.02,
    max: 0,
  },
  systemLoss: {
    value: 0.1408,
    unit: '',
    label: 'System losses (soiling, shading, mismatch, wiring, availability…)',
    typical: { min: 0.08, max: 0.25 },
    source: 'PVWatts v5 default total losses 14.08 % (Dobos 2014)',
    grade: 'B',
    min: 0,
    max: 0.9,
  },
  inverterEfficiency: {
    value: 0.96,
    unit: '',
    label: 'Inverter efficiency',
    typical: { min: 0.94, max: 0.99 },
    source: 'PVWatts v5 nominal inverter efficiency 96 % (Dobos 2014)',
    grade: 'B',
    min: 0,
    exclusiveMin: true,
    max: 1,
  },
  dcAcRatio: {
    value: 1.2,
    unit: '',
    label: 'DC/AC ratio',
    typical: { min: 1, max: 1.6 },
    source: 'PVWatts v5 default 1.2 (Dobos 2014)',
    grade: 'B',
    min: 0.5,
    max: 3,
  },
  sapmA: {
    value: -3.56,
    unit: '',
    label: 'SAPM a (glass/cell/polymer, open rack)',
    source: 'King et al. SAND2004-3535, Table 1',
    grade: 'A',
    min: -10,
    max: 0,
  },
  sapmB: {
    value: -0.075,
    unit: 's/m',
    label: 'SAPM b',
    source: 'King et al. SAND2004-3535, Table 1',
    grade: 'A',
    min: -1,
    max: 0,
  },
  sapmDeltaTC: {
    value: 3,
    unit: '°C',
    label: 'SAPM ΔT cell − module',
    source: 'King et al. SAND2004-3535, Table 1',
    grade: 'A',
    min: 0,
    max: 20,
  },
};

/** Full PV parameters: table defaults, tilt = |latitude| facing the equator (a common rule of thumb, labelled). */
export function pvDefaults(latDeg: number, dcKw: number, over: Partial<PvParams> = {}): PvParams {
  const t = Object.fromEntries(Object.entries(PV_TABLE).map(([k, v]) => [k, v.value])) as Omit<
    PvParams,
    'dcKw' | 'tiltDeg' | 'azimuthDeg' | 'tracking' | 'beam'
  >;
  return {
    ...t,
    dcKw,
    tiltDeg: Math.abs(latDeg),
    azimuthDeg: latDeg >= 0 ? 180 : 0,
    tracking: 'fixed',
    beam: 'dni',
    ...over,
  };
}

export interface PvClimate {
  tDryC: Float64Array;
  ghiWhM2: Float64Array;
  dniWhM2: Float64Array;
  dhiWhM2: Float64Array;
  windMps: Float64Array;
}

/**
 * Plane-of-array irradiance (W/m², hourly mean) for a fixed or tracked surface.
 *
 * @example
 * // sun normal to the panel (tilt = zenith, azimuth 180°) → POA = DNI + DHI·(1+cos β)/2 + GHI·0.2·(1−cos β)/2
 */
export function planeOfArray(
  sun: SolarPosition,
  climate: PvClimate,
  p: Pick<PvParams, 'tiltDeg' | 'azimuthDeg' | 'tracking' | 'albedo'> & { beam?: PvParams['beam'] },
  out = new Float64Array(HOURS_PER_YEAR),
): Float64Array {
  const D = Math.PI / 180;
  const closure = p.beam === 'ghi-dhi';
  for (let h = 0; h < HOURS_PER_YEAR; h++) {
    const cz = sun.cosZenith[h];
    if (cz <= 0.01 && climate.ghiWhM2[h] <= 0) {
      out[h] = 0;
      continue;
    }
    const z = sun.zenithDeg[h] * D;
    const a = sun.azimuthDeg[h] * D;
    let tilt = p.tiltDeg * D;
    let az = p.azimuthDeg * D;
    if (p.tracking === 'single-axis') {
      // Horizontal N–S axis: rotate to face the sun's east–west component (Marion & Dobos, NREL/TP-6A20-58891).
      const sx = Math.sin(z) * Math.sin(a); // east component
      const sz = Math.cos(z);
      const rot = Math.atan2(sx, Math.max(sz, 1e-6)); // + toward west? sx>0 when sun in east (a<180)
      tilt = Math.abs(rot);
      az = rot >= 0 ? 90 * D : 270 * D;
    }
    const cosAoi = Math.cos(z) * Math.cos(tilt) + Math.sin(z) * Math.sin(tilt) * Math.cos(a - az);
    let beam: number;
    if (closure) {
      // Closure option: beam rebuilt from the horizontal components, (GHI − DHI)/cos z.
      const beamHorizontal = Math.max(0, climate.ghiWhM2[h] - climate.dhiWhM2[h]);
      beam = cz > 0.087 ? (beamHorizontal * Math.max(0, cosAoi)) / cz : 0;
    } else {
      // The file's DNI on the plane (SAM, pvlib beam_component): DNI · cos θ.
      beam = cz > 0 ? Math.max(0, climate.dniWhM2[h]) * Math.max(0, cosAoi) : 0;
    }
    const diffuse = climate.dhiWhM2[h] * (1 + Math.cos(tilt)) * 0.5;
    const ground = climate.ghiWhM2[h] * p.albedo * (1 - Math.cos(tilt)) * 0.5;
    out[h] = beam + diffuse + ground;
  }
  return out;
}

/**
 * Hourly AC output (kW, = kWh in the hour) of a PV array.
 *
 * @example
 * pvOutputKw(sun, lanzhou, pvDefaults(36.05, 1000)) // Float64Array(8760), ≈ 1,300 MWh a year
 */
export function pvOutputKw(
  sun: SolarPosition,
  climate: PvClimate,
  p: PvParams,
  out = new Float64Array(HOURS_PER_YEAR),
): Float64Array {
  const poa = planeOfArray(sun, climate, p);
  const acMax = p.dcKw / p.dcAcRatio;
  for (let h = 0; h < HOURS_PER_YEAR; h++) {
    const e = poa[h];
    if (e <= 0) {
      out[h] = 0;
      continue;
    }
    const tModule = e * Math.exp(p.sapmA + p.sapmB * climate.windMps[h]) + climate.tDryC[h];
    const tCell = tModule + (e / 1000) * p.sapmDeltaTC;
    const dc = p.dcKw * (e / 1000) * (1 + p.tempCoeffPerC * (tCell - 25)) * (1 - p.systemLoss);
    out[h] = Math.max(0, Math.min(dc * p.inverterEfficiency, acMax));
  }
  return out;
}

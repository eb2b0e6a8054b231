import { DAYS_IN_MONTH, HOURS_PER_YEAR } from './calendar.ts';

/**
 * Solar position for each hour of a typical year, after the NOAA Global Monitoring Laboratory's
 * "General Solar Position Calculations" (Fourier series of J. W. Spencer, "Fourier series representation
 * of the position of the sun", Search 2(5), 1971): fractional year γ, equation of time, declination,
 * true solar time, hour angle, zenith and azimuth. Accurate to about 0.1°, ample for hourly PV.
 * Hour h of the year is taken at its midpoint (EPW hour h+1 covers h:00–h+1:00 local standard time).
 */

const DEG = Math.PI / 180;

export interface SolarPosition {
  /** cos of the zenith angle (0 or below: sun down). */
  cosZenith: Float64Array;
  zenithDeg: Float64Array;
  /** Azimuth clockwise from north, degrees. */
  azimuthDeg: Float64Array;
  declinationDeg: Float64Array;
}

/**
 * Declination (°) and equation of time (minutes) for fractional year γ (radians).
 *
 * @example
 * declinationAndEot(2 * Math.PI / 365 * 171) // → { declinationDeg: ≈ 23.44, eotMin: ≈ −1.6 } (21 June)
 */
export function declinationAndEot(gamma: number): { declinationDeg: number; eotMin: number } {
  const decl =
    0.006918 -
    0.399912 * Math.cos(gamma) +
    0.070257 * Math.sin(gamma) -
    0.006758 * Math.cos(2 * gamma) +
    0.000907 * Math.sin(2 * gamma) -
    0.002697 * Math.cos(3 * gamma) +
    0.00148 * Math.sin(3 * gamma);
  const eot =
    229.18 *
    (0.000075 +
      0.001868 * Math.cos(gamma) -
      0.032077 * Math.sin(gamma) -
      0.014615 * Math.cos(2 * gamma) -
      0.040849 * Math.sin(2 * gamma));
  return { declinationDeg: decl / DEG, eotMin: eot };
}

/**
 * Sun position at the midpoint of every hour of a 365-day year at a site.
 *
 * @example
 * solarPosition(36.05, 103.88, 8).zenithDeg[171 * 24 + 12] // ≈ 13° near solar noon on 21 June in Lanzhou
 */
export function solarPosition(latDeg: number, lonDeg: number, utcOffsetHours: number): SolarPosition {
  const n = HOURS_PER_YEAR;
  const cosZ = new Float64Array(n);
  const zen = new Float64Array(n);
  const az = new Float64Array(n);
  const dec = new Float64Array(n);
  const phi = latDeg * DEG;
  let h = 0;
  let day = 0;
  for (let m = 0; m < 12; m++) {
    for (let d = 0; d < DAYS_IN_MONTH[m]; d++, day++) {
      for (let k = 0; k < 24; k++, h++) {
        const hour = k + 0.5;
        const gamma = ((2 * Math.PI) / 365) * (day + (hour - 12) / 24);
        const { declinationDeg, eotMin } = declinationAndEot(gamma);
        const delta = declinationDeg * DEG;
        const tst = hour * 60 + eotMin + 4 * lonDeg - 60 * utcOffsetHours; // true solar time, min
        const ha = (tst / 4 - 180) * DEG;
        const c = Math.sin(phi) * Math.sin(delta) + Math.cos(phi) * Math.cos(delta) * Math.cos(ha);
        const cz = Math.max(-1, Math.min(1, c));
        const z = Math.acos(cz);
        // azimuth from north, clockwise
        const sinZ = Math.sin(z);
        let a = 0;
        if (sinZ > 1e-9) {
          const cosA = (Math.sin(delta) - Math.sin(phi) * cz) / (Math.cos(phi) * sinZ);
          a = Math.acos(Math.max(-1, Math.min(1, cosA))) / DEG;
          if (ha > 0) a = 360 - a;
        }
        cosZ[h] = cz;
        zen[h] = z / DEG;
        az[h] = a;
        dec[h] = declinationDeg;
      }
    }
  }
  return { cosZenith: cosZ, zenithDeg: zen, azimuthDeg: az, declinationDeg: dec };
}

import { getF, getI32, getU8, mn, mx, setF } from './memory';

/**
 * The hourly loop of the facility load (models/cooling/facility.ts `facilityLoad`, which documents the
 * arrays and sums). Compiled to WebAssembly, it takes ≈ 32 % less time in a whole run than V8's
 * optimised JavaScript of the same loop did (4.4 → 3.0 ms for the east-west scenario), with the same
 * IEEE-754 operations in the same order (the same numbers to the last bit).
 *
 * Per hour: electrical losses a0 + (a1 + a2·IT)·IT + dist·IT, heat = IT + losses, cooling = heat × the
 * profile's kW per kW of heat plus each chiller circuit's compressor power (and its heat rejection),
 * water likewise; facility = heat + cooling. `losses`: [0..3] a0, a1, a2, dist. Each circuit's plant
 * constants (models/chiller.ts `stagedPlant`) at `wPlant`/`aPlant`. `flags`: 1 water-side circuit,
 * 2 air-side circuit, 4 write hourly water. Month by month into `months` (Σ IT, Σ facility, peak
 * facility); into `acc`: Σ IT, Σ facility, Σ cooling, Σ losses, Σ water, peak facility kW, free- and
 * partial-economizer hours with IT load, peak IT kW.
 */

/** Economizer mode codes (models/cooling/design.ts). */
const PARTIAL: u8 = 1;
const FREE: u8 = 2;

export function facilityHours(
  itKw: usize,
  losses: usize,
  k: usize,
  w: usize,
  mode: usize,
  wPlant: usize,
  wLoad: usize,
  wCap: usize,
  wEir: usize,
  wRej: usize,
  wRejW: usize,
  aPlant: usize,
  aLoad: usize,
  aCap: usize,
  aEir: usize,
  aRej: usize,
  aRejW: usize,
  fac: usize,
  water: usize,
  months: usize,
  monthEnd: usize,
  acc: usize,
  flags: i32,
): void {
  // One specialised copy of the loop per case (inlined with constant flags), so no hour tests them.
  switch (flags & 7) {
    case 0: hours(itKw, losses, k, w, mode, wPlant, wLoad, wCap, wEir, wRej, wRejW, aPlant, aLoad, aCap, aEir, aRej, aRejW, fac, water, months, monthEnd, acc, false, false, false); break;
    case 1: hours(itKw, losses, k, w, mode, wPlant, wLoad, wCap, wEir, wRej, wRejW, aPlant, aLoad, aCap, aEir, aRej, aRejW, fac, water, months, monthEnd, acc, true, false, false); break;
    case 2: hours(itKw, losses, k, w, mode, wPlant, wLoad, wCap, wEir, wRej, wRejW, aPlant, aLoad, aCap, aEir, aRej, aRejW, fac, water, months, monthEnd, acc, false, true, false); break;
    case 3: hours(itKw, losses, k, w, mode, wPlant, wLoad, wCap, wEir, wRej, wRejW, aPlant, aLoad, aCap, aEir, aRej, aRejW, fac, water, months, monthEnd, acc, true, true, false); break;
    case 4: hours(itKw, losses, k, w, mode, wPlant, wLoad, wCap, wEir, wRej, wRejW, aPlant, aLoad, aCap, aEir, aRej, aRejW, fac, water, months, monthEnd, acc, false, false, true); break;
    case 5: hours(itKw, losses, k, w, mode, wPlant, wLoad, wCap, wEir, wRej, wRejW, aPlant, aLoad, aCap, aEir, aRej, aRejW, fac, water, months, monthEnd, acc, true, false, true); break;
    case 6: hours(itKw, losses, k, w, mode, wPlant, wLoad, wCap, wEir, wRej, wRejW, aPlant, aLoad, aCap, aEir, aRej, aRejW, fac, water, months, monthEnd, acc, false, true, true); break;
    default: hours(itKw, losses, k, w, mode, wPlant, wLoad, wCap, wEir, wRej, wRejW, aPlant, aLoad, aCap, aEir, aRej, aRejW, fac, water, months, monthEnd, acc, true, true, true);
  }
}

/**
 * Compressor power (kW) of a staged plant at `loadKw` of cooling, on the plant's constants
 * (models/chiller.ts `stagedPlant`): as few modules as carry the load at this hour's capacity, each at
 * the plant's part-load ratio; below the minimum part-load ratio a module cycles at the minimum's
 * input. Inlined into the loop, and exported for models/chiller.ts `chillerPowerKw`: one formula.
 */
@inline export function plantPower(
  moduleKw: f64,
  modules: f64,
  ratedCop: f64,
  minPlr: f64,
  a: f64,
  b: f64,
  c: f64,
  eirAtMinPlr: f64,
  loadKw: f64,
  capFt: f64,
  eirFt: f64,
): f64 {
  if (!(loadKw > 0) || !(moduleKw > 0)) return 0;
  const unitKw = moduleKw * capFt; // available per module this hour
  const n = mn(modules, mx(1, Math.ceil(loadKw / unitKw - 1e-9)));
  const plr = loadKw / (n * unitKw);
  const fullKw = (n * unitKw * eirFt) / ratedCop;
  if (plr < minPlr) return fullKw * eirAtMinPlr * (plr / minPlr);
  const p = plr > 0 ? plr : 0;
  return fullKw * (a + b * p + c * p * p);
}

@inline function hours(
  itKw: usize,
  losses: usize,
  k: usize,
  w: usize,
  mode: usize,
  wp: usize,
  wLoad: usize,
  wCap: usize,
  wEir: usize,
  wRej: usize,
  wRejW: usize,
  ap: usize,
  aLoad: usize,
  aCap: usize,
  aEir: usize,
  aRej: usize,
  aRejW: usize,
  fac: usize,
  water: usize,
  months: usize,
  monthEnd: usize,
  acc: usize,
  hasW: bool,
  hasA: bool,
  keepWater: bool,
): void {
  const a0 = getF(losses, 0);
  const a1 = getF(losses, 1);
  const a2 = getF(losses, 2);
  const dist = getF(losses, 3);
  // Each plant's constants, read once (not read at all for a circuit the case does not have).
  const wMod = hasW ? getF(wp, 0) : 0;
  const wN = hasW ? getF(wp, 1) : 0;
  const wCop = hasW ? getF(wp, 2) : 0;
  const wMin = hasW ? getF(wp, 3) : 0;
  const wA = hasW ? getF(wp, 4) : 0;
  const wB = hasW ? getF(wp, 5) : 0;
  const wC = hasW ? getF(wp, 6) : 0;
  const wAtMin = hasW ? getF(wp, 7) : 0;
  const aMod = hasA ? getF(ap, 0) : 0;
  const aN = hasA ? getF(ap, 1) : 0;
  const aCop = hasA ? getF(ap, 2) : 0;
  const aMin = hasA ? getF(ap, 3) : 0;
  const aA = hasA ? getF(ap, 4) : 0;
  const aB = hasA ? getF(ap, 5) : 0;
  const aC = hasA ? getF(ap, 6) : 0;
  const aAtMin = hasA ? getF(ap, 7) : 0;
  // Plain running sums: every term is ≥ 0, so the relative error of a year's sum is below
  // (n − 1)·2⁻⁵³ ≈ 1e-12 (docs/ARCHITECTURE.md, "Sums"), far under the precision results carry.
  let sIt: f64 = 0;
  let sFac: f64 = 0;
  let sCool: f64 = 0;
  let sLoss: f64 = 0;
  let sW: f64 = 0;
  let peak: f64 = 0;
  let peakIt: f64 = 0;
  let free: f64 = 0;
  let partial: f64 = 0;
  let h: i32 = 0;
  for (let m: i32 = 0; m < 12; m++) {
    const end = getI32(monthEnd, m);
    let monthIt: f64 = 0;
    let monthFac: f64 = 0;
    let monthPeak: f64 = 0;
    for (; h < end; h++) {
      const it = getF(itKw, h);
      const loss = a0 + (a1 + a2 * it) * it + dist * it;
      const heat = it + loss;
      let cool = heat * getF(k, h);
      let wl = heat * getF(w, h);
      if (hasW) {
        const q = heat * getF(wLoad, h);
        if (q > 0) {
          const comp = plantPower(wMod, wN, wCop, wMin, wA, wB, wC, wAtMin, q, getF(wCap, h), getF(wEir, h));
          cool += comp * (1 + getF(wRej, h));
          wl += comp * getF(wRejW, h);
        }
      }
      if (hasA) {
        const q = heat * getF(aLoad, h);
        if (q > 0) {
          const comp = plantPower(aMod, aN, aCop, aMin, aA, aB, aC, aAtMin, q, getF(aCap, h), getF(aEir, h));
          cool += comp * (1 + getF(aRej, h));
          wl += comp * getF(aRejW, h);
        }
      }
      const f = heat + cool;
      setF(fac, h, f);
      if (keepWater) setF(water, h, wl);
      if (f > monthPeak) monthPeak = f;
      if (it > peakIt) peakIt = it;
      if (it > 0) {
        const md = getU8(mode, h);
        if (md == FREE) free++;
        else if (md == PARTIAL) partial++;
      }
      sIt += it;
      sFac += f;
      sCool += cool;
      sLoss += loss;
      sW += wl;
      monthIt += it;
      monthFac += f;
    }
    setF(months, 3 * m, monthIt);
    setF(months, 3 * m + 1, monthFac);
    setF(months, 3 * m + 2, monthPeak);
    if (monthPeak > peak) peak = monthPeak;
  }
  setF(acc, 0, sIt);
  setF(acc, 1, sFac);
  setF(acc, 2, sCool);
  setF(acc, 3, sLoss);
  setF(acc, 4, sW);
  setF(acc, 5, peak);
  setF(acc, 6, free);
  setF(acc, 7, partial);
  setF(acc, 8, peakIt);
}

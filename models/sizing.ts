import { MONTH_START_HOUR } from './calendar.ts';
import { INF, type LpOptions, type LpSolver, lpBuilder } from './lp.ts';
import { prepareRun } from './prepare/cluster.ts';
import type { PrepareOptions } from './prepare/types.ts';
import type { EngineReference } from './reference.ts';
import type { AssumptionUsed } from './result.ts';
import { parseScenario, type Scenario, ValidationError } from './scenario.ts';
import { engineCache, type RunOptions, simulate } from './simulate.ts';
import { pvUnitOutput, windUnitOutput } from './stages/site.ts';
import { optimalDemand } from './stages/supply.ts';

/**
 * Least-cost green supply (issue 22, point 6): the PV kW, wind kW, battery kWh and kW and contracted
 * green power that meet a green target for one cluster-year at the least annual cost, as one linear
 * program over the year's 8,760 hours (REopt's approach: Anderson et al., NREL/TP-7A40-70022, 2017),
 * solved with HiGHS (models/lp.ts), then confirmed by the full simulation of the scenario with that mix.
 *
 * Per hour h, with L the facility load (the engine's, for the year), pv and wd the output of 1 kW
 * of the scenario's PV and wind (its orientation, tables and wind resource), p the all-in price:
 *   u_h ∈ [0, L_h]   on-site output used by the load;   cs_h ≥ 0 charge from on-site surplus;
 *   d_h ≥ 0 discharge to the load;   soc_h state of charge;
 *   u_h + cs_h ≤ pv_h·PV + wd_h·W   (the rest is curtailed)        u_h + d_h ≤ L_h
 *   cs_h + d_h ≤ Pb    Pb ≤ E / 2 h (the seeded cost is for a 2-h system: its power comes with it)
 *   soc_h = soc_{h−1} + √η·cs_h − d_h/√η (cyclic: the year's end feeds its start)
 *   0 ≤ soc_h ≤ DoD·E·f   (f: the fade the engine would apply in that year, cycles guessed at one a
 *   day; the confirmation counts the real ones). soc_h is the charge above the floor (1 − DoD)·E·f:
 *   the floor is the same every hour, so it cancels in the balance and the lower bound is the
 *   column's own — one row an hour fewer than bounding the whole charge on both sides (the same
 *   optimum; HiGHS' interior point takes 8.4 s instead of 9.8 s on the Qingyang bench)
 *   L_h − u_h − d_h ≤ B_m   (the month's billed demand, ≥ 40 % of the contract, when a demand charge applies)
 * Contracted green power C (kWh) is a share of the import that serves the load, as the engine counts
 * it: C ≤ s_max · Σ(L − u − d). The annual target: Σ(u + d) + C + certificates ≥ target · ΣL. The
 * battery charges only from on-site surplus, so all it gives back is green (the `surplus` policy the
 * confirmation runs). Cost a year (CNY): capex × (capital recovery factor at the discount rate over
 * the asset life + O&M share) for PV, wind and storage, Σ p_h·(L_h − u_h − d_h) + Σ rate_m·B_m for
 * the grid, the premium × C. Without a target the same program gives the cheapest mix for money
 * alone, so the target's cost is the difference.
 *
 * With an hourly level (24×7), the target is instead a share of the hours whose green supply reaches
 * level × load: binaries z_h mark those hours (a MILP). The engine spreads a contract as one share s
 * of every hour's import, so the hour's green supply is s·L_h + (1 − s)(u_h + d_h): for a fixed s the
 * rows (1 − s)(u_h + d_h) ≥ (level − s)·L_h·z_h and Σ z ≥ target · hours are linear, and s is searched
 * over a few values (`HOURLY_SHARE_STEPS`); each MILP stops at the time limit with its best mix and gap.
 */

/** Upper bounds of the mix (the user's or these defaults). */
export interface SizingBounds {
  maxPvKw?: number;
  maxWindKw?: number;
  maxBatteryKwh?: number;
  maxBatteryKw?: number;
  /** Most of the import serving the load that may be bought as contracted green power (0–1). */
  maxContractedShare?: number;
}

/** Defaults of the bounds, in multiples of the year's peak facility load: a declared assumption. */
export const SIZING_BOUNDS = {
  pvPerPeakKw: 5,
  windPerPeakKw: 5,
  batteryHoursOfPeak: 12,
  contractedShare: 1,
  source:
    'dcplan assumption (issue 22): PV and wind each ≤ 5 × the peak facility load, storage ≤ 12 h of it, contracted green power ≤ all of the import serving the load',
} as const;

/** Hours of storage the seeded storage cost is for (costs.storageCapexCnyPerWh2h): its power is included. */
export const SIZING_STORAGE_HOURS = 2;

/** What every solve of one cluster-year shares. */
export interface SizingSetup {
  scenario: Scenario;
  raw: Record<string, unknown>;
  cluster: number;
  clusterId: string;
  year: number;
  loadKw: Float64Array;
  pricesCnyPerKwh: Float64Array;
  pvUnit: Float64Array;
  windUnit: Float64Array;
  /** Annual cost per kW of PV and wind and per kWh of storage (capital recovery + O&M), CNY. */
  pvCnyPerKwYear: number;
  windCnyPerKwYear: number;
  batteryCnyPerKwhYear: number;
  premiumCnyPerKwh: number;
  certificatesKwh: number;
  certificatesCny: number;
  sq: number;
  depthOfDischarge: number;
  fadeFactor: number;
  demandCnyPerKw: Float64Array;
  floorKw: Float64Array;
  bounds: Required<SizingBounds>;
  /** The figures the sizer took (costs, life, discount rate, bounds), as a result lists defaults. */
  assumptions: AssumptionUsed[];
  loadMwh: number;
}

/** A target: an annual green share, or with `hourlyLevel` the share of hours at or above that level. */
export interface SizingTarget {
  greenShare: number;
  hourlyLevel?: number;
}

/** A mix and what the program says of it. */
export interface SizedMix {
  status: 'optimal' | 'infeasible' | 'time-limit' | 'other';
  statusText: string;
  pvKw: number;
  windKw: number;
  batteryKwh: number;
  batteryKw: number;
  /** Contracted green power as a share of the import that serves the load (the scenario's `green.contracted.share`). */
  contractedShare: number;
  contractedMwh: number;
  /** The program's green share (annual) or share of hours (hourly). */
  greenShareLp: number;
  /** The program's annual cost (CNY): the mix's capital recovery and O&M, the grid bill, the premium, certificates. */
  lpCostCny: number;
  mipGap: number;
}

/** The sizes of a mix, as a report, the no-target row and the page's curve give them. */
export const mixSizes = (m: SizedMix) => ({
  pvKw: m.pvKw,
  windKw: m.windKw,
  batteryKwh: m.batteryKwh,
  batteryKw: m.batteryKw,
  contractedShare: m.contractedShare,
});

const crf = (r: number, n: number) => (Math.abs(r) < 1e-9 ? 1 / n : (r * (1 + r) ** n) / ((1 + r) ** n - 1));
const max = (a: Float64Array) => a.reduce((m, v) => (v > m ? v : m), 0);

/** The cluster with placeholder PV, wind and battery (1 kW, 2 kWh), keeping the scenario's own parameters. */
function probeCluster(c: Record<string, unknown>): Record<string, unknown> {
  const g = (c.green ?? {}) as Record<string, Record<string, unknown> | undefined>;
  return {
    ...c,
    green: {
      ...g,
      pv: { ...(g.pv ?? {}), dcKw: 1 },
      wind: { ...(g.wind ?? {}), ratedKw: 1 },
      battery: { ...(g.battery ?? {}), energyKwh: 2, powerKw: 1, policy: 'surplus' },
    },
  };
}

/**
 * Everything the solves of one cluster-year share: the year's load and prices (a run of the
 * scenario with placeholder PV, wind and battery, so their parameters and costs are the scenario's
 * or the rows' defaults), unit outputs, annual costs per unit, the demand charge, and the bounds.
 * Throws `ValidationError` naming the option (`cluster`, `year`, `bounds.maxPvKw`).
 */
export function sizingSetup(
  raw: unknown,
  ref: EngineReference,
  o: { cluster: number; year?: number; bounds?: SizingBounds },
  opts: Pick<PrepareOptions, 'weather'> & Pick<RunOptions, 'cache'> = {},
): SizingSetup {
  const scenario = parseScenario(raw);
  const errors: Array<{ path: string; message: string }> = [];
  const c = o.cluster;
  if (!(Number.isInteger(c) && c >= 0 && c < scenario.clusters.length))
    throw new ValidationError([{ path: 'cluster', message: `no cluster at position ${c}` }]);
  const last = scenario.startYear + scenario.years - 1;
  const year = o.year ?? last;
  if (!(Number.isInteger(year) && year >= scenario.startYear && year <= last))
    errors.push({ path: 'year', message: `must be a simulated year, ${scenario.startYear}–${last}` });
  const b = o.bounds ?? {};
  for (const [k, v] of Object.entries(b))
    if (v !== undefined && !(Number.isFinite(v) && v >= 0))
      errors.push({ path: `bounds.${k}`, message: 'must be ≥ 0' });
  if (b.maxContractedShare !== undefined && b.maxContractedShare > 1)
    errors.push({ path: 'bounds.maxContractedShare', message: 'must be ≤ 1' });
  const rawObj = raw as Record<string, unknown>;
  const rawClusters = rawObj.clusters as Array<Record<string, unknown>>;
  const merged = { ...((rawObj.defaults as Record<string, unknown>) ?? {}), ...rawClusters[c] };
  const contracted = ((merged.green as Record<string, unknown> | undefined)?.contracted ?? {}) as Record<
    string,
    unknown
  >;
  if (contracted.priceCnyPerMwh !== undefined)
    errors.push({
      path: `clusters[${c}].green.contracted.priceCnyPerMwh`,
      message:
        'the sizer prices contracted green power by its premium over the grid price: give premiumCnyPerMwh',
    });
  if (errors.length) throw new ValidationError(errors);
  // Only this cluster, with placeholder plant: its parameters, costs and the year's load and prices.
  const probe = { ...rawObj, clusters: [probeCluster(merged)] };
  delete (probe as Record<string, unknown>).defaults;
  const cache = opts.cache ?? engineCache();
  const run = prepareRun(parseScenario(probe), ref, { weather: opts.weather, cache });
  const pc = run.clusters[0];
  const g = pc.green!;
  const r = simulate(run, ref, { cache, keepHourly: (_id, y) => y === year });
  const hourly = r.hourly[0];
  const loadKw = hourly.facilityKw;
  const prices = hourly.priceCnyPerKwh;
  const pvUnit = pvUnitOutput(cache, pc.climate, g.pv!.params);
  const windUnit = windUnitOutput(cache, pc.climate, g.wind!.params, g.wind!.speedScale);
  const costs = ref.costs;
  const rate = pc.finance.discountRate;
  const life = costs.assetLifeYears.value;
  const k = crf(rate, life);
  const bat = g.battery!;
  const age = year - Math.max(bat.fromYear, scenario.startYear);
  const fadeFactor = Math.max(0.6, 1 - bat.fadePerYear * age - bat.fadePerCycle * 365 * age);
  const tariff = pc.tariff.tariffAt(year);
  const demand = optimalDemand(tariff, loadKw, null);
  const peak = max(loadKw);
  const bounds: Required<SizingBounds> = {
    maxPvKw: b.maxPvKw ?? SIZING_BOUNDS.pvPerPeakKw * peak,
    maxWindKw: b.maxWindKw ?? SIZING_BOUNDS.windPerPeakKw * peak,
    maxBatteryKwh: b.maxBatteryKwh ?? SIZING_BOUNDS.batteryHoursOfPeak * peak,
    maxBatteryKw: b.maxBatteryKw ?? (SIZING_BOUNDS.batteryHoursOfPeak * peak) / SIZING_STORAGE_HOURS,
    maxContractedShare: b.maxContractedShare ?? SIZING_BOUNDS.contractedShare,
  };
  const premium = g.contracted ? g.contracted.premium(year) : 0;
  const certKwh = g.certificates ? g.certificates.mwh(year) * 1000 : 0;
  const certCny = g.certificates ? g.certificates.mwh(year) * g.certificates.price(year) : 0;
  const pvCny = g.pv!.capexCnyPerW * 1000 * (k + costs.pvOmFractionPerYear.value);
  const windCny = g.wind!.capexCnyPerW * 1000 * (k + costs.windOmFractionPerYear.value);
  const batCny = bat.capexCnyPerWh * 1000 * (k + costs.storageOmFractionPerYear.value);
  const a = (field: string, value: number, unit: string, source: string, grade: string): AssumptionUsed => ({
    field,
    value: Number(value.toPrecision(6)),
    unit,
    source,
    grade,
  });
  const assumptions: AssumptionUsed[] = [
    a(
      'sizing.capitalRecoveryFactor',
      k,
      '1/yr',
      `discount rate ${rate} over ${life} years (${costs.assetLifeYears.source})`,
      costs.assetLifeYears.grade,
    ),
    a(
      'sizing.pvCnyPerKwYear',
      pvCny,
      'CNY/kW/yr',
      `PV ${g.pv!.capexCnyPerW} CNY/W × (CRF + O&M ${costs.pvOmFractionPerYear.value}: ${costs.pvOmFractionPerYear.source})`,
      costs.pvOmFractionPerYear.grade,
    ),
    a(
      'sizing.windCnyPerKwYear',
      windCny,
      'CNY/kW/yr',
      `wind ${g.wind!.capexCnyPerW} CNY/W × (CRF + O&M ${costs.windOmFractionPerYear.value}: ${costs.windOmFractionPerYear.source})`,
      costs.windOmFractionPerYear.grade,
    ),
    a(
      'sizing.batteryCnyPerKwhYear',
      batCny,
      'CNY/kWh/yr',
      `storage ${bat.capexCnyPerWh} CNY/Wh (a ${SIZING_STORAGE_HOURS}-h system, power included) × (CRF + O&M ${costs.storageOmFractionPerYear.value}: ${costs.storageOmFractionPerYear.source})`,
      costs.storageOmFractionPerYear.grade,
    ),
    a(
      'sizing.batteryFade',
      fadeFactor,
      '',
      `capacity in ${year}: calendar fade ${bat.fadePerYear}/yr and ${bat.fadePerCycle}/cycle at one cycle a day over ${age} years`,
      'assumption',
    ),
    a(
      'sizing.premiumCnyPerMwh',
      premium * 1,
      'CNY/MWh',
      'the scenario’s contracted green-power premium (or its default)',
      'input',
    ),
    a(
      'sizing.bounds',
      0,
      '',
      `${SIZING_BOUNDS.source}; here PV ≤ ${Math.round(bounds.maxPvKw)} kW, wind ≤ ${Math.round(bounds.maxWindKw)} kW, storage ≤ ${Math.round(bounds.maxBatteryKwh)} kWh and ${Math.round(bounds.maxBatteryKw)} kW, contracts ≤ ${bounds.maxContractedShare}`,
      'assumption',
    ),
  ];
  assumptions[assumptions.length - 1].value = 'see source';
  let loadKwh = 0;
  for (let h = 0; h < loadKw.length; h++) loadKwh += loadKw[h];
  return {
    scenario,
    raw: rawObj,
    cluster: c,
    clusterId: pc.ref.id,
    year,
    loadKw,
    pricesCnyPerKwh: prices,
    pvUnit,
    windUnit,
    pvCnyPerKwYear: pvCny,
    windCnyPerKwYear: windCny,
    batteryCnyPerKwhYear: batCny,
    premiumCnyPerKwh: premium / 1000,
    certificatesKwh: certKwh,
    certificatesCny: certCny,
    sq: Math.sqrt(bat.roundTripEfficiency),
    depthOfDischarge: bat.depthOfDischarge,
    fadeFactor,
    demandCnyPerKw: demand.demandCnyPerKw,
    floorKw: demand.floorKw,
    bounds,
    assumptions,
    loadMwh: loadKwh / 1000,
  };
}

/** Contract shares the hourly target is searched over, as fractions of its level. */
export const HOURLY_SHARE_STEPS = [0, 0.25, 0.5, 0.75, 1] as const;

/**
 * The least-cost mix for a target (or, with none, for money alone) over the setup's year. An annual
 * target is one LP (interior point, no crossover: the sizes, not a basis, are wanted). An hourly
 * target is a MILP per contract share s ∈ {0, ¼, ½, ¾, 1} × the level (the engine spreads a contract
 * as one share of every hour's import, so the hour's green supply is s·L + (1 − s)(u + d), linear for
 * a fixed s), each from a feasible start where there is one, within the time limit; the cheapest wins.
 *
 * @example
 * solveSizing(setup, { greenShare: 0.8 }, lp) // → { pvKw, windKw, batteryKwh, batteryKw, contractedShare, … }
 */
export function solveSizing(
  s: SizingSetup,
  target: SizingTarget | null,
  lp: LpSolver,
  opts: Pick<LpOptions, 'timeLimitS' | 'mipRelGap'> = {},
): SizedMix {
  if (target?.hourlyLevel === undefined)
    return solveOne(s, target, null, lp, { ...opts, solver: 'ipm', crossover: false });
  const level = target.hourlyLevel;
  let best: SizedMix | null = null;
  for (const k of HOURLY_SHARE_STEPS) {
    const share = Math.min(k * level, s.bounds.maxContractedShare);
    const m = solveOne(s, target, share, lp, opts);
    if (Number.isFinite(m.lpCostCny) && (!best || m.lpCostCny < best.lpCostCny)) best = m;
  }
  return best ?? solveOne(s, target, 0, lp, opts);
}

/** One program: the annual target (C free), or the hourly one at a fixed contract share. */
function solveOne(
  s: SizingSetup,
  target: SizingTarget | null,
  share: number | null,
  lp: LpSolver,
  opts: LpOptions,
): SizedMix {
  const n = s.loadKw.length;
  const hourly = share !== null && target?.hourlyLevel !== undefined;
  const level = target?.hourlyLevel ?? 0;
  // The hour's green need on on-site supply: (1 − s)(u + d) ≥ (level − s)·L·z; none when s ≥ level.
  const need = hourly ? Math.max(0, level - share) : 0;
  const binaries = hourly && need > 0;
  const b = lpBuilder(6 * n + 32, 20 * n);
  const PV = b.col(s.pvCnyPerKwYear, 0, s.bounds.maxPvKw);
  const W = b.col(s.windCnyPerKwYear, 0, s.bounds.maxWindKw);
  const E = b.col(s.batteryCnyPerKwhYear, 0, s.bounds.maxBatteryKwh);
  const Pb = b.col(0, 0, s.bounds.maxBatteryKw);
  b.row(-INF, 0, [Pb, E], [1, -1 / SIZING_STORAGE_HOURS]);
  // Contracts carry a hair of cost (1e-6 CNY/kWh) so that, at a premium of 0, the program buys only
  // what the target needs rather than any amount that costs nothing.
  const C = hourly ? -1 : b.col(s.premiumCnyPerKwh + 1e-6, 0, INF);
  const peaks: number[] = [];
  for (let m = 0; m < 12; m++)
    peaks.push(s.demandCnyPerKw[m] > 0 ? b.col(s.demandCnyPerKw[m], s.floorKw[m], INF) : -1);
  const u = new Int32Array(n);
  const d = new Int32Array(n);
  const z = binaries ? new Int32Array(n).fill(-1) : null;
  const socs = new Int32Array(n);
  // With a fixed share the premium is paid on s × the import serving the load: s·ΣL − s·Σ(u + d).
  const premiumOnUse = hourly ? (share as number) * (s.premiumCnyPerKwh + 1e-6) : 0;
  let offset = s.certificatesCny;
  let loadKwh = 0;
  let hoursWithLoad = 0;
  const { sq } = s;
  // Usable charge per kWh of storage: the depth of discharge of the faded capacity.
  const usable = s.depthOfDischarge * s.fadeFactor;
  for (let h = 0; h < n; h++) socs[h] = b.col(0, 0, INF);
  let m = 0;
  for (let h = 0; h < n; h++) {
    while (m < 11 && h >= MONTH_START_HOUR[m + 1]) m++;
    const L = s.loadKw[h];
    const p = s.pricesCnyPerKwh[h];
    offset += (p + premiumOnUse) * L;
    loadKwh += L;
    if (L > 0) hoursWithLoad++;
    u[h] = b.col(-p - premiumOnUse, 0, L);
    const cs = b.col(0, 0, INF);
    d[h] = b.col(-p - premiumOnUse, 0, L);
    b.row(-INF, 0, [u[h], cs, PV, W], [1, 1, -s.pvUnit[h], -s.windUnit[h]]);
    b.row(-INF, L, [u[h], d[h]], [1, 1]);
    b.row(-INF, 0, [cs, d[h], Pb], [1, 1, -1]);
    const prev = socs[h === 0 ? n - 1 : h - 1];
    b.row(0, 0, [socs[h], prev, cs, d[h]], [1, -1, -sq, 1 / sq]);
    b.row(-INF, 0, [socs[h], E], [1, -usable]);
    if (peaks[m] >= 0) b.row(-INF, -L, [u[h], d[h], peaks[m]], [-1, -1, -1]);
    if (z && L > 0) {
      z[h] = b.col(0, 0, 1, true);
      b.row(0, INF, [u[h], d[h], z[h]], [1 - (share as number), 1 - (share as number), -need * L]);
    }
  }
  b.offset(offset);
  if (!hourly) {
    if (target) {
      // Σ(u + d) + C ≥ target·ΣL − certificates
      const cols: number[] = [C];
      const coefs: number[] = [1];
      for (let h = 0; h < n; h++) {
        cols.push(u[h], d[h]);
        coefs.push(1, 1);
      }
      b.row(target.greenShare * loadKwh - s.certificatesKwh, INF, cols, coefs);
    }
    // C ≤ s_max · Σ(L − u − d)
    const cols: number[] = [C];
    const coefs: number[] = [1];
    for (let h = 0; h < n; h++) {
      cols.push(u[h], d[h]);
      coefs.push(s.bounds.maxContractedShare, s.bounds.maxContractedShare);
    }
    b.row(-INF, s.bounds.maxContractedShare * loadKwh, cols, coefs);
  } else if (z) {
    const zs: number[] = [];
    for (let h = 0; h < n; h++) if (z[h] >= 0) zs.push(z[h]);
    b.row(
      Math.ceil((target as SizingTarget).greenShare * hoursWithLoad - 1e-9),
      INF,
      zs,
      zs.map(() => 1),
    );
  }
  const program = b.build();
  const sol = lp.solve(program, opts);
  const ok = sol.status === 'optimal' || (sol.status === 'time-limit' && Number.isFinite(sol.objective));
  const x = sol.x;
  let onsite = 0;
  let servedKwh = 0;
  let hoursMet = 0;
  for (let h = 0; h < n; h++) {
    const g = x[u[h]] + x[d[h]];
    onsite += g;
    servedKwh += s.loadKw[h] - g;
    if (hourly && s.loadKw[h] > 0) {
      const green = (share as number) * s.loadKw[h] + (1 - (share as number)) * g;
      if (green >= level * s.loadKw[h] - 1e-6) hoursMet++;
    }
  }
  const contractedKwh = hourly ? (share as number) * servedKwh : x[C];
  const clean = (v: number) => (ok ? (v < 1e-3 ? 0 : v) : Number.NaN); // interior-point dust below 1 W or 1 Wh
  return {
    status: sol.status === 'unbounded' ? 'other' : sol.status,
    statusText: hourly
      ? `${sol.statusText} (contract share ${(share as number).toFixed(3)})`
      : sol.statusText,
    pvKw: clean(x[PV]),
    windKw: clean(x[W]),
    batteryKwh: clean(x[E]),
    batteryKw: clean(x[Pb]),
    contractedShare: ok
      ? hourly
        ? (share as number)
        : servedKwh > 0
          ? Math.min(1, contractedKwh / servedKwh)
          : 0
      : Number.NaN,
    contractedMwh: clean(contractedKwh / 1000),
    greenShareLp: ok
      ? hourly
        ? hoursMet / Math.max(1, hoursWithLoad)
        : Math.min(1, (onsite + contractedKwh + s.certificatesKwh) / loadKwh)
      : Number.NaN,
    lpCostCny: ok ? sol.objective : Number.NaN,
    mipGap: sol.mipGap,
  };
}

/** The scenario with a mix put into its cluster (sizes in kW/kWh; the battery on the `surplus` policy). */
export function withMix(s: SizingSetup, mix: SizedMix): Record<string, unknown> {
  const raw = s.raw;
  const clusters = (raw.clusters as Array<Record<string, unknown>>).slice();
  const defaults = (raw.defaults ?? {}) as Record<string, unknown>;
  const own = clusters[s.cluster];
  const g = {
    ...((own.green ?? defaults.green ?? {}) as Record<string, Record<string, unknown> | undefined>),
  };
  const round = (v: number) => Math.round(v * 10) / 10;
  if (mix.pvKw > 0.05) g.pv = { ...(g.pv ?? {}), dcKw: round(mix.pvKw) };
  else delete g.pv;
  if (mix.windKw > 0.05) g.wind = { ...(g.wind ?? {}), ratedKw: round(mix.windKw) };
  else delete g.wind;
  if (mix.batteryKwh > 0.05 && mix.batteryKw > 0.05)
    g.battery = {
      ...(g.battery ?? {}),
      energyKwh: round(mix.batteryKwh),
      powerKw: round(mix.batteryKw),
      policy: 'surplus',
    };
  else delete g.battery;
  const ct = { ...((g.contracted ?? {}) as Record<string, unknown>) };
  delete ct.mwh;
  ct.share = Number(mix.contractedShare.toFixed(6));
  g.contracted = ct;
  clusters[s.cluster] = { ...own, green: g };
  return { ...raw, clusters };
}

/** What the full simulation of the scenario with the mix gives in the sized year. */
export interface SizingConfirmation {
  /** The engine's green share of the year (contracts, on-site, green discharge, certificates ÷ facility energy). */
  greenShare: number;
  /** Share of the year's hours with load whose green supply reached the hourly level (with one). */
  hoursShare: number | null;
  /** The year's electricity cost (bill, premiums, certificates, less export) + the mix's capital recovery and O&M, CNY. */
  annualCostCny: number;
  electricityCostCny: number;
  met: boolean;
}

/**
 * Simulate the scenario with the mix (every year, the assets as the scenario's cluster would have
 * them) and read the sized year: green share, hours at the hourly level, cost.
 */
export function confirmSizing(
  s: SizingSetup,
  mix: SizedMix,
  target: SizingTarget | null,
  ref: EngineReference,
  opts: Pick<PrepareOptions, 'weather'> & Pick<RunOptions, 'cache'> = {},
): SizingConfirmation {
  const scenario = parseScenario(withMix(s, mix));
  const run = prepareRun(scenario, ref, { weather: opts.weather, cache: opts.cache, clusters: [s.cluster] });
  const r = simulate(run, ref, { cache: opts.cache, keepHourly: (_id, y) => y === s.year });
  const row = r.clusters[0].annual.find((a) => a.year === s.year)!;
  let hoursShare: number | null = null;
  if (target?.hourlyLevel !== undefined) {
    const h = r.hourly[0];
    let met = 0;
    let withLoad = 0;
    for (let i = 0; i < h.facilityKw.length; i++) {
      if (!(h.facilityKw[i] > 0)) continue;
      withLoad++;
      if (h.greenKw[i] >= target.hourlyLevel * h.facilityKw[i] - 1e-9) met++;
    }
    hoursShare = withLoad ? met / withLoad : 0;
  }
  const assets =
    mix.pvKw * s.pvCnyPerKwYear + mix.windKw * s.windCnyPerKwYear + mix.batteryKwh * s.batteryCnyPerKwhYear;
  const met = target
    ? target.hourlyLevel !== undefined
      ? (hoursShare as number) >= target.greenShare - 1e-9
      : row.greenShare >= target.greenShare - 1e-6
    : true;
  return {
    greenShare: row.greenShare,
    hoursShare,
    annualCostCny: row.electricityCostCny + assets,
    electricityCostCny: row.electricityCostCny,
    met,
  };
}

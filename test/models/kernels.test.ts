import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coolingDesign, FREE, facilityLoad, PARTIAL, prepareCooling } from '../../models/cooling.ts';
import { inKernelMemory, kernelCopy, kernelF64, restartKernels } from '../../models/kernels/index.ts';
import { KERNELS_WASM_BASE64 } from '../../models/kernels/wasm.ts';
import { parseScenario } from '../../models/scenario.ts';
import { prepareRun, simulate } from '../../models/simulate.ts';
import { type BalanceInput, type BalanceWork, balanceWork, energyBalance } from '../../models/storage.ts';
import { dispatchSums, GREEN_ONLY, NO_BATTERY } from '../../models/storage-dispatch.ts';
import { CHARGE, DISCHARGE } from '../../models/storage-policy.ts';
import {
  FLAT,
  hourlyPeriods,
  hourlyPriceCnyPerKwh,
  monthlyBills,
  PEAK,
  type TariffInput,
  VALLEY,
} from '../../models/tariff.ts';
import { engineReference, SEEDS, seededClimates } from '../../seeds/index.ts';

// The WebAssembly kernels (models/kernels) are the engine's only hourly loops for the dispatch, the
// facility load and the bills: their numbers are checked against hand calculations by the tests of
// those models (green, cooling, chiller, tariff). These tests hold what is particular to the kernels:
// the committed bytes are those of the committed source, an array gives the same numbers wherever it
// lives, and no array of the kernels' memory leaves the engine in a result.

/** Every Float64Array/Uint8Array reachable from `x`, with its path. */
function* typedArrays(
  x: unknown,
  path = 'result',
  seen = new Set<object>(),
): Generator<[string, ArrayBufferView]> {
  if (!x || typeof x !== 'object' || seen.has(x)) return;
  seen.add(x);
  if (ArrayBuffer.isView(x)) {
    yield [path, x];
    return;
  }
  for (const [k, v] of Object.entries(x)) yield* typedArrays(v, `${path}.${k}`, seen);
}

/** A balance work whose every array is an ordinary one (the kernels then copy them in and out). */
function ordinaryWork(n = 8760): BalanceWork {
  const w = balanceWork(n);
  return {
    ...w,
    grid: new Float64Array(n),
    served: new Float64Array(n),
    contracted: new Float64Array(n),
    green: new Float64Array(n),
    soc: new Float64Array(n),
    greenMonths: new Float64Array(12),
    levels: new Float64Array(24),
    sums: dispatchSums(),
    acc: new Float64Array(12),
    par: new Float64Array(10),
  };
}

const ref = engineReference();

/** Two years of 1,000 racks of 5 kW at 60 % occupancy in `cluster`, with the on-site supply `green`. */
const twoYears = (cluster: string, green: Record<string, unknown>) => ({
  name: 'kernels',
  startYear: 2025,
  years: 2,
  clusters: [
    {
      cluster,
      buildout: [{ year: 2025, racks: 1000, kwPerRack: '5 kW' }],
      occupancy: 0.6,
      cooling: { design: 'water-cooled-chiller-wse' },
      green,
    },
  ],
});

const bits = (a: Float64Array | null) => (a ? Array.from(new Uint32Array(a.slice().buffer)) : null);

describe('WebAssembly kernels', () => {
  const gansu = SEEDS.tariffs.find((t) => t.id === 'gansu-2021')!;
  const gansuTariff = (twoPart: TariffInput['twoPart']): TariffInput => ({
    calendar: gansu,
    energyPriceCnyPerKwh: 0.3,
    tdCnyPerKwh: 0.1,
    fundsCnyPerKwh: 0.02,
    touAppliesTo: 'energy',
    twoPart,
    incentive: { kind: 'none' },
  });
  it('the committed bytes are a fresh compile of the committed AssemblyScript source', () => {
    // bin/build-kernels.mjs with the pinned compiler; `npm run build:kernels` rewrites models/kernels/wasm.ts.
    const root = new URL('../../', import.meta.url);
    const fresh = execFileSync(process.execPath, ['bin/build-kernels.mjs', '--print'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(fresh.trim()).toBe(KERNELS_WASM_BASE64);
  }, 120_000);

  it('the codes a kernel restates (AssemblyScript cannot import TypeScript) are the engine’s own', () => {
    // Each `const NAME: type = value;` at the top level of a kernel's source, against the constant the
    // TypeScript side writes into the arrays and parameters it passes.
    const engine: Record<string, Record<string, number>> = {
      'dispatch.ts': { DISCHARGE, CHARGE, NO_BATTERY, GREEN_ONLY },
      'facility.ts': { PARTIAL, FREE },
      'bill.ts': { VALLEY, FLAT, PEAK },
    };
    for (const [file, codes] of Object.entries(engine)) {
      const source = readFileSync(new URL(`../../models/kernels/assembly/${file}`, import.meta.url), 'utf8');
      const stated = Object.fromEntries(
        [...source.matchAll(/^const (\w+): \w+ = (\d+);$/gm)].map((m) => [m[1], Number(m[2])]),
      );
      expect(stated, file).toEqual(codes);
    }
  });

  it('the dispatch gives the same numbers, to the bit, whether its arrays are in the kernel memory or copied in', () => {
    const periods = hourlyPeriods(gansu, 2025);
    const tariff = gansuTariff({ kind: 'none' });
    const prices = hourlyPriceCnyPerKwh(tariff, 2025, periods);
    const load = new Float64Array(8760).map((_, h) => 900 + 300 * Math.sin((2 * Math.PI * h) / 24) ** 2);
    const pv = new Float64Array(8760).map((_, h) =>
      Math.max(0, 800 * Math.sin((2 * Math.PI * (h - 6)) / 24)),
    );
    for (const policy of ['arbitrage', 'peak-shaving', 'surplus'] as const)
      for (const contracted of [
        { kind: 'share', share: 0.3 },
        { kind: 'mwh', mwh: 2000 },
      ] as const) {
        const input = (inKernel: boolean): BalanceInput => ({
          loadKw: inKernel ? kernelCopy(load) : load,
          onsiteKw: inKernel ? kernelCopy(pv) : pv,
          periods: inKernel ? kernelCopy(periods) : periods,
          pricesCnyPerKwh: inKernel ? kernelCopy(prices) : prices,
          battery: {
            energyKwh: 4000,
            powerKw: 1000,
            roundTripEfficiency: 0.88,
            depthOfDischarge: 0.9,
            policy,
          },
          initialSocKwh: 2000,
          initialGreenFraction: 0.5,
          exportCapKw: 100,
          contracted,
        });
        const work = balanceWork();
        expect(inKernelMemory(work.grid)).toBe(true);
        const a = energyBalance(input(true), work);
        const aGrid = bits(a.gridKw);
        const aSoc = bits(a.socKwh);
        const aGreen = bits(a.greenKw);
        const b = energyBalance(input(false), ordinaryWork());
        expect(inKernelMemory(b.gridKw)).toBe(false);
        expect(bits(b.gridKw)).toEqual(aGrid);
        expect(bits(b.socKwh)).toEqual(aSoc);
        expect(bits(b.greenKw)).toEqual(aGreen);
        expect({ ...b, gridKw: 0, socKwh: 0, greenKw: 0, contractedKw: 0, greenByMonthKwh: 0 }).toEqual({
          ...a,
          gridKw: 0,
          socKwh: 0,
          greenKw: 0,
          contractedKw: 0,
          greenByMonthKwh: 0,
        });
        expect(b.dischargeMwh).toBeGreaterThan(0);
      }
  });

  it('the facility load and the bills give the same numbers, to the bit, from ordinary arrays', () => {
    const d = coolingDesign('water-cooled-chiller-wse');
    const prof = prepareCooling(d, seededClimates().wuhan);
    expect(inKernelMemory(prof.coolingKwPerKwHeat)).toBe(true);
    // The same profile with every hourly array an ordinary copy.
    const plainCircuit = (c: typeof prof.water) =>
      c && {
        ...c,
        loadPerKwHeat: c.loadPerKwHeat.slice(),
        capFt: c.capFt.slice(),
        eirFt: c.eirFt.slice(),
        rejectKwPerKw: c.rejectKwPerKw.slice(),
        rejectWaterLPerKwh: c.rejectWaterLPerKwh.slice(),
      };
    const plain = {
      ...prof,
      mode: prof.mode.slice(),
      coolingKwPerKwHeat: prof.coolingKwPerKwHeat.slice(),
      waterLPerKwhHeat: prof.waterLPerKwhHeat.slice(),
      water: plainCircuit(prof.water),
      air: plainCircuit(prof.air),
    };
    expect(inKernelMemory(plain.coolingKwPerKwHeat)).toBe(false);
    const it = new Float64Array(8760).map((_, h) => 3000 + 1500 * Math.sin((2 * Math.PI * h) / 168) ** 2);
    const sizing = { installedItKw: 6500, energisedItKw: 5000 };
    const outA = { facilityKw: kernelF64(8760), waterL: kernelF64(8760), months: kernelF64(36) };
    const sA = facilityLoad(kernelCopy(it), sizing, d, prof, outA);
    const outB = {
      facilityKw: new Float64Array(8760),
      waterL: new Float64Array(8760),
      months: new Float64Array(36),
    };
    const sB = facilityLoad(it, sizing, d, plain, outB);
    expect(sB).toEqual(sA);
    expect(bits(outB.facilityKw)).toEqual(bits(outA.facilityKw));
    expect(bits(outB.waterL)).toEqual(bits(outA.waterL));
    expect(bits(outB.months)).toEqual(bits(outA.months));

    const tariff = gansuTariff({ kind: 'demand', cnyPerKwMonth: 30 });
    const periods = hourlyPeriods(tariff.calendar, 2025);
    const prices = hourlyPriceCnyPerKwh(tariff, 2025, periods);
    const billA = monthlyBills(outA.facilityKw, tariff, 2025, kernelCopy(prices), kernelCopy(periods));
    const billB = monthlyBills(outB.facilityKw, tariff, 2025, prices, periods);
    expect(billB).toEqual(billA);
  });

  it('blocks of the kernel memory do not overlap; an empty array takes none', () => {
    // The collector's callback frees a block by its offset: two arrays on one offset would free the
    // other's block. An empty array is an ordinary one.
    const empty = kernelF64(0);
    const a = kernelF64(8760);
    const b = kernelF64(8760);
    expect(inKernelMemory(empty)).toBe(false);
    expect([inKernelMemory(a), inKernelMemory(b)]).toEqual([true, true]);
    const [lo, hi] = a.byteOffset < b.byteOffset ? [a, b] : [b, a];
    expect(lo.byteOffset + lo.byteLength).toBeLessThanOrEqual(hi.byteOffset);
  });

  it("no array of a run's result lives in the kernel memory (a result is posted between threads whole)", () => {
    // Structured cloning a view copies its whole buffer: a result holding a view on the kernels' 64 MiB
    // memory would post all of it. Hourly series are copied out of the engine's buffers.
    const input = twoYears('qingyang', {
      pv: { dcKw: '5 MW' },
      battery: { energyKwh: '4 MWh', powerKw: '1 MW', policy: 'arbitrage' },
    });
    const r = simulate(prepareRun(parseScenario(input), ref), ref, { keepHourly: () => true });
    const arrays = [...typedArrays(r)];
    expect(arrays.length).toBeGreaterThan(5); // the hourly series are there
    const inKernel = arrays.filter(([, a]) => inKernelMemory(a)).map(([p]) => p);
    expect(inKernel).toEqual([]);
  });

  it('with a full kernel memory, arrays are ordinary ones and a run gives the same numbers', () => {
    const input = twoYears('wuhan', {
      battery: { energyKwh: '2 MWh', powerKw: '0.5 MW', policy: 'peak-shaving' },
    });
    const before = simulate(prepareRun(parseScenario(input), ref), ref);
    try {
      // The smallest memory: room for the staging area only, so every array is copied in and out.
      restartKernels(0);
      const a = kernelF64(8760);
      expect(inKernelMemory(a)).toBe(false);
      expect(a.length).toBe(8760);
      const after = simulate(prepareRun(parseScenario(input), ref), ref);
      expect(after.clusters).toEqual(before.clusters);
    } finally {
      restartKernels();
    }
  });
});

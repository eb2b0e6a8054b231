import { MONTH_START_HOUR } from '../calendar.ts';
import { KERNELS_WASM_BASE64 } from './wasm.ts';

/**
 * The engine's hottest loops as WebAssembly (source: models/kernels/assembly/, AssemblyScript; bytes:
 * models/kernels/wasm.ts, built by bin/build-kernels.mjs): the battery dispatch of the energy balance,
 * the facility load's hourly loop and the hourly sums of the bills. The same operations as the
 * JavaScript they replaced, so the same numbers to the last bit, in 28–32 % less time for the first two
 * and half for the bills, measured in whole runs (docs/ARCHITECTURE.md, "Kernels"; CHANGELOG).
 *
 * A kernel reads and writes arrays in its own linear memory. Arrays the engine passes to a kernel
 * every year (hourly buffers, cooling profiles, battery windows) are made there by `kernelF64` and
 * `kernelU8`, so a call copies nothing; any other array is copied into a staging area for the call
 * and, if the kernel writes it, copied back. The memory has a fixed size: growing it would detach
 * every array made on it. It is reserved, not used: the system commits its pages as they are first
 * written. When it is full, `kernelF64` gives an ordinary array (the call then copies it: slower, the
 * same numbers). A kernel array is handed back to the heap when the garbage collector takes it, so
 * keep no view of one (subarray) beyond the array itself.
 */

/** 64 KiB pages of the kernels' memory: 64 MiB, ≈ 900 hourly year-arrays. */
const PAGES = 1024;
let pages = PAGES;
/** Bytes from 0 that nothing uses (pointer 0 stands for an array the kernel does not read). */
const NULL_BYTES = 64;
/** The hour after the last of each month (Int32 × 12): the kernels run month by month. */
const MONTH_END = NULL_BYTES;
/** Where the staging area starts. */
const RESERVED = MONTH_END + 64;
/** Staging area for arrays made outside the memory: the most one call passes (22 year-arrays). */
const STAGING_BYTES = 22 * 8784 * 8 + 4096;

interface Exports {
  dispatchHours(...ptr: number[]): void;
  facilityHours(...ptr: number[]): void;
  plantPower(...x: number[]): number;
  billHours(...ptr: number[]): void;
}

interface Instance {
  exports: Exports;
  /** The memory's buffer (a fixed-size memory keeps one buffer for good). */
  buffer: ArrayBuffer;
  /** Next free byte above the staging area; freed blocks by size. */
  top: number;
  free: Map<number, number[]>;
  registry: FinalizationRegistry<number>;
  /** Byte size of each block in use, by its offset. */
  sizes: Map<number, number>;
}

let instance: Instance | null = null;

/** The compiled kernels, instantiated when first used (never on the page's main thread). */
function kernels(): Instance {
  if (instance) return instance;
  if (typeof WebAssembly === 'undefined')
    throw new Error(
      "dcplan's engine needs WebAssembly, which this JavaScript runtime does not offer (Node with --jitless, or a browser with it disabled)",
    );
  const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  new Int32Array(memory.buffer, MONTH_END, 12).set(MONTH_START_HOUR.slice(1));
  const sizes = new Map<number, number>();
  const free = new Map<number, number[]>();
  const registry = new FinalizationRegistry<number>((offset) => {
    const size = sizes.get(offset);
    if (size === undefined) return;
    sizes.delete(offset);
    const list = free.get(size);
    if (list) list.push(offset);
    else free.set(size, [offset]);
  });
  instance = {
    exports: wasm.exports as unknown as Exports,
    buffer: memory.buffer,
    top: RESERVED + STAGING_BYTES,
    free,
    registry,
    sizes,
  };
  return instance;
}

/**
 * For tests: the kernels start again on a memory of `n` pages (default 64 MiB); the arrays made on the
 * previous memory are ordinary arrays to them (copied in and out at each call). With the fewest pages
 * (the staging area: 25) every new array is an ordinary one, as when the memory is full.
 */
export function restartKernels(n = PAGES): void {
  pages = Math.max(n, Math.ceil((RESERVED + STAGING_BYTES) / 65536));
  instance = null;
}

/**
 * A block of `bytes` (a positive multiple of 8) in the heap, or −1 when it is full. Each block in use
 * has its own offset, which is how the garbage collector's callback finds its size.
 */
function allocate(k: Instance, bytes: number): number {
  if (!(bytes > 0)) return -1;
  const reused = k.free.get(bytes)?.pop();
  if (reused !== undefined) return reused;
  if (k.top + bytes > k.buffer.byteLength) return -1;
  const offset = k.top;
  k.top += bytes;
  return offset;
}

function register<T extends Float64Array | Uint8Array>(
  k: Instance,
  view: T,
  offset: number,
  bytes: number,
): T {
  k.sizes.set(offset, bytes);
  k.registry.register(view, offset);
  return view;
}

/** A zeroed Float64Array of `n` in the kernels' memory (an ordinary one when the memory is full). */
export function kernelF64(n: number): Float64Array {
  const k = kernels();
  const bytes = n * 8;
  const offset = allocate(k, bytes);
  if (offset < 0) return new Float64Array(n);
  const view = new Float64Array(k.buffer, offset, n);
  view.fill(0);
  return register(k, view, offset, bytes);
}

/** A zeroed Uint8Array of `n` in the kernels' memory (an ordinary one when the memory is full). */
export function kernelU8(n: number): Uint8Array {
  const k = kernels();
  const bytes = (n + 7) & ~7;
  const offset = allocate(k, bytes);
  if (offset < 0) return new Uint8Array(n);
  const view = new Uint8Array(k.buffer, offset, n);
  view.fill(0);
  return register(k, view, offset, bytes);
}

/** A copy of `a` in the kernels' memory (for a series the engine memoises and passes every year). */
export function kernelCopy<T extends Float64Array | Uint8Array>(a: T): T {
  const copy = (a instanceof Float64Array ? kernelF64(a.length) : kernelU8(a.length)) as T;
  copy.set(a);
  return copy;
}

/** Whether `a` lives in the kernels' memory (a call passes it without copying). */
export function inKernelMemory(a: ArrayBufferView): boolean {
  return instance !== null && a.buffer === instance.buffer;
}

type Arr = Float64Array | Uint8Array;

/**
 * Pointers of one call's arrays: an array in the kernels' memory as it is, any other copied into the
 * staging area (and copied back after the call when the kernel may write it). An empty array is
 * pointer 0: the caller's flags tell the kernel not to touch it.
 */
class Call {
  private staged = RESERVED;
  private back: [Arr, number][] = [];
  constructor(private readonly k: Instance) {}

  ptr(a: Arr, written = false): number {
    if (a.length === 0) return 0;
    if (a.buffer === this.k.buffer) return a.byteOffset;
    const offset = this.staged;
    this.staged += (a.byteLength + 7) & ~7;
    if (this.staged > RESERVED + STAGING_BYTES)
      throw new Error('kernels: a call passed more than its staging area holds');
    new Uint8Array(this.k.buffer, offset, a.byteLength).set(
      new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
    );
    if (written) this.back.push([a, offset]);
    return offset;
  }

  /** Copy the staged arrays the kernel wrote back to the caller's. */
  done(): void {
    for (const [a, offset] of this.back)
      new Uint8Array(a.buffer, a.byteOffset, a.byteLength).set(
        new Uint8Array(this.k.buffer, offset, a.byteLength),
      );
  }
}

/**
 * The battery dispatch's hourly loop (models/kernels/assembly/dispatch.ts): `par` holds its scalars,
 * sums go to `acc` (see models/storage-dispatch.ts).
 */
export function dispatchKernel(
  load: Float64Array,
  onsite: Float64Array,
  window: Uint8Array,
  levels: Float64Array,
  par: Float64Array,
  grid: Float64Array,
  served: Float64Array,
  green: Float64Array,
  contracted: Float64Array,
  soc: Float64Array,
  greenMonths: Float64Array,
  acc: Float64Array,
): void {
  const k = kernels();
  const c = new Call(k);
  k.exports.dispatchHours(
    c.ptr(load),
    c.ptr(onsite),
    c.ptr(window),
    c.ptr(levels),
    c.ptr(par),
    c.ptr(grid, true),
    c.ptr(served, true),
    c.ptr(green, true),
    c.ptr(contracted, true),
    c.ptr(soc, true),
    c.ptr(greenMonths, true),
    MONTH_END,
    c.ptr(acc, true),
  );
  c.done();
}

/** A chiller circuit's plant constants and hourly arrays, as the facility loop reads them. */
export interface CircuitArrays {
  plant: Float64Array | null;
  load: Float64Array;
  cap: Float64Array;
  eir: Float64Array;
  rej: Float64Array;
  rejW: Float64Array;
}

/**
 * The facility load's hourly loop (models/kernels/assembly/facility.ts): `losses` holds a0, a1, a2,
 * dist; water per hour is written when `water` is not empty; sums go to `acc` (see
 * models/cooling/facility.ts).
 */
export function facilityKernel(
  itKw: Float64Array,
  losses: Float64Array,
  k: Float64Array,
  w: Float64Array,
  mode: Uint8Array,
  W: CircuitArrays,
  A: CircuitArrays,
  fac: Float64Array,
  water: Float64Array,
  months: Float64Array,
  acc: Float64Array,
): void {
  const ks = kernels();
  const c = new Call(ks);
  const flags = (W.plant ? 1 : 0) | (A.plant ? 2 : 0) | (water.length > 0 ? 4 : 0);
  const circuit = (x: CircuitArrays) =>
    x.plant
      ? [c.ptr(x.plant), c.ptr(x.load), c.ptr(x.cap), c.ptr(x.eir), c.ptr(x.rej), c.ptr(x.rejW)]
      : [0, 0, 0, 0, 0, 0];
  ks.exports.facilityHours(
    c.ptr(itKw),
    c.ptr(losses),
    c.ptr(k),
    c.ptr(w),
    c.ptr(mode),
    ...circuit(W),
    ...circuit(A),
    c.ptr(fac, true),
    c.ptr(water, true),
    c.ptr(months, true),
    MONTH_END,
    c.ptr(acc, true),
    flags,
  );
  c.done();
}

/**
 * Compressor power (kW) of a staged plant (constants from models/chiller.ts `stagedPlant`) at `loadKw`
 * of cooling with this hour's curve modifiers: the facility kernel's own formula.
 */
export function plantPowerKernel(sp: Float64Array, loadKw: number, capFt: number, eirFt: number): number {
  return kernels().exports.plantPower(
    sp[0],
    sp[1],
    sp[2],
    sp[3],
    sp[4],
    sp[5],
    sp[6],
    sp[7],
    loadKw,
    capFt,
    eirFt,
  );
}

/**
 * The hourly sums of a year's bills (models/kernels/assembly/bill.ts): per month m, into `acc` at 7m,
 * kWh, energy charge, peak kW and kWh by TOU period (see models/tariff.ts `monthlyBills`).
 */
export function billKernel(
  gridKw: Float64Array,
  price: Float64Array,
  periods: Uint8Array,
  acc: Float64Array,
): void {
  const k = kernels();
  const c = new Call(k);
  k.exports.billHours(c.ptr(gridKw), c.ptr(price), c.ptr(periods), MONTH_END, c.ptr(acc, true));
  c.done();
}

// Reading and writing the caller's arrays: each pointer is a byte offset into the kernels' memory,
// where the JavaScript side placed a Float64Array, Uint8Array or Int32Array (models/kernels/index.ts).

/** Element i of the f64 array at p. */
@inline export function getF(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

/** Sets element i of the f64 array at p. */
@inline export function setF(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/** Element i of the u8 array at p. */
@inline export function getU8(p: usize, i: i32): u8 {
  return load<u8>(p + <usize>i);
}

/** Element i of the i32 array at p. */
@inline export function getI32(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

/** Math.min and Math.max of two numbers, as JavaScript has them (NaN in, NaN out; −0 below +0): f64.min/max. */
@inline export function mn(a: f64, b: f64): f64 {
  return min<f64>(a, b);
}
@inline export function mx(a: f64, b: f64): f64 {
  return max<f64>(a, b);
}

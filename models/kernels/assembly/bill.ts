import { getF, getI32, getU8, setF } from './memory';

/**
 * The hourly sums of a year's electricity bills (models/tariff.ts `monthlyBills`, which builds the
 * month records from them). Compiled to WebAssembly with the other hourly loops (models/kernels): the
 * same additions in the same order as the JavaScript it replaced, so the same numbers to the last bit.
 *
 * For each month m, into `acc` at 7m: kWh, energy charge (CNY, Σ kW × the hour's all-in price), peak
 * kW, then kWh in the valley, flat, peak and critical periods (`per`: the hour's TOU period code).
 */

/** TOU period codes (models/tariff-calendar.ts). */
const VALLEY: u8 = 0;
const FLAT: u8 = 1;
const PEAK: u8 = 2;

export function billHours(gridKw: usize, price: usize, per: usize, monthEnd: usize, acc: usize): void {
  let h: i32 = 0;
  for (let m: i32 = 0; m < 12; m++) {
    const end = getI32(monthEnd, m);
    let kwh: f64 = 0;
    let cost: f64 = 0;
    let peakKw: f64 = 0;
    let v: f64 = 0;
    let f: f64 = 0;
    let pk: f64 = 0;
    let c: f64 = 0;
    for (; h < end; h++) {
      const kw = getF(gridKw, h);
      kwh += kw;
      cost += kw * getF(price, h);
      if (kw > peakKw) peakKw = kw;
      const p = getU8(per, h);
      if (p == VALLEY) v += kw;
      else if (p == FLAT) f += kw;
      else if (p == PEAK) pk += kw;
      else c += kw;
    }
    const a = 7 * m;
    setF(acc, a, kwh);
    setF(acc, a + 1, cost);
    setF(acc, a + 2, peakKw);
    setF(acc, a + 3, v);
    setF(acc, a + 4, f);
    setF(acc, a + 5, pk);
    setF(acc, a + 6, c);
  }
}

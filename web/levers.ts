/**
 * The investor's levers on /compare, applied to a scenario. Pure (no DOM), so tests can apply the same
 * levers to the engine directly.
 */

type Obj = Record<string, unknown>;
const clone = <T>(x: T): T => structuredClone(x);

/** Supply voltage levels a lever may force (models/tariff.ts VOLTAGE_LEVELS). */
export const LEVER_VOLTAGES = ['<1kV', '1-10kV', '35kV', '110kV', '220kV+'] as const;

/** The investor's levers; undefined = the scenario's own value. */
export interface Levers {
  /** Energy price of the flat period by cluster index (the agency or contract price), CNY/kWh. */
  price: Record<number, number>;
  incentive?: 'none' | 'delivered-price' | 'discount' | 'cap';
  incentiveValue?: number;
  /** The province the incentive applies to; undefined = every cluster. */
  incentiveProvince?: string;
  /** Supply voltage for every cluster (its T&D and demand rates follow); undefined = by contract capacity. */
  voltage?: (typeof LEVER_VOLTAGES)[number];
  discountRate?: number;
  /** Build cost per kW of IT design power (shell, site, power, cooling, back of house), CNY/kW. */
  buildCnyPerKwIt?: number;
  /** Rent per occupied kW of IT design power per month, power included, CNY. */
  rentCnyPerKwMonth?: number;
  greenPremiumCnyPerMwh?: number;
}

/**
 * Apply the levers to every cluster entry of a scenario: each entry gets its merged tariff, finance
 * and green blocks (defaults are merged shallowly by the engine, so a partial block would drop them).
 * `provinceOf` names a cluster id's province, for an incentive that applies to one province.
 */
export function applyLevers(
  base: Obj,
  lv: Levers,
  provinceOf: (clusterId: string) => string | undefined = () => undefined,
): Obj {
  const s = clone(base);
  const d = (s.defaults as Obj) ?? {};
  s.clusters = (s.clusters as Obj[]).map((c, i) => {
    const out: Obj = { ...c };
    const tariff: Obj = { ...((d.tariff as Obj) ?? {}), ...((c.tariff as Obj) ?? {}) };
    if (lv.price[i] !== undefined) tariff.energyPriceCnyPerKwh = lv.price[i];
    if (lv.voltage !== undefined) tariff.voltage = lv.voltage;
    const here = lv.incentiveProvince === undefined || provinceOf(String(c.cluster)) === lv.incentiveProvince;
    if (lv.incentive && here) {
      if (lv.incentive === 'none') tariff.incentive = { kind: 'none' };
      else if (lv.incentive === 'discount')
        tariff.incentive = { kind: 'discount', fraction: lv.incentiveValue ?? 0.1 };
      else tariff.incentive = { kind: lv.incentive, cnyPerKwh: lv.incentiveValue ?? 0.28 };
    }
    if (Object.keys(tariff).length) out.tariff = tariff;
    const finance: Obj = { ...((d.finance as Obj) ?? {}), ...((c.finance as Obj) ?? {}) };
    if (lv.discountRate !== undefined) finance.discountRate = lv.discountRate;
    if (lv.buildCnyPerKwIt !== undefined) {
      finance.buildCnyPerKwIt = lv.buildCnyPerKwIt;
      // an all-in capex would replace the build cost model the lever sets
      delete finance.capexCnyPerRack;
      delete finance.capexCnyPerKwIt;
    }
    if (lv.rentCnyPerKwMonth !== undefined) {
      finance.rentCnyPerKwMonth = lv.rentCnyPerKwMonth;
      delete finance.rentCnyPerRackMonth;
    }
    if (Object.keys(finance).length) out.finance = finance;
    const green: Obj = { ...((d.green as Obj) ?? {}), ...((c.green as Obj) ?? {}) };
    if (lv.greenPremiumCnyPerMwh !== undefined && green.contracted) {
      const ct: Obj = { ...(green.contracted as Obj), premiumCnyPerMwh: lv.greenPremiumCnyPerMwh };
      delete ct.priceCnyPerMwh;
      green.contracted = ct;
    }
    if (Object.keys(green).length) out.green = green;
    return out;
  });
  return s;
}

/** Lever values from URL parameters (`p0`, `p1`… per-cluster price; `v`, `inc`, `incv`, `incp`, `dr`, …). */
export function leversFromUrl(q: URLSearchParams): Levers {
  const num = (k: string) =>
    q.get(k) !== null && q.get(k) !== '' && Number.isFinite(Number(q.get(k))) ? Number(q.get(k)) : undefined;
  const lv: Levers = { price: {} };
  for (const [k] of q) {
    const m = /^p(\d+)$/.exec(k);
    if (m && num(k) !== undefined) lv.price[Number(m[1])] = num(k)!;
  }
  const inc = q.get('inc');
  if (inc === 'none' || inc === 'delivered-price' || inc === 'discount' || inc === 'cap') lv.incentive = inc;
  lv.incentiveValue = num('incv');
  const incp = q.get('incp');
  if (incp) lv.incentiveProvince = incp;
  const v = q.get('v');
  if (v && (LEVER_VOLTAGES as readonly string[]).includes(v)) lv.voltage = v as Levers['voltage'];
  lv.discountRate = num('dr');
  lv.buildCnyPerKwIt = num('build');
  lv.rentCnyPerKwMonth = num('rent');
  lv.greenPremiumCnyPerMwh = num('gp');
  return lv;
}

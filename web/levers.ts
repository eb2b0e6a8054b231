/**
 * The investor's levers on /compare, applied to a scenario. Pure (no DOM), so tests can apply the same
 * levers to the engine directly.
 */

type Obj = Record<string, unknown>;
const clone = <T>(x: T): T => structuredClone(x);

/** The investor's levers; undefined = the scenario's own value. */
export interface Levers {
  price: Record<number, number>;
  incentive?: 'none' | 'delivered-price' | 'discount' | 'cap';
  incentiveValue?: number;
  td?: number;
  funds?: number;
  discountRate?: number;
  capexCnyPerRack?: number;
  rentCnyPerRackMonth?: number;
  greenPremiumCnyPerMwh?: number;
}

/**
 * Apply the levers to every cluster entry of a scenario: each entry gets its merged tariff, finance
 * and green blocks (defaults are merged shallowly by the engine, so a partial block would drop them).
 */
export function applyLevers(base: Obj, lv: Levers): Obj {
  const s = clone(base);
  const d = (s.defaults as Obj) ?? {};
  s.clusters = (s.clusters as Obj[]).map((c, i) => {
    const out: Obj = { ...c };
    const tariff: Obj = { ...((d.tariff as Obj) ?? {}), ...((c.tariff as Obj) ?? {}) };
    if (lv.price[i] !== undefined) tariff.energyPriceCnyPerKwh = lv.price[i];
    if (lv.td !== undefined) tariff.tdCnyPerKwh = lv.td;
    if (lv.funds !== undefined) tariff.fundsCnyPerKwh = lv.funds;
    if (lv.incentive === 'none') tariff.incentive = { kind: 'none' };
    else if (lv.incentive === 'discount')
      tariff.incentive = { kind: 'discount', fraction: lv.incentiveValue ?? 0.1 };
    else if (lv.incentive) tariff.incentive = { kind: lv.incentive, cnyPerKwh: lv.incentiveValue ?? 0.28 };
    if (Object.keys(tariff).length) out.tariff = tariff;
    const finance: Obj = { ...((d.finance as Obj) ?? {}), ...((c.finance as Obj) ?? {}) };
    if (lv.discountRate !== undefined) finance.discountRate = lv.discountRate;
    if (lv.capexCnyPerRack !== undefined) {
      finance.capexCnyPerRack = lv.capexCnyPerRack;
      delete finance.capexCnyPerKwIt;
    }
    if (lv.rentCnyPerRackMonth !== undefined) finance.rentCnyPerRackMonth = lv.rentCnyPerRackMonth;
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

/** Lever values from URL parameters (`p0`, `p1`… per-cluster price; `td`, `funds`, `dr`, …). */
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
  lv.td = num('td');
  lv.funds = num('funds');
  lv.discountRate = num('dr');
  lv.capexCnyPerRack = num('capex');
  lv.rentCnyPerRackMonth = num('rent');
  lv.greenPremiumCnyPerMwh = num('gp');
  return lv;
}

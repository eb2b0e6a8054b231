import { type Comparison, TIE_SHARE } from '../models/compare.ts';
import { formatNumber } from './format.ts';
import { t, tf } from './i18n.ts';

/**
 * The ranking's verdict in words: a near tie (the top two within `TIE_SHARE` of the cost, the engine's
 * own threshold in models/compare.ts) said as one, else the cheapest and by how much.
 */
export function verdict(cmp: Comparison): { text: string; tie: boolean } {
  const ranked = cmp.ranking.filter((x) => x.costPerRackYearCny !== null);
  if (ranked.length < 2) return { text: t('No cluster has an occupied rack-year to rank.'), tie: false };
  const [a, b] = ranked;
  const gap = b.costPerRackYearCny! - a.costPerRackYearCny!;
  const share = gap / a.costPerRackYearCny!;
  const vars = {
    a: a.name,
    b: b.name,
    pct: `${formatNumber(share * 100, share < 0.01 ? 2 : 1)} %`,
    cny: formatNumber(gap, 0),
  };
  return share < TIE_SHARE
    ? {
        text: tf(
          'Near tie: {a} and {b} are within {pct} ({cny} CNY per rack-year) — closer than the inputs are known; the order between them can turn on any estimate.',
          vars,
        ),
        tie: true,
      }
    : { text: tf('{a} is cheapest, {pct} ({cny} CNY per rack-year) ahead of {b}.', vars), tie: false };
}

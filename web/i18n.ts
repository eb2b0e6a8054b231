import { ZH } from './i18n-zh.ts';

/**
 * English labels with a 中文 switch. Keys are the English text itself (the schema's and result's own
 * labels included), so a label without a translation falls back to English rather than to a key.
 * Numbers, dates, months and units follow the language too.
 */
export type Lang = 'en' | 'zh';

let current: Lang = 'en';

/** The language in use. */
export function lang(): Lang {
  return current;
}

/** Switch language (the caller re-renders). */
export function setLang(l: Lang): void {
  current = l;
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}

/**
 * The language of a first visit: 中文 when the browser prefers Chinese (any of its languages before
 * an English one), else English.
 *
 * @example
 * browserLang(['zh-CN', 'en']) // → 'zh'
 */
export function browserLang(langs: readonly string[]): Lang {
  for (const l of langs) {
    if (/^zh\b/i.test(l)) return 'zh';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

/** Translate an English label; untranslated labels stay English. */
export function t(en: string): string {
  return current === 'zh' ? (ZH[en] ?? en) : en;
}

/**
 * A sentence with values: the English template (the key) or its translation, with `{name}` slots
 * filled from `vars` — so word order can differ between the languages.
 *
 * @example
 * tf('{name} is cheapest', { name: 'Wuhan' }) // → 'Wuhan is cheapest' ('Wuhan 成本最低' in 中文)
 */
export function tf(en: string, vars: Record<string, string | number>): string {
  return t(en).replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

/** A name in the language in use when both forms are known (cluster and policy names). */
export function bi(en: string, zh?: string | null): string {
  return current === 'zh' && zh ? zh : en;
}

/** The BCP 47 locale of the page's numbers and dates. */
export const locale = (): string => (current === 'zh' ? 'zh-CN' : 'en-US');

const UNITS_ZH: Record<string, string> = {
  CNY: '元',
  'M CNY': '百万元',
  '10k CNY': '万元',
  '10k CNY/yr': '万元/年',
  'thousand CNY': '千元',
  'CNY/kWh': '元/kWh',
  'CNY/MWh': '元/MWh',
  'CNY/kW': '元/kW',
  'CNY/W': '元/W',
  'CNY/Wh': '元/Wh',
  'CNY/kVA/month': '元/kVA/月',
  'CNY/kW/month': '元/kW/月',
  'CNY/kW·month': '元/kW·月',
  'CNY/m³': '元/m³',
  'CNY/m^3': '元/m³',
  'CNY/MW': '元/MW',
  'CNY/rack-yr': '元/机架·年',
  'CNY/std-rack-yr': '元/标准机架·年',
  'CNY/MWh IT': '元/MWh（IT）',
  yr: '年',
  year: '年',
  '1/yr': '/年',
  'yr/yr': '/年',
  '1/cycle': '/次循环',
  rack: '架',
  racks: '架',
  'std racks': '标准机架',
  h: '小时',
  'h/yr': '小时/年',
  cycles: '次',
  grade: '级',
  pp: '个百分点',
  Gbps: 'Gbps',
  tCO2: '吨 CO₂',
  'kt CO₂': '千吨 CO₂',
  'kt CO2': '千吨 CO₂',
  't/yr': '吨/年',
  'MWh/yr': 'MWh/年',
  '(fraction)': '（比例）',
  '1–12': '1–12 月',
  'kg CO2/kWh': 'kg CO₂/kWh',
};

/** A unit in the language in use (CNY → 元; SI units stay as they are). */
export function unitText(unit: string): string {
  return current === 'zh' ? (UNITS_ZH[unit] ?? unit) : unit;
}

/** Month abbreviations, January first, in the language in use. */
export function monthNames(): string[] {
  return current === 'zh'
    ? Array.from({ length: 12 }, (_, i) => `${i + 1}月`)
    : ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
}

/** A date and time as the page's language writes it. */
export function dateTime(iso: string | number | Date): string {
  return new Date(iso).toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' });
}

/** A date (YYYY-MM-DD stays: it reads the same in both languages). */
export function dateOnly(d: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

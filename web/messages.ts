import type { FieldError } from '../models/scenario.ts';
import { paramTable } from './editor-params.ts';
import { CLUSTER_SCHEMA, type JS, SCENARIO_SCHEMA } from './editor-schema.ts';
import { lang, t, tf, unitText } from './i18n.ts';

/**
 * Field errors and engine warnings as a person reads them: the field's label (its schema label, in the
 * page's language) instead of its path, the rule in words, and — for the engine's warnings, which
 * models/ writes in English for the CLI, the API and the result JSON — a plain sentence in either
 * language, matched by pattern (`WARNINGS`). Translating on the page keeps the result contract as it
 * is; test/web/messages.test.ts runs every bundled scenario and fails on a warning no pattern reads.
 */

/** The schema node of a field path within a cluster (`tariff.voltage`, `buildout[2].racks`), or null. */
function nodeOf(path: string, root: JS): JS | null {
  let s: JS | null = root;
  for (const part of path.split('.').filter(Boolean)) {
    const key = part.replace(/\[\d*\]$/, '');
    const arr = /\[\d*\]$/.test(part);
    if (!s) return null;
    const props: Record<string, JS> | undefined =
      s.properties ??
      (s.oneOf ?? s.anyOf)?.reduce(
        (acc: Record<string, JS>, v: JS) => Object.assign(acc, v.properties ?? {}),
        {} as Record<string, JS>,
      );
    s = props?.[key] ?? null;
    if (s && arr) s = s.items ?? null;
  }
  return s;
}

/** A schema node's label in the page's language. */
export const schemaLabel = (s: JS): string =>
  lang() === 'zh' && s['x-zh'] ? String(s['x-zh']) : t(String(s.label ?? ''));

/** Which cluster and phase a path is about (`clusters[1].buildout[2].racks` → `2nd cluster, phase 3`). */
function whereOf(path: string, clusterName?: (i: number) => string): string {
  const parts: string[] = [];
  const c = /^clusters\[(\d+)\]/.exec(path);
  if (c && clusterName) parts.push(clusterName(Number(c[1])));
  else if (/^defaults\b/.test(path)) parts.push(t('All clusters (defaults)'));
  const ph = /buildout\[(\d+)\]/.exec(path);
  if (ph) parts.push(tf('phase {n}', { n: Number(ph[1]) + 1 }));
  return parts.join(t(', '));
}

/**
 * A field path as a person names it: its label (and unit), where it is (cluster, phase). Paths the
 * schema does not know keep their last part.
 *
 * @example
 * fieldLabel('clusters[0].buildout[2].standardRacks') // → 'Standard racks added (rack) — phase 3'
 */
export function fieldLabel(path: string, clusterName?: (i: number) => string): string {
  const inCluster = path.replace(/^(clusters\[\d+\]|defaults)\.?/, '');
  const top = path === inCluster;
  const node = inCluster ? nodeOf(inCluster, top ? SCENARIO_SCHEMA : CLUSTER_SCHEMA) : null;
  const where = whereOf(path, clusterName);
  const last =
    inCluster
      .split('.')
      .pop()
      ?.replace(/\[\d+\]$/, '') ?? '';
  const name = node?.label
    ? schemaLabel(node)
    : inCluster === ''
      ? t('Cluster')
      : /\.\$include$/.test(path)
        ? t('Include')
        : last === 'kind'
          ? t('Kind')
          : entryLabel(inCluster, last);
  return where ? `${name} — ${where}` : name;
}

/**
 * An entry of a map field by its map's label: a parameter override by the parameter's label
 * (`cooling.overrides.supplyAirC` → 'Design parameter overrides: Supply (server inlet) air temperature'),
 * a year of the escalation factors by its year; else the path's last part.
 */
function entryLabel(inCluster: string, last: string): string {
  const parentPath = inCluster.slice(0, -last.length - 1);
  const parent = parentPath ? nodeOf(parentPath, CLUSTER_SCHEMA) : null;
  if (!parent?.label) return last;
  const rows = paramTable(parentPath.replace(/\[\d*\]/g, ''), {}, {});
  const entry = rows && Object.hasOwn(rows, last) ? t(rows[last].label) : last;
  return `${schemaLabel(parent)}${t(': ')}${entry}`;
}

/** The rules the validator writes (models/validation.ts, models/scenario.ts), in Chinese. */
const RULES_ZH: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^is required$/, () => '必填'],
  [
    /^must be ([≥≤<>]) (-?[\d.e+]+)( — for ([\d.]+) %, write ([\d.]+) \(or "([\d.]+ %)"\))?$/,
    (m) => `须${m[1]} ${m[2]}${m[3] ? `——若指 ${m[4]} %，请写 ${m[5]}（或“${m[6]}”）` : ''}`,
  ],
  [/^must be a number \(got (\w+)\)$/, () => '须为数字'],
  [/^must be a whole number(.*)$/, () => '须为整数'],
  [
    /^must be a number, a string with a unit or expression, or a year schedule$/,
    () => '须为数字、带单位的文字或表达式，或逐年取值表',
  ],
  [/^must be one of (.*)$/, (m) => `须为以下之一：${m[1]}`],
  [/^must be (.+)$/, (m) => `须为 ${m[1]}`],
  [
    /^give exactly one of racks, standardRacks, itPowerKw$/,
    () => '新增机架数、新增标准机架数、新增IT设计功率三者须填且只填一项',
  ],
  [/^required with racks$/, () => '填写机架数时必填'],
  [/^required with itPowerKw$/, () => '填写IT设计功率时必填'],
  [/^must be after year$/, () => '须晚于投运年份'],
  [/^give share or mwh, not both$/, () => '比例与电量只能填一项'],
  [/^give premiumCnyPerMwh or priceCnyPerMwh, not both$/, () => '溢价与价格只能填一项'],
  [
    /^unknown field (.*?)(?: — did you mean (.*)\?)?(?: \(known: (.*)\))?$/,
    (m) => `未知字段 ${m[1]}${m[2] ? `——是否应为 ${m[2]}？` : ''}${m[3] ? `（可用：${m[3]}）` : ''}`,
  ],
  [
    /^unknown (.+?)( "[^"]*")?(?: — did you mean "([^"]*)"\?)? \(known: (.*)\)$/,
    (m) =>
      `未知的${KIND_ZH[m[1]] ?? m[1]}${m[2] ?? ''}${m[3] ? `——是否应为“${m[3]}”？` : ''}（可选：${m[4]}）`,
  ],
  [/^unknown parameter$/, () => '未知参数'],
  [/^is not a known kind$/, () => '不是已知类型'],
  [/^does not match any allowed form$/, () => '格式不符'],
  [/^must have at least (\d+) items?$/, (m) => `至少 ${m[1]} 项`],
  [
    /^must have at most (\d+) (items|characters)$/,
    (m) => `至多 ${m[1]} ${m[2] === 'items' ? '项' : '个字符'}`,
  ],
  [/^must have at least (\d+) characters?$/, (m) => `至少 ${m[1]} 个字符`],
  [/^(.*) \(in (\d{4})\)$/, (m) => `${ruleText(m[1])}（${m[2]} 年）`],
  [/^the engine worker failed: (.*)$/, (m) => `计算线程出错：${m[1]}`],
];

const KIND_ZH: Record<string, string> = {
  cluster: '集群',
  'cooling design': '制冷方案',
  parameter: '参数',
  'tariff calendar': '分时电价日历',
  powerCurve: '服务器功率曲线',
  workloadShape: '利用率曲线',
  target: '目标',
  incentive: '电价优惠',
};

/** A validator's rule in the page's language. */
export function ruleText(message: string): string {
  if (lang() !== 'zh') return message;
  for (const [re, zh] of RULES_ZH) {
    const m = re.exec(message);
    if (m) return zh(m);
  }
  return message;
}

/** A field error as a person reads it: the field's label and where it is, and the rule. */
export function errorText(
  e: FieldError,
  clusterName?: (i: number) => string,
): { label: string; rule: string } {
  return { label: e.path ? fieldLabel(e.path, clusterName) : t('Scenario'), rule: ruleText(e.message) };
}

/** What a warning is about, for grouping. */
export type WarningGroup = 'tariff' | 'carbon' | 'finance' | 'green' | 'cooling' | 'build' | 'inputs';

export const WARNING_GROUPS: Record<WarningGroup, string> = {
  build: 'Build-out and years',
  tariff: 'Electricity tariff',
  carbon: 'Grid emission factors',
  green: 'Green power and storage',
  cooling: 'Cooling',
  finance: 'Finance',
  inputs: 'Inputs outside their usual range',
};

/** A warning as the page shows it: its group, the field it is about, a plain sentence, and the original. */
export interface WarningView {
  group: WarningGroup;
  /** The field's label, in the page's language. */
  field: string;
  text: string;
  /** The engine's own text (sources and figures), shown on request. */
  original: string;
  /** Whether a pattern read it (a warning no pattern reads is shown as the engine wrote it). */
  known: boolean;
}

const num = (s: string) => s;
const yrs = (a: string, b?: string) => (b ? `${a}–${b}` : a);
const prov = (p: string) => t(p);

/** A pattern of the engine's warnings: its group and field, and its sentence in each language. */
interface WarningPattern {
  re: RegExp;
  group: WarningGroup;
  field: string;
  en: (m: RegExpExecArray) => string;
  zh: (m: RegExpExecArray) => string;
}

/** Every warning models/ writes (prepare/, inputs.ts, the tariff books in seeds/), by pattern. */
export const WARNINGS: WarningPattern[] = [
  {
    re: /^tariff: (\w+)'s grid-agency purchase price is NOT FOUND: the coal-fired benchmark ([\d.]+) CNY\/kWh(?:, [^,]*,)? stands in$/,
    group: 'tariff',
    field: 'tariff.energyPriceCnyPerKwh',
    en: (m) =>
      `${m[1]}'s grid-agency purchase price is not published: the coal-fired benchmark, ${m[2]} CNY/kWh, stands in.`,
    zh: (m) => `${prov(m[1])}电网代理购电价格未查到公开数据：以燃煤发电基准价 ${num(m[2])} 元/kWh 代替。`,
  },
  {
    re: /^tariff: (\w+)'s (\d{4}) agency purchase prices are NOT FOUND: the (\w+) (\d{4}) price ([\d.]+) CNY\/kWh stands in$/,
    group: 'tariff',
    field: 'tariff.energyPriceCnyPerKwh',
    en: (m) =>
      `${m[1]}'s ${m[2]} grid-agency purchase prices are not published: the ${m[3]} ${m[4]} price, ${m[5]} CNY/kWh, stands in.`,
    zh: (m) =>
      `${prov(m[1])} ${m[2]} 年电网代理购电价格未查到：以 ${m[4]} 年${MONTH_ZH[m[3]] ?? m[3]}价格 ${m[5]} 元/kWh 代替。`,
  },
  {
    re: /^tariff: (\w+)'s line-loss charge is NOT FOUND: energy price × the line-loss rate ([\d.]+) % stands in$/,
    group: 'tariff',
    field: 'tariff.lineLossCnyPerKwh',
    en: (m) =>
      `${m[1]}'s line-loss charge is not published: the energy price × the line-loss rate (${m[2]} %) stands in.`,
    zh: (m) => `${prov(m[1])}上网环节线损费用未查到：以电能量价格 × 线损率 ${m[2]} % 估算。`,
  },
  {
    re: /^tariff: (\w+)'s (\d{4}) line-loss charges are NOT FOUND: the (\w+) (\d{4}) charge ([\d.]+) CNY\/kWh stands in$/,
    group: 'tariff',
    field: 'tariff.lineLossCnyPerKwh',
    en: (m) =>
      `${m[1]}'s ${m[2]} line-loss charges are not published: the ${m[3]} ${m[4]} charge, ${m[5]} CNY/kWh, stands in.`,
    zh: (m) =>
      `${prov(m[1])} ${m[2]} 年线损费用未查到：以 ${m[4]} 年${MONTH_ZH[m[3]] ?? m[3]}的 ${m[5]} 元/kWh 代替。`,
  },
  {
    re: /^tariff: (\w+)'s third-period T&D table \((.+?)\) is NOT FOUND: the fourth period's table \((.+?)\) stands in$/,
    group: 'tariff',
    field: 'tariff.tdCnyPerKwh',
    en: (m) =>
      `${m[1]}'s third-period T&D table (${m[2]}) is not published: the fourth period's (${m[3]}) stands in.`,
    zh: (m) => `${prov(m[1])}第三监管周期输配电价表（${m[2]}）未查到：以第四监管周期（${m[3]}）代替。`,
  },
  {
    re: /^tariff: (\w+)'s system-operation charge is NOT FOUND for this province: estimated as ([\d.]+) CNY\/kWh, (.*)$/,
    group: 'tariff',
    field: 'tariff.systemOperationCnyPerKwh',
    en: (m) =>
      `${m[1]}'s system-operation charge is not published: estimated as ${m[2]} CNY/kWh from Hubei's 2025 bills; it may be higher.`,
    zh: (m) => `${prov(m[1])}系统运行费未查到：按湖北 2025 年电费单均值估算为 ${m[2]} 元/kWh，实际可能更高。`,
  },
  {
    re: /^tariff: no (\w+) grid-agency table in force in (\d{4}): the earliest \((.+), from ([\d-]+)\) stands in$/,
    group: 'tariff',
    field: 'tariff.energyPriceCnyPerKwh',
    en: (m) =>
      `No ${m[1]} grid-agency price table is in force in ${m[2]}: the earliest (from ${m[4]}) stands in.`,
    zh: (m) => `${m[2]} 年无${prov(m[1])}代理购电价格表：以最早一期（${m[4]} 起）代替。`,
  },
  {
    re: /^tariff: no (\w+) T&D table in force in (\d{4}): the earliest \((.+)\) stands in$/,
    group: 'tariff',
    field: 'tariff.tdCnyPerKwh',
    en: (m) => `No ${m[1]} T&D table is in force in ${m[2]}: the earliest stands in.`,
    zh: (m) => `${m[2]} 年无${prov(m[1])}输配电价表：以最早一期代替。`,
  },
  {
    re: /^tariff: (.+) has no (\S+) (.+) at (\S+): the 1–10 kV figure stands in$/,
    group: 'tariff',
    field: 'tariff.voltage',
    en: (m) => `The T&D table has no ${m[2]} ${m[3]} at ${m[4]}: the 1–10 kV figure stands in.`,
    zh: (m) => `输配电价表没有 ${m[4]} 的${m[2] === 'two-part' ? '两部制' : '单一制'}电价：以 1–10 kV 代替。`,
  },
  {
    re: /^tariff: the (.+) is NOT FOUND for (\w+) and counted as 0 (.+); give it in the scenario$/,
    group: 'tariff',
    field: 'tariff',
    en: (m) => `The ${m[1]} of ${m[2]} is not published and counted as 0: give it in the scenario.`,
    zh: (m) => `${prov(m[2])}的${t(m[1])}未查到，按 0 计：请在情景中填写。`,
  },
  {
    re: /^tariff calendar (\S+) is a consultation DRAFT \((.+)\); the final text is NOT FOUND$/,
    group: 'tariff',
    field: 'tariff.calendar',
    en: (m) => `The TOU calendar ${m[1]} is a consultation draft; the final text is not found.`,
    zh: (m) => `分时电价日历 ${m[1]} 为征求意见稿，正式文本未查到。`,
  },
  {
    re: /^tariff calendar (\S+) has been superseded \((.+)\)$/,
    group: 'tariff',
    field: 'tariff.calendar',
    en: (m) => `The TOU calendar ${m[1]} has been superseded.`,
    zh: (m) => `分时电价日历 ${m[1]} 已被替代。`,
  },
  {
    re: /^tariff\.calendar: no (\w+) TOU calendar in force in (\d{4}): the earliest seeded \((\S+), from ([\d-]+)\) stands in$/,
    group: 'tariff',
    field: 'tariff.calendar',
    en: (m) =>
      `No ${m[1]} TOU calendar is in force in ${m[2]}: the earliest (${m[3]}, from ${m[4]}) stands in.`,
    zh: (m) => `${m[2]} 年无${prov(m[1])}分时电价日历：以最早的 ${m[3]}（${m[4]} 起）代替。`,
  },
  {
    re: /^gridFactorKgPerKwh: no published (.+?) factor for (\d{4})(?:–(\d{4}))?; the nearest published year is held \((.*)\)$/s,
    group: 'carbon',
    field: 'gridFactorKgPerKwh',
    en: (m) =>
      `No ${m[1]} emission factor is published for ${yrs(m[2], m[3])}: the nearest published year's is held.`,
    zh: (m) => `${yrs(m[2], m[3])} 年无已公布的${factorZh(m[1])}排放因子：沿用最近公布年份的数值。`,
  },
  {
    re: /^residualFactorKgPerKwh: no published residual factor for (\d{4})(?:–(\d{4}))?; the nearest published year is held$/,
    group: 'carbon',
    field: 'residualFactorKgPerKwh',
    en: (m) =>
      `No residual-mix factor is published for ${yrs(m[1], m[2])}: the nearest published year's is held.`,
    zh: (m) => `${yrs(m[1], m[2])} 年无已公布的剩余电力排放因子：沿用最近公布年份的数值。`,
  },
  {
    re: /^([\w.]+) not given: counted as ([\d.]+)(?: (\S+))? \((.*)\)$/s,
    group: 'finance',
    field: '$1',
    en: (m) => `Not given: ${m[2]}${m[3] ? ` ${m[3]}` : ''} is assumed (a market figure; give your own).`,
    zh: (m) => `未填写：按 ${m[2]}${m[3] ? ` ${unitText(m[3])}` : ''} 计（市场参考值，请填写自己的数值）。`,
  },
  {
    re: /^finance\.waterPriceCnyPerM3: no water price is seeded for (.+); water is counted as 0 CNY\/m³ — give it in the scenario$/,
    group: 'finance',
    field: 'finance.waterPriceCnyPerM3',
    en: (m) => `No water price is known for ${m[1]}: water is counted as free — give it in the scenario.`,
    zh: () => '该集群无水价数据：用水按 0 元计——请在情景中填写。',
  },
  {
    re: /^(?:clusters\[\d+\]\.)?green\.wind: the station \((.+)\) is a weak proxy of a wind-farm site: its speeds are scaled × ([\d.]+) to give (\d+) full-load h \(alone (\d+) h .*\); the hourly timing is the station's — import a site's hourly wind for a project decision$/,
    group: 'green',
    field: 'green.wind.resource',
    en: (m) =>
      `The weather station is a weak proxy of a wind-farm site: its wind speeds are scaled × ${m[2]} to give ${m[3]} full-load hours (${m[4]} h alone); import the site's hourly wind for a project decision.`,
    zh: (m) =>
      `气象站风速只能粗略代表风电场：风速放大 ${m[2]} 倍以达到 ${m[3]} 满发小时（原为 ${m[4]} 小时）；项目决策请导入场址逐时风速。`,
  },
  {
    re: /^(?:clusters\[\d+\]\.)?green\.wind: the station's wind gives (\d+) full-load h \((.+)\) — .*$/,
    group: 'green',
    field: 'green.wind.resource',
    en: (m) =>
      `The station's own wind gives only ${m[1]} full-load hours; no provincial wind hours are seeded: give the resource (full-load hours and source).`,
    zh: (m) => `气象站风速仅得 ${m[1]} 满发小时，且无本省风电利用小时数：请填写风资源（满发小时数及来源）。`,
  },
  {
    re: /^(?:clusters\[\d+\]\.)?([\w.[\]]+): (-?[\d.e+]+)(?: (\S+))? is outside the usual (-?[\d.e+]+)–(-?[\d.e+]+)(?: \S+)? \((.+?)\)(?: in (\d{4}))?(?:; check it)?$/,
    group: 'inputs',
    field: '$1',
    en: (m) =>
      `${m[2]}${m[3] ? ` ${m[3]}` : ''} is outside the usual ${m[4]}–${m[5]}${m[7] ? ` (in ${m[7]})` : ''}: check it.`,
    zh: (m) =>
      `${m[2]}${m[3] ? ` ${unitText(m[3])}` : ''} 超出常见范围 ${m[4]}–${m[5]}${m[7] ? `（${m[7]} 年）` : ''}：请核对。`,
  },
  {
    re: /^clusters\[\d+\]\.buildout\[(\d+)\]\.year: (\d{4}) is after the last simulated year, (\d{4}): .*$/,
    group: 'build',
    field: 'buildout[].year',
    en: (m) =>
      `Phase ${Number(m[1]) + 1} starts in ${m[2]}, after the last simulated year (${m[3]}): it is never in service — simulate more years or start it earlier.`,
    zh: (m) =>
      `第 ${Number(m[1]) + 1} 期 ${m[2]} 年投运，晚于最后模拟年份 ${m[3]}：从未投入使用——请增加模拟年数或提前投运。`,
  },
  {
    re: /^clusters\[\d+\]\.buildout\[(\d+)\]\.retireYear: (\d{4}) is not after the first simulated year, (\d{4}): .*$/,
    group: 'build',
    field: 'buildout[].retireYear',
    en: (m) =>
      `Phase ${Number(m[1]) + 1} is retired in ${m[2]}, before the first simulated year (${m[3]}): it is never in service.`,
    zh: (m) => `第 ${Number(m[1]) + 1} 期 ${m[2]} 年退役，不晚于首个模拟年份 ${m[3]}：从未投入使用。`,
  },
  {
    re: /^clusters\[\d+\]\.buildout: no phase is in service in (\d{4})–(\d{4}) \(the first starts in (\d{4})\): .*$/,
    group: 'build',
    field: 'buildout',
    en: (m) =>
      `Nothing is in service in ${m[1]}–${m[2]} (the first phase starts in ${m[3]}): every result is zero — check the build-out years and the first simulated year.`,
    zh: (m) =>
      `${m[1]}–${m[2]} 年间没有任何建设阶段投运（第一期 ${m[3]} 年）：所有结果均为零——请检查建设年份和首个模拟年份。`,
  },
  {
    re: /^startYear: (\d{4}) is (\d+) years before the reference data begin \((\d{4})\): .*$/,
    group: 'build',
    field: 'startYear',
    en: (m) =>
      `The first simulated year, ${m[1]}, is ${m[2]} years before the reference data begin (${m[3]}): today's prices and grid stand in for every earlier year.`,
    zh: (m) =>
      `首个模拟年份 ${m[1]} 比基础数据起始年份（${m[3]}）早 ${m[2]} 年：更早年份均以当前电价和电网数据代替。`,
  },
];

const MONTH_ZH: Record<string, string> = { January: '1 月', February: '2 月', December: '12 月' };

/** A grid-factor scope as the engine names it ("Gansu provincial", "northwest regional grid"), in Chinese. */
function factorZh(what: string): string {
  const p = /^(\w+) provincial$/.exec(what);
  if (p) return `${t(p[1])}省级`;
  const r = /^(\w+) regional grid$/.exec(what);
  if (r) return `${t(r[1])}区域电网`;
  return what === 'national average' ? '全国平均' : what;
}

/** A warning of the engine as the page shows it (see `WarningView`). */
export function warningView(w: string): WarningView {
  for (const p of WARNINGS) {
    const m = p.re.exec(w);
    if (!m) continue;
    const fieldPath = p.field === '$1' ? m[1] : p.field;
    return {
      group: p.group,
      field: fieldLabel(
        fieldPath.replace(/\[\]/g, '[0]').replace(/^(?!clusters|startYear)/, 'clusters[0].'),
      ).replace(/ — .*$/, ''),
      text: lang() === 'zh' ? p.zh(m) : p.en(m),
      original: w,
      known: true,
    };
  }
  const path = /^([\w.[\]]+): /.exec(w)?.[1];
  return {
    group: 'inputs',
    field: path ? fieldLabel(path).replace(/ — .*$/, '') : t('Other'),
    text: w,
    original: w,
    known: false,
  };
}

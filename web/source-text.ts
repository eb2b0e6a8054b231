import { el } from './dom.ts';
import { lang, t } from './i18n.ts';

/**
 * The engine's notes on its inputs in Chinese: the `source` of each default used (models/inputs.ts,
 * seeds/*.json, models/prepare/), the text values of the defaults, and the warnings' own text (their
 * "sources and figures"). models/ writes them in English for the CLI, the API and the result JSON; the
 * page translates dcplan's own words — fixed phrases and sentence templates, every number carried over
 * unchanged — and leaves bibliographic references (authors, journals, report and dataset titles, DOIs,
 * URLs, standard numbers) as they are, each marked as an English part so the page can wrap just that part
 * in `lang="en"`. Source ids in brackets stay as they are (the page links them).
 *
 * A text no rule reads is returned whole as one English part: never half-translated.
 * test/web/source-text.test.ts runs every bundled scenario and fails on a text no rule reads.
 */

/** A piece of a translated text: Chinese (with numbers, units and `[ids]`), or an English reference. */
export interface SourcePart {
  text: string;
  /** An English bibliographic reference (or the whole text, when no rule reads it). */
  en?: true;
}

/** A bibliographic reference inside a translation: `⟦…⟧`, split out by `sourceParts`. */
const ref = (s: string) => `⟦${s}⟧`;

/** Source ids in brackets, one or more (`[a] [b]`), as they stand. */
const IDS = String.raw`((?:\s?\[[\w.-]+\])+)`;
/** A Chinese document number (发改价格〔2023〕526号, 公告2025年第47号, 1077号). */
const DOC = String.raw`([\u4e00-\u9fff]*(?:〔\d{4}〕|\d{4}年第)?\d+号)`;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** `January 2026` → `2026 年 1 月`. */
const monthYear = (m: string, y: string) => `${y} 年 ${MONTHS.indexOf(m) + 1} 月`;

const PLACES: Record<string, string> = {
  Gansu: '甘肃',
  Hubei: '湖北',
  Henan: '河南',
  Lanzhou: '兰州',
  Qingyang: '庆阳',
  Wuhan: '武汉',
  Zhengzhou: '郑州',
  Baiyin: '白银',
};
const place = (p: string) => PLACES[p] ?? t(p);

const CLASSES: Record<string, string> = { hyperscale: '超大型', large: '大型', small: '中小型' };
const STRUCTURE: Record<string, string> = { 'two-part': '两部制', 'single-part': '单一制' };

/** A pattern of the engine's texts and its translation (`null`: a part of it no rule reads). */
type Rule = [RegExp, (m: RegExpExecArray) => string | null];

/** Translate each of some captured texts, or null when one is unread. */
function all(parts: string[], f: (zh: string[]) => string): string | null {
  const zh = parts.map(translate);
  return zh.every((x) => x !== null) ? f(zh as string[]) : null;
}

/** `… Table B.1` → the reference, then 表 B.1 (the table number is no English). */
function citeTable(s: string): string {
  const m = /^(.+?),? Table ([\w.-]+)$/.exec(s);
  return m ? `${ref(m[1])} 表 ${m[2]}` : ref(s);
}

/** The rules, tried in order on a whole text, then on each of its parts (` | `, `; `). */
const RULES: Rule[] = [
  // — defaults: the framework of dcplan's own words
  [/^dcplan default: (.+)$/s, (m) => all([m[1]], ([x]) => `dcplan 默认：${x}`)],
  [/^dcplan estimate: (.+)$/s, (m) => all([m[1]], ([x]) => `dcplan 估计：${x}`)],
  [/^(.+); engineering assumption$/s, (m) => all([m[1]], ([x]) => `${x}；工程假设`)],
  [
    new RegExp(String.raw`^(.+?) ${IDS}: midpoint of (\S+)–(\S+) \((\w+)\)$`),
    (m) => `${citeTable(m[1])}${m[2]}：取 ${m[3]}–${m[4]} 的中值（${CLASSES[m[5]] ?? m[5]}）`,
  ],
  [
    new RegExp(
      String.raw`^taken equal to the cooling-coil effectiveness midpoint for (\w+) \((.+?), ([\d.]+–[\d.]+)${IDS}\)$`,
    ),
    (m) => `取${CLASSES[m[1]] ?? m[1]}数据中心冷却盘管效率的中值（${citeTable(m[2])}，${m[3]}${m[4]}）`,
  ],
  [
    /^dcplan default class of the ([\w-]+) design \(parameter sets of (Lei & Masanet \d{4}) (\[[\w.-]+\])\)$/,
    (m) => `制冷方案 ${m[1]} 的 dcplan 默认规模等级（参数组取自 ${ref(m[2])} ${m[3]}）`,
  ],
  [/^dcplan default: 0 — (.+?)(?: unless given)?$/, (m) => all([m[1]], ([x]) => `dcplan 默认：0——${x}`)],
  // — grid factors
  [
    new RegExp(
      String.raw`^(\w+) provincial average factor: 2021 and 2022 as reported ${IDS}; 2023 MEE & NBS ${DOC} \(([\d-]+)\), attachment table 3, 2023 provincial factors as transcribed \(40/40 exact against the official PDF in the transcriber's check\) ${IDS}$`,
    ),
    (m) =>
      `${place(m[1])}省级电网平均排放因子：2021 和 2022 年取已报道的数值${m[2]}；2023 年取生态环境部、国家统计局${m[3]}（${m[4]}）附表 3 的 2023 年省级排放因子转录值（转录者核对：40/40 与官方 PDF 完全一致）${m[5]}`,
  ],
  [
    new RegExp(
      String.raw`^MEE & NBS national average grid factor excluding market-traded non-fossil power \((.+?)\): 2023 in ${DOC} attachment table 4 ${IDS}; 2021 and 2022 in the same series \((公告\d{4}年第\d+号), (第\d+号)\) ${IDS}$`,
    ),
    (m) =>
      `生态环境部、国家统计局${m[1]}：2023 年取${m[2]}附表 4${m[3]}；2021、2022 年取同一系列（${m[4]}、${m[5]}）${m[6]}`,
  ],
  // — the tariff: T&D tables, line loss, agency prices, system operation, funds, voltage
  [
    /^(two-part|single-part), ([\w+-]+): (.+)$/s,
    (m) => all([m[3]], ([x]) => `${STRUCTURE[m[1]]}，${m[2]}：${x}`),
  ],
  [
    new RegExp(
      String.raw`^(\w+) T&D, third regulatory period \(([\d-]+) → ([\d-]+)\): table NOT FOUND: the third-period table \(${DOC} attachment\) is NOT FOUND: the fourth period's values stand in ${IDS}$`,
    ),
    (m) =>
      `${place(m[1])}输配电价，第三监管周期（${m[2]} → ${m[3]}）：未找到电价表：第三监管周期电价表（${m[4]}附件）未找到：以第四监管周期的数值代替${m[5]}`,
  ],
  [
    new RegExp(
      String.raw`^(\w+) T&D, fourth regulatory period \(${DOC}\): NDRC ${DOC}, attachment (\d+) \(\1 grid, p\. (\d+)\), as transcribed from the official PDF ${IDS}$`,
    ),
    (m) =>
      `${place(m[1])}输配电价，第四监管周期（${m[2]}）：国家发展改革委${m[3]}附件 ${m[4]}（${place(m[1])}电网，第 ${m[5]} 页），据官方 PDF 转录${m[6]}`,
  ],
  [
    new RegExp(
      String.raw`^(\w+) T&D, third regulatory period \(${DOC}\): third-period T&D as carried in State Grid \1's (\w+) (\d{4}) agency table \(single-part < 1 kV to 35 kV, two-part, demand, capacity\) ${IDS}; single-part 110 kV and 220 kV\+ from the fourth-period table, which repeats every third-period figure ${IDS}$`,
    ),
    (m) =>
      `${place(m[1])}输配电价，第三监管周期（${m[2]}）：第三监管周期输配电价取自国网${place(m[1])}电力 ${monthYear(m[3], m[4])}代理购电价格表（单一制 < 1 kV 至 35 kV、两部制、需量、容量）${m[5]}；单一制 110 kV 和 220 kV+ 取自第四监管周期电价表，该表重复了第三监管周期的每个数值${m[6]}`,
  ],
  [
    new RegExp(
      String.raw`^(\w+) T&D, fourth regulatory period \(${DOC}; \1 DRC notice ([\d-]+)\): NDRC ${DOC} attachment (\d+) \(\1 grid, p\. (\d+)\) and the \1 DRC fourth-period notice of \3, two transcriptions that agree ${IDS}$`,
    ),
    (m) =>
      `${place(m[1])}输配电价，第四监管周期（${m[2]}；${place(m[1])}省发展改革委 ${m[3]} 通知）：国家发展改革委${m[4]}附件 ${m[5]}（${place(m[1])}电网，第 ${m[6]} 页）与${place(m[1])}省发展改革委 ${m[3]} 第四监管周期通知，两份转录一致${m[7]}`,
  ],
  [
    new RegExp(
      String.raw`^([\d.]+) × ([\d.]+) % \(the in-province on-grid line-loss rate of ${DOC}\) = ([\d.]+) CNY/kWh ${IDS}(?:; the same rule gives (\w+) ([\d.]+) against its published ([\d.]+))?$`,
    ),
    (m) =>
      `${m[1]} × ${m[2]} %（${m[3]}规定的省内上网环节线损率）= ${m[4]} 元/kWh${m[5]}${m[6] ? `；同一算法得出${place(m[6])}为 ${m[7]}，而其公布值为 ${m[8]}` : ''}`,
  ],
  [
    new RegExp(
      String.raw`^(\w+) coal-fired benchmark price ([\d.]+) CNY/kWh ${IDS} standing in for the grid-agency purchase price \(State Grid \1's monthly agency tables(?: after ([\d-]+))? are NOT FOUND\)$`,
    ),
    (m) =>
      `${place(m[1])}燃煤发电基准价 ${m[2]} 元/kWh${m[3]}，代替电网代理购电价格（国网${place(m[1])}电力${m[4] ? ` ${m[4]} 以后` : ''}的月度代理购电价格表未找到）`,
  ],
  [
    new RegExp(
      String.raw`^State Grid (\w+) agency purchase price of (\w+) (\d{4}) \(([\d.]+) CNY/kWh\) ${IDS} held back over (\d{4}) \(the \6 agency tables are NOT FOUND\)$`,
    ),
    (m) =>
      `国网${place(m[1])}电力 ${monthYear(m[2], m[3])}代理购电价格（${m[4]} 元/kWh）${m[5]}，向前沿用至 ${m[6]} 年（${m[6]} 年代理购电价格表未找到）`,
  ],
  [
    new RegExp(
      String.raw`^State Grid (\w+) (代理购电工商业用户电价表), (\w+) (\d{4}): agency purchase price ([\d.]+) CNY/kWh; later months' tables NOT FOUND, so it is held ${IDS}$`,
    ),
    (m) =>
      `国网${place(m[1])}电力${m[2]}，${monthYear(m[3], m[4])}：代理购电价格 ${m[5]} 元/kWh；此后各月的价格表未找到，故沿用此值${m[6]}`,
  ],
  [
    new RegExp(
      String.raw`^State Grid (\w+) agency table, (\w+) (\d{4}) \(([\d.]+) CNY/kWh\) ${IDS} held back over (\d{4})$`,
    ),
    (m) =>
      `国网${place(m[1])}电力 ${monthYear(m[2], m[3])}代理购电价格表（${m[4]} 元/kWh）${m[5]}，向前沿用至 ${m[6]} 年`,
  ],
  [
    new RegExp(String.raw`^State Grid (\w+) agency purchase table, (\w+) (\d{4}) ${IDS}$`),
    (m) => `国网${place(m[1])}电力代理购电价格表，${monthYear(m[2], m[3])}${m[4]}`,
  ],
  [
    new RegExp(
      String.raw`^State Grid (\w+) (\d{4}) agency purchase table, note (\d+) \(per the \1 \2 medium- and long-term trading plan\) ${IDS}$`,
    ),
    (m) =>
      `国网${place(m[1])}电力 ${m[2]} 年代理购电价格表注 ${m[3]}（依据${place(m[1])} ${m[2]} 年中长期交易方案）${m[4]}`,
  ],
  [
    new RegExp(String.raw`^same table: on-grid line-loss charge ([\d.]+) CNY/kWh ${IDS}$`),
    (m) => `同一价格表：上网环节线损费用 ${m[1]} 元/kWh${m[2]}`,
  ],
  [
    new RegExp(
      String.raw`^same table: system-operation charge ([\d.]+) CNY/kWh \(its listed parts sum to ([\d.]+): one part is not listed\) ${IDS}$`,
    ),
    (m) => `同一价格表：系统运行费 ${m[1]} 元/kWh（所列分项合计 ${m[2]}：有一项未列出）${m[3]}`,
  ],
  [
    new RegExp(
      String.raw`^system-operation charge by month, (\w+)–(\w+) (\d{4}), on twelve State Grid (\w+) bills of a (\d+) kV two-part customer \(the charge is the same for every industrial and commercial customer\) ${IDS}$`,
    ),
    (m) =>
      `系统运行费逐月取值，${m[3]} 年 ${MONTHS.indexOf(m[1]) + 1}–${MONTHS.indexOf(m[2]) + 1} 月，取自某 ${m[5]} kV 两部制用户的 12 张国网${place(m[4])}电力电费单（该费用对所有工商业用户相同）${m[6]}`,
  ],
  [
    new RegExp(
      String.raw`^NOT FOUND for this province: estimated as ([\d.]+) CNY/kWh, the mean of (\w+)'s twelve (\d{4}) monthly system-operation charges on State Grid \2 bills \(([\d.]+)–([\d.]+)\) ${IDS}; a (\w+) code default of ([\d.]+) \((?:(month and table not cited), )?([A-D])\) shows the charge may be twice that$`,
    ),
    (m) =>
      `本省数据未找到：估算为 ${m[1]} 元/kWh，即国网${place(m[2])}电力电费单上 ${m[3]} 年 12 个月系统运行费的平均值（${m[4]}–${m[5]}）${m[6]}；某${place(m[7])}代码中的默认值 ${m[8]}（${m[9] ? '未注明月份和价格表，' : ''}${m[10]} 级）表明该费用可能是此值的两倍`,
  ],
  [
    new RegExp(
      String.raw`^government funds ([\d.]+) CNY/kWh per (\w+)'s implementation notice ${DOC} as cited in a transcription of the fourth-period tables \(breakdown not seen\) ${IDS}$`,
    ),
    (m) =>
      `政府性基金及附加 ${m[1]} 元/kWh，依据${place(m[2])}实施通知${m[3]}，转引自第四监管周期电价表的一份转录（未见分项）${m[4]}`,
  ],
  [
    new RegExp(
      String.raw`^government funds ([\d.]+) CNY/kWh as given with (\w+)'s fourth-period notice in a transcription \(provenance not seen\) ${IDS}$`,
    ),
    (m) => `政府性基金及附加 ${m[1]} 元/kWh，见于${place(m[2])}第四监管周期通知的一份转录（未见出处）${m[3]}`,
  ],
  [
    new RegExp(
      String.raw`^government funds ([\d.]+) = ([^A-Za-z]+) CNY/kWh, (\w+) DRC fourth-period notice note (\d+) and the (\w+) (\d{4}) agency table note (\d+) ${IDS}$`,
    ),
    (m) =>
      `政府性基金及附加 ${m[1]} = ${m[2]} 元/kWh，见${place(m[3])}省发展改革委第四监管周期通知注 ${m[4]} 及 ${monthYear(m[5], m[6])}代理购电价格表注 ${m[7]}${m[8]}`,
  ],
  [
    new RegExp(
      String.raw`^largest contract ([\d,]+) kVA: two-part is mandatory from (\d+) kVA, single-part up to (\d+) kVA, the customer's choice between \((single|two)-part assumed\) — ${DOC} as summarised ${IDS}$`,
    ),
    (m) =>
      `最大合同容量 ${m[1]} kVA：${m[2]} kVA 及以上须执行两部制，${m[3]} kVA 及以下执行单一制，介于两者之间由用户选择（假定为${m[4] === 'single' ? '单一制' : '两部制'}）——据${m[5]}的摘要${m[6]}`,
  ],
  [
    new RegExp(
      String.raw`^largest contract ([\d,]+) kVA; 10 kV up to ([\d,]+) kVA of transformers per State Grid's 10 kV connection rules \(([A-D])\) ${IDS}; the 35/110/220 kV bands are a dcplan assumption \(the (供电营业规则) sets the voltage case by case and no table of bands was found\)$`,
    ),
    (m) =>
      `最大合同容量 ${m[1]} kVA；依据国家电网 10 kV 接入规定，变压器容量 ${m[2]} kVA 及以下接入 10 kV（${m[3]} 级）${m[4]}；35/110/220 kV 的分档为 dcplan 的假设（《${m[5]}》对电压等级逐案确定，未找到分档表）`,
  ],
  [
    /^dcplan default: the demand charge \(on the month's maximum demand, at least (\d+) % of the contract\) — a data centre's steady load keeps it below the capacity charge on the whole contract$/,
    (m) =>
      `dcplan 默认：按需量计收基本电费（按当月最大需量，且不低于合同容量的 ${m[1]} %）——数据中心负荷平稳，需量电费低于按全部合同容量计收的容量电费`,
  ],
  [
    /^dcplan default: a design peak PUE of ([\d.]+) \(the national hub-node cap for new large data centres\) ÷ a power factor of ([\d.]+) \(the assessment standard of the power-factor adjustment rules for users above (\d+) kVA\) = ([\d.]+) kVA per kW of IT$/,
    (m) =>
      `dcplan 默认：设计峰值 PUE ${m[1]}（国家枢纽节点对新建大型数据中心的上限）÷ 功率因数 ${m[2]}（功率因数调整电费办法对 ${m[3]} kVA 以上用户的考核标准）= 每 kW IT ${m[4]} kVA`,
  ],
  // — the TOU calendars
  [
    new RegExp(String.raw`^(\w+) TOU from ([\d-]+) \(${DOC}\): (.+)$`, 's'),
    (m) => all([m[4]], ([x]) => `${place(m[1])}分时电价（${m[2]} 起，${m[3]}）：${x}`),
  ],
  [
    new RegExp(
      String.raw`^${DOC} as quoted in note (\d+) of State Grid (\w+)'s (?:(\w+) )?(\d{4}) agency purchase table ${IDS}$`,
    ),
    (m) =>
      `${m[1]}，转引自国网${place(m[3])}电力 ${m[4] ? monthYear(m[4], m[5]) : `${m[5]} 年`}代理购电价格表注 ${m[2]}${m[6]}`,
  ],
  [
    new RegExp(String.raw`^(\d+ : \d+) floor per a secondary summary of ${DOC} \(verify\) ${IDS}$`),
    (m) => `下限 ${m[1]}，依据对${m[2]}的二手摘要（待核实）${m[3]}`,
  ],
  [new RegExp(String.raw`^([\d.]+(?: : [\d.]+)+) ${IDS}$`), (m) => `${m[1]}${m[2]}`],
  [new RegExp(String.raw`^as (ratios\.\w+) ${IDS}$`), (m) => `同 ${m[1]}${m[2]}`],
  [new RegExp(`^${DOC} ${IDS}$`), (m) => `${m[1]}${m[2]}`],
  [new RegExp(`^${DOC} as quoted ${IDS}$`), (m) => `${m[1]}（转引）${m[2]}`],
  [
    new RegExp(`^${DOC} as quoted: one daily division ${IDS}$`),
    (m) => `${m[1]}（转引）：全年采用同一日内时段划分${m[2]}`,
  ],
  [
    new RegExp(`^${DOC} as published: one daily division by month ${IDS}$`),
    (m) => `${m[1]}（公开文本）：按月划分日内时段${m[2]}`,
  ],
  [
    new RegExp(
      String.raw`^${DOC} as published by Tongbai County Government \(([\d-]+)\) and transcribed verbatim ${IDS}$`,
    ),
    (m) => `${m[1]}，据桐柏县人民政府发布（${m[2]}）逐字转录${m[3]}`,
  ],
  [new RegExp(`^${DOC}, verbatim transcription ${IDS}$`), (m) => `${m[1]}，逐字转录${m[2]}`],
  [
    new RegExp(String.raw`^(\w+) TOU consultation draft ([\d-]+) ${IDS}$`),
    (m) => `${place(m[1])}分时电价征求意见稿（${m[2]}）${m[3]}`,
  ],
  [
    /^dcplan reading of the (\d{4}) notice as reported \(the notice's rule for other components is not in the references\) (\[[\w.-]+\])$/,
    (m) => `dcplan 对所报道的 ${m[1]} 年通知的理解（该通知对其他电价构成的规定不在参考资料中）${m[2]}`,
  ],
  // — water
  [
    new RegExp(
      String.raw`^(\w+)'s non-residential water price is NOT FOUND; (\w+)'s \((\w+)(?:, (\d+) km away)?\) stands in: supply ([\d.]+) \+ sewage ([\d.]+) \+ water-resource fee ([\d.]+) = ([\d.]+) CNY/m³ ${IDS}$`,
    ),
    (m) =>
      `${place(m[1])}非居民用水价格未找到；以${place(m[2])}（${place(m[3])}${m[4] ? `，相距 ${m[4]} km` : ''}）的代替：供水 ${m[5]} + 污水处理费 ${m[6]} + 水资源费 ${m[7]} = ${m[8]} 元/m³${m[9]}`,
  ],
  [
    new RegExp(
      String.raw`^(\w+) non-residential water: supply ([\d.]+) \+ sewage ([\d.]+) = ([\d.]+) CNY/m³, as reported \(undated\) ${IDS}$`,
    ),
    (m) =>
      `${place(m[1])}非居民用水：供水 ${m[2]} + 污水处理费 ${m[3]} = ${m[4]} 元/m³，据报道（未注明日期）${m[5]}`,
  ],
  [
    new RegExp(
      String.raw`^(\w+) non-residential comprehensive water price \(incl\. sewage\), from ([\d-]+) ${IDS}$`,
    ),
    (m) => `${place(m[1])}非居民综合水价（含污水处理费），${m[2]} 起${m[3]}`,
  ],
  // — equipment: chillers, UPS, PV, wind, storage
  [
    new RegExp(
      String.raw`^(ASHRAE 90\.1-2016 Table [\d.-]+), Path A minimum for (air-cooled chillers|water-cooled centrifugal chillers (.+?) tons): (.+?) → COP ([\d.]+) ${IDS}$`,
    ),
    (m) =>
      `${citeTable(m[1])}，路径 A 最低要求（${m[3] ? `水冷离心式冷水机组 ${m[3]} 冷吨` : '风冷冷水机组'}）：${m[4].replace(' EER (Btu/Wh)', ' EER（英热单位/瓦时）').replace('kW/ton', 'kW/冷吨')} → COP ${m[5]}${m[6]}`,
  ],
  [
    /^(.+?) \((power_ssj2008-[\d-]+)\): (SPECpower_ssj2008) (power_ssj2008-[\d-]+) \((https?:\S+)\), as cited by source (\[[\w.-]+\])$/,
    (m) => `${ref(m[1])}（${m[2]}）：${ref(`${m[3]} ${m[4]} (${m[5]})`)}，按来源引用${m[6]}`,
  ],
  [
    /^(IEA Wind Task 37) ([\d.]+) MW reference onshore turbine \(IEC class (\w+)\): cut-(in|out) ([\d.]+) m\/s$/,
    (m) =>
      `${ref(m[1])} ${m[2]} MW 参考陆上风机（IEC ${m[3]} 级）：${m[4] === 'in' ? '切入' : '切出'}风速 ${m[5]} m/s`,
  ],
  [/^(King et al\. SAND[\d-]+), Table (\d+)$/, (m) => `${ref(m[1])} 表 ${m[2]}`],
  [
    new RegExp(String.raw`^LFP storage system, (\d+)-h, ([\d.]+) yuan/Wh \(mid-(\d{4}) tender\) ${IDS}$`),
    (m) => `磷酸铁锂储能系统（${m[1]} 小时），${m[2]} 元/Wh（${m[3]} 年年中招标价）${m[4]}`,
  ],
  [
    /^LFP ≈ ([\d,]+) cycles to (\d+) % \((.+)\)$/,
    (m) => `磷酸铁锂电池约 ${m[1]} 次循环后容量降至 ${m[2]} %（${m[3]}）`,
  ],
  [
    /^PVWatts v5 (.+?) \(Dobos 2014\)$/,
    (m) => {
      const x = /^default(?: ([\d.]+))?$/.exec(m[1]);
      const y = /^(default total losses|nominal inverter efficiency|standard module) (.+)$/.exec(m[1]);
      const what = x
        ? `默认值${x[1] ? ` ${x[1]}` : ''}`
        : y
          ? `${{ 'default total losses': '默认总损失', 'nominal inverter efficiency': '逆变器标称效率', 'standard module': '标准组件' }[y[1]]} ${y[2]}`
          : null;
      return what && `${ref('PVWatts v5')} ${what}（${ref('Dobos 2014')}）`;
    },
  ],
  [/^PVWatts v5 default \(Dobos 2014\)$/, () => `${ref('PVWatts v5')} 默认值（${ref('Dobos 2014')}）`],
  [
    /^Rasmussen, APC WP 113 \((\d{4})\)(.*)$/,
    (m) => {
      const rest: Record<string, string> = {
        '; split assumed as above': '；分项比例按上文假设',
        ' three-term UPS model; the split of the full-load loss (30 % fixed, 50 % proportional, 20 % square-law) is an engineering assumption':
          ' 的三项式 UPS 损耗模型；满载损耗的分项（30 % 固定、50 % 与负载成正比、20 % 与负载平方成正比）为工程假设',
      };
      return m[2] in rest ? `${ref(`Rasmussen, APC WP 113 (${m[1]})`)}${rest[m[2]]}` : null;
    },
  ],
  [
    /^σ = ([\d.]+) m\/s \+ ([\d.]+)·v: (Staffell & Pfenninger, Energy \d+ \(\d{4}\) [\d–]+) \(windpowerlib\)$/,
    (m) => `风速标准差 σ = ${m[1]} m/s + ${m[2]}·v：${ref(m[3])}（${ref('windpowerlib')}）`,
  ],
  [
    /^reference value ([\d.]+) of (GB\/T [\d-]+) (\[[\w.-]+\]) \(1\/7, neutral stability: (Peterson & Hennessey \d{4})\); (\d+) Liaoning towers averaged ([\d.]+)$/,
    (m) =>
      `${m[2]} 的参考值 ${m[1]} ${m[3]}（1/7，中性稳定度：${ref(m[4])}）；辽宁 ${m[5]} 座测风塔的平均值为 ${m[6]}`,
  ],
  [
    /^total losses of a land-based wind farm ≈ (\d+) % \(NREL reV\) (\[[\w.-]+\])$/,
    (m) => `陆上风电场总损失约 ${m[1]} %（${ref('NREL reV')}）${m[2]}`,
  ],
  [
    /^counted in the losses below \(NREL’s (\d+) % includes availability\)$/,
    (m) => `计入下方的损失中（${ref('NREL')} 的 ${m[1]} % 已包含可利用率）`,
  ],
  [
    /^wind project installed ([\d.–]+) yuan\/W \(Inner Mongolia (\d{4}) tender, ([A-D])\) (\[[\w.-]+\]); midpoint$/,
    (m) => `风电项目单位造价 ${m[1]} 元/W（内蒙古 ${m[2]} 年招标，${m[3]} 级）${m[4]}；取中值`,
  ],
  [
    /^centralized PV installed cost ([\d.]+) yuan\/W \((\d{4})\); later years NOT FOUND (\[[\w.-]+\])$/,
    (m) => `集中式光伏单位造价 ${m[1]} 元/W（${m[2]}年）；此后年份未找到 ${m[3]}`,
  ],
  // — the warnings' own text (models/prepare, inputs.ts, the tariff books)
  [
    /^([\w.]+) not given: counted as ([\d.]+) (\S+) \((.+)\)$/s,
    (m) => all([m[4]], ([x]) => `未填写：按 ${m[2]} ${unitZh(m[3])} 计（${x}）`),
  ],
  [
    /^gridFactorKgPerKwh: no published (\w+) provincial factor for (\d{4}(?:–\d{4})?); the nearest published year is held \((.+)\)$/s,
    (m) =>
      all([m[3]], ([x]) => `${m[2]} 年无已公布的${place(m[1])}省级排放因子；沿用最近公布年份的数值（${x}）`),
  ],
  [
    /^residualFactorKgPerKwh: no published residual factor for (\d{4}(?:–\d{4})?); the nearest published year is held$/,
    (m) => `${m[1]} 年无已公布的剩余电力排放因子；沿用最近公布年份的数值`,
  ],
  [
    /^tariff calendar ([\w-]+) has been superseded \((\w+) TOU from ([\d-]+) \(superseded ([\d-]+)\)\)$/,
    (m) => `分时电价日历 ${m[1]} 已被替代（${place(m[2])}分时电价，${m[3]} 起，${m[4]} 被替代）`,
  ],
  [
    /^tariff: (\w+)'s grid-agency purchase price is NOT FOUND: the coal-fired benchmark ([\d.]+) CNY\/kWh(, the reference of the (\d{4}) market reform,)? stands in$/,
    (m) =>
      `${place(m[1])}电网代理购电价格未找到：以燃煤发电基准价 ${m[2]} 元/kWh${m[3] ? `（${m[4]} 年市场化改革的基准）` : ''}代替`,
  ],
  [
    /^tariff: (\w+)'s line-loss charge is NOT FOUND: energy price × the line-loss rate ([\d.]+) % stands in$/,
    (m) => `${place(m[1])}上网环节线损费用未找到：以电能量价格 × 线损率 ${m[2]} % 代替`,
  ],
  [
    /^tariff: (\w+)'s system-operation charge is (NOT FOUND for this province: .+)$/s,
    (m) => all([m[2]], ([x]) => `${place(m[1])}系统运行费：${x}`),
  ],
  [
    new RegExp(
      String.raw`^tariff: (\w+)'s third-period T&D table \(${DOC}\) is NOT FOUND: the fourth period's table \(${DOC}\) stands in$`,
    ),
    (m) => `${place(m[1])}第三监管周期输配电价表（${m[2]}）未找到：以第四监管周期电价表（${m[3]}）代替`,
  ],
  [
    /^tariff: (\w+)'s (\d{4}) (agency purchase prices|line-loss charges) are NOT FOUND: the (\w+) (\d{4}) (price|charge) ([\d.]+) CNY\/kWh stands in$/,
    (m) =>
      `${place(m[1])} ${m[2]} 年${m[3] === 'agency purchase prices' ? '代理购电价格' : '线损费用'}未找到：以 ${monthYear(m[4], m[5])}的 ${m[7]} 元/kWh 代替`,
  ],
  [
    /^tariff: no (\w+) T&D table in force in (\d{4}): the earliest \((.+)\) stands in$/s,
    (m) => all([m[3]], ([x]) => `${m[2]} 年无有效的${place(m[1])}输配电价表：以最早一期代替（${x}）`),
  ],
  [
    /^(\w+) T&D, third regulatory period \(([\d-]+) → ([\d-]+)\): table NOT FOUND$/,
    (m) => `${place(m[1])}输配电价，第三监管周期（${m[2]} → ${m[3]}）：未找到电价表`,
  ],
  [
    /^tariff: no (\w+) grid-agency table in force in (\d{4}): the earliest \(\1 grid-agency purchase: monthly tables NOT FOUND, from ([\d-]+)\) stands in$/,
    (m) =>
      `${m[2]} 年无有效的${place(m[1])}电网代理购电价格表：以最早一期代替（${place(m[1])}电网代理购电：月度价格表未找到，${m[3]} 起）`,
  ],
  [
    /^green\.wind: the station \(rebuilt from statistics of (CSWD \S+)\) is a weak proxy of a wind-farm site: its speeds are scaled × ([\d.]+) to give (\d+) full-load h \(alone (\d+) h at (\d+) m hub \(shear α ([\d.]+)\), farm power curve, (\d+) % losses\); the hourly timing is the station's — import a site's hourly wind for a project decision$/,
    (m) =>
      `风电：该气象站（据 ${ref(m[1])} 的统计重建）只能粗略代表风电场场址：其风速放大 ${m[2]} 倍以达到 ${m[3]} 满发小时（不放大时为 ${m[4]} 小时，轮毂高度 ${m[5]} m（风切变指数 α ${m[6]}），风电场功率曲线，损失 ${m[7]} %）；逐时变化沿用气象站的——项目决策请导入场址的逐时风速`,
  ],
  // — values (text) of the defaults
  [
    /^(\d+) full-load h \(([\d.]+) % capacity factor\): the station's hourly wind at (\d+) m hub \(shear α ([\d.]+)\), farm power curve, (\d+) % losses, speeds × ([\d.]+) \(station alone: (\d+) h\)$/,
    (m) =>
      `${m[1]} 满发小时（容量系数 ${m[2]} %）：气象站逐时风速折算到 ${m[3]} m 轮毂高度（风切变指数 α ${m[4]}），风电场功率曲线，损失 ${m[5]} %，风速 × ${m[6]}（仅气象站：${m[7]} 小时）`,
  ],
  [/^(\w+) provincial factor by year$/, (m) => `${place(m[1])}省级排放因子（逐年）`],
  [/^([\d.]+–[\d.]+) CNY\/kWh by month$/, (m) => `${m[1]} 元/kWh（逐月）`],
  [/^\d+(?:-\d+)?kV\+?$/, (m) => m[0]],
  [/^([a-z]+-\d{4}) \(([\d-]+)\)$/, (m) => `${m[1]}（${m[2]} 起）`],
  // an id (a power curve's, a calendar's) reads the same in both languages
  [/^[a-z0-9]+(?:[-_.][a-z0-9]+)+$/, (m) => m[0]],
];

/** A unit of the engine (`CNY/kW/month`) as the Chinese page writes it. */
function unitZh(u: string): string {
  return u.replace(/^CNY\/kW\/month$/, '元/kW/月').replace(/^CNY\//, '元/');
}

/** Whole texts of the engine and seeds, written once (one-off sentences with their own figures). */
const WHOLE: Record<string, string> = {
  // defaults: dcplan's own words
  'no award': '无奖励',
  'no contracted green power': '无绿电交易',
  'no grid connection cost': '无并网费用',
  'no premium': '无溢价',
  'no revenue for exported surplus': '余电上网无收入',
  'surplus the battery cannot take is curtailed': '储能无法吸收的余电弃掉',
  'facing the equator (180° = south)': '朝向赤道（180° = 正南）',
  'fixed mount unless the scenario says single-axis': '固定支架（情景指定单轴跟踪时除外）',
  'in service from the first simulated year': '自首个模拟年份起投运',
  'no incentive unless given': '无电价优惠（除非另行给出）',
  'the energy price as given in every year': '每年均按给定的电能量价格',
  'the provincial average factor (MEE/NBS)': '省级电网平均排放因子（生态环境部/国家统计局）',
  "the trace's own hours, unshifted": '负载轨迹本身的时刻，不做平移',
  "the weather file's direct normal irradiance": '气象文件中的法向直接辐照度',
  'tilt = |latitude|, a common rule of thumb for fixed arrays': '倾角 = |纬度|，固定式阵列的常用经验规则',
  '20 years for the facility as a whole — M&E plant (UPS, chillers, switchgear) lasts 15–20 years, the shell longer; used only for the salvage value at the end of a run, straight-line':
    '设施整体 20 年——机电设备（UPS、冷水机组、开关柜）寿命 15–20 年，建筑主体更长；仅用于计算模拟期末的残值，按直线法',
  'maintenance of the M&E plant (power and cooling) 2 % of its capex a year, the middle of the 1–3 % used in TCO practice; a Chinese figure is NOT FOUND':
    '机电设备（供电与制冷）维护费每年为其投资的 2 %，取总拥有成本实践中常用 1–3 % 的中间值；未找到国内数据',
  'not in the references; a common infrastructure hurdle rate, labelled':
    '不在参考资料中；基础设施项目常用的最低收益率，已标注',
  'not in the references; a typical busy-hour/average ratio, labelled':
    '不在参考资料中；典型的忙时/平均流量比，已标注',
  // equipment
  'a plant of four equal duty chillers (redundant units idle)': '四台同规格的运行冷水机组（冗余机组停机）',
  'balanced air-to-air heat exchanger': '平衡式空气-空气换热器',
  'duty plant sized to the design heat at the rating point': '运行机组按额定工况下的设计热负荷选型',
  'generic IEC class II/III curve': '通用的 IEC II/III 级风机功率曲线',
  'typical 3–5 MW onshore turbine': '典型的 3–5 MW 陆上风机',
  'typical LFP calendar fade': '典型的磷酸铁锂日历衰减',
  'typical LFP operating window': '典型的磷酸铁锂充放电区间',
  'typical LFP system incl. converter': '典型的磷酸铁锂系统（含变流器）',
  'modular UPS frames switch modules off down to the redundancy the installed load needs; half the frame kept on is an engineering assumption':
    '模块化 UPS 机架会关闭多余模块，只保留所带负载需要的冗余；机架保持一半模块运行为工程假设',
  'double conversion: "surveys show that virtually no data centers actually use eco mode" (Rasmussen, Schneider Electric WP 157) [ups-eco-mode]':
    '双变换模式：“调查显示几乎没有数据中心真正使用 ECO 模式”（⟦Rasmussen, Schneider Electric WP 157⟧）[ups-eco-mode]',
  'eConversion (eco) mode "up to 99 %" against "up to 97 %" in double conversion (Schneider Electric Galaxy VS); WP 157: eco mode saves ≈ 2 % of data-centre energy [ups-eco-mode]':
    '⟦eConversion⟧（ECO）模式效率“最高 99 %”，双变换模式“最高 97 %”（施耐德电气 ⟦Galaxy VS⟧）；⟦WP 157⟧：ECO 模式约节省数据中心能耗的 2 % [ups-eco-mode]',
  'between the midpoint and the warm end of the 18–27 °C recommended envelope for colocation halls (ASHRAE TC 9.9; GB 50174-2017 §5.1.1) [ashrae-tc99-2015] [gb-50174-2017]':
    '对托管机房，取 18–27 °C 推荐范围的中点与上限之间（⟦ASHRAE TC 9.9⟧；GB 50174-2017 §5.1.1）[ashrae-tc99-2015] [gb-50174-2017]',
  'warm end of the 18–27 °C recommended inlet envelope (ASHRAE TC 9.9 thermal guidelines; GB 50174-2017 §5.1.1), where hyperscale operators run; Lei & Masanet 2022 Table B.1 put hyperscale high set points at 27–35 °C [ashrae-tc99-2015] [gb-50174-2017] [lei-masanet-2022]':
    '18–27 °C 推荐进风温度范围的上限（⟦ASHRAE TC 9.9 thermal guidelines⟧；GB 50174-2017 §5.1.1），超大型数据中心运营商按此运行；⟦Lei & Masanet 2022⟧ 表 B.1 给出超大型数据中心的高设定值为 27–35 °C [ashrae-tc99-2015] [gb-50174-2017] [lei-masanet-2022]',
  // workload
  'Alejandro Fernández, DataCenter-Traces-Datasets, doi:10.5281/zenodo.14564847 (CC BY 4.0), aggregating the Alibaba cluster-trace-v2018, Google cluster-usage traces 2019 and Azure Public Dataset V2 [datacenter-traces-zenodo] [alibaba-2018] [google-2019] [azure-v2]':
    '⟦Alejandro Fernández, DataCenter-Traces-Datasets, doi:10.5281/zenodo.14564847 (CC BY 4.0)⟧，汇总了 ⟦Alibaba cluster-trace-v2018⟧、⟦Google cluster-usage traces 2019⟧ 和 ⟦Azure Public Dataset V2⟧ [datacenter-traces-zenodo] [alibaba-2018] [google-2019] [azure-v2]',
  'mean = machine CPU utilisation (fraction), mean over ~4,000 machines':
    '均值 = 机器的处理器利用率（比例），约 4,000 台机器的平均值',
  // staff, cost, revenue, latency, wind hours
  '150285 CNY (average wage of urban non-private units, electricity, heat, gas and water supply, 2024: 150,285 CNY [nbs-wages-2024]) × 1.35 (dcplan estimate: employer cost = 1.35 × gross wage (pension 16 %, medical 7–10 %, unemployment and injury ≈ 1 %, housing fund 5–12 % of the contribution base))':
    '150285 元（2024 年城镇非私营单位就业人员平均工资，电力、热力、燃气及水生产和供应业：150,285 元 [nbs-wages-2024]）× 1.35（dcplan 估计：用人单位成本 = 1.35 × 应发工资（按缴费基数计：养老保险 16 %、医疗保险 7–10 %、失业和工伤保险约 1 %、住房公积金 5–12 %））',
  'a 24×7 facility team of 13 (1 manager, 1 supervisor, 3 second-line electrical/HVAC/ELV, 8 first-line in 4 shifts) [dc-staffing-cn]; dcplan counts one such team for every 10 MW of IT design power in service or part of it (assumption)':
    '一支 24×7 的 13 人运维团队（1 名经理、1 名主管、3 名电气/暖通/弱电二线人员、8 名四班倒的一线人员）[dc-staffing-cn]；dcplan 按在运 IT 设计功率每 10 MW（不足 10 MW 亦计）配一支这样的团队（假设）',
  'USD 7.11 M per MW × 7.1 CNY/USD × (1 − white space 0.1): Chinese mainland data-centre construction cost, mid-spec build: USD 7.11 M per MW of IT (2025; construction-cost inflation 2024–25 4.0 %); excludes land [cw-apac-dc-cost-2025]. Split shell 23.3 %, site 11.1 %, power 35.3 %, cooling 23.6 %, back of house 6.7 %: share of a data-centre build in the shell (building); the US split of the development cost guide (shell 21 %, critical power and cooling 53 %, site 10 %, white space 10 %, back of house 4 %, office 2 %) stands in for China [cw-us-dc-cost-2025]; power 0.6 of the critical share (dcplan estimate: 60 % of the critical-capacity cost is electrical (transformers, switchgear, UPS, generators), 40 % cooling plant — a split of the critical share by the usual ratio of electrical to mechanical packages, NOT FOUND in a Chinese source). Chinese project totals give less (≈ 18–32 M CNY per MW, 2021–2024 [cn-dc-project-costs]): a low case to test':
    '每 MW 7.11 M 美元 × 7.1 元/美元 × (1 − 白区 0.1)：中国内地数据中心建设成本，中等规格：每 MW IT 7.11 M 美元（2025 年；2024–25 年建设成本上涨 4.0 %）；不含土地 [cw-apac-dc-cost-2025]。分项：建筑主体 23.3 %、场地 11.1 %、供电 35.3 %、制冷 23.6 %、辅助区 6.7 %：数据中心建设中建筑主体的占比；以该开发成本指南的美国分项（建筑主体 21 %、关键供电与制冷 53 %、场地 10 %、白区 10 %、辅助区 4 %、办公 2 %）代替中国的分项 [cw-us-dc-cost-2025]；供电占关键设施部分的 0.6（dcplan 估计：关键容量成本的 60 % 为电气（变压器、开关柜、UPS、发电机），40 % 为制冷设备——按电气与机械分包的常见比例划分关键设施部分，国内来源中未找到）。国内项目总投资更低（每 MW 约 18–32 M 元，2021–2024 [cn-dc-project-costs]）：可作为低值情形检验',
  "USD 7.11 M per MW × 7.1 CNY/USD × white space 0.1 × 5 kW per rack (dcplan estimate: the rack density of a mid-spec build (the cost guide's white-space share per MW is spread over 5 kW racks to give a fit-out per rack))":
    '每 MW 7.11 M 美元 × 7.1 元/美元 × 白区 0.1 × 每机架 5 kW（dcplan 估计：中等规格建设的机架功率密度（把成本指南中每 MW 的白区部分分摊到 5 kW 机架上，得出每机架的装修费用））',
  'wholesale colocation revenue per utilised kW·month including power pass-through, VNET Q1 2024: CNY 361 M of wholesale revenue ÷ (332 MW in service × 71 % utilised × 3 months) ≈ 510 [vnet-2024q1]; Langfang wholesale cabinets fetched ≈ 850–880 CNY per kW·month in 2018–2020 [runze-2021-inquiry]; western hub prices are NOT FOUND and likely lower':
    '批发托管每已用 kW·月的收入（含转付电费），世纪互联 2024 年第一季度：批发收入 361 M 元 ÷（在运 332 MW × 利用率 71 % × 3 个月）≈ 510 [vnet-2024q1]；2018–2020 年廊坊批发机柜约 850–880 元/kW·月 [runze-2021-inquiry]；西部枢纽价格未找到，可能更低',
  "least-squares fit of one-way latency = f × great-circle km × 5 µs/km + t to the six published one-way figures: Gui'an → Chengdu 6, Guangzhou 10, Shanghai 15, Beijing 20 ms; Zhongwei → Beijing 9 (8–10), Shanghai 15 ms (China Daily 2020 and 2023) [published-latency]: f = 1.89, t = 1.14 ms; residuals −2.5 to +1.7 ms. The policy goal of ≤ 1.5 × the theoretical latency is below what these figures show":
    '单向时延 = f × 大圆距离 km × 5 µs/km + t，对 6 个已公布的单向时延做最小二乘拟合：贵安 → 成都 6、广州 10、上海 15、北京 20 ms；中卫 → 北京 9（8–10）、上海 15 ms（⟦China Daily⟧ 2020、2023）[published-latency]：f = 1.89，t = 1.14 ms；残差 −2.5 至 +1.7 ms。政策目标“≤ 1.5 × 理论时延”低于这些数据显示的水平',
  'the constant of the same fit (f = 1.89, t = 1.14 ms) to six published one-way figures [published-latency]':
    '同一拟合（f = 1.89，t = 1.14 ms，基于 6 个已公布的单向时延）的常数项 [published-latency]',
  "Provincial wind utilisation hours, 2024 (6 MW+ plants): Gansu 1,595 h, Henan 1,998 h, Hubei 1,934 h, from the replication data of a published study assembled from NEA/CEC statistics (Gansu's 2024 generation there, 45.789 TWh, equals the figure reported by State Grid Gansu) [provincial-wind-hours]; the NEA tables themselves were not read. Utilisation hours are after curtailment (Gansu 2024 utilisation rate 94.0 %)":
    '2024 年各省风电利用小时数（6 MW 及以上电厂）：甘肃 1,595 h、河南 1,998 h、湖北 1,934 h，取自一篇已发表研究的复现数据，其数据汇编自国家能源局/中电联统计（其中甘肃 2024 年发电量 45.789 TWh，与国网甘肃电力公布的数字一致）[provincial-wind-hours]；未直接查阅国家能源局的统计表。利用小时数为弃风后的数值（甘肃 2024 年利用率 94.0 %）',
  // text values of the defaults
  alibaba2018: '阿里巴巴 2018',
  google2019: '谷歌 2019',
  azure2019: '微软 ⟦Azure⟧ 2019',
  large: '大型',
  hyperscale: '超大型',
  small: '中小型',
  dni: '法向直接辐照度',
  fixed: '固定支架',
  province: '省级',
  'national residual-mix factor by year': '全国剩余电力排放因子（逐年）',
  none: '无',
  'two-part': '两部制',
  'single-part': '单一制',
  demand: '按需量',
  capacity: '按容量',
  energy: '电能量价格',
  'energy+lineLoss': '电能量价格 + 线损费用',
  'energy+td': '电能量价格 + 输配电价',
  'energy+lineLoss+td': '电能量价格 + 线损费用 + 输配电价',
};

/**
 * A text of the engine in Chinese, with `⟦…⟧` around English references; null when no rule reads it
 * (nor every part of it, split at ` | ` and then at `; ` outside brackets).
 */
function translate(s: string): string | null {
  if (Object.hasOwn(WHOLE, s)) return WHOLE[s];
  // a label the page already translates (a workload shape's description, a seed source)
  const label = t(s);
  if (label !== s) return label;
  for (const [re, zh] of RULES) {
    const m = re.exec(s);
    if (m) {
      const out = zh(m);
      if (out !== null) return out;
    }
  }
  for (const sep of [' | ', '; ']) {
    const parts = splitTop(s, sep);
    if (parts.length > 1) {
      const zh = parts.map(translate);
      return zh.every((x) => x !== null) ? zh.join(sep === ' | ' ? ' | ' : '；') : null;
    }
  }
  return null;
}

/** Split at `sep` where no bracket is open. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[' || c === '（') depth++;
    else if (c === ')' || c === ']' || c === '）') depth = Math.max(0, depth - 1);
    else if (depth === 0 && s.startsWith(sep, i)) {
      out.push(s.slice(last, i));
      last = i + sep.length;
      i += sep.length - 1;
    }
  }
  out.push(s.slice(last));
  return out;
}

/**
 * A text of the engine (a default's source or text value, a warning) in the page's language, in parts:
 * in Chinese, dcplan's words translated and each English reference a part of its own (`en`); a text no
 * rule reads is one English part. In English, the text as it is.
 *
 * @example
 * sourceParts('Lei & Masanet (2022) Table B.1 [lei-masanet-2022]: midpoint of 4–6 (large)') // in 中文 →
 * // [{ text: 'Lei & Masanet (2022)', en: true }, { text: ' 表 B.1 [lei-masanet-2022]：取 4–6 的中值（大型）' }]
 */
export function sourceParts(s: string): SourcePart[] {
  if (lang() !== 'zh') return [{ text: s }];
  const zh = translate(s);
  if (zh === null) return [{ text: s, en: true }];
  return zh
    .split(/(⟦[^⟧]*⟧)/)
    .filter(Boolean)
    .map((p) => (p.startsWith('⟦') ? { text: p.slice(1, -1), en: true } : { text: p }));
}

/** A text of the engine in the page's language, as one string (the references left in English). */
export function sourceText(s: string): string {
  return sourceParts(s)
    .map((p) => p.text)
    .join('');
}

/** Whether a text of the engine reads in Chinese (a rule knows it). */
export function sourceKnown(s: string): boolean {
  return translate(s) !== null;
}

/**
 * A text of the engine for a longer line of the page's own words (a field's help): in Chinese its
 * references kept between ⟦ ⟧ marks (a text no rule reads marked whole), which `refNodes` turns into
 * elements marked English; in English the text as it is.
 */
export function sourceMarked(s: string): string {
  if (lang() !== 'zh') return s;
  return translate(s) ?? `⟦${s}⟧`;
}

/** A line with ⟦ ⟧-marked references as text and `<span lang="en">` elements (for the English parts). */
export function refNodes(text: string): Array<string | HTMLElement> {
  return text
    .split(/(⟦[^⟧]*⟧)/)
    .filter(Boolean)
    .map((p) => (p.startsWith('⟦') ? el('span', { lang: 'en' }, p.slice(1, -1)) : p));
}

/** A default's value that is text (`two-part`, "Gansu provincial factor by year"): the page's word for it, else as `sourceMarked` reads it. */
export function valueMarked(v: string): string {
  return t(v) !== v ? t(v) : sourceMarked(v);
}

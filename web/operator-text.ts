import { lang, t } from './i18n.ts';
import { sourceText } from './source-text.ts';

/**
 * The meter check's own sentences (models/operator: calibration, retrofits, warnings) in Chinese, by
 * pattern: the engine writes them in English with values in them. Numbers, ids and citations in
 * brackets are carried over as they are; a sentence no pattern knows stays English.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [
    /^fitted on (\d+) months, tested on (\d+): held-out RMS error ([\d.]+) ≤ ([\d.]+)$/,
    '用 $1 个月拟合、$2 个月检验：检验月的均方根误差 $3 ≤ $4',
  ],
  [
    /^the fit does not hold on the held-out months \(RMS error ([\d.]+) > ([\d.]+)\): not claimed — the plant differs in ways these parameters cannot capture, or the operation changed during the year$/,
    '拟合在检验月上不成立（均方根误差 $1 > $2）：不采用——设备的差异无法由这些参数刻画，或年内运行方式发生了变化',
  ],
  [
    /^Replace the cooling plant: water-cooled chillers with a waterside economizer$/,
    '更换制冷系统：带水侧自然冷却的水冷冷水机组',
  ],
  [/^Replace the cooling plant: indirect evaporative cooling$/, '更换制冷系统：间接蒸发冷却'],
  [
    /^Raise the supply-air set point to 27 °C \(from ([\d.]+) °C; the warm end of ASHRAE's recommended 18–27 °C\)$/,
    '将送风温度设定值提高到 27 °C（原为 $1 °C；ASHRAE 推荐范围 18–27 °C 的上限）',
  ],
  [/^Run the UPS in eco mode \(99 %\)$/, 'UPS 以 ECO 模式运行（99 %）'],
  [
    /^Add ([\d,]+) kWp of on-site PV \(0\.1 kWp per kW of IT design power\)$/,
    '新增 $1 kWp 场内光伏（每 kW IT 设计功率 0.1 kWp）',
  ],
  [
    /^capex: the cooling part of the build cost per kW of IT \(C&W mid-spec build × the cost guide's critical share × 40 % cooling\) (\[[\w-]+\])$/,
    '投资：每 kW IT 建设成本中的制冷部分（高纬环球中等规格建设成本 × 该成本指南的关键设施占比 × 40 % 制冷）$1',
  ],
  [
    /^an operational change \(containment assumed in place\); no capex$/,
    '运行方式调整（假定已有冷热通道封闭）；无需投资',
  ],
  [
    /^a setting of modern UPS \(Schneider WP 157: ≈ 2 % of data-centre energy saved, with protection trade-offs\) (\[[\w-]+\]); no capex$/,
    '现代 UPS 的一项设置（施耐德电气第157号白皮书：约节省数据中心能耗的 2 %，但需在保护上有所取舍）$1；无需投资',
  ],
  [
    /^yield of the PV model on the station's typical year \(PVWatts losses\); capex ([\d.]+) CNY\/W: (.*); the array's size is a dcplan choice$/,
    '光伏模型在该台站典型年上的发电量（PVWatts 损失）；投资 $1 元/W：$2；阵列规模由 dcplan 选定',
  ],
  [
    /^(\d{4}-\d{2}): measured PUE ([\d.]+) is ([\d.]+) above what the plant model expects for that month's IT load and weather \(beyond the year's usual gap (-?[\d.]+)\): the operation, not the weather — left out of the calibration$/,
    '$1：实测 PUE $2 比设备模型按该月 IT 负载和天气的预期高 $3（超出全年通常偏差 $4）：原因在运行而非天气——不参与校准',
  ],
  [
    /^retrofits: savings priced at ([\d.]+) CNY\/kWh, the delivered price the engine bills this cluster in (\d{4}) for ([\d,]+) kW of IT \(tariff book, voltage by contract, demand charge\) — an estimate: give priceCnyPerKwh from your own bills$/,
    '改造方案：节省按 $1 元/kWh 计价，即引擎在 $2 年为该集群 $3 kW IT 计算的到户电价（电价表、按合同容量定电压等级、需量电费）——这是估计值：请按您自己的电费账单填写 priceCnyPerKwh',
  ],
  [
    /^retrofits: the delivered price could not be estimated \((.*)\); give priceCnyPerKwh$/,
    '改造方案：无法估计到户电价（$1）；请填写 priceCnyPerKwh',
  ],
  [
    /^cooling: not given; the site is modelled as ([\w-]+) \(the common large-DC plant\) — give --cooling for the expected PUE to mean something$/,
    '制冷方案：未给出；按 $1（大型数据中心的常见系统）建模——请给出制冷方案，预期 PUE 才有意义',
  ],
  [
    /^designItKw: not given; the halls are sized for the highest metered hourly IT load, (\d+) kW — give the IT design power for the fixed loads to be right$/,
    'IT 设计功率：未给出；机房按计量到的最高小时 IT 负载 $1 kW 设计——请给出 IT 设计功率，固定负载才准确',
  ],
  [
    /^upsOnlineKw: not given; the UPS is taken as energised for (\d+) kW \(the highest metered hourly IT load, at least ([\d.]+) of the design power\) — give the online UPS capacity for the UPS losses to be right$/,
    '在线 UPS 容量：未给出；UPS 按 $1 kW 带电计（计量到的最高小时 IT 负载，至少为设计功率的 $2）——请给出在线 UPS 容量，UPS 损耗才准确',
  ],
  [
    /^(\d+) rows lie outside (\d{4}) and are not in the expected-versus-measured comparison$/,
    '有 $1 行不在 $2 年内，不参与预期与实测的比较',
  ],
  [/^meter data: columns not read: (.*)$/, '计量数据：未读取的列：$1'],
  [
    /^market-based CUE: no residual-mix factor is seeded; not computed$/,
    '基于市场的 CUE：参考数据中没有剩余电力排放因子；未计算',
  ],
];

/** A reading interval as the check names it (`monthly`, `daily`, `15-minute`) in Chinese. */
const intervalZh = (x: string) =>
  x === 'monthly' ? '月度' : x === 'daily' ? '日' : x.replace(/^(\d+)-minute$/, '$1 分钟');
const METER_POINT_ZH: Record<string, string> = {
  "IT equipment's input": 'IT 设备输入端',
  'PDU outputs': 'PDU 输出端',
  'UPS output': 'UPS 输出端',
};

/**
 * The sentences whose parts are read apart: the coverage note (its second half one of two), the PUE
 * category note, and the held grid factors with their source (models/operator/metrics.ts).
 */
function composedText(en: string): string | null {
  let m =
    /^(\d+) (monthly|daily|\d+-minute) rows from (\S+) to (\S+) \(China time\): ([\d.]+) % of the period's intervals(?:, (\d+) gaps? \((\d+) intervals\))?\. Ratios \(PUE, WUE, CUE, REF\) are over the rows there are; (.*)\.$/.exec(
      en,
    );
  if (m) {
    const gaps = m[6] ? `，${m[6]} 处缺口（${m[7]} 个时段）` : '';
    const rest =
      /^annual totals are scaled by ([\d.]+) to a full year \(the data cover (\d+) months and ([\d.]+) % of their intervals\)$/.exec(
        m[8],
      );
    const not =
      /^totals are not annualised \(that needs ≥ (\d+) months and ≥ ([\d.]+) % of the intervals\)$/.exec(
        m[8],
      );
    const tail = rest
      ? `年度总量按 ${rest[1]} 倍折算为全年（数据覆盖 ${rest[2]} 个月、其间 ${rest[3]} % 的时段）`
      : not
        ? `总量未折算为全年（需要 ≥ ${not[1]} 个月且 ≥ ${not[2]} % 的时段）`
        : null;
    if (tail === null) return null;
    return `${m[1]} 行${intervalZh(m[2])}读数，${m[3]} 至 ${m[4]}（北京时间）：占该时段应有读数的 ${m[5]} %${gaps}。比值（PUE、WUE、CUE、REF）按现有读数计算；${tail}。`;
  }
  m =
    /^PUE category (\d): IT metered at the (IT equipment's input|PDU outputs|UPS output) with (\S+) readings \(ISO\/IEC 30134-2\)$/.exec(
      en,
    );
  if (m)
    return `PUE 类别 ${m[1]}：IT 能耗在${METER_POINT_ZH[m[2]]}计量，${intervalZh(m[3])}读数（ISO/IEC 30134-2）`;
  m =
    /^(\S+) readings allow at most PUE category (\d) \(ISO\/IEC 30134-2: .*\); say where IT is metered \(--it-meter ups\|pdu\|it\) for the category itself$/.exec(
      en,
    );
  if (m)
    return `${intervalZh(m[1])}读数最多支持 PUE 类别 ${m[2]}（ISO/IEC 30134-2：类别 3 要求每 ≤ 15 分钟在 IT 设备输入端计量 IT 能耗，类别 2 按日在 PDU 输出端，类别 1 按月在 UPS 输出端）；说明 IT 的计量位置（--it-meter ups|pdu|it）才能确定类别本身`;
  m = /^meter data: (\d+) gap\(s\); the first after line (\d+) \((\S+) to (\S+)\)$/.exec(en);
  if (m) return `计量数据：${m[1]} 处缺口；第一处在第 ${m[2]} 行之后（${m[3]} 至 ${m[4]}）`;
  m = /^grid factors: none published for (.*); the nearest published year is held \((.*)\)$/.exec(en);
  if (m) return `电网排放因子：${m[1]} 年无公布值；沿用最近的公布年份（${sourceText(m[2])}）`;
  return null;
}

/** One of the meter check's sentences in the page's language (English when no pattern knows it). */
export function operatorText(en: string): string {
  if (lang() !== 'zh') return en;
  const composed = composedText(en);
  if (composed !== null) return composed;
  for (const [re, zh] of PATTERNS) {
    const m = re.exec(en);
    if (m) return zh.replace(/\$(\d)/g, (_, i: string) => t(m[Number(i)]));
  }
  return t(en);
}

import type { TargetSelector } from '../models/targets.ts';
import { lang, t } from './i18n.ts';

/**
 * The policy targets (seeds/targets.json) under their Chinese titles: most are Chinese documents, and
 * the people the page is for read them by their Chinese names and document numbers. By target id:
 * the label and the source line (citations in brackets kept, so they still link to /sources).
 */
const TARGETS_ZH: Record<string, [label: string, source: string]> = {
  'hub-pue-1.2': [
    '枢纽节点集群 PUE ≤ 1.2',
    '国家发展改革委等关于同意甘肃省启动建设全国一体化算力网络国家枢纽节点的复函，2021-12-20 [gansu-hub-approval-2021]',
  ],
  'hub-occupancy-65': [
    '枢纽节点集群上架率 ≥ 65 %',
    '国家发展改革委等关于同意甘肃枢纽节点的复函，2021-12-20 [gansu-hub-approval-2021]',
  ],
  'hub-green-80': [
    '枢纽节点新建数据中心绿电占比 > 80 %（2025 年底）',
    '《数据中心绿色低碳发展专项行动计划》，2024-07-23 [dc-green-action-2024]',
  ],
  'national-hub-pue-1.25': [
    '枢纽节点新建数据中心 PUE < 1.25（2025 年）',
    '《贯彻落实碳达峰碳中和目标要求 推动数据中心和5G等新型基础设施绿色高质量发展实施方案》，2021-12 [dc-5g-green-2021]',
  ],
  'national-large-pue-1.3': [
    '新建大型、超大型数据中心 PUE < 1.3（2025 年）',
    '《贯彻落实碳达峰碳中和目标要求 推动数据中心和5G等新型基础设施绿色高质量发展实施方案》，2021-12 [dc-5g-green-2021]',
  ],
  'action-2025-pue-1.25': [
    '新建及改扩建大型、超大型数据中心 PUE ≤ 1.25（2025 年底，2024 年行动计划）',
    '《数据中心绿色低碳发展专项行动计划》，2024-07-23，据新华社 2024-07-24 报道 [dc-green-action-2024]',
  ],
  'action-2025-hub-pue-1.2': [
    '国家枢纽节点新建数据中心 PUE ≤ 1.2（2025 年底，2024 年行动计划）',
    '《数据中心绿色低碳发展专项行动计划》，2024-07-23，据新华社 2024-07-24 报道 [dc-green-action-2024]',
  ],
  'miit-2023-pue-cold': [
    '严寒和寒冷地区新建大型数据中心 PUE < 1.25（2023 年底）',
    '工业和信息化部《新型数据中心发展三年行动计划(2021-2023年)》[miit-dc-3yr-2021]；气候区划分 D（GB 50176）[gb-50176]',
  ],
  'miit-2023-pue': [
    '新建大型数据中心 PUE < 1.3（2023 年底）',
    '工业和信息化部《新型数据中心发展三年行动计划(2021-2023年)》[miit-dc-3yr-2021]',
  ],
  'miit-2023-utilisation-60': [
    '上架率 ≥ 60 %（2023 年底，全国）',
    '工业和信息化部《新型数据中心发展三年行动计划(2021-2023年)》[miit-dc-3yr-2021]',
  ],
  'action-2025-occupancy-60': [
    '上架率 ≥ 60 %（2025 年底，全国）',
    '《数据中心绿色低碳发展专项行动计划》，2024-07-23 [dc-green-action-2024]',
  ],
  'gb40879-limit': [
    'GB 40879-2021 限定值（3 级或更优，PUE ≤ 1.50）',
    'GB 40879-2021《数据中心能效限定值及能效等级》，2022-11-01 起强制执行（标准 A；阈值 C）[gb-40879-2021]',
  ],
  'green-dc-2025-pue': [
    '国家绿色数据中心：PUE ≤ 1.30',
    '国家绿色数据中心评价要求，工信厅联节函〔2025〕279号 [miit-green-dc-2025]',
  ],
  'green-dc-2025-grade': [
    '国家绿色数据中心：GB 40879 能效 2 级或更优',
    '工信厅联节函〔2025〕279号 [miit-green-dc-2025]；等级阈值 C [gb-40879-2021]',
  ],
  'green-dc-2025-racks': [
    '国家绿色数据中心：≥ 3,000 个标准机架',
    '工信厅联节函〔2025〕279号 [miit-green-dc-2025]',
  ],
  'green-dc-2025-occupancy': [
    '国家绿色数据中心：上架率 ≥ 60 %',
    '工信厅联节函〔2025〕279号 [miit-green-dc-2025]',
  ],
  'gansu-2017-racks': [
    '甘肃运营商数据中心机架达到 4,300 个（2017 年）',
    '甘政办发〔2015〕119号，二、发展目标 [gansu-2015-119]',
  ],
  'gansu-2020-outbound': [
    '甘肃互联网省际出口带宽 ≥ 2 Tbps（2020 年）',
    '甘政办发〔2015〕119号，二、发展目标（互联网省际出口带宽总量达到2T以上）[gansu-2015-119]',
  ],
  'qingyang-2025-racks-100k': [
    '庆阳 10 万个标准机架（2025 年修订目标）',
    '《甘肃日报》，2025-08 [gansu-daily-2025-08]',
  ],
  'qingyang-2030-pue-1.2': [
    '庆阳平均 PUE < 1.2（2030 年，2022 年规划）',
    '新华财经，2022-06-24，关于庆阳要素保障方案的报道 [xinhua-finance-2022-06-24]',
  ],
  'qingyang-2032-racks-800k': [
    '庆阳 80 万个标准机架（2032 年；2022 年规划：10 年新增 80 万，按集群总量核对）',
    '新华财经，2022-06-24 [xinhua-finance-2022-06-24]；自 2022 年起 10 年 → 2032 年（D）',
  ],
  'hubei-pue-1.3': [
    '湖北新建大型数据中心 PUE < 1.3（2022 年规划）',
    '鄂经信规划〔2021〕204号 [hubei-2021-204]',
  ],
  'hubei-2025-racks-170k': [
    '湖北机架 ≥ 17 万个（2025 年，全省）',
    '鄂经信规划〔2021〕204号 [hubei-2021-204]',
  ],
};

/** A target's label in the page's language. */
export const targetLabel = (id: string, en: string): string =>
  lang() === 'zh' ? (TARGETS_ZH[id]?.[0] ?? en) : en;

/** A target's source line in the page's language (the citations in brackets kept). */
export const targetSource = (id: string, en: string): string =>
  lang() === 'zh' ? (TARGETS_ZH[id]?.[1] ?? en) : en;

/** The Chinese climate zones of GB 50176. */
const ZONES_ZH: Record<string, string> = {
  'severe-cold': '严寒地区',
  cold: '寒冷地区',
  'hot-summer-cold-winter': '夏热冬冷地区',
  'hot-summer-warm-winter': '夏热冬暖地区',
  temperate: '温和地区',
};

/** Which clusters a target binds, in words (models/targets.ts `describeSelector`, in the page's language). */
export function selectorText(sel: TargetSelector, en: string): string {
  if (lang() !== 'zh') return en;
  if (sel === 'all') return '所有集群';
  const where: string[] = [];
  if (sel.climateZone) where.push(sel.climateZone.map((z) => ZONES_ZH[z] ?? z).join('或'));
  if (sel.province) where.push(sel.province.map((p) => t(p)).join('或'));
  if (sel.cluster) where.push(sel.cluster.join('、'));
  const kind = sel.hubNode === undefined ? '' : sel.hubNode ? '枢纽节点' : '非枢纽节点';
  return `${where.length ? `${where.join('，')}的` : ''}${kind}集群`;
}

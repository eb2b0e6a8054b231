import { lang, t } from './i18n.ts';

/**
 * 中文 of the uncertainty panels' words (issue 22, point 7), kept beside them; anything not here falls
 * back to the page's own table (web/i18n.ts), then to English.
 */
const ZH: Record<string, string> = {
  Uncertainty: '不确定性',
  'Uncertainty: Monte Carlo in the browser': '不确定性：浏览器中的蒙特卡洛模拟',
  'Samples run in the page’s worker; the charts fill in as they come. Distributions written in the scenario are sampled; with “uncertainty from grades” every default the run used also gets a band from its source’s grade (A ±2 %, B ±5 %, C ±15 %, D ±30 %, assumption ±50 %, NOT FOUND ±100 %).':
    '样本在页面的后台线程中运行，图表随结果逐步填充。情景中写明的分布会被抽样；勾选“按来源等级的不确定性”后，运行所用的每个默认值也按其来源等级获得一个区间（A ±2 %、B ±5 %、C ±15 %、D ±30 %、假设 ±50 %、未找到 ±100 %）。',
  Samples: '样本数',
  Seed: '随机种子',
  'Uncertainty from grades': '按来源等级的不确定性',
  'Tornado output': '龙卷风图输出指标',
  'Tornado cluster': '龙卷风图集群',
  Run: '运行',
  Cancel: '取消',
  Cancelled: '已取消',
  'Run on the server': '在服务器上运行',
  '“Run on the server” sends up to 10,000 samples as a job (POST /api/montecarlo) and polls it; Cancel stops it.':
    '“在服务器上运行”将最多 10,000 个样本作为作业提交（POST /api/montecarlo）并轮询其进度；“取消”可停止。',
  'On the server': '服务器',
  'The server’s report carries quantiles, not every sample: the histograms and CDFs come with the page’s own samples.':
    '服务器的报告只含分位数，不含每个样本：直方图与累积分布图来自页面自身的样本。',
  samples: '个样本',
  'samples failed': '个样本失败',
  'Ranking under uncertainty': '不确定性下的排名',
  'Cheapest in': '成本最低的概率',
  'of samples': '的样本',
  'cheapest in': '成本最低的样本占比',
  'Plain-run rank': '确定性排名',
  'Probability of each cost rank': '各成本名次的概率',
  'Share of samples (%)': '样本占比（%）',
  Rank: '名次',
  Probability: '概率',
  'Distribution of NPV': '净现值分布',
  'Distribution of cost per occupied rack-year': '每在用机架年成本分布',
  'Cumulative distribution of NPV': '净现值累积分布',
  'Cumulative distribution of cost per occupied rack-year': '每在用机架年成本累积分布',
  'Samples (count)': '样本数（个）',
  'Cumulative share of samples (%)': '累积样本占比（%）',
  'NPV (M CNY)': '净现值（百万元）',
  'Cost per occupied rack-year (CNY)': '每在用机架年成本（元）',
  Tornado: '龙卷风图',
  'Tornado: one input at a time at its P10 and P90': '龙卷风图：每次将一个输入置于 P10 与 P90',
  'input at P10': '输入取 P10',
  'input at P90': '输入取 P90',
  Input: '输入',
  'Input at P10': '输入 P10 值',
  'Input at P90': '输入 P90 值',
  'Output at P10': '输入 P10 时的输出',
  'Output at P90': '输入 P90 时的输出',
  Swing: '摆幅',
  'Rank correlation': '秩相关系数',
  'Annual outputs: P10–P90 band': '年度指标：P10–P90 区间',
  'Fan chart output': '扇形图指标',
  'P10–P90': 'P10–P90',
  'plain run': '确定性运行',
  'Least-cost green supply: target → cost': '最低成本绿电配置：目标与成本',
  'The cheapest mix of PV, wind, storage and contracted green power for each annual green-share target (a linear program over the year’s 8,760 hours, HiGHS in the page’s worker). “Use this mix” puts it into the scenario.':
    '每个年度绿电占比目标下光伏、风电、储能与绿电交易的最低成本组合（全年 8,760 小时线性规划，HiGHS 在页面后台线程中求解）。“采用此配置”将其写入情景。',
  'Solve the curve': '求解曲线',
  'Use this mix': '采用此配置',
  'Green-share target (%)': '绿电占比目标（%）',
  'Annual cost (M CNY)': '年度成本（百万元）',
  Target: '目标',
  'no target': '无目标',
  'PV array DC rating': '光伏直流装机',
  'Wind farm rating': '风电装机',
  'Battery energy': '储能容量',
  'Battery power': '储能功率',
  'Contracted green power': '绿电交易',
  'Annual cost': '年度成本',
  'programs solved': '个规划已求解',
  'The mix is in the scenario: the editor and every chart now show it.':
    '配置已写入情景：编辑器与所有图表已更新。',
  'The levers or the scenario changed since these samples ran: run again to update them.':
    '抽样之后杠杆或情景已改变：请重新运行以更新结果。',
  'Nothing is uncertain: write a distribution in the scenario or tick “uncertainty from grades”.':
    '没有不确定输入：请在情景中写入分布，或勾选“按来源等级的不确定性”。',
};

/** Translate a label of the uncertainty panels. */
export function tu(en: string): string {
  return lang() === 'zh' ? (ZH[en] ?? t(en)) : en;
}

/**
 * English labels with a 中文 switch. Keys are the English text itself (the schema's and result's own
 * labels included), so a label without a translation falls back to English rather than to a key.
 */
export type Lang = 'en' | 'zh';

const ZH: Record<string, string> = {
  // shell
  Overview: '总览',
  Plan: '规划',
  Compare: '比较',
  Operator: '运营',
  Runs: '运行记录',
  Sources: '来源',
  'Planning simulator for regional data-center clusters': '区域数据中心集群规划模拟器',
  'Skip to content': '跳到正文',
  Language: '语言',
  // common
  Scenario: '情景',
  Cluster: '集群',
  Year: '年份',
  Month: '月份',
  Hour: '小时',
  'Hour of day': '一天中的小时',
  'Day of year': '一年中的日',
  Loading: '加载中',
  'Simulating…': '模拟中…',
  Table: '表格',
  Chart: '图表',
  'Show table': '显示表格',
  'Hide table': '隐藏表格',
  'Download SVG': '下载 SVG',
  'Download PNG': '下载 PNG',
  'Download CSV': '下载 CSV',
  'not computed': '未计算',
  met: '达标',
  missed: '未达标',
  Value: '数值',
  Limit: '限值',
  Source: '来源',
  Grade: '等级',
  Unit: '单位',
  Default: '默认值',
  Warnings: '警告',
  Assumptions: '假设',
  'Bundled scenarios': '内置情景',
  'Saved scenarios': '已保存情景',
  'All clusters (defaults)': '全部集群（默认值）',
  // overview
  'Clusters on the map': '地图上的集群',
  'Key figures of the chosen scenario, last simulated year': '所选情景的关键指标（最后模拟年份）',
  'Racks in service': '在用机架',
  'Energy price': '电价',
  'Grid factor': '电网排放因子',
  'Green share': '绿电占比',
  'Open in the planner': '在规划中打开',
  'Hover a cluster to see fibre latency to the demand centres; click to open it in the planner.':
    '将鼠标悬停在集群上查看到需求中心的光纤时延；点击在规划中打开。',
  // plan
  'Scenario editor': '情景编辑器',
  'Load a scenario': '加载情景',
  'Upload JSON': '上传 JSON',
  'Download JSON': '下载 JSON',
  'Save as new version': '另存为新版本',
  'Save on top of the latest version': '在最新版本上保存',
  'Build-out phases': '建设阶段',
  'Add phase': '添加阶段',
  Remove: '删除',
  'Results by year': '逐年结果',
  'Target scorecard': '目标评分卡',
  'Edit a field: the scenario re-simulates in the browser and every chart redraws.':
    '修改任一字段：情景将在浏览器中重新模拟，所有图表随之重绘。',
  Include: '包含',
  'Scenario name': '情景名称',
  'First simulated year': '首个模拟年份',
  'Simulated years': '模拟年数',
  'Focus year': '关注年份',
  // compare
  'Investor comparison': '投资者比较',
  'Investor levers': '投资者参数',
  'Cost gap to the cheapest, by driver': '与最低成本集群的成本差及其构成',
  'Net cash flow by year': '逐年净现金流',
  Ranking: '排名',
  'Cost per occupied rack-year': '每在用机架年成本',
  NPV: '净现值',
  IRR: '内部收益率',
  'Simple payback': '静态回收期',
  Reset: '重置',
  // operator
  'Green data-center benchmarks': '绿色数据中心基准',
  'The chosen scenario against the benchmarks': '所选情景与基准对比',
  // sources
  'Sources and grades': '来源与可信度等级',
  // runs
  'Stored runs': '已存储的运行',
  'Side by side': '并排比较',
  Status: '状态',
  Created: '创建时间',
  Open: '打开',
  Results: '结果',
  Edit: '编辑',
  edited: '已编辑',
  Kind: '类型',
  'Build-out and load': '建设与负载',
  Targets: '目标',
  'Power (MW)': '功率（MW）',
  'Cost (M CNY)': '费用（百万元）',
  'Cost (thousand CNY)': '费用（千元）',
  'Hour of day (local standard time)': '一天中的小时（当地标准时间）',
  'Green share (%)': '绿电占比（%）',
  'Bandwidth (Gbps)': '带宽（Gbps）',
  'Cost gap to the cheapest (CNY per occupied rack-year)': '与最低成本差（元/在用机架·年）',
  'Net cash flow (M CNY)': '净现金流（百万元）',
  'IT and facility load by year': '逐年 IT 与设施负载',
  'Hourly PUE and cooling mode': '逐时 PUE 与制冷模式',
  'Monthly electricity cost by TOU period': '按分时时段的月度电费',
  'Tariff calendar': '分时电价日历',
  'Green supply by hour of day and month': '按小时与月份的绿电供应',
  'Outbound bandwidth: demand against capacity': '出口带宽：需求与容量',
  Label: '标签',
  // result labels (from models/result.ts)
  PUE: 'PUE',
  WUE: 'WUE',
  'IT energy': 'IT 能耗',
  'Facility energy': '设施总能耗',
  'Peak facility power': '设施峰值功率',
  'Electricity cost': '电费',
  'Energy charge': '电量电费',
  'Capacity / demand charge': '容量/需量电费',
  'Green energy': '绿电',
  'Carbon, location-based': '碳排放（基于位置）',
  'Carbon, market-based': '碳排放（基于市场）',
  'Peak egress demand': '峰值出口带宽需求',
  'Outbound capacity': '出口带宽容量',
  'Standard racks (2.5 kW)': '标准机架（2.5 kW）',
  'Occupancy (上架率)': '上架率',
  'IT design power': 'IT 设计功率',
  // schema labels (from models/scenario.ts)
  'Racks added': '新增机架',
  'Standard racks added': '新增标准机架',
  'IT design power added': '新增 IT 设计功率',
  'Design power per rack': '单机架设计功率',
  'In service from (1 January)': '投运年份（1 月 1 日）',
  'Retired from (1 January)': '退役年份（1 月 1 日）',
  'Mean server utilisation': '服务器平均利用率',
  'Energy price (flat period)': '电量电价（平段）',
  'T&D charge': '输配电价',
  'Government funds and surcharges': '政府性基金及附加',
  'Capacity charge': '容量电费',
  'Demand charge': '需量电费',
  'Contracted transformer capacity': '变压器合同容量',
  'Delivered direct-trade price': '直购到户电价',
  'Discount on the energy bill': '电费折扣',
  'Contracted green-power share': '绿电交易占比',
  'Grid emission factor': '电网排放因子',
  'Egress per occupied standard rack': '每在用标准机架出口带宽',
  'Egress peak-to-mean factor': '出口带宽峰均比',
  'Outbound bandwidth capacity': '出口带宽容量',
  'Fibre route factor (route ÷ great-circle)': '光纤路由系数（路由÷大圆距离）',
  'Capex per rack (building + M&E)': '单机架投资（土建+机电）',
  'Rack rental per occupied rack-month': '每在用机架月租金',
  'Other fixed opex per year': '其他年度固定运营成本',
  'Water price': '水价',
  'PV array DC rating': '光伏直流装机',
  'Wind farm rating': '风电装机',
  'Battery energy': '储能容量',
  'Battery power': '储能功率',
  'Green-power premium over the grid price': '绿电溢价',
  'Green certificates (GEC) bought per year': '每年购买绿证',
  'Green certificate price': '绿证价格',
  'Cooling design': '制冷方案',
  'Facility class (parameter set of Lei & Masanet 2022)': '设施等级（Lei & Masanet 2022 参数集）',
  'Electricity tariff': '电价',
  Cooling: '制冷',
  Network: '网络',
  Finance: '财务',
  'Green power and storage': '绿电与储能',
  'Discount rate': '折现率',
  'Weekly utilisation shape': '周利用率曲线',
  'Server power curve (SPECpower)': '服务器功耗曲线（SPECpower）',
  'TOU calendar id (default: the cluster’s)': '分时电价日历（默认：集群所在省）',
};

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

/** Translate an English label; untranslated labels stay English. */
export function t(en: string): string {
  return current === 'zh' ? (ZH[en] ?? en) : en;
}

/** A name in the language in use when both forms are known (cluster and policy names). */
export function bi(en: string, zh?: string | null): string {
  return current === 'zh' && zh ? zh : en;
}

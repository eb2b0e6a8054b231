import type { RunResult } from '../models/result.ts';
import { engineReference } from '../seeds/index.ts';
import { runScenarioInBrowser } from './run.ts';

interface ClusterView {
  id: string;
  name: string;
  nameZh?: string;
  province: string;
  hubNode: boolean;
  climateZone: string;
  tariffCalendar: string;
  referenceEnergyPriceCnyPerKwh: { value: number; grade: string };
}

const scenarios = import.meta.glob('../scenarios/*.json', { eager: true, import: 'default' }) as Record<
  string,
  { name: string }
>;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  cls?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

async function showClusters(): Promise<void> {
  const box = document.getElementById('clusters')!;
  try {
    const res = await fetch('/api/clusters');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const list = (await res.json()) as ClusterView[];
    box.replaceChildren(
      ...list.map((c) => {
        const card = el('article', undefined, 'card');
        card.append(el('h3', `${c.name}${c.nameZh ? ` · ${c.nameZh}` : ''}`));
        const dl = el('dl');
        const row = (k: string, v: string) => dl.append(el('dt', k), el('dd', v));
        row('Province', c.province);
        row('Role', c.hubNode ? 'national hub node' : 'provincial cluster');
        row('Climate zone', c.climateZone);
        row('Tariff', c.tariffCalendar);
        row(
          'Energy price',
          `${c.referenceEnergyPriceCnyPerKwh.value} CNY/kWh [${c.referenceEnergyPriceCnyPerKwh.grade}]`,
        );
        card.append(dl);
        return card;
      }),
    );
  } catch (e) {
    box.textContent = `Could not load clusters from the API (${(e as Error).message}).`;
  }
}

function resultTables(r: RunResult): HTMLElement[] {
  return r.clusters.flatMap((c) => {
    const table = el('table');
    table.append(el('caption', `${c.name} — ${c.coolingDesign}, tariff ${c.tariffCalendar}`));
    const head = el('tr');
    for (const h of [
      'Year',
      'Std racks',
      'IT (GWh)',
      'Facility (GWh)',
      'PUE',
      'Peak (MW)',
      'WUE (L/kWh)',
      'Electricity (M CNY)',
      'Green (%)',
      'CO₂ (kt)',
    ]) {
      head.append(el('th', h));
    }
    table.append(head);
    for (const a of c.annual) {
      const tr = el('tr');
      for (const v of [
        String(a.year),
        a.standardRacks.toLocaleString('en-US', { maximumFractionDigits: 0 }),
        (a.itEnergyMwh / 1000).toFixed(1),
        (a.facilityEnergyMwh / 1000).toFixed(1),
        a.pue.toFixed(3),
        (a.peakFacilityKw / 1000).toFixed(1),
        a.wueLPerKwh.toFixed(2),
        (a.electricityCostCny / 1e6).toFixed(1),
        (a.greenShare * 100).toFixed(0),
        (a.carbonLocationTco2 / 1000).toFixed(1),
      ]) {
        tr.append(el('td', v));
      }
      table.append(tr);
    }
    const ul = el('ul', undefined, 'targets');
    const seen = new Set<string>();
    for (const t of c.targets) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      const all = c.targets.filter((x) => x.id === t.id);
      const missed = all.filter((x) => x.met === false);
      const li = el('li');
      li.append(
        el('span', missed.length ? 'MISS ' : 'MET ', missed.length ? 'miss' : 'met'),
        `${t.label} — ${t.source} [${t.grade}]`,
      );
      ul.append(li);
    }
    return [table, ul];
  });
}

function comparisonTable(r: RunResult): HTMLElement[] {
  const cmp = r.comparison;
  if (!cmp) return [];
  const table = el('table');
  table.append(el('caption', 'Investor comparison — ranked by cost per occupied rack-year (CNY)'));
  const head = el('tr');
  for (const h of [
    'Cluster',
    'Cost / rack-yr',
    'NPV (M CNY)',
    'IRR',
    'PUE',
    'Green (%)',
    'Gap to best',
    'of which price',
    'of which energy (PUE)',
  ]) {
    head.append(el('th', h));
  }
  table.append(head);
  for (const x of cmp.ranking) {
    const d = cmp.drivers.find((v) => v.clusterId === x.clusterId && v.name === x.name)!;
    const tr = el('tr');
    for (const v of [
      x.name,
      x.costPerRackYearCny === null
        ? '—'
        : x.costPerRackYearCny.toLocaleString('en-US', { maximumFractionDigits: 0 }),
      x.npvCny === null ? '—' : (x.npvCny / 1e6).toFixed(1),
      x.irr === null ? '—' : `${(x.irr * 100).toFixed(1)} %`,
      x.pue.toFixed(3),
      (x.greenShare * 100).toFixed(0),
      d.gapCnyPerRackYear.toFixed(0),
      d.priceEffect.toFixed(0),
      d.pueEnergyEffect.toFixed(0),
    ]) {
      tr.append(el('td', v));
    }
    table.append(tr);
  }
  return [table];
}

function setup(): void {
  const select = document.getElementById('scenario') as HTMLSelectElement;
  for (const [path, s] of Object.entries(scenarios)) {
    const o = el('option', s.name);
    o.value = path;
    select.append(o);
  }
  const ref = engineReference();
  document.getElementById('run-form')!.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const status = document.getElementById('status')!;
    const t0 = performance.now();
    try {
      const result = runScenarioInBrowser(scenarios[select.value], ref);
      status.textContent = `${result.engine.clusterHours.toLocaleString('en-US')} cluster-hours in ${(performance.now() - t0).toFixed(0)} ms`;
      document.getElementById('result')!.replaceChildren(...comparisonTable(result), ...resultTables(result));
    } catch (e) {
      status.textContent = (e as Error).message;
    }
  });
  void showClusters();
}

setup();

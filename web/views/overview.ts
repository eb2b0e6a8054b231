import type { AnnualRow, RunResult } from '../../models/result.ts';
import { SEEDS } from '../../seeds/index.ts';
import { type App, clone } from '../app.ts';
import { figure } from '../charts/figure.ts';
import { clusterMap, type MapCluster } from '../charts/map.ts';
import { el } from '../dom.ts';
import { annual, fieldColumn, labelOf } from '../fields.ts';
import { formatNumber, pct } from '../format.ts';
import { bi, t, unitText } from '../i18n.ts';
import { runStatus } from './context.ts';
import { pickScenario, scenarioPicker } from './scenario-picker.ts';

/** A one-cluster scenario for `clusterId`, from its entry in (or the defaults of) a scenario. */
export function singleCluster(s: Record<string, unknown>, clusterId: string): Record<string, unknown> {
  const clusters = s.clusters as Array<Record<string, unknown>>;
  const entry = clusters.find((c) => c.cluster === clusterId) ?? { ...clusters[0], cluster: clusterId };
  const merged = { ...((s.defaults as Record<string, unknown>) ?? {}), ...clone(entry) };
  return {
    name: `${String(s.name)} — ${clusterId}`,
    description: `The ${clusterId} cluster of “${String(s.name)}”.`,
    startYear: s.startYear,
    years: s.years,
    clusters: [merged],
  };
}

/** The overview: the map of clusters with the chosen scenario's key figures. */
export async function overviewView(root: HTMLElement, app: App): Promise<void> {
  const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' }, t('Simulating…'));
  const mapBox = el('div', { id: 'map-box' });
  const draw = async () => {
    const ans = await app.engine.run(app.scenario, { clusterIndex: 0 }, 'overview', 'overview');
    if (!ans || app.viewSignal.aborted) return;
    if (!ans.ok) {
      runStatus(status, 'invalid', ans.errors, { listErrors: true });
      return;
    }
    runStatus(status, 'done', ans);
    const wide = root.clientWidth >= 1100;
    const w = wide ? Math.min(860, root.clientWidth - 400) : Math.max(300, root.clientWidth);
    const { fig, marks } = mapFigure(ans.result, app, w);
    mapBox.replaceChildren(el('div', { class: 'overview-grid' }, fig, clusterCards(marks, app)));
  };
  const picker = await scenarioPicker(app, async (v) => {
    await pickScenario(app, v);
    app.syncUrl();
    void draw();
  });
  root.replaceChildren(
    el(
      'p',
      { class: 'lead' },
      t(
        'dcplan simulates data-center clusters hour by hour — load, PUE, water, electricity cost, carbon, bandwidth — from real climate years, tariff calendars and server power curves, and checks the results against the policy targets. Pick a scenario; each cluster on the map shows its figures.',
      ),
    ),
    el('div', { class: 'toolbar' }, picker),
    status,
    mapBox,
    el(
      'nav',
      { class: 'next-steps', 'aria-label': t('What to do next') },
      el(
        'a',
        { href: '/plan', 'data-link': '' },
        `${t('Plan')}${t(': ')}${t('edit racks, cooling, tariff, green power')} →`,
      ),
      el(
        'a',
        { href: '/compare', 'data-link': '' },
        `${t('Compare')}${t(': ')}${t('cost per rack-year, NPV, IRR')} →`,
      ),
      el(
        'a',
        { href: '/operator', 'data-link': '' },
        `${t('Operator')}${t(': ')}${t('benchmarks (GB 40879, hub caps)')} →`,
      ),
    ),
  );
  await draw();
}

/**
 * Open a cluster in the planner. A cluster of the scenario opens the scenario itself, every cluster
 * kept, with that cluster in focus and in the editor; a seeded cluster the scenario does not have
 * starts a one-cluster copy (the card's button says so).
 */
function openCluster(app: App, id: string) {
  const i = (app.scenario.clusters as Array<Record<string, unknown>>).findIndex((c) => c.cluster === id);
  if (i >= 0) {
    app.clusterIndex = i;
    app.editTarget = i;
    app.year = null;
    app.navigate('/plan', { c: i || null });
    return;
  }
  app.scenario = singleCluster(app.scenario, id);
  app.edited = true;
  app.clusterIndex = 0;
  app.editTarget = 0;
  app.year = null;
  app.navigate('/plan', { c: null });
}

/** One card per cluster: its key figures in the chosen scenario and a link into the planner. */
function clusterCards(marks: MapCluster[], app: App): HTMLElement {
  const list = el('div', {
    class: 'cluster-cards',
    'aria-label': t('Key figures of the chosen scenario, last simulated year'),
  });
  for (const m of marks) {
    const card = el('article', { class: 'card', 'data-cluster': m.id });
    card.append(el('h3', {}, m.name, m.hubNode ? el('span', { class: 'tag' }, ` ${t('hub node')}`) : null));
    const dl = el('dl', { class: 'facts' });
    const row = (k: string, v: string) => dl.append(el('dt', {}, k), el('dd', {}, v));
    const f = m.figures;
    if (f) {
      const u = (k: keyof AnnualRow) => unitText(annual(k).unit);
      row(
        `${labelOf(annual('standardRacks'))} ${f.year}`,
        `${formatNumber(f.standardRacks, 0)} ${u('standardRacks')}`,
      );
      row(labelOf(annual('pue')), formatNumber(f.pue, 3));
      row(
        labelOf(annual('averagePriceCnyPerKwh')),
        `${formatNumber(f.priceCnyPerKwh, 4)} ${u('averagePriceCnyPerKwh')}`,
      );
      row(
        labelOf(annual('gridFactorKgPerKwh')),
        `${formatNumber(f.gridFactorKgPerKwh, 4)} ${u('gridFactorKgPerKwh')}`,
      );
      row(labelOf(annual('greenShare')), pct(f.greenShare, 1));
    } else row(t('Scenario'), t('not in the chosen scenario'));
    card.append(dl);
    const open = el(
      'button',
      { type: 'button', 'data-open': f ? 'scenario' : 'copy' },
      f
        ? `${t('Open in the planner')} →`
        : `${t('Plan this site on its own (a new one-cluster scenario)')} →`,
    );
    open.addEventListener('click', () => openCluster(app, m.id));
    card.append(open);
    list.append(card);
  }
  return list;
}

function mapFigure(r: RunResult, app: App, width: number): { fig: HTMLElement; marks: MapCluster[] } {
  const known = app.clusters.length ? app.clusters : SEEDS.clusters.map((c) => ({ ...c, seeded: true }));
  const marks: MapCluster[] = known.map((c) => {
    const res = r.clusters.find((x) => x.clusterId === c.id);
    const last = res?.annual[res.annual.length - 1];
    return {
      id: c.id,
      name: bi(c.name, c.nameZh),
      latDeg: c.location.latDeg,
      lonDeg: c.location.lonDeg,
      hubNode: c.hubNode,
      seeded: c.seeded,
      figures:
        res && last
          ? {
              standardRacks: last.standardRacks,
              pue: last.pue,
              priceCnyPerKwh: last.averagePriceCnyPerKwh,
              gridFactorKgPerKwh: last.gridFactorKgPerKwh,
              greenShare: last.greenShare,
              year: last.year,
            }
          : null,
      latency: res?.latency.map((l) => ({ to: l.to, oneWayMs: l.oneWayMs })) ?? [],
    };
  });
  const chart = clusterMap(marks, SEEDS.demandCentres.centres, {
    width,
    onOpen: (id) => openCluster(app, id),
  });
  const fig = figure({
    id: 'chart-map',
    title: `${t('Clusters on the map')} — ${t(String(app.scenario.name))}`,
    description: `${t('Hover a cluster to see fibre latency to the demand centres; click to open it in the planner.')} ${marks
      .filter((m) => m.figures)
      .map(
        (m) =>
          `${m.name}${t(': ')}PUE ${formatNumber(m.figures!.pue, 3)}${t(', ')}${t('Green share')} ${pct(m.figures!.greenShare, 0)}`,
      )
      .join(t('; '))}${t('.')}`,
    chart,
    table: {
      columns: [
        { key: 'name', label: 'Cluster' },
        { key: 'year', label: 'Year', digits: 0 },
        fieldColumn(annual('standardRacks'), 'racks', 0),
        fieldColumn(annual('pue'), 'pue', 3),
        fieldColumn(annual('averagePriceCnyPerKwh'), 'price', 4),
        fieldColumn(annual('gridFactorKgPerKwh'), 'grid', 4),
        fieldColumn(annual('greenShare'), 'green', 1, '%'),
        { key: 'lat', label: 'Latitude', unit: '°', digits: 2 },
        { key: 'lon', label: 'Longitude', unit: '°', digits: 2 },
      ],
      rows: marks.map((m) => ({
        name: m.name,
        year: m.figures?.year ?? null,
        racks: m.figures?.standardRacks ?? null,
        pue: m.figures?.pue ?? null,
        price: m.figures?.priceCnyPerKwh ?? null,
        grid: m.figures?.gridFactorKgPerKwh ?? null,
        green: m.figures ? m.figures.greenShare * 100 : null,
        lat: m.latDeg,
        lon: m.lonDeg,
      })),
    },
  });
  return { fig, marks };
}

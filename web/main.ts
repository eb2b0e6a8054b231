import './zod-jitless.ts';
import { SEEDS } from '../seeds/index.ts';
import { type ApiCluster, type App, api, BUNDLED, clone, scenarioFromUrl, scenarioParams } from './app.ts';
import { exportContext } from './charts/figure.ts';
import { el } from './dom.ts';
import { Engine } from './engine-client.ts';
import { browserLang, type Lang, lang, setLang, t } from './i18n.ts';
import { compareView } from './views/compare.ts';
import { operatorView } from './views/operator.ts';
import { overviewView } from './views/overview.ts';
import { planView } from './views/plan.ts';
import { runsView } from './views/runs.ts';
import { sourcesView } from './views/sources.ts';

/** The views, by URL path. */
const ROUTES: Record<string, { title: string; default: string }> = {
  '/': { title: 'Overview', default: 'east-west-compare' },
  '/plan': { title: 'Plan', default: 'qingyang-hub-2025-2030' },
  '/compare': { title: 'Compare', default: 'east-west-compare' },
  '/operator': { title: 'Operator', default: 'east-west-compare' },
  '/runs': { title: 'Runs', default: 'east-west-compare' },
  '/sources': { title: 'Sources', default: 'east-west-compare' },
};

const params = () => new URLSearchParams(location.search);

function writeUrl(target: string, extra: Record<string, string | number | null>, push: boolean) {
  const [path, hash = ''] = target.split('#');
  const q = path === location.pathname ? params() : new URLSearchParams();
  const all = {
    ...scenarioParams(app),
    c: app.clusterIndex || null,
    y: app.year,
    ...extra,
    lang: lang() === 'zh' ? 'zh' : null,
  };
  for (const [k, v] of Object.entries(all)) {
    if (v === null || v === undefined || v === '') q.delete(k);
    else q.set(k, String(v));
  }
  const url = `${path}${q.size ? `?${q}` : ''}${hash ? `#${hash}` : ''}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

let urlTimer: ReturnType<typeof setTimeout> | undefined;
/** How long edits must pause before the URL is rewritten (it is also written when the page is hidden). */
const URL_PAUSE_MS = 500;
const flushUrl = () => {
  if (urlTimer === undefined) return;
  clearTimeout(urlTimer);
  urlTimer = undefined;
  app.syncUrl();
};
// a visitor who leaves or switches tabs right after an edit still finds it in the URL
addEventListener('pagehide', flushUrl);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') flushUrl();
});

const app: App = {
  engine: new Engine(),
  scenario: clone(BUNDLED['east-west-compare']),
  origin: { kind: 'bundled', stem: 'east-west-compare' },
  edited: false,
  clusterIndex: 0,
  year: null,
  editTarget: 0,
  clusters: [],
  apiError: null,
  viewSignal: new AbortController().signal,
  navigate(path, extra = {}) {
    clearTimeout(urlTimer);
    urlTimer = undefined;
    writeUrl(path, extra, true);
    void render(false);
  },
  syncUrl(extra = {}) {
    writeUrl(location.pathname, extra, false);
  },
  syncUrlSoon() {
    // once the edits pause: writing the URL (a compressed copy of the scenario, then
    // history.replaceState, ≈ 7 ms here) must not hold the main thread while a drag's answers arrive
    clearTimeout(urlTimer);
    urlTimer = setTimeout(flushUrl, URL_PAUSE_MS);
  },
  dispatchWeek: null,
};

let loaded = false;
// every exported figure is stamped with the scenario on screen (web/charts/figure.ts)
exportContext.scenario = () => (typeof app.scenario.name === 'string' ? t(app.scenario.name) : '');

async function loadState(path: string) {
  const q = params();
  // the URL, then the visitor's own choice, then (a first visit) the browser's languages
  const l = q.get('lang') ?? localStorage.getItem('dcplan-lang') ?? browserLang(navigator.languages);
  setLang(l === 'zh' ? 'zh' : 'en');
  if (loaded && !q.has('s') && !q.has('id') && !q.has('x')) return;
  const fromUrl = await scenarioFromUrl(q);
  if (fromUrl) {
    app.scenario = fromUrl.scenario;
    app.origin = fromUrl.origin;
    app.edited = fromUrl.edited;
  } else if (!loaded) {
    const stem = ROUTES[path]?.default ?? 'east-west-compare';
    app.scenario = clone(BUNDLED[stem]);
    app.origin = { kind: 'bundled', stem };
    app.edited = false;
  }
  app.clusterIndex = Number(q.get('c')) || 0;
  app.year = Number(q.get('y')) || null;
  app.editTarget = app.clusterIndex;
  loaded = true;
}

function shell(path: string) {
  document.title = `${t(ROUTES[path]?.title ?? 'Not found')} — dcplan`;
  const nav = document.getElementById('nav')!;
  nav.replaceChildren(
    ...Object.entries(ROUTES).map(([p, r]) => {
      const a = el('a', { href: p, 'data-link': '' }, t(r.title));
      if (p === path) a.setAttribute('aria-current', 'page');
      return a;
    }),
  );
  const langBtn = document.getElementById('lang') as HTMLButtonElement;
  langBtn.textContent = lang() === 'zh' ? 'English' : '中文';
  langBtn.setAttribute('aria-label', lang() === 'zh' ? 'Switch to English' : '切换到中文');
  document.getElementById('tagline')!.textContent = t('Planning simulator for regional data-center clusters');
  document.getElementById('skip')!.textContent = t('Skip to content');
  document
    .getElementById('footer-text')
    ?.replaceChildren(
      `${t('Every default carries its source and grade — see')} `,
      el('a', { href: '/sources', 'data-link': '' }, t('Sources')),
      `${t('.')} API: `,
      el('a', { href: '/api/openapi.json' }, '/api/openapi.json'),
      `${t('.')} ${t('Simulations on these pages run in your browser.')}`,
    );
}

/** The shown view's lifetime (App.viewSignal): aborted when the next view renders. */
let viewScope = new AbortController();

async function render(fromHistory: boolean) {
  viewScope.abort();
  viewScope = new AbortController();
  app.viewSignal = viewScope.signal;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  await loadState(path);
  shell(path);
  const view = document.getElementById('view')!;
  const h1 = el('h1', { tabindex: '-1', id: 'view-title' }, t(ROUTES[path]?.title ?? 'Not found'));
  const body = el('div', { class: 'view-body' });
  view.replaceChildren(h1, body);
  // not ready until this view has rendered (a test waiting for the next view must not see the last one's)
  delete view.dataset.ready;
  view.dataset.view = path;
  if (!fromHistory && loaded) h1.focus({ preventScroll: true });
  const q = params();
  try {
    if (path === '/') await overviewView(body, app);
    else if (path === '/plan') await planView(body, app);
    else if (path === '/compare') await compareView(body, app, q);
    else if (path === '/operator') await operatorView(body, app);
    else if (path === '/runs') await runsView(body, app, q);
    else if (path === '/sources') sourcesView(body);
    else
      body.append(
        el('p', {}, `No page at ${path}. `, el('a', { href: '/', 'data-link': '' }, t('Overview'))),
      );
  } catch (e) {
    body.append(
      el('p', { class: 'status bad', role: 'alert' }, `Something went wrong: ${(e as Error).message}`),
    );
  }
  view.dataset.ready = 'true';
  if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
}

document.addEventListener('click', (ev) => {
  const a = (ev.target as Element).closest('a[data-link]') as HTMLAnchorElement | null;
  if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
  ev.preventDefault();
  const url = new URL(a.href);
  app.navigate(url.pathname + url.hash);
});
window.addEventListener('popstate', () => {
  loaded = false;
  void render(true);
});
document.getElementById('lang')!.addEventListener('click', () => {
  const next: Lang = lang() === 'zh' ? 'en' : 'zh';
  setLang(next);
  localStorage.setItem('dcplan-lang', next);
  app.syncUrl();
  void render(true);
});

async function boot() {
  try {
    const list = await api<ApiCluster[]>('/api/clusters');
    app.clusters = list;
    app.engine.extraClusters = list.filter((c) => !c.seeded).map(({ seeded: _s, ...c }) => c as never);
  } catch (e) {
    app.apiError = (e as Error).message;
    app.clusters = SEEDS.clusters.map((c) => ({ ...c, seeded: true }));
  }
  await render(true);
}

void boot();

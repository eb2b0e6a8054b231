import { type App, api } from '../app.ts';
import { renderTable } from '../charts/figure.ts';
import { el } from '../dom.ts';
import { t, tf } from '../i18n.ts';
import { storeRun } from './context.ts';

interface RunListItem {
  id: string;
  name: string | null;
  scenarioId: number | null;
  scenarioVersion: number | null;
  clusters: number | null;
  status: string;
  progress: number;
  error: string | null;
  createdAt: string;
  durationMs: number | null;
}

/** The API's list of stored runs. */
interface RunList {
  total: number;
  runs: RunListItem[];
}

interface CompareTable {
  columns: Array<{ key: string; label: string; unit?: string }>;
  rows: Array<Record<string, number | string | null>>;
}

/** Open the chosen runs into `out`: their clusters side by side, with links to their annual CSV. */
async function showChosen(out: HTMLElement, chosen: Set<string>): Promise<void> {
  if (!chosen.size) {
    out.replaceChildren(
      el('p', { class: 'help' }, t('Tick one run to open it, or two to put them side by side.')),
    );
    return;
  }
  try {
    const cmp = await api<CompareTable>(`/api/compare?runs=${[...chosen].join(',')}`);
    out.replaceChildren(
      el('h2', {}, chosen.size > 1 ? t('Side by side') : t('Open')),
      renderTable(
        {
          columns: [
            { key: 'run', label: 'Run' },
            { key: 'scenario', label: t('Scenario'), minWidth: '12rem' },
            { key: 'name', label: t('Cluster'), minWidth: '12rem' },
            ...cmp.columns.map((c) => ({ key: c.key, label: c.label, unit: c.unit || undefined })),
          ],
          rows: cmp.rows.map((r) => ({ ...r, run: String(r.runId).slice(0, 8) })),
        },
        [...chosen].map((id) => id.slice(0, 8)).join(' · '),
      ),
      el(
        'p',
        {},
        ...[...chosen].flatMap((id) => [
          el('a', { href: `/api/runs/${id}/annual.csv` }, `annual.csv of ${id.slice(0, 8)}`),
          ' ',
        ]),
      ),
    );
  } catch (e) {
    out.replaceChildren(el('p', { class: 'status bad' }, (e as Error).message));
  }
}

/** The stored runs as a table, each with a checkbox (finished runs only) that adds it to `chosen`. */
function runsTable(list: RunList, chosen: Set<string>, onChange: () => void): HTMLElement {
  const table = el('table');
  table.append(el('caption', {}, `${t('Stored runs')}: ${list.total}`));
  table.append(
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['', 'Run', t('Scenario'), 'Clusters', t('Status'), t('Created'), 'Compute (ms)'].map((h) =>
          el('th', { scope: 'col' }, h),
        ),
      ),
    ),
  );
  const body = el('tbody');
  for (const r of list.runs) body.append(runRow(r, chosen, onChange));
  table.append(body);
  return table;
}

/** One stored run as a table row: its checkbox, id, scenario, size, status, time and compute time. */
function runRow(r: RunListItem, chosen: Set<string>, onChange: () => void): HTMLElement {
  const cb = el('input', { type: 'checkbox', 'aria-label': `Select run ${r.id}` });
  cb.checked = chosen.has(r.id);
  cb.disabled = r.status !== 'done';
  cb.addEventListener('change', () => {
    if (cb.checked) chosen.add(r.id);
    else chosen.delete(r.id);
    onChange();
  });
  return el(
    'tr',
    {},
    el('td', {}, cb),
    el('td', {}, el('code', {}, r.id.slice(0, 8))),
    el('td', {}, r.name ?? '—', r.scenarioId ? ` (saved #${r.scenarioId} v${r.scenarioVersion})` : ''),
    el('td', { class: 'num' }, String(r.clusters ?? '—')),
    el('td', {}, r.status + (r.error ? ` — ${r.error}` : '')),
    el('td', {}, new Date(r.createdAt).toLocaleString()),
    el('td', { class: 'num' }, r.durationMs === null ? '—' : String(Math.round(r.durationMs))),
  );
}

/** `/runs`: stored runs from the API, newest first; open one, or put two side by side. */
export async function runsView(root: HTMLElement, app: App, params: URLSearchParams): Promise<void> {
  const out = el('div', { id: 'runs-compare', 'aria-live': 'polite' });
  let list: RunList;
  try {
    list = await api('/api/runs?limit=100');
  } catch (e) {
    root.replaceChildren(
      el('p', { class: 'status bad' }, `Could not load runs from the API (${(e as Error).message}).`),
    );
    return;
  }
  const chosen = new Set((params.get('runs') ?? '').split(',').filter(Boolean));
  // a run just stored is still queued or running: wait for it (polling its status), then list again
  const pending = list.runs.filter(
    (r) => chosen.has(r.id) && (r.status === 'queued' || r.status === 'running'),
  );
  if (pending.length) {
    root.replaceChildren(
      el('p', { class: 'status', role: 'status' }, t('The run is being simulated on the server…')),
    );
    for (;;) {
      await new Promise((r) => setTimeout(r, 400));
      if (app.viewSignal.aborted) return;
      const now = await Promise.all(
        pending.map((r) => api<{ status: string }>(`/api/runs/${r.id}`).catch(() => null)),
      );
      if (now.every((x) => !x || (x.status !== 'queued' && x.status !== 'running'))) break;
    }
    return runsView(root, app, params);
  }
  const show = async () => {
    app.syncUrl({ runs: chosen.size ? [...chosen].join(',') : null });
    await showChosen(out, chosen);
  };
  const table = runsTable(list, chosen, () => void show());
  // a run of the scenario on screen (the one the other pages show), stored by the server
  const store = el('button', { type: 'button', id: 'runs-store' }, t('Store this run'));
  const storeMsg = el('span', { class: 'store-msg', role: 'status', 'aria-live': 'polite' });
  store.addEventListener('click', () => void storeRun(app, storeMsg, store));
  const storeRow = el(
    'div',
    { class: 'toolbar' },
    el('span', {}, tf('Scenario on screen: {name}', { name: t(String(app.scenario.name ?? '')) })),
    store,
    storeMsg,
  );
  root.replaceChildren(
    el(
      'p',
      { class: 'lead' },
      t(
        'Runs stored by the server (through the API or the command line). Simulations on the other pages run in your browser and are not stored.',
      ),
    ),
    storeRow,
    list.runs.length
      ? el(
          'div',
          { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('Stored runs') },
          table,
        )
      : el(
          'p',
          { id: 'runs-empty' },
          t(
            'No stored runs yet: store the scenario on screen with the button above (or POST one to /api/runs).',
          ),
        ),
    out,
  );
  await show();
}

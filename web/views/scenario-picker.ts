import { type App, api, BUNDLED, clone } from '../app.ts';
import { el } from '../dom.ts';
import { t } from '../i18n.ts';

/** Scenario picker: bundled files and scenarios saved through the API. */
export async function scenarioPicker(app: App, onPick: (value: string) => void): Promise<HTMLElement> {
  const sel = el('select', { id: 'scenario-pick' });
  const g1 = el('optgroup', { label: t('Bundled scenarios') });
  for (const [stem, s] of Object.entries(BUNDLED))
    g1.append(el('option', { value: `s:${stem}` }, t(String(s.name))));
  sel.append(g1);
  try {
    const saved = await api<Array<{ id: number; name: string; latestVersion: number }>>('/api/scenarios');
    if (saved.length) {
      const g2 = el('optgroup', { label: t('Saved scenarios') });
      for (const s of saved)
        g2.append(el('option', { value: `id:${s.id}` }, `${s.name} (v${s.latestVersion})`));
      sel.append(g2);
    }
  } catch {
    // no API (static hosting): bundled scenarios only
  }
  sel.value = app.origin.kind === 'bundled' ? `s:${app.origin.stem}` : `id:${app.origin.id}`;
  if (app.edited) {
    const o = el('option', { value: 'edited' }, `${t(String(app.scenario.name))} (${t('edited')})`);
    sel.prepend(o);
    sel.value = 'edited';
  }
  sel.addEventListener('change', () => onPick(sel.value));
  return el('div', { class: 'field' }, el('label', { for: 'scenario-pick' }, t('Load a scenario')), sel);
}

/** Load a picked scenario into the app state. */
export async function pickScenario(app: App, value: string): Promise<void> {
  if (value.startsWith('s:')) {
    const stem = value.slice(2);
    app.scenario = clone(BUNDLED[stem]);
    app.origin = { kind: 'bundled', stem };
  } else if (value.startsWith('id:')) {
    const s = await api<{ id: number; name: string; version: number; scenario: Record<string, unknown> }>(
      `/api/scenarios/${value.slice(3)}`,
    );
    app.scenario = s.scenario;
    app.origin = { kind: 'saved', id: s.id, version: s.version, name: s.name };
  }
  app.edited = false;
  app.clusterIndex = 0;
  app.editTarget = 0;
  app.year = null;
}

import { COOLING_DESIGN_NAMES } from '../../models/cooling.ts';
import { targetApplies } from '../../models/targets.ts';
import { SEEDS } from '../../seeds/index.ts';
import { ApiError, type App, api } from '../app.ts';
import { download } from '../charts/figure.ts';
import { el } from '../dom.ts';
import { CLUSTER_SCHEMA, clusterForm, DEFAULTS_SCHEMA, type DefaultInfo } from '../editor.ts';
import { getIn } from '../editor-schema.ts';
import { bi, t, tf } from '../i18n.ts';
import { targetLabel, targetSource } from '../targets-text.ts';
import { pickScenario, scenarioPicker } from './scenario-picker.ts';
import { simpleEditor } from './simple-editor.ts';

/** What the scenario editor calls back into: the plan view's simulation and error display. */
export interface EditorHooks {
  /** Defaults the engine used in the last run, by field path. */
  defaults: () => Map<string, DefaultInfo>;
  /** A field was edited; `rebuild` when the form's shape changed too. */
  changed: (rebuild?: boolean) => void;
  /** Redraw the editor. */
  rebuild: () => Promise<void>;
  /** Redraw the editor for a newly loaded scenario, then simulate it. */
  reload: () => Promise<void>;
  /** Simulate again without an edit (another cluster in focus). */
  simulate: () => void;
  /** Show the last validation errors next to their fields and in the summary. */
  placeErrors: () => void;
}

/**
 * The policy targets a cluster entry may add (those that do not bind it by its properties, or are opt-in)
 * and leave out (those that bind it), by name in the page's language; every target for the defaults.
 */
function targetChoices(app: App, entry: Record<string, unknown> | null) {
  const site = entry ? app.clusters.find((c) => c.id === entry.cluster) : undefined;
  const binds = (x: (typeof SEEDS.targets)[number]) => !!site && targetApplies(x.appliesTo, site) && !x.optIn;
  const choice = (x: (typeof SEEDS.targets)[number]) => ({
    value: x.id,
    label: targetLabel(x.id, x.label),
    title: `${x.id} — ${targetSource(x.id, x.source)}`,
  });
  // an id the entry lists already stays in its list, wherever it belongs
  const listed = (key: string) => new Set((getIn(entry, ['targets', key]) as string[] | undefined) ?? []);
  const [inc, exc] = [listed('include'), listed('exclude')];
  return {
    'targets.include': SEEDS.targets.filter((x) => !site || !binds(x) || inc.has(x.id)).map(choice),
    'targets.exclude': SEEDS.targets.filter((x) => !site || binds(x) || exc.has(x.id)).map(choice),
  };
}

/** Field choices the schema leaves open (ids the reference data knows); the targets as they bear on `entry`. */
export function fieldChoices(app: App, entry: Record<string, unknown> | null = null) {
  return {
    ...targetChoices(app, entry),
    'cooling.design': COOLING_DESIGN_NAMES.map((v) => ({ value: v, label: v })),
    'tariff.calendar': SEEDS.tariffs.map((c) => ({
      value: c.id,
      label: `${c.id} (${t(c.status === 'in-force' ? 'in force' : c.status)})`,
    })),
    workloadShape: SEEDS.workload.shapes.map((s) => ({ value: s.id, label: t(s.label) })),
    powerCurve: SEEDS.servers.curves.map((c) => ({
      value: c.id,
      label: tf('{model} ({id})', { model: c.model, id: c.specResultId }),
    })),
    cluster: app.clusters.map((c) => ({
      value: c.id,
      label: `${bi(c.name, c.nameZh)}${c.seeded ? '' : ` (${t('user')})`}`,
    })),
  };
}

/** Draw the scenario editor: picker, file buttons, error summary, scenario fields, edit target and form. */
export async function buildEditor(
  app: App,
  editor: HTMLElement,
  summary: HTMLElement,
  hooks: EditorHooks,
): Promise<void> {
  const clusters = app.scenario.clusters as Array<Record<string, unknown>>;
  const hasDefaults = app.scenario.defaults !== undefined || clusters.length > 1;
  if (!hasDefaults && app.editTarget < 0) app.editTarget = 0;
  const picker = await scenarioPicker(app, async (v) => {
    if (v === 'edited') return;
    await pickScenario(app, v);
    app.syncUrl({ c: null, y: null });
    await hooks.reload();
  });
  const files = fileButtons(app, hooks.reload);
  const top = scenarioFields(app, hooks.changed);
  const targetRow = editTargetRow(app, clusters, hasDefaults, hooks);
  const form = targetForm(app, clusters, hooks);
  editor.replaceChildren(
    el('h2', { id: 'editor-h' }, t('Scenario editor')),
    picker,
    files,
    summary,
    top,
    targetRow,
    modeSwitch(hooks),
    form,
  );
  hooks.placeErrors();
}

/** The scenario-wide fields: name, first simulated year and number of years. */
function scenarioFields(app: App, changed: () => void): HTMLElement {
  const top = el('fieldset', { class: 'group' }, el('legend', {}, t('Scenario')));
  const scalar = (key: 'name' | 'startYear' | 'years', label: string, type: string) => {
    const input = el('input', { type, id: `sc-${key}`, 'data-path': key });
    input.value = String(app.scenario[key] ?? '');
    input.addEventListener('input', () => {
      app.scenario[key] =
        type === 'number' ? (input.value === '' ? undefined : Number(input.value)) : input.value;
      changed();
    });
    return el(
      'div',
      { class: 'field' },
      el('label', { for: `sc-${key}` }, t(label)),
      input,
      el('span', { class: 'field-error' }),
    );
  };
  top.append(
    scalar('name', 'Scenario name', 'text'),
    scalar('startYear', 'First simulated year', 'number'),
    scalar('years', 'Simulated years', 'number'),
  );
  return top;
}

/** The edit-target row: what the form edits (a cluster or the shared defaults), with add and remove buttons. */
function editTargetRow(
  app: App,
  clusters: Array<Record<string, unknown>>,
  hasDefaults: boolean,
  hooks: EditorHooks,
): HTMLElement {
  const target = el('select', { id: 'edit-target' });
  if (hasDefaults) target.append(el('option', { value: '-1' }, t('All clusters (defaults)')));
  clusters.forEach((c, i) => {
    const seed = app.clusters.find((x) => x.id === c.cluster);
    const name = seed ? bi(seed.name, seed.nameZh) : String(c.cluster);
    const label = `${i + 1}. ${name}${c.label ? ` — ${String(c.label)}` : ''}`;
    target.append(el('option', { value: String(i) }, label));
  });
  target.value = String(app.editTarget);
  target.addEventListener('change', () => {
    app.editTarget = Number(target.value);
    if (app.editTarget >= 0) {
      app.clusterIndex = app.editTarget;
      app.syncUrl({ c: app.clusterIndex });
      hooks.simulate();
    }
    hooks.rebuild();
  });
  return el(
    'div',
    { class: 'field' },
    el('label', { for: 'edit-target' }, t('Edit')),
    target,
    el(
      'div',
      { class: 'row-buttons' },
      addClusterButton(app, clusters, hooks.changed),
      removeClusterButton(app, clusters, hooks.changed),
    ),
  );
}

/** Button adding a cluster not yet in the scenario (the first cluster's settings become shared defaults). */
function addClusterButton(
  app: App,
  clusters: Array<Record<string, unknown>>,
  changed: (rebuild?: boolean) => void,
): HTMLElement {
  const addCluster = el('button', { type: 'button' }, `+ ${t('Cluster')}`);
  addCluster.addEventListener('click', () => {
    const used = new Set(clusters.map((c) => c.cluster));
    const next = app.clusters.find((c) => !used.has(c.id)) ?? app.clusters[0];
    clusters.push({ cluster: next.id });
    if (!app.scenario.defaults) {
      const { cluster: _c, label: _l, ...shared } = clusters[0];
      app.scenario.defaults = shared;
      clusters[0] = { cluster: clusters[0].cluster };
    }
    app.editTarget = clusters.length - 1;
    changed(true);
  });
  return addCluster;
}

/** Button removing the edited cluster (disabled for the defaults and for the last cluster). */
function removeClusterButton(
  app: App,
  clusters: Array<Record<string, unknown>>,
  changed: (rebuild?: boolean) => void,
): HTMLElement {
  const rmCluster = el('button', { type: 'button' }, `${t('Remove')} ${t('Cluster').toLowerCase()}`);
  rmCluster.disabled = app.editTarget < 0 || clusters.length < 2;
  rmCluster.addEventListener('click', () => {
    clusters.splice(app.editTarget, 1);
    app.editTarget = Math.min(app.editTarget, clusters.length - 1);
    app.clusterIndex = Math.max(0, app.editTarget);
    changed(true);
  });
  return rmCluster;
}

/** The form of the edited cluster (led by its cluster id) or of the shared defaults. */
function targetForm(app: App, clusters: Array<Record<string, unknown>>, hooks: EditorHooks): HTMLElement {
  let obj: Record<string, unknown>;
  if (app.editTarget < 0) {
    app.scenario.defaults ??= {};
    obj = app.scenario.defaults as Record<string, unknown>;
  } else obj = clusters[app.editTarget];
  const ctx = {
    prefix: app.editTarget < 0 ? 'defaults' : `clusters[${app.editTarget}]`,
    inherited: app.editTarget < 0 ? {} : ((app.scenario.defaults as Record<string, unknown>) ?? {}),
    choices: fieldChoices(app, app.editTarget < 0 ? null : obj),
    firstYear: Number(app.scenario.startYear ?? 2025),
    defaults: hooks.defaults(),
    onChange: hooks.changed,
  };
  const box = el('div', { class: 'editor-mode', 'data-mode': editorMode });
  if (editorMode === 'simple') box.append(simpleEditor(app, obj, ctx));
  else {
    const form = clusterForm(obj, app.editTarget < 0 ? DEFAULTS_SCHEMA : CLUSTER_SCHEMA, ctx);
    if (app.editTarget >= 0) form.prepend(clusterIdField(app, obj, ctx.choices.cluster, hooks.changed));
    box.append(form);
  }
  return box;
}

/**
 * Which editor the plan shows: the planner's simple mode (the handful of choices a planner makes) or
 * the full editor (every field of the schema). Both edit the same scenario; the choice lasts the visit.
 */
let editorMode: 'simple' | 'full' = 'simple';

/** The switch between the simple and the full editor. */
function modeSwitch(hooks: EditorHooks): HTMLElement {
  const box = el('div', { class: 'segmented editor-switch', role: 'group', 'aria-label': t('Editor') });
  for (const [mode, label] of [
    ['simple', 'Simple'],
    ['full', 'Full editor'],
  ] as const) {
    const b = el(
      'button',
      { type: 'button', id: `mode-${mode}`, 'aria-pressed': String(mode === editorMode) },
      t(label),
    );
    b.addEventListener('click', async () => {
      if (editorMode === mode) return;
      editorMode = mode;
      await hooks.rebuild();
      document.getElementById(`mode-${mode}`)?.focus();
    });
    box.append(b);
  }
  return box;
}

/** The cluster id of the edited cluster entry, as a select of the known clusters. */
function clusterIdField(
  app: App,
  obj: Record<string, unknown>,
  choices: Array<{ value: string; label: string }>,
  changed: (rebuild?: boolean) => void,
): HTMLElement {
  const idSel = el('select', { id: 'cluster-id', 'data-path': `clusters[${app.editTarget}].cluster` });
  for (const c of choices) idSel.append(el('option', { value: c.value }, c.label));
  idSel.value = String(obj.cluster);
  idSel.addEventListener('change', () => {
    obj.cluster = idSel.value;
    changed(true);
  });
  return el(
    'div',
    { class: 'field' },
    el('label', { for: 'cluster-id' }, t('Cluster')),
    idSel,
    el('span', { class: 'field-error' }),
  );
}

/** Upload, download and save buttons of the editor. */
function fileButtons(app: App, reload: () => Promise<void>): HTMLElement {
  const box = el('div', { class: 'file-buttons' });
  const msg = el('p', { class: 'save-msg', role: 'status', 'aria-live': 'polite' });
  const upload = el('input', {
    type: 'file',
    accept: 'application/json,.json',
    id: 'upload',
    class: 'visually-hidden',
  });
  upload.addEventListener('change', async () => {
    const f = upload.files?.[0];
    if (!f) return;
    try {
      app.scenario = JSON.parse((await f.text()).replace(/^\uFEFF/, ''));
      app.edited = true;
      app.syncUrl();
      msg.textContent = `Loaded ${f.name}.`;
      await reload();
    } catch (e) {
      msg.textContent = `${f.name}: not valid JSON (${(e as Error).message})`;
    }
  });
  const up = el('label', { for: 'upload', class: 'button', tabindex: '0' }, t('Upload JSON'));
  up.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') upload.click();
  });
  const dl = el('button', { type: 'button', id: 'download-json' }, t('Download JSON'));
  dl.addEventListener('click', () => {
    const name = String(app.scenario.name ?? 'scenario')
      .replace(/[^\w-]+/g, '-')
      .toLowerCase();
    download(
      `${name}.json`,
      new Blob([`${JSON.stringify(app.scenario, null, 2)}\n`], { type: 'application/json' }),
    );
  });
  const save = el('button', { type: 'button', id: 'save' }, t('Save as new version'));
  const doSave = async (base?: number) => {
    try {
      if (app.origin.kind === 'saved') {
        const r = await api<{ id: number; version: number; name: string }>(
          `/api/scenarios/${app.origin.id}`,
          {
            method: 'PUT',
            body: JSON.stringify({ scenario: app.scenario, baseVersion: base ?? app.origin.version }),
          },
        );
        app.origin = { kind: 'saved', id: r.id, version: r.version, name: r.name };
      } else {
        const r = await api<{ id: number; version: number; name: string }>('/api/scenarios', {
          method: 'POST',
          body: JSON.stringify(app.scenario),
        });
        app.origin = { kind: 'saved', id: r.id, version: r.version, name: r.name };
      }
      app.edited = false;
      app.syncUrl();
      msg.replaceChildren(`Saved as scenario ${app.origin.id}, version ${app.origin.version}.`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && app.origin.kind === 'saved') {
        const again = el('button', { type: 'button' }, t('Save on top of the latest version'));
        const id = app.origin.id;
        again.addEventListener('click', async () => {
          const head = await api<{ version: number }>(`/api/scenarios/${id}`);
          await doSave(head.version);
        });
        msg.replaceChildren(`${e.message} `, again);
      } else if (e instanceof ApiError) {
        msg.textContent = `Not saved: ${e.body.errors?.map((x) => `${x.path}: ${x.message}`).join('; ') || e.message}`;
      } else msg.textContent = `Not saved: ${(e as Error).message}`;
    }
  };
  save.addEventListener('click', () => void doSave());
  box.append(upload, up, dl, save, msg);
  return box;
}

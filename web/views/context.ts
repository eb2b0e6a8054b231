import type { ClusterResult } from '../../models/result.ts';
import type { FieldError } from '../../models/scenario.ts';
import { ApiError, type App, api } from '../app.ts';
import { renderTable } from '../charts/figure.ts';
import { cite, el } from '../dom.ts';
import type { EngineResponse } from '../engine-types.ts';
import { formatNumber } from '../format.ts';
import { bi, lang, t, tf, unitText } from '../i18n.ts';
import { errorText, fieldLabel, WARNING_GROUPS, type WarningGroup, warningView } from '../messages.ts';
import { parameterLabel } from '../param-labels.ts';
import { sourceKnown, sourceParts } from '../source-text.ts';

/** A cluster result named in the page's language (the seeds carry Chinese names). */
export function localName(app: App, c: ClusterResult): ClusterResult {
  const seed = app.clusters.find((x) => x.id === c.clusterId);
  return seed && c.name === seed.name ? { ...c, name: bi(seed.name, seed.nameZh) } : c;
}

/** What a run's status line says: `running`, `done` (with the answer) or `invalid` (with the errors). */
export type RunState = 'running' | 'done' | 'invalid';

/**
 * Write a run's state into its status line, in the page's language, and as `data-state` (what tests
 * and the stale mark read): simulating, simulated (cluster-hours and time), or not simulated (how many
 * inputs to fix, each by its label when the view has no fields to show them beside).
 */
export function runStatus(
  status: HTMLElement,
  state: RunState,
  info?: Extract<EngineResponse, { ok: true }> | FieldError[],
  opts: { listErrors?: boolean; clusterName?: (i: number) => string } = {},
): void {
  status.dataset.state = state;
  status.classList.toggle('bad', state === 'invalid');
  if (state === 'running') {
    status.textContent = t('Simulating…');
    return;
  }
  if (state === 'done' && info && !Array.isArray(info)) {
    status.textContent = tf('{hours} cluster-hours simulated in {ms} ms (engine {version}).', {
      hours: formatNumber(info.result.engine.clusterHours, 0),
      ms: Math.round(info.ms),
      version: info.result.engine.version,
    });
    return;
  }
  const errors = Array.isArray(info) ? info : [];
  const head = tf(
    errors.length === 1 ? 'Not simulated: 1 input to fix.' : 'Not simulated: {n} inputs to fix.',
    { n: errors.length },
  );
  if (!opts.listErrors) {
    status.textContent = head;
    return;
  }
  status.replaceChildren(
    head,
    el(
      'ul',
      { class: 'errors-inline' },
      ...errors.map((e) => {
        const x = errorText(e, opts.clusterName);
        return el('li', {}, el('strong', {}, x.label), `${t(': ')}${x.rule}`);
      }),
    ),
  );
}

/**
 * A text of the engine (a default's source or text value, a warning) in the page's language, its
 * citations linked: in 中文, dcplan's words translated and only the English references (authors,
 * titles, standard numbers) marked `lang="en"` — the whole text when no rule reads it.
 */
function engineText(s: string): Array<Node | string> {
  return sourceParts(s).flatMap((p) => (p.en ? [el('span', { lang: 'en' }, ...cite(p.text))] : cite(p.text)));
}

/** The groups of a cluster's warnings, in page order, each with its warnings as the page shows them. */
function groupedWarnings(c: ClusterResult) {
  const views = c.warnings.map(warningView);
  const order = Object.keys(WARNING_GROUPS) as WarningGroup[];
  return order
    .map((g) => ({ group: g, items: views.filter((v) => v.group === g) }))
    .filter((g) => g.items.length);
}

/**
 * A cluster's warnings in plain words with each field's label, grouped (tariff, carbon, finance…) and
 * collapsed under a one-line summary — open when one says the results are empty — each with the
 * engine's own text (sources, figures) one click away; then the defaults the run used.
 */
export function contextBox(c: ClusterResult): HTMLElement {
  const box = el('div', { class: 'context' });
  if (c.warnings.length) {
    const groups = groupedWarnings(c);
    const det = el('details', { class: 'warnings-box' });
    det.open = groups.some((g) => g.group === 'build');
    det.append(
      el(
        'summary',
        {},
        el(
          'strong',
          {},
          tf(c.warnings.length === 1 ? '1 note on the inputs — {name}' : '{n} notes on the inputs — {name}', {
            n: c.warnings.length,
            name: c.name,
          }),
        ),
        ` (${groups.map((g) => `${t(WARNING_GROUPS[g.group])} ${g.items.length}`).join(t(', '))})`,
      ),
    );
    for (const g of groups) {
      det.append(el('h4', {}, t(WARNING_GROUPS[g.group])));
      const ul = el('ul', { class: 'warnings', 'aria-label': t(WARNING_GROUPS[g.group]) });
      for (const w of g.items) {
        // a warning no pattern reads: in 中文 translated phrase by phrase where the rules can, else as written
        const read = w.known || (lang() === 'zh' && sourceKnown(w.text));
        const li = el('li', { class: read ? '' : 'untranslated' });
        li.append(
          el('strong', {}, w.field),
          `${t(': ')}`,
          ...(w.known ? [w.text] : read ? engineText(w.text) : [el('span', { lang: 'en' }, ...cite(w.text))]),
        );
        if (w.known)
          li.append(
            el(
              'details',
              { class: 'original' },
              el('summary', {}, t('Sources and figures')),
              lang() === 'zh'
                ? el('p', {}, ...engineText(w.original))
                : el('p', { lang: 'en' }, ...cite(w.original)),
            ),
          );
        ul.append(li);
      }
      det.append(ul);
    }
    box.append(det);
  }
  if (c.assumptions.length) {
    const det = el('details', { class: 'assumptions' });
    det.append(
      el('summary', {}, tf('Defaults used: {n} (value, source, grade)', { n: c.assumptions.length })),
    );
    det.append(
      renderTable({
        columns: [
          { key: 'field', label: 'Field' },
          { key: 'value', label: 'Value' },
          { key: 'grade', label: 'Grade' },
          { key: 'source', label: 'Source' },
        ],
        rows: c.assumptions.map((a) => ({
          field: t(parameterLabel(a.field) ?? fieldLabel(`clusters[0].${a.field}`).replace(/ — .*$/, '')),
          value:
            typeof a.value === 'number'
              ? `${formatNumber(a.value)}${a.unit ? ` ${unitText(a.unit)}` : ''}`
              : a.value,
          grade: t(a.grade),
          source: a.source,
        })),
      }),
    );
    // in 中文, the sources and text values in Chinese, only their English references marked as such
    if (lang() === 'zh')
      det.querySelectorAll('tbody tr').forEach((tr, i) => {
        const a = c.assumptions[i];
        tr.children[3]?.replaceChildren(...engineText(a.source));
        if (typeof a.value === 'string') tr.children[1]?.replaceChildren(...engineText(a.value));
      });
    box.append(det);
  }
  return box;
}

/** Store the scenario on screen as a run of the server, then show it among the stored runs. */
export async function storeRun(app: App, msg: HTMLElement, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  msg.textContent = t('Storing…');
  try {
    const run = await api<{ id: string }>('/api/runs?wait=0', {
      method: 'POST',
      body: JSON.stringify(
        app.origin.kind === 'saved' && !app.edited
          ? { scenarioId: app.origin.id, version: app.origin.version }
          : { scenario: app.scenario },
      ),
    });
    app.navigate('/runs', { runs: run.id });
  } catch (e) {
    msg.textContent =
      e instanceof ApiError && e.status === 404
        ? t(
            'No server to store runs on (a static copy of the page): download the JSON and run it with dcplan.',
          )
        : tf('Not stored: {why}', { why: (e as Error).message });
    button.disabled = false;
  }
}

import registry from '../../seeds/sources.json' with { type: 'json' };
import { el } from '../dom.ts';
import { bi, t } from '../i18n.ts';

interface Source {
  id: string;
  kind: string;
  title: string;
  titleZh?: string | null;
  issuer: string;
  date: string;
  number?: string | null;
  publishedIn: string;
  licence?: string | null;
  figures: Array<{ what: string; value: string; grade: string }>;
}

const KINDS: Array<[string, string]> = [
  ['policy', 'Policy documents'],
  ['standard', 'Standards'],
  ['statistic', 'Official statistics'],
  ['report', 'Reports and literature'],
  ['news', 'News reports of official figures'],
  ['dataset', 'Data sets'],
];

/** The kinds of source in page order: the known ones, then any other kind the registry uses. */
function sourceKinds(list: Source[]): Array<[string, string]> {
  const known = new Set(KINDS.map(([k]) => k));
  return [
    ...KINDS,
    ...[...new Set(list.map((s) => s.kind))]
      .filter((k) => !known.has(k))
      .map((k) => [k, k] as [string, string]),
  ];
}

/** One source: its title (with the Chinese title), its facts and the figures dcplan takes from it. */
function sourceArticle(s: Source): HTMLElement {
  const art = el('article', { class: 'source', id: `src-${s.id}` });
  art.append(
    el(
      'h3',
      {},
      bi(s.title, s.titleZh),
      s.titleZh && s.titleZh !== bi(s.title, s.titleZh)
        ? el('span', { class: 'zh', lang: 'zh-CN' }, ` ${s.titleZh}`)
        : null,
    ),
  );
  art.append(sourceFacts(s), figuresTable(s));
  return art;
}

/** Who issued a source, when, its number, where it was published, its licence and how it is cited. */
function sourceFacts(s: Source): HTMLElement {
  const dl = el('dl', { class: 'facts' });
  const row = (k: string, v: string | null | undefined) => {
    if (v) dl.append(el('dt', {}, t(k)), el('dd', {}, v));
  };
  row('Issued by', s.issuer);
  row('Date', s.date);
  row('Document number', s.number);
  row('Published in', s.publishedIn);
  row('Licence', s.licence);
  row('Cited as', `[${s.id}]`);
  return dl;
}

/** The figures dcplan takes from a source, with their values and grades, as a scrollable table. */
function figuresTable(s: Source): HTMLElement {
  const table = el('table', { class: 'figures' });
  table.append(
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, t('What dcplan takes')),
        el('th', { scope: 'col' }, t('Value')),
        el('th', { scope: 'col' }, t('Grade')),
      ),
    ),
  );
  const body = el('tbody');
  for (const f of s.figures)
    body.append(el('tr', {}, el('td', {}, f.what), el('td', {}, f.value), el('td', {}, f.grade)));
  table.append(body);
  return el(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': `Figures from ${s.id}` },
    table,
  );
}

/** `/sources`: every document and data set dcplan takes a figure from, with the figures and grades. */
export function sourcesView(root: HTMLElement): void {
  const list = (registry as { sources: Source[] }).sources;
  const toc = el('nav', { class: 'toc', 'aria-label': t('Source kinds') });
  const sections: HTMLElement[] = [];
  for (const [kind, title] of sourceKinds(list)) {
    const items = list.filter((s) => s.kind === kind);
    if (!items.length) continue;
    toc.append(el('a', { href: `#kind-${kind}` }, `${t(title)} (${items.length})`));
    const sec = el(
      'section',
      { id: `kind-${kind}`, 'aria-labelledby': `kind-${kind}-h` },
      el('h2', { id: `kind-${kind}-h` }, t(title)),
    );
    for (const s of items) sec.append(sourceArticle(s));
    sections.push(sec);
  }
  root.replaceChildren(
    el(
      'p',
      { class: 'lead' },
      t(
        'Every default dcplan ships names its source and a grade. A citation “[id]” in a result, a warning or the editor resolves to an entry on this page.',
      ),
    ),
    el(
      'dl',
      { class: 'grades' },
      ...[
        ['A', 'official text or official figure'],
        ['B', 'reputable report of an official figure (one source)'],
        ['C', 'weak or secondary source — verify before relying on it'],
        ['D', 'derived by dcplan from A/B figures (formula given)'],
        ['assumption', 'a labelled engineering assumption: replace it with your own figure'],
        ['NOT FOUND', 'searched, not found: left an input'],
      ].flatMap(([g, d]) => [el('dt', {}, t(g)), el('dd', {}, t(d))]),
    ),
    toc,
    ...sections,
  );
}

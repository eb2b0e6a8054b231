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

/** `/sources`: every document and data set dcplan takes a figure from, with the figures and grades. */
export function sourcesView(root: HTMLElement): void {
  const list = (registry as { sources: Source[] }).sources;
  const toc = el('nav', { class: 'toc', 'aria-label': 'Source kinds' });
  const sections: HTMLElement[] = [];
  const known = new Set(KINDS.map(([k]) => k));
  const kinds = [
    ...KINDS,
    ...[...new Set(list.map((s) => s.kind))]
      .filter((k) => !known.has(k))
      .map((k) => [k, k] as [string, string]),
  ];
  for (const [kind, title] of kinds) {
    const items = list.filter((s) => s.kind === kind);
    if (!items.length) continue;
    toc.append(el('a', { href: `#kind-${kind}` }, `${title} (${items.length})`));
    const sec = el(
      'section',
      { id: `kind-${kind}`, 'aria-labelledby': `kind-${kind}-h` },
      el('h2', { id: `kind-${kind}-h` }, title),
    );
    for (const s of items) {
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
      const dl = el('dl', { class: 'facts' });
      const row = (k: string, v: string | null | undefined) => {
        if (v) dl.append(el('dt', {}, k), el('dd', {}, v));
      };
      row('Issued by', s.issuer);
      row('Date', s.date);
      row('Document number', s.number);
      row('Published in', s.publishedIn);
      row('Licence', s.licence);
      row('Cited as', `[${s.id}]`);
      art.append(dl);
      const table = el('table', { class: 'figures' });
      table.append(
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col' }, 'What dcplan takes'),
            el('th', { scope: 'col' }, t('Value')),
            el('th', { scope: 'col' }, t('Grade')),
          ),
        ),
      );
      const body = el('tbody');
      for (const f of s.figures)
        body.append(el('tr', {}, el('td', {}, f.what), el('td', {}, f.value), el('td', {}, f.grade)));
      table.append(body);
      art.append(
        el(
          'div',
          { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': `Figures from ${s.id}` },
          table,
        ),
      );
      sec.append(art);
    }
    sections.push(sec);
  }
  root.replaceChildren(
    el(
      'p',
      { class: 'lead' },
      'Every default dcplan ships names its source and a grade. A citation “[id]” in a result, a warning or the editor resolves to an entry on this page.',
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
      ].flatMap(([g, d]) => [el('dt', {}, g), el('dd', {}, d)]),
    ),
    toc,
    ...sections,
  );
}

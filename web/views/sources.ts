import registry from '../../seeds/sources.json' with { type: 'json' };
import { el } from '../dom.ts';
import { bi, lang, t, tf } from '../i18n.ts';

/** An entry of seeds/sources.json; the `…Zh` fields are its Chinese (see tools/gen-sources-doc.ts). */
interface Source {
  id: string;
  kind: string;
  title: string;
  titleZh?: string | null;
  titleLang?: string | null;
  nameZh?: string | null;
  issuer: string;
  issuerZh?: string | null;
  date: string;
  dateZh?: string | null;
  number?: string | null;
  numberZh?: string | null;
  publishedIn: string;
  publishedInZh?: string | null;
  licence?: string | null;
  licenceZh?: string | null;
  figures: Array<{ what: string; whatZh?: string; value: string; valueZh?: string; grade: string }>;
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

/**
 * A source's heading. English: the title, with the Chinese title of a Chinese original beside it.
 * 中文: the Chinese title, or an English original's title as published (marked `lang="en"`) with
 * dcplan's Chinese name beside it, or dcplan's Chinese name of the entry.
 */
function sourceHeading(s: Source): HTMLElement {
  if (lang() !== 'zh')
    return el(
      'h3',
      {},
      s.title,
      s.titleZh ? el('span', { class: 'zh', lang: 'zh-CN' }, ` ${s.titleZh}`) : null,
    );
  if (s.titleZh) return el('h3', {}, s.titleZh);
  if (s.titleLang === 'en')
    return el(
      'h3',
      {},
      el('span', { lang: 'en' }, s.title),
      s.nameZh ? el('span', { class: 'zh' }, ' ', ...quotedTitles(s.nameZh)) : null,
    );
  return el('h3', {}, ...quotedTitles(s.nameZh ?? s.title));
}

/** One source: its title (with the Chinese title), its facts and the figures dcplan takes from it. */
function sourceArticle(s: Source): HTMLElement {
  const art = el('article', { class: 'source', id: `src-${s.id}` });
  art.append(sourceHeading(s), sourceFacts(s), figuresTable(s));
  return art;
}

/** Who issued a source, when, its number, where it was published, its licence and how it is cited. */
function sourceFacts(s: Source): HTMLElement {
  const dl = el('dl', { class: 'facts' });
  const row = (k: string, v: string | null | undefined, attrs: Record<string, string> = {}) => {
    if (v) dl.append(el('dt', {}, t(k)), el('dd', attrs, ...quotedTitles(v)));
  };
  row('Issued by', bi(s.issuer, s.issuerZh));
  row('Date', bi(s.date, s.dateZh));
  // an English original's number is written as published (NREL/TP-…, ANSI/ASHRAE/IES …)
  row(
    'Document number',
    bi(s.number ?? '', s.numberZh),
    s.titleLang === 'en' && !s.numberZh && lang() === 'zh' ? { lang: 'en' } : {},
  );
  row('Published in', bi(s.publishedIn, s.publishedInZh));
  row('Licence', bi(s.licence ?? '', s.licenceZh));
  row('Cited as', `[${s.id}]`);
  return dl;
}

/**
 * In 中文, an English title quoted inside a Chinese line (“Construction Cost Market Movers”) is a
 * reference as published: marked English (`lang="en"`), the line around it Chinese.
 */
function quotedTitles(text: string): Array<string | HTMLElement> {
  if (lang() !== 'zh') return [text];
  return text
    .split(/(“[^”]*[A-Za-z][^”]*”)/)
    .filter(Boolean)
    .map((p) => (/^“.*”$/.test(p) && /[A-Za-z]{2,}/.test(p) ? el('span', { lang: 'en' }, p) : p));
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
    body.append(
      el(
        'tr',
        {},
        el('td', {}, ...quotedTitles(bi(f.what, f.whatZh))),
        el('td', {}, ...quotedTitles(bi(f.value, f.valueZh))),
        el('td', {}, t(f.grade)),
      ),
    );
  table.append(body);
  return el(
    'div',
    {
      class: 'table-wrap',
      tabindex: '0',
      role: 'region',
      'aria-label': tf('Figures from {id}', { id: s.id }),
    },
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

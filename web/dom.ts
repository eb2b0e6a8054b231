/** Create an element with attributes and children (text or nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string | null | undefined>
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'hidden') e.hidden = true;
    else if (!(k === 'class' && v === '')) e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** Text with its `[source-id]` citations turned into links to the sources page. */
export function cite(text: string): Array<Node | string> {
  const out: Array<Node | string> = [];
  let last = 0;
  for (const m of text.matchAll(/\[([a-z0-9][a-z0-9.-]*[a-z0-9])\]/g)) {
    out.push(text.slice(last, m.index));
    out.push(el('a', { href: `/sources#src-${m[1]}`, 'data-link': '', class: 'cite' }, `[${m[1]}]`));
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}

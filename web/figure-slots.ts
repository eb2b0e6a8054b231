/**
 * The figures of a results view, each in a slot that stays in the page across redraws. A figure is
 * built again only when its inputs (summarised by a key) changed; a figure in view is built at once,
 * one out of view when the main thread is idle or when it scrolls into view. So while a lever is
 * dragged or a field typed, each answer of the engine redraws what the visitor sees, and the rest
 * follows as soon as the edits pause — never a stale figure in view. `data-pending` marks a slot that
 * still shows its previous figure; the container's `data-figures` says `complete` once none does.
 *
 * Timing: every build is a `draw:<name>` performance measure (the bench reports them); `onComplete`
 * runs whenever the last pending figure has been built.
 */
export interface FigureSlots {
  /** The slot of a figure; `build` runs now, later, or not at all (same key as drawn). */
  slot(name: string, key: string, build: () => HTMLElement | null): HTMLElement;
  /** After a redraw's slots: forget figures it left out, then build the pending ones when idle. */
  commit(): void;
  /** Build every pending figure now (before printing or exporting the page). */
  flush(): void;
}

/** Space around the viewport in which a figure counts as in view (it is about to be seen). */
const NEAR = '100px';

interface Slot {
  el: HTMLElement;
  drawn: string | null;
  key: string;
  build: () => HTMLElement | null;
}

/** Build a part of the page, with a `draw:<name>` performance measure. */
export function timed<T>(name: string, build: () => T): T {
  const t0 = performance.now();
  const out = build();
  performance.measure(`draw:${name}`, { start: t0, end: performance.now() });
  return out;
}

/** Run `cb` when the main thread is idle (a short timeout where the browser has no idle callbacks). */
function whenIdle(cb: (more: () => boolean) => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback((d) => cb(() => d.didTimeout || d.timeRemaining() > 4), { timeout: 400 });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(() => {
    const until = performance.now() + 8;
    cb(() => performance.now() < until);
  }, 30);
  return () => clearTimeout(id);
}

/**
 * Figure slots for one view, inside `container` (which gets `data-figures`); they stop observing and
 * drop pending work when `signal` aborts (the view is left).
 */
export function figureSlots(
  container: HTMLElement,
  signal: AbortSignal,
  onComplete: () => void = () => {},
): FigureSlots {
  const slots = new Map<string, Slot>();
  const used = new Set<string>();
  const inView = new Set<Element>();
  let cancelIdle: (() => void) | null = null;

  const draw = (s: Slot) => {
    const node = timed(s.el.dataset.figure ?? 'figure', s.build);
    s.el.replaceChildren(...(node ? [node] : []));
    s.drawn = s.key;
    s.el.removeAttribute('data-pending');
  };
  const pending = () => [...slots.values()].filter((s) => s.drawn !== s.key);
  const settle = () => {
    const left = pending();
    container.dataset.figures = left.length ? 'pending' : 'complete';
    if (left.length === 0) {
      cancelIdle?.();
      cancelIdle = null;
      onComplete();
    } else if (!cancelIdle) schedule();
  };
  const schedule = () => {
    cancelIdle = whenIdle((more) => {
      cancelIdle = null;
      for (const s of pending()) {
        if (!more()) break;
        draw(s);
      }
      settle();
    });
  };
  const io =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            let drew = false;
            for (const e of entries) {
              if (e.isIntersecting) inView.add(e.target);
              else inView.delete(e.target);
              const s = slots.get((e.target as HTMLElement).dataset.figure ?? '');
              if (e.isIntersecting && s && s.drawn !== s.key) {
                draw(s);
                drew = true;
              }
            }
            if (drew) settle();
          },
          { rootMargin: NEAR },
        )
      : null;
  signal.addEventListener('abort', () => {
    io?.disconnect();
    cancelIdle?.();
    slots.clear();
  });

  return {
    slot(name, key, build) {
      let s = slots.get(name);
      if (!s) {
        const elSlot = document.createElement('div');
        elSlot.className = 'figure-slot';
        elSlot.dataset.figure = name;
        s = { el: elSlot, drawn: null, key, build };
        slots.set(name, s);
        io?.observe(elSlot);
      }
      used.add(name);
      s.key = key;
      s.build = build;
      // the first figure, and one in view, at once; one out of view once the edits pause
      if (s.drawn !== key) {
        if (s.drawn === null || inView.has(s.el) || !io) draw(s);
        else s.el.setAttribute('data-pending', '');
      }
      return s.el;
    },
    commit() {
      for (const [name, s] of slots)
        if (!used.has(name)) {
          io?.unobserve(s.el);
          inView.delete(s.el);
          slots.delete(name);
        }
      used.clear();
      settle();
    },
    flush() {
      for (const s of pending()) draw(s);
      settle();
    },
  };
}

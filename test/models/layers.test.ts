import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The import graph of models/, read from the code (every `import … from` and `export … from`, type
 * imports included): no circle, and every import points down the layers docs/ARCHITECTURE.md names.
 * A file may import its own layer (the graph stays acyclic) and any layer below.
 */
const ROOT = fileURLToPath(new URL('../../models/', import.meta.url));

/** Layers from the bottom; a file is in the first layer whose pattern matches its path. */
const LAYERS: Array<[string, RegExp]> = [
  [
    'core',
    /^(calendar|sum|memo|psychrometrics|solar|quantity|quantity-math|input-row|result|validation|distribution|sampling|lp)\.ts$/,
  ],
  [
    'models',
    /^(climate|capacity|utilisation|powerCurve|chiller|electrical|cooling|cooling\/.*|tariff-calendar|tariff-book|tariff|pv|wind|storage-policy|storage-dispatch|storage-optimal|storage|carbon|network|finance|targets|compare|grade-bands)\.ts$/,
  ],
  ['reference', /^(reference|engine-cache)\.ts$/],
  ['inputs', /^(inputs|scenario)\.ts$/],
  ['prepare', /^prepare\/.*\.ts$/],
  ['stages', /^stages\/.*\.ts$/],
  ['engine', /^(simulate|index|operator\/.*|uncertainty\/.*|sizing)\.ts$/],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const all = files(ROOT).map((p) => relative(ROOT, p));
const layerOf = (f: string) => LAYERS.findIndex(([, re]) => re.test(f));
const imports = new Map(
  all.map((f) => {
    const src = readFileSync(join(ROOT, f), 'utf8');
    const targets = [...src.matchAll(/(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gs)].map((m) =>
      relative(ROOT, resolve(dirname(join(ROOT, f)), m[1])),
    );
    return [f, targets];
  }),
);

describe('models/: the import graph', () => {
  it('every file has a layer, and imports only models/ files and npm packages', () => {
    expect(all.filter((f) => layerOf(f) < 0)).toEqual([]);
    for (const [f, ts] of imports) for (const t of ts) expect(all, `${f} → ${t}`).toContain(t);
  });

  it('every import points down the layers or within its own', () => {
    const up: string[] = [];
    for (const [f, ts] of imports)
      for (const t of ts)
        if (layerOf(t) > layerOf(f))
          up.push(`${f} (${LAYERS[layerOf(f)][0]}) → ${t} (${LAYERS[layerOf(t)][0]})`);
    expect(up).toEqual([]);
  });

  it('has no circle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const t of imports.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of all) visit(f, []);
    expect(cycles).toEqual([]);
  });
});

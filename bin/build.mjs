#!/usr/bin/env node
// Compile the Node side (CLI, server, job worker) to JavaScript in dist/ with esbuild, so that
// `dcplan` starts without compiling TypeScript at run time (issue 9, point 3). Run by `npm install`
// (the `prepare` script), `npm run build:server`, `npm start`, and by bin/dcplan.js when a source file
// changed since the last build.
//
// Output (ESM, Node 20): dist/cli.mjs, dist/main.mjs (server), dist/worker.mjs (job worker),
// dist/boot.mjs (worker-thread bootstrap), dist/climate-cache.mjs (writes dist/climates.bin, the
// seeded climate years rebuilt once) and the chunks they share, all flat in dist/ so that
// `new URL('../…', import.meta.url)` in a bundled module means the same folder as from its source
// file one level below the root (server/x.ts → dist/chunk-….mjs), and the pool finds dist/worker.mjs.
// mathjs, zod, commander and cli-progress are bundled (tree-shaken); every other package stays an
// import resolved from node_modules at run time (better-sqlite3 is native; express, piscina and the
// bench-only dev tools are loaded only by the commands that need them).
//
// dist/build-manifest.json lists every local source file the bundles were built from with its
// modification time (plus this script, package.json and package-lock.json), so a stale build is
// found by stat() calls alone: see `isStale` and bin/dcplan.js.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const MANIFEST = join(DIST, 'build-manifest.json');

/** Entry points: output name (dist/<name>.mjs) → source. */
const ENTRIES = {
  cli: 'server/cli.ts',
  main: 'server/main.ts',
  worker: 'server/jobs/worker.ts',
  'montecarlo-worker': 'server/montecarlo-worker.ts',
  boot: 'server/jobs/boot.mjs',
  'climate-cache': 'server/climate-cache.ts',
};

/** Packages compiled into the bundles; every other dependency stays external. */
const BUNDLED = new Set(['mathjs', 'zod', 'commander', 'cli-progress']);

/**
 * `import { z } from 'zod'` makes esbuild keep all of zod (the `z` namespace object, with every locale:
 * ~750 kB); `import * as z from 'zod'` is the same namespace to code that only reads `z.<name>`, and
 * lets esbuild keep only what is used (~170 kB). Our sources keep the form zod documents; the build
 * rewrites that one import line.
 */
const zodNamespaceImport = {
  name: 'zod-namespace-import',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      const out = text.replace(/^import \{ z \} from 'zod';$/m, "import * as z from 'zod';");
      return out === text ? undefined : { contents: out, loader: 'ts' };
    });
  },
};

/**
 * JSON files of 10 kB or more (the climate statistics) become `JSON.parse('…')` rather than an object
 * literal: V8 parses JSON several times faster than the same data as JavaScript, which a cold start
 * pays for every bundled seed file.
 */
const jsonParse = {
  name: 'json-parse',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (text.length < 10_000) return undefined;
      const json = JSON.stringify(JSON.parse(text));
      return { contents: `export default JSON.parse(${JSON.stringify(json)});`, loader: 'js' };
    });
  },
};

/** Files that are not imported by the bundles but change what a build produces. */
const EXTRA_INPUTS = ['bin/build.mjs', 'package.json', 'package-lock.json'];

const posix = (p) => p.split(sep).join('/');

function mtimeOf(rel) {
  try {
    return statSync(join(ROOT, rel)).mtimeMs;
  } catch {
    return null;
  }
}

/**
 * True when dist/ is missing or older than its sources: the manifest is absent, was written by
 * another version of this script, or a listed file's modification time differs (or it is gone).
 */
export function isStale() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return 'dist/ has not been built';
  }
  if (manifest.format !== 1) return 'dist/ was built by another version of bin/build.mjs';
  for (const [rel, mtime] of Object.entries(manifest.inputs)) {
    if (mtimeOf(rel) !== mtime) return `${rel} changed`;
  }
  for (const [name, src] of Object.entries(ENTRIES)) {
    // An entry whose source appeared or went away since the build, or whose output is gone.
    if (existsSync(join(ROOT, src)) !== Object.hasOwn(manifest.entries ?? {}, name))
      return `${src} added or removed`;
    if (Object.hasOwn(manifest.entries, name) && !existsSync(join(DIST, `${name}.mjs`)))
      return `dist/${name}.mjs is missing`;
  }
  return false;
}

/**
 * Build dist/. Each output file is written to a temporary name and renamed into place, and the
 * manifest is written last, so a process starting during a build sees either the old or the new
 * files; chunks of earlier builds are then removed.
 */
export async function build({ log = () => {} } = {}) {
  const esbuild = await import('esbuild');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
    .filter((name) => !BUNDLED.has(name))
    .flatMap((name) => [name, `${name}/*`]);
  const entryPoints = Object.entries(ENTRIES)
    .filter(([, src]) => existsSync(join(ROOT, src)))
    .map(([out, src]) => ({ in: join(ROOT, src), out }));
  const t0 = performance.now();
  const startedAtMs = Date.now();
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints,
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    external,
    // Bundled CommonJS (commander, parts of mathjs) may require() Node built-ins.
    banner: {
      js: "import { createRequire as __dcplanCreateRequire } from 'node:module'; const require = __dcplanCreateRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    plugins: [zodNamespaceImport, jsonParse],
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const inputs = {};
  for (const rel of [...Object.keys(result.metafile.inputs).map(posix), ...EXTRA_INPUTS]) {
    // Packages are tracked through package-lock.json, not file by file.
    if (rel.startsWith('../') || rel.includes('node_modules/')) continue;
    const m = mtimeOf(rel);
    // A file edited while esbuild read it may be bundled in its old form: record it as changed (-1),
    // so the next start rebuilds.
    if (m !== null) inputs[rel] = m >= startedAtMs ? -1 : m;
  }
  mkdirSync(DIST, { recursive: true });
  const written = new Set(['build-manifest.json']);
  for (const file of result.outputFiles) {
    const rel = posix(relative(DIST, file.path));
    written.add(rel);
    mkdirSync(dirname(file.path), { recursive: true });
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  const manifest = {
    format: 1,
    builtAt: new Date().toISOString(),
    esbuild: esbuild.version,
    node: process.version,
    entries: Object.fromEntries(entryPoints.map((e) => [e.out, posix(relative(ROOT, e.in))])),
    inputs,
  };
  await writeClimateCache();
  const tmp = `${MANIFEST}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(tmp, MANIFEST);
  // Earlier builds' chunks (content-hashed names) are no longer referenced; dist/web is vite's.
  for (const name of readdirSync(DIST)) {
    if (/^chunk-.*\.mjs(\.map)?$/.test(name) && !written.has(name)) rmSync(join(DIST, name), { force: true });
  }
  const ms = performance.now() - t0;
  log(`dcplan: built ${entryPoints.map((e) => `dist/${e.out}.mjs`).join(', ')} in ${ms.toFixed(0)} ms`);
  return manifest;
}

/**
 * dist/climates.bin: the seeded climate years rebuilt once here, read by a cold process instead of
 * rebuilding them (server/climate-cache.ts). Written by the new bundle itself; if that fails (e.g. a
 * broken seed file, which the CLI then reports in one line), no cache is left: the years are rebuilt.
 */
async function writeClimateCache() {
  const file = join(DIST, 'climates.bin');
  try {
    const mod = await import(`${pathToFileURL(join(DIST, 'climate-cache.mjs')).href}?build=${Date.now()}`);
    mod.writeClimateCache(file);
  } catch {
    rmSync(file, { force: true });
  }
}

/** Build when stale (silent otherwise), or always with `--force` (`npm run build:server`). */
async function cli(argv) {
  if (!argv.includes('--force') && !isStale()) return;
  await build({ log: (s) => console.error(s) });
}

// Run as a script (`node bin/build.mjs`), not imported: argv[1] is the path as typed, resolved but not
// through symlinks, while import.meta.url is the real path.
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  await cli(process.argv.slice(2));
}

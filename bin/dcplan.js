#!/usr/bin/env node
// dcplan command-line entry. Runs the compiled CLI (dist/cli.mjs, built by bin/build.mjs when the
// package is installed), so no TypeScript is compiled at run time. When a source file changed since
// that build, dist/ is rebuilt first (a second or two); if it cannot be built (esbuild missing), the
// TypeScript sources run through tsx (a dev dependency). DCPLAN_FROM_SOURCE=1 always runs the sources.
import { build, isStale } from './build.mjs';

async function fromSource() {
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../server/cli.ts')).main;
}

async function load() {
  if (process.env.DCPLAN_FROM_SOURCE === '1') return fromSource();
  const stale = isStale();
  if (stale) {
    try {
      // Only a terminal hears about it: stderr of a script stays the command's own output.
      if (process.stderr.isTTY) process.stderr.write(`dcplan: ${stale}; rebuilding dist/ …\n`);
      await build();
    } catch (e) {
      process.stderr.write(
        `dcplan: cannot build dist/ (${e.message.split('\n')[0]}); running the sources with tsx\n`,
      );
      return fromSource();
    }
  }
  return (await import('../dist/cli.mjs')).main;
}

let main;
try {
  main = await load();
} catch (e) {
  // A module that fails as it loads (e.g. a broken seed file: `seeds/costs.json: pvCapexCnyPerW.value:
  // …`) is a one-line failure like any other (exit 1); DCPLAN_DEBUG=1 shows the stack.
  process.stderr.write(`dcplan: ${process.env.DCPLAN_DEBUG === '1' ? e.stack : e.message.split('\n')[0]}\n`);
  process.exitCode = 1;
}
if (main) process.exitCode = await main(process.argv);

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: build dist/ when it is missing or older than its sources (bin/build.mjs decides),
 * once before any test file runs. Tests that spawn `bin/dcplan.js` then exercise the compiled CLI, as a
 * user does — also on a clean clone, where dist/ exists only after `npm ci` has run `prepare` — instead
 * of each spawned process rebuilding it, or several at once.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  execFileSync(process.execPath, ['bin/build.mjs'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

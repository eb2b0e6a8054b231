/** A progress reporter for long CLI work: `update(done, total)` as work completes, `stop()` at the end. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A cli-progress bar on stderr, for long CLI work (multi-year simulations, benchmarks), when stderr is
 * a terminal; undefined otherwise, so a script or a pipe gets only the command's output and its usual
 * log lines. cli-progress is loaded only when a bar is drawn.
 *
 * @example
 * const bar = await progressBar('simulating', 'cluster-years'); // undefined unless stderr is a TTY
 * bar?.update(3, 6); bar?.stop();
 */
export async function progressBar(
  label: string,
  unit: string,
  stream: NodeJS.WriteStream = process.stderr,
): Promise<Progress | undefined> {
  if (!stream.isTTY) return undefined;
  // A CommonJS package: its exports are the default export (esbuild's lazy chunk has only that one).
  const mod = await import('cli-progress');
  const { SingleBar, Presets } = mod.default ?? mod;
  const bar = new SingleBar(
    {
      format: `  ${label} [{bar}] {percentage}% ({value}/{total} ${unit}) {duration_formatted}`,
      stream,
      barsize: 30,
      hideCursor: true,
      // Work that blocks the event loop (a simulation) still redraws on each update.
      synchronousUpdate: true,
    },
    Presets.legacy,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

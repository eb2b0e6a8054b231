// A stand-in worker for the pool tests: answers by the scenario it is given.
import type { JobReply, JobTask } from '../../../server/jobs/worker.ts';

if ((process.env.FAKE_WORKER_MODE ?? '') === 'broken') throw new Error('cannot load');

export default function fake(m: JobTask): Promise<void> | undefined {
  const kind = ('scenario' in m ? m.scenario : '') as string;
  const reply = (r: JobReply) => m.port.postMessage(r);
  if (kind === 'exit') process.exit(3);
  if (kind === 'hang') return new Promise(() => {});
  if (kind === 'fail') {
    reply({ type: 'error', message: 'years: must be ≥ 1' });
    return;
  }
  reply({ type: 'progress', done: 1, total: 2 });
  reply({ type: 'done', result: { echo: kind } });
}

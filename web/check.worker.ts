/// <reference lib="webworker" />
import './zod-jitless.ts';
import { type CheckRequest, runCheck } from '../models/operator/check.ts';
import { engineReference } from '../seeds/index.ts';
import type { CheckReply, CheckTask } from './check-types.ts';

/**
 * The operator's meter check in a Web Worker: read the file, compute the metrics and benchmarks,
 * simulate the plant on the metered IT load and calibrate it — all off the page's main thread (a year
 * of hourly rows and a calibration take a second or two).
 */
let ref: ReturnType<typeof engineReference> | null = null;

self.onmessage = (ev: MessageEvent<CheckTask>) => {
  const { id, csv, request } = ev.data;
  let reply: CheckReply;
  try {
    ref ??= engineReference();
    const out = runCheck(csv, request as CheckRequest, ref);
    reply = out.ok ? { id, ok: true, result: out.result } : { id, ok: false, refusal: out.refusal };
  } catch (e) {
    reply = { id, ok: false, error: (e as Error).message };
  }
  (self as unknown as Worker).postMessage(reply);
};

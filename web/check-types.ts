import type { CheckRequest, CheckResult } from '../models/operator/check.ts';
import type { MeterRefusal } from '../models/operator/meter.ts';

/** Page → check worker: the meter file's text and what the operator says about the site. */
export interface CheckTask {
  id: number;
  csv: string;
  request: CheckRequest;
}

/** Check worker → page: the result, the file's defects, or an error in the request. */
export type CheckReply =
  | { id: number; ok: true; result: CheckResult }
  | { id: number; ok: false; refusal: MeterRefusal }
  | { id: number; ok: false; error: string };

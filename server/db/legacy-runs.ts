import { compareClusters } from '../../models/compare.ts';
import type { ClusterResult, RunResult } from '../../models/result.ts';
import { RESULT_FORMS, resultForms } from '../result-forms.ts';
import type { Db } from './database.ts';
import { PART_BYTES } from './run-repository.ts';

/**
 * The one-time conversion of runs stored before schema 5 (format 0) to results in parts (format 1),
 * run by `openDatabase` before the server listens, so no request ever parses a whole stored result:
 * a done run's result is read back — its serialised JSON (schema 3–4) or, before that, its cluster
 * documents and annual rows — and stored again in every form, in one transaction per run; its old
 * columns and annual rows are emptied (the pages freed are given back by the start's vacuum). A result
 * that cannot be read back leaves the run `failed`, with the reason.
 */
export function convertLegacyRuns(db: Db, log: (m: string) => void = () => {}): number {
  const pending = db
    .prepare(`SELECT id FROM runs WHERE format = 0 AND status = 'done' ORDER BY created_at`)
    .all() as Array<{ id: string }>;
  const columns = db.prepare(
    'SELECT result_head, result_json, length(scenario_doc) + length(user_clusters) AS docs FROM runs WHERE id = ?',
  );
  const clusterDocs = db.prepare(
    'SELECT cluster_index, doc FROM results WHERE run_id = ? ORDER BY cluster_index',
  );
  const annual = db.prepare(
    'SELECT cluster_index, doc FROM annual_rows WHERE run_id = ? ORDER BY cluster_index, year',
  );
  const delResults = db.prepare('DELETE FROM results WHERE run_id = ?');
  const delAnnual = db.prepare('DELETE FROM annual_rows WHERE run_id = ?');
  const delParts = db.prepare('DELETE FROM result_parts WHERE run_id = ?');
  const insertPart = db.prepare('INSERT INTO result_parts (run_id, form, seq, data) VALUES (?, ?, ?, ?)');
  const insertResult = db.prepare(
    'INSERT INTO results (run_id, cluster_index, cluster_id, doc) VALUES (?, ?, ?, ?)',
  );
  const setConverted = db.prepare(
    `UPDATE runs SET format = 1, result_json = NULL, summary_json = NULL, compare_json = NULL,
       stored_bytes = ?, cluster_years = ? WHERE id = ?`,
  );
  const setFailed = db.prepare(
    `UPDATE runs SET format = 1, status = 'failed', error = ?, result_json = NULL, summary_json = NULL,
       compare_json = NULL, stored_bytes = length(scenario_doc) + length(user_clusters) WHERE id = ?`,
  );

  /** The result of a run as stored before schema 5. */
  const storedResult = (id: string): RunResult => {
    const c = columns.get(id) as { result_head: string | null; result_json: Buffer | string | null };
    if (c.result_json !== null) return JSON.parse(c.result_json.toString()) as RunResult;
    // Before schema 3: the head, each cluster's document without its annual rows, and the annual rows.
    if (c.result_head === null) throw new Error('no stored result');
    const top = JSON.parse(c.result_head) as Pick<RunResult, 'scenario' | 'engine'>;
    const rows = new Map<number, unknown[]>();
    for (const a of annual.all(id) as Array<{ cluster_index: number; doc: string }>) {
      const list = rows.get(a.cluster_index) ?? [];
      list.push(JSON.parse(a.doc));
      rows.set(a.cluster_index, list);
    }
    const clusters = (clusterDocs.all(id) as Array<{ cluster_index: number; doc: string }>).map((r) => ({
      ...(JSON.parse(r.doc) as Omit<ClusterResult, 'annual'>),
      annual: rows.get(r.cluster_index) ?? [],
    })) as ClusterResult[];
    return { ...top, clusters, comparison: compareClusters(clusters) } as RunResult;
  };

  const convert = db.transaction((id: string) => {
    const { docs } = columns.get(id) as { docs: number };
    const forms = resultForms(storedResult(id));
    delParts.run(id);
    let bytes = docs + forms.head.length;
    for (const form of RESULT_FORMS) {
      const b = forms.bytes[form];
      for (let seq = 0, at = 0; at < b.length || seq === 0; seq++, at += PART_BYTES) {
        insertPart.run(id, form, seq, b.subarray(at, at + PART_BYTES));
        bytes += Math.min(PART_BYTES, b.length - at);
      }
    }
    delResults.run(id);
    forms.clusters.forEach((c, i) => {
      const doc = JSON.stringify({ check: c.check });
      insertResult.run(id, i, c.clusterId, doc);
      bytes += doc.length;
    });
    delAnnual.run(id);
    const clusterYears = forms.clusters.reduce((n, c) => n + Object.keys(c.check).length, 0);
    setConverted.run(bytes, clusterYears, id);
  });

  for (const { id } of pending) {
    try {
      convert(id);
    } catch (e) {
      const why = `the stored result could not be read back (${(e as Error).message})`;
      log(`run ${id}: ${why}; marked failed`);
      db.transaction(() => {
        delParts.run(id);
        delResults.run(id);
        delAnnual.run(id);
        setFailed.run(why, id);
      })();
    }
  }
  // Runs without a result have nothing to convert; their old result columns are empty.
  db.prepare(
    `UPDATE runs SET format = 1, result_json = NULL, summary_json = NULL, compare_json = NULL
     WHERE format = 0 AND status != 'done'`,
  ).run();
  return pending.length;
}

/**
 * Numbered schema migrations. `PRAGMA user_version` records the last applied one; each runs once, in
 * order, inside the start-up transaction. A schema change is a new entry here — never an edit of an
 * applied one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order; versions are 1, 2, 3… without gaps. */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE clusters (
        id TEXT PRIMARY KEY,
        seeded INTEGER NOT NULL CHECK (seeded IN (0, 1)),
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE tariffs (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE targets (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE climate_stats (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE scenarios (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        latest_version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      );
      CREATE TABLE scenario_versions (
        scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
        version INTEGER NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (scenario_id, version)
      );
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        inputs_hash TEXT NOT NULL,
        scenario_id INTEGER REFERENCES scenarios(id),
        scenario_version INTEGER,
        scenario_doc TEXT NOT NULL,
        engine_version TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        progress REAL NOT NULL DEFAULT 0,
        error TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        duration_ms REAL,
        result_head TEXT
      );
      CREATE INDEX runs_hash ON runs (inputs_hash, status);
      CREATE TABLE results (
        run_id TEXT NOT NULL REFERENCES runs(id),
        cluster_index INTEGER NOT NULL,
        cluster_id TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (run_id, cluster_index)
      );
      CREATE TABLE annual_rows (
        run_id TEXT NOT NULL REFERENCES runs(id),
        cluster_index INTEGER NOT NULL,
        year INTEGER NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (run_id, cluster_index, year)
      );
    `,
  },
  {
    version: 2,
    name: 'runs keep the user clusters they referenced',
    // The hourly export re-simulates a cluster-year; it must use the user cluster as it was at run time,
    // not as edited since. Runs made before this migration have none recorded ('[]').
    sql: `ALTER TABLE runs ADD COLUMN user_clusters TEXT NOT NULL DEFAULT '[]';`,
  },
  {
    version: 3,
    name: 'runs keep their seed hash, queue time and serialised results; storage accounting',
    // seed_hash: the seed bundle a run used (the hourly export refuses when today's differs).
    // queue_ms: time from creation to a worker taking the run; duration_ms is compute time from now on.
    // result_json / summary_json / compare_json: the result serialised once (in the worker), sent as is.
    // stored_bytes: what a run holds, for the retention bound; existing runs are counted here.
    sql: `
      ALTER TABLE runs ADD COLUMN seed_hash TEXT;
      ALTER TABLE runs ADD COLUMN queue_ms REAL;
      ALTER TABLE runs ADD COLUMN result_json TEXT;
      ALTER TABLE runs ADD COLUMN summary_json TEXT;
      ALTER TABLE runs ADD COLUMN compare_json TEXT;
      ALTER TABLE runs ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
      UPDATE runs SET stored_bytes =
        COALESCE((SELECT sum(length(doc)) FROM results WHERE run_id = runs.id), 0) +
        COALESCE((SELECT sum(length(doc)) FROM annual_rows WHERE run_id = runs.id), 0);
      CREATE INDEX runs_created ON runs (created_at);
    `,
  },
  {
    version: 4,
    name: 'an index that answers the retention queries without reading run rows',
    // The retention bound sums stored_bytes of ended runs and finds the oldest after every result is
    // written. stored_bytes sits after the serialised results in each row, so without this index SQLite
    // walked every row's overflow pages (≈ 0.5 MB per run): stalls of up to ≈ 0.7 s per result once
    // ≈ 1 GB was kept (seconds with the vacuum that then followed every eviction).
    sql: 'CREATE INDEX runs_retention ON runs (status, created_at, stored_bytes);',
  },
  {
    version: 5,
    name: 'results in parts; what lists and retention read in columns; runs kept until read; tombstones',
    // result_parts: each stored form of a result (full, summary, annual.csv, compare) in parts of at
    // most 256 KiB, written one part a transaction and read back one part at a time, so no request
    // holds the event loop for a whole result (a 50-cluster × 100-year result is ≈ 44 MB). A run
    // becomes done, in one transaction, only once every part is written; parts of a run that is not
    // done are removed on start. Runs of schema 4 are converted on the first start (database.ts).
    // name, clusters, start_year, years, cluster_years: read by the run list, the hourly export and
    // the comparison bound without parsing scenario_doc.
    // read_at: when a client was first shown the run's final state; retention never deletes an ended
    // run before that or before it is DCPLAN_KEEP_UNREAD_S old. format: 1 once the result is in parts.
    // stored_bytes now counts the scenario and user clusters a run keeps, and while a run is in flight
    // the bytes its result is expected to take (admission reserves them).
    // run_tombstones: deleted and evicted runs answer 410 with when and why (a bounded number kept).
    sql: `
      CREATE TABLE result_parts (
        run_id TEXT NOT NULL REFERENCES runs(id),
        form TEXT NOT NULL CHECK (form IN ('full', 'summary', 'annual.csv', 'compare')),
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (run_id, form, seq)
      );
      ALTER TABLE runs ADD COLUMN name TEXT;
      ALTER TABLE runs ADD COLUMN clusters INTEGER;
      ALTER TABLE runs ADD COLUMN start_year INTEGER;
      ALTER TABLE runs ADD COLUMN years INTEGER;
      ALTER TABLE runs ADD COLUMN cluster_years INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN read_at TEXT;
      ALTER TABLE runs ADD COLUMN format INTEGER NOT NULL DEFAULT 0;
      UPDATE runs SET
        name = json_extract(scenario_doc, '$.name'),
        clusters = json_array_length(scenario_doc, '$.clusters'),
        start_year = json_extract(scenario_doc, '$.startYear'),
        years = json_extract(scenario_doc, '$.years')
      WHERE json_valid(scenario_doc);
      UPDATE runs SET cluster_years = COALESCE((SELECT count(*) FROM annual_rows WHERE run_id = runs.id), 0);
      UPDATE runs SET stored_bytes = stored_bytes + length(scenario_doc) + length(user_clusters);
      DROP INDEX runs_retention;
      CREATE INDEX runs_retention ON runs (status, created_at, read_at, finished_at, stored_bytes);
      CREATE INDEX runs_scenario ON runs (scenario_id, created_at);
      CREATE TABLE run_tombstones (
        id TEXT PRIMARY KEY,
        gone_at TEXT NOT NULL,
        reason TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'saved documents counted (bytes columns), deleted scenarios purged',
    // bytes: each saved scenario version's and user cluster's document size, kept right by the
    // repositories on insert and by triggers on any later change of the document (the seed loader
    // renames clusters inside saved versions); read through covering indexes, so the bound on saved
    // documents (DCPLAN_SAVED_MB) never walks the documents themselves.
    // A DELETE of a saved scenario was a soft delete whose versions stayed: they are removed here, and
    // so is the head of each deleted scenario that no run refers to (a run's scenario_id needs it).
    sql: `
      DELETE FROM scenario_versions WHERE scenario_id IN (SELECT id FROM scenarios WHERE deleted_at IS NOT NULL);
      DELETE FROM scenarios WHERE deleted_at IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.scenario_id = scenarios.id);
      ALTER TABLE scenario_versions ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
      UPDATE scenario_versions SET bytes = length(CAST(doc AS BLOB));
      CREATE INDEX scenario_versions_bytes ON scenario_versions (bytes);
      CREATE TRIGGER scenario_versions_doc AFTER UPDATE OF doc ON scenario_versions BEGIN
        UPDATE scenario_versions SET bytes = length(CAST(NEW.doc AS BLOB))
        WHERE scenario_id = NEW.scenario_id AND version = NEW.version;
      END;
      ALTER TABLE clusters ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
      UPDATE clusters SET bytes = length(CAST(doc AS BLOB));
      CREATE INDEX clusters_bytes ON clusters (seeded, bytes);
      CREATE TRIGGER clusters_doc AFTER UPDATE OF doc ON clusters BEGIN
        UPDATE clusters SET bytes = length(CAST(NEW.doc AS BLOB)) WHERE id = NEW.id;
      END;
    `,
  },
  {
    version: 7,
    name: "operators' meter checks, kept with each site's history",
    // One row a check (POST /api/checks): the site it is for (the operator's name for it, else the
    // cluster id), what the list shows in columns, and the check as the worker serialised it. bytes
    // counts against the bound on saved documents (DCPLAN_SAVED_MB) with saved scenarios.
    sql: `
      CREATE TABLE checks (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        cluster_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        period_start TEXT NOT NULL,
        period_end TEXT NOT NULL,
        coverage_share REAL NOT NULL,
        pue REAL,
        gb40879_grade INTEGER,
        doc TEXT NOT NULL,
        bytes INTEGER NOT NULL
      );
      CREATE INDEX checks_site ON checks (site, created_at);
      CREATE INDEX checks_created ON checks (created_at, bytes);
    `,
  },
  {
    version: 8,
    name: 'studies: Monte Carlo and sizing jobs',
    // A study is a job like a run — queued on the run pool, its progress and status polled, cancelled —
    // whose result is one JSON report (server/jobs/studies.ts), written with its status in one
    // transaction. Identical inputs (kind, scenario, user clusters, options, engine, seeds) reuse it.
    sql: `
      CREATE TABLE studies (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('montecarlo', 'sizing')),
        inputs_hash TEXT NOT NULL,
        scenario_id INTEGER,
        scenario_version INTEGER,
        scenario_doc TEXT NOT NULL,
        user_clusters TEXT NOT NULL,
        options TEXT NOT NULL,
        engine_version TEXT NOT NULL,
        seed_hash TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        progress REAL NOT NULL DEFAULT 0,
        error TEXT,
        result BLOB,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        duration_ms REAL
      );
      CREATE INDEX studies_hash ON studies (inputs_hash, status);
      CREATE INDEX studies_created ON studies (status, created_at);
    `,
  },
];

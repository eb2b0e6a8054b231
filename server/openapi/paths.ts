import { CheckBody, CheckListQuery, CheckOptions } from '../routes/checks.ts';
import { CompareQuery } from '../routes/compare.ts';
import { HourlyQuery, RunBySaved, RunListQuery, RunQuery, RunViewQuery } from '../routes/runs.ts';
import { VersionedSave, VersionQuery } from '../routes/scenarios.ts';
import {
  csv,
  idParam,
  json,
  jsonOf,
  ok,
  okOf,
  query,
  read,
  ref,
  scenarioId,
  schema,
  withRef,
  write,
} from './common.ts';

// The paths of the OpenAPI document (server/openapi.ts), by resource.

/** A worker pool's state in /api/health. */
const pool = {
  type: 'object',
  required: ['size', 'busy', 'queued'],
  properties: { size: { type: 'integer' }, busy: { type: 'integer' }, queued: { type: 'integer' } },
};

/** Health and this document. */
export const metaPaths = () => ({
  '/api/health': {
    get: {
      operationId: 'getHealth',
      security: [],
      summary: 'Liveness, database and worker status',
      responses: {
        200: okOf({
          type: 'object',
          required: ['status', 'engineVersion', 'schemaVersion'],
          properties: {
            status: { enum: ['ok', 'degraded'] },
            engineVersion: { type: 'string' },
            schemaVersion: { type: 'integer' },
            uptimeS: { type: 'integer' },
            workers: { ...pool, description: 'the run pool' },
            validations: { ...pool, description: 'the validation pool (saves and runs)' },
            reads: { ...pool, description: 'the pool for hourly exports and comparisons' },
            eventLoopDelayMs: {
              type: 'object',
              description: 'event-loop delay of the last complete 5-s window (ms)',
              properties: { p50Ms: { type: 'number' }, p99Ms: { type: 'number' }, maxMs: { type: 'number' } },
            },
          },
        }),
        ...read(),
      },
    },
  },
  '/api/openapi.json': {
    get: {
      operationId: 'getOpenApi',
      security: [],
      summary: 'This document',
      responses: {
        200: okOf({
          type: 'object',
          required: ['openapi', 'info', 'paths'],
          properties: {
            openapi: { type: 'string', description: 'the OpenAPI version, 3.1.0' },
            info: { type: 'object' },
            paths: { type: 'object' },
            components: { type: 'object' },
          },
        }),
        ...read(),
      },
    },
  },
});

/** Seeded and user clusters. */
export const clusterPaths = () => ({
  '/api/clusters': {
    get: {
      operationId: 'listClusters',
      security: [],
      summary: 'Seeded and user-added clusters, with sources',
      responses: { 200: okOf({ type: 'array', items: ref('ClusterView') }), ...read() },
    },
    post: {
      operationId: 'addCluster',
      summary: 'Add a user cluster (its climate and tariffCalendar must be known ones)',
      security: [{ bearer: [] }],
      requestBody: { required: true, content: json('Cluster') },
      responses: { 201: ok('ClusterView', 'Created'), ...write(409, 507) },
    },
  },
  '/api/clusters/{id}': {
    parameters: [idParam('cluster id')],
    get: {
      operationId: 'getCluster',
      security: [],
      summary: 'One cluster',
      responses: { 200: ok('ClusterView'), ...read(400, 404) },
    },
    put: {
      operationId: 'editCluster',
      summary:
        'Edit a user cluster; a cluster as fetched (with seeded and updatedAt, ignored) may be sent back. Seeded clusters are read-only: 403',
      security: [{ bearer: [] }],
      requestBody: { required: true, content: json('Cluster') },
      responses: { 200: ok('ClusterView'), ...write(404, 507) },
    },
    delete: {
      operationId: 'deleteCluster',
      summary:
        'Delete a user cluster: 403 for a seeded one, 409 while the latest version of a saved scenario uses it (runs keep their own copy)',
      security: [{ bearer: [] }],
      responses: { 204: { description: 'Deleted' }, ...write(400, 404, 409) },
    },
  },
});

/** Tariff calendars and policy targets (reference data). */
export const referencePaths = () => ({
  '/api/tariffs': {
    get: {
      operationId: 'listTariffs',
      security: [],
      summary: 'TOU calendars with sources',
      responses: { 200: okOf({ type: 'array', items: { type: 'object' } }), ...read() },
    },
  },
  '/api/targets': {
    get: {
      operationId: 'listTargets',
      security: [],
      summary: 'Policy targets with sources',
      responses: { 200: okOf({ type: 'array', items: ref('Target') }), ...read() },
    },
  },
});

/** Saved scenarios and their versions. */
export const scenarioPaths = () => ({
  '/api/scenarios': {
    get: {
      operationId: 'listScenarios',
      security: [],
      summary: 'Saved scenarios (latest versions)',
      responses: { 200: okOf({ type: 'array', items: ref('ScenarioSummary') }), ...read() },
    },
    post: {
      operationId: 'saveScenario',
      summary:
        'Save a new scenario (version 1), validated in full; 507 beyond DCPLAN_KEEP_SCENARIOS scenarios or DCPLAN_SAVED_MB of saved documents',
      security: [{ bearer: [] }],
      requestBody: { required: true, content: json('Scenario') },
      responses: { 201: ok('ScenarioVersion', 'Created'), ...write(507) },
    },
  },
  '/api/scenarios/{id}': {
    parameters: [scenarioId],
    get: {
      operationId: 'getScenario',
      security: [],
      summary:
        'A scenario, its versions and its newest runs; ?version=n for an earlier version (ETag: the version)',
      parameters: query(VersionQuery),
      responses: {
        200: ok('ScenarioVersion'),
        304: { description: 'Not modified (If-None-Match named the version given in ETag)' },
        ...read(404),
      },
    },
    put: {
      operationId: 'saveScenarioVersion',
      summary:
        'Save a new version. Body { scenario, baseVersion } or a bare scenario with If-Match: "n". Without a base → 428; a base other than the latest → 409',
      security: [{ bearer: [] }],
      parameters: [
        {
          name: 'If-Match',
          in: 'header',
          required: false,
          description: 'the base version, e.g. "3", when the body is a bare scenario',
          schema: { type: 'string' },
        },
      ],
      requestBody: {
        required: true,
        content: jsonOf({
          oneOf: [withRef(VersionedSave, 'scenario', 'Scenario'), ref('Scenario')],
        }),
      },
      responses: { 200: ok('ScenarioVersion'), ...write(404, 409, 428, 507) },
    },
    delete: {
      operationId: 'deleteScenario',
      summary: 'Delete a scenario with every version, giving the space back (its runs stay readable)',
      security: [{ bearer: [] }],
      responses: { 204: { description: 'Deleted' }, ...write(400, 404) },
    },
  },
});

/** Starting runs and listing them. */
export const runListPaths = () => ({
  '/api/runs': {
    get: {
      operationId: 'listRuns',
      security: [],
      summary: 'Stored runs, newest first, a page at a time',
      parameters: query(RunListQuery),
      responses: { 200: ok('RunList', 'A page of runs'), ...read(400) },
    },
    post: {
      operationId: 'startRun',
      summary:
        'Run a saved scenario { scenarioId, version? } or an inline one { scenario }. 201 with the result when it finishes within ?wait= ms; 202 with a run to poll otherwise; 200 (cached: true) with the stored result for identical inputs, or 202 joining an identical run still in flight. 409 when the run was cancelled before it finished (503 when the server shut down); 503 with Retry-After when the run queue is full or storage holds only unread results and runs in flight',
      security: [{ bearer: [] }],
      parameters: query(RunQuery),
      requestBody: {
        required: true,
        content: jsonOf({
          oneOf: [
            schema(RunBySaved),
            {
              type: 'object',
              properties: { scenario: ref('Scenario') },
              required: ['scenario'],
              additionalProperties: false,
            },
          ],
        }),
      },
      responses: {
        200: ok('Run', 'Identical inputs: the stored run'),
        201: ok('Run', 'Finished (done, or failed with its error)'),
        202: ok('Run', 'Queued or running: poll the Location'),
        ...write(404, 409),
      },
    },
  },
});

/** One run: status and result, cancel, delete, CSV exports. */
export const runPaths = () => ({
  '/api/runs/{id}': {
    parameters: [idParam('run id')],
    get: {
      operationId: 'getRun',
      security: [],
      summary:
        'Run status (queued until a worker takes it, running, done, failed, cancelled), progress 0–1, queue and compute time and, when done, the result (?view=summary: without monthly rows and hourly profiles). A done run has an ETag; If-None-Match → 304',
      parameters: query(RunViewQuery),
      responses: {
        200: ok('Run'),
        304: { description: 'Not modified (If-None-Match matched the ETag of a done run)' },
        ...read(404, 410),
      },
    },
    delete: {
      operationId: 'cancelRunByDelete',
      summary: 'Cancel a queued or running run (200), or delete a run that has ended with its result (204)',
      security: [{ bearer: [] }],
      responses: {
        200: ok('Run', 'Cancelled'),
        204: { description: 'Deleted' },
        ...write(404, 409, 410),
      },
    },
  },
  '/api/runs/{id}/cancel': {
    parameters: [idParam('run id')],
    post: {
      operationId: 'cancelRun',
      summary: 'Cancel a queued or running run',
      security: [{ bearer: [] }],
      responses: { 200: ok('Run', 'Cancelled'), ...write(404, 409, 410) },
    },
  },
  '/api/runs/{id}/annual.csv': {
    parameters: [idParam('run id')],
    get: {
      operationId: 'getRunAnnualCsv',
      security: [],
      summary: 'Annual rows of every cluster as CSV (units in the column names)',
      responses: { 200: csv('annual rows'), ...read(404, 409, 410) },
    },
  },
  '/api/runs/{id}/hourly.csv': {
    parameters: [idParam('run id')],
    get: {
      operationId: 'getRunHourlyCsv',
      security: [],
      summary:
        "The 8,760 hours of one cluster-year as CSV (re-simulated on demand in a worker with the run's scenario and user clusters; 409 when the engine or seed bundle differ from the run's, or the re-simulation does not reproduce the stored annual row)",
      parameters: query(HourlyQuery),
      responses: { 200: csv('hourly rows'), ...read(404, 409, 410) },
    },
  },
});

/** Comparing finished runs. */
export const comparePaths = () => ({
  '/api/compare': {
    get: {
      operationId: 'compareRuns',
      security: [],
      summary:
        "The clusters of finished runs side by side, ranked across all of them by the engine's investor comparison (models/compare.ts, as dcplan compare): { columns, rows, best, note }; each row has its metrics (x-unit and x-label; columns give unit and label), its ranks and its cost drivers against the cheapest row",
      parameters: query(CompareQuery),
      responses: { 200: ok('Comparison'), ...read(404, 409, 410) },
    },
  },
});

/** Operators' meter checks. */
export const checkPaths = () => ({
  '/api/checks': {
    get: {
      operationId: 'listChecks',
      security: [],
      summary:
        "Stored meter checks, newest first: one site's history with ?site=, a cluster's with ?cluster=",
      parameters: query(CheckListQuery),
      responses: { 200: ok('CheckList', 'A page of checks'), ...read() },
    },
    post: {
      operationId: 'checkMeters',
      summary:
        "Check an operator's meter data, as dcplan check does: metrics (PUE, pPUE, WUE, CUE, REF, ERF), GB 40879 grade and benchmarks, measured against expected PUE by month from the plant simulated on the metered IT load, calibration and retrofits — computed on a worker and stored with the site's history. The body is the meter CSV (text/csv, the options in the query) or JSON with the options and the data as csv text or rows. A file with defects is a 400 listing each (line or row, and column; total in `total`) and nothing is stored; 507 beyond DCPLAN_KEEP_CHECKS or DCPLAN_SAVED_MB",
      security: [{ bearer: [] }],
      parameters: query(CheckOptions.partial()).map((p) => ({
        ...p,
        description: `${p.description ?? ''} (with a text/csv body; cluster is then required)`,
      })),
      requestBody: {
        required: true,
        content: {
          'text/csv': {
            schema: { type: 'string', description: 'the meter file (header row, units in the names)' },
          },
          ...jsonOf(schema(CheckBody)),
        },
      },
      responses: { 201: ok('Check', 'Checked and stored'), ...write(507) },
    },
  },
  '/api/checks/{id}': {
    parameters: [idParam('check id')],
    get: {
      operationId: 'getCheck',
      security: [],
      summary: 'One stored check',
      responses: { 200: ok('Check'), ...read(404) },
    },
    delete: {
      operationId: 'deleteCheck',
      summary: 'Delete a stored check',
      security: [{ bearer: [] }],
      responses: { 204: { description: 'Deleted' }, ...write(404) },
    },
  },
});

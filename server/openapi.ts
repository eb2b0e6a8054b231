import { z } from 'zod';
import { ClusterResultSchema, RunResultSchema } from '../models/result.ts';
import { ClusterScenarioSchema, ScenarioSchema } from '../models/scenario.ts';
import pkg from '../package.json' with { type: 'json' };
import { TargetSeedSchema } from '../seeds/schema.ts';
import { UserClusterSchema } from './routes/clusters.ts';
import { COMPARE_COLUMNS, CompareQuery } from './routes/compare.ts';
import { HourlyQuery, RunBySaved, RunListQuery, RunQuery, RunViewQuery } from './routes/runs.ts';
import { VersionedSave, VersionQuery } from './routes/scenarios.ts';

const Problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: {
      type: 'string',
      description:
        'One line: the field path and the rule, e.g. "scenario.clusters[0].occupancy: must be ≤ 1"',
    },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

/** Portable annotations: the zod metadata's `unit` and `label` become `x-unit` and `x-label`. */
function portable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(portable);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const key = k === 'unit' || k === 'label' ? `x-${k}` : k;
    // `properties` maps field names to schemas: its keys are names, never annotations.
    out[key] =
      k === 'properties' && x && typeof x === 'object'
        ? Object.fromEntries(Object.entries(x).map(([n, y]) => [n, portable(y)]))
        : portable(x);
  }
  return out;
}

const schema = (s: z.ZodType, io: 'input' | 'output' = 'input') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { unrepresentable: 'any', io }) as Record<
    string,
    unknown
  >;
  return portable(rest) as Record<string, unknown>;
};

/** OpenAPI query parameters from a zod object schema (the one the route parses with). */
const query = (s: z.ZodType) => {
  const js = schema(s) as { properties: Record<string, { description?: string }>; required?: string[] };
  return Object.entries(js.properties).map(([name, { description, ...rest }]) => ({
    name,
    in: 'query',
    required: js.required?.includes(name) ?? false,
    ...(description ? { description } : {}),
    schema: rest,
  }));
};
const scenarioId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'scenario id (a whole number)',
  schema: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' },
};
const idParam = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

/** A zod object schema with one member replaced by a reference (e.g. `scenario` → Scenario). */
const withRef = (s: z.ZodType, member: string, name: string) => {
  const js = schema(s) as { properties: Record<string, unknown> };
  return { ...js, properties: { ...js.properties, [member]: { $ref: `#/components/schemas/${name}` } } };
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
const jsonOf = (schema: unknown) => ({ 'application/json': { schema } });
const csv = (description: string) => ({
  description,
  content: { 'text/csv': { schema: { type: 'string' } } },
});
const problems = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      {
        description: 'problem',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    ]),
  );
const ok = (name: string, description = 'OK') => ({ description, content: json(name) });
const okOf = (schema: unknown, description = 'OK') => ({ description, content: jsonOf(schema) });

// Problem responses of a read and of a write request. Any write request may carry a body (even DELETE
// and …/cancel, which need none): a malformed or oversized JSON body or another media type is refused
// before the route (400, 413, 415).
const read = (...codes: number[]) => problems(...codes, 421);
const write = (...codes: number[]) =>
  problems(...new Set([...codes, 400, 401, 403, 413, 415, 421].sort((a, b) => a - b)));
const nullable = (type: string) => ({ type: [type, 'null'] });

/** A run in a list (GET /api/runs, a scenario's runs). */
const runSummary = {
  type: 'object',
  required: ['id', 'status', 'progress', 'createdAt'],
  properties: {
    id: { type: 'string' },
    name: nullable('string'),
    scenarioId: nullable('integer'),
    scenarioVersion: nullable('integer'),
    clusters: nullable('integer'),
    status: { enum: ['queued', 'running', 'done', 'failed', 'cancelled'] },
    progress: { type: 'number', minimum: 0, maximum: 1 },
    error: nullable('string'),
    createdAt: { type: 'string' },
    startedAt: nullable('string'),
    finishedAt: nullable('string'),
    queueMs: nullable('number'),
    durationMs: nullable('number'),
  },
};

/** A row of GET /api/compare: the run and cluster, every comparison column, the ranks and the cost drivers. */
function compareRowSchema(): Record<string, unknown> {
  const compareRow: Record<string, unknown> = {
    runId: { type: 'string', 'x-label': 'Run id' },
    scenario: { type: 'string', 'x-label': 'Scenario name' },
    clusterId: { type: 'string', 'x-label': 'Cluster id' },
    name: { type: 'string', 'x-label': 'Cluster name' },
    years: { type: 'string', 'x-label': 'Simulated years', 'x-unit': 'year' },
  };
  for (const c of COMPARE_COLUMNS) {
    compareRow[c.key] = { type: ['number', 'null'], 'x-label': c.label, 'x-unit': c.unit };
  }
  const rank = (label: string) => ({ type: ['integer', 'null'], minimum: 1, 'x-label': label });
  compareRow.rank = {
    type: 'object',
    description: 'Ranks among all the rows of the comparison, 1 = best (models/compare.ts)',
    required: ['cost', 'npv', 'irr', 'pue', 'green', 'carbon'],
    properties: {
      cost: rank('Rank by cost per occupied rack-year (lowest first)'),
      npv: rank('Rank by NPV (highest first; null without one)'),
      irr: rank('Rank by IRR (highest first; null without one)'),
      pue: rank('Rank by PUE (lowest first)'),
      green: rank('Rank by green share (highest first)'),
      carbon: rank('Rank by location-based emissions (lowest first)'),
    },
  };
  const driver = (label: string) => ({ type: 'number', 'x-unit': 'CNY/rack-year', 'x-label': label });
  compareRow.drivers = {
    type: ['object', 'null'],
    description:
      "The row's cost gap to the cheapest row per occupied rack-year, split into drivers (they add up to the gap); null when no row has an occupied rack-year",
    required: [
      'gapCnyPerRackYear',
      'priceEffect',
      'capacityChargeEffect',
      'pueEnergyEffect',
      'greenAndOtherEffect',
    ],
    properties: {
      gapCnyPerRackYear: driver('Cost gap to the cheapest row'),
      priceEffect: driver('Price effect (tariff level, time of use, incentives)'),
      capacityChargeEffect: driver('Capacity and demand charges'),
      pueEnergyEffect: driver('Energy effect (PUE, on-site supply)'),
      greenAndOtherEffect: driver('Green premiums, certificates, capex, water, staff and the rest'),
    },
  };
  return compareRow;
}

/** Scenarios, clusters and targets as sent and as returned. */
const scenarioSchemas = () => ({
  Scenario: {
    ...schema(ScenarioSchema),
    properties: {
      ...(schema(ScenarioSchema).properties as Record<string, unknown>),
      clusters: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        description: 'Clusters, each merged over `defaults` and then validated as ClusterScenario',
        items: { type: 'object' },
      },
    },
  },
  ClusterScenario: schema(ClusterScenarioSchema),
  Cluster: schema(UserClusterSchema),
  ClusterView: {
    ...schema(UserClusterSchema, 'output'),
    required: [...((schema(UserClusterSchema, 'output').required as string[]) ?? []), 'seeded', 'updatedAt'],
  },
  Target: schema(TargetSeedSchema),
});

/** Runs and their results. */
const runSchemas = () => ({
  RunResult: schema(RunResultSchema, 'output'),
  RunResultSummary: schema(
    RunResultSchema.extend({
      clusters: z.array(ClusterResultSchema.omit({ monthly: true, greenProfile: true })),
    }),
    'output',
  ),
  Run: {
    type: 'object',
    required: ['id', 'status', 'progress', 'error', 'cached'],
    properties: {
      id: { type: 'string' },
      status: { enum: ['queued', 'running', 'done', 'failed', 'cancelled'] },
      progress: { type: 'number', minimum: 0, maximum: 1 },
      error: nullable('string'),
      cached: { type: 'boolean' },
      queueMs: { ...nullable('number'), description: 'ms waiting for a worker' },
      durationMs: { ...nullable('number'), description: 'ms computing in the worker' },
      result: {
        anyOf: [
          { $ref: '#/components/schemas/RunResult' },
          { $ref: '#/components/schemas/RunResultSummary' },
        ],
      },
    },
  },
  RunList: {
    type: 'object',
    required: ['total', 'runs'],
    properties: { total: { type: 'integer' }, runs: { type: 'array', items: runSummary } },
  },
});

/** Saved scenarios and their versions. */
const savedScenarioSchemas = () => ({
  ScenarioSummary: {
    type: 'object',
    required: ['id', 'name', 'latestVersion', 'createdAt', 'updatedAt'],
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      latestVersion: { type: 'integer' },
      createdAt: { type: 'string' },
      updatedAt: { type: 'string' },
    },
  },
  ScenarioVersion: {
    type: 'object',
    required: ['id', 'name', 'latestVersion', 'version', 'scenario'],
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      latestVersion: { type: 'integer' },
      version: { type: 'integer' },
      createdAt: { type: 'string' },
      updatedAt: { type: 'string' },
      versionCreatedAt: { type: 'string' },
      scenario: { $ref: '#/components/schemas/Scenario' },
      versions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['version', 'createdAt'],
          properties: { version: { type: 'integer' }, createdAt: { type: 'string' } },
        },
      },
      runs: {
        type: 'object',
        description: 'the newest runs of this scenario; `more` pages through all of them',
        properties: {
          total: { type: 'integer' },
          runs: { type: 'array', items: runSummary },
          more: { type: 'string' },
        },
      },
    },
  },
});

/** The cross-run comparison. */
const comparisonSchemas = () => ({
  Comparison: {
    type: 'object',
    required: ['columns', 'rows', 'best', 'note'],
    properties: {
      columns: {
        type: 'array',
        items: {
          type: 'object',
          required: ['key', 'unit', 'label'],
          properties: { key: { type: 'string' }, unit: { type: 'string' }, label: { type: 'string' } },
        },
      },
      rows: {
        type: 'array',
        items: {
          type: 'object',
          required: ['runId', 'clusterId', 'rank', 'drivers'],
          properties: compareRowSchema(),
        },
      },
      best: {
        type: ['object', 'null'],
        description: 'The cheapest row per occupied rack-year; null when no row has an occupied rack-year',
        required: ['runId', 'clusterId'],
        properties: { runId: { type: 'string' }, clusterId: { type: 'string' } },
      },
      note: { type: 'string', description: 'How the ranks and the cost drivers are computed' },
    },
  },
});

/** Health and this document. */
const metaPaths = () => ({
  '/api/health': {
    get: {
      operationId: 'getHealth',
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
            workers: { type: 'object' },
          },
        }),
        ...read(),
      },
    },
  },
  '/api/openapi.json': {
    get: {
      operationId: 'getOpenApi',
      summary: 'This document',
      responses: { 200: okOf({ type: 'object', required: ['openapi'] }), ...read() },
    },
  },
});

/** Seeded and user clusters. */
const clusterPaths = () => ({
  '/api/clusters': {
    get: {
      operationId: 'listClusters',
      summary: 'Seeded and user-added clusters, with sources',
      responses: { 200: okOf({ type: 'array', items: ref('ClusterView') }), ...read() },
    },
    post: {
      operationId: 'addCluster',
      summary: 'Add a user cluster (its climate and tariffCalendar must be known ones)',
      security: [{ bearer: [] }],
      requestBody: { required: true, content: json('Cluster') },
      responses: { 201: ok('ClusterView', 'Created'), ...write(400, 409, 413, 415) },
    },
  },
  '/api/clusters/{id}': {
    parameters: [idParam('cluster id')],
    get: {
      operationId: 'getCluster',
      summary: 'One cluster',
      responses: { 200: ok('ClusterView'), ...read(400, 404) },
    },
    put: {
      operationId: 'editCluster',
      summary:
        'Edit a user cluster; a cluster as fetched (with seeded and updatedAt, ignored) may be sent back. Seeded clusters are read-only: 403',
      security: [{ bearer: [] }],
      requestBody: { required: true, content: json('Cluster') },
      responses: { 200: ok('ClusterView'), ...write(400, 404, 413, 415) },
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
const referencePaths = () => ({
  '/api/tariffs': {
    get: {
      operationId: 'listTariffs',
      summary: 'TOU calendars with sources',
      responses: { 200: okOf({ type: 'array', items: { type: 'object' } }), ...read() },
    },
  },
  '/api/targets': {
    get: {
      operationId: 'listTargets',
      summary: 'Policy targets with sources',
      responses: { 200: okOf({ type: 'array', items: ref('Target') }), ...read() },
    },
  },
});

/** Saved scenarios and their versions. */
const scenarioPaths = () => ({
  '/api/scenarios': {
    get: {
      operationId: 'listScenarios',
      summary: 'Saved scenarios (latest versions)',
      responses: { 200: okOf({ type: 'array', items: ref('ScenarioSummary') }), ...read() },
    },
    post: {
      operationId: 'saveScenario',
      summary: 'Save a new scenario (version 1), validated in full',
      security: [{ bearer: [] }],
      requestBody: { required: true, content: json('Scenario') },
      responses: { 201: ok('ScenarioVersion', 'Created'), ...write(400, 413, 415, 503) },
    },
  },
  '/api/scenarios/{id}': {
    parameters: [scenarioId],
    get: {
      operationId: 'getScenario',
      summary:
        'A scenario, its versions and its newest runs; ?version=n for an earlier version (ETag: the version)',
      parameters: query(VersionQuery),
      responses: { 200: ok('ScenarioVersion'), ...read(400, 404) },
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
      responses: { 200: ok('ScenarioVersion'), ...write(400, 404, 409, 413, 415, 428, 503) },
    },
    delete: {
      operationId: 'deleteScenario',
      summary: 'Delete a scenario (its runs stay readable)',
      security: [{ bearer: [] }],
      responses: { 204: { description: 'Deleted' }, ...write(400, 404) },
    },
  },
});

/** Starting runs and listing them. */
const runListPaths = () => ({
  '/api/runs': {
    get: {
      operationId: 'listRuns',
      summary: 'Stored runs, newest first, a page at a time',
      parameters: query(RunListQuery),
      responses: { 200: ok('RunList', 'A page of runs'), ...read(400) },
    },
    post: {
      operationId: 'startRun',
      summary:
        'Run a saved scenario { scenarioId, version? } or an inline one { scenario }. 201 with the result when it finishes within ?wait= ms; 202 with a run to poll otherwise; 200 (cached: true) with the stored result for identical inputs, or 202 joining an identical run still in flight',
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
        ...write(400, 404, 413, 415, 503),
      },
    },
  },
});

/** One run: status and result, cancel, delete, CSV exports. */
const runPaths = () => ({
  '/api/runs/{id}': {
    parameters: [idParam('run id')],
    get: {
      operationId: 'getRun',
      summary:
        'Run status (queued until a worker takes it, running, done, failed, cancelled), progress 0–1, queue and compute time and, when done, the result (?view=summary: without monthly rows and hourly profiles). A done run has an ETag; If-None-Match → 304',
      parameters: query(RunViewQuery),
      responses: {
        200: ok('Run'),
        304: { description: 'Not modified (If-None-Match matched the ETag of a done run)' },
        ...read(400, 404),
      },
    },
    delete: {
      operationId: 'cancelRunByDelete',
      summary: 'Cancel a queued or running run (200), or delete a run that has ended with its result (204)',
      security: [{ bearer: [] }],
      responses: {
        200: ok('Run', 'Cancelled'),
        204: { description: 'Deleted' },
        ...write(400, 404, 409),
      },
    },
  },
  '/api/runs/{id}/cancel': {
    parameters: [idParam('run id')],
    post: {
      operationId: 'cancelRun',
      summary: 'Cancel a queued or running run',
      security: [{ bearer: [] }],
      responses: { 200: ok('Run', 'Cancelled'), ...write(400, 404, 409) },
    },
  },
  '/api/runs/{id}/annual.csv': {
    parameters: [idParam('run id')],
    get: {
      operationId: 'getRunAnnualCsv',
      summary: 'Annual rows of every cluster as CSV (units in the column names)',
      responses: { 200: csv('annual rows'), ...read(400, 404, 409) },
    },
  },
  '/api/runs/{id}/hourly.csv': {
    parameters: [idParam('run id')],
    get: {
      operationId: 'getRunHourlyCsv',
      summary:
        "The 8,760 hours of one cluster-year as CSV (re-simulated on demand in a worker with the run's scenario and user clusters; 409 when the engine or seed bundle differ from the run's, or the re-simulation does not reproduce the stored annual row)",
      parameters: query(HourlyQuery),
      responses: { 200: csv('hourly rows'), ...read(400, 404, 409, 503) },
    },
  },
});

/** Comparing finished runs. */
const comparePaths = () => ({
  '/api/compare': {
    get: {
      operationId: 'compareRuns',
      summary:
        "The clusters of finished runs side by side, ranked across all of them by the engine's investor comparison (models/compare.ts, as dcplan compare): { columns, rows, best, note }; each row has its metrics (x-unit and x-label; columns give unit and label), its ranks and its cost drivers against the cheapest row",
      parameters: query(CompareQuery),
      responses: { 200: ok('Comparison'), ...read(400, 404, 409) },
    },
  },
});

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and describe
 * results (units and labels travel as `x-unit` / `x-label`). Linted in `npm test`
 * (test/server/openapi.test.ts), and every response the API tests receive is checked against it.
 */
export function openApiDocument(opts: { bodyLimitBytes: number }) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'dcplan API',
      version: pkg.version,
      license: { name: 'MIT', identifier: 'MIT' },
      description: `Planning simulator for regional data-center clusters. Errors are application/problem+json (RFC 9457). JSON bodies are limited to ${opts.bodyLimitBytes} bytes (413 beyond); a body of another type is a 415. Only the configured host names are answered (loopback by default, DCPLAN_ALLOWED_HOSTS adds more; others get a 421), cross-site writes are refused (403), and a method a path does not have is a 405 with Allow. When the server has a token (DCPLAN_TOKEN), write requests need "Authorization: Bearer <token>". Units and labels are the schema annotations x-unit and x-label.`,
    },
    servers: [{ url: 'http://127.0.0.1:8080', description: 'the default local server (npm start)' }],
    components: {
      schemas: {
        ...scenarioSchemas(),
        ...runSchemas(),
        ...savedScenarioSchemas(),
        ...comparisonSchemas(),
        Problem,
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    paths: {
      ...metaPaths(),
      ...clusterPaths(),
      ...referencePaths(),
      ...scenarioPaths(),
      ...runListPaths(),
      ...runPaths(),
      ...comparePaths(),
    },
  };
}

import { z } from 'zod';
import { RunResultSchema } from '../models/result.ts';
import { ScenarioSchema } from '../models/scenario.ts';
import { ClusterSeedSchema, TargetSeedSchema } from '../seeds/schema.ts';
import { CompareQuery } from './routes/compare.ts';
import { HourlyQuery, RunBySaved, RunListQuery, RunQuery, RunViewQuery } from './routes/runs.ts';
import { VersionedSave, VersionQuery } from './routes/scenarios.ts';

const Problem = {
  type: 'object',
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
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const schema = (s: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' }) as Record<
    string,
    unknown
  >;
  return rest;
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
const idParam = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

/** A zod object schema with one member replaced by a reference (e.g. `scenario` → Scenario). */
const withRef = (s: z.ZodType, member: string, ref: string) => {
  const js = schema(s) as { properties: Record<string, unknown> };
  return { ...js, properties: { ...js.properties, [member]: { $ref: `#/components/schemas/${ref}` } } };
};

const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
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
const ok = (ref: string, description = 'OK') => ({ description, content: json(ref) });

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and describe
 * results (units and labels travel as schema metadata).
 */
export function openApiDocument(opts: { bodyLimitBytes: number }) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'dcplan API',
      version: '0.1.0',
      description: `Planning simulator for regional data-center clusters. Errors are application/problem+json (RFC 9457). JSON bodies are limited to ${opts.bodyLimitBytes} bytes (413 beyond). When the server has a token (DCPLAN_TOKEN), write requests need "Authorization: Bearer <token>".`,
    },
    components: {
      schemas: {
        Scenario: schema(ScenarioSchema),
        Cluster: schema(ClusterSeedSchema),
        Target: schema(TargetSeedSchema),
        RunResult: schema(RunResultSchema),
        Problem,
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    paths: {
      '/api/health': {
        get: { summary: 'Liveness, database and worker status', responses: { 200: { description: 'OK' } } },
      },
      '/api/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OK' } } } },
      '/api/clusters': {
        get: {
          summary: 'Seeded and user-added clusters, with sources',
          responses: { 200: { description: 'OK' } },
        },
        post: {
          summary: 'Add a user cluster (its climate and tariffCalendar must be known ones)',
          security: [{ bearer: [] }],
          requestBody: { required: true, content: json('Cluster') },
          responses: { 201: ok('Cluster', 'Created'), ...problems(400, 401, 409, 413, 415) },
        },
      },
      '/api/clusters/{id}': {
        parameters: [idParam('cluster id')],
        get: { summary: 'One cluster', responses: { 200: ok('Cluster'), ...problems(404) } },
        put: {
          summary: 'Edit a user cluster (seeded clusters are read-only: 403)',
          security: [{ bearer: [] }],
          requestBody: { required: true, content: json('Cluster') },
          responses: { 200: ok('Cluster'), ...problems(400, 401, 403, 404, 413, 415) },
        },
      },
      '/api/tariffs': {
        get: { summary: 'TOU calendars with sources', responses: { 200: { description: 'OK' } } },
      },
      '/api/targets': {
        get: {
          summary: 'Policy targets with sources',
          responses: {
            200: {
              description: 'OK',
              content: {
                'application/json': {
                  schema: { type: 'array', items: { $ref: '#/components/schemas/Target' } },
                },
              },
            },
          },
        },
      },
      '/api/scenarios': {
        get: { summary: 'Saved scenarios (latest versions)', responses: { 200: { description: 'OK' } } },
        post: {
          summary: 'Save a new scenario (version 1), validated in full',
          security: [{ bearer: [] }],
          requestBody: { required: true, content: json('Scenario') },
          responses: { 201: { description: 'Created' }, ...problems(400, 401, 413, 415, 503) },
        },
      },
      '/api/scenarios/{id}': {
        parameters: [idParam('scenario id (a whole number)')],
        get: {
          summary: 'A scenario, its version list; ?version=n for an earlier version (ETag: the version)',
          parameters: query(VersionQuery),
          responses: { 200: { description: 'OK' }, ...problems(400, 404) },
        },
        put: {
          summary:
            'Save a new version. Body { scenario, baseVersion? } or a bare scenario (with If-Match: "n" optionally); a base other than the latest → 409',
          security: [{ bearer: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    withRef(VersionedSave, 'scenario', 'Scenario'),
                    { $ref: '#/components/schemas/Scenario' },
                  ],
                },
              },
            },
          },
          responses: { 200: { description: 'OK' }, ...problems(400, 401, 404, 409, 413, 415, 503) },
        },
        delete: {
          summary: 'Delete a scenario (its runs stay readable)',
          security: [{ bearer: [] }],
          responses: { 204: { description: 'Deleted' }, ...problems(400, 401, 404) },
        },
      },
      '/api/runs': {
        get: {
          summary:
            'Stored runs, newest first: { total, runs: [{ id, name, scenarioId, scenarioVersion, clusters, status, progress, error, createdAt, startedAt, finishedAt, queueMs, durationMs }] }',
          parameters: query(RunListQuery),
          responses: { 200: { description: 'A page of runs' }, ...problems(400) },
        },
        post: {
          summary:
            'Run a saved scenario { scenarioId, version? } or an inline one { scenario }. 201 with the result when it finishes within ?wait= ms; 202 with a run to poll otherwise; 200 (cached: true) with the stored result for identical inputs, or 202 joining an identical run still in flight',
          security: [{ bearer: [] }],
          parameters: query(RunQuery),
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    schema(RunBySaved),
                    {
                      type: 'object',
                      properties: { scenario: { $ref: '#/components/schemas/Scenario' } },
                      required: ['scenario'],
                      additionalProperties: false,
                    },
                  ],
                },
              },
            },
          },
          responses: {
            200: { description: 'Identical inputs: the stored run' },
            201: { description: 'Finished (done, or failed with its error)' },
            202: { description: 'Queued or running: poll the Location' },
            ...problems(400, 401, 404, 413, 415, 503),
          },
        },
      },
      '/api/runs/{id}': {
        parameters: [idParam('run id')],
        get: {
          summary:
            'Run status (queued until a worker takes it, running, done, failed, cancelled), progress 0–1, queue and compute time and, when done, the result (?view=summary: without monthly rows and hourly profiles). A done run has an ETag; If-None-Match → 304',
          parameters: query(RunViewQuery),
          responses: {
            200: {
              description: 'OK',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      id: { type: 'string' },
                      status: { enum: ['queued', 'running', 'done', 'failed', 'cancelled'] },
                      progress: { type: 'number', minimum: 0, maximum: 1 },
                      error: { type: ['string', 'null'] },
                      cached: { type: 'boolean' },
                      queueMs: { type: ['number', 'null'], description: 'ms waiting for a worker' },
                      durationMs: { type: ['number', 'null'], description: 'ms computing in the worker' },
                      result: { $ref: '#/components/schemas/RunResult' },
                    },
                  },
                },
              },
            },
            304: { description: 'Not modified (If-None-Match matched the ETag of a done run)' },
            ...problems(400, 404),
          },
        },
        delete: {
          summary:
            'Cancel a queued or running run (200), or delete a run that has ended with its result (204)',
          security: [{ bearer: [] }],
          responses: {
            200: { description: 'Cancelled' },
            204: { description: 'Deleted' },
            ...problems(401, 404, 409),
          },
        },
      },
      '/api/runs/{id}/cancel': {
        parameters: [idParam('run id')],
        post: {
          summary: 'Cancel a queued or running run',
          security: [{ bearer: [] }],
          responses: { 200: { description: 'Cancelled' }, ...problems(401, 404, 409) },
        },
      },
      '/api/runs/{id}/annual.csv': {
        parameters: [idParam('run id')],
        get: {
          summary: 'Annual rows of every cluster as CSV (units in the column names)',
          responses: { 200: { description: 'text/csv' }, ...problems(404, 409) },
        },
      },
      '/api/runs/{id}/hourly.csv': {
        parameters: [idParam('run id')],
        get: {
          summary:
            "The 8,760 hours of one cluster-year as CSV (re-simulated on demand in a worker with the run's scenario and user clusters; 409 when the engine or seed bundle differ from the run's, or the re-simulation does not reproduce the stored annual row)",
          parameters: query(HourlyQuery),
          responses: { 200: { description: 'text/csv' }, ...problems(400, 404, 409, 503) },
        },
      },
      '/api/compare': {
        get: {
          summary: 'Key metrics of the clusters of finished runs side by side: { columns, rows }',
          parameters: query(CompareQuery),
          responses: { 200: { description: 'OK' }, ...problems(400, 404, 409) },
        },
      },
    },
  };
}

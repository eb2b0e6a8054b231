import { z } from 'zod';
import { RunResultSchema } from '../models/result.ts';
import { ScenarioSchema } from '../models/scenario.ts';
import { ClusterSeedSchema, TargetSeedSchema } from '../seeds/schema.ts';

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
      '/api/clusters': {
        get: {
          summary: 'Seeded and user-added clusters, with sources',
          responses: { 200: { description: 'OK' } },
        },
        post: {
          summary: 'Add a user cluster',
          security: [{ bearer: [] }],
          requestBody: { content: json('Cluster') },
          responses: { 201: ok('Cluster', 'Created'), ...problems(400, 401, 409, 413) },
        },
      },
      '/api/clusters/{id}': {
        get: { summary: 'One cluster', responses: { 200: ok('Cluster'), ...problems(404) } },
        put: {
          summary: 'Edit a user cluster (seeded clusters are read-only: 403)',
          security: [{ bearer: [] }],
          requestBody: { content: json('Cluster') },
          responses: { 200: ok('Cluster'), ...problems(400, 401, 403, 404, 413) },
        },
      },
      '/api/tariffs': {
        get: { summary: 'TOU calendars with sources', responses: { 200: { description: 'OK' } } },
      },
      '/api/targets': {
        get: { summary: 'Policy targets with sources', responses: { 200: { description: 'OK' } } },
      },
      '/api/scenarios': {
        get: { summary: 'Saved scenarios (latest versions)', responses: { 200: { description: 'OK' } } },
        post: {
          summary: 'Save a new scenario (version 1)',
          security: [{ bearer: [] }],
          requestBody: { content: json('Scenario') },
          responses: { 201: { description: 'Created' }, ...problems(400, 401, 413) },
        },
      },
      '/api/scenarios/{id}': {
        get: {
          summary: 'A scenario; ?version=n for an earlier version',
          responses: { 200: { description: 'OK' }, ...problems(404) },
        },
        put: {
          summary:
            'Save a new version. Body: { scenario, baseVersion? } (or a bare scenario); baseVersion or If-Match other than the latest → 409',
          security: [{ bearer: [] }],
          responses: { 200: { description: 'OK' }, ...problems(400, 401, 404, 409, 413) },
        },
        delete: {
          summary: 'Delete a scenario (its runs stay readable)',
          security: [{ bearer: [] }],
          responses: { 204: { description: 'Deleted' }, ...problems(401, 404) },
        },
      },
      '/api/runs': {
        post: {
          summary:
            'Run { scenarioId, version? } or { scenario }. 201 with the result when it finishes within ?wait= ms (default 10000), 202 with a run to poll otherwise; 200 with the cached result for identical inputs',
          security: [{ bearer: [] }],
          responses: {
            200: { description: 'Cached' },
            201: { description: 'Finished' },
            202: { description: 'Accepted' },
            ...problems(400, 401, 404, 413),
          },
        },
      },
      '/api/runs/{id}': {
        get: {
          summary: 'Run status, progress and (when done) the result',
          responses: { 200: { description: 'OK' }, ...problems(404) },
        },
        delete: {
          summary: 'Cancel a queued or running run',
          security: [{ bearer: [] }],
          responses: { 200: { description: 'Cancelled' }, ...problems(401, 404, 409) },
        },
      },
      '/api/runs/{id}/cancel': {
        post: {
          summary: 'Cancel a queued or running run',
          security: [{ bearer: [] }],
          responses: { 200: { description: 'Cancelled' }, ...problems(401, 404, 409) },
        },
      },
      '/api/runs/{id}/annual.csv': {
        get: {
          summary: 'Annual rows of every cluster as CSV',
          responses: { 200: { description: 'text/csv' }, ...problems(404, 409) },
        },
      },
      '/api/runs/{id}/hourly.csv': {
        get: {
          summary: 'Hourly series of one cluster-year (?cluster=&year=) as CSV',
          responses: { 200: { description: 'text/csv' }, ...problems(400, 404, 409) },
        },
      },
      '/api/compare': {
        get: {
          summary: 'Key metrics of runs side by side (?runs=a,b,c)',
          responses: { 200: { description: 'OK' }, ...problems(400, 404) },
        },
      },
      '/api/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OK' } } } },
    },
  };
}

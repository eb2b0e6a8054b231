import { MonteCarloOptions, SizingOptions } from '../routes/studies.ts';
import { idParam, jsonOf, nullable, ok, read, ref, schema, write } from './common.ts';

// Monte Carlo and sizing studies (issue 22, point 7) in the OpenAPI document: their schemas and paths.

const spread = {
  anyOf: [
    {
      type: 'object',
      required: ['p10', 'p50', 'p90', 'mean', 'sd', 'n'],
      properties: {
        p10: { type: 'number' },
        p50: { type: 'number' },
        p90: { type: 'number' },
        mean: { type: 'number' },
        sd: { type: 'number' },
        n: { type: 'integer', description: 'samples with a value' },
      },
    },
    { type: 'null' },
  ],
};

/** A study's life, as runs have: status, progress, timings, links. */
const studyLife = (kind: 'montecarlo' | 'sizing', options: unknown, result: unknown) => ({
  type: 'object',
  required: ['id', 'kind', 'status', 'progress', 'error', 'cached', 'options', 'links'],
  properties: {
    id: { type: 'string' },
    kind: { const: kind },
    status: { enum: ['queued', 'running', 'done', 'failed', 'cancelled'] },
    progress: { type: 'number', minimum: 0, maximum: 1 },
    error: nullable('string'),
    cached: { type: 'boolean', description: 'true: identical inputs, the stored study' },
    scenarioId: nullable('integer'),
    scenarioVersion: nullable('integer'),
    engineVersion: { type: 'string' },
    options,
    createdAt: { type: 'string' },
    startedAt: nullable('string'),
    finishedAt: nullable('string'),
    durationMs: { ...nullable('number'), description: 'ms computing in the worker' },
    links: {
      type: 'object',
      required: ['self', 'cancel'],
      properties: { self: { type: 'string' }, cancel: { type: 'string' } },
    },
    result: { ...(result as object), description: 'when done: the report' },
  },
});

export const studySchemas = () => ({
  MonteCarloReport: {
    type: 'object',
    description:
      'The report of `dcplan montecarlo --format json`: per cluster every annual metric (summed or averaged over the years by its unit) and finance number as { p10, p50, p90, mean, sd, n } keyed by the result field name, target probabilities, cost-rank probabilities; the inputs ranked by rank correlation with the chosen output; the tornado when asked for. Numbers the samples do not give are null',
    required: [
      'scenario',
      'engine',
      'samples',
      'seed',
      'method',
      'grades',
      'failed',
      'inputs',
      'clusters',
      'sensitivity',
    ],
    properties: {
      scenario: { type: 'object' },
      engine: { type: 'object', properties: { version: { type: 'string' } } },
      samples: { type: 'integer' },
      seed: { type: 'integer' },
      method: { enum: ['lhs', 'random'] },
      grades: { type: 'boolean' },
      failed: { type: 'object', properties: { count: { type: 'integer' }, first: nullable('string') } },
      inputs: { type: 'array', items: { type: 'object' } },
      unbanded: { type: 'array', items: { type: 'object' } },
      correlations: { type: 'array', items: { type: 'object' } },
      clusters: {
        type: 'array',
        items: {
          type: 'object',
          required: ['index', 'clusterId', 'name', 'annual', 'finance', 'targets', 'costRank'],
          properties: {
            index: { type: 'integer' },
            clusterId: { type: 'string' },
            name: { type: 'string' },
            annual: { type: 'object', additionalProperties: spread },
            finance: { type: 'object', additionalProperties: spread },
            targets: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  label: { type: 'string' },
                  probabilityMet: nullable('number'),
                  byYear: { type: 'array', items: { type: 'object' } },
                },
              },
            },
            costRank: {
              anyOf: [{ type: 'array', items: { type: 'number' } }, { type: 'null' }],
              description: 'probability of each cost rank, cheapest first (several clusters only)',
            },
          },
        },
      },
      sensitivity: { type: 'object' },
    },
  },
  SizeReport: {
    type: 'object',
    description:
      'The report of `dcplan size --format json`: the least-cost mix meeting the target, confirmed by a full simulation; with the curve, the cheapest mix without a target and the trade-off curve (target 0.5–0.95 → cost)',
    required: [
      'clusterId',
      'year',
      'pvKw',
      'windKw',
      'batteryKwh',
      'batteryKw',
      'contractedShare',
      'greenShare',
      'annualCostCny',
      'solveMs',
      'met',
      'curve',
    ],
    properties: {
      scenario: { type: 'string' },
      cluster: { type: 'integer' },
      clusterId: { type: 'string' },
      year: { type: 'integer' },
      target: { type: 'object' },
      status: { type: 'string' },
      pvKw: { type: 'number', 'x-unit': 'kW' },
      windKw: { type: 'number', 'x-unit': 'kW' },
      batteryKwh: { type: 'number', 'x-unit': 'kWh' },
      batteryKw: { type: 'number', 'x-unit': 'kW' },
      contractedShare: { type: 'number' },
      contractedMwh: { type: 'number', 'x-unit': 'MWh' },
      greenShare: { type: 'number', description: 'as re-simulated' },
      hoursShare: nullable('number'),
      met: { type: 'boolean' },
      annualCostCny: { type: 'number', 'x-unit': 'CNY' },
      lpCostCny: { type: 'number', 'x-unit': 'CNY' },
      mipGap: { type: 'number' },
      solveMs: { type: 'number', 'x-unit': 'ms' },
      noTarget: { anyOf: [{ type: 'object' }, { type: 'null' }] },
      targetCostCny: nullable('number'),
      curve: { type: 'array', items: { type: 'object' } },
      curveNote: { type: 'string' },
      assumptions: { type: 'array', items: { type: 'object' } },
    },
  },
  MonteCarloStudy: studyLife('montecarlo', schema(MonteCarloOptions, 'output'), ref('MonteCarloReport')),
  SizingStudy: studyLife('sizing', schema(SizingOptions, 'output'), ref('SizeReport')),
});

const body = (options: unknown) =>
  jsonOf({
    oneOf: [
      {
        type: 'object',
        properties: {
          scenario: ref('Scenario'),
          options,
        },
        required: ['scenario'],
        additionalProperties: false,
      },
      {
        type: 'object',
        properties: {
          scenarioId: { type: 'integer', minimum: 1 },
          version: { type: 'integer', minimum: 1 },
          options,
        },
        required: ['scenarioId'],
        additionalProperties: false,
      },
    ],
  });

const studyPaths = (kind: 'montecarlo' | 'sizing', name: string, what: string, options: unknown) => ({
  [`/api/${kind}`]: {
    post: {
      operationId: `start${name}`,
      summary: `Start ${what} of a saved scenario { scenarioId, version?, options } or an inline one { scenario, options }: 202 with the study to poll (Location); 200 (cached: true) with the stored report for identical inputs already done, 202 joining one in flight. The scenario is validated in full first (400); 503 with Retry-After when the run queue is full`,
      security: [{ bearer: [] }],
      requestBody: { required: true, content: body(options) },
      responses: {
        200: ok(`${name}Study`, 'Identical inputs: the stored study with its report'),
        202: ok(`${name}Study`, 'Queued (or in flight): poll the Location'),
        ...write(404),
      },
    },
  },
  [`/api/${kind}/{id}`]: {
    parameters: [idParam('study id')],
    get: {
      operationId: `get${name}`,
      security: [],
      summary: `${what}: status (queued until a worker takes it, running, done, failed, cancelled), progress 0–1 and, when done, the report`,
      responses: { 200: ok(`${name}Study`), ...read(404) },
    },
    delete: {
      operationId: `delete${name}`,
      summary: 'Cancel a queued or running study (200), or delete one that has ended with its report (204)',
      security: [{ bearer: [] }],
      responses: {
        200: ok(`${name}Study`, 'Cancelled'),
        204: { description: 'Deleted' },
        ...write(404, 409),
      },
    },
  },
  [`/api/${kind}/{id}/cancel`]: {
    parameters: [idParam('study id')],
    post: {
      operationId: `cancel${name}`,
      summary: 'Cancel a queued or running study (409 once it has ended)',
      security: [{ bearer: [] }],
      responses: { 200: ok(`${name}Study`, 'Cancelled'), ...write(404, 409) },
    },
  },
});

/** Monte Carlo and sizing studies. */
export const studyPathsAll = () => ({
  ...studyPaths(
    'montecarlo',
    'MonteCarlo',
    'A Monte Carlo study (as dcplan montecarlo)',
    schema(MonteCarloOptions),
  ),
  ...studyPaths('sizing', 'Sizing', 'A sizing study (as dcplan size)', schema(SizingOptions)),
});

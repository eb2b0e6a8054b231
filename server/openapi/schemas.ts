import { z } from 'zod';
import { ClusterResultSchema, RunResultSchema } from '../../models/result.ts';
import { ClusterScenarioSchema, ScenarioSchema } from '../../models/scenario.ts';
import { TargetSeedSchema } from '../../seeds/schema.ts';
import { SUMMARY_CLUSTER_KEYS } from '../result-forms.ts';
import { UserClusterSchema } from '../routes/clusters.ts';
import { COMPARE_COLUMNS } from '../routes/compare.ts';
import { nullable, schema } from './common.ts';

// The component schemas of the OpenAPI document (server/openapi.ts), by resource.

/** A run in a list (GET /api/runs, a scenario's runs). */
export const runSummary = {
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
export function compareRowSchema(): Record<string, unknown> {
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
export const scenarioSchemas = () => ({
  Scenario: {
    ...schema(ScenarioSchema),
    properties: {
      ...(schema(ScenarioSchema).properties as Record<string, unknown>),
      clusters: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        description:
          'Clusters, each merged over `defaults` and then validated as ClusterScenario: an entry is a whole ClusterScenario, or the part of one the defaults complete',
        items: {
          anyOf: [
            { $ref: '#/components/schemas/ClusterScenario' },
            { type: 'object', description: 'the part of a ClusterScenario that `defaults` complete' },
          ],
        },
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
export const runSchemas = () => ({
  RunResult: schema(RunResultSchema, 'output'),
  RunResultSummary: schema(
    RunResultSchema.extend({
      clusters: z.array(
        ClusterResultSchema.pick(
          Object.fromEntries(SUMMARY_CLUSTER_KEYS.map((k) => [k, true])) as {
            [K in (typeof SUMMARY_CLUSTER_KEYS)[number]]: true;
          },
        ).strict(),
      ),
    }).meta({
      description:
        'The summary of a result (?view=summary): per cluster its identity, annual rows and finance only',
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
export const savedScenarioSchemas = () => ({
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
export const comparisonSchemas = () => ({
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

/** Operators' meter checks (models/operator/check.ts: CheckResult). */
const checkHead = {
  id: { type: 'string' },
  site: { type: 'string', description: "the operator's name for the site (default: the cluster id)" },
  cluster: { type: 'string' },
  createdAt: { type: 'string', description: 'when the check was stored (ISO 8601)' },
  periodStart: { type: 'string', description: "the first interval's start (ISO 8601, China time)" },
  periodEnd: { type: 'string', description: "the last interval's end" },
  coverageShare: {
    type: 'number',
    description: 'intervals with data ÷ intervals in the period',
    'x-unit': '1',
  },
  pue: { type: ['number', 'null'], description: 'Σ facility ÷ Σ IT over the period', 'x-unit': '1' },
  gb40879Grade: { type: ['integer', 'null'], description: 'GB 40879-2021 energy-efficiency grade (1 best)' },
};
const checkHeadRequired = ['id', 'site', 'cluster', 'createdAt', 'periodStart', 'periodEnd', 'coverageShare'];
const nullableNumber = (description: string, unit: string) => ({
  type: ['number', 'null'],
  description,
  'x-unit': unit,
});
export const checkSchemas = () => ({
  CheckSummary: { type: 'object', required: checkHeadRequired, properties: checkHead },
  CheckList: {
    type: 'object',
    required: ['total', 'checks', 'limit'],
    properties: {
      total: { type: 'integer' },
      limit: { type: 'integer' },
      checks: { type: 'array', items: { $ref: '#/components/schemas/CheckSummary' } },
    },
  },
  Check: {
    type: 'object',
    required: [...checkHeadRequired, 'check'],
    properties: {
      ...checkHead,
      check: {
        type: 'object',
        description:
          'the check as `dcplan check --format json` prints it: coverage, metrics, benchmarks, months measured against expected, calibration, retrofits',
        required: [
          'site',
          'coverage',
          'pue',
          'wueLPerKwh',
          'cueLocationKgPerKwh',
          'cueMarketKgPerKwh',
          'ref',
          'greenShare',
          'gb40879Grade',
          'targets',
          'monthly',
          'calibration',
          'retrofits',
          'warnings',
        ],
        properties: {
          site: { type: 'object' },
          coverage: { type: 'object', description: 'period, interval, rows, gaps, annualisation' },
          pue: nullableNumber('energy-weighted PUE (ISO/IEC 30134-2)', '1'),
          wueLPerKwh: nullableNumber('water usage effectiveness', 'L/kWh'),
          cueLocationKgPerKwh: nullableNumber('carbon usage effectiveness, location-based', 'kg/kWh'),
          cueMarketKgPerKwh: nullableNumber('carbon usage effectiveness, market-based', 'kg/kWh'),
          ref: nullableNumber('renewable energy factor', '1'),
          greenShare: nullableNumber('green share of facility energy', '1'),
          gb40879Grade: { type: ['integer', 'null'] },
          targets: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'value', 'limit', 'met'],
              properties: {
                id: { type: 'string' },
                value: { type: ['number', 'null'] },
                limit: { type: ['number', 'null'] },
                met: { type: ['boolean', 'null'] },
              },
            },
          },
          monthly: {
            type: 'array',
            items: {
              type: 'object',
              required: ['month', 'pue', 'expectedPue'],
              properties: {
                month: { type: 'string' },
                pue: { type: ['number', 'null'] },
                expectedPue: { type: ['number', 'null'] },
              },
            },
          },
          calibration: { type: 'object' },
          retrofits: { type: 'array', items: { type: 'object' } },
          warnings: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
});

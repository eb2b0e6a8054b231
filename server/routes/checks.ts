import { randomUUID } from 'node:crypto';
import express, { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import { COOLING_DESIGN_NAMES } from '../../models/cooling.ts';
import { FACILITY_CLASSES } from '../../models/electrical.ts';
import type { CheckRequest } from '../../models/operator/check.ts';
import { METER_COLUMNS, type MeterInterval } from '../../models/operator/meter.ts';
import { QueueFullError } from '../jobs/pool.ts';
import type { CheckOutput } from '../jobs/worker.ts';
import { jsonTooDeep, MAX_JSON_DEPTH } from '../json-depth.ts';
import { MAX_METER_BYTES } from '../limits.ts';
import { badRequest, busy, HttpProblem, notFound, parseInput } from '../problem.ts';
import { type AppContext, PositiveInt, roomToSave } from './context.ts';

/** Most checks one page of `GET /api/checks` lists. */
const MAX_LIST = 200;

const INTERVALS: Record<string, MeterInterval> = { '15': 15, '60': 60, '1440': 1440, month: 'month' };

const positive = (what: string) =>
  z.coerce
    .number({ error: `must be a positive number (${what})` })
    .positive({ error: `must be a positive number (${what})` })
    .max(1e9, { error: `must be at most 1e9 (${what})` });

/**
 * What the operator says about the site, the same as `dcplan check`'s options: in the query of a
 * `text/csv` POST, or beside the rows in a JSON body.
 */
export const CheckOptions = z.object({
  cluster: z
    .string({ error: 'is required: the cluster the site is in (GET /api/clusters lists them)' })
    .min(1, { error: 'is required: the cluster the site is in (GET /api/clusters lists them)' })
    .max(60, { error: 'must be a cluster id' })
    .meta({ description: 'the cluster the site is in: province, grid factors, targets, station weather' }),
  site: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(200, { error: 'must be at most 200 characters' })
    .optional()
    .meta({
      description:
        "the operator's name for the site: checks of one site are its history (default: the cluster id)",
    }),
  cooling: z
    .enum(COOLING_DESIGN_NAMES as unknown as [string, ...string[]], {
      error: `must be one of ${COOLING_DESIGN_NAMES.join(', ')}`,
    })
    .optional()
    .meta({
      description: 'cooling design of the site (default: water-cooled chiller with waterside economizer)',
    }),
  facilityClass: z
    .enum(FACILITY_CLASSES as unknown as [string, ...string[]], {
      error: `must be one of ${FACILITY_CLASSES.join(', ')}`,
    })
    .optional()
    .meta({ description: 'facility class (sets the electrical losses and lighting)' }),
  designItKw: positive('kW')
    .optional()
    .meta({ description: 'IT design power of the halls, kW (default: the highest metered hourly IT load)' }),
  upsOnlineKw: positive('kW')
    .optional()
    .meta({ description: 'UPS capacity online, kW (default: the highest metered hourly IT load)' }),
  itMeterPoint: z
    .enum(['ups', 'pdu', 'it'], { error: 'must be ups, pdu or it' })
    .optional()
    .meta({ description: 'where IT energy is metered (sets the PUE measurement category)' }),
  interval: z
    .preprocess(
      (v) => (typeof v === 'number' ? String(v) : v),
      z.enum(['15', '60', '1440', 'month'], { error: 'must be 15, 60, 1440 or month' }),
    )
    .optional()
    .meta({ description: 'row interval in minutes, or month (default: detected from the timestamps)' }),
  priceCnyPerKwh: positive('CNY/kWh').optional().meta({
    description: "delivered grid price for the retrofits' savings, CNY/kWh (default: the engine's estimate)",
  }),
});

/** `POST /api/checks` as JSON: the options and the meter data, as CSV text or as rows. */
export const CheckBody = CheckOptions.extend({
  csv: z
    .string()
    .optional()
    .meta({ description: 'the meter file as CSV text (header: the column names, units in the names)' }),
  rows: z
    .array(z.record(z.string(), z.union([z.string(), z.number(), z.null()])), {
      error: 'must be a list of objects: one per interval, column name → value',
    })
    .optional()
    .meta({
      description: `one object per interval: ${METER_COLUMNS.map((c) => c.name).join(', ')} (timestamp, it_kwh and facility_kwh required)`,
    }),
}).strict();

/** `GET /api/checks` query. */
export const CheckListQuery = z.object({
  site: z.string().max(200).optional().meta({ description: "one site's history" }),
  cluster: z.string().max(60).optional().meta({ description: 'checks of sites in this cluster' }),
  limit: PositiveInt.optional().meta({ description: `checks in the page (default 50, at most ${MAX_LIST})` }),
  offset: z
    .string()
    .regex(/^\d{1,9}$/, { error: 'must be a whole number ≥ 0' })
    .transform(Number)
    .optional()
    .meta({ description: 'checks to skip (default 0)' }),
});

const CheckIdParams = z.object({ id: z.string().max(64) });

/** The meter body: CSV text or JSON, up to `MAX_METER_BYTES`, the JSON nesting bounded before it is parsed. */
function meterBody(): RequestHandler[] {
  return [
    express.text({ type: 'text/csv', limit: MAX_METER_BYTES }),
    express.json({
      type: ['application/json', 'application/*+json'],
      limit: MAX_METER_BYTES,
      verify: (_req, _res, body) => {
        const deep = jsonTooDeep(body);
        if (deep) {
          const message = `must nest at most ${MAX_JSON_DEPTH} levels of arrays and objects`;
          throw new HttpProblem(400, 'Invalid input', `body: ${message}`, [{ path: 'body', message }]);
        }
      },
    }),
  ];
}

/**
 * `/checks`: operators' meter checks (models/operator, as `dcplan check`). `POST` reads the meter file
 * (CSV, or JSON with the file as `csv` text or as `rows`), checks it on the reads pool — metrics,
 * benchmarks, the plant simulated on the metered IT load, calibration and retrofits — and stores the
 * check with the site's history; a file with defects is a 400 listing each one (line or row, and
 * column) and nothing is stored. `GET /` lists checks (newest first, by site or cluster), `GET /:id`
 * answers one as stored, `DELETE /:id` removes one.
 */
export function checksRouter(ctx: AppContext): Router {
  const r = Router();

  r.post('/', ...meterBody(), async (req, res) => {
    const isCsv = req.is('text/csv') === 'text/csv';
    let opts: z.output<typeof CheckOptions>;
    let csv: string | undefined;
    let rows: Array<Record<string, unknown>> | undefined;
    if (isCsv) {
      opts = parseInput(CheckOptions, req.query);
      csv = typeof req.body === 'string' ? req.body : '';
    } else {
      const b = parseInput(CheckBody, req.body ?? {});
      if ((b.csv === undefined) === (b.rows === undefined))
        throw badRequest(
          'body: give the meter data as exactly one of csv (CSV text) or rows (a list of objects)',
          [{ path: 'csv', message: 'give exactly one of csv or rows' }],
        );
      ({ csv, rows, ...opts } = b);
    }
    if (csv !== undefined && csv.trim() === '')
      throw badRequest('meters: the file is empty; send the CSV (header and rows) as the body', [
        { path: 'meters', message: 'is empty' },
      ]);
    const cluster = ctx.clusters.get(opts.cluster);
    if (!cluster) {
      const known = ctx.clusters.list().map((c) => c.id);
      throw badRequest(`cluster: unknown cluster "${opts.cluster}" (known: ${known.join(', ')})`);
    }
    roomToSave(ctx, { checks: 1, bytes: 0 });
    const request: CheckRequest = {
      cluster: opts.cluster,
      cooling: opts.cooling,
      facilityClass: opts.facilityClass,
      designItKw: opts.designItKw,
      upsOnlineKw: opts.upsOnlineKw,
      itMeterPoint: opts.itMeterPoint,
      interval: opts.interval === undefined ? undefined : INTERVALS[opts.interval],
      priceCnyPerKwh: opts.priceCnyPerKwh,
    };
    const id = randomUUID();
    let out: CheckOutput;
    try {
      out = await ctx.reads.submit<CheckOutput>(`check-${id}`, {
        type: 'check',
        csv: rows ? undefined : csv,
        rows,
        request,
        extraClusters: cluster.seeded ? [] : [cluster.cluster],
      });
    } catch (e) {
      if (e instanceof QueueFullError)
        throw busy('checks: too many checks, comparisons and exports are being computed', 2);
      throw e;
    }
    if (!out.ok) {
      const first = out.defects[0];
      throw new HttpProblem(
        400,
        'Invalid input',
        `meters: ${out.total} defect${out.total === 1 ? '' : 's'} in the file, nothing was stored; the first: ${first.path}: ${first.message}`,
        out.defects,
        undefined,
        { total: out.total },
      );
    }
    const doc = Buffer.from(out.json.buffer, out.json.byteOffset, out.json.byteLength).toString('utf8');
    roomToSave(ctx, { checks: 1, bytes: out.json.byteLength }); // others may have saved meanwhile
    const row = ctx.checks.insert(
      { id, site: opts.site ?? opts.cluster, cluster: opts.cluster, ...out.summary },
      doc,
    );
    res
      .status(201)
      .location(`/api/checks/${id}`)
      .type('application/json')
      .send(`${JSON.stringify(row).slice(0, -1)},"check":${doc}}`);
  });

  r.get('/', (req, res) => {
    const q = parseInput(CheckListQuery, req.query);
    const limit = Math.min(q.limit ?? 50, MAX_LIST);
    res.json({
      ...ctx.checks.list({ site: q.site, cluster: q.cluster, limit, offset: q.offset ?? 0 }),
      limit,
    });
  });

  r.get('/:id', (req, res) => {
    const { id } = parseInput(CheckIdParams, req.params);
    const c = ctx.checks.get(id);
    if (!c) throw notFound(`check ${id} does not exist`);
    const { doc, ...head } = c;
    res.type('application/json').send(`${JSON.stringify(head).slice(0, -1)},"check":${doc}}`);
  });

  r.delete('/:id', (req, res) => {
    const { id } = parseInput(CheckIdParams, req.params);
    if (!ctx.checks.delete(id)) throw notFound(`check ${id} does not exist`);
    ctx.vacuum.request();
    res.status(204).end();
  });
  return r;
}

import { z } from 'zod';
import { TARGET_SCOPES } from '../models/targets.ts';

/**
 * Schemas of the seed files. A user-added cluster (API `POST /api/clusters`) has the same shape as a
 * seeded one, so the engine treats both alike.
 */

export const GradeSchema = z.enum(['A', 'B', 'C', 'D', 'assumption']);

export const SourcedNumberSchema = z.strictObject({
  value: z.number(),
  unit: z.string().optional(),
  source: z.string().min(1),
  grade: GradeSchema,
  note: z.string().optional(),
});

export const ClusterSeedSchema = z
  .strictObject({
    id: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{1,39}$/,
        'must be 2–40 lowercase letters, digits or hyphens, starting with a letter',
      ),
    name: z.string().min(1).max(200),
    nameZh: z.string().max(200).optional(),
    province: z.enum(['Gansu', 'Hubei', 'Henan']).meta({
      description:
        'Province (sets the grid emission factors); other provinces need their factors seeded first',
    }),
    provinceZh: z.string().max(50).optional(),
    role: z.string().max(2000).optional(),
    hubNode: z.boolean(),
    climateZone: z.enum(['severe-cold', 'cold', 'hot-summer-cold-winter', 'hot-summer-warm-winter', 'mild']),
    climateZoneSource: z.strictObject({ source: z.string(), grade: GradeSchema }).optional(),
    location: z.strictObject({
      latDeg: z.number().min(-90).max(90),
      lonDeg: z.number().min(-180).max(180),
      elevationM: z.number().min(-500).max(9000),
      source: z.string().min(1),
      grade: GradeSchema,
    }),
    climate: z.string().min(1).meta({ description: 'Climate statistics id (seeds/climate/<id>.json)' }),
    tariffCalendar: z.string().min(1).nullable(),
    referenceEnergyPriceCnyPerKwh: SourcedNumberSchema,
    waterPriceCnyPerM3: SourcedNumberSchema.optional().meta({
      description: 'Non-residential water price incl. sewage (default of finance.waterPriceCnyPerM3)',
    }),
    gridRegion: z.enum(['northwest', 'central', 'north', 'east', 'south', 'northeast', 'southwest']),
    outboundCapacityGbps: z.number().min(0).nullable(),
    outboundNote: z.string().max(2000).optional(),
    backbone: z.string().max(2000).optional(),
    publishedLatency: z.array(z.strictObject({ text: z.string(), source: z.string(), grade: GradeSchema })),
    references: z.array(z.string()).optional(),
  })
  .meta({ label: 'Cluster' });

export type ClusterSeed = z.infer<typeof ClusterSeedSchema>;

export const TargetSeedSchema = z.strictObject({
  id: z.string(),
  label: z.string(),
  metric: z.enum([
    'pue',
    'occupancy',
    'greenShare',
    'standardRacks',
    'racksInService',
    'outboundCapacityGbps',
    'gb40879Grade',
    'wueLPerKwh',
  ]),
  unit: z.string(),
  comparator: z.enum(['<=', '<', '>=', '>']),
  limit: z.number(),
  year: z.number().int().optional(),
  fromYear: z.number().int().optional(),
  toYear: z.number().int().optional(),
  appliesTo: z.union([
    z.literal('all'),
    z.strictObject({
      hubNode: z.boolean().optional(),
      climateZone: z.array(z.string()).optional(),
      province: z.array(z.string()).optional(),
      cluster: z.array(z.string()).optional(),
    }),
  ]),
  scope: z.enum(TARGET_SCOPES).meta({
    description:
      'What the target binds: one project, the whole cluster, the province or the nation (an average or a total over all of them)',
  }),
  optIn: z.boolean().optional(),
  source: z.string(),
  grade: GradeSchema,
  note: z.string().optional(),
});

export type TargetSeed = z.infer<typeof TargetSeedSchema>;

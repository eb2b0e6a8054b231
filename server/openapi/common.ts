import { z } from 'zod';

// Building blocks of the OpenAPI document (server/openapi.ts): problem responses, zod → JSON Schema,
// parameters and content types.

export const Problem = {
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
    goneAt: { type: 'string', description: '410: when the run was deleted or evicted (ISO 8601)' },
    reason: {
      type: 'string',
      description: '410: why (deleted by a client, or evicted by the retention bound)',
    },
    runId: { type: 'string', description: 'the run the problem is about, when it is not in the path' },
    total: {
      type: 'integer',
      description: 'a refused meter file: how many defects it has (errors lists the first 20)',
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

export const schema = (s: z.ZodType, io: 'input' | 'output' = 'input') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { unrepresentable: 'any', io }) as Record<
    string,
    unknown
  >;
  return portable(rest) as Record<string, unknown>;
};

/** OpenAPI query parameters from a zod object schema (the one the route parses with). */
export const query = (s: z.ZodType) => {
  const js = schema(s) as { properties: Record<string, { description?: string }>; required?: string[] };
  return Object.entries(js.properties).map(([name, { description, ...rest }]) => ({
    name,
    in: 'query',
    required: js.required?.includes(name) ?? false,
    ...(description ? { description } : {}),
    schema: rest,
  }));
};
export const scenarioId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'scenario id (a whole number)',
  schema: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' },
};
export const idParam = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

/** A zod object schema with one member replaced by a reference (e.g. `scenario` → Scenario). */
export const withRef = (s: z.ZodType, member: string, name: string) => {
  const js = schema(s) as { properties: Record<string, unknown> };
  return { ...js, properties: { ...js.properties, [member]: { $ref: `#/components/schemas/${name}` } } };
};

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
export const jsonOf = (schema: unknown) => ({ 'application/json': { schema } });
export const csv = (description: string) => ({
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
export const ok = (name: string, description = 'OK') => ({ description, content: json(name) });
export const okOf = (schema: unknown, description = 'OK') => ({ description, content: jsonOf(schema) });

// Problem responses of a read and of a write request, besides the operation's own. Any request may
// carry a body, even a GET or a DELETE that needs none: a malformed, too deep or oversized JSON body or
// another media type is refused before the route (400, 413, 415); two Host headers are a 400 and a
// foreign one a 421; a request that arrives while the server shuts down is a 503; 500 is the failure
// the server does not expect. Writes add the token (401) and cross-site refusal (403).
const ANY = [400, 413, 415, 421, 500, 503];
const byNumber = (codes: number[]) => [...new Set(codes)].sort((a, b) => a - b);
export const read = (...codes: number[]) => problems(...byNumber([...codes, ...ANY]));
export const write = (...codes: number[]) => problems(...byNumber([...codes, ...ANY, 401, 403]));
export const nullable = (type: string) => ({ type: [type, 'null'] });

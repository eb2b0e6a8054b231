import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../server/openapi.ts';

describe('the OpenAPI document', () => {
  const doc = openApiDocument({ bodyLimitBytes: 1 << 20 });

  it('is a valid OpenAPI 3.1 document (swagger-parser)', async () => {
    await SwaggerParser.validate(structuredClone(doc) as never);
  });

  it('declares every path parameter, an operationId, and a schema for every success', () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths) as Array<[string, Record<string, unknown>]>) {
      const pathParams = ((item.parameters as Array<{ name: string }>) ?? []).map((p) => p.name);
      for (const name of path.match(/\{([^}]+)\}/g) ?? []) expect(pathParams).toContain(name.slice(1, -1));
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters') continue;
        const o = op as { operationId: string; responses: Record<string, { content?: unknown }> };
        expect(o.operationId, `${method} ${path}`).toBeTruthy();
        expect(ids.has(o.operationId)).toBe(false);
        ids.add(o.operationId);
        for (const [code, r] of Object.entries(o.responses)) {
          if (code.startsWith('2') && code !== '204')
            expect(r.content, `${method} ${path} ${code}`).toBeTruthy();
        }
      }
    }
    expect(doc.servers.length).toBeGreaterThan(0);
    expect(doc.info.license.identifier).toBe('MIT');
    expect(JSON.stringify(doc)).not.toMatch(/"(unit|label)":"/);
  });

  // The rules of a second, independent linter (Redocly CLI's recommended set: `npx @redocly/cli lint`,
  // run by hand since it is not a dependency) that swagger-parser does not check, held here.
  type Op = { security?: unknown[]; responses: Record<string, unknown> };
  const operations = () =>
    (Object.entries(doc.paths) as Array<[string, Record<string, unknown>]>).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([m]) => m !== 'parameters')
        .map(([method, op]) => ({ path, method, op: op as Op })),
    );

  it('gives every operation its security (reads open: [], writes the bearer token) — security-defined', () => {
    for (const { path, method, op } of operations()) {
      expect(Array.isArray(op.security), `${method} ${path}`).toBe(true);
      expect(op.security, `${method} ${path}`).toEqual(method === 'get' ? [] : [{ bearer: [] }]);
    }
  });

  it('declares what every operation can answer besides its own: 400, 413, 415, 421, 500, 503 (writes 401, 403)', () => {
    for (const { path, method, op } of operations()) {
      const codes = Object.keys(op.responses);
      for (const c of ['400', '413', '415', '421', '500', '503'])
        expect(codes, `${method} ${path}`).toContain(c);
      if (method !== 'get') for (const c of ['401', '403']) expect(codes, `${method} ${path}`).toContain(c);
    }
  });

  it('uses every component and defines every required property — no-unused-components, no-required-schema-properties-undefined', () => {
    const text = JSON.stringify(doc.paths) + JSON.stringify(doc.components);
    for (const name of Object.keys(doc.components.schemas)) {
      expect(text.includes(`"#/components/schemas/${name}"`), name).toBe(true);
    }
    const undefinedRequired: string[] = [];
    const visit = (v: unknown, at: string) => {
      if (Array.isArray(v)) {
        for (const [i, x] of v.entries()) visit(x, `${at}/${i}`);
      } else if (v && typeof v === 'object') {
        const o = v as {
          required?: unknown;
          properties?: Record<string, unknown>;
          additionalProperties?: unknown;
        };
        if (Array.isArray(o.required) && o.properties && o.additionalProperties === undefined) {
          for (const r of o.required) if (!(r in o.properties)) undefinedRequired.push(`${at}: ${r}`);
        }
        if (Array.isArray(o.required) && !o.properties && typeof (o as { type?: unknown }).type === 'string')
          undefinedRequired.push(`${at}: ${o.required.join(', ')} (no properties)`);
        for (const [k, x] of Object.entries(v)) visit(x, `${at}/${k}`);
      }
    };
    visit(doc, '#');
    expect(undefinedRequired).toEqual([]);
  });
});

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
});

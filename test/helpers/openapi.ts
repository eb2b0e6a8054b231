import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../server/openapi.ts';

/**
 * Check HTTP responses against the OpenAPI document: the status must be one the operation declares,
 * the content type one it lists, and a JSON body must match the schema (JSON Schema 2020-12, ajv).
 * Used by the API tests through `call()` in ./server.ts.
 */
export const DOC = openApiDocument({ bodyLimitBytes: 1 << 20 }) as unknown as {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: Record<string, unknown> };
};

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addKeyword({ keyword: 'x-unit' });
ajv.addKeyword({ keyword: 'x-label' });
ajv.addKeyword({ keyword: 'x-quantity' });
ajv.addSchema({ $id: 'doc', components: DOC.components }, 'doc');

const ROUTES = Object.keys(DOC.paths).map((t) => ({
  template: t,
  re: new RegExp(`^${t.replace(/\{[^/]+?\}/g, '[^/]+')}$`),
}));
const validators = new Map<unknown, ReturnType<typeof ajv.compile>>();

function validatorFor(schema: unknown) {
  let v = validators.get(schema);
  if (!v) {
    // Local references resolve against the document's components.
    const text = JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/');
    v = ajv.compile(JSON.parse(text));
    validators.set(schema, v);
  }
  return v;
}

/** Throws unless the response is one the document describes. */
export function validateResponse(
  method: string,
  url: string,
  r: { status: number; headers: Headers; json: unknown; text: string },
): void {
  const path = new URL(url).pathname;
  const route = ROUTES.find((x) => x.re.test(path));
  const op = route ? DOC.paths[route.template][method.toLowerCase()] : undefined;
  if (!op) {
    if (r.status === 404 || r.status === 405 || r.status === 421) return; // unknown route or method
    throw new Error(`${method} ${path}: ${r.status} from an operation the OpenAPI document lacks`);
  }
  const spec = op.responses[String(r.status)] ?? op.responses.default;
  if (!spec) throw new Error(`${method} ${route!.template}: status ${r.status} is not declared`);
  if (!spec.content) return;
  const type = (r.headers.get('content-type') ?? '').split(';')[0].trim();
  const media = spec.content[type];
  if (!media) {
    throw new Error(
      `${method} ${route!.template} ${r.status}: content type "${type}" is not declared (${Object.keys(spec.content).join(', ')})`,
    );
  }
  if (type === 'text/csv') return;
  const validate = validatorFor(media.schema);
  if (!validate(r.json)) {
    throw new Error(
      `${method} ${route!.template} ${r.status}: body does not match the OpenAPI schema: ${ajv.errorsText(validate.errors)}`,
    );
  }
}

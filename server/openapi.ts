import pkg from '../package.json' with { type: 'json' };
import { Problem } from './openapi/common.ts';
import {
  checkPaths,
  clusterPaths,
  comparePaths,
  metaPaths,
  referencePaths,
  runListPaths,
  runPaths,
  scenarioPaths,
} from './openapi/paths.ts';
import {
  checkSchemas,
  comparisonSchemas,
  runSchemas,
  savedScenarioSchemas,
  scenarioSchemas,
} from './openapi/schemas.ts';
import { studyPathsAll, studySchemas } from './openapi/studies.ts';

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and describe
 * results (units and labels travel as `x-unit` / `x-label`). Linted in `npm test`
 * (test/server/openapi.test.ts), and every response the API tests receive is checked against it.
 */
export function openApiDocument(opts: { bodyLimitBytes: number }) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'dcplan API',
      version: pkg.version,
      license: { name: 'MIT', identifier: 'MIT' },
      description: `Planning simulator for regional data-center clusters. Errors are application/problem+json (RFC 9457). JSON bodies are limited to ${opts.bodyLimitBytes} bytes (413 beyond); a body of another type is a 415 (a meter file for POST /api/checks may also be text/csv, up to 8 MiB). Only the configured host names are answered (loopback by default, DCPLAN_ALLOWED_HOSTS adds more; others get a 421), cross-site writes are refused (403), and a method a path does not have is a 405 with Allow. When the server has a token (DCPLAN_TOKEN), write requests need "Authorization: Bearer <token>". Units and labels are the schema annotations x-unit and x-label.`,
    },
    servers: [{ url: 'http://127.0.0.1:8080', description: 'the default local server (npm start)' }],
    components: {
      schemas: {
        ...scenarioSchemas(),
        ...runSchemas(),
        ...savedScenarioSchemas(),
        ...comparisonSchemas(),
        ...checkSchemas(),
        ...studySchemas(),
        Problem,
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    paths: {
      ...metaPaths(),
      ...clusterPaths(),
      ...referencePaths(),
      ...scenarioPaths(),
      ...runListPaths(),
      ...runPaths(),
      ...comparePaths(),
      ...checkPaths(),
      ...studyPathsAll(),
    },
  };
}

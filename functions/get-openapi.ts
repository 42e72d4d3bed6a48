import { httpRoute } from '../shared/http/http-route';
import document from '../shared/openapi/openapi.json' with { type: 'json' };

/*
 * The document is data in this bundle: `npm run openapi` generates it from the manifest and the
 * route contracts (shared/openapi/document.ts), so no function carries the generator.
 */

/** `GET /v1/openapi.json` (public): the OpenAPI 3.1 document of every `/v1` route. */
export const handler = httpRoute(async () => ({
  statusCode: 200,
  body: document,
  // The same for every caller and changes only with a deployment.
  headers: { 'cache-control': 'public, max-age=300' },
}));

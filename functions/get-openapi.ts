import { httpRoute, SerializedJson } from '../shared/http/http-route';
import document from '../shared/openapi/openapi.json' with { type: 'json' };

/*
 * The document is data in this bundle: `npm run openapi` generates it from the manifest and the
 * route contracts (shared/openapi/document.ts), so no function carries the generator. It is the
 * same for every request of a deployment, so it is serialized once, at the first request, not per
 * request (it is large: ~2 ms of JSON.stringify each time).
 */
const body = new SerializedJson(document);

/** `GET /v1/openapi.json` (public): the OpenAPI 3.1 document of every `/v1` route. */
export const handler = httpRoute(async () => ({
  statusCode: 200,
  body,
  // The same for every caller and changes only with a deployment.
  headers: { 'cache-control': 'public, max-age=300' },
}));

import { httpRoute } from '../shared/http/http-route';
import { OPENAPI_DOCUMENT_BROTLI_BASE64 } from '../shared/openapi/openapi-document';

/*
 * The document is data in this bundle: `npm run openapi` generates it from the manifest and the
 * route contracts (shared/openapi/document.ts), so no function carries the generator. It ships
 * Brotli-compressed and is unpacked on the first request (zlib loads then, not at init), then served as the
 * same text to every caller.
 */

let documentText: string | undefined;

/** `GET /v1/openapi.json` (public): the OpenAPI 3.1 document of every `/v1` route. */
export const handler = httpRoute(async () => {
  if (documentText === undefined) {
    const { brotliDecompressSync } = await import('node:zlib');
    documentText = brotliDecompressSync(Buffer.from(OPENAPI_DOCUMENT_BROTLI_BASE64, 'base64')).toString(
      'utf8',
    );
  }
  return {
    statusCode: 200,
    json: documentText,
    // The same for every caller and changes only with a deployment.
    headers: { 'cache-control': 'public, max-age=300' },
  };
});

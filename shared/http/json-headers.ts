/**
 * Headers of every JSON response of the API, success or error. A module of its own so that a
 * route without the middleware stack (`GET /v1/health`) answers with exactly the same headers.
 */
export const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

import { httpRoute } from '../shared/http/http-route';

/*
 * Through the same middy stack as every other route (logging, error mapping, headers), with no
 * SDK client and no use case: the answer never varies.
 */

/** `GET /v1/health`: the API answers (the local stack answers only once every part is ready). */
export const handler = httpRoute(async () => ({ statusCode: 200, body: { status: 'ok' } }));

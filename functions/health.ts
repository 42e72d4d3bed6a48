import { httpRoute } from '../shared/http/http-route';

/** `GET /v1/health`: the API answers (the local stack answers only once every part is ready). */
export const handler = httpRoute(async () => ({ statusCode: 200, body: { status: 'ok' } }));

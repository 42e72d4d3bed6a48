import type { APIGatewayProxyResult } from 'aws-lambda';
import { JSON_HEADERS } from '../shared/http/json-headers';

/*
 * No middleware stack, logger or validation: the answer never varies and cannot fail, and the
 * function's floor has no SDK client, so anything loaded here would multiply its cold start (the
 * house stack alone tripled it). Same body and headers as every other JSON route.
 */

const BODY = JSON.stringify({ status: 'ok' });

/** `GET /v1/health`: the API answers (the local stack answers only once every part is ready). */
export const handler = async (): Promise<APIGatewayProxyResult> => ({
  statusCode: 200,
  headers: { ...JSON_HEADERS },
  body: BODY,
});

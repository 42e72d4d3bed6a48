import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { logger } from '../logger';

/**
 * Request metadata on every log line of the invocation (never bodies or headers): the API Gateway
 * request id and the route, as a middy middleware, after Powertools' `injectLambdaContext` (which
 * adds the function's context and clears these keys when the invocation ends). Logs one line per
 * answered request; a refused or failed one is logged by the error handler instead.
 */
export function requestLog(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    before: (request) => {
      const { event } = request;
      logger.appendKeys({
        requestId: event?.requestContext?.requestId,
        route: `${event?.httpMethod} ${event?.resource}`,
      });
    },
    after: (request) => {
      logger.info('request done', { statusCode: request.response?.statusCode });
    },
  };
}

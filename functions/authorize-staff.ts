import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { staffVerifierFromEnv } from '../shared/adapters/jwt-staff-verifier';
import { authorizeStaff } from '../shared/auth/staff-authorizer';
import { logger } from '../shared/logger';
import type { StaffTokenVerifier } from '../shared/ports';

/**
 * API Gateway's TOKEN authorizer of the staff routes where staff sign in at the acquirer's OIDC
 * identity provider (the China profile): the same JWT verifier as the merchant-or-staff handlers
 * and `npm run dev`. A middy handler like every other.
 */
export const makeHandler = (deps: { readonly verifier: StaffTokenVerifier }) =>
  middy<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult, Error, Context>({
    timeoutEarlyInMillis: 0,
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event) => authorizeStaff(deps, event));

export const handler = makeHandler({ verifier: staffVerifierFromEnv() });

import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { logger } from '../logger';
import type { StaffTokenVerifier } from '../ports';
import { bearerToken, looksLikeJwt } from './tokens';

/**
 * What API Gateway answers 401 for: a TOKEN authorizer that throws exactly this message makes API
 * Gateway send its UNAUTHORIZED gateway response (in the spec's error shape, shared/manifest/api.ts).
 */
export const AUTHORIZER_UNAUTHORIZED = 'Unauthorized';

/**
 * `arn:<partition>:execute-api:<region>:<account>:<api>/<stage>/*`: every method of the stage the
 * request came through. The authorizer's answer is cached per token (5 minutes) and reused for the
 * other staff routes, so it must allow them all; each handler still checks the staff group of its
 * own route (shared/http/staff-route.ts). Built from the request's method ARN, so it names the
 * partition and region the API is in, whatever they are.
 */
export function stageWildcardArn(methodArn: string): string {
  const match = /^(arn:[^:]+:execute-api:[^:]+:[^:]+:[^/]+\/[^/]+)\//.exec(methodArn);
  if (!match?.[1]) throw new Error('Not an API Gateway method ARN');
  return `${match[1]}/*`;
}

/**
 * The Lambda TOKEN authorizer of the staff routes where staff sign in at the acquirer's own OIDC
 * identity provider (the China profile): the Bearer JWT is verified by the same verifier as the
 * merchant-or-staff handlers and the local dev stack (shared/adapters/jwt-staff-verifier.ts:
 * pinned algorithms, issuer, audience, expiry, groups claim). A valid token is allowed on the
 * stage, with its subject and groups in the authorizer context (what `staffRoute` reads); anything
 * else is refused with 401, without saying why.
 */
export async function authorizeStaff(
  deps: { readonly verifier: StaffTokenVerifier },
  event: Pick<APIGatewayTokenAuthorizerEvent, 'authorizationToken' | 'methodArn'>,
): Promise<APIGatewayAuthorizerResult> {
  const token = bearerToken({ authorization: event.authorizationToken ?? '' });
  if (!token || !looksLikeJwt(token)) throw new Error(AUTHORIZER_UNAUTHORIZED);
  let identity: Awaited<ReturnType<StaffTokenVerifier['verify']>>;
  try {
    identity = await deps.verifier.verify(token);
  } catch (error) {
    // The reason (expired, wrong issuer, bad signature) is logged for operators, never answered.
    logger.info('staff token refused', {
      errorName: (error as Error).name,
      reason: (error as Error).message,
    });
    throw new Error(AUTHORIZER_UNAUTHORIZED);
  }
  return {
    principalId: identity.sub,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageWildcardArn(event.methodArn) },
      ],
    },
    context: { sub: identity.sub, groups: identity.groups.join(',') },
  };
}

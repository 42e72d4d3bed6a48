import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  authenticateMerchant,
  authenticateMerchantOrStaff,
  type MerchantTokenLookup,
  staffFromAuthorizer,
} from '../../../shared/auth/principals';
import { sha256Hex } from '../../../shared/auth/tokens';
import { AppError } from '../../../shared/errors';
import type { StaffTokenVerifier } from '../../../shared/ports';

/*
 * 401s say what to do about the credential: a missing header, a header that is not
 * `Bearer <token>`, and a refused token read differently. A refused token never says why (unknown
 * application, wrong secret, rotated, revoked: one message), so nothing can be probed. 403s name
 * the staff group a route needs.
 */

const APPLICATION_ID = '01JD8X4ZQ3M6T0V7W9Y2B5C8EF';
const TOKEN = `${APPLICATION_ID}.${'a'.repeat(43)}`;
const lookup: MerchantTokenLookup = {
  tokenHashOf: async (id) => (id === APPLICATION_ID ? { tokenHash: sha256Hex(TOKEN) } : undefined),
};

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('accepted');
}

function refusalOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('accepted');
}

describe('401 messages', () => {
  it('a missing header asks for "Authorization: Bearer <token>"', async () => {
    const error = await refusal(authenticateMerchant({}, lookup));
    expect(error).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    expect(error.message).toMatch(
      /^Authentication required: send the header "Authorization: Bearer <token>"/,
    );
  });

  it('a header without Bearer, or a token of no known shape, is malformed', async () => {
    for (const authorization of [TOKEN, `Basic ${TOKEN}`, 'Bearer', 'Bearer not-a-token']) {
      const error = await refusal(authenticateMerchant({ authorization }, lookup));
      expect(error.statusCode).toBe(401);
      expect(error.message).toMatch(/must be "Bearer <token>"/);
    }
  });

  it('a well-formed token that is not accepted reads the same whatever the reason', async () => {
    const wrongSecret = await refusal(
      authenticateMerchant({ authorization: `Bearer ${APPLICATION_ID}.${'b'.repeat(43)}` }, lookup),
    );
    const unknown = await refusal(
      authenticateMerchant({ authorization: `Bearer 01JD8X4ZQ3M6T0V7W9Y2B5C8EG.${'a'.repeat(43)}` }, lookup),
    );
    expect(wrongSecret.message).toMatch(/rotated or revoked/);
    expect(wrongSecret.message).toMatch(/operator can reissue/);
    expect(unknown.message).toBe(wrongSecret.message);
  });

  it('the accepted token passes', async () => {
    await expect(authenticateMerchant({ authorization: `Bearer ${TOKEN}` }, lookup)).resolves.toMatchObject({
      kind: 'merchant',
      applicationId: APPLICATION_ID,
    });
  });

  it('a staff JWT that fails verification says so; a JWT of the wrong group names the groups needed', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcC0xIn0.c2ln';
    const refusing: StaffTokenVerifier = {
      verify: async () => {
        throw new Error('expired');
      },
    };
    const expired = await refusal(
      authenticateMerchantOrStaff({ authorization: `Bearer ${jwt}` }, { lookup, staffVerifier: refusing }, [
        'reviewer',
      ]),
    );
    expect(expired).toMatchObject({ statusCode: 401 });
    expect(expired.message).toMatch(/staff token is not accepted/);

    const operator: StaffTokenVerifier = { verify: async () => ({ sub: 'op-1', groups: ['operator'] }) };
    const forbidden = await refusal(
      authenticateMerchantOrStaff({ authorization: `Bearer ${jwt}` }, { lookup, staffVerifier: operator }, [
        'reviewer',
      ]),
    );
    expect(forbidden).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect(forbidden.message).toBe("This needs the staff group reviewer; the token's groups: operator");
  });
});

describe('403 messages on staff routes', () => {
  const event = (claims: Record<string, string> | undefined) =>
    ({ requestContext: { authorizer: claims ? { claims } : undefined } }) as unknown as APIGatewayProxyEvent;

  it('name every group the route allows and the groups the token has', () => {
    const error = refusalOf(() =>
      staffFromAuthorizer(event({ sub: 'rev-1', 'cognito:groups': 'reviewer' }), ['operator']),
    );
    expect(error).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect(error.message).toBe("This needs the staff group operator; the token's groups: reviewer");
    const none = refusalOf(() => staffFromAuthorizer(event({ sub: 'x' }), ['reviewer', 'operator']));
    expect(none.message).toBe(
      "This needs one of the staff groups reviewer, operator; the token's groups: none",
    );
  });

  it('no claims at all is a missing credential', () => {
    const error = refusalOf(() => staffFromAuthorizer(event(undefined), ['operator']));
    expect(error.statusCode).toBe(401);
    expect(error.message).toMatch(/^Authentication required/);
  });
});

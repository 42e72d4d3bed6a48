import { createRemoteJWKSet, jwtVerify } from 'jose';
import { groupsFromClaim } from '../auth/principals';
import type { StaffIdentity, StaffTokenVerifier } from '../ports';

/**
 * Verifies Cognito ID tokens (RS256, issuer, audience, expiry, `token_use`) against the user
 * pool's JWKS — in AWS the Cognito pool, locally the dev server's key.
 */
export class JwtStaffVerifier implements StaffTokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    jwksUri: string,
    private readonly issuer: string,
    private readonly audience: string,
  ) {
    this.jwks = createRemoteJWKSet(new URL(jwksUri));
  }

  async verify(token: string): Promise<StaffIdentity> {
    const { payload } = await jwtVerify(token, this.jwks, {
      issuer: this.issuer,
      audience: this.audience,
      algorithms: ['RS256'],
    });
    if (payload.token_use !== 'id' || typeof payload.sub !== 'string') throw new Error('not an ID token');
    return { sub: payload.sub, groups: groupsFromClaim(payload['cognito:groups']) };
  }
}

/** The verifier for this deployment's user pool. */
export function staffVerifierFromEnv(): JwtStaffVerifier {
  const { STAFF_JWKS_URI, STAFF_JWT_ISSUER, STAFF_JWT_AUDIENCE } = process.env;
  if (!STAFF_JWKS_URI || !STAFF_JWT_ISSUER || !STAFF_JWT_AUDIENCE) throw new Error('STAFF_JWT_* is not set');
  return new JwtStaffVerifier(STAFF_JWKS_URI, STAFF_JWT_ISSUER, STAFF_JWT_AUDIENCE);
}

import { groupsFromClaim } from '../auth/principals';
import { DEFAULT_STAFF_TOKEN_MAX_AGE_SECONDS, readStaffJwtConfig } from '../config/env';
import type { StaffIdentity, StaffTokenVerifier } from '../ports';

/**
 * Verifies Cognito ID tokens (RS256, issuer, audience, expiry, `token_use`) against the user
 * pool's JWKS — in AWS the Cognito pool, locally the dev server's key — and refuses any token
 * issued (`iat`) more than `maxTokenAgeSeconds` ago, whatever its `exp` says: a revoked staff
 * member (disabled, signed out everywhere, removed from a group) can refresh no more, so the
 * last token they hold stops working within that age (5 minutes, the pool's token lifetime).
 *
 * jose is imported on the first JWT, not at module load: the merchant-or-staff routes mostly see
 * merchant tokens, which never need it, and loading it costs ~7 ms of every cold start. Deployed,
 * jose is shipped next to the bundle rather than inside it (`lazyModules` of the function's
 * manifest entry), so the cold start does not even parse it. The key set (and its cache of
 * fetched keys) is then kept for the life of the process.
 */
export class JwtStaffVerifier implements StaffTokenVerifier {
  private verifier: Promise<(token: string) => Promise<Record<string, unknown>>> | undefined;
  private readonly jwksUrl: URL;

  constructor(
    jwksUri: string,
    private readonly issuer: string,
    private readonly audience: string,
    private readonly maxTokenAgeSeconds: number = DEFAULT_STAFF_TOKEN_MAX_AGE_SECONDS,
  ) {
    // Parsed now, so a malformed URI still fails the cold start rather than the first staff call.
    this.jwksUrl = new URL(jwksUri);
  }

  private load(): Promise<(token: string) => Promise<Record<string, unknown>>> {
    this.verifier ??= import('jose').then(({ createRemoteJWKSet: remote, jwtVerify }) => {
      const jwks = remote(this.jwksUrl);
      return async (token: string) =>
        (
          await jwtVerify(token, jwks, {
            issuer: this.issuer,
            audience: this.audience,
            algorithms: ['RS256'],
            // Needs `iat` (Cognito always sets it): no age, no access.
            maxTokenAge: this.maxTokenAgeSeconds,
          })
        ).payload;
    });
    // A failed import is not kept: the next JWT tries again.
    this.verifier.catch(() => {
      this.verifier = undefined;
    });
    return this.verifier;
  }

  async verify(token: string): Promise<StaffIdentity> {
    const payload = await (await this.load())(token);
    if (payload.token_use !== 'id' || typeof payload.sub !== 'string') throw new Error('not an ID token');
    return { sub: payload.sub, groups: groupsFromClaim(payload['cognito:groups']) };
  }
}

/** The verifier for this deployment's user pool. */
export function staffVerifierFromEnv(): JwtStaffVerifier {
  const { jwksUri, issuer, audience, maxTokenAgeSeconds } = readStaffJwtConfig();
  return new JwtStaffVerifier(jwksUri, issuer, audience, maxTokenAgeSeconds);
}

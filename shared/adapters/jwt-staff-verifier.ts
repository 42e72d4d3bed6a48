import { groupsFromClaim } from '../auth/principals';
import {
  DEFAULT_STAFF_TOKEN_MAX_AGE_SECONDS,
  readStaffJwtConfig,
  type StaffJwtAlgorithm,
} from '../config/env';
import type { StaffIdentity, StaffTokenVerifier } from '../ports';

/** How a staff JWT is checked beyond its signature, issuer, audience and expiry. */
export interface StaffJwtRules {
  /** Pinned signature algorithms (never `none` or HMAC). @default ['RS256'] */
  readonly algorithms?: readonly StaffJwtAlgorithm[];
  /** The claim holding the staff member's groups. @default 'cognito:groups' */
  readonly groupsClaim?: string;
  /** The `token_use` required (Cognito ID tokens: `id`); empty for an IdP that sets none. @default 'id' */
  readonly tokenUse?: string;
  /**
   * The oldest token (by `iat`) accepted, whatever its `exp` says; a token without `iat` is
   * refused. @default DEFAULT_STAFF_TOKEN_MAX_AGE_SECONDS (300)
   */
  readonly maxTokenAgeSeconds?: number;
}

/**
 * Verifies staff JWTs against an identity provider's JWKS: the signature with a pinned algorithm
 * (RS256 and/or ES256), the issuer, the audience and the expiry (jose), then `token_use` where the
 * IdP sets one, a subject, and the groups from the configured claim. The same code checks Cognito
 * ID tokens (the global profile, and the local dev server's tokens) and the tokens of an acquirer's
 * OIDC identity provider (the China profile's Lambda authorizer and merchant-or-staff handlers).
 *
 * It refuses any token issued (`iat`) more than `maxTokenAgeSeconds` ago, whatever its `exp` says:
 * a revoked staff member (disabled, signed out everywhere, removed from a group) can refresh no
 * more, so the last token they hold stops working within that age (5 minutes, the user pool's
 * token lifetime; the acquirer's IdP must let its clients refresh within it).
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
  private readonly algorithms: readonly StaffJwtAlgorithm[];
  private readonly groupsClaim: string;
  private readonly tokenUse: string;
  private readonly maxTokenAgeSeconds: number;

  constructor(
    jwksUri: string,
    private readonly issuer: string,
    private readonly audience: string,
    rules: StaffJwtRules = {},
  ) {
    // Parsed now, so a malformed URI still fails the cold start rather than the first staff call.
    this.jwksUrl = new URL(jwksUri);
    this.algorithms = rules.algorithms ?? ['RS256'];
    if (this.algorithms.length === 0) throw new Error('At least one staff JWT algorithm is required');
    this.groupsClaim = rules.groupsClaim ?? 'cognito:groups';
    this.tokenUse = rules.tokenUse ?? 'id';
    this.maxTokenAgeSeconds = rules.maxTokenAgeSeconds ?? DEFAULT_STAFF_TOKEN_MAX_AGE_SECONDS;
  }

  private load(): Promise<(token: string) => Promise<Record<string, unknown>>> {
    this.verifier ??= import('jose').then(({ createRemoteJWKSet: remote, jwtVerify }) => {
      const jwks = remote(this.jwksUrl);
      return async (token: string) =>
        (
          await jwtVerify(token, jwks, {
            issuer: this.issuer,
            audience: this.audience,
            algorithms: [...this.algorithms],
            // Needs `iat` (Cognito always sets it; an IdP's must): no age, no access.
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
    if (this.tokenUse !== '' && payload.token_use !== this.tokenUse)
      throw new Error(`not a token of use ${this.tokenUse}`);
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('no subject');
    return { sub: payload.sub, groups: groupsFromClaim(payload[this.groupsClaim]) };
  }
}

/** The verifier for this deployment's staff identity provider. */
export function staffVerifierFromEnv(): JwtStaffVerifier {
  const { jwksUri, issuer, audience, ...rules } = readStaffJwtConfig();
  return new JwtStaffVerifier(jwksUri, issuer, audience, rules);
}

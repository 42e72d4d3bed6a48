import type { APIGatewayProxyEvent } from 'aws-lambda';
import { forbidden, unauthenticated } from '../errors';
import type { StaffIdentity, StaffTokenVerifier } from '../ports';
import { bearerToken, digestsEqual, looksLikeJwt, parseMerchantToken, sha256Hex } from './tokens';

/** A merchant authenticated by its access token. */
export interface MerchantPrincipal {
  readonly kind: 'merchant';
  readonly applicationId: string;
  /** Set once the application was approved. */
  readonly merchantNo: string | undefined;
}

/** A staff member authenticated by a Cognito JWT. */
export interface StaffPrincipal extends StaffIdentity {
  readonly kind: 'staff';
}

/** Reads what a merchant token needs to be checked: the stored hash and the merchant number. */
export interface MerchantTokenLookup {
  tokenHashOf(applicationId: string): Promise<{ tokenHash: string; merchantNo?: string } | undefined>;
}

/**
 * Authenticates a merchant Bearer token: ≥ 256 random-looking bits bound to one application,
 * stored only as SHA-256 and compared in constant time. Every failure is the same 401.
 */
export async function authenticateMerchant(
  headers: Readonly<Record<string, string>>,
  lookup: MerchantTokenLookup,
): Promise<MerchantPrincipal> {
  const token = bearerToken(headers);
  const parsed = token ? parseMerchantToken(token) : undefined;
  if (!token || !parsed) throw unauthenticated();
  const stored = await lookup.tokenHashOf(parsed.applicationId);
  if (!stored || !digestsEqual(sha256Hex(token), stored.tokenHash)) throw unauthenticated();
  return { kind: 'merchant', applicationId: parsed.applicationId, merchantNo: stored.merchantNo };
}

/**
 * Groups from the claims API Gateway's Cognito authorizer passes on. REST APIs render the
 * `cognito:groups` array as a string — `"reviewer"`, `"reviewer,operator"` or `"[reviewer operator]"`
 * depending on the path taken — so every form is accepted.
 */
export function groupsFromClaim(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((group) => group.length > 0);
}

/**
 * The staff member on a route behind the Cognito authorizer (AWS) or the local server's
 * equivalent: both put the verified claims in `requestContext.authorizer.claims`.
 */
export function staffFromAuthorizer(event: APIGatewayProxyEvent, allowed: readonly string[]): StaffPrincipal {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') throw unauthenticated();
  const groups = groupsFromClaim(claims?.['cognito:groups']);
  if (!groups.some((group) => allowed.includes(group))) throw forbidden();
  return { kind: 'staff', sub, groups };
}

/**
 * For routes open to merchants and staff (no authorizer at the edge): a JWT is verified here,
 * anything else is treated as a merchant token.
 */
export async function authenticateMerchantOrStaff(
  headers: Readonly<Record<string, string>>,
  deps: { lookup: MerchantTokenLookup; staffVerifier: StaffTokenVerifier },
  allowedStaffGroups: readonly string[],
): Promise<MerchantPrincipal | StaffPrincipal> {
  const token = bearerToken(headers);
  if (token && looksLikeJwt(token)) {
    const identity = await deps.staffVerifier.verify(token).catch(() => {
      throw unauthenticated();
    });
    if (!identity.groups.some((group) => allowedStaffGroups.includes(group))) throw forbidden();
    return { kind: 'staff', ...identity };
  }
  return authenticateMerchant(headers, deps.lookup);
}

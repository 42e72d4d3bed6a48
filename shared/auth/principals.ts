import type { APIGatewayProxyEvent } from 'aws-lambda';
import { staffGroupRequired, unauthenticated } from '../errors';
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
 * The Bearer token of the `Authorization` header; a 401 that says what is wrong with the header
 * when there is none (`missing`) or it is not `Bearer <token>` (`malformed`).
 */
export function requireBearer(headers: Readonly<Record<string, string>>): string {
  if (!headers.authorization?.trim()) throw unauthenticated('missing');
  const token = bearerToken(headers);
  if (!token) throw unauthenticated('malformed');
  return token;
}

/**
 * A merchant access token of the `Authorization` header, split into its application id and
 * secret; a 401 `missing` or `malformed` when there is none of that shape.
 */
export function requireMerchantToken(headers: Readonly<Record<string, string>>): {
  token: string;
  parsed: { applicationId: string; secret: string };
} {
  const token = requireBearer(headers);
  const parsed = parseMerchantToken(token);
  if (!parsed) throw unauthenticated('malformed');
  return { token, parsed };
}

/**
 * Authenticates a merchant Bearer token: ≥ 256 random-looking bits bound to one application,
 * stored only as SHA-256 and compared in constant time. A missing or malformed header says so;
 * every refused token is the same 401, whatever the reason.
 */
export async function authenticateMerchant(
  headers: Readonly<Record<string, string>>,
  lookup: MerchantTokenLookup,
): Promise<MerchantPrincipal> {
  const { token, parsed } = requireMerchantToken(headers);
  const stored = await lookup.tokenHashOf(parsed.applicationId);
  if (!stored || !digestsEqual(sha256Hex(token), stored.tokenHash)) throw unauthenticated('rejected');
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
 * What the authorizer in front of a staff route verified: the Cognito authorizer (AWS) and the
 * local server's equivalent put the token's claims in `requestContext.authorizer.claims`; the
 * Lambda authorizer of an OIDC identity provider (the China profile) puts `sub` and the
 * comma-separated `groups` in the authorizer context itself (shared/auth/staff-authorizer.ts).
 */
function verifiedStaffClaims(event: APIGatewayProxyEvent): { sub: unknown; groups: unknown } {
  const authorizer = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const claims = authorizer?.claims as Record<string, unknown> | undefined;
  if (claims) return { sub: claims.sub, groups: claims['cognito:groups'] };
  return { sub: authorizer?.sub, groups: authorizer?.groups };
}

/** The staff member on a route behind the staff authorizer, if in one of the `allowed` groups. */
export function staffFromAuthorizer(event: APIGatewayProxyEvent, allowed: readonly string[]): StaffPrincipal {
  const claims = verifiedStaffClaims(event);
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub === '') throw unauthenticated('missing');
  const groups = groupsFromClaim(claims.groups);
  if (!groups.some((group) => allowed.includes(group))) throw staffGroupRequired(allowed, groups);
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
  const token = requireBearer(headers);
  if (looksLikeJwt(token)) {
    const identity = await deps.staffVerifier.verify(token).catch(() => {
      throw unauthenticated('staff-rejected');
    });
    if (!identity.groups.some((group) => allowedStaffGroups.includes(group)))
      throw staffGroupRequired(allowedStaffGroups, identity.groups);
    return { kind: 'staff', ...identity };
  }
  return authenticateMerchant(headers, deps.lookup);
}

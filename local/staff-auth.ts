import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { readJsonFile, writeJsonAtomic } from './files';

/** What `POST /_local/tokens` accepts. */
export interface StaffTokenRequest {
  readonly sub: string;
  readonly groups: readonly string[];
  readonly username?: string;
  readonly email?: string;
  /** Lifetime; default 3600 (Cognito's default ID token validity). */
  readonly expiresInSeconds?: number;
}

const ALGORITHM = 'RS256';
type SigningKey = Awaited<ReturnType<typeof importJWK>>;
const PUBLIC_MEMBERS = ['kty', 'n', 'e'] as const;

/**
 * The local stand-in for the Cognito user pool: one RSA key pair (generated once, kept in the state
 * directory so tokens survive restarts), ID tokens with Cognito's claims, the public JWKS, and the
 * verification API Gateway's Cognito authorizer performs.
 */
export class LocalStaffAuth {
  private readonly keySet: ReturnType<typeof createLocalJWKSet>;

  private constructor(
    private readonly privateKey: SigningKey,
    private readonly publicJwk: JWK,
    readonly issuer: string,
    readonly audience: string,
  ) {
    this.keySet = createLocalJWKSet({ keys: [publicJwk] });
  }

  /** Loads the key pair from `<stateDir>/staff-jwt-key.json`, generating it on first use. */
  static async create(options: {
    stateDir: string;
    issuer: string;
    audience: string;
  }): Promise<LocalStaffAuth> {
    const file = join(options.stateDir, 'staff-jwt-key.json');
    let privateJwk = readJsonFile(file) as JWK | undefined;
    if (privateJwk?.kty !== 'RSA' || typeof privateJwk.d !== 'string') {
      const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true, modulusLength: 2048 });
      privateJwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: ALGORITHM, use: 'sig' };
      writeJsonAtomic(file, privateJwk, 0o600);
    }
    const publicJwk: JWK = { kid: privateJwk.kid, alg: ALGORITHM, use: 'sig' };
    for (const member of PUBLIC_MEMBERS) publicJwk[member] = privateJwk[member];
    const privateKey = await importJWK(privateJwk, ALGORITHM);
    return new LocalStaffAuth(privateKey, publicJwk, options.issuer, options.audience);
  }

  /** The public key set served at `/_local/jwks.json` (what `STAFF_JWKS_URI` points to). */
  jwks(): JSONWebKeySet {
    return { keys: [this.publicJwk] };
  }

  /** Signs an ID token shaped like Cognito's (`cognito:groups` is an array in the JWT). */
  async issue(request: StaffTokenRequest): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const lifetime = request.expiresInSeconds ?? 3600;
    return new SignJWT({
      'cognito:groups': [...request.groups],
      'cognito:username': request.username ?? request.sub,
      ...(request.email === undefined ? {} : { email: request.email, email_verified: true }),
      token_use: 'id',
      auth_time: now,
      event_id: randomUUID(),
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.publicJwk.kid, typ: 'JWT' })
      .setSubject(request.sub)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  /**
   * Verifies a token as API Gateway's Cognito authorizer does (signature with the pool's key, RS256
   * only, issuer, audience, expiry); returns its claims, or `undefined` when it must be refused.
   */
  async verify(token: string): Promise<JWTPayload | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
        audience: this.audience,
      });
      return payload;
    } catch {
      return undefined;
    }
  }
}

/**
 * Renders verified claims the way a REST API's Cognito authorizer puts them in
 * `requestContext.authorizer.claims`: every value is a string; arrays (`cognito:groups`) are joined
 * with commas (`"reviewer,operator"`, a single group is just `"reviewer"`); `exp` and `iat` use
 * Java's `Date.toString()` format (`"Tue Apr 04 18:39:39 UTC 2023"`); other numbers and booleans are
 * plain strings (`auth_time: "1680629979"`, `email_verified: "true"`).
 */
export function renderClaimsLikeApiGateway(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if ((key === 'exp' || key === 'iat') && typeof value === 'number') claims[key] = javaDateString(value);
    else if (Array.isArray(value)) claims[key] = value.map((item) => String(item)).join(',');
    else if (typeof value === 'object') claims[key] = JSON.stringify(value);
    else claims[key] = String(value);
  }
  return claims;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function javaDateString(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JwtStaffVerifier } from '../../../shared/adapters/jwt-staff-verifier';
import { staffFromAuthorizer } from '../../../shared/auth/principals';
import { AUTHORIZER_UNAUTHORIZED, stageWildcardArn } from '../../../shared/auth/staff-authorizer';

/*
 * The China profile's staff authorizer: the acquirer's OIDC identity provider signs staff tokens
 * (RS256 or ES256), its keys are served as a JWKS on 127.0.0.1, and the Lambda authorizer checks
 * them with the same verifier as `npm run dev` and the merchant-or-staff handlers: pinned
 * algorithms, issuer, audience, expiry, the configured groups claim. MFA is the IdP's business.
 */

const ISSUER = 'https://idp.acquirer.example.cn/realms/staff';
const AUDIENCE = 'merchant-onboarding';
const METHOD_ARN = 'arn:aws-cn:execute-api:cn-northwest-1:123456789012:abcdef1234/prod/GET/v1/reviews';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let server: Server;
let jwksUri: string;
let rsa: Key;
let ec: Key;
let foreign: Key;
let jwksRequests = 0;
let makeHandler: typeof import('../../../functions/authorize-staff').makeHandler;

beforeAll(async () => {
  const rsaPair = await generateKeyPair('RS256', { extractable: true });
  const ecPair = await generateKeyPair('ES256', { extractable: true });
  rsa = rsaPair.privateKey;
  ec = ecPair.privateKey;
  foreign = (await generateKeyPair('RS256')).privateKey;
  const keys: JWK[] = [
    { ...(await exportJWK(rsaPair.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ecPair.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  server = createServer((_req, res) => {
    jwksRequests += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/protocol/openid-connect/certs`;
  // The function builds its verifier from configuration when it loads, as at a cold start.
  vi.stubEnv('STAFF_JWKS_URI', jwksUri);
  vi.stubEnv('STAFF_JWT_ISSUER', ISSUER);
  vi.stubEnv('STAFF_JWT_AUDIENCE', AUDIENCE);
  vi.stubEnv('STAFF_JWT_ALGORITHMS', 'RS256,ES256');
  vi.stubEnv('STAFF_GROUPS_CLAIM', 'groups');
  vi.stubEnv('STAFF_TOKEN_USE', '');
  const loaded = await import('../../../functions/authorize-staff');
  makeHandler = loaded.makeHandler;
  // The deployed handler, configured like the China profile's: a valid IdP token passes.
  const deployed = await loaded.handler(
    { type: 'TOKEN', authorizationToken: `Bearer ${await token({})}`, methodArn: METHOD_ARN },
    {} as never,
  );
  expect(deployed.principalId).toBe('staff-7');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function token(
  claims: Record<string, unknown>,
  options: {
    alg?: 'RS256' | 'ES256';
    kid?: string;
    key?: Key;
    expiresIn?: string;
    issuer?: string;
    audience?: string;
  } = {},
) {
  const alg = options.alg ?? 'RS256';
  return new SignJWT({ groups: ['reviewer'], ...claims })
    .setProtectedHeader({ alg, kid: options.kid ?? (alg === 'RS256' ? 'rsa-1' : 'ec-1') })
    .setSubject('staff-7')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '15m')
    .sign(options.key ?? (alg === 'RS256' ? rsa : ec));
}

const oidcVerifier = (algorithms: ('RS256' | 'ES256')[] = ['RS256', 'ES256']) =>
  new JwtStaffVerifier(jwksUri, ISSUER, AUDIENCE, { algorithms, groupsClaim: 'groups', tokenUse: '' });

const authorize = (authorizationToken: string, verifier = oidcVerifier()) =>
  makeHandler({ verifier })({ type: 'TOKEN', authorizationToken, methodArn: METHOD_ARN }, {} as never);

describe('staff authorizer (OIDC identity provider)', () => {
  it('allows a valid RS256 or ES256 token on the whole stage, with its subject and groups in the context', async () => {
    for (const alg of ['RS256', 'ES256'] as const) {
      const result = await authorize(`Bearer ${await token({ groups: ['reviewer', 'operator'] }, { alg })}`);
      expect(result).toEqual({
        principalId: 'staff-7',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Action: 'execute-api:Invoke',
              Effect: 'Allow',
              Resource: 'arn:aws-cn:execute-api:cn-northwest-1:123456789012:abcdef1234/prod/*',
            },
          ],
        },
        context: { sub: 'staff-7', groups: 'reviewer,operator' },
      });
    }
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it('hands the staff route the subject and groups it verified (what staffRoute reads)', async () => {
    const result = await authorize(`Bearer ${await token({ groups: ['operator'] })}`);
    const event = { requestContext: { authorizer: { principalId: result.principalId, ...result.context } } };
    expect(staffFromAuthorizer(event as unknown as APIGatewayProxyEvent, ['operator'])).toEqual({
      kind: 'staff',
      sub: 'staff-7',
      groups: ['operator'],
    });
    expect(() => staffFromAuthorizer(event as unknown as APIGatewayProxyEvent, ['reviewer'])).toThrow();
  });

  it('refuses, with 401 and no reason, every token that is not a valid one of the IdP', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'staff-7', iss: ISSUER, aud: AUDIENCE, exp: now + 600, groups: ['reviewer'] }),
    ).toString('base64url')}.`;
    const hmacKey = new TextEncoder().encode('a-shared-secret-that-is-long-enough-for-hs256');
    const hs256 = await new SignJWT({ groups: ['reviewer'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .setSubject('staff-7')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('15m')
      .sign(hmacKey);
    // Older than the 5-minute token age (staff revocation within 5 minutes), however long its expiry.
    const stale = await new SignJWT({ groups: ['reviewer'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setSubject('staff-7')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now - 6 * 60)
      .setExpirationTime(now + 3600)
      .sign(rsa);
    const ageless = await new SignJWT({ groups: ['reviewer'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setSubject('staff-7')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('15m')
      .sign(rsa);
    const forged = [
      ['missing', ''],
      ['issued more than 5 minutes ago', `Bearer ${stale}`],
      ['no issue time', `Bearer ${ageless}`],
      ['not bearer', `Basic ${Buffer.from('a:b').toString('base64')}`],
      ['merchant token', 'Bearer 01JD8X4ZQ3M6T0V7W9Y2B5C8EF.secretsecretsecretsecretsecretsecretsecret1234'],
      ['alg none', `Bearer ${unsigned}`],
      ['HS256', `Bearer ${hs256}`],
      ['foreign key under the IdP kid', `Bearer ${await token({}, { key: foreign })}`],
      ['expired', `Bearer ${await token({}, { expiresIn: '-1m' })}`],
      ['wrong issuer', `Bearer ${await token({}, { issuer: 'https://evil.example.com' })}`],
      ['wrong audience', `Bearer ${await token({}, { audience: 'another-app' })}`],
      [
        'no subject',
        `Bearer ${await new SignJWT({ groups: ['reviewer'] }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('15m').sign(rsa)}`,
      ],
    ] as const;
    for (const [kind, header] of forged) {
      await expect(authorize(header), kind).rejects.toThrow(new Error(AUTHORIZER_UNAUTHORIZED));
    }
  });

  it('pins the algorithms: an ES256 token is refused where only RS256 is allowed', async () => {
    const es256 = `Bearer ${await token({}, { alg: 'ES256' })}`;
    await expect(authorize(es256, oidcVerifier(['RS256']))).rejects.toThrow(AUTHORIZER_UNAUTHORIZED);
    await expect(authorize(es256, oidcVerifier(['ES256']))).resolves.toMatchObject({
      principalId: 'staff-7',
    });
  });

  it('reads the groups from the configured claim only', async () => {
    const cognitoStyle = `Bearer ${await token({ groups: undefined, 'cognito:groups': ['reviewer'] })}`;
    const result = await authorize(cognitoStyle);
    expect(result.context).toEqual({ sub: 'staff-7', groups: '' });
  });

  it('builds the stage-wide resource from the method ARN of any partition', () => {
    expect(
      stageWildcardArn('arn:aws:execute-api:ap-southeast-1:1:api/v1stage/POST/v1/terminals/{sn}/bind'),
    ).toBe('arn:aws:execute-api:ap-southeast-1:1:api/v1stage/*');
    expect(() => stageWildcardArn('arn:aws-cn:s3:::bucket')).toThrow();
  });
});

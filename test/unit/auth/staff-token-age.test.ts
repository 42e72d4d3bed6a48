import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtStaffVerifier } from '../../../shared/adapters/jwt-staff-verifier';
import { DEFAULT_STAFF_TOKEN_MAX_AGE_SECONDS } from '../../../shared/config/env';

/*
 * Staff revocation within 5 minutes on the routes that verify staff JWTs themselves: a token
 * issued more than 5 minutes ago is refused even while its `exp` says it is valid (a pool
 * misconfigured with longer tokens, or a token kept after its holder was disabled), and a token
 * without `iat` is refused. The JWKS is served on 127.0.0.1.
 */

const ISSUER = 'https://cognito-idp.local/pool';
const AUDIENCE = 'staff-client';
let server: Server;
let jwksUri: string;
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey as CryptoKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function idToken(issuedSecondsAgo: number | undefined, lifetimeSeconds = 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ token_use: 'id', 'cognito:groups': ['reviewer'] })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('rev-1')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime(now + lifetimeSeconds);
  if (issuedSecondsAgo !== undefined) jwt.setIssuedAt(now - issuedSecondsAgo);
  return jwt.sign(privateKey);
}

describe('staff token age', () => {
  it('accepts a fresh token and refuses one issued more than 5 minutes ago, whatever its expiry', async () => {
    expect(DEFAULT_STAFF_TOKEN_MAX_AGE_SECONDS).toBe(300);
    const verifier = new JwtStaffVerifier(jwksUri, ISSUER, AUDIENCE);
    await expect(verifier.verify(await idToken(10))).resolves.toEqual({ sub: 'rev-1', groups: ['reviewer'] });
    await expect(verifier.verify(await idToken(290))).resolves.toMatchObject({ sub: 'rev-1' });
    await expect(verifier.verify(await idToken(310))).rejects.toThrow();
    await expect(verifier.verify(await idToken(3000, 7200))).rejects.toThrow();
    await expect(verifier.verify(await idToken(undefined))).rejects.toThrow();
  });

  it('takes the age limit from configuration (the local stack’s 1-hour tokens)', async () => {
    const verifier = new JwtStaffVerifier(jwksUri, ISSUER, AUDIENCE, 3600);
    await expect(verifier.verify(await idToken(1800))).resolves.toMatchObject({ sub: 'rev-1' });
  });
});

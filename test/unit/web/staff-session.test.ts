import { describe, expect, it } from 'vitest';
import { sessionFromToken, sessionFromTokens } from '../../../web/console/src/staff-session';

/** An unsigned JWT with these claims (the console reads claims, the API verifies signatures). */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.signature`;
}

describe('the console’s staff session', () => {
  it('takes groups, name and expiry from a Cognito ID token, and keeps the refresh token', () => {
    const token = jwt({
      sub: '7d1c0e2a-0000-4000-8000-000000000001',
      'cognito:username': 'wang.fang',
      'cognito:groups': ['reviewer', 'operator'],
      exp: 1_900_000_000,
    });
    expect(sessionFromTokens({ idToken: token, refreshToken: 'r' }, 'cognito:groups')).toEqual({
      token,
      sub: '7d1c0e2a-0000-4000-8000-000000000001',
      name: 'wang.fang',
      groups: ['reviewer', 'operator'],
      expiresAt: 1_900_000_000,
      refreshToken: 'r',
    });
  });

  it('reads the groups from the claim an OIDC provider uses, as a list or a space-separated string', () => {
    const fromList = jwt({ sub: 's', email: 'li@acquirer.example', groups: ['operator', 7], exp: 1 });
    expect(sessionFromTokens({ idToken: fromList }, 'groups')).toMatchObject({
      name: 'li@acquirer.example',
      groups: ['operator'],
    });
    const fromString = jwt({ sub: 's', roles: 'reviewer operator', exp: 1 });
    expect(sessionFromTokens({ idToken: fromString }, 'roles').groups).toEqual(['reviewer', 'operator']);
    // A token without the claim gives no group: the console shows nothing the API would refuse.
    expect(sessionFromTokens({ idToken: fromString }, 'cognito:groups').groups).toEqual([]);
    expect(sessionFromTokens({ idToken: 'not-a-jwt' }, 'groups')).toMatchObject({ sub: '', groups: [] });
  });

  it('keeps the local form’s sessions as they were: the role chosen, the name typed', () => {
    const token = jwt({ sub: 'li.lei', exp: 1_900_000_000 });
    expect(sessionFromToken(token, 'fallback', ['reviewer'])).toEqual({
      token,
      sub: 'li.lei',
      groups: ['reviewer'],
      expiresAt: 1_900_000_000,
    });
  });
});

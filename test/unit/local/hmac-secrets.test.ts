import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HMAC_SECRET_FILES, localHmacSecrets } from '../../../local/hmac-secrets';
import { LocalKeyedHasher } from '../../../shared/adapters/keyed-hasher';
import { HMAC_KEYS } from '../../../shared/config/env';

const stateDir = () => mkdtempSync(join(tmpdir(), 'hmac-secrets-'));

describe('local HMAC secrets, one per purpose', () => {
  it('gives a new state dir a separate secret for every purpose, stable across restarts', () => {
    const dir = stateDir();
    const first = localHmacSecrets(dir);
    expect(new Set(Object.values(first.secrets)).size).toBe(HMAC_KEYS.length);
    expect(first.sharedWithIdentity).toEqual([]);
    expect(localHmacSecrets(dir).secrets).toEqual(first.secrets);
    for (const key of HMAC_KEYS)
      expect(readFileSync(join(dir, HMAC_SECRET_FILES[key]), 'utf8').trim()).toBe(first.secrets[key]);
  });

  it('keeps the hashes an older state dir stored under its one secret comparable', async () => {
    const dir = stateDir();
    // A state dir of the single-key days: its activation codes and suppression entries were
    // hashed with the one secret, the purpose in the message.
    writeFileSync(join(dir, 'pii-hmac-secret'), 'the-one-old-secret\n');
    const before = new LocalKeyedHasher('the-one-old-secret');
    const stored = {
      marker: await before.mac('uniq-legal-person-id', '11010519491231002X'),
      code: await before.mac('activation-code', 'LKL00012345:384917'),
      address: await before.mac('notification-address:EMAIL', 'zhangsan@example.com'),
    };

    const { secrets, sharedWithIdentity } = localHmacSecrets(dir);
    expect([...sharedWithIdentity].sort()).toEqual(['activation-code', 'notification-address']);
    const now = new LocalKeyedHasher(secrets);
    expect(await now.mac('uniq-legal-person-id', '11010519491231002X')).toBe(stored.marker);
    expect(await now.mac('activation-code', 'LKL00012345:384917')).toBe(stored.code);
    expect(await now.mac('notification-address:EMAIL', 'zhangsan@example.com')).toBe(stored.address);
    // Codes had no hashes before: their secret is new even here.
    expect(secrets['one-time-code']).not.toBe('the-one-old-secret');
    // And it stays so after a restart.
    expect(localHmacSecrets(dir).secrets).toEqual(secrets);
  });
});

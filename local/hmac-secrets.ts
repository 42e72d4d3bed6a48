import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HMAC_KEYS, type HmacKey } from '../shared/config/env';
import { loadOrCreateSecret } from './files';

/*
 * The local stand-ins of the per-purpose HMAC keys (KMS HMAC_256 keys in AWS): one random secret
 * per purpose in the state dir, kept across restarts so that stored keyed hashes stay comparable.
 */

/** Each purpose's secret file; the identity secret keeps the name of the one secret of older state dirs. */
export const HMAC_SECRET_FILES: Readonly<Record<HmacKey, string>> = {
  identity: 'pii-hmac-secret',
  'activation-code': 'hmac-activation-code-secret',
  'one-time-code': 'hmac-one-time-code-secret',
  'notification-address': 'hmac-notification-address-secret',
};

/**
 * Purposes whose hashes a state dir from before per-purpose keys already holds under its one
 * secret: activation codes (terminal items) and addresses (suppression list). One-time codes are
 * newer, and the identity key is that secret itself.
 */
const HASHED_UNDER_ONE_SECRET: readonly HmacKey[] = ['activation-code', 'notification-address'];

/** The secrets of a state dir, and the purposes that share the identity secret (older state dirs). */
export interface LocalHmacSecrets {
  readonly secrets: Readonly<Record<HmacKey, string>>;
  readonly sharedWithIdentity: readonly HmacKey[];
}

/**
 * The per-purpose secrets of `stateDir`, created on first use. A state dir made before per-purpose
 * keys (its one `pii-hmac-secret` and no other) keeps that secret for activation codes and
 * addresses too, so its stored activation codes and suppression entries still match; a new state
 * dir gets a separate random secret for every purpose.
 */
export function localHmacSecrets(stateDir: string): LocalHmacSecrets {
  const path = (key: HmacKey) => join(stateDir, HMAC_SECRET_FILES[key]);
  const olderStateDir =
    existsSync(path('identity')) && HMAC_KEYS.every((key) => key === 'identity' || !existsSync(path(key)));
  const random = () => randomBytes(32).toString('base64url');
  const identity = loadOrCreateSecret(path('identity'), random);
  const secrets = Object.fromEntries(
    HMAC_KEYS.map((key) => [
      key,
      key === 'identity'
        ? identity
        : loadOrCreateSecret(
            path(key),
            olderStateDir && HASHED_UNDER_ONE_SECRET.includes(key) ? () => identity : random,
          ),
    ]),
  ) as Record<HmacKey, string>;
  return {
    secrets,
    sharedWithIdentity: HMAC_KEYS.filter((key) => key !== 'identity' && secrets[key] === identity),
  };
}

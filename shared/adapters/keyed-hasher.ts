import { createHmac } from 'node:crypto';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { type HmacKey, hmacKeyIdVariable, readHmacKeys } from '../config/env';
import { type KeyedHasher, MAC_PURPOSE_KEYS, type MacPurpose } from '../ports';

/** The message of a MAC: the purpose separates domains even where two purposes share a key. */
function message(purpose: MacPurpose, value: string): string {
  return `${purpose}\u0000${value}`;
}

/** A function that asks for a key it was not given: a manifest entry without the capability. */
export class HmacKeyMissingError extends Error {
  override readonly name = 'HmacKeyMissingError';
  constructor(key: HmacKey) {
    super(
      `No ${key} HMAC key in this function (${hmacKeyIdVariable(key)}): add its capability to the entry in shared/manifest/`,
    );
  }
}

/**
 * KMS HMAC_256 keys, one per purpose: the key material never leaves KMS, so nobody with a table
 * export alone can test guesses of licence or ID numbers, codes or phone numbers against their
 * hashes, and a function's role can compute only the hashes of the keys it was granted.
 */
export class KmsKeyedHasher implements KeyedHasher {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyIds: Partial<Record<HmacKey, string>>,
  ) {}

  async mac(purpose: MacPurpose, value: string): Promise<string> {
    const key = MAC_PURPOSE_KEYS[purpose];
    const keyId = this.keyIds[key];
    if (!keyId) throw new HmacKeyMissingError(key);
    const out = await this.kms.send(
      new GenerateMacCommand({
        KeyId: keyId,
        MacAlgorithm: 'HMAC_SHA_256',
        Message: Buffer.from(message(purpose, value), 'utf8'),
      }),
    );
    return Buffer.from(out.Mac ?? new Uint8Array()).toString('base64url');
  }
}

/**
 * Local stand-in with one secret per purpose from the local state dir (never used in AWS). A
 * single string stands for the same secret under every key (unit tests).
 */
export class LocalKeyedHasher implements KeyedHasher {
  private readonly secrets: Partial<Record<HmacKey, string>>;

  constructor(secrets: Partial<Record<HmacKey, string>> | string) {
    this.secrets =
      typeof secrets === 'string'
        ? {
            identity: secrets,
            'activation-code': secrets,
            'one-time-code': secrets,
            'notification-address': secrets,
          }
        : secrets;
  }

  async mac(purpose: MacPurpose, value: string): Promise<string> {
    const key = MAC_PURPOSE_KEYS[purpose];
    const secret = this.secrets[key];
    if (!secret) throw new HmacKeyMissingError(key);
    return createHmac('sha256', secret).update(message(purpose, value), 'utf8').digest('base64url');
  }
}

/**
 * The keys this function was given: KMS for each `HMAC_KEY_ID_<KEY>` (AWS), the local secret of
 * `HMAC_LOCAL_SECRET_<KEY>` otherwise (`npm run dev`, tests). A purpose whose key is absent throws.
 */
export function keyedHasherFromEnv(): KeyedHasher {
  const sources = readHmacKeys();
  const kmsKeys: Partial<Record<HmacKey, string>> = {};
  const localSecrets: Partial<Record<HmacKey, string>> = {};
  for (const [key, source] of Object.entries(sources) as [HmacKey, (typeof sources)[HmacKey]][]) {
    if (source && 'keyId' in source) kmsKeys[key] = source.keyId;
    else if (source) localSecrets[key] = source.localSecret;
  }
  if (Object.keys(kmsKeys).length > 0) {
    if (Object.keys(localSecrets).length > 0)
      throw new Error('HMAC keys are either all KMS keys (AWS) or all local secrets, never both');
    return new KmsKeyedHasher(new KMSClient({}), kmsKeys);
  }
  return new LocalKeyedHasher(localSecrets);
}

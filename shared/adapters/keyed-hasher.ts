import { createHmac } from 'node:crypto';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { readPiiHmacKey } from '../config/env';
import type { KeyedHasher } from '../ports';

/**
 * KMS HMAC_256 key: the key material never leaves KMS, so nobody with a table export alone can
 * test guesses of licence or ID numbers against the uniqueness markers.
 */
export class KmsKeyedHasher implements KeyedHasher {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async mac(purpose: string, value: string): Promise<string> {
    const out = await this.kms.send(
      new GenerateMacCommand({
        KeyId: this.keyId,
        MacAlgorithm: 'HMAC_SHA_256',
        Message: Buffer.from(`${purpose}\u0000${value}`, 'utf8'),
      }),
    );
    return Buffer.from(out.Mac ?? new Uint8Array()).toString('base64url');
  }
}

/** Local stand-in with a secret from the local state dir (never used in AWS). */
export class LocalKeyedHasher implements KeyedHasher {
  constructor(private readonly secret: string) {}

  async mac(purpose: string, value: string): Promise<string> {
    return createHmac('sha256', this.secret).update(`${purpose}\u0000${value}`, 'utf8').digest('base64url');
  }
}

/** KMS when `PII_HMAC_KEY_ID` is set (AWS), the local secret otherwise (`npm run dev`, tests). */
export function keyedHasherFromEnv(): KeyedHasher {
  const key = readPiiHmacKey();
  return 'keyId' in key
    ? new KmsKeyedHasher(new KMSClient({}), key.keyId)
    : new LocalKeyedHasher(key.localSecret);
}

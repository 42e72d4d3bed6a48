import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { readFieldCipherKey } from '../config/env';
import type { FieldCipher } from '../ports';

/*
 * Envelope encryption of single fields: a 256-bit data key (from KMS in AWS, wrapped by a local
 * key in `npm run dev`) encrypts each field with AES-256-GCM and a fresh 96-bit IV; the field's
 * context (item key + field path) is the GCM additional data, so a ciphertext moved to another
 * item or field does not decrypt. One stored value is one base64url string behind a prefix:
 *
 *   fc1.<base64url( edkLength:u16 | edk | iv:12 | tag:16 | ciphertext )>
 *
 * The encrypted data key travels with every field (≈ 180 bytes from KMS) so any field decrypts on
 * its own; readers cache unwrapped keys by edk, so KMS sees one Decrypt per data key per process.
 */

/** Prefix of every value this module writes; its absence means "not encrypted". */
export const FIELD_CIPHERTEXT_PREFIX = 'fc1.';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** A data key: plaintext for AES, and its wrapped form stored with each field. */
export interface DataKey {
  readonly plaintext: Buffer;
  readonly encrypted: Buffer;
}

/** Where data keys come from: KMS in AWS, a local wrapping key otherwise. */
export interface DataKeySource {
  generate(): Promise<DataKey>;
  unwrap(encrypted: Buffer): Promise<Buffer>;
}

/** Limits of the data-key cache (the same key encrypts at most this long / this many fields). */
export interface DataKeyLimits {
  readonly maxAgeMs: number;
  readonly maxUses: number;
  /** Unwrapped keys of other writers kept for reading. */
  readonly maxCachedUnwrapped: number;
}

/** 5 minutes or 10,000 encryptions per data key; 100 unwrapped keys cached for reads. */
export const DEFAULT_DATA_KEY_LIMITS: DataKeyLimits = {
  maxAgeMs: 5 * 60_000,
  maxUses: 10_000,
  maxCachedUnwrapped: 100,
};

/** A field that does not decrypt: wrong context, tampered, or not a ciphertext at all. */
export class FieldDecryptionError extends Error {
  override readonly name = 'FieldDecryptionError';
}

/**
 * Envelope field cipher over a {@link DataKeySource}, with a bounded cache of the current data
 * key (for writes) and of unwrapped keys by edk (for reads). Clock injectable for tests.
 */
export class EnvelopeFieldCipher implements FieldCipher {
  private current: { key: DataKey; createdAt: number; uses: number } | undefined;
  private pendingKey: Promise<DataKey> | undefined;
  /** Unwrapped keys by edk, as promises so concurrent reads of one edk share one unwrap. */
  private readonly unwrapped = new Map<string, { key: Promise<Buffer>; at: number }>();

  constructor(
    private readonly source: DataKeySource,
    private readonly limits: DataKeyLimits = DEFAULT_DATA_KEY_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  async encrypt(plaintext: string, context: string): Promise<string> {
    const key = await this.writeKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.plaintext, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(key.encrypted.length);
    const packed = Buffer.concat([length, key.encrypted, iv, cipher.getAuthTag(), body]);
    return `${FIELD_CIPHERTEXT_PREFIX}${packed.toString('base64url')}`;
  }

  async decrypt(ciphertext: string, context: string): Promise<string> {
    if (!ciphertext.startsWith(FIELD_CIPHERTEXT_PREFIX)) {
      // No production data predates field encryption: a clear value here was written around the
      // repositories (or tampered with), so it is refused rather than silently accepted.
      throw new FieldDecryptionError('The field is not encrypted');
    }
    const packed = Buffer.from(ciphertext.slice(FIELD_CIPHERTEXT_PREFIX.length), 'base64url');
    if (packed.length < 2) throw new FieldDecryptionError('Truncated field ciphertext');
    const edkLength = packed.readUInt16BE(0);
    const ivStart = 2 + edkLength;
    const tagStart = ivStart + IV_BYTES;
    const bodyStart = tagStart + TAG_BYTES;
    if (packed.length < bodyStart) throw new FieldDecryptionError('Truncated field ciphertext');
    const key = await this.readKey(packed.subarray(2, ivStart));
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, packed.subarray(ivStart, tagStart));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(packed.subarray(tagStart, bodyStart));
      return Buffer.concat([decipher.update(packed.subarray(bodyStart)), decipher.final()]).toString('utf8');
    } catch {
      throw new FieldDecryptionError('The field does not decrypt in this context');
    }
  }

  /** The current data key, renewed when too old or used too often; one generation at a time. */
  private async writeKey(): Promise<DataKey> {
    const now = this.now();
    const current = this.current;
    if (current && now - current.createdAt < this.limits.maxAgeMs && current.uses < this.limits.maxUses) {
      current.uses += 1;
      return current.key;
    }
    this.pendingKey ??= this.source.generate().finally(() => {
      this.pendingKey = undefined;
    });
    const key = await this.pendingKey;
    if (this.current?.key !== key) {
      this.current = { key, createdAt: this.now(), uses: 0 };
      // A reader in the same process needs no unwrap of the key it just generated.
      this.remember(key.encrypted, Promise.resolve(key.plaintext));
    }
    this.current.uses += 1;
    return key;
  }

  private async readKey(encrypted: Buffer): Promise<Buffer> {
    const id = encrypted.toString('base64url');
    const cached = this.unwrapped.get(id);
    if (cached && this.now() - cached.at < this.limits.maxAgeMs) return cached.key;
    const key = this.source.unwrap(encrypted).then((plaintext) => {
      if (plaintext.length !== KEY_BYTES) throw new FieldDecryptionError('Unexpected data-key length');
      return plaintext;
    });
    this.remember(encrypted, key);
    // A failed unwrap (KMS throttled, foreign edk) is not cached: the next read asks again.
    key.catch(() => {
      if (this.unwrapped.get(id)?.key === key) this.unwrapped.delete(id);
    });
    return key;
  }

  private remember(encrypted: Buffer, key: Promise<Buffer>): void {
    const id = encrypted.toString('base64url');
    this.unwrapped.delete(id);
    this.unwrapped.set(id, { key, at: this.now() });
    // Maps iterate in insertion order: the first entry is the least recently stored.
    while (this.unwrapped.size > this.limits.maxCachedUnwrapped) {
      const oldest = this.unwrapped.keys().next().value;
      if (oldest === undefined) break;
      this.unwrapped.delete(oldest);
    }
  }
}

/**
 * KMS data keys under a symmetric CMK. The KMS encryption context is fixed (a data key serves many
 * items); the per-field context is bound by AES-GCM instead. Key policy / IAM may pin the context.
 */
export class KmsDataKeySource implements DataKeySource {
  /** KMS requests made by this process (for cost figures). */
  readonly calls = { generateDataKey: 0, decrypt: 0 };

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async generate(): Promise<DataKey> {
    this.calls.generateDataKey += 1;
    const out = await this.kms.send(
      new GenerateDataKeyCommand({
        KeyId: this.keyId,
        KeySpec: 'AES_256',
        EncryptionContext: FIELD_KMS_CONTEXT,
      }),
    );
    if (!out.Plaintext || !out.CiphertextBlob) throw new Error('KMS returned no data key');
    return { plaintext: Buffer.from(out.Plaintext), encrypted: Buffer.from(out.CiphertextBlob) };
  }

  async unwrap(encrypted: Buffer): Promise<Buffer> {
    this.calls.decrypt += 1;
    try {
      const out = await this.kms.send(
        new DecryptCommand({
          KeyId: this.keyId,
          CiphertextBlob: encrypted,
          EncryptionContext: FIELD_KMS_CONTEXT,
        }),
      );
      if (!out.Plaintext) throw new Error('KMS returned no plaintext');
      return Buffer.from(out.Plaintext);
    } catch (error) {
      // A forged or foreign edk is a decryption failure of the field, not an outage.
      if ((error as { name?: string }).name === 'InvalidCiphertextException') {
        throw new FieldDecryptionError('The data key does not decrypt');
      }
      throw error;
    }
  }
}

/** KMS encryption context of every field data key (also usable in key-policy conditions). */
export const FIELD_KMS_CONTEXT = { purpose: 'pos-onboarding-field' } as const;

/**
 * Local stand-in for KMS: data keys wrapped with AES-256-GCM under a key from the local state dir
 * (`npm run dev`, tests). Same envelope and cache as in AWS, so the same code paths run locally.
 */
export class LocalDataKeySource implements DataKeySource {
  private readonly wrappingKey: Buffer;

  constructor(secret: string) {
    // Any secret string becomes a 256-bit key; the local stack writes 32 random bytes.
    this.wrappingKey = createHash('sha256').update(secret, 'utf8').digest();
  }

  async generate(): Promise<DataKey> {
    const plaintext = randomBytes(KEY_BYTES);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.wrappingKey, iv);
    cipher.setAAD(Buffer.from(FIELD_KMS_CONTEXT.purpose, 'utf8'));
    const wrapped = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { plaintext, encrypted: Buffer.concat([iv, cipher.getAuthTag(), wrapped]) };
  }

  async unwrap(encrypted: Buffer): Promise<Buffer> {
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.wrappingKey, encrypted.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(FIELD_KMS_CONTEXT.purpose, 'utf8'));
      decipher.setAuthTag(encrypted.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(encrypted.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new FieldDecryptionError('The data key does not decrypt under the local key');
    }
  }
}

/** KMS when `FIELD_CIPHER_KEY_ID` is set (AWS), the local key otherwise (`npm run dev`, tests). */
export function fieldCipherFromEnv(): EnvelopeFieldCipher {
  const key = readFieldCipherKey();
  return new EnvelopeFieldCipher(
    'keyId' in key
      ? new KmsDataKeySource(new KMSClient({}), key.keyId)
      : new LocalDataKeySource(key.localSecret),
  );
}

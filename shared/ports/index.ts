/**
 * Ports: what the use cases need from the outside world. Each has an AWS adapter under
 * `shared/adapters/`; the local stack points those same adapters at emulators.
 */

import type { HmacKey } from '../config/env';

/**
 * What each keyed hash is for, and the HMAC key (one per purpose, shared/config/env.ts) it is
 * computed with. The purpose is also the MAC's domain separator (`<purpose>\0<value>`), so equal
 * digits of two kinds of number never give equal hashes, even under one key.
 */
export const MAC_PURPOSE_KEYS = {
  'uniq-license': 'identity',
  'uniq-legal-person-id': 'identity',
  'settlement-account': 'identity',
  'activation-code': 'activation-code',
  'one-time-code': 'one-time-code',
  'notification-address:EMAIL': 'notification-address',
  'notification-address:SMS': 'notification-address',
} as const satisfies Record<string, HmacKey>;

/** One purpose of a keyed hash. */
export type MacPurpose = keyof typeof MAC_PURPOSE_KEYS;

/** Keyed hashing (HMAC) of identity numbers, codes and addresses, each purpose under its own key. */
export interface KeyedHasher {
  /**
   * Deterministic base64url MAC of `value` under the key of `purpose` ({@link MAC_PURPOSE_KEYS}),
   * domain-separated by `purpose`. Throws when this function was given no such key (its manifest
   * entry lacks the capability): a programming error, never a request's fault.
   */
  mac(purpose: MacPurpose, value: string): Promise<string>;
}

/** One stored object, as the documents bucket reports it (one version of it where it keeps versions). */
export interface StoredObject {
  readonly size: number;
  readonly contentType: string | undefined;
  /** The S3 version id of what was read; absent where the store keeps no versions (s3rver). */
  readonly versionId?: string;
  /** The entity tag without its quotes: it names this content (an MD5 only without KMS). */
  readonly etag: string;
  /**
   * The full-object checksum S3 keeps (`CRC64NVME:<base64>`, or SHA256, CRC32C, CRC32), when it
   * reports one; S3 computes CRC64NVME for every upload that brings none.
   */
  readonly checksum?: string;
}

/**
 * What is stored for a document. Every function that checks or shows documents needs only this;
 * only the upload route signs (and so bundles the S3 presigner).
 */
export interface DocumentInspector {
  /** Size in bytes of an uploaded object, or `undefined` when nothing was uploaded. */
  objectSize(objectKey: string): Promise<number | undefined>;
  /**
   * The stored object — its version `versionId` when given (the store keeps versions), the
   * current one otherwise — or `undefined` when there is none.
   */
  objectInfo(objectKey: string, versionId?: string): Promise<StoredObject | undefined>;
}

/** Document storage with presigned uploads. */
export interface DocumentStorage extends DocumentInspector {
  /**
   * Presigned PUT URL that writes `objectKey` once: its signature covers the content type, the
   * exact Content-Length and `If-None-Match: *`, so S3 refuses another type or size, any second
   * write to the key, and (conditional writes enforced by the bucket policy) any write without it.
   */
  presignUpload(input: {
    objectKey: string;
    contentType: string;
    expiresInSeconds: number;
    sizeBytes: number;
  }): Promise<string>;
}

/** Presigned downloads of stored documents, for reviewers (the S3 presigner is bundled by its route only). */
export interface DocumentDownloads extends DocumentInspector {
  /** Presigned GET URL of one object — of its version `versionId` when given — valid `expiresInSeconds`. */
  presignDownload(input: {
    objectKey: string;
    versionId?: string;
    expiresInSeconds: number;
  }): Promise<string>;
}

/** Deletes documents for good (the retention sweeper only). */
export interface DocumentEraser {
  /** Deletes every object under `prefix`, every version of each where the store keeps versions; returns how many. */
  eraseAll(prefix: string): Promise<number>;
}

/**
 * Running workflows of any process: hand a waiting state its outcome, stop an execution. Needs no
 * state machine of its own (a task token and an execution ARN name their execution).
 */
export interface WorkflowControl {
  /**
   * Resumes a `.waitForTaskToken` state with an output: `false` when no workflow waits on that
   * token (it moved on, timed out, or a new wait took over with another token).
   */
  resume(taskToken: string, output: unknown): Promise<boolean>;
  /** Stops an execution; an execution that already ended is not an error. */
  stop(executionArn: string, cause: string): Promise<void>;
}

/** One process's state machine, whose executions take `Input`; it also controls running ones. */
export interface WorkflowEngine<Input = unknown> extends WorkflowControl {
  /** The ARN an execution of this name has (known before it starts, so it can be stored first). */
  executionArnOf(name: string): string;
  /** Starts (idempotently, by name) an execution and returns its ARN. */
  start(name: string, input: Input): Promise<string>;
}

/** An email with a text and an HTML part. */
export interface EmailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Sends email; returns the provider's message id. */
export interface Mailer {
  send(message: EmailMessage): Promise<string>;
}

/** Sends one SMS; returns the provider's message id. */
export interface SmsSender {
  send(message: { to: string; body: string; templateId: string }): Promise<string>;
}

/** The current time (injectable so tests can move it). */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Verified staff identity. */
export interface StaffIdentity {
  readonly sub: string;
  readonly groups: readonly string[];
}

/** Verifies a staff JWT presented directly to a handler (routes open to merchants and staff). */
export interface StaffTokenVerifier {
  verify(token: string): Promise<StaffIdentity>;
}

/**
 * Field-level encryption of personal numbers (ID and account numbers) on top of the table's own
 * encryption. The context (e.g. the item's key and the field's path) is authenticated, so a
 * ciphertext copied to another item or field fails to decrypt instead of moving the value.
 */
export interface FieldCipher {
  /** Opaque, compact (one string) ciphertext of `plaintext`, bound to `context`. */
  encrypt(plaintext: string, context: string): Promise<string>;
  /** The plaintext; throws when the value is not a ciphertext of this cipher or the context differs. */
  decrypt(ciphertext: string, context: string): Promise<string>;
}

/**
 * Ports: what the use cases need from the outside world. Each has an AWS adapter under
 * `shared/adapters/`; the local stack points those same adapters at emulators.
 */

/** Keyed hashing (HMAC) of identity numbers and derivation of merchant token secrets. */
export interface KeyedHasher {
  /** Deterministic base64url MAC of `value` under the product's secret key, domain-separated by `purpose`. */
  mac(purpose: string, value: string): Promise<string>;
}

/** A browser-style upload form: POST `fields` and then the file (field `file`) to `url`. */
export interface PresignedPost {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * What is stored for a document. Every function that checks or shows documents needs only this;
 * only the upload route signs (and so bundles the S3 presigner).
 */
export interface DocumentInspector {
  /** Size in bytes of an uploaded object, or `undefined` when nothing was uploaded. */
  objectSize(objectKey: string): Promise<number | undefined>;
  /** Size and stored content type of an uploaded object, or `undefined` when nothing was uploaded. */
  objectInfo(objectKey: string): Promise<{ size: number; contentType: string | undefined } | undefined>;
}

/** Document storage with presigned uploads. */
export interface DocumentStorage extends DocumentInspector {
  /**
   * Presigned PUT URL. The content type is always part of the signature; with `sizeBytes` the exact
   * Content-Length is too, so S3 refuses an upload of another type or size.
   */
  presignUpload(input: {
    objectKey: string;
    contentType: string;
    expiresInSeconds: number;
    sizeBytes?: number;
  }): Promise<string>;
  /**
   * Presigned POST whose signed policy allows exactly this key and content type and a size of
   * 1..`maxBytes` bytes (`content-length-range`), for clients that do not know the size up front.
   */
  presignPost(input: {
    objectKey: string;
    contentType: string;
    expiresInSeconds: number;
    maxBytes: number;
  }): Promise<PresignedPost>;
}

/** Presigned downloads of stored documents, for reviewers (the S3 presigner is bundled by its route only). */
export interface DocumentDownloads extends DocumentInspector {
  /** Presigned GET URL of one object, valid `expiresInSeconds`. */
  presignDownload(input: { objectKey: string; expiresInSeconds: number }): Promise<string>;
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

/** Which send record a message belongs to (shared/notifications/send-once.ts). */
export interface SendReference {
  readonly subjectId: string;
  readonly template: string;
}

/**
 * One SMS: the whole text (`body`) for providers that take it as it is, the registered template
 * and its parameters for template-based providers, and the send record it belongs to, for
 * providers that echo a reference in their delivery receipts.
 */
export interface SmsMessage {
  readonly to: string;
  /** `【signature】text`. */
  readonly body: string;
  readonly templateId: string;
  /** The text as registered with the provider, values as `{1}`, `{2}`, … (no signature). */
  readonly registeredText?: string;
  /** The values of those placeholders, in order. */
  readonly params?: readonly string[];
  readonly reference?: SendReference;
}

/** Sends one SMS; returns the provider's message id. */
export interface SmsSender {
  send(message: SmsMessage): Promise<string>;
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

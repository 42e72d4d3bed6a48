/**
 * Ports: what the use cases need from the outside world. Each has an AWS adapter under
 * `shared/adapters/`; the local stack points those same adapters at emulators.
 */

/** Keyed hashing (HMAC) of identity numbers and derivation of merchant token secrets. */
export interface KeyedHasher {
  /** Deterministic base64url MAC of `value` under the product's secret key, domain-separated by `purpose`. */
  mac(purpose: string, value: string): Promise<string>;
}

/** Document storage with presigned uploads. */
export interface DocumentStorage {
  presignUpload(input: { objectKey: string; contentType: string; expiresInSeconds: number }): Promise<string>;
  /** Size in bytes of an uploaded object, or `undefined` when nothing was uploaded. */
  objectSize(objectKey: string): Promise<number | undefined>;
}

/** The onboarding state machine. */
export interface WorkflowEngine {
  /** The ARN an execution of this name has (known before it starts, so it can be stored first). */
  executionArnOf(name: string): string;
  /** Starts (idempotently, by name) an execution and returns its ARN. */
  start(name: string, input: unknown): Promise<string>;
  /**
   * Resumes a `.waitForTaskToken` state with an output: `false` when no workflow waits on that
   * token (it moved on, timed out, or a new wait took over with another token).
   */
  resume(taskToken: string, output: unknown): Promise<boolean>;
  /** Stops an execution; an execution that already ended is not an error. */
  stop(executionArn: string, cause: string): Promise<void>;
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

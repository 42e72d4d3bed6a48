import type { Channel } from '../domain/notification';

/*
 * The port of one-time codes (shared/one-time-codes/codes.ts says how they are used): at most one
 * live code per (purpose, subject, channel), stored only as a keyed hash, with its attempts and the
 * times of its recent issues. Every method is one or two conditional writes, so concurrent
 * requests can never issue more codes or test more guesses than the limits allow.
 */

/** Whose code: what it is for, about what (an id, never personal data), on which channel. */
export interface OneTimeCodeKey {
  /** What the code proves, e.g. `contact-verification`, `session`, `agreement-signature`. */
  readonly purpose: string;
  /** The id the code belongs to (an application id, a merchant number). */
  readonly subject: string;
  readonly channel: Channel;
}

/** What issuing stores: the code's keyed hash, never the code. */
export interface NewCode {
  readonly codeHash: string;
  /** Unique per issue: part of the hash, and what a use is conditional on. */
  readonly issueId: string;
  readonly expiresAt: Date;
}

/** The outcome of an issue: stored, or refused because the hour's codes were all issued. */
export type IssueResult =
  | { readonly issued: true }
  | { readonly issued: false; readonly retryAfterSeconds: number };

/** A live code whose attempt was reserved: `attempts` counts this one. */
export interface ReservedAttempt {
  readonly codeHash: string;
  readonly issueId: string;
  readonly attempts: number;
}

/** Why no attempt could be reserved. */
export type NoAttempt =
  /** No code was ever issued (or it was deleted by its TTL long after it expired). */
  | 'NO_CODE'
  /** The code was used already. */
  | 'USED'
  /** Every attempt of the code was used. */
  | 'LOCKED'
  /** The code's time passed. */
  | 'EXPIRED';

/** Storage of one-time codes. */
export interface OneTimeCodeStore {
  /**
   * Replaces the live code of `key` with `code` (attempts back to 0) unless `maxPerHour` codes were
   * issued for it in the last hour (a sliding hour): then nothing changes and the answer says when
   * the oldest of them leaves the hour.
   */
  issue(key: OneTimeCodeKey, code: NewCode, now: Date, maxPerHour: number): Promise<IssueResult>;
  /**
   * Counts one attempt against the live code before anything is compared, atomically and only
   * while fewer than `maxAttempts` were counted and the code is unused and unexpired: so however
   * many guesses arrive at once, at most `maxAttempts` are ever compared.
   */
  reserveAttempt(
    key: OneTimeCodeKey,
    now: Date,
    maxAttempts: number,
  ): Promise<ReservedAttempt | { readonly refused: NoAttempt }>;
  /** Marks the code of `issueId` used, once: false when it was used already or replaced since. */
  consume(key: OneTimeCodeKey, issueId: string, now: Date): Promise<boolean>;
}

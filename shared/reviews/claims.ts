import * as z from 'zod/mini';
import type { StaffPrincipal } from '../auth/principals';
import { liveClaim, type RevealableField, type ReviewTaskRecord } from '../domain/review';
import { AppError, invalidState, notFound, validationFailed } from '../errors';
import { logger } from '../logger';
import type { Clock } from '../ports';
import type { ReviewTaskRepository } from '../ports/repositories';
import type { CallbackPhones } from '../ports/reviews';
import { lazy } from '../validation/lazy';
import { zodProblems } from '../validation/problems';
import { reviewClaimed } from './requests';

/*
 * Claims on review tasks (a lease, so two reviewers never work one case) and the audited reveal of
 * the one masked field a phone call-back needs.
 */

/** What claiming needs. */
export interface ClaimDeps {
  readonly reviews: Pick<ReviewTaskRepository, 'get' | 'claim'>;
  readonly clock: Clock;
  /** The lease: how long a claim holds unless renewed (`REVIEW_CLAIM_SECONDS`). */
  readonly claimSeconds: number;
}

/** The claim's body: none, or `{}`. */
const claimBodySchema = /* @__PURE__ */ lazy(() => z.optional(z.strictObject({})));

/**
 * `POST /v1/reviews/{taskId}/claim` (reviewer): the caller holds the pending task for the lease
 * from now, in one conditional write, unless another reviewer's lease is still live (409
 * `REVIEW_CLAIMED`, saying who and until when). Claiming again renews the holder's lease; a lapsed
 * lease holds nothing and anyone may claim. The lease is the only lock: a reviewer who leaves
 * simply lets it run out.
 */
export async function claimReview(deps: ClaimDeps, reviewer: StaffPrincipal, taskId: string, body: unknown) {
  const parsed = z.safeParse(claimBodySchema(), body);
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input: body }));
  const now = deps.clock.now();
  const until = new Date(now.getTime() + deps.claimSeconds * 1000);
  const claimed = await deps.reviews.claim(taskId, reviewer.sub, now, until);
  if (!claimed) {
    const task = await deps.reviews.get(taskId);
    if (!task) throw notFound('Review task');
    if (task.status !== 'PENDING') throw invalidState(`The task is already ${task.status}`);
    throw reviewClaimed(task);
  }
  logger.info('review claimed', { taskId });
  return {
    taskId,
    claimedBy: reviewer.sub,
    claimedUntil: until.toISOString(),
    leaseSeconds: deps.claimSeconds,
  };
}

/** The most reveals one task keeps (the audit stays a small part of the task item). */
export const MAX_REVEALS_PER_TASK = 20;

/** The fields a reviewer may reveal: the call-back's phone only. */
const REVEALABLE: readonly RevealableField[] = ['contact.phone'];

/** What revealing needs. */
export interface RevealDeps {
  readonly reviews: Pick<ReviewTaskRepository, 'get' | 'recordReveal'>;
  readonly phones: CallbackPhones;
  readonly clock: Clock;
}

/** The reveal's body: which field (only `contact.phone` is allowed, checked after parsing). */
export const revealSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({ field: z.string().check(z.minLength(1), z.maxLength(100)) }),
);

/** 409 `CLAIM_REQUIRED`, saying whether someone else holds the task. */
function claimRequired(task: ReviewTaskRecord, now: Date): AppError {
  const claim = liveClaim(task, now);
  return new AppError(
    'CLAIM_REQUIRED',
    claim
      ? `Another reviewer holds this task until ${claim.until}: only the holder may reveal a field`
      : 'Claim the task first (POST /v1/reviews/{taskId}/claim): only the holder may reveal a field',
    claim ? { details: { claimedBy: claim.by, claimedUntil: claim.until } } : {},
  );
}

/**
 * `POST /v1/reviews/{taskId}/reveal` (reviewer) `{"field": "contact.phone"}`: the one unmasked
 * value a phone call-back needs, answered once and never stored elsewhere or logged. Only the
 * reviewer holding the task's live claim may ask; the audit entry (who, when, which field — never
 * the value) is written first, on the task, as a condition of that claim, so nothing is disclosed
 * unaudited. At most {@link MAX_REVEALS_PER_TASK} reveals per task (429 `RATE_LIMITED` beyond).
 */
export async function revealField(deps: RevealDeps, reviewer: StaffPrincipal, taskId: string, body: unknown) {
  const parsed = z.safeParse(revealSchema(), body);
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input: body }));
  const field = parsed.data.field as RevealableField;
  if (!REVEALABLE.includes(field)) {
    throw validationFailed([
      {
        field: 'field',
        code: 'NOT_ALLOWED',
        message: `Only ${REVEALABLE.join(', ')} can be revealed: the number the phone call-back needs`,
      },
    ]);
  }
  const task = await deps.reviews.get(taskId);
  if (!task) throw notFound('Review task');
  if (task.status !== 'PENDING') throw invalidState(`The task is already ${task.status}`);
  const now = deps.clock.now();
  if (liveClaim(task, now)?.by !== reviewer.sub) throw claimRequired(task, now);

  const revealedAt = now.toISOString();
  const audited = await deps.reviews.recordReveal(
    taskId,
    { field, by: reviewer.sub, at: revealedAt },
    now,
    MAX_REVEALS_PER_TASK,
  );
  if (!audited) {
    const current = await deps.reviews.get(taskId);
    if (!current) throw notFound('Review task');
    if (current.status !== 'PENDING') throw invalidState(`The task is already ${current.status}`);
    if ((current.reveals?.length ?? 0) >= MAX_REVEALS_PER_TASK) {
      throw new AppError('RATE_LIMITED', `At most ${MAX_REVEALS_PER_TASK} reveals per task`);
    }
    throw claimRequired(current, now);
  }
  const phone = await deps.phones.of(task);
  if (!phone) throw notFound('Contact phone');
  // Ids and the field's name only: the value goes to the reviewer and nowhere else.
  logger.info('field revealed', { taskId, field });
  return { taskId, field, value: phone.phone, of: phone.of, id: phone.id, revealedAt };
}

import type { Actor } from '../domain/application';
import type { MerchantRecord } from '../domain/merchant';
import type { FeePlanRef, FeePlanTerms } from '../fee-plans/plan';
import { logger } from '../logger';
import type { Clock } from '../ports';
import type { AgreementRepository } from '../ports/agreements';
import { type AgreementCause, type AgreementRecord, agreementIdOf } from './agreement';

/** How often a new version is tried again after another step moved the head first. */
const ADD_ATTEMPTS = 5;

/** What makes the next agreement version. */
export interface NextAgreement {
  readonly merchant: Pick<MerchantRecord, 'merchantNo' | 'locale' | 'settlement'>;
  readonly feePlan: FeePlanTerms;
  readonly cause: AgreementCause;
  /** Unique per merchant and cause: a retry with the same source finds its version. */
  readonly source: string;
  readonly actor: Actor;
  readonly reason?: string;
  /** Moves the merchant to this plan version in the same transaction (the operator's route). */
  readonly merchantFeePlan?: FeePlanRef;
}

/**
 * Adds the merchant's next agreement version (1 at provisioning), AWAITING_SIGNATURE. The signed
 * version stays in force; a version still waiting for a signature is replaced (SUPERSEDED unsigned),
 * so a merchant only ever signs the newest terms. Idempotent by `source`: the step that made a
 * version and is retried gets that version back.
 */
export async function addAgreementVersion(
  deps: { agreements: AgreementRepository; clock: Clock },
  next: NextAgreement,
): Promise<AgreementRecord> {
  const { merchantNo } = next.merchant;
  for (let attempt = 0; attempt < ADD_ATTEMPTS; attempt++) {
    const head = await deps.agreements.head(merchantNo);
    if (head?.latestSource === next.source) {
      const made = await deps.agreements.get(merchantNo, head.latestVersion);
      if (made) return made;
    }
    const version = (head?.latestVersion ?? 0) + 1;
    const at = deps.clock.now().toISOString();
    const record: AgreementRecord = {
      agreementId: agreementIdOf(merchantNo, version),
      merchantNo,
      version,
      status: 'AWAITING_SIGNATURE',
      cause: next.cause,
      source: next.source,
      feePlan: next.feePlan,
      settlementCycle: next.merchant.settlement.cycle,
      locale: next.merchant.locale,
      createdAt: at,
      timeline: [
        {
          status: 'AWAITING_SIGNATURE',
          at,
          actor: next.actor,
          action: next.cause,
          ...(next.reason ? { reason: next.reason } : {}),
        },
      ],
    };
    const waiting = head && head.latestVersion !== head.signedVersion ? head.latestVersion : undefined;
    const added = await deps.agreements.add({
      record,
      previousHead: head,
      ...(waiting !== undefined ? { replacesWaiting: waiting } : {}),
      ...(next.merchantFeePlan ? { merchantFeePlan: next.merchantFeePlan } : {}),
    });
    if (added) {
      logger.info('agreement version added', { merchantNo, version, cause: next.cause });
      return record;
    }
  }
  throw new Error('The agreement head kept moving; the step is retried');
}

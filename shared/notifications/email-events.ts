import * as z from 'zod/mini';
import type { SuppressionReason } from '../domain/notification';
import { logger } from '../logger';
import { addressHash } from '../notifications/send-once';
import type { Clock, KeyedHasher } from '../ports';
import type { SuppressionList } from '../ports/notifications';
import { lazy } from '../validation/lazy';

/** What recording SES bounce and complaint events needs. */
export interface EmailEventDeps {
  readonly suppressions: SuppressionList;
  readonly hasher: KeyedHasher;
  readonly clock: Clock;
}

/**
 * The parts of an SES event that matter here. Configuration-set event publishing names the kind
 * `eventType`, identity notifications `notificationType`; both carry the same `bounce` and
 * `complaint` objects. Every other field is ignored, not rejected (SES adds fields over time).
 */
const sesEventSchema = /* @__PURE__ */ lazy(() => {
  // Built on first use, not at import (module scope runs in every cold start).
  const recipients = z.array(z.looseObject({ emailAddress: z.string() }));
  return z.looseObject({
    eventType: z.optional(z.string()),
    notificationType: z.optional(z.string()),
    bounce: z.optional(
      z.looseObject({
        bounceType: z.string(),
        bounceSubType: z.optional(z.string()),
        bouncedRecipients: recipients,
      }),
    ),
    complaint: z.optional(
      z.looseObject({
        complainedRecipients: recipients,
        complaintFeedbackType: z.optional(z.string()),
      }),
    ),
  });
});

/** Outcome of one event, with counts only (addresses never leave this function). */
export interface EmailEventOutcome {
  readonly kind: string;
  readonly suppressed: number;
  readonly ignored?: string;
}

/**
 * Records the recipients of a hard bounce or a complaint as suppressed, by the keyed hash of the
 * address (never the address): later sends to them are skipped and recorded SUPPRESSED. A
 * transient (soft) bounce — mailbox full, server busy — suppresses nothing: SES already retried,
 * and the next message may well arrive. Anything else is ignored.
 */
export async function recordEmailEvent(deps: EmailEventDeps, message: unknown): Promise<EmailEventOutcome> {
  const parsed = z.safeParse(sesEventSchema(), message);
  if (!parsed.success) return { kind: 'UNKNOWN', suppressed: 0, ignored: 'not an SES event' };
  const event = parsed.data;
  const kind = event.eventType ?? event.notificationType ?? 'UNKNOWN';
  let addresses: string[] = [];
  let reason: SuppressionReason;
  let detail: string;
  if (kind === 'Bounce' && event.bounce) {
    if (event.bounce.bounceType !== 'Permanent') {
      return { kind, suppressed: 0, ignored: `${event.bounce.bounceType} bounce` };
    }
    addresses = event.bounce.bouncedRecipients.map((r) => r.emailAddress);
    reason = 'BOUNCE';
    detail = `${event.bounce.bounceType}/${event.bounce.bounceSubType ?? 'Unknown'}`;
  } else if (kind === 'Complaint' && event.complaint) {
    addresses = event.complaint.complainedRecipients.map((r) => r.emailAddress);
    reason = 'COMPLAINT';
    detail = event.complaint.complaintFeedbackType ?? 'unspecified';
  } else {
    return { kind, suppressed: 0, ignored: 'neither a bounce nor a complaint' };
  }
  const at = deps.clock.now().toISOString();
  for (const address of addresses) {
    await deps.suppressions.suppress({
      channel: 'EMAIL',
      addressHash: await addressHash(deps.hasher, 'EMAIL', address),
      reason,
      at,
      detail,
    });
  }
  logger.info('email addresses suppressed', { kind, reason, detail, count: addresses.length });
  return { kind, suppressed: addresses.length };
}

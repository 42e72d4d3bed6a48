import * as z from 'zod/mini';
import { notFound, validationFailed } from '../errors';
import type { LimitAuditEntry, LimitAuditReader } from '../ports/daily-checks';
import { lazy } from '../validation/lazy';
import { pageCursor, pageLimit } from '../validation/paging';
import { zodProblems } from '../validation/problems';
import { CARD_TYPES, type CardLimits, type CardType } from './settings';

/*
 * The audit of a merchant's limits (spec section 8): every change — an operator's with a reason, an
 * approved limit increase, limits lowered on a risk alert — is written with an audit entry in the
 * same transaction as the limits (shared/adapters/dynamodb-daily-check-decisions.ts). Staff read it
 * newest first, a page at a time: who, when, why, and which card types got which figures.
 */

/** What reading the audit needs: the merchant (to tell an unknown one) and the audit's pages. */
export interface LimitAuditDeps {
  readonly store: Pick<LimitAuditReader, 'merchantProfile' | 'limitAudit'>;
}

/** The query of `GET …/limit-audit` (built on first use): the house's page size and cursor. */
export const limitAuditQuerySchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    limit: pageLimit(),
    cursor: pageCursor(),
  }),
);

const sameLimits = (a: CardLimits, b: CardLimits | undefined) =>
  b !== undefined &&
  a.perTransactionFen === b.perTransactionFen &&
  a.dailyFen === b.dailyFen &&
  a.monthlyFen === b.monthlyFen;

/**
 * The card types a change set. An entry keeps the merchant's own limits after the change (every
 * card type it has of its own, changed or not), so the change is what differs from the entry of
 * the version before; the first change, or one whose predecessor is not at hand, set every card
 * type it holds.
 */
function changedCards(entry: LimitAuditEntry, older: LimitAuditEntry | undefined): CardType[] {
  const held = CARD_TYPES.filter((card) => entry.limits[card] !== undefined);
  if (!older || older.version !== entry.version - 1) return held;
  const changed = held.filter((card) => !sameLimits(entry.limits[card] as CardLimits, older.limits[card]));
  // The same figures given again still name what the change was about.
  return changed.length > 0 ? changed : held;
}

/**
 * `GET /v1/merchants/{merchantNo}/limit-audit` (staff): the changes of the merchant's limits, newest
 * first: when, who (`staff:<sub>`), the source, the reason, the version made, and the new figures
 * of the card types changed, with the review task behind a reviewer's change.
 */
export async function listLimitAudit(
  deps: LimitAuditDeps,
  merchantNo: string,
  query: Record<string, string>,
) {
  const parsed = z.safeParse(limitAuditQuerySchema(), query);
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, 'query', { input: query }));
  // Both reads at once (one round trip, not two); an unknown merchant still answers 404 whatever
  // its audit read gave, e.g. a cursor refused as another merchant's.
  const [merchant, audit] = await Promise.allSettled([
    deps.store.merchantProfile(merchantNo),
    deps.store.limitAudit(merchantNo, {
      limit: Number(parsed.data.limit ?? 20),
      ...(parsed.data.cursor ? { cursor: parsed.data.cursor } : {}),
    }),
  ]);
  if (merchant.status === 'rejected') throw merchant.reason;
  if (!merchant.value) throw notFound('Merchant');
  if (audit.status === 'rejected') throw audit.reason;
  const page = audit.value;
  return {
    merchantNo,
    items: page.items.map((entry, index) => {
      const cards = changedCards(entry, page.items[index + 1] ?? page.older);
      return {
        version: entry.version,
        at: entry.at,
        actor: entry.actor,
        source: entry.source,
        reason: entry.reason,
        cardTypes: cards,
        limits: Object.fromEntries(cards.map((card) => [card, entry.limits[card]])) as Partial<
          Record<CardType, CardLimits>
        >,
        taskId: entry.taskId ?? null,
      };
    }),
    nextCursor: page.cursor ?? null,
  };
}

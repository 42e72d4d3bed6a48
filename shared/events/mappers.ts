import { agreementEvents } from '../agreements/events';
import { changeRequestEvents } from '../change-requests/events';
import { limitsChanged, riskAlertOpened } from '../daily-checks/events';
import type { KeyFamily } from '../keys';
import { merchantEvents } from '../merchants/events';
import { applicationEvents } from '../onboarding/events';
import { terminalEvents } from '../terminals/events';
import { transferEvents } from '../transfers/events';
import type { ItemChangeMapper } from './types';

/*
 * The mappers of every item family, each beside its process. Every family of shared/keys.ts has a
 * row, so a new family does not compile until someone decides whether its changes are events; an
 * empty row publishes nothing (and says why). The relay's stream filter (CDK and `npm run dev`)
 * follows from this table, so records of families without mappers never invoke it.
 */

/** The mappers of each family: the state changes of spec 5–8 are on the first eight. */
export const EVENT_MAPPERS: Readonly<Record<KeyFamily, readonly ItemChangeMapper[]>> = {
  application: [applicationEvents],
  merchant: [merchantEvents],
  terminal: [terminalEvents],
  transferRequest: [transferEvents],
  changeRequest: [changeRequestEvents],
  agreement: [agreementEvents],
  // A RISK_ALERT review task is the alert (risk_alert.opened); limits at a new version.
  reviewTask: [riskAlertOpened],
  limits: [limitsChanged],
  // Below: no events. Other review work is internal to the acquirer (its outcome is the subject's
  // state); claims and the reveal audit live on the task item and publish nothing either.
  reviewWait: [],
  reviewQueue: [],
  reviewKindQueue: [],
  reviewEscalatedQueue: [],
  // The supervisor view's counters: bookkeeping of the same review work.
  reviewStats: [],
  // Mechanics of requests: idempotency, replayable first tokens, sequences, uniqueness markers.
  idempotency: [],
  tokenReplay: [],
  sequence: [],
  uniqueness: [],
  // Messaging: send records, suppressions, hourly quotas and one-time codes (a verified contact
  // shows on the application, whose status does not change).
  sendRecord: [],
  suppression: [],
  sendQuota: [],
  oneTimeCode: [],
  // The blocklist is staff data; the retention index and progress are the sweep's bookkeeping
  // (erasing an application replaces its item with a stub, which publishes nothing either).
  blocklist: [],
  retention: [],
  // Fee plans are the acquirer's price list: a merchant's terms change when it signs an agreement
  // version (agreement.signed), not when an operator edits a plan.
  feePlan: [],
  // The daily checks' own data: transactions and usage counters (amounts per merchant, not state
  // changes), the activity and dormancy indexes, the daily run's progress and refused records.
  transaction: [],
  usage: [],
  terminalActivity: [],
  activity: [],
  dormancy: [],
  dailyRun: [],
  rejectedRecord: [],
  // The integration surface itself: publishing about its own deliveries would loop.
  webhookEndpoint: [],
  webhookDelivery: [],
  event: [],
};

/** The families whose changes the relay receives. */
export function relayedFamilies(): KeyFamily[] {
  return (Object.keys(EVENT_MAPPERS) as KeyFamily[]).filter((family) => EVENT_MAPPERS[family].length > 0);
}

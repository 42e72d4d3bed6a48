import { mccRiskLevel } from '../reference/mcc-risk';
import type { Address, Contact, Settlement } from '../validation/application-schema';
import { type Actor, type AutomatedCheck, maskContact, maskSettlement, type Reason } from './application';
// The one diff of the product (also used by the application audit trail), not a second copy.
import { changedFieldNames } from './diff';
import { maskLicense } from './masking';
import type { MerchantRecord } from './merchant';
import type { NotificationNote } from './notification';
import type { RequiredCheck } from './review';

/**
 * Merchant change requests (商户变更, spec 4.1 and 5): what may change, the diff against the
 * merchant, the masked views and the checks a reviewer must do. Pure functions only.
 */

/** The only keys a change request may carry under `changes` (spec 4.1). */
export const CHANGEABLE_KEYS = ['business.name', 'business.address', 'contact', 'settlement'] as const;

/** One changeable key. */
export type ChangeKey = (typeof CHANGEABLE_KEYS)[number];

/** The requested new values, keyed as in the API (`business.name` is one key, not a path). */
export interface ChangeSet {
  readonly 'business.name'?: string;
  readonly 'business.address'?: Address;
  readonly contact?: Contact;
  readonly settlement?: Settlement;
}

/**
 * Change-request states. PENDING_REVIEW covers the automated checks and the human review (the
 * merchant may cancel throughout); the others are final. EXPIRED (no decision by the final review
 * deadline) is not in the spec's list but the workflow needs an end for that case.
 */
export type ChangeRequestStatus =
  | 'PENDING_REVIEW'
  | 'APPLIED'
  | 'REJECTED'
  | 'STALE'
  | 'CANCELLED'
  | 'EXPIRED';

/**
 * One audit entry: status reached, when, by whom, and the names (not values) of changed fields;
 * `NOTIFICATION_*` entries add channel, template and masked recipient.
 */
export interface ChangeRequestEvent extends Partial<NotificationNote> {
  readonly status: ChangeRequestStatus;
  readonly at: string;
  readonly actor: Actor;
  readonly action: string;
  readonly fields?: readonly string[];
}

/** The stored change request (one item; personal data only in `changes` and `before`). */
export interface ChangeRequestRecord {
  readonly changeRequestId: string;
  readonly merchantNo: string;
  readonly status: ChangeRequestStatus;
  readonly changes: ChangeSet;
  /** The merchant's own explanation. */
  readonly reason: string;
  /** The merchant version the change was written against; approval applies only on this version. */
  readonly expectedVersion: number;
  /** Names of the leaf fields that differ from the merchant (at creation; at application once APPLIED). */
  readonly fields: readonly string[];
  /** The values the change replaced, kept once APPLIED (the review diff and the old contact's message). */
  readonly before?: ChangeSet;
  /** The merchant version this request produced. */
  readonly appliedVersion?: number;
  readonly checks: readonly AutomatedCheck[];
  readonly requiredChecks: readonly RequiredCheck[];
  /** Why the request was rejected, went stale or expired. */
  readonly reasons: readonly Reason[];
  readonly timeline: readonly ChangeRequestEvent[];
  readonly executionArn?: string;
  /** Optimistic-lock counter, incremented by every write. */
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The keys present in a change set, in the API's order. */
export function changeKeysOf(changes: ChangeSet): ChangeKey[] {
  return CHANGEABLE_KEYS.filter((key) => changes[key] !== undefined);
}

/** The merchant's current values of the keys a change set touches (the "before" of the diff). */
export function currentValues(merchant: MerchantRecord, changes: ChangeSet): ChangeSet {
  const values: Record<string, unknown> = {};
  for (const key of changeKeysOf(changes)) {
    if (key === 'business.name') values[key] = merchant.business.name;
    else if (key === 'business.address') values[key] = merchant.business.address;
    else values[key] = merchant[key];
  }
  return values as ChangeSet;
}

/** `{'business.name': x}` → `{business: {name: x}}`, so leaf names come out as dotted paths. */
function nested(changes: ChangeSet): Record<string, unknown> {
  const business: Record<string, unknown> = {};
  if (changes['business.name'] !== undefined) business.name = changes['business.name'];
  if (changes['business.address'] !== undefined) business.address = changes['business.address'];
  return {
    ...(Object.keys(business).length > 0 ? { business } : {}),
    ...(changes.contact ? { contact: changes.contact } : {}),
    ...(changes.settlement ? { settlement: changes.settlement } : {}),
  };
}

/** Dotted names of the leaf fields a change set would change, e.g. `settlement.accountNumber`. */
export function changedFields(merchant: MerchantRecord, changes: ChangeSet): string[] {
  return changedFieldNames(nested(currentValues(merchant, changes)), nested(changes));
}

/** The merchant with the change applied, one version later. */
export function applyChanges(merchant: MerchantRecord, changes: ChangeSet, at: string): MerchantRecord {
  return {
    ...merchant,
    business: {
      ...merchant.business,
      ...(changes['business.name'] !== undefined ? { name: changes['business.name'] } : {}),
      ...(changes['business.address'] !== undefined ? { address: changes['business.address'] } : {}),
    },
    contact: changes.contact ?? merchant.contact,
    settlement: changes.settlement ?? merchant.settlement,
    version: merchant.version + 1,
    updatedAt: at,
  };
}

/** A change set with every personal number masked (phone, email, account number). */
export function maskChangeSet(changes: ChangeSet): ChangeSet {
  return {
    ...changes,
    ...(changes.contact ? { contact: maskContact(changes.contact) } : {}),
    ...(changes.settlement ? { settlement: maskSettlement(changes.settlement) } : {}),
  };
}

/** The masked before/after of each changed key, as the reviewer sees it. */
export function maskedDiff(before: ChangeSet, after: ChangeSet) {
  const maskedBefore = maskChangeSet(before);
  const maskedAfter = maskChangeSet(after);
  return changeKeysOf(after).map((key) => ({
    field: key,
    before: maskedBefore[key] ?? null,
    after: maskedAfter[key] ?? null,
  }));
}

/** A merchant snapshot (a version) with personal numbers masked. */
export function maskMerchantSnapshot(snapshot: MerchantRecord) {
  const { licenseNumber, ...business } = snapshot.business;
  return {
    status: snapshot.status,
    type: snapshot.type,
    business: licenseNumber ? { ...business, licenseNumber: maskLicense(licenseNumber) } : business,
    contact: maskContact(snapshot.contact),
    settlement: maskSettlement(snapshot.settlement),
    locale: snapshot.locale,
  };
}

/** Dotted names of the fields that differ between two merchant snapshots (versions without stored names). */
export function snapshotFields(before: MerchantRecord, after: MerchantRecord): string[] {
  const comparable = (m: MerchantRecord) => ({
    status: m.status,
    type: m.type,
    business: m.business,
    contact: m.contact,
    settlement: m.settlement,
    locale: m.locale,
  });
  return changedFieldNames(comparable(before), comparable(after));
}

/**
 * Checks a reviewer must do before approving a change (spec 5, and the intake rules of spec 4.2
 * applied to what changes):
 * - phone call-back, always: it goes to the contact on record, i.e. the old one, and a stolen
 *   merchant token must not be enough to redirect settlement money or the merchant's contact
 *   (the spec requires it for settlement changes; every changeable field is worth the same call);
 * - site inspection when the business address of an ENTERPRISE or HIGH-risk merchant moves (the
 *   site is what intake inspected), and when settlement moves to T0 (intake inspects T0 merchants).
 */
export function requiredChecksForChange(merchant: MerchantRecord, changes: ChangeSet): RequiredCheck[] {
  const highRisk = mccRiskLevel(merchant.business.mcc) === 'HIGH';
  const addressSite =
    changes['business.address'] !== undefined && (merchant.type === 'ENTERPRISE' || highRisk);
  const toT0 = changes.settlement?.cycle === 'T0' && merchant.settlement.cycle !== 'T0';
  return addressSite || toT0 ? ['phoneCallback', 'siteInspection'] : ['phoneCallback'];
}

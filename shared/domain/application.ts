import type { ApplicationBody, Contact, Settlement } from '../validation/application-schema';
import { maskAccountNumber, maskEmail, maskIdNumber, maskLicense, maskPhone } from './masking';
import type { Channel, NotificationNote } from './notification';

/** Application states of spec 5. */
export type ApplicationStatus =
  | 'DRAFT'
  | 'SUBMITTED'
  | 'CHECKING'
  | 'PENDING_REVIEW'
  | 'NEEDS_CHANGES'
  | 'APPROVED'
  | 'REJECTED'
  | 'WITHDRAWN'
  | 'EXPIRED';

/** States in which the merchant may still correct the body (PUT, documents). */
export const EDITABLE_STATUSES: readonly ApplicationStatus[] = ['DRAFT', 'NEEDS_CHANGES'];

/** States that have not been decided yet (withdrawal is allowed). */
export const UNDECIDED_STATUSES: readonly ApplicationStatus[] = [
  'DRAFT',
  'SUBMITTED',
  'CHECKING',
  'PENDING_REVIEW',
  'NEEDS_CHANGES',
];

/** Document kinds of spec 4.1. */
export const DOCUMENT_KINDS = [
  'ID_CARD_FRONT',
  'ID_CARD_BACK',
  'BUSINESS_LICENSE',
  'BANK_CARD',
  'STORE_PHOTO',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Accepted upload content types. */
export const DOCUMENT_CONTENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[number];

/** Required document kinds per merchant type. */
export function requiredDocumentKinds(type: ApplicationBody['type']): readonly DocumentKind[] {
  const individual: DocumentKind[] = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'];
  return type === 'ENTERPRISE' ? [...individual, 'BUSINESS_LICENSE'] : individual;
}

/**
 * What was stored for a document when it was submitted: the exact version that is checked,
 * reviewed, shown and kept from then on, and how to tell it from any other content of the key.
 */
export interface PinnedVersion {
  /** The S3 version id; absent where the store keeps no versions (s3rver: the ETag decides). */
  readonly versionId?: string;
  /** The entity tag of that content. */
  readonly etag: string;
  /** The full-object checksum S3 reported (`CRC64NVME:<base64>`…), when it reports one. */
  readonly checksum?: string;
  readonly size: number;
  /** When it was pinned (the submission). */
  readonly at: string;
}

/** The latest document of a kind (a newer one replaces the older). */
export interface DocumentRef {
  readonly documentId: string;
  readonly contentType: DocumentContentType;
  /** S3 object key; contains only ids, never personal data. */
  readonly objectKey: string;
  readonly createdAt: string;
  /** Set at the first submission that included this document; never changed after. */
  readonly submitted?: PinnedVersion;
}

/** When each contact channel was verified (ISO 8601); a missing channel is unverified. */
export type ContactVerifications = Readonly<Partial<Record<Channel, string>>>;

/**
 * Whether the contact on `channel` is verified (spec 6): submit needs both, and before it an
 * address gets nothing but its code. An application submitted before contacts were verified has
 * no record of it, and its contacts were in use already: they count as verified.
 */
export function contactVerified(
  record: Pick<ApplicationRecord, 'contactVerifications' | 'submissionCount'>,
  channel: Channel,
): boolean {
  const verifications = record.contactVerifications;
  return verifications === undefined ? record.submissionCount > 0 : verifications[channel] !== undefined;
}

/** Who did something: the merchant, a staff member (Cognito `sub`), or the system. */
export type Actor = `merchant:${string}` | `staff:${string}` | 'system';

/**
 * One audit entry: status reached, when, by whom, and the names (not values) of changed fields. A
 * message that did not reach the merchant (`NOTIFICATION_*` actions) adds its channel, template
 * and masked recipient.
 */
export interface TimelineEntry extends Partial<NotificationNote> {
  readonly status: ApplicationStatus;
  readonly at: string;
  readonly actor: Actor;
  readonly action: string;
  readonly fields?: readonly string[];
}

/** A reason given with a rejection or a request for changes. */
export interface Reason {
  readonly field: string;
  readonly code: string;
  readonly reason: string;
}

/** One automated check's result, shown to the reviewer. */
export interface AutomatedCheck {
  readonly name: string;
  readonly result: 'PASS' | 'FAIL' | 'WARN';
  readonly detail: string;
}

/** The stored application (one item). */
export interface ApplicationRecord {
  readonly applicationId: string;
  readonly status: ApplicationStatus;
  readonly body: ApplicationBody & { locale: 'zh-CN' | 'en' };
  /** SHA-256 of the merchant access token; the token itself is never stored. */
  readonly tokenHash: string;
  readonly documents: Partial<Record<DocumentKind, DocumentRef>>;
  readonly reasons: readonly Reason[];
  readonly checks: readonly AutomatedCheck[];
  readonly timeline: readonly TimelineEntry[];
  readonly merchantNo?: string;
  readonly terminalId?: string;
  readonly executionArn?: string;
  /** Incremented at each submission; review task ids derive from it. */
  readonly submissionCount: number;
  /** Task token of the workflow waiting for a resubmission (NEEDS_CHANGES). */
  readonly resubmissionToken?: string;
  /** Uniqueness markers this application holds (keys, keyed hashes only). */
  readonly uniquenessKeys: readonly string[];
  /**
   * When the contact phone (`SMS`) and email (`EMAIL`) were verified by a code (spec 6); a PUT that
   * changes one removes it. Absent on applications created before contacts were verified: those
   * were messaged before and keep being messaged.
   */
  readonly contactVerifications?: ContactVerifications;
  /** Optimistic-lock counter, incremented by every write. */
  readonly revision: number;
  /**
   * SHA-256 of the canonical create body: the application id derives from the Idempotency-Key,
   * so this is what tells a replay (same body) from a reused key (another body).
   */
  readonly requestHash?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * How long a replay of a create may answer the first access token (spec 6): only this long, and
 * only while the token was never used; after that a replay answers the application without it.
 */
export const TOKEN_REPLAY_SECONDS = 24 * 3600;

/** Review task id of an application's n-th submission (stable across workflow retries). */
export function applicationTaskId(applicationId: string, submissionCount: number): string {
  return `${applicationId}-${submissionCount}`;
}

/** A draft left unsubmitted past its time-to-live reads as EXPIRED (lazy expiry). */
export function effectiveStatus(
  record: ApplicationRecord,
  now: Date,
  draftTtlSeconds: number,
): ApplicationStatus {
  if (record.status === 'DRAFT' && Date.parse(record.createdAt) + draftTtlSeconds * 1000 <= now.getTime()) {
    return 'EXPIRED';
  }
  return record.status;
}

/** Masked `contact`. */
export function maskContact(contact: Contact): Contact {
  return { ...contact, phone: maskPhone(contact.phone), email: maskEmail(contact.email) };
}

/** Masked `settlement`. */
export function maskSettlement(settlement: Settlement): Settlement {
  return { ...settlement, accountNumber: maskAccountNumber(settlement.accountNumber) };
}

/** The application body with every personal number masked, for responses and the review view. */
export function maskApplicationBody(body: ApplicationBody) {
  const { licenseNumber, ...business } = body.business;
  return {
    type: body.type,
    business: licenseNumber ? { ...business, licenseNumber: maskLicense(licenseNumber) } : business,
    legalPerson: {
      name: body.legalPerson.name,
      idNumber: maskIdNumber(body.legalPerson.idNumber),
      phone: maskPhone(body.legalPerson.phone),
    },
    contact: maskContact(body.contact),
    settlement: maskSettlement(body.settlement),
    terminal: body.terminal ?? null,
    locale: body.locale ?? 'zh-CN',
  };
}

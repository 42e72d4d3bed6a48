import type { Deadlines } from '../config/env';
import {
  type ApplicationRecord,
  type ApplicationStatus,
  type DocumentKind,
  EDITABLE_STATUSES,
  type Reason,
  requiredDocumentKinds,
} from '../domain/application';
import { unverifiedContacts } from './contacts';

/*
 * What the merchant must still do on an application (spec 9, `requirements` of
 * `GET /v1/applications/{id}`), so nobody has to guess from the status: the items currently due
 * (field paths such as `documents.BANK_CARD` or `business.address.detail`), those whose deadline
 * passed, the deadline itself, and why each correction is asked for.
 *
 * Each source below looks at one kind of requirement; a new kind is one more source in
 * {@link REQUIREMENT_SOURCES}.
 */

/** What `requirements` answers. */
export interface Requirements {
  /** Field paths the merchant must still provide or correct before it can submit. */
  readonly currentlyDue: readonly string[];
  /** Items that were due when their deadline passed (the application expired waiting for them). */
  readonly pastDue: readonly string[];
  /** Until when the merchant can act (a draft's expiry, the resubmission deadline), or `null`. */
  readonly deadline: string | null;
  /** Why an item is due where someone said so (a reviewer's reasons), or why it was refused. */
  readonly errors: readonly Reason[];
}

/** What a requirement source sees. */
export interface RequirementContext {
  readonly record: ApplicationRecord;
  /** The uploaded state of each document the application holds. */
  readonly documents: readonly { readonly kind: DocumentKind; readonly uploaded: boolean }[];
}

/** One kind of requirement: the items it makes due, and why. */
export type RequirementSource = (context: RequirementContext) => {
  readonly due: readonly string[];
  readonly errors?: readonly Reason[];
};

/**
 * The contact phone and email until each is verified by a code (spec 6): `contact.phone`,
 * `contact.email` — the same fields submit reports as `UNVERIFIED`.
 */
export const contactsDue: RequirementSource = ({ record }) => ({
  due: unverifiedContacts(record).map((problem) => problem.field),
});

/** Every required document not uploaded yet. */
export const documentsDue: RequirementSource = ({ record, documents }) => ({
  due: requiredDocumentKinds(record.body.type)
    .filter((kind) => !documents.some((document) => document.kind === kind && document.uploaded))
    .map((kind) => `documents.${kind}`),
});

/** The fields a reviewer asked to correct (NEEDS_CHANGES), with the reviewer's reasons. */
export const correctionsDue: RequirementSource = ({ record }) => {
  const reasons = record.reasons.filter((reason) => reason.code === 'CHANGES_REQUESTED');
  return { due: reasons.map((reason) => reason.field), errors: reasons };
};

/** The sources, in the order their items are listed. */
export const REQUIREMENT_SOURCES: readonly RequirementSource[] = [contactsDue, documentsDue, correctionsDue];

/** The status an application had before it expired (`undefined` when it did not). */
function statusBeforeExpiry(
  record: ApplicationRecord,
  status: ApplicationStatus,
): ApplicationStatus | undefined {
  if (status !== 'EXPIRED') return undefined;
  // A draft expires lazily: its stored status is still DRAFT.
  if (record.status === 'DRAFT') return 'DRAFT';
  const before = record.timeline.filter((entry) => entry.status !== 'EXPIRED').at(-1);
  return before?.status;
}

/** When the merchant's time runs out in `status`: a draft's expiry or the resubmission deadline. */
function deadlineOf(
  record: ApplicationRecord,
  status: ApplicationStatus,
  deadlines: Pick<Deadlines, 'draftTtlSeconds' | 'resubmissionSeconds'>,
): string | null {
  const after = (start: string, seconds: number) =>
    new Date(Date.parse(start) + seconds * 1000).toISOString();
  if (status === 'DRAFT') return after(record.createdAt, deadlines.draftTtlSeconds);
  if (status === 'NEEDS_CHANGES') {
    // The wait for corrections starts when the application last entered NEEDS_CHANGES.
    let entered = record.updatedAt;
    record.timeline.forEach((entry, index) => {
      if (entry.status === 'NEEDS_CHANGES' && record.timeline[index - 1]?.status !== 'NEEDS_CHANGES')
        entered = entry.at;
    });
    return after(entered, deadlines.resubmissionSeconds);
  }
  return null;
}

/**
 * The requirements of an application in its effective `status` (a draft past its time-to-live
 * reads as EXPIRED): due items only while the merchant can act (DRAFT, NEEDS_CHANGES); past due
 * when it expired waiting for them; a rejection's reasons as errors.
 */
export function requirementsOf(
  context: RequirementContext,
  status: ApplicationStatus,
  now: Date,
  deadlines: Pick<Deadlines, 'draftTtlSeconds' | 'resubmissionSeconds'>,
): Requirements {
  const { record } = context;
  const before = statusBeforeExpiry(record, status);
  const acting = EDITABLE_STATUSES.includes(status) ? status : before;
  if (acting === undefined || !EDITABLE_STATUSES.includes(acting)) {
    const refused = status === 'REJECTED' ? record.reasons : [];
    return { currentlyDue: [], pastDue: [], deadline: null, errors: refused };
  }
  const found = REQUIREMENT_SOURCES.map((source) => source(context));
  const due = [...new Set(found.flatMap((result) => result.due))];
  const errors = found.flatMap((result) => result.errors ?? []);
  const deadline = deadlineOf(record, acting, deadlines);
  const late = status === 'EXPIRED' || (deadline !== null && Date.parse(deadline) <= now.getTime());
  return {
    currentlyDue: late ? [] : due,
    pastDue: late ? due : [],
    deadline,
    errors,
  };
}

import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { digestsEqual, newMerchantToken, sha256Hex } from '../auth/tokens';
import type { Deadlines } from '../config/env';
import {
  type Actor,
  type ApplicationRecord,
  type ApplicationStatus,
  applicationTaskId,
  DOCUMENT_CONTENT_TYPES,
  DOCUMENT_KINDS,
  EDITABLE_STATUSES,
  effectiveStatus,
  TOKEN_REPLAY_SECONDS,
  UNDECIDED_STATUSES,
} from '../domain/application';
import { changedFieldNames } from '../domain/diff';
import { AppError, invalidState, notFound, validationFailed } from '../errors';
import {
  checkIdempotencyKey,
  idempotencyKeyReused,
  requestHashOf,
  keyHash as scopedKeyHash,
} from '../idempotency';
import { logger } from '../logger';
import { uniquenessMarkerKeys } from '../merchants/identities';
import type {
  Clock,
  DocumentInspector,
  DocumentStorage,
  KeyedHasher,
  WorkflowControl,
  WorkflowEngine,
} from '../ports';
import {
  type ApplicationRepository,
  DuplicateMerchantError,
  type ReviewTaskCloser,
  StaleWriteError,
} from '../ports/repositories';
import { parseApplication } from '../validation/application-schema';
import { lazy } from '../validation/lazy';
import { zodProblems } from '../validation/problems';
import { keptVerifications, unverifiedContacts } from './contacts';
import { MAX_DOCUMENT_BYTES, pinDocuments, UPLOAD_URL_SECONDS } from './documents';
import { type OnboardingExecution, onboardingExecution } from './process';
import { applicationView } from './view';

/** Everything the application use cases need. */
export interface ApplicationDeps {
  readonly applications: ApplicationRepository;
  readonly hasher: KeyedHasher;
  readonly storage: DocumentInspector;
  readonly clock: Clock;
  readonly deadlines: Deadlines;
}

/** What the use cases on an existing draft need (no keyed hashing). */
export type DraftDeps = Omit<ApplicationDeps, 'hasher'>;

/** What creating a draft needs: no keyed hashing (the token is random, the id a plain hash). */
export type CreateDeps = Pick<ApplicationDeps, 'applications' | 'clock'>;

/** What the document upload route needs: a draft and a storage that signs uploads. */
export type UploadDeps = DraftDeps & { readonly storage: DocumentStorage };

/** Application use cases that also drive the workflow. */
export interface WorkflowDeps extends ApplicationDeps {
  readonly workflow: WorkflowEngine<OnboardingExecution>;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The application id of an Idempotency-Key (its scoped hash): 128 bits of a hash spelled like a
 * ULID (26 Crockford base32 characters, the first 0–7), so token parsing and path validation treat
 * it as any id. Deterministic, so that the application item itself is the key's idempotency record
 * and a create is one conditional PutItem; ids are therefore not time-ordered (nothing sorts by them).
 */
export function applicationIdFor(keyHash: string): string {
  let bits = BigInt(`0x${sha256Hex(`application-id\u0000${keyHash}`).slice(0, 32)}`);
  let id = '';
  for (let i = 0; i < 26; i++) {
    id = CROCKFORD.charAt(Number(bits & 31n)) + id;
    bits >>= 5n;
  }
  return id;
}

function timelineEntry(
  status: ApplicationStatus,
  at: string,
  actor: Actor,
  action: string,
  fields?: string[],
) {
  return fields && fields.length > 0 ? { status, at, actor, action, fields } : { status, at, actor, action };
}

/**
 * What creating a draft answers: the first time, and on a replay of its key and body while the
 * token was never used and for {@link TOKEN_REPLAY_SECONDS}; later replays omit `accessToken`.
 */
export interface CreatedApplication {
  readonly applicationId: string;
  readonly status: 'DRAFT';
  readonly createdAt: string;
  readonly accessToken?: string;
}

/** `POST /v1/applications`: creates a draft, exactly once per Idempotency-Key. */
export async function createApplication(
  deps: CreateDeps,
  input: { idempotencyKey: string | undefined; body: unknown },
): Promise<CreatedApplication> {
  const idempotencyKey = checkIdempotencyKey(input.idempotencyKey);
  const now = deps.clock.now();
  // Validation first: an invalid body stores nothing, so the key stays free for a corrected body.
  const body = parseApplication(input.body, now);
  const keyHash = scopedKeyHash('create-application', idempotencyKey);
  const requestHash = requestHashOf(input.body);

  const applicationId = applicationIdFor(keyHash);
  // Random like every later token: whoever saw the request (key and body) cannot derive it.
  const accessToken = newMerchantToken(applicationId);
  const createdAt = now.toISOString();
  const record: ApplicationRecord = {
    applicationId,
    status: 'DRAFT',
    body,
    tokenHash: sha256Hex(accessToken),
    documents: {},
    reasons: [],
    checks: [],
    timeline: [timelineEntry('DRAFT', createdAt, `merchant:${applicationId}`, 'CREATED')],
    submissionCount: 0,
    uniquenessKeys: [],
    // Nothing verified yet: submit needs both channels (spec 6).
    contactVerifications: {},
    revision: 1,
    requestHash,
    createdAt,
    updatedAt: createdAt,
  };
  // Write first, read nothing: a new key (the common case) costs one conditional transaction (the
  // draft and its replayable first token), and a taken key returns the stored application. The
  // condition is also what makes concurrent requests with one key create exactly one application.
  let stored: ApplicationRecord | undefined;
  try {
    stored = await deps.applications.createIfAbsent(record, {
      token: accessToken,
      replayUntil: new Date(now.getTime() + TOKEN_REPLAY_SECONDS * 1000).toISOString(),
    });
  } catch (error) {
    if (error instanceof StaleWriteError)
      throw new AppError('CONFLICT', 'The same Idempotency-Key is being used right now; retry');
    throw error;
  }
  if (stored) {
    if (stored.requestHash !== requestHash) throw idempotencyKeyReused();
    // The first answer again (id, status, creation time), with the token only while it was never
    // used (nor replaced) and for 24 hours: a replay by whoever saw the request gets no credential.
    const firstToken = await deps.applications.replayableToken(stored.applicationId, now);
    const live = firstToken !== undefined && digestsEqual(sha256Hex(firstToken), stored.tokenHash);
    return {
      applicationId: stored.applicationId,
      status: 'DRAFT',
      createdAt: stored.createdAt,
      ...(live ? { accessToken: firstToken } : {}),
    };
  }
  logger.info('application created', { applicationId });
  return { applicationId, status: 'DRAFT', createdAt, accessToken };
}

/** Loads the caller's own application (the principal was checked against the path). */
export async function loadApplication(deps: Pick<ApplicationDeps, 'applications'>, applicationId: string) {
  const record = await deps.applications.get(applicationId);
  if (!record) throw notFound('Application');
  return record;
}

/** 409 unless the application can still be corrected (DRAFT or NEEDS_CHANGES, not expired). */
export function requireEditable(
  record: ApplicationRecord,
  deps: Pick<DraftDeps, 'clock' | 'deadlines'>,
): void {
  const status = effectiveStatus(record, deps.clock.now(), deps.deadlines.draftTtlSeconds);
  if (!EDITABLE_STATUSES.includes(status)) {
    throw invalidState(`The application cannot be changed while ${status}`);
  }
}

/** How often a merchant's change is replayed on a record the workflow wrote meanwhile. */
const STALE_WRITE_ATTEMPTS = 3;

/**
 * Applies a merchant's change to the latest revision of the application. The workflow writes
 * the same item (its status, its task tokens); a request that loses that race is built again on
 * the fresh record instead of answering 409, and only a persistent conflict reaches the client.
 */
export async function applyToLatest<T>(
  deps: Pick<ApplicationDeps, 'applications'>,
  applicationId: string,
  build: (record: ApplicationRecord) => Promise<{
    next: ApplicationRecord;
    markers?: { claim?: readonly string[]; release?: readonly string[] };
    result: T;
  }>,
): Promise<{ record: ApplicationRecord; next: ApplicationRecord; result: T }> {
  for (let attempt = 1; ; attempt++) {
    const record = await loadApplication(deps, applicationId);
    const { next, markers, result } = await build(record);
    try {
      await deps.applications.save(next, record.revision, markers);
      return { record, next, result };
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
      if (attempt >= STALE_WRITE_ATTEMPTS) {
        throw new AppError(
          'CONFLICT',
          'The application was changed at the same time; read it again and retry',
        );
      }
    }
  }
}

/** `PUT /v1/applications/{id}`: the whole corrected body while DRAFT or NEEDS_CHANGES. */
export async function updateApplication(deps: DraftDeps, applicationId: string, input: unknown) {
  const now = deps.clock.now();
  const body = parseApplication(input, now);
  const { next } = await applyToLatest(deps, applicationId, async (record) => {
    requireEditable(record, deps);
    const at = now.toISOString();
    const fields = changedFieldNames(record.body, body);
    const next: ApplicationRecord = {
      ...record,
      body,
      // A changed phone or email must be verified again (spec 6).
      contactVerifications: keptVerifications(record, body),
      revision: record.revision + 1,
      updatedAt: at,
      timeline: [
        ...record.timeline,
        timelineEntry(record.status, at, `merchant:${applicationId}`, 'UPDATED', fields),
      ],
    };
    return { next, result: undefined };
  });
  return applicationView(next, {
    storage: deps.storage,
    now,
    deadlines: deps.deadlines,
  });
}

/** Built on first use: module scope is cold start for every function importing this module. */
export const documentRequestSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    kind: z.enum(DOCUMENT_KINDS),
    contentType: z.enum(DOCUMENT_CONTENT_TYPES),
    /** The exact size: the PUT URL signs Content-Length, so no other size can be written. */
    sizeBytes: z.int().check(z.minimum(1), z.maximum(MAX_DOCUMENT_BYTES)),
  }),
);

/**
 * `POST /v1/applications/{id}/documents`: a presigned PUT for one document kind whose signature
 * covers the content type, the exact size and `If-None-Match: *` — the URL writes its new key
 * once, and nothing can replace the document later (a newer document of a kind is a new key).
 */
export async function createDocumentUpload(deps: UploadDeps, applicationId: string, input: unknown) {
  const parsed = z.safeParse(documentRequestSchema(), input);
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input }));
  const { kind, contentType, sizeBytes } = parsed.data;
  const now = deps.clock.now();
  const documentId = ulid(now.getTime());
  const objectKey = `applications/${applicationId}/${kind}/${documentId}`;
  await applyToLatest(deps, applicationId, async (record) => {
    requireEditable(record, deps);
    const at = now.toISOString();
    const next: ApplicationRecord = {
      ...record,
      documents: { ...record.documents, [kind]: { documentId, contentType, objectKey, createdAt: at } },
      revision: record.revision + 1,
      updatedAt: at,
      timeline: [
        ...record.timeline,
        timelineEntry(record.status, at, `merchant:${applicationId}`, 'DOCUMENT_ADDED', [
          `documents.${kind}`,
        ]),
      ],
    };
    return { next, result: undefined };
  });
  // Signed only once the document is recorded, so every URL handed out belongs to the application.
  const uploadUrl = await deps.storage.presignUpload({
    objectKey,
    contentType,
    expiresInSeconds: UPLOAD_URL_SECONDS,
    sizeBytes,
  });
  return {
    documentId,
    kind,
    uploadUrl,
    method: 'PUT',
    // The PUT must carry exactly these headers: they are part of its signature.
    headers: { 'content-type': contentType, 'content-length': String(sizeBytes), 'if-none-match': '*' },
    sizeBytes,
    expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
    maxBytes: MAX_DOCUMENT_BYTES,
  };
}

/** `POST /v1/applications/{id}/submit`: from DRAFT starts the workflow, from NEEDS_CHANGES resumes it. */
export async function submitApplication(deps: WorkflowDeps, applicationId: string) {
  const now = deps.clock.now();
  let saved: { record: ApplicationRecord; next: ApplicationRecord; result: { markers: string[] } };
  try {
    saved = await applyToLatest(deps, applicationId, async (record) => {
      requireEditable(record, deps);
      // The rules are checked again: a draft may be old (an ID holder turns 18, a rule changed).
      const body = parseApplication(record.body, now);
      // Contacts first: nothing is sent to an address that did not prove it asked (spec 6).
      const unverified = unverifiedContacts(record);
      // Each document is pinned to the version stored now: checks, review and downloads use that one.
      const { problems: missing, documents } = await pinDocuments(record, deps.storage, now.toISOString());
      if (unverified.length > 0 || missing.length > 0) {
        throw validationFailed(
          [...unverified, ...missing],
          unverified.length === 0
            ? 'Required documents are missing'
            : missing.length === 0
              ? 'Verify the contact phone and email first'
              : 'Verify the contact phone and email, and upload every required document',
        );
      }
      const markers = await uniquenessMarkerKeys(body, deps.hasher);
      const at = now.toISOString();
      const next: ApplicationRecord = {
        ...record,
        status: 'SUBMITTED',
        documents,
        submissionCount: record.submissionCount + 1,
        uniquenessKeys: markers,
        resubmissionToken: undefined,
        // Stored before the start: the workflow's first step may write the application at once.
        executionArn: record.executionArn ?? deps.workflow.executionArnOf(applicationId),
        reasons: [],
        revision: record.revision + 1,
        updatedAt: at,
        timeline: [
          ...record.timeline,
          timelineEntry(
            'SUBMITTED',
            at,
            `merchant:${applicationId}`,
            record.status === 'NEEDS_CHANGES' ? 'RESUBMITTED' : 'SUBMITTED',
          ),
        ],
      };
      return { next, markers: { claim: markers, release: record.uniquenessKeys }, result: { markers } };
    });
  } catch (error) {
    if (error instanceof DuplicateMerchantError) {
      throw new AppError(
        'DUPLICATE_MERCHANT',
        'A merchant with this licence or ID is already active or pending',
      );
    }
    throw error;
  }
  const { record, next } = saved;
  const { markers } = saved.result;
  const resuming = record.status === 'NEEDS_CHANGES';

  try {
    if (resuming) {
      // Without a stored token the workflow has not reached its wait yet; when it does, it sees
      // SUBMITTED and continues by itself (task-await-resubmission).
      if (record.resubmissionToken) {
        await deps.workflow.resume(record.resubmissionToken, {
          resubmitted: true,
          submission: next.submissionCount,
        });
      }
    } else {
      await deps.workflow.start(applicationId, onboardingExecution(applicationId, deps.deadlines));
    }
  } catch (error) {
    // Nothing may be left half-done: without a running workflow the application goes back to
    // where it was, so the merchant can simply submit again.
    logger.error('workflow hand-off failed; reverting the submission', {
      applicationId,
      errorName: (error as Error).name,
    });
    const current = await deps.applications.get(applicationId);
    if (current && current.status === 'SUBMITTED' && current.submissionCount === next.submissionCount) {
      await deps.applications.save(
        { ...record, revision: current.revision + 1, updatedAt: deps.clock.now().toISOString() },
        current.revision,
        { release: markers.filter((marker) => !record.uniquenessKeys.includes(marker)) },
      );
    }
    throw new AppError('SERVICE_UNAVAILABLE', 'The application could not be submitted now; try again', {
      cause: error,
    });
  }
  return { applicationId, status: 'SUBMITTED' as const };
}

/** `GET /v1/applications/{id}` */
export async function getApplication(deps: DraftDeps, applicationId: string) {
  const record = await loadApplication(deps, applicationId);
  return applicationView(record, {
    storage: deps.storage,
    now: deps.clock.now(),
    deadlines: deps.deadlines,
  });
}

/** `POST /v1/applications/{id}/withdraw`: while not decided → WITHDRAWN; the workflow is stopped. */
export async function withdrawApplication(
  deps: Pick<WorkflowDeps, 'applications' | 'clock' | 'deadlines'> & {
    /** The current submission's task is closed (the submission ends with the application). */
    readonly reviews: ReviewTaskCloser;
    readonly workflow: WorkflowControl;
  },
  applicationId: string,
) {
  const { record } = await applyToLatest(deps, applicationId, async (record) => {
    const status = effectiveStatus(record, deps.clock.now(), deps.deadlines.draftTtlSeconds);
    if (!UNDECIDED_STATUSES.includes(status)) {
      throw invalidState(`The application cannot be withdrawn while ${status}`);
    }
    const at = deps.clock.now().toISOString();
    const next: ApplicationRecord = {
      ...record,
      status: 'WITHDRAWN',
      uniquenessKeys: [],
      resubmissionToken: undefined,
      revision: record.revision + 1,
      updatedAt: at,
      timeline: [
        ...record.timeline,
        timelineEntry('WITHDRAWN', at, `merchant:${applicationId}`, 'WITHDRAWN'),
      ],
    };
    return { next, markers: { release: record.uniquenessKeys }, result: undefined };
  });
  if (record.submissionCount > 0) {
    await deps.reviews.close(applicationTaskId(applicationId, record.submissionCount), 'WITHDRAWN');
  }
  if (record.executionArn) {
    await deps.workflow.stop(record.executionArn, 'Withdrawn by the merchant').catch((error: Error) => {
      // The workflow's steps re-read the status and do nothing for a withdrawn application.
      logger.warn('could not stop the workflow', { applicationId, errorName: error.name });
    });
  }
  return { applicationId, status: 'WITHDRAWN' as const };
}

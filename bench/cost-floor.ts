/*
 * The floor of the cost figures: the fewest requests, state transitions and item writes that the
 * steps of the spec (../shared/spec/product.md, and the messages issue 5 asks for) need, for an
 * INDIVIDUAL merchant naming an SN in stock. Each step says why it cannot do with less; anything the product does beyond these is
 * design overhead (routing Choice states, bookkeeping items, second reads).
 */

/** What one step of an onboarding needs at the least. */
export interface FloorStep {
  readonly step: string;
  readonly why: string;
  readonly apiRequests?: number;
  /** One per Task state entered (Standard workflows bill every state entered). */
  readonly transitions?: number;
  readonly taskInvocations?: number;
  /** DynamoDB read requests (GetItem, one Query page). */
  readonly reads?: number;
  /** DynamoDB item writes (each item of a transaction counts). */
  readonly writes?: number;
  readonly s3Put?: number;
  readonly s3Get?: number;
  readonly emails?: number;
  readonly sms?: number;
}

/** Sums of a floor. */
export interface FloorTotals {
  readonly apiRequests: number;
  readonly transitions: number;
  readonly taskInvocations: number;
  readonly reads: number;
  readonly writes: number;
  readonly s3Put: number;
  readonly s3Get: number;
  readonly emails: number;
  readonly sms: number;
}

const TOKEN = 'the merchant token is stored only as a hash, so every merchant call reads it (1 read)';
/** What issue 5 asks of every email + SMS pair (exactly once, suppression list, SMS limit). */
const MESSAGES =
  "an email and an SMS, each at most once (claimed before and recorded after the send: 4 writes), each address checked against the suppression list (2 reads) and the SMS counted against the phone's hourly limit (1 write)";
const UPLOADED =
  'the view says per document whether it is uploaded (spec 4.1), so each required object is looked up (4 HEAD)';

const intake: FloorStep[] = [
  {
    step: 'create the draft',
    why: 'one conditional put of the application, found again by its Idempotency-Key (the replay needs a stored record; the application can be it)',
    apiRequests: 1,
    writes: 1,
  },
  {
    step: 'four document upload URLs and uploads',
    why: `one presigned PUT per required kind (4 for an individual); the object key can be fixed per kind, so nothing is written to the table; ${TOKEN}`,
    apiRequests: 4,
    reads: 4,
    s3Put: 4,
  },
  {
    step: 'submit',
    why: `a missing document must answer 400, so each required object is looked up (4 HEAD); status and the legal-person-ID uniqueness marker in one transaction (2 writes); ${TOKEN}`,
    apiRequests: 1,
    reads: 1,
    writes: 2,
    s3Get: 4,
  },
];

const checksAndReview: FloorStep[] = [
  {
    step: 'automated checks (Task)',
    why: `reads the application, the blocklist for the ID and the account, and the SN (4 reads); writes the results and PENDING_REVIEW (1); document presence is known from submit; the same Task sends issue 5's "application received" message: ${MESSAGES}`,
    transitions: 1,
    taskInvocations: 1,
    reads: 6,
    writes: 6,
    emails: 1,
    sms: 1,
  },
  {
    step: 'review wait (callback Task)',
    why: 'DynamoDB is not a callback integration, so a function must store the task token; the queue entry and the token in one item (1 write)',
    transitions: 1,
    taskInvocations: 1,
    writes: 1,
  },
  {
    step: 'reviewer lists the queue',
    why: 'one page of the queue index (1 read)',
    apiRequests: 1,
    reads: 1,
  },
  {
    step: 'reviewer opens the task',
    why: 'the task and its masked subject (2 reads)',
    apiRequests: 1,
    reads: 2,
  },
  {
    step: 'reviewer decides',
    why: 'the task (its required checks) is read, then decided with a conditional write so a second decision fails (1 read, 1 write)',
    apiRequests: 1,
    reads: 1,
    writes: 1,
  },
];

const approval: FloorStep[] = [
  {
    step: 'approval (Task)',
    why: "one transaction of the spec's atomic step: application, merchant, merchant-number sequence, terminal-ID sequence, the marker moved to the merchant, the SN binding (with the activation code hash), its history entry and the merchant's first version (8 writes) after reading the application (1 read)",
    transitions: 1,
    taskInvocations: 1,
    reads: 1,
    writes: 8,
  },
  {
    step: 'confirmation (Task)',
    why: `reads the application (1 read), then ${MESSAGES}`,
    transitions: 1,
    taskInvocations: 1,
    reads: 3,
    writes: 5,
    emails: 1,
    sms: 1,
  },
  {
    step: 'merchant reads the outcome',
    why: `${TOKEN}; ${UPLOADED}`,
    apiRequests: 1,
    reads: 1,
    s3Get: 4,
  },
];

const changesRequested: FloorStep[] = [
  {
    step: 'changes requested (Task)',
    why: `NEEDS_CHANGES with the reasons (1 write) after reading the application (1 read), then ${MESSAGES}`,
    transitions: 1,
    taskInvocations: 1,
    reads: 3,
    writes: 6,
    emails: 1,
    sms: 1,
  },
  {
    step: 'resubmission wait (callback Task)',
    why: 'the task token stored on the application (1 write)',
    transitions: 1,
    taskInvocations: 1,
    writes: 1,
  },
  { step: 'merchant reads the reasons', why: `${TOKEN}; ${UPLOADED}`, apiRequests: 1, reads: 1, s3Get: 4 },
  {
    step: 'merchant corrects the body (PUT)',
    why: `one conditional write; ${TOKEN}`,
    apiRequests: 1,
    reads: 1,
    writes: 1,
  },
  {
    step: 'resubmit',
    why: `documents looked up again (4 HEAD), status written (1), markers unchanged; ${TOKEN}`,
    apiRequests: 1,
    reads: 1,
    writes: 1,
    s3Get: 4,
  },
];

/** The floor of a happy-path onboarding. */
export const HAPPY_PATH_FLOOR: readonly FloorStep[] = [...intake, ...checksAndReview, ...approval];

/** What one REQUEST_CHANGES loop adds: the changes requested, the correction, checks and review again. */
export const CHANGES_LOOP_EXTRA: readonly FloorStep[] = [...changesRequested, ...checksAndReview];

/** The floor of an onboarding with one REQUEST_CHANGES loop before the approval. */
export const CHANGES_LOOP_FLOOR: readonly FloorStep[] = [
  ...intake,
  ...checksAndReview,
  ...CHANGES_LOOP_EXTRA,
  ...approval,
];

/** Sums a floor's steps. */
export function floorTotals(steps: readonly FloorStep[]): FloorTotals {
  const total = (key: keyof Omit<FloorStep, 'step' | 'why'>) =>
    steps.reduce((sum, step) => sum + (step[key] ?? 0), 0);
  return {
    apiRequests: total('apiRequests'),
    transitions: total('transitions'),
    taskInvocations: total('taskInvocations'),
    reads: total('reads'),
    writes: total('writes'),
    s3Put: total('s3Put'),
    s3Get: total('s3Get'),
    emails: total('emails'),
    sms: total('sms'),
  };
}

import { describe, expect, it } from 'vitest';
import { changeRequestSteps } from '../../../shared/change-requests/workflow';
import type { ChangeRequestRecord } from '../../../shared/domain/change-request';
import type { ReviewTaskRecord } from '../../../shared/domain/review';
import type { TransferRequestRecord } from '../../../shared/domain/terminal';
import { WORKFLOW_SEND_ATTEMPTS } from '../../../shared/notifications/send-once';
import type { EmailMessage } from '../../../shared/ports';
import type { ChangeRequestRepository } from '../../../shared/ports/change-requests';
import type { ReviewTaskRepository } from '../../../shared/ports/repositories';
import type { TransferRepository } from '../../../shared/ports/terminals';
import { transferSteps } from '../../../shared/transfers/workflow';
import { escalateReviewOf, recordFailureOf } from '../../../shared/workflow-kit/process-subjects';
import { notificationFakes } from '../../support/notification-fakes';

/*
 * The steps every process has (RecordFailure, EscalateReview), bound to each process's own
 * subjects: each writes into its own subject's timeline, and nothing guesses the process.
 */

const AT = '2026-11-23T08:15:00.000Z';
const clock = { now: () => new Date(AT) };

/** An in-memory subject store that can lose the next `n` conditional writes, like a concurrent writer. */
function store<R extends { revision: number }>(initial: R) {
  let current = initial;
  let losing = 0;
  const saves: R[] = [];
  return {
    current: () => current,
    saves,
    loseNext(n: number) {
      losing = n;
    },
    get: async (): Promise<R | undefined> => current,
    save: async (next: R, expectedRevision: number) => {
      if (losing > 0) {
        losing -= 1;
        // Another writer won: the stored record moved on by one revision.
        current = { ...current, revision: current.revision + 1 };
        return false;
      }
      if (current.revision !== expectedRevision) return false;
      saves.push(next);
      current = next;
      return true;
    },
  };
}

const transfer = (): TransferRequestRecord => ({
  transferRequestId: 'TR1',
  serialNumber: 'LKL00012345',
  fromMerchantNo: '102110054110001',
  toMerchantNo: '102110054110002',
  fromTerminalId: '00000001',
  reason: 'shop sold',
  status: 'PENDING_REVIEW',
  reasons: [],
  timeline: [
    { status: 'PENDING_REVIEW', at: '2026-11-23T08:00:00.000Z', actor: 'merchant:2', action: 'ACCEPTED' },
  ],
  executionArn: 'arn:aws:states:us-east-1:000000000000:execution:terminal-transfer:TR1',
  revision: 4,
  createdAt: '2026-11-23T07:00:00.000Z',
  updatedAt: '2026-11-23T08:00:00.000Z',
});

const changeRequest = (): ChangeRequestRecord => ({
  changeRequestId: 'CR1',
  merchantNo: '102110054110001',
  status: 'PENDING_REVIEW',
  changes: { 'business.name': '新店名' },
  reason: 'renamed',
  expectedVersion: 1,
  fields: ['business.name'],
  checks: [],
  requiredChecks: ['phoneCallback'],
  reasons: [],
  timeline: [
    { status: 'PENDING_REVIEW', at: '2026-11-23T08:00:00.000Z', actor: 'merchant:1', action: 'CREATED' },
  ],
  revision: 2,
  createdAt: '2026-11-23T07:00:00.000Z',
  updatedAt: '2026-11-23T08:00:00.000Z',
});

function pendingTask(taskId: string, kind: ReviewTaskRecord['kind']): ReviewTaskRecord {
  return {
    taskId,
    kind,
    subjectId: taskId,
    status: 'PENDING',
    createdAt: '2026-11-21T08:00:00.000Z',
    deadline: '2026-11-23T08:00:00.000Z',
    finalDeadline: '2026-11-28T08:00:00.000Z',
    escalated: false,
    automatedChecks: [],
    requiredChecks: ['phoneCallback'],
    summary: `${kind} · ${taskId}`,
  };
}

/** Review tasks in memory; records which tasks were flagged escalated. */
function reviews(task: ReviewTaskRecord) {
  const escalated: string[] = [];
  const repository = {
    markEscalated: async (taskId: string) => {
      escalated.push(taskId);
      return true;
    },
    get: async (taskId: string) => (taskId === task.taskId ? task : undefined),
  } as unknown as ReviewTaskRepository;
  return { repository, escalated };
}

function escalationDeps(task: ReviewTaskRecord, failEmails: boolean) {
  const emails: EmailMessage[] = [];
  const review = reviews(task);
  return {
    escalated: review.escalated,
    emails,
    deps: {
      ...notificationFakes(),
      reviews: review.repository,
      mailer: {
        send: async (message: EmailMessage) => {
          if (failEmails) throw new Error('SES down');
          emails.push(message);
          return `m-${emails.length}`;
        },
      },
      clock,
      config: { supervisorEmail: 'leads@example.com', supervisorLocale: 'en' as const },
    },
  };
}

describe.each([
  {
    process: 'terminal-transfer',
    subject: transfer,
    id: 'TR1',
    kind: 'TERMINAL_TRANSFER' as const,
    run: (records: ReturnType<typeof store<TransferRequestRecord>>) => ({
      recordFailure: (failure: { Error?: string }) =>
        recordFailureOf(
          transferSteps,
          { transfers: records as unknown as TransferRepository, clock },
          'TR1',
          failure,
        ),
      escalate: (deps: ReturnType<typeof escalationDeps>['deps']) =>
        escalateReviewOf(
          transferSteps,
          { ...deps, transfers: records as unknown as TransferRepository },
          'TR1',
        ),
      load: (id: string) => transferSteps.load({ transfers: records as unknown as TransferRepository }, id),
    }),
  },
  {
    process: 'change-request',
    subject: changeRequest,
    id: 'CR1',
    kind: 'CHANGE_REQUEST' as const,
    run: (records: ReturnType<typeof store<ChangeRequestRecord>>) => ({
      recordFailure: (failure: { Error?: string }) =>
        recordFailureOf(
          changeRequestSteps,
          { changeRequests: records as unknown as ChangeRequestRepository, clock },
          'CR1',
          failure,
        ),
      escalate: (deps: ReturnType<typeof escalationDeps>['deps']) =>
        escalateReviewOf(
          changeRequestSteps,
          { ...deps, changeRequests: records as unknown as ChangeRequestRepository },
          'CR1',
        ),
      load: (id: string) =>
        changeRequestSteps.load({ changeRequests: records as unknown as ChangeRequestRepository }, id),
    }),
  },
] as const)('$process', ({ subject, id, kind, run }) => {
  it('records a failure in its own subject: the error name only, status unchanged, after a lost race', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: one table row drives both subject types.
    const records = store<any>(subject());
    records.loseNext(1);
    expect(await run(records).recordFailure({ Error: 'States.Timeout' })).toEqual({ recorded: true });
    expect(records.saves).toHaveLength(1);
    expect(records.current().status).toBe('PENDING_REVIEW');
    expect(records.current().timeline.at(-1)).toEqual({
      status: 'PENDING_REVIEW',
      at: AT,
      actor: 'system',
      action: 'WORKFLOW_FAILED:States.Timeout',
    });
  });

  it('escalates the review task that has the subject id, and tells supervisors once', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: one table row drives both subject types.
    const records = store<any>(subject());
    const { deps, emails, escalated } = escalationDeps(pendingTask(id, kind), false);
    expect(await run(records).escalate(deps)).toMatchObject({ taskId: id, escalated: true, notice: 'SENT' });
    expect(await run(records).escalate(deps)).toMatchObject({ taskId: id, escalated: true });
    expect(escalated).toEqual([id, id]);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toBe(`Review task escalated: ${id}`);
    expect(records.saves).toHaveLength(0);
  });

  it('notes a notice that never reached the supervisors in its own subject, without failing the review', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: one table row drives both subject types.
    const records = store<any>(subject());
    const { deps } = escalationDeps(pendingTask(id, kind), true);
    let attempts = 0;
    for (; attempts < WORKFLOW_SEND_ATTEMPTS; attempts++) {
      try {
        await run(records).escalate(deps);
        break;
      } catch {
        // The step's Retry runs it again.
      }
    }
    expect(attempts).toBe(WORKFLOW_SEND_ATTEMPTS - 1);
    expect(records.current().timeline.at(-1)).toMatchObject({
      status: 'PENDING_REVIEW',
      actor: 'system',
      action: 'NOTIFICATION_FAILED',
      channel: 'EMAIL',
      template: 'REVIEW_ESCALATED',
      recipient: 'l***@example.com',
    });
  });

  it('fails the step when its subject does not exist', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: one table row drives both subject types.
    const records = { ...store<any>(subject()), get: async () => undefined };
    await expect(run(records).load(id)).rejects.toThrow(/ not found$/);
  });
});

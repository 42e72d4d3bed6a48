import { describe, expect, it } from 'vitest';
import type { ApplicationRecord } from '../../../shared/domain/application';
import { requiredDocumentKinds } from '../../../shared/domain/application';
import type { ReviewTaskRecord } from '../../../shared/domain/review';
import {
  AUTO_REJECTED,
  applicationSteps,
  awaitResubmission,
  checkAndAwaitReview,
} from '../../../shared/onboarding/workflow';
import type { DocumentStorage, EmailMessage, WorkflowEngine } from '../../../shared/ports';
import {
  type ApplicationRepository,
  type ReviewTaskRepository,
  StaleWriteError,
} from '../../../shared/ports/repositories';
import type { TerminalRepository } from '../../../shared/ports/terminals';
import { recordFailureOf } from '../../../shared/workflow-kit/process-subjects';
import { individualApplication } from '../../support/fixtures';
import { notificationFakes } from '../../support/notification-fakes';

/*
 * The merged workflow steps (issue 7: cost per onboarding): each does in one invocation what took
 * two or three states, with no more writes than the spec's steps need, and stays idempotent when
 * its state retries.
 */

const MARKER = 'MARKER#ID#hash';

function submitted(overrides: { mcc?: string } = {}): ApplicationRecord {
  const body = individualApplication({
    serialNumber: 'LKL00012345',
    ...overrides,
  }) as ApplicationRecord['body'];
  return {
    applicationId: 'APP1',
    status: 'SUBMITTED',
    body,
    tokenHash: 'hash',
    documents: Object.fromEntries(
      requiredDocumentKinds('INDIVIDUAL').map((kind) => [
        kind,
        { documentId: `doc-${kind}`, objectKey: `applications/APP1/${kind}`, contentType: 'image/jpeg' },
      ]),
    ),
    reasons: [],
    checks: [],
    timeline: [
      { status: 'SUBMITTED', at: '2026-11-23T08:00:00.000Z', actor: 'merchant:APP1', action: 'SUBMITTED' },
    ],
    submissionCount: 1,
    uniquenessKeys: [MARKER],
    revision: 3,
    createdAt: '2026-11-23T07:00:00.000Z',
    updatedAt: '2026-11-23T08:00:00.000Z',
  } as ApplicationRecord;
}

/** In-memory deps that count every write the steps make. */
function world(record: ApplicationRecord, options: { failEmails?: number } = {}) {
  let stored = record;
  const saves: { next: ApplicationRecord; release: readonly string[] }[] = [];
  let staleWrites = 0;
  const applications = {
    get: async () => stored,
    save: async (
      next: ApplicationRecord,
      expected: number,
      markers: { release?: readonly string[] } = {},
    ) => {
      if (staleWrites > 0) {
        staleWrites -= 1;
        throw new StaleWriteError('moved');
      }
      if (stored.revision !== expected) throw new StaleWriteError('moved');
      stored = next;
      saves.push({ next, release: markers.release ?? [] });
    },
    markerHolder: async () => ({ applicationId: 'APP1' }),
    isBlocked: async () => false,
  } as unknown as ApplicationRepository;

  const tasks = new Map<string, ReviewTaskRecord>();
  /** The waiting tokens, apart from the tasks as the adapter keeps them. */
  const tokens = new Map<string, string>();
  const reviewWrites = { create: 0, attach: 0 };
  const reviews = {
    get: async (taskId: string) => tasks.get(taskId),
    create: async (task: ReviewTaskRecord, taskToken: string) => {
      reviewWrites.create += 1;
      if (tasks.has(task.taskId)) return false;
      tasks.set(task.taskId, task);
      tokens.set(task.taskId, taskToken);
      return true;
    },
    attachToken: async (taskId: string, taskToken: string) => {
      reviewWrites.attach += 1;
      const task = tasks.get(taskId);
      if (!task || (task.status !== 'PENDING' && task.status !== 'DECIDED')) return undefined;
      tokens.set(taskId, taskToken);
      return task;
    },
  } as unknown as ReviewTaskRepository;

  const resumed: { token: string; output: unknown }[] = [];
  const workflow = {
    resume: async (token: string, output: unknown) => {
      resumed.push({ token, output });
      return true;
    },
  } as unknown as WorkflowEngine;

  const emails: EmailMessage[] = [];
  let emailFailures = options.failEmails ?? 0;
  const texts: { to: string; body: string }[] = [];
  const deps = {
    applications,
    reviews,
    workflow,
    ...notificationFakes(),
    storage: {
      objectSize: async () => 2048,
      objectInfo: async () => ({ size: 2048, contentType: 'image/jpeg' }),
    } as unknown as DocumentStorage,
    terminals: { get: async () => ({ status: 'IN_STOCK' }) } as unknown as TerminalRepository,
    mailer: {
      send: async (message: EmailMessage) => {
        if (emailFailures > 0) {
          emailFailures -= 1;
          throw Object.assign(new Error('SES down'), { name: 'ServiceUnavailable' });
        }
        emails.push(message);
        return `ses-${emails.length}`;
      },
    },
    sms: {
      send: async (message: { to: string; body: string }) => {
        texts.push(message);
        return `sms-${texts.length}`;
      },
    },
    clock: { now: () => new Date('2026-11-23T08:15:00Z') },
    deadlines: {
      reviewEscalationSeconds: 60,
      reviewFinalSeconds: 120,
      resubmissionSeconds: 60,
      draftTtlSeconds: 60,
      transferAcceptanceSeconds: 60,
    },
    config: {
      acquirerCode: '102',
      smsSignature: '拉卡拉',
      smsPerPhonePerHour: 5,
      emailPerAddressPerHour: 10,
      supervisorEmail: 'leads@example.com',
      supervisorLocale: 'zh-CN' as const,
    },
  };
  return {
    deps,
    tasks,
    tokens,
    saves,
    reviewWrites,
    resumed,
    emails,
    texts,
    current: () => stored,
    failNextSaves: (count: number) => {
      staleWrites = count;
    },
  };
}

describe('CheckAndAwaitReview: checks, "received" and the review task in one step', () => {
  it('writes the application once, queues the task with the token in one put and acknowledges the submission', async () => {
    const w = world(submitted());
    const result = await checkAndAwaitReview(w.deps, { applicationId: 'APP1', taskToken: 'token-1' });

    expect(result).toEqual({ outcome: 'PASSED', opened: 'CREATED' });
    expect(w.saves).toHaveLength(1);
    expect(w.current().status).toBe('PENDING_REVIEW');
    expect(
      w
        .current()
        .timeline.slice(1)
        .map((entry) => `${entry.status}:${entry.action}`),
    ).toEqual(['CHECKING:CHECKS_STARTED', 'CHECKING:CHECKS_PASSED', 'PENDING_REVIEW:REVIEW_STARTED']);
    expect(w.reviewWrites).toEqual({ create: 1, attach: 0 });
    expect(w.tasks.get('APP1-1')).toMatchObject({ status: 'PENDING' });
    expect(w.tasks.get('APP1-1')).not.toHaveProperty('taskToken');
    expect(w.tokens.get('APP1-1')).toBe('token-1');
    expect(w.emails.map((message) => message.subject)).toEqual([expect.stringContaining('已受理')]);
    expect(w.texts).toHaveLength(1);
    // The state waits for the reviewer: the step never completes its own token on this path.
    expect(w.resumed).toEqual([]);
  });

  it('retries a failed send without checking again, with the new token, and sends nothing twice', async () => {
    const w = world(submitted(), { failEmails: 1 });
    await expect(
      checkAndAwaitReview(w.deps, { applicationId: 'APP1', taskToken: 'token-1' }),
    ).rejects.toThrow(/notification/);
    expect(w.current().status).toBe('PENDING_REVIEW');

    const retried = await checkAndAwaitReview(w.deps, { applicationId: 'APP1', taskToken: 'token-2' });
    expect(retried).toEqual({ outcome: 'PASSED', opened: 'REFRESHED' });
    // The checks' write happened once; nothing else wrote the application.
    expect(w.saves).toHaveLength(1);
    expect(w.tokens.get('APP1-1')).toBe('token-2');
    expect(w.emails).toHaveLength(1);
    expect(w.texts).toHaveLength(1);
  });

  it('on a hard failure: REJECTED with the markers released, received + rejected sent, its own token completed', async () => {
    const w = world(submitted({ mcc: '7995' }));
    const result = await checkAndAwaitReview(w.deps, { applicationId: 'APP1', taskToken: 'token-1' });

    expect(result).toEqual({ outcome: 'REJECTED' });
    expect(w.saves).toHaveLength(1);
    expect(w.saves[0]?.release).toEqual([MARKER]);
    expect(w.current()).toMatchObject({ status: 'REJECTED', uniquenessKeys: [] });
    expect(w.current().reasons.map((reason) => reason.code)).toEqual(['MCC_PROHIBITED']);
    expect(w.tasks.size).toBe(0);
    expect(w.emails.map((message) => message.subject)).toEqual([
      expect.stringContaining('已受理'),
      expect.stringContaining('未通过'),
    ]);
    expect(w.resumed).toEqual([{ token: 'token-1', output: { decision: AUTO_REJECTED } }]);
  });

  it('does nothing for a withdrawn application', async () => {
    const w = world({ ...submitted(), status: 'WITHDRAWN' });
    expect(await checkAndAwaitReview(w.deps, { applicationId: 'APP1', taskToken: 't' })).toEqual({
      outcome: 'SKIPPED',
      status: 'WITHDRAWN',
    });
    expect(w.saves).toHaveLength(0);
    expect(w.emails).toHaveLength(0);
  });

  it('hands a decision taken while nobody waited to the new token', async () => {
    const w = world({ ...submitted(), status: 'PENDING_REVIEW' });
    w.tasks.set('APP1-1', {
      taskId: 'APP1-1',
      status: 'DECIDED',
      decision: 'APPROVE',
    } as ReviewTaskRecord);
    w.tokens.set('APP1-1', 'old');
    expect(await checkAndAwaitReview(w.deps, { applicationId: 'APP1', taskToken: 'new' })).toMatchObject({
      opened: 'RESUMED',
    });
    expect(w.resumed).toEqual([{ token: 'new', output: { taskId: 'APP1-1', decision: 'APPROVE' } }]);
  });
});

describe('AwaitResubmission: REQUEST_CHANGES, the token and the message in one step', () => {
  it('records the reasons and the token in one write and tells the merchant once', async () => {
    const w = world({ ...submitted(), status: 'PENDING_REVIEW' });
    w.tasks.set('APP1-1', {
      taskId: 'APP1-1',
      kind: 'APPLICATION',
      subjectId: 'APP1',
      status: 'DECIDED',
      requiredChecks: ['phoneCallback'],
      decision: 'REQUEST_CHANGES',
      reasons: [{ field: 'business.address.detail', reason: '地址不完整' }],
      decidedBy: 'rev-1',
      decidedAt: '2026-11-23T08:10:00.000Z',
    } as unknown as ReviewTaskRecord);
    const input = { applicationId: 'APP1', taskToken: 'wait-1' };

    expect(await awaitResubmission(w.deps, input)).toEqual({ waiting: true });
    expect(w.saves).toHaveLength(1);
    expect(w.current()).toMatchObject({
      status: 'NEEDS_CHANGES',
      resubmissionToken: 'wait-1',
      reasons: [{ field: 'business.address.detail', code: 'CHANGES_REQUESTED', reason: '地址不完整' }],
    });
    expect(w.current().timeline.at(-1)).toMatchObject({ actor: 'staff:rev-1', action: 'REQUEST_CHANGES' });

    // A retry (new token) stores the token again and sends nothing twice.
    await awaitResubmission(w.deps, { ...input, taskToken: 'wait-2' });
    expect(w.current().resubmissionToken).toBe('wait-2');
    expect(w.emails).toHaveLength(1);
    expect(w.texts).toHaveLength(1);
  });

  it('continues at once when the merchant resubmitted while nobody waited', async () => {
    const w = world({ ...submitted(), submissionCount: 2 });
    expect(await awaitResubmission(w.deps, { applicationId: 'APP1', taskToken: 'wait-1' })).toEqual({
      resumed: true,
    });
    expect(w.resumed).toEqual([{ token: 'wait-1', output: { resubmitted: true, submission: 2 } }]);
  });
});

describe('RecordFailure', () => {
  it('appends one WORKFLOW_FAILED entry with the error name only, re-reading after a concurrent write', async () => {
    const w = world({ ...submitted(), status: 'PENDING_REVIEW' });
    w.failNextSaves(1);
    await recordFailureOf(applicationSteps, w.deps, 'APP1', { Error: 'States.Timeout' });
    expect(w.current().timeline.at(-1)).toEqual({
      status: 'PENDING_REVIEW',
      at: '2026-11-23T08:15:00.000Z',
      actor: 'system',
      action: 'WORKFLOW_FAILED:States.Timeout',
    });
    expect(w.saves).toHaveLength(1);
  });
});

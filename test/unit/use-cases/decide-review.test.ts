import { describe, expect, it } from 'vitest';
import type { StaffPrincipal } from '../../../shared/auth/principals';
import type { ReviewTaskRecord } from '../../../shared/domain/review';
import type { WorkflowEngine } from '../../../shared/ports';
import type { ApplicationRepository, ReviewTaskRepository } from '../../../shared/ports/repositories';
import { decideReview } from '../../../shared/reviews/requests';

const reviewer: StaffPrincipal = { kind: 'staff', sub: 'rev-1', groups: ['reviewer'] };

function pendingTask(overrides: Partial<ReviewTaskRecord> = {}): ReviewTaskRecord {
  return {
    taskId: 'APP-1',
    kind: 'APPLICATION',
    subjectId: 'APP',
    status: 'PENDING',
    createdAt: '2026-11-22T00:00:00.000Z',
    deadline: '2026-11-24T00:00:00.000Z',
    finalDeadline: '2026-11-29T00:00:00.000Z',
    escalated: false,
    automatedChecks: [],
    requiredChecks: ['phoneCallback', 'siteInspection'],
    summary: 'ENTERPRISE',
    ...overrides,
  };
}

/** A one-task repository with the same conditional semantics as the DynamoDB adapter. */
function setup(
  task: ReviewTaskRecord,
  resume: WorkflowEngine['resume'],
  firstToken: string | null = 'token-1',
) {
  let stored = task;
  /** The waiting token, in its own item as the adapter keeps it (`null`: none attached yet). */
  let token: string | undefined = firstToken ?? undefined;
  const resumed: unknown[] = [];
  const reviews = {
    get: async () => stored,
    waitingToken: async () => token,
    decide: async (_id: string, decision: Partial<ReviewTaskRecord>) => {
      if (stored.status !== 'PENDING') return false;
      stored = { ...stored, ...decision, status: 'DECIDED' };
      return true;
    },
    undoDecision: async (_task: ReviewTaskRecord, usedToken: string) => {
      if (stored.status !== 'DECIDED' || token !== usedToken) return false;
      stored = task;
      return true;
    },
    /** What a new wait on the task (escalation, restart) does: attach its token. */
    attach: (next: string) => {
      token = next;
    },
  } as unknown as ReviewTaskRepository;
  const workflow = {
    resume: async (token: string, output: unknown) => {
      resumed.push({ token, output });
      return resume(token, output);
    },
  } as unknown as WorkflowEngine;
  const deps = {
    reviews,
    applications: {} as ApplicationRepository,
    workflow,
    clock: { now: () => new Date('2026-11-22T01:00:00Z') },
  };
  return {
    deps,
    resumed,
    current: () => stored,
    reviews: reviews as unknown as { attach(token: string): void },
  };
}

describe('decideReview', () => {
  it('refuses approval until every required check is done, naming each missing check', async () => {
    const { deps, resumed } = setup(pendingTask(), async () => true);
    await expect(
      decideReview(deps, reviewer, 'APP-1', {
        decision: 'APPROVE',
        checks: { phoneCallback: { done: true } },
      }),
    ).rejects.toMatchObject({
      statusCode: 400,
      fields: [expect.objectContaining({ field: 'checks.siteInspection', code: 'REQUIRED' })],
    });
    expect(resumed).toEqual([]);
  });

  it('allows REQUEST_CHANGES only for applications and requires reasons', async () => {
    const { deps } = setup(pendingTask({ kind: 'CHANGE_REQUEST' }), async () => true);
    await expect(
      decideReview(deps, reviewer, 'APP-1', { decision: 'REQUEST_CHANGES' }),
    ).rejects.toMatchObject({
      fields: [
        expect.objectContaining({ field: 'reasons', code: 'REQUIRED' }),
        expect.objectContaining({ field: 'decision', code: 'NOT_ALLOWED' }),
      ],
    });
  });

  it('resumes the workflow with the decision only (reasons stay in the table) and refuses a second decision', async () => {
    const { deps, resumed, current } = setup(pendingTask(), async () => true);
    const body = { decision: 'REJECT', reasons: [{ field: 'business', reason: 'not a real shop' }] };
    await expect(decideReview(deps, reviewer, 'APP-1', body)).resolves.toMatchObject({ decision: 'REJECT' });
    expect(resumed).toEqual([{ token: 'token-1', output: { taskId: 'APP-1', decision: 'REJECT' } }]);
    expect(current()).toMatchObject({ status: 'DECIDED', decidedBy: 'rev-1', reasons: body.reasons });
    await expect(decideReview(deps, reviewer, 'APP-1', body)).rejects.toMatchObject({
      statusCode: 409,
      code: 'INVALID_STATE',
    });
  });

  it('undoes the decision and answers 503 when the workflow cannot be resumed, so the reviewer can retry', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const { deps, current } = setup(pendingTask({ requiredChecks: ['phoneCallback'] }), async () => {
      throw throttled;
    });
    const body = { decision: 'APPROVE', checks: { phoneCallback: { done: true } } };
    await expect(decideReview(deps, reviewer, 'APP-1', body)).rejects.toMatchObject({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      expose: false,
    });
    expect(current().status).toBe('PENDING');
  });

  it('hands the decision to a new wait that took the task over meanwhile (escalation, restart)', async () => {
    let attach: (token: string) => void = () => {};
    const { deps, resumed, current, reviews } = setup(
      pendingTask({ requiredChecks: ['phoneCallback'] }),
      async (token) => {
        if (token === 'token-1') {
          attach('token-2');
          return false;
        }
        return true;
      },
    );
    attach = reviews.attach;
    const body = { decision: 'APPROVE', checks: { phoneCallback: { done: true } } };
    await expect(decideReview(deps, reviewer, 'APP-1', body)).resolves.toMatchObject({ status: 'DECIDED' });
    expect(resumed.map((r) => (r as { token: string }).token)).toEqual(['token-1', 'token-2']);
    expect(current()).toMatchObject({ status: 'DECIDED' });
  });

  it('records the decision without resuming anything when no token was ever attached', async () => {
    const { deps, resumed, current } = setup(
      pendingTask({ requiredChecks: ['phoneCallback'] }),
      async () => true,
      null,
    );
    const body = { decision: 'APPROVE', checks: { phoneCallback: { done: true } } };
    await expect(decideReview(deps, reviewer, 'APP-1', body)).resolves.toMatchObject({ status: 'DECIDED' });
    expect(resumed).toEqual([]);
    expect(current().status).toBe('DECIDED');
  });

  it('keeps the decision when no workflow waits on the task now: the next wait picks it up', async () => {
    const { deps, current } = setup(pendingTask({ requiredChecks: ['phoneCallback'] }), async () => false);
    const body = { decision: 'APPROVE', checks: { phoneCallback: { done: true } } };
    await expect(decideReview(deps, reviewer, 'APP-1', body)).resolves.toMatchObject({ status: 'DECIDED' });
    expect(current().status).toBe('DECIDED');
  });
});

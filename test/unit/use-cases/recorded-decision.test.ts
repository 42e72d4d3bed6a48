import { describe, expect, it } from 'vitest';
import type { ReviewTaskRecord } from '../../../shared/domain/review';
import {
  DecisionNotRecordedError,
  decisionProblem,
  requireRecordedDecision,
} from '../../../shared/reviews/decision';

/*
 * What a workflow step acts on: the decision recorded on the review task, checked field by field;
 * the callback that resumed the workflow is never trusted.
 */

function decided(overrides: Partial<ReviewTaskRecord> = {}): ReviewTaskRecord {
  return {
    taskId: 'APP1-1',
    kind: 'APPLICATION',
    subjectId: 'APP1',
    status: 'DECIDED',
    createdAt: '2026-11-22T00:00:00.000Z',
    deadline: '2026-11-24T00:00:00.000Z',
    finalDeadline: '2026-11-29T00:00:00.000Z',
    escalated: false,
    automatedChecks: [],
    requiredChecks: ['phoneCallback', 'siteInspection'],
    summary: 'ENTERPRISE',
    decision: 'APPROVE',
    checks: { phoneCallback: { done: true }, siteInspection: { done: true } },
    decidedBy: 'rev-1',
    decidedAt: '2026-11-22T01:00:00.000Z',
    ...overrides,
  };
}

const approval = { kind: 'APPLICATION', subjectId: 'APP1', decisions: ['APPROVE'] } as const;

describe('the recorded decision a step may act on', () => {
  it('accepts a reviewer’s approval with every required check done', () => {
    expect(decisionProblem(decided(), approval)).toBeUndefined();
    expect(requireRecordedDecision(decided(), 'APP1-1', approval).decidedBy).toBe('rev-1');
  });

  it.each([
    ['NO_TASK', undefined],
    ['OTHER_SUBJECT', decided({ subjectId: 'APP2' })],
    ['OTHER_SUBJECT', decided({ kind: 'TERMINAL_TRANSFER' })],
    ['NOT_DECIDED', decided({ status: 'PENDING', decision: undefined })],
    ['NOT_DECIDED', decided({ status: 'EXPIRED' })],
    ['OTHER_DECISION', decided({ decision: 'REJECT' })],
    ['NO_REVIEWER', decided({ decidedBy: '' })],
    ['NO_REVIEWER', decided({ decidedAt: undefined })],
    ['CHECKS_NOT_DONE', decided({ checks: { phoneCallback: { done: true } } })],
    [
      'CHECKS_NOT_DONE',
      decided({ checks: { phoneCallback: { done: true }, siteInspection: { done: false } } }),
    ],
  ] as const)('refuses %s', (problem, task) => {
    expect(decisionProblem(task, approval)).toBe(problem);
    expect(() => requireRecordedDecision(task, 'APP1-1', approval)).toThrow(DecisionNotRecordedError);
  });

  it('names its error so the state machines can catch it', () => {
    expect(new DecisionNotRecordedError('x').name).toBe('DecisionNotRecorded');
  });

  it('needs no checks for a REJECT', () => {
    const rejected = decided({ decision: 'REJECT', checks: {} });
    expect(decisionProblem(rejected, { ...approval, decisions: ['REJECT'] })).toBeUndefined();
  });
});

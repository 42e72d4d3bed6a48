import { describe, expect, it } from 'vitest';
import {
  CHANGES_LOOP_EXTRA,
  CHANGES_LOOP_FLOOR,
  floorTotals,
  HAPPY_PATH_FLOOR,
} from '../../../bench/cost-floor';
import { smsParts, taskInvocationsOf, transitionsOf } from '../../../bench/history';
import { costOf, PRICES, perThousand, type UsageCounts } from '../../../bench/prices';

const none: UsageCounts = {
  stateTransitions: 0,
  apiRequests: 0,
  taskInvocations: 0,
  dynamoReadUnits: 0,
  dynamoWriteUnits: 0,
  s3PutRequests: 0,
  s3GetRequests: 0,
  emails: 0,
  smsParts: 0,
};

describe('bench prices', () => {
  it('prices each line at its list price', () => {
    expect(costOf({ ...none, stateTransitions: 1000 }).stepFunctions).toBeCloseTo(0.025);
    expect(costOf({ ...none, dynamoWriteUnits: 1_000_000 }).dynamodb).toBeCloseTo(0.625);
    expect(costOf({ ...none, dynamoReadUnits: 1_000_000 }).dynamodb).toBeCloseTo(0.125);
    expect(costOf({ ...none, s3PutRequests: 1000, s3GetRequests: 1000 }).s3).toBeCloseTo(0.0054);
    expect(costOf({ ...none, apiRequests: 1_000_000 }).apiGateway).toBeCloseTo(3.5);
    expect(costOf({ ...none, emails: 1000 }).email).toBeCloseTo(0.1);
    expect(costOf({ ...none, smsParts: 2 }).sms).toBeCloseTo(2 * PRICES.sms);
  });

  it('prices a Lambda invocation as a request plus 100 ms at 512 MB on Arm', () => {
    const oneTask = costOf({ ...none, taskInvocations: 1 });
    expect(oneTask.lambda).toBeCloseTo(0.2 / 1e6 + 0.05 * 0.0000133334, 12);
    // An API request is a Lambda invocation too, and an API Gateway request besides.
    const oneApi = costOf({ ...none, apiRequests: 1 });
    expect(oneApi.lambda).toBeCloseTo(oneTask.lambda, 12);
    expect(oneApi.total).toBeCloseTo(oneTask.total + 3.5 / 1e6, 12);
  });

  it('keeps the messages out of the design cost and adds them to the total', () => {
    const cost = costOf({ ...none, stateTransitions: 10, emails: 2, smsParts: 2 });
    expect(cost.withoutMessages).toBeCloseTo(cost.stepFunctions);
    expect(cost.total).toBeCloseTo(cost.withoutMessages + cost.email + cost.sms);
    expect(perThousand(0.0004)).toBeCloseTo(0.4);
  });
});

describe('bench cost floor', () => {
  it('sums its steps', () => {
    expect(floorTotals(HAPPY_PATH_FLOOR)).toEqual({
      apiRequests: 10,
      transitions: 4,
      taskInvocations: 4,
      reads: 20,
      writes: 24,
      s3Put: 4,
      s3Get: 8,
      emails: 2,
      sms: 2,
    });
  });

  it('adds one REQUEST_CHANGES loop to the happy path', () => {
    const loop = floorTotals(CHANGES_LOOP_FLOOR);
    const happy = floorTotals(HAPPY_PATH_FLOOR);
    const extra = floorTotals(CHANGES_LOOP_EXTRA);
    for (const key of Object.keys(loop) as (keyof typeof loop)[])
      expect(loop[key]).toBe(happy[key] + extra[key]);
    expect(extra).toMatchObject({ apiRequests: 6, transitions: 4, taskInvocations: 4 });
  });
});

describe('bench execution history', () => {
  const entered = (name: string) => ({ type: 'TaskStateEntered', name });

  it('bills every state entered, Choice and Succeed included, and every retry', () => {
    const events = [
      { type: 'ExecutionStarted' },
      { type: 'ChoiceStateEntered' },
      entered('RunChecks'),
      { type: 'LambdaFunctionScheduled' },
      { type: 'LambdaFunctionFailed' },
      { type: 'LambdaFunctionScheduled' },
      { type: 'LambdaFunctionSucceeded' },
      entered('AwaitReview'),
      { type: 'TaskScheduled' },
      { type: 'TaskSubmitted' },
      { type: 'SucceedStateEntered' },
      { type: 'ExecutionSucceeded' },
    ];
    expect(transitionsOf(events)).toBe(5);
    expect(taskInvocationsOf(events)).toBe(3);
  });

  it('counts SMS parts as UCS-2 for Chinese and GSM-7 for plain ASCII', () => {
    expect(smsParts('【拉卡拉】您的商户进件已通过')).toBe(1);
    expect(smsParts('字'.repeat(70))).toBe(1);
    expect(smsParts('字'.repeat(71))).toBe(2);
    expect(smsParts('a'.repeat(160))).toBe(1);
    expect(smsParts('a'.repeat(161))).toBe(2);
  });
});

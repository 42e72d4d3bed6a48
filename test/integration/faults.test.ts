import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCAL_ACCESS_KEY_ID,
  LOCAL_REGION,
  LOCAL_SECRET_ACCESS_KEY,
  TABLE_NAME,
} from '../../local/constants';
import { DynamoReviewTaskRepository } from '../../shared/adapters/dynamodb-reviews';
import { DynamoTable } from '../../shared/adapters/dynamodb-table';
import { type ApiClient, eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { verifyContacts } from '../support/onboarding';
import { census, scanTable } from '../support/table-census';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * The fault-injection switch of the local stack (local/faults.ts) against the real emulators:
 * workflow Tasks failing fewer and more times than their Retry allows, and DynamoDB throttling on
 * a request path and inside a workflow Task, answered by the fault proxy in the shape DynamoDB
 * uses so the real SDK retries. Every scenario counts what was stored before and after.
 *
 * One stack for the file (handlers read their configuration once); scenarios run one after the
 * other because an armed fault hits whichever call of its target comes first.
 */

const KINDS = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'];
/** The ASL's Retry of ProvisionMerchant: MaxAttempts 4 (5 calls in all). */
const PROVISION_RETRIES = 4;

let testStack: TestStack;
let api: ApiClient;
let reviewer: string;
let operator: string;
let sequence = 0;
/** Totals for the report: faults injected by this file, requests made under faults. */
const figures = { faultsInjected: 0, scenarios: 0, persistentThrottleStatus: 0 };

beforeAll(async () => {
  testStack = await startTestStack(
    'faults',
    {
      REVIEW_ESCALATION_SECONDS: '600',
      REVIEW_FINAL_SECONDS: '1200',
      RESUBMISSION_SECONDS: '600',
      SMS_PER_PHONE_PER_HOUR: '10000',
      EMAIL_PER_ADDRESS_PER_HOUR: '10000',
    },
    { faults: '' },
  );
  ({ api, reviewer, operator } = testStack);
});

afterAll(async () => {
  if (testStack) {
    const { json } = await api.call('GET', '/_local/faults');
    figures.faultsInjected = json.injectedTotal;
    console.info(`faults.test figures: ${JSON.stringify({ ...figures, injected: json.injected })}`);
    await testStack.stop();
  }
});

async function arm(spec: string) {
  const res = await api.call('POST', '/_local/faults', { body: { faults: spec } });
  expect(res.status).toBe(200);
  return res.json;
}

async function injected(target: string): Promise<number> {
  const { json } = await api.call('GET', '/_local/faults');
  return json.injected[target] ?? 0;
}

function uniqueContact() {
  sequence += 1;
  const phone = `139${String(Date.now() % 1e6).padStart(6, '0')}${String(sequence % 100).padStart(2, '0')}`;
  return { phone, email: `faults-${Date.now()}-${sequence}@example.com` };
}

async function stockTerminal(): Promise<string> {
  const serialNumber = `FLT${String(Date.now()).slice(-8)}${sequence}`;
  const res = await api.call('POST', '/v1/terminals', {
    token: operator,
    body: { terminals: [{ serialNumber, model: 'A8' }] },
  });
  expect(res.status).toBe(201);
  return serialNumber;
}

/** Create, upload, submit; resolves once the review task is in the queue. */
async function pendingReview(options: { serialNumber?: string } = {}) {
  const contact = uniqueContact();
  const created = await api.call('POST', '/v1/applications', {
    body: individualApplication({ ...contact, ...options }),
    headers: { 'idempotency-key': `faults-${Date.now()}-${sequence}` },
  });
  expect(created.status).toBe(201);
  const id = created.json.applicationId as string;
  const token = created.json.accessToken as string;
  for (const kind of KINDS) {
    const doc = await api.call('POST', `/v1/applications/${id}/documents`, {
      token,
      body: { kind, contentType: 'image/png', sizeBytes: 3 },
    });
    await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: 'png' });
  }
  await verifyContacts(api, id, token);
  expect((await api.call('POST', `/v1/applications/${id}/submit`, { token })).status).toBe(202);
  const task = await eventually(async () => {
    const page = await api.call('GET', '/v1/reviews?limit=100', { token: reviewer });
    return page.json.items.find((t: { subjectId: string }) => t.subjectId === id);
  });
  return { id, token, taskId: task.taskId as string, ...contact };
}

async function approve(taskId: string) {
  const res = await api.call('POST', `/v1/reviews/${taskId}/decision`, {
    token: reviewer,
    body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } } },
  });
  expect(res.status).toBe(200);
}

/** The execution of an application once it has stopped (SUCCEEDED or FAILED). */
async function finishedExecution(applicationId: string) {
  return eventually(async () => {
    const { json } = await api.call('GET', '/_local/executions');
    const execution = (
      json.executions as { name: string; status: string; executionArn: string; error?: string }[]
    ).find((candidate) => candidate.name.includes(applicationId));
    return execution && execution.status !== 'RUNNING' ? execution : undefined;
  });
}

/** The errors of the failed Task attempts of an execution, per state, from its history. */
async function failedAttempts(executionArn: string): Promise<{ state: string; error: string }[]> {
  const sfn = new SFNClient({
    endpoint: testStack.stack.urls.sfn,
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
  });
  try {
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
    );
    let state = '';
    const failures: { state: string; error: string }[] = [];
    for (const event of events) {
      if (event.stateEnteredEventDetails?.name) state = event.stateEnteredEventDetails.name;
      const failed = event.taskFailedEventDetails ?? event.lambdaFunctionFailedEventDetails;
      if (failed) failures.push({ state, error: failed.error ?? '' });
    }
    return failures;
  } finally {
    sfn.destroy();
  }
}

/** Messages sent to this merchant, and the send records that claim them (one per template and channel). */
async function messagesOf(applicationId: string, contact: { phone: string; email: string }) {
  const [emails, sms, items] = await Promise.all([
    api.call('GET', `/_local/emails?to=${encodeURIComponent(contact.email)}`),
    api.call('GET', '/_local/sms'),
    scanTable(testStack.stack.urls.dynamodb),
  ]);
  // One subject per submission: SEND#<applicationId>#<submission>.
  const sends = items.filter((item) => item.pk.startsWith(`SEND#${applicationId}`));
  // The contacts' verification codes (spec 6) are one-time codes, not notices of the application.
  const notice = (text: string) => !text.includes('验证码');
  return {
    subjects: (emails.json.messages as { subject: string }[])
      .map((message) => message.subject)
      .filter(notice),
    sms: (sms.json.messages as { to: string; body: string }[])
      .filter((message) => message.to.endsWith(contact.phone))
      .map((message) => message.body)
      .filter(notice),
    emailSends: sends.filter((item) => item.sk.endsWith('#EMAIL')).length,
    smsSends: sends.filter((item) => item.sk.endsWith('#SMS')).length,
  };
}

/** Every merchant is complete: its application approved with its number, its markers pointing at it. */
async function assertNoHalfWrittenMerchant() {
  const items = await scanTable(testStack.stack.urls.dynamodb);
  const merchants = items.filter((item) => item.pk.startsWith('MER#') && item.sk === 'MER');
  for (const merchant of merchants) {
    const merchantNo = merchant.merchantNo as string;
    const application = items.find(
      (item) => item.sk === 'APP' && item.merchantNo === merchantNo && item.status === 'APPROVED',
    );
    expect(application, `application of merchant ${merchantNo}`).toBeDefined();
    expect(items.some((item) => item.pk === `MER#${merchantNo}` && item.sk === 'VER#000001')).toBe(true);
    for (const marker of (application?.uniquenessKeys as string[] | undefined) ?? []) {
      expect(items.find((item) => item.pk === marker)?.merchantNo).toBe(merchantNo);
    }
  }
}

describe('workflow Task faults', () => {
  it(`a Task failing ${PROVISION_RETRIES - 1} times is retried: one merchant, each message once`, async () => {
    figures.scenarios += 1;
    const serialNumber = await stockTerminal();
    const app = await pendingReview({ serialNumber });
    const before = await census(testStack.stack.urls.dynamodb);
    const injectedBefore = await injected('ProvisionMerchant');

    await arm(`ProvisionMerchant:${PROVISION_RETRIES - 1}`);
    await approve(app.taskId);
    const execution = await finishedExecution(app.id);
    expect(execution.status).toBe('SUCCEEDED');
    expect((await injected('ProvisionMerchant')) - injectedBefore).toBe(PROVISION_RETRIES - 1);
    const failures = await failedAttempts(execution.executionArn);
    expect(failures).toEqual(
      Array.from({ length: PROVISION_RETRIES - 1 }, () => ({
        state: 'ProvisionMerchant',
        error: 'Lambda.ServiceException',
      })),
    );

    const view = await api.call('GET', `/v1/applications/${app.id}`, { token: app.token });
    expect(view.json.status).toBe('APPROVED');
    expect(view.json.merchantNo).toMatch(/^\d{15}$/);
    expect(view.json.terminalId).toMatch(/^\d{8}$/);
    const after = await census(testStack.stack.urls.dynamodb);
    expect(after.merchants - before.merchants).toBe(1);
    expect(after.applications).toBe(before.applications);
    const terminal = await api.call('GET', `/v1/terminals/${serialNumber}`, { token: operator });
    expect(terminal.json.merchantNo).toBe(view.json.merchantNo);
    expect(
      terminal.json.history.filter((entry: { action: string }) => entry.action === 'BOUND'),
    ).toHaveLength(1);

    const messages = await eventually(async () => {
      const got = await messagesOf(app.id, app);
      return got.subjects.length >= 2 && got.sms.length >= 2 ? got : undefined;
    });
    expect(new Set(messages.subjects).size).toBe(messages.subjects.length);
    expect(new Set(messages.sms).size).toBe(messages.sms.length);
    expect(messages.subjects).toHaveLength(messages.emailSends);
    expect(messages.sms).toHaveLength(messages.smsSends);
    await assertNoHalfWrittenMerchant();
  });

  it(`a Task failing more than its ${PROVISION_RETRIES} retries ends in Catch → RecordFailure, nothing half-written`, async () => {
    figures.scenarios += 1;
    const serialNumber = await stockTerminal();
    const app = await pendingReview({ serialNumber });
    const before = await census(testStack.stack.urls.dynamodb);
    const injectedBefore = await injected('ProvisionMerchant');

    await arm(`ProvisionMerchant:${PROVISION_RETRIES + 3}`);
    await approve(app.taskId);
    const execution = await finishedExecution(app.id);
    await arm('');
    expect(execution.status).toBe('FAILED');
    // The 5 calls the Retry allows, then Catch: the 2 faults left over were never used.
    expect((await injected('ProvisionMerchant')) - injectedBefore).toBe(PROVISION_RETRIES + 1);
    const failures = await failedAttempts(execution.executionArn);
    expect(failures.filter((failure) => failure.state === 'ProvisionMerchant')).toHaveLength(
      PROVISION_RETRIES + 1,
    );
    expect(failures.some((failure) => failure.state === 'RecordFailure')).toBe(false);

    const view = await api.call('GET', `/v1/applications/${app.id}`, { token: app.token });
    expect(view.json.status).toBe('PENDING_REVIEW');
    expect(view.json.merchantNo ?? null).toBeNull();
    const last = view.json.timeline.at(-1);
    expect(last).toMatchObject({ actor: 'system', action: 'WORKFLOW_FAILED:Lambda.ServiceException' });
    // The failure is visible without internal details.
    expect(JSON.stringify(view.json)).not.toMatch(/stack|trace|Fault injected/i);

    const after = await census(testStack.stack.urls.dynamodb);
    expect(after.merchants).toBe(before.merchants);
    expect(after.applications).toBe(before.applications);
    const terminal = await api.call('GET', `/v1/terminals/${serialNumber}`, { token: operator });
    expect(terminal.json.status).toBe('IN_STOCK');
    const messages = await messagesOf(app.id, app);
    expect(messages.subjects.length).toBe(messages.emailSends);
    expect(messages.sms.every((body) => !/\d{8}/.test(body))).toBe(true);
    await assertNoHalfWrittenMerchant();
  });

  it('a non-retryable Task fault skips Retry and goes straight to Catch', async () => {
    figures.scenarios += 1;
    const app = await pendingReview();
    const injectedBefore = await injected('ProvisionMerchant');
    await arm('ProvisionMerchant:1:fatal');
    await approve(app.taskId);
    const execution = await finishedExecution(app.id);
    expect(execution.status).toBe('FAILED');
    expect((await injected('ProvisionMerchant')) - injectedBefore).toBe(1);
    const view = await api.call('GET', `/v1/applications/${app.id}`, { token: app.token });
    expect(view.json.timeline.at(-1)).toMatchObject({ action: 'WORKFLOW_FAILED:LocalFault.NonRetryable' });
    expect(view.json.merchantNo ?? null).toBeNull();
  });
});

describe('DynamoDB throttling', () => {
  const createBody = () => individualApplication(uniqueContact());

  it('on a request path: the SDK retries absorb two throttles; exactly one record', async () => {
    figures.scenarios += 1;
    const before = await census(testStack.stack.urls.dynamodb);
    // A create is one transaction: the application (its own idempotency record) and its
    // replayable first token.
    const injectedBefore = await injected('dynamodb.TransactWriteItems');
    const body = createBody();
    const key = `throttle-few-${Date.now()}`;

    await arm('dynamodb.TransactWriteItems:2');
    const created = await api.call('POST', '/v1/applications', { body, headers: { 'idempotency-key': key } });
    expect(created.status).toBe(201);
    expect((await injected('dynamodb.TransactWriteItems')) - injectedBefore).toBe(2);

    const replay = await api.call('POST', '/v1/applications', { body, headers: { 'idempotency-key': key } });
    expect(replay.status).toBe(201);
    expect(replay.json).toEqual(created.json);
    const after = await census(testStack.stack.urls.dynamodb);
    expect(after.applications - before.applications).toBe(1);
    expect(after.idempotency - before.idempotency).toBe(0);
  });

  it('persistent throttling: a 503 with Retry-After, a stable code and no internal details, nothing stored', async () => {
    figures.scenarios += 1;
    const before = await census(testStack.stack.urls.dynamodb);
    const body = createBody();
    const key = `throttle-all-${Date.now()}`;

    await arm('dynamodb.TransactWriteItems:*');
    const failed = await api.call('POST', '/v1/applications', { body, headers: { 'idempotency-key': key } });
    // Raw, for the header the JSON client does not return.
    const raw = await fetch(`${api.baseUrl}/v1/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    const failedAgain = { status: raw.status, json: await raw.json() };
    await arm('');
    figures.persistentThrottleStatus = failed.status;
    expect(raw.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    for (const res of [failed, failedAgain]) {
      expect(res.status).toBe(503);
      expect(res.json.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(typeof res.json.error.requestId).toBe('string');
      const text = JSON.stringify(res.json);
      expect(text).not.toMatch(/Throughput|Throttl|DynamoDB|TransactWrite|PutItem|Fault injected|at \w+ \(/i);
      for (const secret of [
        body.legalPerson.idNumber,
        body.settlement.accountNumber,
        body.legalPerson.phone,
      ]) {
        expect(text).not.toContain(secret);
      }
    }
    expect((await census(testStack.stack.urls.dynamodb)).applications).toBe(before.applications);
    expect((await census(testStack.stack.urls.dynamodb)).idempotency).toBe(before.idempotency);

    // The key stayed free: the client's retry after the outage creates the application once.
    const retried = await api.call('POST', '/v1/applications', { body, headers: { 'idempotency-key': key } });
    expect(retried.status).toBe(201);
    const after = await census(testStack.stack.urls.dynamodb);
    expect(after.applications - before.applications).toBe(1);
  });

  it('inside a workflow Task: throttles beyond the SDK retries fail the Task; its Retry recovers', async () => {
    figures.scenarios += 1;
    const app = await pendingReview();
    const before = await census(testStack.stack.urls.dynamodb);
    const injectedBefore = await injected('dynamodb.TransactWriteItems');

    // The decision is a transaction too (it counts in the supervisor view's counters): it is
    // recorded straight in DynamoDB Local, past the fault proxy, and handed over as the decision
    // route does, so the armed throttles meet ProvisionMerchant's transaction first.
    // 4 throttles: the SDK's 3 attempts of the first call fail, the Task's Retry succeeds.
    const direct = new DynamoDBClient({
      endpoint: testStack.stack.urls.dynamodb,
      region: LOCAL_REGION,
      credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
    });
    const reviews = new DynamoReviewTaskRepository(new DynamoTable(direct, TABLE_NAME));
    const task = await reviews.get(app.taskId);
    if (!task) throw new Error('the review task is in the queue');
    const decision = { decision: 'APPROVE', checks: { phoneCallback: { done: true } }, reasons: [] } as const;
    expect(
      await reviews.decide(
        app.taskId,
        { ...decision, decidedBy: 'rev-1', decidedAt: new Date().toISOString() },
        task,
      ),
    ).toBe(true);
    const taskToken = await reviews.waitingToken(app.taskId);
    direct.destroy();
    await arm('dynamodb.TransactWriteItems:4');
    const sfn = new SFNClient({
      endpoint: testStack.stack.urls.sfn,
      region: LOCAL_REGION,
      credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
    });
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken,
        output: JSON.stringify({ taskId: app.taskId, decision: 'APPROVE' }),
      }),
    );
    sfn.destroy();
    const execution = await finishedExecution(app.id);
    await arm('');
    expect(execution.status).toBe('SUCCEEDED');
    expect((await injected('dynamodb.TransactWriteItems')) - injectedBefore).toBe(4);
    const failures = await failedAttempts(execution.executionArn);
    expect(failures).toEqual([
      { state: 'ProvisionMerchant', error: 'ProvisionedThroughputExceededException' },
    ]);
    const view = await api.call('GET', `/v1/applications/${app.id}`, { token: app.token });
    expect(view.json.status).toBe('APPROVED');
    const after = await census(testStack.stack.urls.dynamodb);
    expect(after.merchants - before.merchants).toBe(1);
    await assertNoHalfWrittenMerchant();
  });

  it('the switch refuses an invalid spec and reports what it injected', async () => {
    const bad = await api.call('POST', '/_local/faults', { body: { faults: 'ProvisionMerchant:zero' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('VALIDATION_FAILED');
    const armed = await arm('ProvisionMerchant:2,dynamodb.GetItem:*:ThrottlingException');
    expect(armed.armed).toEqual([
      { target: 'ProvisionMerchant', remaining: 2, error: 'retryable' },
      { target: 'dynamodb.GetItem', remaining: '*', error: 'ThrottlingException' },
    ]);
    const cleared = await arm('');
    expect(cleared.armed).toEqual([]);
    expect(cleared.injectedTotal).toBeGreaterThan(0);
    expect(cleared.dynamodbProxy).toBe(true);
  });
});

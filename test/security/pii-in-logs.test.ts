import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  LOCAL_ACCESS_KEY_ID,
  LOCAL_REGION,
  LOCAL_SECRET_ACCESS_KEY,
  TABLE_NAME,
} from '../../local/constants';
import { logger } from '../../shared/logger';
import { type ApiClient, eventually } from '../support/api-client';
import { individualApplication, validPersonalAccount, validResidentId } from '../support/fixtures';
import { latestSms, verifyContacts } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * The whole journey's console, scanned for the personal data it used: create, documents, submit,
 * approve, terminal activation, a settlement-account change, a rejection and refused inputs, with
 * every log level on and the local stack's own lines printed. Then every item of the table, raw:
 * no ID or account number in clear anywhere (field encryption), no personal data in any key.
 */

// Before any module builds the logger: every level, not the suite's WARN.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

/** Everything written to the console of this process (handlers and local stack run in it). */
const captured: string[] = [];
const restore: (() => void)[] = [];

function captureConsole(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = original;
    });
  }
  // Vitest's global console does not write to process.stdout in the worker: record it too.
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      captured.push(`${format(...args)}\n`);
      original.apply(console, args);
    };
    restore.push(() => {
      console[method] = original;
    });
  }
}

let testStack: TestStack;
let api: ApiClient;
let reviewer: string;
let operator: string;

/** Every raw personal value and credential the journey used, by kind. */
const used = {
  idNumbers: [] as string[],
  accountNumbers: [] as string[],
  phones: [] as string[],
  emails: [] as string[],
  accessTokens: [] as string[],
  staffTokens: [] as string[],
  activationCodes: [] as string[],
};

beforeAll(async () => {
  captureConsole();
  logger.setLogLevel('DEBUG');
  testStack = await startTestStack(
    'pii-in-logs',
    { SMS_PER_PHONE_PER_HOUR: '1000', EMAIL_PER_ADDRESS_PER_HOUR: '1000', POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    { quiet: false },
  );
  ({ api, reviewer, operator } = testStack);
  used.staffTokens.push(reviewer, operator);
});

afterAll(async () => {
  await testStack?.stop();
  for (const undo of restore.reverse()) undo();
});

const KINDS = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'];
let sequence = 0;

/** An application with fresh personal data of its own, created and submitted. */
async function submittedApplication(serialNumber?: string) {
  sequence += 1;
  const phone = `139${String(Date.now() % 100_000_000).padStart(8, '0')}`.slice(0, 11);
  const body = individualApplication({
    idNumber: validResidentId(7000 + sequence),
    phone,
    email: `pii-${sequence}-${Date.now()}@example.com`,
    ...(serialNumber ? { serialNumber } : {}),
  });
  used.idNumbers.push(body.legalPerson.idNumber);
  used.accountNumbers.push(body.settlement.accountNumber);
  used.phones.push(phone);
  used.emails.push(body.contact.email);
  const created = await api.call('POST', '/v1/applications', {
    body,
    headers: { 'idempotency-key': `pii-${Date.now()}-${sequence}` },
  });
  expect(created.status).toBe(201);
  const { applicationId, accessToken: token } = created.json as {
    applicationId: string;
    accessToken: string;
  };
  used.accessTokens.push(token);
  for (const kind of KINDS) {
    const doc = await api.call('POST', `/v1/applications/${applicationId}/documents`, {
      token,
      body: { kind, contentType: 'image/png', sizeBytes: 3 },
    });
    await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: 'png' });
  }
  await verifyContacts(api, applicationId, token);
  expect((await api.call('POST', `/v1/applications/${applicationId}/submit`, { token })).status).toBe(202);
  const task = await eventually(async () => {
    const page = await api.call('GET', '/v1/reviews?limit=100', { token: reviewer });
    return page.json.items.find((t: { subjectId: string }) => t.subjectId === applicationId);
  });
  return { applicationId, token, taskId: task.taskId as string };
}

async function statusOf(applicationId: string, token: string, wanted: string) {
  return eventually(async () => {
    const got = await api.call('GET', `/v1/applications/${applicationId}`, { token });
    return got.json.status === wanted ? got.json : undefined;
  });
}

describe('personal data in logs and in the table', () => {
  it('runs the whole journey', async () => {
    // Refused inputs first: personal data in a body that fails validation or authorization.
    const badId = `${validResidentId(9999).slice(0, 17)}0`;
    const badAccount = `${validPersonalAccount(9999).slice(0, 18)}0`;
    used.idNumbers.push(badId.slice(0, 17));
    used.accountNumbers.push(badAccount.slice(0, 18));
    const refused = await api.call('POST', '/v1/applications', {
      body: {
        ...individualApplication(),
        legalPerson: { name: '王五', idNumber: badId, phone: '13712345678' },
        settlement: { ...individualApplication().settlement, accountNumber: badAccount },
      },
      headers: { 'idempotency-key': `pii-refused-${Date.now()}` },
    });
    used.phones.push('13712345678');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).not.toMatch(new RegExp(`${badId}|${badAccount}|13712345678`));
    const forged = await api.call('GET', '/v1/applications/01J00000000000000000000000', {
      token: `01J00000000000000000000000.${'x'.repeat(43)}`,
    });
    expect([401, 403, 404]).toContain(forged.status);

    // Approved, with a terminal, activated.
    const sn = `PII${Date.now().toString(36).toUpperCase()}`;
    const stocked = await api.call('POST', '/v1/terminals', {
      token: operator,
      body: { terminals: [{ serialNumber: sn, model: 'A8' }] },
    });
    expect(stocked.status).toBe(201);
    const approved = await submittedApplication(sn);
    const decision = await api.call('POST', `/v1/reviews/${approved.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'APPROVE', checks: { phoneCallback: { done: true, notes: '已回访' } } },
    });
    expect(decision.status).toBe(200);
    const view = await statusOf(approved.applicationId, approved.token, 'APPROVED');
    const code = (
      await latestSms(api, new RegExp(`(?:终端号|TID )${view.terminalId}\\D+(\\d{6})`))
    )[1] as string;
    used.activationCodes.push(code);
    const activated = await api.call('POST', `/v1/terminals/${sn}/activate`, {
      token: approved.token,
      body: { activationCode: code },
    });
    expect(activated.json).toMatchObject({ status: 'ACTIVATED' });

    // A change of the settlement account, approved after the call-back.
    const newAccount = validPersonalAccount(8000 + sequence);
    used.accountNumbers.push(newAccount);
    const change = await api.call('POST', `/v1/merchants/${view.merchantNo}/change-requests`, {
      token: approved.token,
      headers: { 'idempotency-key': `pii-change-${Date.now()}` },
      body: {
        changes: {
          settlement: {
            accountType: 'PERSONAL',
            accountName: '张三',
            accountNumber: newAccount,
            bankName: '中国建设银行',
            cycle: 'T1',
          },
        },
        reason: '更换结算卡',
        expectedVersion: 1,
      },
    });
    expect(change.status).toBe(202);
    const changeId = change.json.changeRequestId as string;
    const changeTask = await eventually(async () => {
      const page = await api.call('GET', '/v1/reviews?limit=100', { token: reviewer });
      return page.json.items.find((t: { subjectId: string }) => t.subjectId === changeId);
    });
    const review = await api.call('GET', `/v1/reviews/${changeTask.taskId}`, { token: reviewer });
    expect(JSON.stringify(review.json)).not.toContain(newAccount);
    const changeDecision = await api.call('POST', `/v1/reviews/${changeTask.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } } },
    });
    expect(changeDecision.status).toBe(200);
    await eventually(async () => {
      const got = await api.call('GET', `/v1/merchants/${view.merchantNo}/change-requests/${changeId}`, {
        token: approved.token,
      });
      return got.json.status === 'APPLIED' ? got.json : undefined;
    });
    const versions = await api.call('GET', `/v1/merchants/${view.merchantNo}/versions`, { token: reviewer });
    expect(versions.status).toBe(200);
    expect(versions.json.items ?? versions.json.versions).toHaveLength(2);
    expect(JSON.stringify(versions.json)).not.toContain(newAccount);

    // Rejected by the reviewer.
    const rejected = await submittedApplication();
    const rejection = await api.call('POST', `/v1/reviews/${rejected.taskId}/decision`, {
      token: reviewer,
      body: { decision: 'REJECT', reasons: [{ field: 'business', reason: '经营场所与申请不符' }] },
    });
    expect(rejection.status).toBe(200);
    await statusOf(rejected.applicationId, rejected.token, 'REJECTED');
    // Let the last workflow steps (notifications) finish and log.
    const lastEmail = used.emails.at(-1) ?? '';
    await eventually(async () => {
      const { json } = await api.call('GET', '/_local/emails');
      return json.messages.some((m: { to: string[] }) => m.to.includes(lastEmail)) ? true : undefined;
    });
  });

  it('logs none of the personal data or credentials used', () => {
    const output = captured.join('');
    const lines = output.split('\n').filter((line) => line.trim().length > 0);
    // The capture saw the handlers' JSON records and the local stack's lines.
    expect(lines.some((line) => line.includes('"message":"merchant provisioned"'))).toBe(true);
    expect(lines.some((line) => line.includes('[local]'))).toBe(true);
    const searched = Object.entries(used).flatMap(([kind, values]) =>
      values.map((value) => ({ kind, value })),
    );
    // A 6-digit code counts only as a whole number (it occurs by chance inside longer ones).
    const appears = (kind: string, value: string) =>
      kind === 'activationCodes'
        ? new RegExp(`(?<!\\d)${value}(?!\\d)`).test(output)
        : output.includes(value);
    const found = searched.filter(({ kind, value }) => appears(kind, value)).map(({ kind }) => kind);
    console.info(`pii-in-logs: ${lines.length} log lines scanned for ${searched.length} values`);
    expect(found).toEqual([]);
    expect(searched.length).toBeGreaterThanOrEqual(15);
  });

  it('stores no ID or account number in clear, and no personal data in any key', async () => {
    const client = new DynamoDBClient({
      endpoint: testStack.stack.urls.dynamodb,
      region: LOCAL_REGION,
      credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
    });
    const strings: string[] = [];
    const keyValues: string[] = [];
    let items = 0;
    const collect = (value: AttributeValue | undefined): void => {
      if (!value) return;
      if (value.S !== undefined) strings.push(value.S);
      if (value.N !== undefined) strings.push(value.N);
      for (const inner of value.L ?? []) collect(inner);
      for (const inner of Object.values(value.M ?? {})) collect(inner);
      for (const inner of value.SS ?? []) strings.push(inner);
    };
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      // A test-only Scan of the emulator's table: the product never scans.
      const page = await client.send(new ScanCommand({ TableName: TABLE_NAME, ExclusiveStartKey: startKey }));
      for (const item of page.Items ?? []) {
        items += 1;
        for (const [name, value] of Object.entries(item)) {
          collect(value);
          if (['pk', 'sk', 'gsi1pk', 'gsi1sk'].includes(name) && value.S) keyValues.push(value.S);
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    client.destroy();

    const raw = strings.join('\n');
    const clear = [...used.idNumbers, ...used.accountNumbers].filter((value) => raw.includes(value));
    const keys = keyValues.join('\n');
    const inKeys = Object.values(used)
      .flat()
      .filter((value) => keys.includes(value));
    console.info(
      `pii-in-logs: ${items} items, ${strings.length} attribute values scanned for ${
        used.idNumbers.length + used.accountNumbers.length
      } ID/account numbers; ${keyValues.length} key values for ${Object.values(used).flat().length} values`,
    );
    expect(items).toBeGreaterThan(20);
    // The encrypted fields are there (so the scan looked at the right items).
    expect(strings.filter((value) => value.startsWith('fc1.')).length).toBeGreaterThanOrEqual(6);
    expect(clear).toEqual([]);
    expect(inKeys).toEqual([]);
  });
  it('keeps personal data and credentials out of the workflow executions (input, output, history)', () => {
    // Step Functions keeps execution histories (inputs and outputs of every state) for 90 days and
    // shows them in the console: the workflow carries ids only. The local runner persists the same
    // events, so the test reads what AWS would keep.
    const dir = join(testStack.stateDir, 'sfn', 'executions');
    const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
    const histories = files.map((name) => readFileSync(join(dir, name), 'utf8'));
    const all = histories.join('\n');
    const searched = Object.values(used).flat();
    const found = Object.entries(used).flatMap(([kind, values]) =>
      values
        .filter((value) =>
          kind === 'activationCodes' ? new RegExp(`(?<!\\d)${value}(?!\\d)`).test(all) : all.includes(value),
        )
        .map(() => kind),
    );
    console.info(
      `pii-in-logs: ${files.length} executions (${all.length} bytes of history) scanned for ${searched.length} values`,
    );
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(found).toEqual([]);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { importJWK, type JWK, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../local/ports';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:onboarding';
/** A second state machine with the same definition: executions are per state machine. */
const OTHER_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:other';
const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** A tiny workflow exercising what the local SFN endpoint must get right (not the onboarding ASL). */
const DEFINITION = {
  StartAt: 'Flaky',
  States: {
    Flaky: {
      Type: 'Task',
      Resource: fn('task-flaky'),
      Parameters: { 'id.$': '$.id' },
      ResultPath: '$.flaky',
      TimeoutSeconds: 10,
      Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 30, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Failed' }],
      Next: 'Approve',
    },
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: fn('task-wait'),
        Payload: { 'id.$': '$.id', 'taskToken.$': '$$.Task.Token' },
      },
      // Resolved against the state input (as in AWS), not against the Parameters.
      TimeoutSecondsPath: '$.config.approveSeconds',
      ResultPath: '$.decision',
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'TimedOut' }],
      Next: 'Done',
    },
    TimedOut: { Type: 'Pass', Result: 'timed out', ResultPath: '$.outcome', End: true },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Fail', Error: 'FlakyFailed', Cause: 'Flaky failed after its retries' },
  },
};

const HANDLERS: Record<string, string> = {
  'health.ts': `export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ status: 'ok' }),
});`,
  // A staff route: echoes what the authorizer put in the event.
  'list-reviews.ts': `export const handler = async (event: { requestContext: { authorizer?: { claims?: unknown } } }) => ({
  statusCode: 200,
  body: JSON.stringify({ claims: event.requestContext.authorizer?.claims ?? null }),
});`,
  // Fails once per id with a custom error name: exercises Retry on States.TaskFailed.
  'task-flaky.ts': `const attempts = new Map<string, number>();
class FlakyError extends Error { override name = 'FlakyError'; }
export const handler = async (event: { id: string }) => {
  const attempt = (attempts.get(event.id) ?? 0) + 1;
  attempts.set(event.id, attempt);
  if (attempt === 1) throw new FlakyError('first attempt fails');
  return { attempt };
};`,
  // The callback task: records each token it is given (a resume calls it again).
  'task-wait.ts': `import { appendFileSync } from 'node:fs';
export const handler = async (event: { id: string; taskToken: string }) => {
  appendFileSync(process.env.TEST_TOKENS_FILE as string, JSON.stringify(event) + '\\n');
  return { registered: true };
};`,
};

let stack: LocalStack;
let stackOptions: LocalStackOptions;
let stateDir: string;
let functionsDir: string;
let tokensFile: string;

function tokensFor(id: string): string[] {
  let lines: string[] = [];
  try {
    lines = readFileSync(tokensFile, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
  return lines
    .map((line) => JSON.parse(line) as { id: string; taskToken: string })
    .filter((entry) => entry.id === id)
    .map((entry) => entry.taskToken);
}

async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitForStatus(
  sfn: SFNClient,
  executionArn: string,
  status: string,
): Promise<DescribeExecutionCommandOutput> {
  return eventually(async () => {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return described.status === status ? described : undefined;
  });
}

async function api(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${stack.urls.api}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function staffToken(groups: string[]): Promise<string> {
  const { status, body } = await api('/_local/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: 'rev-1', groups }),
  });
  expect(status).toBe(200);
  return body.token as string;
}

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'local-stack-state-'));
  functionsDir = mkdtempSync(join(tmpdir(), 'local-stack-functions-'));
  tokensFile = join(functionsDir, 'tokens.jsonl');
  for (const [file, source] of Object.entries(HANDLERS)) writeFileSync(join(functionsDir, file), source);
  // Fixed (free) ports, so the restarted stack is where the cached SDK clients expect it.
  const ports = {
    api: await findFreePort(),
    dynamodb: await findFreePort(),
    sfn: await findFreePort(),
    sms: await findFreePort(),
    ses: await findFreePort(),
    s3: await findFreePort(),
  };
  stackOptions = {
    stateDir,
    functionsDir,
    ports,
    quiet: true,
    retryIntervalMs: 10,
    stateMachines: { onboarding: DEFINITION, other: DEFINITION },
    env: { TEST_TOKENS_FILE: tokensFile },
  };
  stack = await startLocalStack(stackOptions);
});

afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(functionsDir, { recursive: true, force: true });
});

describe('local stack', () => {
  it('serves the routes of ROUTES as REST proxy events, with API Gateway-like errors', async () => {
    expect(await api('/v1/health')).toEqual({ status: 200, body: { status: 'ok' } });
    const notFound = await api('/v1/nothing-here');
    expect(notFound.status).toBe(404);
    expect((notFound.body.error as { code: string }).code).toBe('NOT_FOUND');
    expect((await api('/v1/health', { method: 'POST' })).status).toBe(405);
    const tooLarge = await api('/v1/applications', { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(tooLarge.status).toBe(413);
    // A route whose handler file does not exist (yet) is a bare 502, like a failing Lambda.
    expect(await api('/v1/applications', { method: 'POST', body: '{}' })).toEqual({
      status: 502,
      body: { message: 'Internal server error' },
    });
  });

  it('issues staff tokens the API accepts, and refuses tampered, expired and unsigned ones', async () => {
    const token = await staffToken(['reviewer', 'operator']);
    const accepted = await api('/v1/reviews', { headers: { authorization: `Bearer ${token}` } });
    expect(accepted.status).toBe(200);
    const claims = accepted.body.claims as Record<string, string>;
    expect(claims.sub).toBe('rev-1');
    expect(claims['cognito:groups']).toBe('reviewer,operator');
    expect(claims.token_use).toBe('id');
    expect(claims.exp).toMatch(/^\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    // API Gateway's Cognito authorizer also takes the raw token.
    expect((await api('/v1/reviews', { headers: { authorization: token } })).status).toBe(200);

    const unauthorized = {
      status: 401,
      body: {
        error: { code: 'UNAUTHENTICATED', message: 'Authentication required', requestId: expect.any(String) },
      },
    };
    expect(await api('/v1/reviews')).toEqual(unauthorized);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        'cognito:groups': ['operator'],
      }),
    ).toString('base64url');
    expect(
      await api('/v1/reviews', { headers: { authorization: `Bearer ${header}.${forged}.${signature}` } }),
    ).toEqual(unauthorized);
    const key = await importJWK(
      JSON.parse(readFileSync(join(stateDir, 'staff-jwt-key.json'), 'utf8')) as JWK,
      'RS256',
    );
    const expired = await new SignJWT({ 'cognito:groups': ['reviewer'], token_use: 'id' })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('rev-1')
      .setIssuer(stack.env.STAFF_JWT_ISSUER as string)
      .setAudience('local-staff')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(key);
    expect(await api('/v1/reviews', { headers: { authorization: `Bearer ${expired}` } })).toEqual(
      unauthorized,
    );
    const unsigned = new UnsecuredJWT({ 'cognito:groups': ['reviewer'] })
      .setSubject('rev-1')
      .setIssuer(stack.env.STAFF_JWT_ISSUER as string)
      .setAudience('local-staff')
      .setExpirationTime('1h')
      .encode();
    expect(await api('/v1/reviews', { headers: { authorization: `Bearer ${unsigned}` } })).toEqual(
      unauthorized,
    );
  });

  it('sends SMS through the unchanged SDK client into the outbox', async () => {
    const sms = new PinpointSMSVoiceV2Client({});
    const sent = await sms.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: '+8613800138000',
        OriginationIdentity: 'LOCALSMS',
        MessageBody: '【拉卡拉】您的进件申请已提交',
      }),
    );
    expect(sent.MessageId).toBeTruthy();
    const { body } = await api('/_local/sms?to=%2B8613800138000');
    expect(body.messages).toEqual([
      expect.objectContaining({
        to: '+8613800138000',
        body: '【拉卡拉】您的进件申请已提交',
        messageId: sent.MessageId,
      }),
    ]);
    sms.destroy();
  });

  it('sends email through the unchanged SESv2 client to the emulator', async () => {
    const ses = new SESv2Client({});
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: stack.env.SENDER_EMAIL,
        Destination: { ToAddresses: ['merchant@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: '进件申请已通过' },
            Body: {
              Text: { Data: 'Merchant number 102...' },
              Html: { Data: '<p>Merchant number 102...</p>' },
            },
          },
        },
      }),
    );
    const { body } = await api('/_local/emails?to=merchant@example.com');
    expect(body.messages).toEqual([
      expect.objectContaining({
        to: ['merchant@example.com'],
        subject: '进件申请已通过',
        text: 'Merchant number 102...',
        html: '<p>Merchant number 102...</p>',
      }),
    ]);
    ses.destroy();
  });

  it('accepts uploads to presigned S3 URLs', async () => {
    const s3 = new S3Client({ forcePathStyle: true });
    const url = await getSignedUrl(
      s3,
      new PutObjectCommand({
        Bucket: stack.env.DOCUMENTS_BUCKET,
        Key: 'app-1/licence.jpg',
        ContentType: 'image/jpeg',
      }),
      { expiresIn: 300 },
    );
    const upload = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg' },
      body: 'jpeg bytes',
    });
    expect(upload.status).toBe(200);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: stack.env.DOCUMENTS_BUCKET, Key: 'app-1/licence.jpg' }),
    );
    expect(head.ContentLength).toBe('jpeg bytes'.length);
    s3.destroy();
  });

  it('runs executions with retries, callback tokens and TimeoutSecondsPath', async () => {
    const sfn = new SFNClient({});
    const input = JSON.stringify({ id: 'a', config: { approveSeconds: 30 } });
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name: 'exec-a', input }),
    );
    // Same name and input while running: idempotent; other input: conflict.
    const again = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name: 'exec-a', input }),
    );
    expect(again.executionArn).toBe(executionArn);
    await expect(
      sfn.send(
        new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name: 'exec-a', input: '{}' }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });

    const [token] = await eventually(() => (tokensFor('a').length > 0 ? tokensFor('a') : undefined));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'APPROVE' }) }),
    );
    const done = await waitForStatus(sfn, executionArn as string, 'SUCCEEDED');
    expect(JSON.parse(done.output as string)).toMatchObject({
      id: 'a',
      flaky: { attempt: 2 },
      decision: { decision: 'APPROVE' },
    });

    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'x'.repeat(2000), output: '{}' })),
    ).rejects.toMatchObject({
      name: 'InvalidToken',
    });

    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = (history.events ?? []).map((event) => event.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(types.filter((type) => type === 'TaskStateEntered')).toHaveLength(2);
    expect(types).toContain('LambdaFunctionFailed');
    expect(types).toContain('TaskSubmitted');
    expect(types).toContain('TaskSucceeded');
    const failed = history.events?.find((event) => event.type === 'LambdaFunctionFailed');
    expect(failed?.lambdaFunctionFailedEventDetails?.error).toBe('FlakyError');

    // A 1 s TimeoutSecondsPath times the callback out into the Catch on States.Timeout.
    const timed = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: STATE_MACHINE_ARN,
        name: 'exec-t',
        input: JSON.stringify({ id: 't', config: { approveSeconds: 1 } }),
      }),
    );
    const timedOut = await waitForStatus(sfn, timed.executionArn as string, 'SUCCEEDED');
    expect(JSON.parse(timedOut.output as string)).toMatchObject({
      outcome: 'timed out',
      timeout: { Error: 'States.Timeout' },
    });
    const [lateToken] = tokensFor('t');
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: lateToken, output: '{}' })),
    ).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });

    // StopExecution aborts a waiting execution and invalidates its token.
    const stopped = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: STATE_MACHINE_ARN,
        name: 'exec-s',
        input: JSON.stringify({ id: 's', config: { approveSeconds: 30 } }),
      }),
    );
    const [stoppedToken] = await eventually(() => (tokensFor('s').length > 0 ? tokensFor('s') : undefined));
    await sfn.send(
      new StopExecutionCommand({ executionArn: stopped.executionArn, error: 'Withdrawn', cause: 'test' }),
    );
    const aborted = await sfn.send(new DescribeExecutionCommand({ executionArn: stopped.executionArn }));
    expect(aborted).toMatchObject({ status: 'ABORTED', error: 'Withdrawn' });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: stoppedToken, output: '{}' })),
    ).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: STATE_MACHINE_ARN }));
    expect(listed.executions?.map((execution) => [execution.name, execution.status])).toEqual([
      ['exec-s', 'ABORTED'],
      ['exec-t', 'SUCCEEDED'],
      ['exec-a', 'SUCCEEDED'],
    ]);
    sfn.destroy();
  });

  it('lists and describes every state machine, with a creation date a restart keeps', async () => {
    const sfn = new SFNClient({});
    expect(stack.stateMachineArns).toEqual([STATE_MACHINE_ARN, OTHER_STATE_MACHINE_ARN]);
    const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines.map((machine) => [machine.name, machine.stateMachineArn, machine.type])).toEqual([
      ['onboarding', STATE_MACHINE_ARN, 'STANDARD'],
      ['other', OTHER_STATE_MACHINE_ARN, 'STANDARD'],
    ]);
    const created = stateMachines[0]?.creationDate;
    expect(created?.getTime()).toBeGreaterThan(Date.parse('2020-01-01'));
    expect(created?.getTime()).toBeLessThanOrEqual(Date.now());
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: STATE_MACHINE_ARN }));
    expect(described).toMatchObject({ name: 'onboarding', status: 'ACTIVE', type: 'STANDARD' });
    expect(described.creationDate?.getTime()).toBe(created?.getTime());
    expect(JSON.parse(described.definition as string)).toEqual(DEFINITION);
    await expect(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${STATE_MACHINE_ARN}-missing` })),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });

    // One execution name in two state machines: two executions, each listed under its own.
    const input = JSON.stringify({ id: 'o', config: { approveSeconds: 30 } });
    const [first, second] = await Promise.all(
      [STATE_MACHINE_ARN, OTHER_STATE_MACHINE_ARN].map((stateMachineArn) =>
        sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'same-name', input })),
      ),
    );
    expect(first?.executionArn).not.toBe(second?.executionArn);
    expect(second?.executionArn).toContain(':execution:other:same-name');
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: OTHER_STATE_MACHINE_ARN }));
    expect(listed.executions?.map((execution) => execution.executionArn)).toEqual([second?.executionArn]);
    for (const started of [first, second]) {
      await sfn.send(new StopExecutionCommand({ executionArn: started?.executionArn, cause: 'test' }));
    }

    await stack.stop();
    stack = await startLocalStack(stackOptions);
    const again = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: STATE_MACHINE_ARN }));
    expect(again.creationDate?.getTime()).toBe(created?.getTime());
    expect(
      (await sfn.send(new DescribeExecutionCommand({ executionArn: second?.executionArn }))).status,
    ).toBe('ABORTED');
    sfn.destroy();
  });

  it('keeps data and waiting executions across a restart', async () => {
    const sfn = new SFNClient({});
    const dynamodb = new DynamoDBClient({});
    const item = { pk: { S: 'APP#r' }, sk: { S: 'META' }, status: { S: 'IN_REVIEW' } };
    await dynamodb.send(new PutItemCommand({ TableName: stack.env.TABLE_NAME, Item: item }));
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: STATE_MACHINE_ARN,
        name: 'exec-r',
        input: JSON.stringify({ id: 'r', config: { approveSeconds: 120 } }),
      }),
    );
    const [firstToken] = await eventually(() => (tokensFor('r').length > 0 ? tokensFor('r') : undefined));

    await stack.stop();
    stack = await startLocalStack(stackOptions);

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('RUNNING');
    // The Task handler ran again on resume and registered a fresh token; the old one is gone.
    const secondToken = await eventually(() => tokensFor('r')[1]);
    expect(secondToken).not.toBe(firstToken);
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: firstToken, output: '{}' })),
    ).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: secondToken, output: JSON.stringify({ decision: 'APPROVE' }) }),
    );
    const done = await waitForStatus(sfn, executionArn as string, 'SUCCEEDED');
    expect(JSON.parse(done.output as string)).toMatchObject({ id: 'r', decision: { decision: 'APPROVE' } });

    const stored = await dynamodb.send(
      new GetItemCommand({ TableName: stack.env.TABLE_NAME, Key: { pk: item.pk, sk: item.sk } }),
    );
    expect(stored.Item).toEqual(item);
    // Outboxes survive too.
    expect((await api('/_local/sms')).body.messages).toHaveLength(1);
    expect((await api('/_local/emails')).body.messages).toHaveLength(1);
    sfn.destroy();
    dynamodb.destroy();
  });
});

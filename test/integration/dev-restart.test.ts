import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetExecutionHistoryCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCESS_KEY_ID, LOCAL_REGION, LOCAL_SECRET_ACCESS_KEY } from '../../local/constants';
import { findFreePort } from '../../local/ports';
import { ApiClient, eventually } from '../support/api-client';
import { individualApplication } from '../support/fixtures';
import { verifyContacts } from '../support/onboarding';
import { census, scanTable } from '../support/table-census';

/*
 * The real `npm run dev` (tsx local/dev.ts) as a child process: a review is pending, the whole
 * process tree is SIGKILLed (no shutdown hook runs: DynamoDB Local's JVM dies mid-flight too),
 * `npm run dev` starts again on the same state directory and ports, and the review is decided:
 * nothing is lost, and the application is approved exactly once.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KINDS = ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'];
const APPLICATIONS = 3;

let stateDir: string;
let env: NodeJS.ProcessEnv;
let child: ChildProcess | undefined;
let output = '';
let dynamodbUrl: string;
const figures = { restarts: 0, sigkills: 0, applicationsBefore: 0, applicationsAfter: 0 };

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'pos-dev-restart-'));
  const [api, dynamodb, sfn, sms, ses, s3, proxy] = await Promise.all(
    Array.from({ length: 7 }, findFreePort),
  );
  dynamodbUrl = `http://127.0.0.1:${dynamodb}`;
  env = {
    ...process.env,
    LOCAL_STATE_DIR: stateDir,
    PORT: String(api),
    DYNAMODB_PORT: String(dynamodb),
    SFN_PORT: String(sfn),
    SMS_PORT: String(sms),
    SES_PORT: String(ses),
    S3_PORT: String(s3),
    DYNAMODB_FAULT_PROXY_PORT: String(proxy),
    REVIEW_ESCALATION_SECONDS: '600',
    REVIEW_FINAL_SECONDS: '1200',
    RESUBMISSION_SECONDS: '600',
    SMS_PER_PHONE_PER_HOUR: '10000',
    EMAIL_PER_ADDRESS_PER_HOUR: '10000',
  };
  // A vitest worker's own variables must not leak into the child's configuration.
  delete env.LOCAL_FAULTS;
  delete env.VITEST;
}, 30_000);

afterAll(async () => {
  console.info(`dev-restart.test figures: ${JSON.stringify(figures)}`);
  await killTree('SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
});

/** Starts `npm run dev`'s command in its own process group; resolves when the API answers. */
async function startDev(): Promise<ApiClient> {
  output = '';
  child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['local/dev.ts'], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const api = new ApiClient(`http://127.0.0.1:${env.PORT}`);
  await eventually(
    async () => {
      if (child?.exitCode !== null) throw new Error(`npm run dev exited:\n${output}`);
      const res = await fetch(`${api.baseUrl}/v1/health`);
      return res.ok && output.includes('POS onboarding is running locally') ? true : undefined;
    },
    90_000,
    250,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${output}`);
  });
  return api;
}

/**
 * The ready banner names every endpoint, every state machine and the local credentials; another
 * client (here the SDK in this process, as the AWS CLI would) lists the state machines with them.
 */
async function expectBannerForOtherClients(): Promise<void> {
  const ports = [env.PORT, env.DYNAMODB_PORT, env.SFN_PORT, env.SMS_PORT, env.SES_PORT, env.S3_PORT];
  for (const port of [...ports, env.DYNAMODB_FAULT_PROXY_PORT]) {
    expect(output).toContain(`http://127.0.0.1:${port}`);
  }
  const arns = ['onboarding', 'terminal-transfer', 'change-request'].map(
    (name) => `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`,
  );
  for (const arn of arns) expect(output).toContain(arn);
  const credentials = /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+) AWS_REGION=(\S+)/.exec(output);
  expect(credentials).not.toBeNull();
  const [, accessKeyId = '', secretAccessKey = '', region = ''] = credentials ?? [];
  const sfn = new SFNClient({
    endpoint: `http://127.0.0.1:${env.SFN_PORT}`,
    region,
    credentials: { accessKeyId, secretAccessKey },
  });
  try {
    const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines.map((machine) => machine.stateMachineArn)).toEqual(arns);
    for (const machine of stateMachines) expect(machine.creationDate?.getTime()).toBeGreaterThan(0);
  } finally {
    sfn.destroy();
  }
}

/** Signals the whole process group (tsx, node, DynamoDB Local's JVM) and waits for the leader. */
async function killTree(signal: NodeJS.Signals): Promise<void> {
  const running = child;
  if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  try {
    process.kill(-running.pid, signal);
  } catch {
    return;
  }
  await exited;
  // The JVM may outlive the group leader by a moment; wait until its port is free again.
  await eventually(
    async () => {
      try {
        await fetch(dynamodbUrl);
        return undefined;
      } catch {
        return true;
      }
    },
    20_000,
    200,
  );
}

async function pendingReview(api: ApiClient, reviewer: string, index: number) {
  const created = await api.call('POST', '/v1/applications', {
    body: individualApplication({ email: `dev-restart-${index}@example.com` }),
    headers: { 'idempotency-key': `dev-restart-${Date.now()}-${index}` },
  });
  expect(created.status).toBe(201);
  const id = created.json.applicationId as string;
  const token = created.json.accessToken as string;
  for (const kind of KINDS) {
    const doc = await api.call('POST', `/v1/applications/${id}/documents`, {
      token,
      body: { kind, contentType: 'image/png', sizeBytes: 3 },
    });
    expect(doc.status).toBe(201);
    await fetch(doc.json.uploadUrl, { method: 'PUT', headers: doc.json.headers, body: 'png' });
  }
  await verifyContacts(api, id, token);
  expect((await api.call('POST', `/v1/applications/${id}/submit`, { token })).status).toBe(202);
  const task = await eventually(async () => {
    const page = await api.call('GET', '/v1/reviews?limit=100', { token: reviewer });
    return page.json.items.find((t: { subjectId: string }) => t.subjectId === id);
  });
  // The task is queued before the step sends "received"; the census must wait until the step has
  // returned (TaskSubmitted), or a send record still being written would count as created later.
  const sfn = new SFNClient({
    endpoint: `http://127.0.0.1:${env.SFN_PORT}`,
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
  });
  try {
    const executionArn = `arn:aws:states:${LOCAL_REGION}:000000000000:execution:onboarding:${id}`;
    await eventually(async () => {
      const { events = [] } = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
      );
      return events.some((event) => event.type === 'TaskSubmitted') ? true : undefined;
    });
  } finally {
    sfn.destroy();
  }
  return { id, token, taskId: task.taskId as string };
}

describe('npm run dev, SIGKILLed during a pending review', () => {
  it('loses nothing and the review is decided exactly once after the restart', async () => {
    let api = await startDev();
    await expectBannerForOtherClients();
    let reviewer = await api.staffToken('rev-1', ['reviewer']);
    const apps = [];
    for (let index = 0; index < APPLICATIONS; index += 1)
      apps.push(await pendingReview(api, reviewer, index));
    // A review task shows in the queue before its step has recorded the "received" email and SMS:
    // count once those are in (two per application), so the census is of a table at rest.
    const before = await eventually(async () => {
      const counted = await census(dynamodbUrl);
      return counted.sends === 2 * APPLICATIONS ? counted : undefined;
    });
    const itemsBefore = (await scanTable(dynamodbUrl)).length;
    figures.applicationsBefore = before.applications;

    await killTree('SIGKILL');
    figures.sigkills += 1;
    api = await startDev();
    figures.restarts += 1;
    reviewer = await api.staffToken('rev-1', ['reviewer']);

    // Nothing lost: every item is still there, every application still pending review.
    const after = await census(dynamodbUrl);
    figures.applicationsAfter = after.applications;
    expect(after).toEqual(before);
    expect((await scanTable(dynamodbUrl)).length).toBe(itemsBefore);
    const queue = await api.call('GET', '/v1/reviews?limit=100', { token: reviewer });
    for (const app of apps) {
      expect(queue.json.items.map((item: { taskId: string }) => item.taskId)).toContain(app.taskId);
      const view = await api.call('GET', `/v1/applications/${app.id}`, { token: app.token });
      expect(view.json.status).toBe('PENDING_REVIEW');
    }

    // The first application is approved; the decision resumes the execution the restart resumed.
    const [first] = apps;
    if (!first) throw new Error('no application');
    const decide = () =>
      api.call('POST', `/v1/reviews/${first.taskId}/decision`, {
        token: reviewer,
        body: { decision: 'APPROVE', checks: { phoneCallback: { done: true } } },
      });
    const approved = await eventually(async () => {
      const res = await decide();
      return res.status === 200 ? res : undefined;
    });
    expect(approved.json.decision).toBe('APPROVE');
    expect((await decide()).status).toBe(409);
    const view = await eventually(async () => {
      const got = await api.call('GET', `/v1/applications/${first.id}`, { token: first.token });
      return got.json.status === 'APPROVED' ? got.json : undefined;
    });
    expect(view.merchantNo).toMatch(/^\d{15}$/);
    expect(view.timeline.filter((entry: { status: string }) => entry.status === 'APPROVED')).toHaveLength(1);
    // One execution for the application, resumed (not restarted) and run to its end.
    const ofFirst = await eventually(async () => {
      const executions = await api.call('GET', '/_local/executions');
      const found = executions.json.executions.filter((e: { name: string }) => e.name.includes(first.id));
      return found.every((e: { status: string }) => e.status !== 'RUNNING') ? found : undefined;
    });
    expect(ofFirst).toHaveLength(1);
    expect(ofFirst[0].status).toBe('SUCCEEDED');

    const final = await census(dynamodbUrl);
    expect(final.applications).toBe(before.applications);
    expect(final.reviewTasks).toBe(before.reviewTasks);
    expect(final.merchants - before.merchants).toBe(1);
    // The others are still waiting, decidable.
    const still = await api.call('GET', '/v1/reviews?limit=100', { token: reviewer });
    const waiting = still.json.items.map((item: { taskId: string }) => item.taskId);
    for (const app of apps.slice(1)) expect(waiting).toContain(app.taskId);

    await killTree('SIGTERM');
  }, 300_000);
});

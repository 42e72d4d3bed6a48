import { describe, expect, it } from 'vitest';
import {
  apiEvent,
  DEADLINES,
  draftApplication,
  fake,
  fixedClock,
  IDS,
  lambdaContext,
  merchantToken,
  terminalRecord,
} from '../../../bench/fakes';
import { sha256Hex } from '../../../shared/auth/tokens';
import type { ApplicationRecord } from '../../../shared/domain/application';
import type { WorkflowEngine } from '../../../shared/ports';
import {
  type ApplicationRepository,
  type ReviewTaskRepository,
  StaleWriteError,
} from '../../../shared/ports/repositories';
import type { TerminalRepository } from '../../../shared/ports/terminals';

process.env.TABLE_NAME = 'unit';
process.env.FIELD_CIPHER_LOCAL_KEY = 'unit-field-key';
for (const key of ['IDENTITY', 'ACTIVATION_CODE', 'ONE_TIME_CODE', 'NOTIFICATION_ADDRESS'])
  process.env[`HMAC_LOCAL_SECRET_${key}`] = 'unit-secret';
process.env.STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:unit';
const { makeHandler: withdraw } = await import('../../../functions/withdraw-application');
const { makeHandler: activate } = await import('../../../functions/activate-terminal');

/*
 * The object-level guard reads each object once and hands it to the use case (request scope):
 * no second read of the application or terminal, nothing decrypted for a refused token, and a
 * retry after a failed conditional write reads afresh rather than reusing the guard's read.
 */

const token = merchantToken(IDS.applicationId);

function applications(record: ApplicationRecord, saves: (() => void)[] = []) {
  const calls = { getIfTokenAccepted: 0, get: 0, tokenHashOf: 0, opened: 0, saveRevisions: [] as number[] };
  const repository = fake<ApplicationRepository>('applications', {
    getIfTokenAccepted: async (_id, accepts) => {
      calls.getIfTokenAccepted += 1;
      if (!accepts(record.tokenHash)) return undefined;
      calls.opened += 1;
      return record;
    },
    get: async () => {
      calls.get += 1;
      return { ...record, revision: record.revision + 1 };
    },
    tokenHashOf: async () => {
      calls.tokenHashOf += 1;
      return { tokenHash: record.tokenHash, merchantNo: record.merchantNo };
    },
    save: async (_next, expectedRevision) => {
      calls.saveRevisions.push(expectedRevision);
      saves.shift()?.();
    },
  });
  return { repository, calls };
}

function withdrawDeps(repository: ApplicationRepository) {
  return {
    applications: repository,
    reviews: fake<ReviewTaskRepository>('reviews', { close: async () => true }),
    workflow: fake<WorkflowEngine>('workflow', { stop: async () => undefined }),
    clock: fixedClock,
    deadlines: DEADLINES,
  };
}

const withdrawEvent = (bearer: string, id = IDS.applicationId) =>
  apiEvent({
    method: 'POST',
    resource: '/v1/applications/{id}/withdraw',
    pathParameters: { id },
    headers: { authorization: `Bearer ${bearer}` },
  });

describe('guarded application routes', () => {
  const record = { ...draftApplication(), tokenHash: sha256Hex(token) };

  it('read the application once: the token check’s read is the use case’s', async () => {
    const { repository, calls } = applications(record);
    const res = await withdraw(withdrawDeps(repository))(withdrawEvent(token), lambdaContext('withdraw'));
    expect(res.statusCode).toBe(200);
    expect(calls).toMatchObject({ getIfTokenAccepted: 1, get: 0, tokenHashOf: 0 });
    expect(calls.saveRevisions).toEqual([record.revision]);
  });

  it('retry after a failed conditional write on a fresh read, never the guard’s', async () => {
    const { repository, calls } = applications(record, [
      () => {
        throw new StaleWriteError();
      },
    ]);
    const res = await withdraw(withdrawDeps(repository))(withdrawEvent(token), lambdaContext('withdraw'));
    expect(res.statusCode).toBe(200);
    expect(calls.get).toBe(1);
    expect(calls.saveRevisions).toEqual([record.revision, record.revision + 1]);
  });

  it('a wrong token is 401 with nothing decrypted; another application’s token is 404', async () => {
    const { repository, calls } = applications(record);
    const forged = `${IDS.applicationId}.${'A'.repeat(43)}`;
    const refused = await withdraw(withdrawDeps(repository))(
      withdrawEvent(forged),
      lambdaContext('withdraw'),
    );
    expect(refused.statusCode).toBe(401);
    expect(calls.opened).toBe(0);
    const other = await withdraw(withdrawDeps(repository))(
      withdrawEvent(token, IDS.otherApplicationId),
      lambdaContext('withdraw'),
    );
    expect(other.statusCode).toBe(404);
    expect(calls.saveRevisions).toEqual([]);
  });
});

describe('guarded terminal routes', () => {
  it('read the terminal once and refuse another merchant’s with 404', async () => {
    const approved = { ...draftApplication(), status: 'APPROVED' as const, merchantNo: IDS.merchantNo };
    const { repository } = applications({ ...approved, tokenHash: sha256Hex(token) });
    let terminalReads = 0;
    const bound = terminalRecord('BOUND');
    const terminals = (owner: string) =>
      fake<TerminalRepository>('terminals', {
        get: async () => {
          terminalReads += 1;
          return { ...bound, merchantNo: owner };
        },
        reserveAttempt: async () => 1,
      } as Partial<TerminalRepository>);
    const event = apiEvent({
      method: 'POST',
      resource: '/v1/terminals/{sn}/activate',
      pathParameters: { sn: IDS.serialNumber },
      headers: { authorization: `Bearer ${token}` },
      body: { activationCode: '000000' },
    });
    const hasher = { mac: async (_p: string, value: string) => sha256Hex(value) };
    // The merchant signed its agreement: the activation gate lets the code be checked.
    const signedAgreement = {
      head: async (merchantNo: string) => ({
        merchantNo,
        latestVersion: 1,
        signedVersion: 1,
        latestSource: 'PROVISIONED',
      }),
    };
    const foreign = await activate({
      applications: repository,
      terminals: terminals(IDS.otherMerchantNo),
      hasher: hasher as never,
      clock: fixedClock,
      agreements: signedAgreement,
    })(event, lambdaContext('activate'));
    expect(foreign.statusCode).toBe(404);
    expect(terminalReads).toBe(1);
    terminalReads = 0;
    await activate({
      applications: repository,
      terminals: terminals(IDS.merchantNo),
      hasher: hasher as never,
      clock: fixedClock,
      agreements: signedAgreement,
    })(event, lambdaContext('activate'));
    expect(terminalReads).toBe(1);
  });
});

describe('the manifest and the guards', () => {
  it('has every merchant route hand its own manifest entry to the object-level guard, and every staff route to the group check', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { ROUTES } = await import('../../../shared/manifest/functions');
    const { FUNCTIONS_DIR } = await import('../../../infra/house-function');
    const guarded = ROUTES.filter((route) => route.auth === 'merchant' || route.auth === 'merchant-or-staff');
    const staff = ROUTES.filter((route) => route.auth === 'staff');
    expect(guarded.length).toBe(25);
    expect(staff.length).toBe(25);
    for (const [routes, wrapper] of [
      [guarded, 'guardedRoute'],
      [staff, 'staffRoute'],
    ] as const) {
      for (const route of routes) {
        // The entry's constant is the file name in capitals (get-merchant → GET_MERCHANT).
        const constant = route.functionName.toUpperCase().replaceAll('-', '_');
        const source = readFileSync(join(FUNCTIONS_DIR, `${route.functionName}.ts`), 'utf8');
        expect(source, `${route.functionName} imports its own entry`).toMatch(
          new RegExp(`import \\{ ${constant} \\} from '\\.\\./shared/manifest/[a-z-]+';`),
        );
        expect(source, `${route.functionName} hands its own entry to ${wrapper}`).toMatch(
          new RegExp(`${wrapper}\\(\\s*${constant}\\b`),
        );
      }
    }
  });
});

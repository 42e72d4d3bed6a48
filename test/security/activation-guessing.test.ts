import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACTIVATION_ATTEMPTS, MAX_ACTIVATION_CODES_PER_TERMINAL } from '../../shared/domain/terminal';
import type { ApiClient } from '../support/api-client';
import { approvedMerchant, latestSms } from '../support/onboarding';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * Guessing activation codes on the real local stack. An attempt is reserved with a conditional
 * write before its code is compared, so 20 concurrent wrong codes get at most 5 comparisons (each
 * compared wrong code answers 400, each refused one 409 without being compared), and the right
 * code then answers ACTIVATION_LOCKED. A terminal gets at most 20 codes in its life, so reissues
 * cannot buy unlimited guesses.
 */

let testStack: TestStack;
let api: ApiClient;
let reviewer: string;
let operator: string;
let seq = 0;
const figures = { concurrentGuesses: 0, compared: 0, refusedUncompared: 0, codesIssued: 0, capRefusals: 0 };

beforeAll(async () => {
  testStack = await startTestStack('activation-guessing', { SMS_PER_PHONE_PER_HOUR: '10000' });
  ({ api, reviewer, operator } = testStack);
});

afterAll(async () => {
  console.info(`activation guessing figures: ${JSON.stringify(figures)}`);
  await testStack?.stop();
});

async function boundTerminal() {
  const merchant = await approvedMerchant(api, reviewer);
  const sn = `GUESS${Date.now().toString(36).toUpperCase()}${++seq}`;
  const stocked = await api.call('POST', '/v1/terminals', {
    token: operator,
    body: { terminals: [{ serialNumber: sn, model: 'A8' }] },
  });
  expect(stocked.status).toBe(201);
  const bound = await api.call('POST', `/v1/terminals/${sn}/bind`, {
    token: operator,
    body: { merchantNo: merchant.merchantNo },
  });
  expect(bound.status).toBe(200);
  const terminalId = bound.json.terminalId as string;
  const code = (await latestSms(api, new RegExp(`(?:终端号|TID )${terminalId}\\D+(\\d{6})`)))[1] as string;
  return { merchant, sn, terminalId, code };
}

describe('activation code guessing', () => {
  it('compares at most 5 of 20 concurrent wrong codes; the right code then answers ACTIVATION_LOCKED', async () => {
    const { merchant, sn, code } = await boundTerminal();
    const wrong = Array.from({ length: 20 }, (_, i) => {
      const guess = String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
      return guess;
    });
    const answers = await Promise.all(
      wrong.map((activationCode) =>
        api.call('POST', `/v1/terminals/${sn}/activate`, { token: merchant.token, body: { activationCode } }),
      ),
    );
    figures.concurrentGuesses += answers.length;
    const compared = answers.filter((a) => a.status === 400);
    const refused = answers.filter((a) => a.status === 409);
    figures.compared += compared.length;
    figures.refusedUncompared += refused.length;
    expect(compared.length).toBeLessThanOrEqual(MAX_ACTIVATION_ATTEMPTS);
    expect(compared.length + refused.length).toBe(20);
    for (const answer of compared) expect(answer.json.error.code).toBe('ACTIVATION_CODE_INVALID');
    for (const answer of refused) expect(answer.json.error.code).toBe('ACTIVATION_LOCKED');

    const view = await api.call('GET', `/v1/terminals/${sn}`, { token: operator });
    expect(view.json.activation).toMatchObject({ attemptsLeft: 0, locked: true });

    const right = await api.call('POST', `/v1/terminals/${sn}/activate`, {
      token: merchant.token,
      body: { activationCode: code },
    });
    expect(right.status).toBe(409);
    expect(right.json.error.code).toBe('ACTIVATION_LOCKED');
  });

  it(`issues at most ${MAX_ACTIVATION_CODES_PER_TERMINAL} codes in a terminal's life, then refuses with ACTIVATION_CODE_LIMIT`, async () => {
    const { sn } = await boundTerminal();
    figures.codesIssued += 1;
    for (let issued = 1; issued < MAX_ACTIVATION_CODES_PER_TERMINAL; issued++) {
      const reissued = await api.call('POST', `/v1/terminals/${sn}/activation-code`, { token: operator });
      expect(reissued.status, `reissue ${issued + 1}`).toBe(200);
      figures.codesIssued += 1;
    }
    const smsBefore = (await api.call('GET', '/_local/sms')).json.messages.length;
    const refused = await api.call('POST', `/v1/terminals/${sn}/activation-code`, { token: operator });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('ACTIVATION_CODE_LIMIT');
    figures.capRefusals += 1;
    expect((await api.call('GET', '/_local/sms')).json.messages.length).toBe(smsBefore);

    // Unbinding and binding again does not reset the count: the cap is the terminal's, for life.
    const view = await api.call('GET', `/v1/terminals/${sn}`, { token: operator });
    const unbound = await api.call('POST', `/v1/terminals/${sn}/unbind`, {
      token: operator,
      body: { reason: 'cap test' },
    });
    expect(unbound.status).toBe(200);
    const rebound = await api.call('POST', `/v1/terminals/${sn}/bind`, {
      token: operator,
      body: { merchantNo: view.json.merchantNo },
    });
    expect(rebound.status).toBe(200);
    expect(rebound.json).toMatchObject({ activationCodeSent: false, activationCodeNotSent: 'CODE_LIMIT' });
    figures.capRefusals += 1;
  });
});

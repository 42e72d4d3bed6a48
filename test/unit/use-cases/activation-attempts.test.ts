import { describe, expect, it } from 'vitest';
import { MAX_ACTIVATION_ATTEMPTS, type TerminalRecord } from '../../../shared/domain/terminal';
import type { KeyedHasher } from '../../../shared/ports';
import type { TerminalRepository } from '../../../shared/ports/terminals';
import { activationCodeHash } from '../../../shared/terminals/activation-codes';
import { activateTerminal } from '../../../shared/terminals/lifecycle';

/*
 * Activation attempts are reserved before a code is compared: the keyed hash of a presented code
 * (the comparison) is computed only after a conditional write counted it, so concurrent guesses
 * cannot compare more than 5 codes per issued code.
 */

const SN = 'LKL00012345';
const MERCHANT = '102110554110001';
const NOW = new Date('2026-12-01T08:00:00.000Z');

/** HMAC stand-in that counts how many presented codes were hashed (compared). */
function countingHasher() {
  const state = { presented: 0 };
  const hasher: KeyedHasher = {
    mac: async (purpose, value) => {
      if (purpose === 'activation-code') state.presented += 1;
      return `mac:${purpose}:${value}`;
    },
  };
  return { hasher, state };
}

/** One terminal with the conditional semantics of the DynamoDB adapter; every call yields first. */
function oneTerminal(record: TerminalRecord) {
  let stored = record;
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const terminals = {
    get: async () => {
      await tick();
      return stored;
    },
    // Neither the terminal nor its merchant is suspended after a risk alert.
    merchantStatus: async () => 'ACTIVE',
    reserveAttempt: async (input: { codeHash: string; limit: number; now: string }) => {
      await tick();
      const attempts = stored.activationAttempts ?? 0;
      if (
        stored.activationCodeHash !== input.codeHash ||
        attempts >= input.limit ||
        (stored.activationExpiresAt ?? '') <= input.now
      )
        return undefined;
      stored = { ...stored, activationAttempts: attempts + 1 };
      return attempts + 1;
    },
    activate: async (input: { codeHash: string; limit: number }) => {
      await tick();
      if (stored.activationCodeHash !== input.codeHash || (stored.activationAttempts ?? 0) > input.limit)
        return false;
      stored = { ...stored, status: 'ACTIVATED' };
      return true;
    },
  } as unknown as TerminalRepository;
  return { terminals, current: () => stored };
}

/** A bound terminal whose stored hash is what the counting hasher makes of `code` (not counted). */
function boundTerminal(code: string): TerminalRecord {
  return {
    serialNumber: SN,
    model: 'A8',
    status: 'BOUND',
    registeredAt: NOW.toISOString(),
    merchantNo: MERCHANT,
    terminalId: '00000001',
    activationCodeHash: `mac:activation-code:${SN}:${code}`,
    activationExpiresAt: new Date(NOW.getTime() + 86_400_000).toISOString(),
    activationAttempts: 0,
  };
}

/** The merchant signed its agreement: the activation gate lets the codes through. */
const SIGNED = {
  head: async () => ({
    merchantNo: MERCHANT,
    latestVersion: 1,
    signedVersion: 1,
    latestSource: 'PROVISIONED',
  }),
};

describe('activation attempts', () => {
  it('compares at most 5 of 20 concurrent wrong codes, and then locks even the right one', async () => {
    const { hasher, state } = countingHasher();
    const right = '482913';
    const world = oneTerminal(boundTerminal(right));
    const deps = { terminals: world.terminals, agreements: SIGNED, hasher, clock: { now: () => NOW } };
    const wrong = Array.from({ length: 20 }, (_, i) => String(100000 + i));
    const results = await Promise.allSettled(
      wrong.map((activationCode) => activateTerminal(deps, MERCHANT, SN, { activationCode })),
    );
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'OK'));
    expect(codes.filter((c) => c === 'ACTIVATION_CODE_INVALID')).toHaveLength(MAX_ACTIVATION_ATTEMPTS);
    expect(codes.filter((c) => c === 'ACTIVATION_LOCKED')).toHaveLength(20 - MAX_ACTIVATION_ATTEMPTS);
    expect(state.presented).toBe(MAX_ACTIVATION_ATTEMPTS);
    expect(world.current().activationAttempts).toBe(MAX_ACTIVATION_ATTEMPTS);

    await expect(activateTerminal(deps, MERCHANT, SN, { activationCode: right })).rejects.toMatchObject({
      code: 'ACTIVATION_LOCKED',
      statusCode: 409,
    });
    expect(state.presented).toBe(MAX_ACTIVATION_ATTEMPTS);
  });

  it('activates with the right code among concurrent wrong ones only if it got one of the 5 attempts', async () => {
    const { hasher } = countingHasher();
    const right = '482913';
    const world = oneTerminal(boundTerminal(right));
    const deps = { terminals: world.terminals, agreements: SIGNED, hasher, clock: { now: () => NOW } };
    const guesses = [...Array.from({ length: 4 }, (_, i) => String(200000 + i)), right];
    const results = await Promise.allSettled(
      guesses.map((activationCode) => activateTerminal(deps, MERCHANT, SN, { activationCode })),
    );
    expect(results.at(-1)).toMatchObject({ status: 'fulfilled', value: { status: 'ACTIVATED' } });
    expect(world.current().status).toBe('ACTIVATED');
  });

  it('answers the attempts left on each wrong code, 0 on the fifth', async () => {
    const { hasher } = countingHasher();
    const world = oneTerminal(boundTerminal('482913'));
    const deps = { terminals: world.terminals, agreements: SIGNED, hasher, clock: { now: () => NOW } };
    const left: unknown[] = [];
    for (let i = 0; i < MAX_ACTIVATION_ATTEMPTS; i++) {
      const error = await activateTerminal(deps, MERCHANT, SN, { activationCode: '000000' }).catch((e) => e);
      left.push((error as { details: { attemptsLeft: number } }).details.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
  });

  it('hashes codes with the terminal in the MAC, so one hash is never another terminal’s', async () => {
    const { hasher } = countingHasher();
    expect(await activationCodeHash(hasher, 'A', '123456')).not.toBe(
      await activationCodeHash(hasher, 'B', '123456'),
    );
  });
});

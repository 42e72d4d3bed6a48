import { randomInt } from 'node:crypto';
import { ACTIVATION_CODE_DAYS } from '../domain/terminal';
import type { Clock, KeyedHasher } from '../ports';
import type { TerminalRepository } from '../ports/terminals';

/** Keyed hash of an activation code: 10⁶ codes are trivial to brute-force from a plain hash. */
export function activationCodeHash(hasher: KeyedHasher, serialNumber: string, code: string): Promise<string> {
  return hasher.mac('activation-code', `${serialNumber}:${code}`);
}

/**
 * Generates a 6-digit activation code for a terminal bound to `merchantNo`, stores only its keyed
 * hash with a 30-day expiry (attempts reset, lock lifted) and returns the code for its SMS — the
 * one place the code exists in clear. `undefined` when the terminal is no longer bound to it, or
 * when `reservedIssueId` (an operator's reissue) was overtaken by a newer issue.
 */
export async function newActivationCode(
  deps: { terminals: TerminalRepository; hasher: KeyedHasher; clock: Clock },
  serialNumber: string,
  merchantNo: string,
  reservedIssueId?: string,
): Promise<{ code: string; expiresAt: string } | undefined> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(deps.clock.now().getTime() + ACTIVATION_CODE_DAYS * 86_400_000).toISOString();
  const stored = await deps.terminals.setActivationCode({
    serialNumber,
    merchantNo,
    codeHash: await activationCodeHash(deps.hasher, serialNumber, code),
    expiresAt,
    ...(reservedIssueId === undefined ? {} : { reservedIssueId }),
  });
  return stored ? { code, expiresAt } : undefined;
}

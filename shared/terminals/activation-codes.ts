import { randomInt } from 'node:crypto';
import { ACTIVATION_CODE_DAYS, MAX_ACTIVATION_CODES_PER_TERMINAL } from '../domain/terminal';
import { logger } from '../logger';
import { countMetric } from '../metrics';
import type { Clock, KeyedHasher } from '../ports';
import type { ActivationCodeStore } from '../ports/terminals';

/** Keyed hash of an activation code: 10⁶ codes are trivial to brute-force from a plain hash. */
export function activationCodeHash(hasher: KeyedHasher, serialNumber: string, code: string): Promise<string> {
  return hasher.mac('activation-code', `${serialNumber}:${code}`);
}

/**
 * A terminal reached its lifetime cap of activation codes: logged (SN only) and counted, which
 * raises the `ActivationCodeCapReached` alarm.
 */
export async function reportCodeCapReached(serialNumber: string): Promise<void> {
  logger.error('activation code refused: the terminal reached its lifetime cap of codes', {
    serialNumber,
    cap: MAX_ACTIVATION_CODES_PER_TERMINAL,
  });
  await countMetric('ActivationCodeCapReached');
}

/**
 * Generates a 6-digit activation code for a terminal bound to `merchantNo`, stores only its keyed
 * hash with a 30-day expiry (attempts reset, lock lifted, the terminal's lifetime count of codes +1)
 * and returns the code for its SMS — the one place the code exists in clear. `undefined` when the
 * terminal is no longer bound to it, when `reservedIssueId` (an operator's reissue) was overtaken by
 * a newer issue, or when the terminal reached its lifetime cap of codes (reported and alarmed).
 */
export async function newActivationCode(
  deps: { terminals: ActivationCodeStore; hasher: KeyedHasher; clock: Clock },
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
    lifetimeCap: MAX_ACTIVATION_CODES_PER_TERMINAL,
    ...(reservedIssueId === undefined ? {} : { reservedIssueId }),
  });
  if (stored === 'CODE_LIMIT') await reportCodeCapReached(serialNumber);
  return stored === 'SET' ? { code, expiresAt } : undefined;
}

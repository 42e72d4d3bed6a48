import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { requireSignedAgreement } from '../agreements/requests';
import type { StaffPrincipal } from '../auth/principals';
import { macsEqual } from '../auth/tokens';
import { terminalIdOf } from '../domain/merchant';
import {
  MAX_ACTIVATION_ATTEMPTS,
  MAX_ACTIVATION_CODES_PER_TERMINAL,
  REBIND_APPROVAL_HOURS,
  REBIND_HOLD_DAYS,
  type TerminalRecord,
} from '../domain/terminal';
import { AppError, invalidState, notFound, validationFailed } from '../errors';
import { logger } from '../logger';
import { countMetric } from '../metrics';
import {
  type SendResult,
  sendOnce,
  type UndeliveredNote,
  undeliveredNotes,
} from '../notifications/send-once';
import { renderTerminalSms } from '../notifications/terminal-templates';
import type { Clock, KeyedHasher, SmsSender } from '../ports';
import type { AgreementRepository } from '../ports/agreements';
import type { MerchantRepository, SendRecordRepository } from '../ports/merchants';
import type { SendQuota, SuppressionList } from '../ports/notifications';
import type { PaymentHost, TerminalReader, TerminalRepository } from '../ports/terminals';
import { lazy } from '../validation/lazy';
import { zodProblems } from '../validation/problems';
import { systemEntryOf } from '../workflow-kit/subject';
import { activationCodeHash, newActivationCode, reportCodeCapReached } from './activation-codes';

/** Everything the terminal use cases may need; each route picks its part. */
export interface TerminalDeps {
  readonly terminals: TerminalRepository;
  readonly merchants: MerchantRepository;
  readonly hasher: KeyedHasher;
  readonly sends: SendRecordRepository;
  readonly suppressions: SuppressionList;
  readonly sendQuota: SendQuota;
  readonly sms: SmsSender;
  readonly paymentHost: PaymentHost;
  readonly clock: Clock;
  readonly config: { smsSignature: string; smsPerPhonePerHour: number; emailPerAddressPerHour: number };
}

/** The adapters of the routes that send an activation code by SMS. */
type ActivationSmsDeps = Pick<
  TerminalDeps,
  'terminals' | 'merchants' | 'hasher' | 'sends' | 'suppressions' | 'sendQuota' | 'sms' | 'clock' | 'config'
>;

/** A valid SN in a path (the same rule as registration). */
export function checkSerialNumber(sn: string): string {
  if (!/^[A-Z0-9][A-Z0-9-]{5,31}$/.test(sn)) throw notFound('Terminal');
  return sn;
}

function parse<T>(schema: z.ZodMiniType<T>, input: unknown): T {
  const parsed = z.safeParse(schema, input ?? {});
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input: input ?? {} }));
  return parsed.data;
}

/** The terminal as staff see it: state, binding, activation state and full history. */
export async function getTerminal(
  deps: Pick<TerminalDeps, 'clock'> & { readonly terminals: TerminalReader },
  serialNumber: string,
) {
  const terminal = await deps.terminals.get(checkSerialNumber(serialNumber));
  if (!terminal) throw notFound('Terminal');
  const history = await deps.terminals.history(serialNumber);
  return {
    serialNumber: terminal.serialNumber,
    model: terminal.model,
    status: terminal.status,
    merchantNo: terminal.merchantNo ?? null,
    terminalId: terminal.terminalId ?? null,
    openTransferId: terminal.openTransferId ?? null,
    suspended: terminal.suspended === true,
    ...(terminal.suspension ? { suspension: terminal.suspension } : {}),
    // A first operator's request to bind this recently unbound SN to another merchant.
    pendingRebind:
      terminal.status === 'IN_STOCK' && terminal.rebindMerchantNo
        ? {
            merchantNo: terminal.rebindMerchantNo,
            requestedBy: terminal.rebindRequestedBy ?? null,
            requestedAt: terminal.rebindRequestedAt ?? null,
          }
        : null,
    activation:
      terminal.status === 'BOUND' && terminal.activationExpiresAt
        ? {
            expiresAt: terminal.activationExpiresAt,
            expired: terminal.activationExpiresAt <= deps.clock.now().toISOString(),
            attemptsLeft: Math.max(0, MAX_ACTIVATION_ATTEMPTS - (terminal.activationAttempts ?? 0)),
            locked: (terminal.activationAttempts ?? 0) >= MAX_ACTIVATION_ATTEMPTS,
          }
        : null,
    history: history.map((entry) => ({
      action: entry.action,
      merchantNo: entry.merchantNo ?? null,
      terminalId: entry.terminalId ?? null,
      at: entry.at,
      actor: entry.actor,
      ...(entry.reason ? { reason: entry.reason } : {}),
      // An activation code that did not reach the merchant: channel, template, masked recipient.
      ...(entry.channel
        ? { channel: entry.channel, template: entry.template, recipient: entry.recipient }
        : {}),
    })),
  };
}

/**
 * Issues a new activation code for a terminal bound to `merchantNo` and sends it by SMS to the
 * merchant's contact, exactly once per issuance (`issueId`). The code is generated only once the
 * send is allowed (not suppressed, under the phone's hourly limit), so a refused send leaves the
 * current code and lock as they are. The code is in no response. An operator's request makes one
 * attempt: a code that could not be delivered is noted in the terminal's history at once.
 */
export async function sendNewActivationCode(
  deps: ActivationSmsDeps,
  input: {
    serialNumber: string;
    merchantNo: string;
    terminalId: string;
    issueId: string;
    /** The issue holds the terminal's reservation (an operator's reissue). */
    reserved?: boolean;
  },
): Promise<{ sent: boolean; result: SendResult | 'NO_MERCHANT' | 'CODE_LIMIT'; expiresAt?: string }> {
  const merchant = await deps.merchants.getMerchant(input.merchantNo);
  if (!merchant) return { sent: false, result: 'NO_MERCHANT' };
  // Known before the send is claimed, so no send record is spent on a code that cannot exist; the
  // conditional write of the code enforces the cap whatever runs concurrently.
  const terminal = await deps.terminals.get(input.serialNumber);
  if ((terminal?.activationCodesIssued ?? 0) >= MAX_ACTIVATION_CODES_PER_TERMINAL) {
    await reportCodeCapReached(input.serialNumber);
    return { sent: false, result: 'CODE_LIMIT' };
  }
  let expiresAt: string | undefined;
  const outcome = await sendOnce(
    deps,
    {
      subjectId: `${input.serialNumber}#${input.issueId}`,
      template: 'ACTIVATION_CODE',
      channel: 'SMS',
      address: merchant.contact.phone,
      maxAttempts: 1,
      // Its own hourly counter: other traffic to the phone cannot use up the code's.
      quota: 'SMS_ACTIVATION_CODE',
    },
    async (ref) => {
      const issued = await newActivationCode(
        deps,
        input.serialNumber,
        input.merchantNo,
        input.reserved ? input.issueId : undefined,
      );
      if (!issued)
        throw new Error('The terminal is no longer bound to this merchant, or a newer code was issued');
      expiresAt = issued.expiresAt;
      const sms = renderTerminalSms(
        'ACTIVATION_CODE',
        merchant.locale,
        {
          serialNumber: input.serialNumber,
          merchantNo: input.merchantNo,
          terminalId: input.terminalId,
          activationCode: issued.code,
        },
        deps.config.smsSignature,
      );
      return deps.sms.send({ to: merchant.contact.phone, ...sms, reference: ref });
    },
  );
  await noteInTerminalHistory(deps, input, undeliveredNotes([outcome]));
  return { sent: outcome.result === 'SENT', result: outcome.result, ...(expiresAt ? { expiresAt } : {}) };
}

/** Notes in a terminal's history: an activation code that did not reach the merchant (masked recipient). */
async function noteInTerminalHistory(
  deps: Pick<TerminalDeps, 'terminals'>,
  terminal: { serialNumber: string; merchantNo: string; terminalId: string },
  notes: readonly UndeliveredNote[],
): Promise<void> {
  for (const note of notes) {
    await deps.terminals.addHistory(terminal.serialNumber, {
      ...systemEntryOf(note),
      merchantNo: terminal.merchantNo,
      terminalId: terminal.terminalId,
    });
  }
}

/** Seconds until the phone's hourly SMS window ends (fixed clock-hour windows). */
function secondsToNextHour(now: Date): number {
  return 3600 - (Math.floor(now.getTime() / 1000) % 3600);
}

// Schemas are built on first use, not at import: module scope runs in every cold start of every
// function that bundles this module, and each function parses at most one of them.
export const bindSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({ merchantNo: z.string().check(z.regex(/^\d{15}$/)) }),
);

/** What a bind answers: the binding, or a request that waits for a second operator. */
export type BindOutcome =
  | {
      readonly serialNumber: string;
      readonly merchantNo: string;
      readonly terminalId: string;
      readonly status: 'BOUND';
      readonly activationCodeSent: boolean;
      readonly activationCodeNotSent?: string;
    }
  | {
      readonly serialNumber: string;
      readonly merchantNo: string;
      readonly status: 'PENDING_APPROVAL';
      readonly requestedBy: string;
      readonly approvalExpiresAt: string;
    };

/** The merchant statuses that take terminals (the binding write's condition says the same). */
const ACCEPTING_MERCHANT_STATUSES: readonly string[] = ['PENDING_ACTIVATION', 'ACTIVE'];

const alreadyBound = () =>
  new AppError('TERMINAL_ALREADY_BOUND', 'This terminal is bound to a merchant already');

const merchantNotAccepting = () =>
  new AppError('VALIDATION_FAILED', 'The merchant does not exist or cannot take terminals', {
    fields: [
      {
        field: 'merchantNo',
        code: 'NOT_ACCEPTING',
        message: 'No active or pending merchant with this number',
      },
    ],
  });

/**
 * `POST /v1/terminals/{sn}/bind` (operator): one transaction binds the SN (in stock only) and
 * counts it on the merchant (at most 5), with an 8-digit terminal ID from an atomic sequence
 * that never repeats; then the activation code goes out by SMS. An SN unbound from another
 * merchant in the last {@link REBIND_HOLD_DAYS} days is not bound by one operator: the first bind
 * records a request (`PENDING_APPROVAL`), and the same bind by a second operator within
 * {@link REBIND_APPROVAL_HOURS} hours binds it — moving a terminal between merchants is otherwise
 * a transfer. The rule is a condition of the binding write, not a read before it.
 */
export async function bindTerminal(
  deps: ActivationSmsDeps,
  operator: StaffPrincipal,
  serialNumber: string,
  input: unknown,
): Promise<BindOutcome> {
  const { merchantNo } = parse(bindSchema(), input);
  checkSerialNumber(serialNumber);
  const now = deps.clock.now();
  const at = now.toISOString();
  const actor = `staff:${operator.sub}`;
  const holdSince = new Date(now.getTime() - REBIND_HOLD_DAYS * 86_400_000).toISOString();
  const approvalSince = new Date(now.getTime() - REBIND_APPROVAL_HOURS * 3_600_000).toISOString();
  // Read for the history's wording only (whose request this binding approves).
  const before = await deps.terminals.get(serialNumber);
  const approving =
    before?.rebindMerchantNo === merchantNo &&
    before.rebindRequestedBy !== actor &&
    (before.rebindRequestedAt ?? '') > approvalSince;
  // Refused before a terminal ID is drawn, so that a refused bind consumes none; when requests
  // race, the binding write's own conditions still decide.
  if (!before) throw notFound('Terminal');
  if (before.status !== 'IN_STOCK') throw alreadyBound();
  if (!ACCEPTING_MERCHANT_STATUSES.includes((await deps.terminals.merchantStatus(merchantNo)) ?? ''))
    throw merchantNotAccepting();
  const terminalId = terminalIdOf(await deps.merchants.nextTerminalSequence());
  const refusal = await deps.terminals.bind({
    serialNumber,
    merchantNo,
    terminalId,
    at,
    actor,
    holdSince,
    approvalSince,
    ...(approving ? { reason: `rebinding requested by ${before?.rebindRequestedBy}, approved` } : {}),
  });
  switch (refusal) {
    case 'TERMINAL_NOT_FOUND':
      throw notFound('Terminal');
    case 'TERMINAL_ALREADY_BOUND':
      throw alreadyBound();
    case 'TERMINAL_LIMIT':
      throw new AppError('CONFLICT', 'This merchant already holds the maximum of 5 terminals');
    case 'MERCHANT_NOT_ACTIVE':
      throw merchantNotAccepting();
    case 'REBIND_NEEDS_APPROVAL': {
      if (!(await deps.terminals.requestRebind({ serialNumber, merchantNo, actor, at, holdSince }))) {
        throw new AppError('CONFLICT', 'The terminal changed at the same time; read it again');
      }
      logger.info('rebinding requested; a second operator must approve', { serialNumber, merchantNo });
      return {
        serialNumber,
        merchantNo,
        status: 'PENDING_APPROVAL',
        requestedBy: actor,
        approvalExpiresAt: new Date(now.getTime() + REBIND_APPROVAL_HOURS * 3_600_000).toISOString(),
      };
    }
    default:
  }
  const activation = await sendNewActivationCode(deps, {
    serialNumber,
    merchantNo,
    terminalId,
    issueId: terminalId,
  });
  logger.info('terminal bound', { serialNumber, merchantNo, terminalId });
  return {
    serialNumber,
    merchantNo,
    terminalId,
    status: 'BOUND' as const,
    activationCodeSent: activation.sent,
    // The binding stands either way; a refused or failed SMS is reissued later (activation-code route).
    ...(activation.sent ? {} : { activationCodeNotSent: activation.result }),
  };
}

export const reasonSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({ reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)) }),
);

/** `POST /v1/terminals/{sn}/unbind` (operator): back to IN_STOCK, history kept. */
export async function unbindTerminal(
  deps: Pick<TerminalDeps, 'terminals' | 'clock'>,
  operator: StaffPrincipal,
  serialNumber: string,
  input: unknown,
) {
  const { reason } = parse(reasonSchema(), input);
  const terminal = await deps.terminals.get(checkSerialNumber(serialNumber));
  if (!terminal) throw notFound('Terminal');
  if (!terminal.merchantNo || terminal.status === 'IN_STOCK') throw invalidState('The terminal is not bound');
  if (terminal.openTransferId)
    throw invalidState('A transfer of this terminal is under way; cancel or finish it first');
  const at = deps.clock.now().toISOString();
  const done = await deps.terminals.unbind({
    serialNumber,
    merchantNo: terminal.merchantNo,
    at,
    actor: `staff:${operator.sub}`,
    reason,
  });
  if (!done) throw new AppError('CONFLICT', 'The terminal changed at the same time; read it again');
  return { serialNumber, status: 'IN_STOCK' as const, previousMerchantNo: terminal.merchantNo };
}

/**
 * How long one reissue holds a terminal's next code: longer than a request can run (an API
 * function times out at 10 s), so a reissue that died mid-way blocks the next for seconds, never for good.
 */
const REISSUE_LEASE_SECONDS = 30;

/** The terminal had its lifetime cap of activation codes (see MAX_ACTIVATION_CODES_PER_TERMINAL). */
function codeLimit(): AppError {
  return new AppError(
    'ACTIVATION_CODE_LIMIT',
    `This terminal has been issued ${MAX_ACTIVATION_CODES_PER_TERMINAL} activation codes, the most it may have: security must look into it before it can be activated`,
  );
}

/** `POST /v1/terminals/{sn}/activation-code` (operator): a new code by SMS, lock lifted. */
export async function reissueActivationCode(
  deps: ActivationSmsDeps,
  operator: StaffPrincipal,
  serialNumber: string,
) {
  const terminal = await deps.terminals.get(checkSerialNumber(serialNumber));
  if (!terminal) throw notFound('Terminal');
  if (terminal.status !== 'BOUND' || !terminal.merchantNo || !terminal.terminalId) {
    throw invalidState(`A code can only be issued for a BOUND terminal, not ${terminal.status}`);
  }
  if ((terminal.activationCodesIssued ?? 0) >= MAX_ACTIVATION_CODES_PER_TERMINAL) {
    await reportCodeCapReached(serialNumber);
    throw codeLimit();
  }
  const at = deps.clock.now().toISOString();
  // Each reissue is its own issue (its own send record), one at a time per terminal: two at once
  // could text their codes in the other order than they were stored, leaving a dead code last.
  const issueId = `reissue-${ulid()}`;
  const reserved = await deps.terminals.reserveActivationIssue({
    serialNumber,
    merchantNo: terminal.merchantNo,
    issueId,
    now: at,
    leaseUntil: new Date(deps.clock.now().getTime() + REISSUE_LEASE_SECONDS * 1000).toISOString(),
  });
  if (!reserved) {
    throw new AppError(
      'CONFLICT',
      'Another activation code is being issued for this terminal; try again in a few seconds',
    );
  }
  let activation: Awaited<ReturnType<typeof sendNewActivationCode>>;
  try {
    activation = await sendNewActivationCode(deps, {
      serialNumber,
      merchantNo: terminal.merchantNo,
      terminalId: terminal.terminalId,
      issueId,
      reserved: true,
    });
  } finally {
    await deps.terminals.releaseActivationIssue(serialNumber, issueId);
  }
  if (activation.result === 'RATE_LIMITED') {
    throw new AppError(
      'RATE_LIMITED',
      "The merchant's phone has received the most SMS allowed this hour; the current code stays valid",
      { details: { retryAfterSeconds: secondsToNextHour(deps.clock.now()) } },
    );
  }
  if (activation.result === 'CODE_LIMIT') throw codeLimit();
  if (activation.result === 'SUPPRESSED') {
    throw invalidState(
      "The merchant's phone opted out of SMS: a change request must update the contact phone first",
    );
  }
  if (!activation.sent)
    throw new AppError('SERVICE_UNAVAILABLE', 'The activation code could not be sent; try again');
  await deps.terminals.addHistory(serialNumber, {
    action: 'ACTIVATION_CODE_REISSUED',
    merchantNo: terminal.merchantNo,
    terminalId: terminal.terminalId,
    at,
    actor: `staff:${operator.sub}`,
  });
  return { serialNumber, status: terminal.status, activationCodeSent: true, expiresAt: activation.expiresAt };
}

/** The caller's own bound terminal; another merchant's (or an unknown) SN is a 404 alike. */
async function ownTerminal(
  deps: Pick<TerminalDeps, 'terminals'>,
  merchantNo: string | undefined,
  serialNumber: string,
) {
  const terminal = await deps.terminals.get(checkSerialNumber(serialNumber));
  if (!terminal || !merchantNo || terminal.merchantNo !== merchantNo) throw notFound('Terminal');
  return terminal as TerminalRecord & { merchantNo: string; terminalId: string };
}

/** A suspended terminal or merchant (after a risk alert) switches nothing on: 409 with the one that is. */
async function refuseSuspended(
  deps: Pick<TerminalDeps, 'terminals'>,
  terminal: TerminalRecord & { merchantNo: string },
) {
  if (terminal.suspended)
    throw new AppError('TERMINAL_SUSPENDED', 'This terminal is suspended after a risk review');
  if ((await deps.terminals.merchantStatus(terminal.merchantNo)) === 'SUSPENDED')
    throw new AppError('MERCHANT_SUSPENDED', 'The merchant is suspended after a risk review');
}

export const activateSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({ activationCode: z.string().check(z.regex(/^\d{6}$/)) }),
);

const locked = () =>
  new AppError('ACTIVATION_LOCKED', 'Too many wrong codes: ask for a new activation code', {
    details: { attemptsLeft: 0 },
  });

const expired = () =>
  new AppError('ACTIVATION_CODE_EXPIRED', 'The activation code has expired: ask for a new one');

/**
 * `POST /v1/terminals/{sn}/activate` (the merchant): the agreement gate first (409
 * AGREEMENT_NOT_SIGNED until the merchant signed an agreement, before any attempt is counted), then
 * the lock (after 5 wrong codes even the right one is refused), then expiry; then one attempt is
 * reserved with a conditional write (`ADD activationAttempts 1 IF activationAttempts < 5`) and only
 * then is the code compared, as keyed hashes in constant time. However many guesses arrive at once,
 * at most 5 codes per issued code are ever compared; the refused ones answer ACTIVATION_LOCKED
 * without being looked at.
 */
export async function activateTerminal(
  deps: Pick<TerminalDeps, 'terminals' | 'hasher' | 'clock'> & {
    agreements: Pick<AgreementRepository, 'head'>;
  },
  merchantNo: string | undefined,
  serialNumber: string,
  input: unknown,
) {
  const { activationCode } = parse(activateSchema(), input);
  const terminal = await ownTerminal(deps, merchantNo, serialNumber);
  await refuseSuspended(deps, terminal);
  if (terminal.status !== 'BOUND')
    throw invalidState(`The terminal is ${terminal.status}, not waiting for activation`);
  // Before any code is counted: no terminal is switched on before the merchant signed its rates.
  await requireSignedAgreement(deps, terminal.merchantNo);
  const storedHash = terminal.activationCodeHash;
  if (!storedHash || (terminal.activationAttempts ?? 0) >= MAX_ACTIVATION_ATTEMPTS) throw locked();
  const now = deps.clock.now().toISOString();
  if (!terminal.activationExpiresAt || terminal.activationExpiresAt <= now) throw expired();

  const count = await deps.terminals.reserveAttempt({
    serialNumber,
    codeHash: storedHash,
    limit: MAX_ACTIVATION_ATTEMPTS,
    now,
  });
  if (count === undefined) {
    // Refused: parallel attempts took the last ones, or the code expired or was replaced meanwhile.
    const current = await deps.terminals.get(serialNumber);
    if (current && current.status !== 'BOUND')
      throw invalidState(`The terminal is ${current.status}, not waiting for activation`);
    if (current?.activationCodeHash === storedHash && (current.activationExpiresAt ?? '') <= now)
      throw expired();
    if (current && current.activationCodeHash !== storedHash)
      throw new AppError('CONFLICT', 'A new activation code was issued at the same time: use the newest one');
    throw locked();
  }
  const presented = await activationCodeHash(deps.hasher, serialNumber, activationCode);
  if (!macsEqual(presented, storedHash)) {
    if (count >= MAX_ACTIVATION_ATTEMPTS) {
      logger.warn('terminal locked after wrong activation codes', { serialNumber });
      await countMetric('ActivationLocked');
    }
    // The fifth wrong code still answers 400 (0 attempts left); the lock shows from the next one.
    throw new AppError('ACTIVATION_CODE_INVALID', 'The activation code is not correct', {
      details: { attemptsLeft: Math.max(0, MAX_ACTIVATION_ATTEMPTS - count) },
    });
  }
  const activated = await deps.terminals.activate({
    serialNumber,
    merchantNo: terminal.merchantNo,
    codeHash: presented,
    at: now,
    limit: MAX_ACTIVATION_ATTEMPTS,
  });
  if (!activated) throw invalidState('The activation code changed or was locked at the same time; try again');
  return { serialNumber, terminalId: terminal.terminalId, status: 'ACTIVATED' as const };
}

/**
 * `POST /v1/terminals/{sn}/test-transaction` (the merchant, ACTIVATED only): a 0.01 CNY sale and
 * its void through the payment host; success marks the terminal VERIFIED and the merchant ACTIVE.
 */
export async function runTestTransaction(
  deps: Pick<TerminalDeps, 'terminals' | 'paymentHost' | 'clock'>,
  merchantNo: string | undefined,
  serialNumber: string,
) {
  const terminal = await ownTerminal(deps, merchantNo, serialNumber);
  await refuseSuspended(deps, terminal);
  if (terminal.status !== 'ACTIVATED')
    throw invalidState(`The terminal is ${terminal.status}; activate it first`);
  const reference = `TEST-${serialNumber}-${deps.clock.now().getTime()}`;
  const target = { merchantNo: terminal.merchantNo, terminalId: terminal.terminalId, reference };
  const sale = await deps.paymentHost.sale({ ...target, amountFen: 1, currency: 'CNY' });
  const voided = sale.approved
    ? await deps.paymentHost.voidSale({ ...target, saleId: sale.transactionId })
    : undefined;
  const at = deps.clock.now().toISOString();
  if (!sale.approved || !voided?.approved) {
    const failed = !sale.approved ? sale : voided;
    await deps.terminals.addHistory(serialNumber, {
      action: sale.approved ? 'TEST_VOID_DECLINED' : 'TEST_SALE_DECLINED',
      merchantNo: terminal.merchantNo,
      terminalId: terminal.terminalId,
      at,
      actor: `merchant:${terminal.merchantNo}`,
      reason: `response ${failed?.responseCode ?? 'unknown'}`,
    });
    return {
      result: 'DECLINED' as const,
      step: sale.approved ? 'VOID' : 'SALE',
      responseCode: failed?.responseCode ?? null,
      saleId: sale.transactionId,
      terminalStatus: terminal.status,
    };
  }
  const verified = await deps.terminals.markVerified({
    serialNumber,
    merchantNo: terminal.merchantNo,
    at,
    saleId: sale.transactionId,
  });
  if (!verified) throw invalidState('The terminal changed during the test transaction');
  return {
    result: 'APPROVED' as const,
    saleId: sale.transactionId,
    voidId: voided.transactionId,
    terminalStatus: 'VERIFIED' as const,
    merchantStatus: 'ACTIVE' as const,
  };
}

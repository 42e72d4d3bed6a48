import { describe, expect, it } from 'vitest';
import { LocalKeyedHasher } from '../../../shared/adapters/keyed-hasher';
import type { AgreementRecord } from '../../../shared/agreements/agreement';
import {
  AGREEMENT_SIGNATURE,
  confirmSignatureCode,
  sendSignatureCode,
  signatureCodeTarget,
} from '../../../shared/agreements/signature-codes';
import type {
  IssueResult,
  NewCode,
  NoAttempt,
  OneTimeCodeKey,
  OneTimeCodeStore,
  ReservedAttempt,
} from '../../../shared/one-time-codes/store';
import { MemorySendQuota, MemorySendRecords, MemorySuppressionList } from '../../support/notification-fakes';

/*
 * The agreement signature's use of the one-time codes (shared/one-time-codes/): the code goes to
 * the legal person's phone, belongs to one agreement version, and follows the rules of spec 6.
 * Each step is given only the HMAC keys its function is granted (request: one-time codes and
 * addresses; sign: one-time codes), so a step that needed another key would throw here.
 */

/** The store's contract in memory, with the conditions of the DynamoDB adapter. */
class MemoryCodes implements OneTimeCodeStore {
  readonly items = new Map<
    string,
    { codeHash: string; issueId: string; expiresAt: Date; attempts: number; used: boolean; issuedAt: Date[] }
  >();
  private id = (key: OneTimeCodeKey) => `${key.purpose}#${key.subject}#${key.channel}`;

  async issue(key: OneTimeCodeKey, code: NewCode, now: Date, maxPerHour: number): Promise<IssueResult> {
    const item = this.items.get(this.id(key));
    const recent = (item?.issuedAt ?? []).filter((at) => at.getTime() > now.getTime() - 3_600_000);
    const oldest = recent[0];
    if (recent.length >= maxPerHour && oldest)
      return {
        issued: false,
        retryAfterSeconds: Math.ceil((oldest.getTime() + 3_600_000 - now.getTime()) / 1000),
      };
    this.items.set(this.id(key), { ...code, attempts: 0, used: false, issuedAt: [...recent, now] });
    return { issued: true };
  }

  async reserveAttempt(
    key: OneTimeCodeKey,
    now: Date,
    maxAttempts: number,
  ): Promise<ReservedAttempt | { readonly refused: NoAttempt }> {
    const item = this.items.get(this.id(key));
    if (!item) return { refused: 'NO_CODE' };
    if (item.used) return { refused: 'USED' };
    if (item.attempts >= maxAttempts) return { refused: 'LOCKED' };
    if (item.expiresAt <= now) return { refused: 'EXPIRED' };
    item.attempts += 1;
    return { codeHash: item.codeHash, issueId: item.issueId, attempts: item.attempts };
  }

  async consume(key: OneTimeCodeKey, issueId: string): Promise<boolean> {
    const item = this.items.get(this.id(key));
    if (!item || item.used || item.issueId !== issueId) return false;
    item.used = true;
    return true;
  }
}

const LEGAL_PERSON = '13800138000';
const CONTACT = '13900139000';
const V1 = {
  merchantNo: '102110554110001',
  agreementId: 'AGR-102110554110001-001',
  version: 1,
  feePlan: {
    code: 'DEFAULT-LOW',
    version: 1,
    name: '默认费率（低风险）',
    rates: { DEBIT: { bps: 50, capFen: 2000 }, CREDIT: { bps: 60 }, QR: { bps: 38 } },
    t0SurchargeBps: 5,
  },
  settlementCycle: 'T1',
} as unknown as AgreementRecord;

function world(start = '2026-11-23T08:00:00Z') {
  const now = { value: new Date(start) };
  const texts: { to: string; body: string; templateId: string }[] = [];
  const codes = new MemoryCodes();
  const clock = { now: () => now.value };
  const request = {
    codes,
    clock,
    hasher: new LocalKeyedHasher({ 'one-time-code': 'otc-secret', 'notification-address': 'address-secret' }),
    sends: new MemorySendRecords(),
    suppressions: new MemorySuppressionList(),
    sendQuota: new MemorySendQuota(),
    sms: {
      send: async (message: { to: string; body: string; templateId: string }) => {
        texts.push(message);
        return `sms-${texts.length}`;
      },
    },
    config: { smsSignature: '拉卡拉', smsPerPhonePerHour: 100, emailPerAddressPerHour: 100 },
  };
  const sign = { codes, clock, hasher: new LocalKeyedHasher({ 'one-time-code': 'otc-secret' }) };
  return { now, texts, codes, request, sign };
}

const codeOf = (text: { body: string } | undefined) =>
  /协议签约验证码(\d{6})/.exec(text?.body ?? '')?.[1] ?? '';

describe('agreement signature codes', () => {
  it('texts a code of the agreement version to the legal person, which signs once', async () => {
    const w = world();
    const issued = await sendSignatureCode(w.request, V1, { phone: LEGAL_PERSON, locale: 'zh-CN' });
    expect(w.texts).toHaveLength(1);
    expect(w.texts[0]).toMatchObject({ to: LEGAL_PERSON, templateId: 'SMS_AGR_CODE_V1' });
    expect(w.texts[0]?.body).toContain(V1.merchantNo);
    const code = codeOf(w.texts[0]);
    expect(code).toMatch(/^\d{6}$/);
    expect(issued.expiresAt).toBe('2026-11-23T08:10:00.000Z');
    // Kept as a one-time code of its own purpose, for this version: never the code itself.
    expect([...w.codes.items.keys()]).toEqual([`${AGREEMENT_SIGNATURE}#${V1.agreementId}#SMS`]);
    expect(JSON.stringify([...w.codes.items.values()])).not.toContain(code);
    expect(signatureCodeTarget(V1.agreementId, LEGAL_PERSON)).toEqual({
      purpose: 'agreement-signature',
      subject: V1.agreementId,
      channel: 'SMS',
      address: LEGAL_PERSON,
    });

    await expect(confirmSignatureCode(w.sign, V1.agreementId, LEGAL_PERSON, code)).resolves.toBeUndefined();
    await expect(confirmSignatureCode(w.sign, V1.agreementId, LEGAL_PERSON, code)).rejects.toMatchObject({
      statusCode: 409,
      code: 'VERIFICATION_EXPIRED',
    });
  });

  it('never signs another version, nor for another phone than the one it was sent to', async () => {
    const w = world();
    await sendSignatureCode(w.request, V1, { phone: LEGAL_PERSON, locale: 'zh-CN' });
    const code = codeOf(w.texts[0]);
    await expect(
      confirmSignatureCode(w.sign, 'AGR-102110554110001-002', LEGAL_PERSON, code),
    ).rejects.toMatchObject({ statusCode: 409, code: 'VERIFICATION_EXPIRED' });
    // The code's hash is bound to the legal person's phone: the contact's phone does not match.
    await expect(confirmSignatureCode(w.sign, V1.agreementId, CONTACT, code)).rejects.toMatchObject({
      statusCode: 400,
      code: 'VERIFICATION_CODE_INVALID',
      details: { attemptsLeft: 4 },
    });
  });

  it('counts wrong codes, locks after five even for the right one, and expires after 10 minutes', async () => {
    const w = world();
    await sendSignatureCode(w.request, V1, { phone: LEGAL_PERSON, locale: 'en' });
    expect(w.texts[0]?.body).toMatch(/signing code \d{6}, valid 10 min/);
    const code = /signing code (\d{6})/.exec(w.texts[0]?.body ?? '')?.[1] ?? '';
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 0; left--) {
      await expect(confirmSignatureCode(w.sign, V1.agreementId, LEGAL_PERSON, wrong)).rejects.toMatchObject({
        code: 'VERIFICATION_CODE_INVALID',
        details: { attemptsLeft: left },
      });
    }
    await expect(confirmSignatureCode(w.sign, V1.agreementId, LEGAL_PERSON, code)).rejects.toMatchObject({
      statusCode: 409,
      code: 'VERIFICATION_LOCKED',
    });

    await sendSignatureCode(w.request, V1, { phone: LEGAL_PERSON, locale: 'en' });
    w.now.value = new Date('2026-11-23T08:10:00Z');
    const fresh = /signing code (\d{6})/.exec(w.texts[1]?.body ?? '')?.[1] ?? '';
    await expect(confirmSignatureCode(w.sign, V1.agreementId, LEGAL_PERSON, fresh)).rejects.toMatchObject({
      statusCode: 409,
      code: 'VERIFICATION_EXPIRED',
    });
  });

  it('gives one version at most five codes an hour, and sends nothing to a phone that opted out', async () => {
    const w = world();
    for (let i = 0; i < 5; i++)
      await sendSignatureCode(w.request, V1, { phone: LEGAL_PERSON, locale: 'zh-CN' });
    await expect(
      sendSignatureCode(w.request, V1, { phone: LEGAL_PERSON, locale: 'zh-CN' }),
    ).rejects.toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', details: { retryAfterSeconds: 3600 } });
    expect(w.texts).toHaveLength(5);

    const optedOut = world();
    optedOut.request.sms.send = async () => {
      const { RecipientOptedOutError } = await import('../../../shared/ports/notifications');
      throw new RecipientOptedOutError('opted out');
    };
    await expect(
      sendSignatureCode(optedOut.request, V1, { phone: LEGAL_PERSON, locale: 'zh-CN' }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      fields: [expect.objectContaining({ field: 'legalPerson.phone', code: 'UNDELIVERABLE' })],
    });
  });
});

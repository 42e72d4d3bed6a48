import { describe, expect, it } from 'vitest';
import { groupsFromClaim } from '../../../shared/auth/principals';
import { digestsEqual, parseMerchantToken, sha256Hex } from '../../../shared/auth/tokens';
import { canonicalJson, changedFieldNames } from '../../../shared/domain/diff';
import { maskAccountNumber, maskEmail, maskIdNumber, maskPhone } from '../../../shared/domain/masking';
import { merchantNumber, terminalIdOf } from '../../../shared/domain/merchant';
import { renderEmail, renderSms } from '../../../shared/notifications/templates';

describe('masking (spec 4.1 examples)', () => {
  it('masks ID, account and phone as the spec shows', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskAccountNumber('6222020200000000000')).toBe('622202*********0000');
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskEmail('zhangsan@example.com')).toBe('z***@example.com');
  });
});

describe('numbers', () => {
  it('builds the 15-digit merchant number from acquirer, area, MCC and sequence', () => {
    expect(merchantNumber('102', '110105', '5411', 7)).toBe('102110154110007');
    expect(() => merchantNumber('102', '110105', '5411', 10_000)).toThrow(/exhausted/);
    expect(() => merchantNumber('12', '110105', '5411', 1)).toThrow(/3 digits/);
  });
  it('formats 8-digit terminal IDs', () => {
    expect(terminalIdOf(42)).toBe('00000042');
    expect(() => terminalIdOf(0)).toThrow();
  });
});

describe('tokens and claims', () => {
  it('parses merchant tokens and compares digests in constant time', () => {
    const token = `01J00000000000000000000000.${'a'.repeat(43)}`;
    expect(parseMerchantToken(token)).toEqual({
      applicationId: '01J00000000000000000000000',
      secret: 'a'.repeat(43),
    });
    expect(parseMerchantToken('nope')).toBeUndefined();
    expect(digestsEqual(sha256Hex('a'), sha256Hex('a'))).toBe(true);
    expect(digestsEqual(sha256Hex('a'), sha256Hex('b'))).toBe(false);
    expect(digestsEqual('', '')).toBe(false);
  });
  it('reads cognito:groups in every form API Gateway renders it', () => {
    expect(groupsFromClaim('reviewer')).toEqual(['reviewer']);
    expect(groupsFromClaim('reviewer,operator')).toEqual(['reviewer', 'operator']);
    expect(groupsFromClaim('[reviewer operator]')).toEqual(['reviewer', 'operator']);
    expect(groupsFromClaim(['operator'])).toEqual(['operator']);
    expect(groupsFromClaim(undefined)).toEqual([]);
  });
});

describe('audit helpers', () => {
  it('hashes equal bodies equally whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe(
      canonicalJson({ a: { c: 'x', d: [1, 2] }, b: 1 }),
    );
  });
  it('names changed fields without their values', () => {
    expect(changedFieldNames({ a: { b: 1, c: 2 }, d: 'x' }, { a: { b: 1, c: 3 }, e: 'y' }).sort()).toEqual([
      'a.c',
      'd',
      'e',
    ]);
  });
});

describe('templates', () => {
  const values = {
    businessName: '<b>张三</b>',
    applicationId: 'APP1',
    merchantNo: '102110154110007',
    terminalId: '00000042',
    activationCode: '123456',
  };
  it('keeps user-supplied text out of the subject, and unescaped out of the HTML part', () => {
    const email = renderEmail('APPLICATION_APPROVED', 'en', values);
    expect(email.html).not.toContain('<b>张三</b>');
    expect(email.subject).toBe('Merchant application approved: APP1');
    expect(email.text).toContain('102110154110007');
  });
  it('fits every SMS in one 70-character segment with the signature first', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const template of [
        'APPLICATION_APPROVED',
        'APPLICATION_REJECTED',
        'CHANGES_REQUESTED',
        'APPLICATION_EXPIRED',
      ] as const) {
        const sms = renderSms(template, locale, values, '拉卡拉');
        expect(sms.body.startsWith('【拉卡拉】')).toBe(true);
        expect([...sms.body].length).toBeLessThanOrEqual(70);
      }
    }
  });
});

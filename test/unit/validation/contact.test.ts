import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEmailAddress, isMainlandMobile, MAINLAND_MOBILE } from '../../../shared/validation/contact';

describe('isMainlandMobile', () => {
  it('accepts the spec example and every second digit 3–9', () => {
    expect(isMainlandMobile('13800138000')).toBe(true);
    for (const second of '3456789') expect(isMainlandMobile(`1${second}012345678`), second).toBe(true);
  });

  it('rejects other shapes', () => {
    for (const bad of [
      '12800138000', // second digit 2
      '10800138000',
      '23800138000', // does not start with 1
      '1380013800', // 10 digits
      '138001380000', // 12 digits
      '+8613800138000',
      '138 0013 8000',
      '138-0013-8000',
      '１3800138000',
      '',
    ]) {
      expect(isMainlandMobile(bad), bad).toBe(false);
    }
  });

  it('exports a stateless pattern (no g/y flag)', () => {
    expect(MAINLAND_MOBILE.global).toBe(false);
    expect(MAINLAND_MOBILE.sticky).toBe(false);
    expect(isMainlandMobile('13800138000')).toBe(true);
    expect(isMainlandMobile('13800138000')).toBe(true);
  });

  it('accepts every generated number of the allowed shape', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^\d{9}$/), (second, rest) => {
        expect(isMainlandMobile(`1${second}${rest}`)).toBe(true);
      }),
    );
  });
});

describe('isEmailAddress', () => {
  it('accepts ordinary addresses', () => {
    for (const good of [
      'zhangsan@example.com',
      'zhang.san+pos@mail.example.com.cn',
      "o'brien@example.ie",
      'user_01@sub-domain.example.org',
      '12345@qq.com',
      'a@b.co',
      'UPPER@EXAMPLE.COM',
      "!#$%&'*+/=?^_`{|}~-@example.com",
    ]) {
      expect(isEmailAddress(good), good).toBe(true);
    }
  });

  it('rejects malformed addresses', () => {
    for (const bad of [
      '',
      'zhangsan',
      'zhangsan@',
      '@example.com',
      'a@@example.com',
      'a@b@example.com',
      '.a@example.com', // leading dot
      'a.@example.com', // trailing dot
      'a..b@example.com', // double dot
      'a b@example.com', // space
      'a\t@example.com', // control character
      'a@example', // no TLD
      'a@example.c', // one-letter TLD
      'a@example.c0m', // digit in TLD
      'a@127.0.0.1', // IP address
      'a@[127.0.0.1]', // IP literal
      'a@-example.com', // label starting with a hyphen
      'a@example-.com', // label ending with a hyphen
      'a@example..com', // empty label
      'a@.example.com',
      'a@example.com.', // trailing dot
      '"quoted"@example.com', // quoted local parts are not supported
      '张三@example.com', // non-ASCII local part
      'a@例子.中国', // IDN must arrive as punycode
      ' zhangsan@example.com',
      'zhangsan@example.com ',
    ]) {
      expect(isEmailAddress(bad), bad).toBe(false);
    }
  });

  it('enforces the length limits', () => {
    const label63 = 'a'.repeat(63);
    expect(isEmailAddress(`${'a'.repeat(64)}@example.com`)).toBe(true);
    expect(isEmailAddress(`${'a'.repeat(65)}@example.com`)).toBe(false);
    expect(isEmailAddress(`a@${label63}.com`)).toBe(true);
    expect(isEmailAddress(`a@${label63}a.com`)).toBe(false);
    // 64 + 1 + 63 + 1 + 63 + 1 + 57 + 1 + 3 = 254 characters: the maximum.
    const domain254 = `${label63}.${label63}.${'b'.repeat(57)}.com`;
    expect(isEmailAddress(`${'a'.repeat(64)}@${domain254}`)).toBe(true);
    expect(isEmailAddress(`${'a'.repeat(64)}@c${domain254}`)).toBe(false);
  });

  it("accepts fast-check's generated RFC-shaped addresses", () => {
    fc.assert(
      fc.property(fc.emailAddress(), (address) => {
        // fc.emailAddress() may produce single-label domains or numeric TLDs, which are valid
        // RFC syntax but out of scope for this practical check.
        const tld = address.slice(address.lastIndexOf('.') + 1);
        fc.pre(
          address.length <= 254 &&
            address.slice(address.indexOf('@')).includes('.') &&
            /^[a-z]{2,}$/i.test(tld),
        );
        expect(isEmailAddress(address)).toBe(true);
      }),
    );
  });

  it('rejects any address containing a space or control character', () => {
    fc.assert(
      fc.property(
        fc.emailAddress(),
        fc.nat(),
        fc.constantFrom(' ', '\t', '\n', '\r', '\u0000', '\u007f'),
        (address, at, bad) => {
          const i = at % (address.length + 1);
          expect(isEmailAddress(`${address.slice(0, i)}${bad}${address.slice(i)}`)).toBe(false);
        },
      ),
    );
  });
});

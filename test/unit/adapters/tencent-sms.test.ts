import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  referenceOf,
  SmsTemplateNotRegisteredError,
  sessionContextOf,
  TencentCloudError,
  TencentSms,
  type TencentSmsSecret,
} from '../../../shared/adapters/tencent-sms';
import { renderTerminalSms } from '../../../shared/notifications/terminal-templates';
import { RecipientOptedOutError } from '../../../shared/ports/notifications';
import { startTencentSmsFake, type TencentSmsFake } from '../../support/china-providers';

/*
 * The mainland SMS adapter against a local fake of Tencent Cloud SMS's API on 127.0.0.1 that
 * verifies every request's TC3-HMAC-SHA256 signature (written apart from the adapter's signer):
 * template id and parameters under the approved signature, the send record's reference echoed in
 * receipts, opt-outs, a rotated API key.
 */

const KEY = {
  secretId: 'AKIDlocal0000000000000000000000000000',
  secretKey: 'local-secret-key-0000000000000000',
};
const sms = renderTerminalSms(
  'ACTIVATION_CODE',
  'zh-CN',
  {
    serialNumber: 'LKL00012345',
    merchantNo: '102110154110007',
    terminalId: '00000042',
    activationCode: '384917',
  },
  '拉卡拉',
);
const TEMPLATES = { [sms.registeredText]: '1900001' };

let fake: TencentSmsFake;
beforeAll(async () => {
  fake = await startTencentSmsFake(KEY);
});
afterAll(() => fake.close());

function secretSource(initial: TencentSmsSecret) {
  const source = {
    current: initial,
    refreshes: 0,
    get: async () => source.current,
    refresh: async () => {
      source.refreshes += 1;
      return source.current;
    },
  };
  return source;
}

function adapter(secret = secretSource({ ...KEY, templates: TEMPLATES })) {
  return new TencentSms({
    endpoint: fake.endpoint,
    region: 'ap-guangzhou',
    appId: '1400000001',
    signature: '拉卡拉',
    secret,
  });
}

describe('TencentSms', () => {
  it('sends the template id and its parameters under the approved signature, with the send record as context', async () => {
    const serialNo = await adapter().send({
      to: '13800138000',
      ...sms,
      reference: { subjectId: 'LKL00012345#01JD', template: 'ACTIVATION_CODE' },
    });
    expect(fake.badSignatures).toEqual([]);
    expect(fake.sent.at(-1)).toEqual({
      phone: '+8613800138000',
      appId: '1400000001',
      signName: '拉卡拉',
      templateId: '1900001',
      params: ['00000042', '384917'],
      sessionContext: sessionContextOf({ subjectId: 'LKL00012345#01JD', template: 'ACTIVATION_CODE' }),
      serialNo,
      region: 'ap-guangzhou',
    });
  });

  it('refuses to send a text without a registered template id, before calling the provider', async () => {
    const before = fake.sent.length;
    const error = await adapter(secretSource({ ...KEY, templates: {} }))
      .send({ to: '13800138000', ...sms })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmsTemplateNotRegisteredError);
    expect((error as Error).message).toContain('SMS_TERM_ACTIVATION_V1');
    expect((error as Error).message).not.toContain('384917');
    expect(fake.sent.length).toBe(before);
  });

  it('reports an unsubscribed number as an opt-out', async () => {
    fake.unsubscribed.add('+8613900139000');
    await expect(adapter().send({ to: '13900139000', ...sms })).rejects.toBeInstanceOf(
      RecipientOptedOutError,
    );
  });

  it('reads the secret again when the provider refuses the cached key (a rotation), once', async () => {
    const source = secretSource({ ...KEY, templates: TEMPLATES });
    const rotated = {
      secretId: 'AKIDrotated00000000000000000000000000',
      secretKey: 'rotated-secret-key-000000000000000',
    };
    fake.key = rotated;
    source.refresh = async () => {
      source.refreshes += 1;
      source.current = { ...rotated, templates: TEMPLATES };
      return source.current;
    };
    try {
      await adapter(source).send({ to: '13800138000', ...sms });
      expect(source.refreshes).toBe(1);
      fake.key = { ...rotated, secretKey: 'yet-another-key' };
      await expect(adapter(source).send({ to: '13800138000', ...sms })).rejects.toMatchObject({
        code: 'AuthFailure.SignatureFailure',
      });
      expect(source.refreshes).toBe(2);
    } finally {
      fake.key = KEY;
    }
  });

  it('pulls receipts once each, with the reference echoed, the time in UTC and the carrier code of a failure', async () => {
    const sender = adapter();
    const delivered = await sender.send({
      to: '13800138000',
      ...sms,
      reference: { subjectId: 'A#1', template: 'ACTIVATION_CODE' },
    });
    const failed = await sender.send({
      to: '13800138001',
      ...sms,
      reference: { subjectId: 'B#1', template: 'ACTIVATION_CODE' },
    });
    fake.receipts.length = 0;
    fake.report(delivered, true);
    fake.report(failed, false, 'MN:0001');
    expect(await sender.pull()).toEqual([
      {
        providerMessageId: delivered,
        reference: { subjectId: 'A#1', template: 'ACTIVATION_CODE' },
        delivered: true,
        at: '2026-12-06T09:18:37.000Z',
      },
      {
        providerMessageId: failed,
        reference: { subjectId: 'B#1', template: 'ACTIVATION_CODE' },
        delivered: false,
        at: '2026-12-06T09:18:37.000Z',
        detail: 'MN:0001',
      },
    ]);
    expect(await sender.pull()).toEqual([]);
  });

  it('reads only references of its own shape', () => {
    expect(referenceOf(sessionContextOf({ subjectId: 'X#2', template: 'T' }))).toEqual({
      subjectId: 'X#2',
      template: 'T',
    });
    expect(referenceOf('not json')).toBeUndefined();
    expect(referenceOf('{"s":1}')).toBeUndefined();
    expect(referenceOf(undefined)).toBeUndefined();
  });

  it('fails with the provider code on an unexpected answer', async () => {
    const broken = new TencentSms({
      endpoint: `${fake.endpoint}/`,
      region: 'ap-guangzhou',
      appId: '1400000001',
      signature: '拉卡拉',
      secret: secretSource({ secretId: 'AKIDwrong', secretKey: 'wrong', templates: TEMPLATES }),
    });
    await expect(broken.send({ to: '13800138000', ...sms })).rejects.toBeInstanceOf(TencentCloudError);
  });
});

import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoApplicationRepository } from '../../../shared/adapters/dynamodb-applications';
import { DynamoChangeRequestRepository } from '../../../shared/adapters/dynamodb-change-requests';
import { DynamoMerchantRepository } from '../../../shared/adapters/dynamodb-merchants';
import type { DynamoTable, Item, TransactionWrite } from '../../../shared/adapters/dynamodb-table';
import {
  type DataKey,
  type DataKeySource,
  EnvelopeFieldCipher,
  FIELD_CIPHERTEXT_PREFIX,
  FIELD_KMS_CONTEXT,
  FieldDecryptionError,
  KmsDataKeySource,
  LocalDataKeySource,
} from '../../../shared/adapters/field-cipher';
import { APPLICATION_FIELDS, openFields, sealFields } from '../../../shared/adapters/field-cipher-fields';
import type { ApplicationRecord } from '../../../shared/domain/application';
import type { ChangeRequestRecord } from '../../../shared/domain/change-request';
import type { MerchantRecord } from '../../../shared/domain/merchant';
import type { TableKey } from '../../../shared/keys';
import * as keys from '../../../shared/keys';
import { individualApplication, validPersonalAccount, validResidentId } from '../../support/fixtures';

/** A local data-key source that counts what it is asked for (stands in for KMS requests). */
class CountingSource implements DataKeySource {
  generated = 0;
  unwrapped = 0;
  constructor(private readonly inner = new LocalDataKeySource('unit-field-key')) {}
  async generate(): Promise<DataKey> {
    this.generated += 1;
    return this.inner.generate();
  }
  async unwrap(encrypted: Buffer): Promise<Buffer> {
    this.unwrapped += 1;
    return this.inner.unwrap(encrypted);
  }
}

const cipher = () => new EnvelopeFieldCipher(new LocalDataKeySource('unit-field-key'));

describe('EnvelopeFieldCipher', () => {
  it('round-trips any string in any context, and the stored value never shows the plaintext', async () => {
    const subject = cipher();
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.string(),
        async (plaintext, context) => {
          const sealed = await subject.encrypt(plaintext, context);
          expect(sealed.startsWith(FIELD_CIPHERTEXT_PREFIX)).toBe(true);
          expect(sealed).toMatch(/^fc1\.[A-Za-z0-9_-]+$/);
          if (plaintext.length >= 4) expect(sealed).not.toContain(plaintext);
          expect(await subject.decrypt(sealed, context)).toBe(plaintext);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('uses a fresh IV per field: the same number twice gives two different ciphertexts', async () => {
    const subject = cipher();
    const id = validResidentId();
    expect(await subject.encrypt(id, 'c')).not.toBe(await subject.encrypt(id, 'c'));
  });

  it('refuses another context, a flipped bit, a truncation, a clear value and a foreign local key', async () => {
    const subject = cipher();
    const sealed = await subject.encrypt(
      '6222020200000000006',
      'APP#1\u0000APP\u0000body.settlement.accountNumber',
    );
    await expect(
      subject.decrypt(sealed, 'APP#2\u0000APP\u0000body.settlement.accountNumber'),
    ).rejects.toBeInstanceOf(FieldDecryptionError);
    const raw = Buffer.from(sealed.slice(FIELD_CIPHERTEXT_PREFIX.length), 'base64url');
    for (const index of [raw.length - 1, raw.length - 20, 5]) {
      const flipped = Buffer.from(raw);
      flipped[index] = (flipped[index] ?? 0) ^ 1;
      await expect(
        subject.decrypt(`${FIELD_CIPHERTEXT_PREFIX}${flipped.toString('base64url')}`, 'ctx'),
      ).rejects.toBeInstanceOf(FieldDecryptionError);
    }
    await expect(subject.decrypt(sealed.slice(0, 20), 'ctx')).rejects.toBeInstanceOf(FieldDecryptionError);
    await expect(subject.decrypt('6222020200000000006', 'ctx')).rejects.toBeInstanceOf(FieldDecryptionError);
    const other = new EnvelopeFieldCipher(new LocalDataKeySource('another-state-dir'));
    await expect(
      other.decrypt(sealed, 'APP#1\u0000APP\u0000body.settlement.accountNumber'),
    ).rejects.toBeInstanceOf(FieldDecryptionError);
  });

  it('generates one data key per 10,000 encryptions or 5 minutes, and unwraps each foreign key once', async () => {
    let now = 0;
    const writer = new CountingSource();
    const subject = new EnvelopeFieldCipher(writer, undefined, () => now);
    const sealed = await Promise.all(Array.from({ length: 10_000 }, (_, i) => subject.encrypt(`v${i}`, 'c')));
    expect(writer.generated).toBe(1);
    await subject.encrypt('one more', 'c');
    expect(writer.generated).toBe(2);
    // The writer reads its own fields without unwrapping.
    expect(await subject.decrypt(sealed[0] as string, 'c')).toBe('v0');
    expect(writer.unwrapped).toBe(0);
    now += 5 * 60_000;
    await subject.encrypt('later', 'c');
    expect(writer.generated).toBe(3);
    // Cached keys age out too: the first one is unwrapped again, once.
    expect(await subject.decrypt(sealed[1] as string, 'c')).toBe('v1');
    expect(await subject.decrypt(sealed[2] as string, 'c')).toBe('v2');
    expect(writer.unwrapped).toBe(1);
    // Another process (a fresh cipher) unwraps that key once for all its fields.
    const reader = new CountingSource();
    const other = new EnvelopeFieldCipher(reader, undefined, () => now);
    for (const [i, value] of sealed.slice(0, 500).entries())
      expect(await other.decrypt(value, 'c')).toBe(`v${i}`);
    expect(reader.unwrapped).toBe(1);
    expect(reader.generated).toBe(0);
  });
});

describe('KmsDataKeySource', () => {
  const kms = mockClient(KMSClient);
  afterEach(() => kms.reset());

  it('asks KMS for AES-256 data keys under the fixed context, and maps a foreign edk to a decryption error', async () => {
    const plaintext = Buffer.alloc(32, 7);
    kms.on(GenerateDataKeyCommand).resolves({ Plaintext: plaintext, CiphertextBlob: Buffer.from('edk-1') });
    kms.on(DecryptCommand).callsFake((input: { CiphertextBlob: Uint8Array }) => {
      if (Buffer.from(input.CiphertextBlob).toString() === 'edk-1') return { Plaintext: plaintext };
      throw Object.assign(new Error('bad edk'), { name: 'InvalidCiphertextException' });
    });
    const source = new KmsDataKeySource(new KMSClient({ region: 'us-east-1' }), 'key-arn');
    const writer = new EnvelopeFieldCipher(source);
    const sealed = await Promise.all(Array.from({ length: 50 }, (_, i) => writer.encrypt(`n${i}`, 'ctx')));
    const reader = new EnvelopeFieldCipher(source);
    expect(await Promise.all(sealed.map((value) => reader.decrypt(value, 'ctx')))).toEqual(
      Array.from({ length: 50 }, (_, i) => `n${i}`),
    );
    expect(source.calls).toEqual({ generateDataKey: 1, decrypt: 1 });
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]?.args[0].input).toMatchObject({
      KeyId: 'key-arn',
      KeySpec: 'AES_256',
      EncryptionContext: FIELD_KMS_CONTEXT,
    });
    expect(kms.commandCalls(DecryptCommand)[0]?.args[0].input.EncryptionContext).toEqual(FIELD_KMS_CONTEXT);
    // A ciphertext whose edk KMS does not recognise.
    const raw = Buffer.from((sealed[0] as string).slice(FIELD_CIPHERTEXT_PREFIX.length), 'base64url');
    raw.write('edk-2', 2);
    await expect(
      new EnvelopeFieldCipher(source).decrypt(
        `${FIELD_CIPHERTEXT_PREFIX}${raw.toString('base64url')}`,
        'ctx',
      ),
    ).rejects.toBeInstanceOf(FieldDecryptionError);
  });
});

describe('sealFields / openFields', () => {
  it('seals only the listed string fields, without touching the caller’s record, bound to item and path', async () => {
    const subject = cipher();
    const body = individualApplication();
    const record = { applicationId: 'A1', body } as unknown as ApplicationRecord;
    const key = keys.application('A1');
    const sealed = await sealFields(subject, key, record, APPLICATION_FIELDS);
    expect(record.body.legalPerson.idNumber).toBe(body.legalPerson.idNumber);
    expect(sealed.body.legalPerson.idNumber.startsWith(FIELD_CIPHERTEXT_PREFIX)).toBe(true);
    expect(sealed.body.settlement.accountNumber.startsWith(FIELD_CIPHERTEXT_PREFIX)).toBe(true);
    expect(sealed.body.contact).toEqual(body.contact);
    expect(await openFields(subject, key, sealed, APPLICATION_FIELDS)).toEqual(record);
    // The ID of applicant A1 pasted into applicant A2's item (or into another field) does not open.
    await expect(openFields(subject, keys.application('A2'), sealed, APPLICATION_FIELDS)).rejects.toThrow(
      FieldDecryptionError,
    );
    const swapped = {
      ...sealed,
      body: {
        ...sealed.body,
        settlement: { ...sealed.body.settlement, accountNumber: sealed.body.legalPerson.idNumber },
      },
    };
    await expect(openFields(subject, key, swapped, APPLICATION_FIELDS)).rejects.toThrow(FieldDecryptionError);
  });
});

/** The table as far as the repositories use it here: whole-item puts and reads, no conditions. */
class MemoryTable {
  readonly items = new Map<string, Item>();
  private id = (key: TableKey) => `${key.pk}|${key.sk}`;
  async get(key: TableKey) {
    return structuredClone(this.items.get(this.id(key)));
  }
  async put(item: Item) {
    this.items.set(this.id(item as unknown as TableKey), structuredClone(item));
  }
  async update(key: TableKey, _expression: string, options: { values?: Item }) {
    const item = this.items.get(this.id(key)) ?? { ...key };
    if (options.values?.[':settlement']) item.settlement = options.values[':settlement'];
    if (options.values?.[':version']) item.version = options.values[':version'];
    this.items.set(this.id(key), item);
    return item;
  }
  async transact(writes: readonly TransactionWrite[]) {
    for (const write of writes) {
      if ('put' in write) await this.put(write.put);
      if ('update' in write) await this.update(write.update, write.expression, write);
    }
  }
  async query(params: { values: Item }) {
    const items = [...this.items.values()].filter(
      (item) =>
        item.pk === params.values[':pk'] && String(item.sk).startsWith(String(params.values[':prefix'])),
    );
    return { items };
  }
}

const asTable = (memory: MemoryTable) => memory as unknown as DynamoTable;

/** Every string anywhere in the stored items. */
function storedStrings(memory: MemoryTable): string[] {
  return JSON.stringify([...memory.items.values()]).match(/"(?:[^"\\]|\\.)*"/g) ?? [];
}

describe('repositories store ciphertext and return plaintext', () => {
  it('applications, merchants, versions and change requests (before and after)', async () => {
    const memory = new MemoryTable();
    const subject = cipher();
    const applications = new DynamoApplicationRepository(asTable(memory), subject);
    const merchants = new DynamoMerchantRepository(asTable(memory), subject);
    const changeRequests = new DynamoChangeRequestRepository(asTable(memory), subject);
    const body = { ...individualApplication(), locale: 'zh-CN' as const } as ApplicationRecord['body'];
    const application = {
      applicationId: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
      status: 'APPROVED',
      body,
      tokenHash: 'h',
      documents: {},
      reasons: [],
      checks: [],
      timeline: [],
      submissionCount: 1,
      uniquenessKeys: [],
      revision: 3,
      merchantNo: '102110554110001',
      createdAt: 'now',
      updatedAt: 'now',
    } satisfies ApplicationRecord;
    const merchant: MerchantRecord = {
      merchantNo: '102110554110001',
      status: 'ACTIVE',
      version: 1,
      type: 'INDIVIDUAL',
      business: body.business,
      contact: body.contact,
      settlement: body.settlement,
      locale: 'zh-CN',
      applicationId: application.applicationId,
      terminalCount: 0,
      createdAt: 'now',
      updatedAt: 'now',
    };
    await merchants.provision({ application, merchant, expectedRevision: 2 } as Parameters<
      DynamoMerchantRepository['provision']
    >[0]);
    const newAccount = validPersonalAccount();
    const request = {
      changeRequestId: 'CR1',
      merchantNo: merchant.merchantNo,
      status: 'APPLIED',
      changes: { settlement: { ...merchant.settlement, accountNumber: newAccount } },
      before: { settlement: merchant.settlement },
      reason: 'new bank',
      expectedVersion: 1,
      fields: ['settlement.accountNumber'],
      checks: [],
      requiredChecks: ['phoneCallback'],
      reasons: [],
      timeline: [],
      revision: 1,
      createdAt: 'now',
      updatedAt: 'now',
    } satisfies ChangeRequestRecord;
    const changed = { ...merchant, settlement: request.changes.settlement, version: 2 };
    await changeRequests.apply({
      request,
      expectedRevision: 0,
      merchant: changed,
      expectedVersion: 1,
      version: { version: 2, snapshot: changed, actor: 'staff:rev', action: 'CHANGE_APPLIED', at: 'now' },
    });

    const raw = storedStrings(memory).join('\n');
    for (const secret of [body.legalPerson.idNumber, body.settlement.accountNumber, newAccount]) {
      expect(raw).not.toContain(secret);
    }
    expect(await applications.get(application.applicationId)).toEqual(application);
    expect((await applications.tokenHashOf(application.applicationId))?.tokenHash).toBe('h');
    expect((await merchants.getMerchant(merchant.merchantNo))?.settlement.accountNumber).toBe(newAccount);
    expect(await changeRequests.get('CR1')).toEqual(request);
    const versions = await changeRequests.versions(merchant.merchantNo);
    expect(versions.map((v) => v.snapshot.settlement.accountNumber)).toEqual([
      body.settlement.accountNumber,
      newAccount,
    ]);
  });

  it('fails loudly on a clear account number written around the repository', async () => {
    const memory = new MemoryTable();
    await memory.put({
      ...keys.merchant('102110554110009'),
      merchantNo: '102110554110009',
      settlement: { accountNumber: validPersonalAccount() },
    });
    await expect(
      new DynamoMerchantRepository(asTable(memory), cipher()).getMerchant('102110554110009'),
    ).rejects.toBeInstanceOf(FieldDecryptionError);
  });
});

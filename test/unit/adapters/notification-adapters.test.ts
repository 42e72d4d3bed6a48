import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  ConflictException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ThrottlingException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoSendRecordRepository } from '../../../shared/adapters/dynamodb-merchants';
import { DynamoSendQuota, DynamoSuppressionList } from '../../../shared/adapters/dynamodb-notifications';
import { DynamoTable } from '../../../shared/adapters/dynamodb-table';
import { LocalKeyedHasher } from '../../../shared/adapters/keyed-hasher';
import { SesMailer } from '../../../shared/adapters/ses-mailer';
import { EndUserMessagingSmsSender } from '../../../shared/adapters/sms-sender';
import { sendOnce } from '../../../shared/notifications/send-once';
import { RecipientOptedOutError } from '../../../shared/ports/notifications';

/* The notification adapters against mocked AWS clients: the faults no emulator produces on demand. */

const ddb = mockClient(DynamoDBClient);
const table = new DynamoTable(new DynamoDBClient({ region: 'us-east-1' }), 'unit');
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'condition', $metadata: {} });

afterEach(() => ddb.reset());

describe('send records in DynamoDB', () => {
  it('claims with one conditional UpdateItem that counts attempts; a refused claim is undefined', async () => {
    const sends = new DynamoSendRecordRepository(table);
    ddb
      .on(UpdateItemCommand)
      .resolvesOnce({ Attributes: marshall({ attempts: 2 }) })
      .rejects(conditionFailed());
    const claim = {
      subjectId: 'A#1',
      template: 'T',
      channel: 'SMS' as const,
      recipient: '138****8000',
      at: 'now',
    };
    expect(await sends.claim(claim)).toBe(2);
    expect(await sends.claim(claim)).toBeUndefined();
    const input = ddb.commandCalls(UpdateItemCommand)[0]?.args[0].input as UpdateItemCommandInput;
    expect(input.Key).toEqual(marshall({ pk: 'SEND#A#1', sk: 'T#SMS' }));
    expect(input.ConditionExpression).toBe('attribute_not_exists(pk) OR #status = :failed');
    expect(input.UpdateExpression).toContain('ADD #attempts :one');
    expect(JSON.stringify(input)).not.toContain('13800138000');
  });

  it('never sends twice when the completion write fails after the provider accepted the message', async () => {
    // The real repository over a mocked table: claim succeeds, the SENT write is throttled, the
    // retry's claim is refused (the record is still SENDING) and the record is read back.
    const stored: Record<string, unknown> = {};
    ddb.on(UpdateItemCommand).callsFake((input: UpdateItemCommandInput) => {
      const values = unmarshall(input.ExpressionAttributeValues ?? {});
      if (input.UpdateExpression?.includes('ADD #attempts')) {
        if (stored.status && stored.status !== 'FAILED') throw conditionFailed();
        Object.assign(stored, { status: 'SENDING', attempts: 1, claimedAt: values[':at'] });
        return { Attributes: marshall(stored) };
      }
      if (values[':status'] === 'SENT') {
        throw new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
      }
      stored.status = values[':status'];
      return { Attributes: marshall(stored) };
    });
    ddb.on(GetItemCommand).callsFake((input: { Key: Record<string, never> }) => {
      // Not on the suppression list; the send record as stored.
      if (String(unmarshall(input.Key).pk).startsWith('SUPPRESS#')) return {};
      const record = {
        subjectId: 'A#1',
        template: 'T',
        channel: 'EMAIL',
        recipient: 'z***@example.com',
        ...stored,
      };
      return { Item: marshall({ pk: 'SEND#A#1', sk: 'T#EMAIL', ...record }) };
    });
    ddb.on(PutItemCommand).resolves({});
    const deps = {
      sends: new DynamoSendRecordRepository(table),
      suppressions: new DynamoSuppressionList(table),
      hasher: new LocalKeyedHasher('unit'),
      clock: { now: () => new Date('2026-11-23T08:00:00Z') },
    };
    let providerCalls = 0;
    const send = async () => {
      providerCalls += 1;
      return 'ses-message-1';
    };
    const request = {
      subjectId: 'A#1',
      template: 'T',
      channel: 'EMAIL' as const,
      address: 'zhangsan@example.com',
      maxAttempts: 5,
      quota: 'NONE' as const,
    };
    await expect(sendOnce(deps, request, send)).rejects.toBeInstanceOf(
      ProvisionedThroughputExceededException,
    );
    const retried = await sendOnce(deps, request, send);
    expect(providerCalls).toBe(1);
    expect(retried).toMatchObject({ result: 'UNCONFIRMED', channel: 'EMAIL', recipient: 'z***@example.com' });
  });
});

describe('suppression list and send counters in DynamoDB', () => {
  it('keys a suppression by channel and keyed hash, and keeps the first reason', async () => {
    const suppressions = new DynamoSuppressionList(table);
    ddb.on(PutItemCommand).resolvesOnce({}).rejects(conditionFailed());
    const entry = { channel: 'EMAIL' as const, addressHash: 'h1', reason: 'BOUNCE' as const, at: 'now' };
    await suppressions.suppress(entry);
    await suppressions.suppress({ ...entry, reason: 'COMPLAINT' });
    const input = ddb.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(unmarshall(input?.Item ?? {})).toMatchObject({
      pk: 'SUPPRESS#EMAIL#h1',
      sk: 'SUPPRESS',
      reason: 'BOUNCE',
    });
    expect(input?.ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it('counts a message with a conditional UpdateItem on the pool-address-hour item (with TTL); over the limit is false', async () => {
    const quota = new DynamoSendQuota(table);
    ddb
      .on(UpdateItemCommand)
      .resolvesOnce({ Attributes: marshall({ count: 5 }) })
      .rejects(conditionFailed());
    const at = new Date('2026-11-23T08:59:59Z');
    expect(await quota.take('SMS', 'h1', at, 5)).toBe(true);
    expect(await quota.take('SMS', 'h1', at, 5)).toBe(false);
    const input = ddb.commandCalls(UpdateItemCommand)[0]?.args[0].input as UpdateItemCommandInput;
    expect(input.Key).toEqual(marshall({ pk: 'QUOTA#SMS#h1#2026-11-23T08', sk: 'QUOTA' }));
    expect(input.ConditionExpression).toBe('attribute_not_exists(#count) OR #count < :limit');
    const values = unmarshall(input.ExpressionAttributeValues ?? {});
    expect(values[':limit']).toBe(5);
    // Deleted by TTL two hours after the hour began (the key holds the hour anyway).
    expect(values[':ttl']).toBe(Date.parse('2026-11-23T10:00:00Z') / 1000);
  });

  it('lets other DynamoDB errors through (the step is retried)', async () => {
    ddb
      .on(UpdateItemCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'x', $metadata: {} }));
    await expect(new DynamoSendQuota(table).take('EMAIL', 'h1', new Date(), 5)).rejects.toBeInstanceOf(
      ProvisionedThroughputExceededException,
    );
  });
});

describe('providers', () => {
  const sesMock = mockClient(SESv2Client);
  const smsMock = mockClient(PinpointSMSVoiceV2Client);
  afterEach(() => {
    sesMock.reset();
    smsMock.reset();
  });

  it('sends email with the configuration set when one is configured (AWS), without it locally', async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const message = { to: ['a@example.com'], subject: 's', text: 't', html: '<p>h</p>' };
    const ses = new SESv2Client({ region: 'us-east-1' });
    expect(await new SesMailer(ses, 'noreply@example.com', 'Stack-email').send(message)).toBe('m-1');
    await new SesMailer(ses, 'noreply@example.com').send(message);
    const [withSet, withoutSet] = sesMock.commandCalls(SendEmailCommand).map((call) => call.args[0].input);
    expect(withSet?.ConfigurationSetName).toBe('Stack-email');
    expect(withSet?.Content?.Simple?.Body?.Html?.Data).toBe('<p>h</p>');
    expect(withoutSet?.ConfigurationSetName).toBeUndefined();
  });

  it('turns the opted-out ConflictException into RecipientOptedOutError, and nothing else', async () => {
    const sender = new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({ region: 'us-east-1' }), '');
    smsMock
      .on(SendTextMessageCommand)
      .rejectsOnce(
        new ConflictException({
          message: 'opted out',
          $metadata: {},
          Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
        }),
      )
      .rejectsOnce(new ThrottlingException({ message: 'slow down', $metadata: {} }))
      .resolves({ MessageId: 'sms-1' });
    const message = { to: '13800138000', body: '【拉卡拉】x', templateId: 'SMS_X_V1' };
    await expect(sender.send(message)).rejects.toBeInstanceOf(RecipientOptedOutError);
    await expect(sender.send(message)).rejects.toBeInstanceOf(ThrottlingException);
    expect(await sender.send(message)).toBe('sms-1');
    const input = smsMock.commandCalls(SendTextMessageCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      DestinationPhoneNumber: '+8613800138000',
      MessageType: 'TRANSACTIONAL',
      Context: { templateId: 'SMS_X_V1' },
    });
  });
});

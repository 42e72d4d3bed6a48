import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type AwsJsonOperation, AwsServiceError, optionalString, requiredString } from './aws-json-server';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './constants';
import { readJsonFile, writeJsonAtomic } from './files';
import type { LocalLogger } from './log';

/** One message of the local SMS outbox, as `GET /_local/sms` returns it. */
export interface SmsMessage {
  readonly messageId: string;
  readonly to: string;
  readonly body: string;
  /** ISO 8601 time the message was accepted. */
  readonly at: string;
  readonly originationIdentity?: string;
  readonly messageType?: string;
}

const E164 = /^\+[1-9][0-9]{1,17}$/;

/**
 * The local stand-in for AWS End User Messaging SMS (`pinpoint-sms-voice-v2`): `SendTextMessage`
 * appends to `<stateDir>/sms-outbox.json` instead of texting anyone, so handlers use the unchanged
 * SDK client and developers read what would have been sent at `GET /_local/sms`. `PutOptedOutNumber`
 * puts a number on the opt-out list (as a recipient's "TD"/"STOP" reply would), after which sending
 * to it fails the way the service fails: ConflictException, Reason DESTINATION_PHONE_NUMBER_OPTED_OUT.
 */
export class SmsOutbox {
  private readonly file: string;
  private readonly optOutFile: string;
  private readonly messages: SmsMessage[];
  private readonly optedOut: Set<string>;

  constructor(
    stateDir: string,
    private readonly log: LocalLogger,
  ) {
    this.file = join(stateDir, 'sms-outbox.json');
    this.optOutFile = join(stateDir, 'sms-opted-out.json');
    const stored = readJsonFile(this.file);
    this.messages = Array.isArray(stored) ? (stored as SmsMessage[]) : [];
    const optedOut = readJsonFile(this.optOutFile);
    this.optedOut = new Set(Array.isArray(optedOut) ? (optedOut as string[]) : []);
  }

  /** The awsJson1_0 operations (`X-Amz-Target: PinpointSMSVoiceV2.<Op>`). */
  get operations(): Readonly<Record<string, AwsJsonOperation>> {
    return {
      SendTextMessage: (input) => this.sendTextMessage(input),
      PutOptedOutNumber: (input) => this.putOptedOutNumber(input),
    };
  }

  /** Messages in the order they were sent, optionally only those to one number. */
  list(to?: string): readonly SmsMessage[] {
    return to === undefined ? this.messages : this.messages.filter((message) => message.to === to);
  }

  private sendTextMessage(input: Record<string, unknown>): { MessageId: string } {
    const to = requiredString(input, 'DestinationPhoneNumber');
    if (!E164.test(to)) {
      throw new AwsServiceError('ValidationException', `DestinationPhoneNumber ${to} is not in E.164 format`);
    }
    if (this.optedOut.has(to)) {
      throw new AwsServiceError('ConflictException', 'The destination phone number is opted out', 400, {
        Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
        ResourceType: 'opt-out-list',
        ResourceId: 'Default',
      });
    }
    const body = optionalString(input, 'MessageBody') ?? '';
    if (body.length === 0 || body.length > 1600) {
      throw new AwsServiceError('ValidationException', 'MessageBody must be 1 to 1600 characters long');
    }
    const messageId = randomUUID();
    if (input.DryRun === true) return { MessageId: messageId };
    const originationIdentity = optionalString(input, 'OriginationIdentity');
    const messageType = optionalString(input, 'MessageType');
    const message: SmsMessage = {
      messageId,
      to,
      body,
      at: new Date().toISOString(),
      ...(originationIdentity === undefined ? {} : { originationIdentity }),
      ...(messageType === undefined ? {} : { messageType }),
    };
    this.messages.push(message);
    // Written before answering, so an SMS the handler saw as sent survives a crash of the stack.
    writeJsonAtomic(this.file, this.messages);
    // The body carries activation codes: it is read from the outbox (/_local/sms), never printed.
    this.log.info(`sms: ${messageId} sent (${body.length} characters, see /_local/sms)`);
    return { MessageId: messageId };
  }

  private putOptedOutNumber(input: Record<string, unknown>): Record<string, unknown> {
    const listName = requiredString(input, 'OptOutListName');
    const number = requiredString(input, 'OptedOutNumber');
    if (!E164.test(number)) {
      throw new AwsServiceError('ValidationException', `OptedOutNumber ${number} is not in E.164 format`);
    }
    this.optedOut.add(number);
    writeJsonAtomic(this.optOutFile, [...this.optedOut]);
    this.log.info(`sms: ${number} opted out`);
    return {
      OptOutListArn: `arn:aws:sms-voice:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:opt-out-list/${listName}`,
      OptOutListName: listName,
      OptedOutNumber: number,
      OptedOutTimestamp: Date.now() / 1000,
      EndUserOptedOut: false,
    };
  }
}

import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type AwsJsonOperation, AwsServiceError, requiredString } from './aws-json-server';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './constants';
import { readJsonFile, writeJsonAtomic } from './files';
import type { LocalLogger } from './log';

/*
 * A local SQS queue with the semantics the webhook consumer relies on, behind the SQS JSON
 * protocol (SendMessage, SendMessageBatch, ChangeMessageVisibility, DeleteMessage) for the
 * unchanged SDK client, and an event source mapping that hands batches of visible messages to a
 * function: a message the function reports as failed (partial batch response) comes back when its
 * visibility timeout ends, one received too often goes to the dead letters. Messages are kept in
 * the state dir, so pending deliveries survive a restart.
 */

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  receiptHandle?: string;
}

/** Options of {@link LocalQueue}. */
export interface LocalQueueOptions {
  readonly name: string;
  readonly stateDir: string;
  readonly log: LocalLogger;
  /** Seconds a received message stays invisible unless the function changes it. */
  readonly visibilityTimeoutSeconds?: number;
  /** Receives after which a message goes to the dead letters (the redrive policy). */
  readonly maxReceiveCount?: number;
}

/** One local queue. */
export class LocalQueue {
  private readonly file: string;
  private messages: StoredMessage[];
  private deadLetters: StoredMessage[];
  private readonly visibilityMs: number;
  private readonly maxReceiveCount: number;
  /** Messages sent, for the bench. */
  sent = 0;

  constructor(private readonly options: LocalQueueOptions) {
    this.file = join(options.stateDir, 'sqs', `${options.name}.json`);
    const stored = readJsonFile(this.file) as
      | { messages?: StoredMessage[]; deadLetters?: StoredMessage[] }
      | undefined;
    // In flight when the stack stopped: visible again at once, as after a visibility timeout.
    this.messages = (stored?.messages ?? []).map((message) => ({ ...message, receiptHandle: undefined }));
    this.deadLetters = stored?.deadLetters ?? [];
    this.visibilityMs = (options.visibilityTimeoutSeconds ?? 60) * 1000;
    this.maxReceiveCount = options.maxReceiveCount ?? 50;
  }

  /** The queue's URL (the SDK sends requests to it). */
  urlOn(endpoint: string): string {
    return `${endpoint}/${LOCAL_ACCOUNT_ID}/${this.options.name}`;
  }

  /** The queue's ARN. */
  get arn(): string {
    return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${this.options.name}`;
  }

  /** Adds a message; its id. */
  send(body: string): string {
    const messageId = randomUUID();
    this.messages.push({ messageId, body, sentAt: Date.now(), visibleAt: Date.now(), receiveCount: 0 });
    this.sent += 1;
    this.save();
    return messageId;
  }

  /** Pending and dead-lettered messages (for `GET /_local/queues`). */
  snapshot() {
    return { name: this.options.name, pending: this.messages.length, deadLetters: this.deadLetters.length };
  }

  /** Receives up to `max` visible messages (they turn invisible for the visibility timeout). */
  receive(max: number): StoredMessage[] {
    const now = Date.now();
    const received: StoredMessage[] = [];
    for (const message of [...this.messages]) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      if (message.receiveCount >= this.maxReceiveCount) {
        this.messages = this.messages.filter((candidate) => candidate !== message);
        this.deadLetters.push(message);
        this.options.log.warn(`sqs: ${this.options.name}: a message went to the dead letters`);
        continue;
      }
      message.receiveCount += 1;
      message.visibleAt = now + this.visibilityMs;
      message.receiptHandle = randomUUID();
      received.push(message);
    }
    if (received.length > 0) this.save();
    return received;
  }

  /** Removes a received message. */
  delete(receiptHandle: string): void {
    const before = this.messages.length;
    this.messages = this.messages.filter((message) => message.receiptHandle !== receiptHandle);
    if (this.messages.length !== before) this.save();
  }

  /** The SQS operations of this queue. */
  get operations(): Record<string, AwsJsonOperation> {
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    return {
      SendMessage: (input) => {
        const body = requiredString(input, 'MessageBody');
        return { MessageId: this.send(body), MD5OfMessageBody: md5(body) };
      },
      SendMessageBatch: (input) => {
        const entries = Array.isArray(input.Entries) ? (input.Entries as Record<string, unknown>[]) : [];
        if (entries.length === 0 || entries.length > 10)
          throw new AwsServiceError('AWS.SimpleQueueService.TooManyEntriesInBatchRequest', '1 to 10 entries');
        return {
          Successful: entries.map((entry) => {
            const body = requiredString(entry, 'MessageBody');
            return {
              Id: requiredString(entry, 'Id'),
              MessageId: this.send(body),
              MD5OfMessageBody: md5(body),
            };
          }),
          Failed: [],
        };
      },
      ChangeMessageVisibility: (input) => {
        const handle = requiredString(input, 'ReceiptHandle');
        const seconds = Number(input.VisibilityTimeout ?? 0);
        const message = this.messages.find((candidate) => candidate.receiptHandle === handle);
        if (!message) throw new AwsServiceError('ReceiptHandleIsInvalid', 'The receipt handle is not valid');
        message.visibleAt = Date.now() + Math.max(0, Math.min(43_200, seconds)) * 1000;
        this.save();
        return {};
      },
      DeleteMessage: (input) => {
        this.delete(requiredString(input, 'ReceiptHandle'));
        return {};
      },
    };
  }

  private save(): void {
    writeJsonAtomic(this.file, { messages: this.messages, deadLetters: this.deadLetters });
  }
}

/**
 * The event source mapping of a queue: batches of up to 10 visible messages to `invoke`, a few
 * batches at a time; what the function does not report as failed is deleted.
 */
export class LocalQueuePoller {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly queue: LocalQueue,
    private readonly invoke: (event: SQSEvent) => Promise<unknown>,
    private readonly log: LocalLogger,
    private readonly options: { intervalMs?: number; concurrency?: number } = {},
  ) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      while (this.inFlight.size < (this.options.concurrency ?? 4)) {
        const batch = this.queue.receive(10);
        if (batch.length === 0) break;
        const running = this.run(batch).finally(() => this.inFlight.delete(running));
        this.inFlight.add(running);
      }
      this.timer = setTimeout(tick, this.options.intervalMs ?? 100);
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(batch: ReturnType<LocalQueue['receive']>): Promise<void> {
    const event: SQSEvent = {
      Records: batch.map((message) => ({
        messageId: message.messageId,
        receiptHandle: message.receiptHandle ?? '',
        body: message.body,
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
          SenderId: LOCAL_ACCOUNT_ID,
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(message.body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: this.queue.arn,
        awsRegion: LOCAL_REGION,
      })),
    };
    try {
      const result = (await this.invoke(event)) as SQSBatchResponse | null;
      const failed = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      for (const message of batch)
        if (!failed.has(message.messageId) && message.receiptHandle) this.queue.delete(message.receiptHandle);
    } catch (error) {
      // Every message comes back after its visibility timeout, like a failed Lambda invocation.
      this.log.error('sqs: the queue consumer failed', error);
    }
  }
}

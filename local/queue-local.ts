import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AwsJsonOperation, AwsServiceError } from './aws-json-server';
import { writeJsonAtomic } from './files';
import { type HandlerLoader, invokeLambda } from './lambda-runtime';
import type { LocalLogger } from './log';

/*
 * The SQS queue of the daily run's pages in `npm run dev`: `SendMessage` over the same awsJson1_0
 * protocol the SDK speaks to SQS, and a poller that hands each message to the queue's function as
 * an SQS event, as the event source mapping does (batch size 1, partial batch responses, a failed
 * message back after a short visibility timeout, a dead-letter list after `maxReceives`). Messages
 * are kept in the state dir, so a restart loses none.
 */

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  receives: number;
  visibleAt: number;
}

/** Options of {@link LocalPageQueue}. */
export interface LocalPageQueueOptions {
  readonly stateDir: string;
  readonly name: string;
  /** The function the event source mapping invokes. */
  readonly functionName: string;
  readonly loader: HandlerLoader;
  readonly log: LocalLogger;
  /** Receives before a message goes to the dead-letter list (as the redrive policy). Default 5. */
  readonly maxReceives?: number;
  /** How long a failed message stays invisible (ms). Default 1000. */
  readonly visibilityTimeoutMs?: number;
}

/** One local queue with its consumer. */
export class LocalPageQueue {
  private readonly file: string;
  private messages: StoredMessage[] = [];
  private deadLetters: { messageId: string; body: string; receives: number }[] = [];
  private stopped = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private inFlight = 0;

  constructor(private readonly options: LocalPageQueueOptions) {
    this.file = join(options.stateDir, `queue-${options.name}.json`);
    if (existsSync(this.file)) {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as {
        messages: StoredMessage[];
        deadLetters: LocalPageQueue['deadLetters'];
      };
      this.messages = saved.messages;
      this.deadLetters = saved.deadLetters;
    }
  }

  /** The awsJson1_0 operations (`X-Amz-Target: AmazonSQS.<Op>`). */
  get operations(): Readonly<Record<string, AwsJsonOperation>> {
    return {
      SendMessage: (input) => {
        const body = input.MessageBody;
        if (typeof body !== 'string' || body.length === 0)
          throw new AwsServiceError('InvalidParameterValue', 'MessageBody is required');
        const messageId = randomUUID();
        this.messages.push({ messageId, body, receives: 0, visibleAt: Date.now() });
        this.save();
        this.wake?.();
        // The SDK checks the body's MD5, as SQS returns it.
        return { MessageId: messageId, MD5OfMessageBody: createHash('md5').update(body).digest('hex') };
      },
    };
  }

  /** Messages waiting or in flight, and those given up on. */
  snapshot() {
    return { waiting: this.messages.length, inFlight: this.inFlight, deadLetters: this.deadLetters };
  }

  /** Whether nothing waits and nothing runs (tests wait for a whole daily run with it). */
  idle(): boolean {
    return this.messages.length === 0 && this.inFlight === 0;
  }

  /** Starts the consumer. */
  start(): void {
    this.running = this.loop();
  }

  /** Stops the consumer after the message in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private save(): void {
    writeJsonAtomic(this.file, { messages: this.messages, deadLetters: this.deadLetters });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const now = Date.now();
      const message = this.messages.find((candidate) => candidate.visibleAt <= now);
      if (!message) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
        continue;
      }
      message.receives += 1;
      message.visibleAt = now + (this.options.visibilityTimeoutMs ?? 1000);
      this.inFlight += 1;
      let failed = true;
      try {
        const result = (await invokeLambda(
          this.options.loader,
          this.options.functionName,
          sqsEvent(this.options.name, message),
          {
            timeoutMs: 60_000,
          },
        )) as { batchItemFailures?: { itemIdentifier: string }[] } | null;
        failed = (result?.batchItemFailures ?? []).some(
          (failure) => failure.itemIdentifier === message.messageId,
        );
      } catch (error) {
        this.options.log.error(`queue ${this.options.name}: ${this.options.functionName} failed`, error);
      } finally {
        this.inFlight -= 1;
      }
      if (!failed) this.messages = this.messages.filter((candidate) => candidate !== message);
      else if (message.receives >= (this.options.maxReceives ?? 5)) {
        this.messages = this.messages.filter((candidate) => candidate !== message);
        this.deadLetters.push({
          messageId: message.messageId,
          body: message.body,
          receives: message.receives,
        });
        this.options.log.error(
          `queue ${this.options.name}: message ${message.messageId} moved to the dead-letter list`,
        );
      }
      this.save();
    }
  }
}

function sqsEvent(queue: string, message: StoredMessage) {
  return {
    Records: [
      {
        messageId: message.messageId,
        receiptHandle: `${message.messageId}#${message.receives}`,
        body: message.body,
        attributes: { ApproximateReceiveCount: String(message.receives) },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(message.body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${queue}`,
        awsRegion: 'us-east-1',
      },
    ],
  };
}

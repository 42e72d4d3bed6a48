import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readWebhookConfig } from '../config/env';
import type { DeliveryQueue } from '../ports/webhooks';
import type { DeliveryJob } from '../webhooks/domain';

/** SQS takes at most 10 messages per SendMessageBatch. */
const MESSAGES_PER_CALL = 10;

/** The webhook delivery queue on SQS (AWS, or the local queue of `npm run dev`). */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(jobs: readonly DeliveryJob[]): Promise<void> {
    for (let start = 0; start < jobs.length; start += MESSAGES_PER_CALL) {
      const chunk = jobs.slice(start, start + MESSAGES_PER_CALL);
      const answer = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job) })),
        }),
      );
      if ((answer.Failed ?? []).length > 0)
        throw new Error(`The delivery queue refused ${answer.Failed?.length} message(s)`);
    }
  }

  async postpone(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(43_200, Math.ceil(seconds))),
      }),
    );
  }
}

/** The delivery queue of this deployment (WEBHOOK_QUEUE_URL), client built once. */
export function deliveryQueueFromEnv(): DeliveryQueue {
  const { queueUrl } = readWebhookConfig();
  if (!queueUrl) throw new Error('WEBHOOK_QUEUE_URL is not set');
  return new SqsDeliveryQueue(new SQSClient({}), queueUrl);
}

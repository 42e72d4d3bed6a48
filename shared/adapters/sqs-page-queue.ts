import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readDailyRunQueueUrl } from '../config/env';
import type { DailyRunPage, PageQueue } from '../daily-checks/daily-run';

/** The daily run's page queue on SQS (the local queue of `npm run dev` answers the same call). */
export class SqsPageQueue implements PageQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(page: DailyRunPage): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(page) }),
    );
  }
}

/** The queue of this deployment, from DAILY_RUN_QUEUE_URL, created once per cold start. */
export function pageQueueFromEnv(): PageQueue {
  return new SqsPageQueue(new SQSClient({}), readDailyRunQueueUrl());
}

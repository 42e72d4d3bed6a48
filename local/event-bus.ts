import { randomUUID } from 'node:crypto';
import { EVENT_SOURCE } from '../shared/events/relay';
import type { DomainEvent } from '../shared/events/types';
import { type AwsJsonOperation, AwsServiceError } from './aws-json-server';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './constants';
import type { LocalQueue } from './sqs-queue';

/*
 * The local EventBridge bus behind the EventBridge JSON protocol (PutEvents) for the unchanged SDK
 * client, with the one rule the stack deploys: every domain event (source `pos.onboarding`) to the
 * webhook delivery queue, as the EventBridge envelope SQS receives in AWS. The last events are
 * kept for `GET /_local/events`.
 */

/** How many published events `GET /_local/events` shows. */
const KEPT = 1000;

export class LocalEventBus {
  private readonly recent: DomainEvent[] = [];
  /** Entries put, for the bench. */
  put = 0;

  constructor(
    private readonly busName: string,
    private readonly target: LocalQueue,
  ) {}

  /** The events published lately, oldest first. */
  events(): readonly DomainEvent[] {
    return this.recent;
  }

  get operations(): Record<string, AwsJsonOperation> {
    return {
      PutEvents: (input) => {
        const entries = Array.isArray(input.Entries) ? (input.Entries as Record<string, unknown>[]) : [];
        if (entries.length === 0 || entries.length > 10)
          throw new AwsServiceError('ValidationException', 'PutEvents takes 1 to 10 entries');
        const results = entries.map((entry) => {
          if (entry.EventBusName !== this.busName)
            return { ErrorCode: 'NotFound', ErrorMessage: `No event bus ${String(entry.EventBusName)}` };
          const id = randomUUID();
          this.put += 1;
          if (entry.Source === EVENT_SOURCE && typeof entry.Detail === 'string') {
            const detail = JSON.parse(entry.Detail) as DomainEvent;
            this.recent.push(detail);
            if (this.recent.length > KEPT) this.recent.shift();
            this.target.send(
              JSON.stringify({
                version: '0',
                id,
                'detail-type': entry.DetailType,
                source: entry.Source,
                account: LOCAL_ACCOUNT_ID,
                time: new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : Date.now()).toISOString(),
                region: LOCAL_REGION,
                resources: [],
                detail,
              }),
            );
          }
          return { EventId: id };
        });
        return {
          FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
          Entries: results,
        };
      },
    };
  }
}

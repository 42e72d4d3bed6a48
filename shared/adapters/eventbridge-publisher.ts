import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { readEventBusName } from '../config/env';
import { EVENT_SOURCE } from '../events/relay';
import type { DomainEvent } from '../events/types';
import type { EventPublisher } from '../ports/events';

/** EventBridge takes at most 10 entries per PutEvents. */
const ENTRIES_PER_CALL = 10;

/**
 * Domain events on an EventBridge bus (AWS, or the local bus of `npm run dev`): `Source`
 * `pos.onboarding`, `DetailType` the event type, `Detail` the event itself.
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<number> {
    let accepted = 0;
    for (let start = 0; start < events.length; start += ENTRIES_PER_CALL) {
      const chunk = events.slice(start, start + ENTRIES_PER_CALL);
      const answer = await this.client.send(
        new PutEventsCommand({
          Entries: chunk.map((event) => ({
            EventBusName: this.busName,
            Source: EVENT_SOURCE,
            DetailType: event.type,
            Detail: JSON.stringify(event),
            Time: new Date(event.createdAt),
          })),
        }),
      );
      if ((answer.FailedEntryCount ?? 0) > 0) {
        const first = (answer.Entries ?? []).findIndex((entry) => entry.ErrorCode !== undefined);
        return accepted + Math.max(0, first);
      }
      accepted += chunk.length;
    }
    return accepted;
  }
}

/** The publisher of this deployment (the bus from EVENT_BUS_NAME), client built once. */
export function eventPublisherFromEnv(): EventPublisher {
  return new EventBridgePublisher(new EventBridgeClient({}), readEventBusName());
}

import type { DomainEvent } from '../events/types';

/** Puts domain events on the event bus. */
export interface EventPublisher {
  /**
   * Publishes `events` in order; resolves with how many of the first events were accepted (all of
   * them, or up to the first one refused: the rest must be published again).
   */
  publish(events: readonly DomainEvent[]): Promise<number>;
}

import { changeRequestEvents } from '../change-requests/events';
import type { KeyFamily } from '../keys';
import { merchantEvents } from '../merchants/events';
import { applicationEvents } from '../onboarding/events';
import { terminalEvents } from '../terminals/events';
import { transferEvents } from '../transfers/events';
import type { ItemChangeMapper } from './types';

/*
 * The mappers of every item family that publishes events, each beside its process. A new family
 * (or a second mapper of a family) is one line here; the relay's stream filter (CDK and
 * `npm run dev`) follows from this table, so records of other families never invoke it.
 */

/** The mappers of each family with events. */
export const EVENT_MAPPERS: Readonly<Partial<Record<KeyFamily, readonly ItemChangeMapper[]>>> = {
  application: [applicationEvents],
  merchant: [merchantEvents],
  terminal: [terminalEvents],
  transferRequest: [transferEvents],
  changeRequest: [changeRequestEvents],
};

/** The families whose changes the relay receives. */
export function relayedFamilies(): KeyFamily[] {
  return (Object.keys(EVENT_MAPPERS) as KeyFamily[]).filter(
    (family) => (EVENT_MAPPERS[family]?.length ?? 0) > 0,
  );
}

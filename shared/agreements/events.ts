import { enteredStatus, sortKeyOf, text } from '../events/changes';
import type { ItemChangeMapper } from '../events/types';

/**
 * Agreement versions (`AGR#<merchantNo>`, sort key `V#<version>`; the head item publishes nothing):
 * `agreement.signed` when a version becomes SIGNED, with the fee plan it puts in force. A version
 * waiting for signature or superseded is no change of the merchant's terms, so it publishes
 * nothing; the rates themselves stay in the API (`GET /v1/merchants/{merchantNo}/agreement`).
 */
export const agreementEvents: ItemChangeMapper = (change) => {
  if (!sortKeyOf(change)?.startsWith('V#') || enteredStatus(change) !== 'SIGNED') return [];
  const image = change.newImage;
  const plan = image?.feePlan as Readonly<Record<string, unknown>> | undefined;
  const version = image?.version;
  const planVersion = plan?.version;
  return [
    {
      type: 'agreement.signed',
      data: {
        merchantNo: text(image, 'merchantNo') ?? null,
        agreementId: text(image, 'agreementId') ?? null,
        version: typeof version === 'number' ? version : null,
        feePlanCode: text(plan, 'code') ?? null,
        feePlanVersion: typeof planVersion === 'number' ? planVersion : null,
        settlementCycle: text(image, 'settlementCycle') ?? null,
        status: 'SIGNED',
      },
    },
  ];
};

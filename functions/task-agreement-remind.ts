import { agreementTask } from '../shared/agreements/process';
import { remindToSign } from '../shared/agreements/workflow';
import { agreementRepository, merchantRepository, messagingAdapters } from '../shared/composition';

// Only the adapters this step uses, created once per cold start.
const deps = {
  agreements: agreementRepository(),
  merchants: merchantRepository(),
  ...messagingAdapters(),
};

/** Workflow Task: a version still unsigned after the wait is recalled once by email and SMS. */
export const handler = agreementTask('task-agreement-remind', (input) => remindToSign(deps, input));

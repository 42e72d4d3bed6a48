import { agreementTask } from '../shared/agreements/process';
import { recordAgreementFailure } from '../shared/agreements/workflow';
import { agreementRepository } from '../shared/composition';
import { systemClock } from '../shared/ports';

const deps = { agreements: agreementRepository(), clock: systemClock };

/** Workflow Task: a failed agreement step in the version's audit trail, for operators. */
export const handler = agreementTask('task-agreement-record-failure', (input) =>
  recordAgreementFailure(deps, input),
);

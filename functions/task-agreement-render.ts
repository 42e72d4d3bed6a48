import { agreementFilesFromEnv } from '../shared/adapters/s3-agreement-files';
import { agreementTask } from '../shared/agreements/process';
import { renderAgreementPdf } from '../shared/agreements/render';
import { renderAgreement } from '../shared/agreements/workflow';
import {
  agreementRepository,
  applicationRepository,
  merchantRepository,
  messagingAdapters,
} from '../shared/composition';

// Only the adapters this step uses, created once per cold start. pdfkit and the font load on the
// first render (lazy modules), not here.
const deps = {
  agreements: agreementRepository(),
  merchants: merchantRepository(),
  applications: applicationRepository(),
  files: agreementFilesFromEnv(),
  render: renderAgreementPdf,
  ...messagingAdapters(),
};

/** Workflow Task: renders one agreement version's PDF (once) and announces a version after the first. */
export const handler = agreementTask('task-agreement-render', (input) => renderAgreement(deps, input));

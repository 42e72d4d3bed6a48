import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import {
  applicationRepository,
  deadlines,
  merchantRepository,
  terminalReader,
  transferRepository,
} from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { guardedRoute, merchantNoOf } from '../shared/http/merchant-route';
import { CREATE_TRANSFER_REQUEST } from '../shared/manifest/transfers';
import { systemClock } from '../shared/ports';
import type { ApplicationRepository } from '../shared/ports/repositories';
import { createTransferRequest } from '../shared/transfers/requests';

/** `POST /v1/terminals/{sn}/transfer-requests` (the current merchant): offer the terminal to another merchant. */
export const makeHandler = (
  deps: Parameters<typeof createTransferRequest>[0] & { applications: ApplicationRepository },
) =>
  guardedRoute(CREATE_TRANSFER_REQUEST, deps, async (request, access) => ({
    statusCode: 202,
    body: await createTransferRequest(
      access.scoped(deps),
      merchantNoOf(access),
      pathParameter(request, 'sn'),
      request.body,
    ),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  transfers: transferRepository(),
  terminals: terminalReader(),
  merchants: merchantRepository(),
  workflow: workflowFromEnv('terminal-transfer'),
  clock: systemClock,
  deadlines: deadlines(),
});

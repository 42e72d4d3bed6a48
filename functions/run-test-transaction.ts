import { SimulatedPaymentHost } from '../shared/adapters/payment-host-simulator';
import { applicationRepository, terminalRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { guardedRoute, merchantNoOf } from '../shared/http/merchant-route';
import { RUN_TEST_TRANSACTION } from '../shared/manifest/terminals';
import { systemClock } from '../shared/ports';
import type { ApplicationRepository } from '../shared/ports/repositories';
import { runTestTransaction } from '../shared/terminals/lifecycle';

/** `POST /v1/terminals/{sn}/test-transaction` (the merchant, ACTIVATED terminal): 0.01 CNY sale and void. */
export const makeHandler = (
  deps: Parameters<typeof runTestTransaction>[0] & { applications: ApplicationRepository },
) =>
  guardedRoute(RUN_TEST_TRANSACTION, deps, async (request, access) => ({
    statusCode: 200,
    body: await runTestTransaction(access.scoped(deps), merchantNoOf(access), pathParameter(request, 'sn')),
  }));

export const handler = makeHandler({
  applications: applicationRepository(),
  terminals: terminalRepository(),
  // The payment-host port (shared/ports/terminals.ts): an acquirer plugs its own host in here.
  paymentHost: new SimulatedPaymentHost(),
  clock: systemClock,
});

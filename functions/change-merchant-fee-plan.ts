import { workflowFromEnv } from '../shared/adapters/sfn-workflow';
import { type AgreementChangeDeps, changeMerchantFeePlan } from '../shared/agreements/changes';
import { agreementRepository, feePlanRepository, merchantRepository } from '../shared/composition';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { CHANGE_MERCHANT_FEE_PLAN } from '../shared/manifest/agreements';
import { systemClock } from '../shared/ports';

/**
 * `POST /v1/merchants/{merchantNo}/fee-plan` (operator, reason required): the merchant's new plan
 * and its next agreement version; the signed agreement stays in force until that one is signed.
 */
export const makeHandler = (deps: AgreementChangeDeps) =>
  staffRoute(CHANGE_MERCHANT_FEE_PLAN, async (request, operator) => ({
    statusCode: 200,
    body: await changeMerchantFeePlan(deps, operator, pathParameter(request, 'merchantNo'), request.body),
  }));

export const handler = makeHandler({
  feePlans: feePlanRepository(),
  agreements: agreementRepository(),
  merchants: merchantRepository(),
  agreementWorkflow: workflowFromEnv('agreement'),
  clock: systemClock,
});

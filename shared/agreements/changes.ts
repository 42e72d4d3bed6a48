import * as z from 'zod/mini';
import type { StaffPrincipal } from '../auth/principals';
import type { MerchantRecord } from '../domain/merchant';
import { notFound, validationFailed } from '../errors';
import { type FeePlanTerms, termsOf } from '../fee-plans/plan';
import { type FeePlanDeps, resolveFeePlan } from '../fee-plans/requests';
import { merchantFeePlanSchema } from '../fee-plans/schema';
import { logger } from '../logger';
import type { WorkflowEngine } from '../ports';
import type { AgreementRepository } from '../ports/agreements';
import type { ChangeRequestRepository } from '../ports/change-requests';
import type { MerchantRepository } from '../ports/merchants';
import { zodProblems } from '../validation/problems';
import { type AgreementExecution, startAgreementProcess } from './process';
import { addAgreementVersion } from './versions';

/** What making a new agreement version after a change needs. */
export interface AgreementChangeDeps extends FeePlanDeps {
  readonly agreements: AgreementRepository;
  readonly merchants: Pick<MerchantRepository, 'getMerchant'>;
  readonly agreementWorkflow: WorkflowEngine<AgreementExecution>;
}

/**
 * `POST /v1/merchants/{merchantNo}/fee-plan` (operator, reason required): moves the merchant to the
 * current version of a plan allowed for its MCC's risk level, in one transaction with the next
 * agreement version (its timeline keeps the operator and the reason), then starts that version's
 * process (render, announce, remind). Asking again for the same plan version returns the version
 * made the first time and starts its process again (idempotently), so a retry after a failure is safe.
 */
export async function changeMerchantFeePlan(
  deps: AgreementChangeDeps,
  operator: StaffPrincipal,
  merchantNo: string,
  input: unknown,
) {
  const parsed = z.safeParse(merchantFeePlanSchema(), input ?? {});
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input: input ?? {} }));
  const { feePlanCode, reason } = parsed.data;
  const merchant = await deps.merchants.getMerchant(merchantNo);
  if (!merchant) throw notFound('Merchant');
  const plan = await resolveFeePlan(deps, { mcc: merchant.business.mcc, code: feePlanCode });
  const agreement = await addAgreementVersion(deps, {
    merchant,
    feePlan: termsOf(plan),
    cause: 'FEE_PLAN_CHANGED',
    source: `FEE_PLAN:${plan.code}:${plan.version}`,
    actor: `staff:${operator.sub}`,
    reason,
    merchantFeePlan: { code: plan.code, version: plan.version },
  });
  await startAgreementProcess(deps, merchantNo, agreement.version);
  logger.info('merchant fee plan changed', { merchantNo, code: plan.code, version: plan.version });
  return {
    merchantNo,
    feePlan: { code: plan.code, version: plan.version },
    agreement: { agreementId: agreement.agreementId, version: agreement.version, status: agreement.status },
  };
}

/** The terms a merchant holds now: its plan version (or the default of its MCC's level, for a merchant without one). */
export async function merchantTerms(
  deps: FeePlanDeps,
  merchant: Pick<MerchantRecord, 'feePlan' | 'business'>,
): Promise<FeePlanTerms> {
  if (merchant.feePlan) {
    const plan = await deps.feePlans.version(merchant.feePlan);
    if (plan) return termsOf(plan);
  }
  return termsOf(await resolveFeePlan(deps, { mcc: merchant.business.mcc }));
}

/**
 * After an APPLIED change request that changed `settlement.cycle`: the next agreement version with
 * the new cycle (idempotent by the change request's id), and its process.
 */
export async function agreementAfterCycleChange(
  deps: AgreementChangeDeps,
  merchant: MerchantRecord,
  changeRequestId: string,
  actor: `staff:${string}` | 'system',
) {
  const agreement = await addAgreementVersion(deps, {
    merchant,
    feePlan: await merchantTerms(deps, merchant),
    cause: 'SETTLEMENT_CYCLE_CHANGED',
    source: `CHANGE:${changeRequestId}`,
    actor,
  });
  await startAgreementProcess(deps, merchant.merchantNo, agreement.version);
  return agreement;
}

/**
 * At provisioning: agreement version 1 with the merchant's approved plan and settlement cycle
 * (idempotent: a retried step finds it), and its process.
 */
export async function agreementAfterProvisioning(
  deps: Omit<AgreementChangeDeps, 'clock'> & { readonly clock: FeePlanDeps['clock'] },
  merchantNo: string,
) {
  const merchant = await deps.merchants.getMerchant(merchantNo);
  if (!merchant) throw new Error(`No merchant ${merchantNo} after provisioning`);
  const agreement = await addAgreementVersion(deps, {
    merchant,
    feePlan: await merchantTerms(deps, merchant),
    cause: 'PROVISIONED',
    source: 'PROVISIONED',
    actor: 'system',
  });
  await startAgreementProcess(deps, merchantNo, agreement.version);
  return agreement;
}

/**
 * After a change request is APPLIED (also on a retried step: idempotent by its id): when it changed
 * `settlement.cycle`, the next agreement version with the new cycle and its process; otherwise nothing.
 */
export async function agreementAfterAppliedChange(
  deps: AgreementChangeDeps & { readonly changeRequests: Pick<ChangeRequestRepository, 'get'> },
  changeRequestId: string,
): Promise<{ agreementId: string; version: number } | undefined> {
  const request = await deps.changeRequests.get(changeRequestId);
  const newCycle = request?.changes.settlement?.cycle;
  if (request?.status !== 'APPLIED' || !newCycle) return undefined;
  if (request.before?.settlement?.cycle === newCycle) return undefined;
  const merchant = await deps.merchants.getMerchant(request.merchantNo);
  if (!merchant) throw new Error(`No merchant ${request.merchantNo}`);
  const decidedBy = request.timeline.at(-1)?.actor ?? 'system';
  const agreement = await agreementAfterCycleChange(
    deps,
    merchant,
    changeRequestId,
    decidedBy.startsWith('staff:') ? (decidedBy as `staff:${string}`) : 'system',
  );
  return { agreementId: agreement.agreementId, version: agreement.version };
}

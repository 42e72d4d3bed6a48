import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { reissueAccessToken, revokeAccessToken, rotateAccessToken } from '../shared/access-tokens/requests';
import { confirmSession, SESSION, startSession } from '../shared/access-tokens/sessions';
import { SimulatedPaymentHost } from '../shared/adapters/payment-host-simulator';
import { changeMerchantFeePlan } from '../shared/agreements/changes';
import { getAgreement, requestSignatureCode, signAgreement } from '../shared/agreements/requests';
import { signatureCodeTarget } from '../shared/agreements/signature-codes';
import type { MerchantPrincipal, StaffPrincipal } from '../shared/auth/principals';
import { sha256Hex } from '../shared/auth/tokens';
import {
  cancelChangeRequest,
  createChangeRequest,
  getChangeRequest,
} from '../shared/change-requests/requests';
import { messagingConfig } from '../shared/composition';
import { readWebhookConfig } from '../shared/config/env';
import { listDailySummaries } from '../shared/daily-checks/daily-run';
import { listLimitAudit } from '../shared/daily-checks/limit-audit';
import { getLimits, putLimits, requestLimitIncrease } from '../shared/daily-checks/limits';
import { emptyCounters } from '../shared/daily-checks/rules';
import { dailyChecksSettings } from '../shared/daily-checks/settings';
import { createFeePlan, listFeePlans } from '../shared/fee-plans/requests';
import { getMerchant, listMerchantVersions } from '../shared/merchants/requests';
import { contactAddress } from '../shared/onboarding/contacts';
import {
  createApplication,
  createDocumentUpload,
  getApplication,
  submitApplication,
  updateApplication,
  withdrawApplication,
} from '../shared/onboarding/requests';
import {
  CONTACT_VERIFICATION,
  confirmVerification,
  requestVerification,
} from '../shared/onboarding/verification';
import { issueOneTimeCode, type OneTimeCodeTarget } from '../shared/one-time-codes/codes';
import type { NewCode, OneTimeCodeStore } from '../shared/one-time-codes/store';
import type { Mailer, SmsSender, StaffTokenVerifier, WorkflowEngine } from '../shared/ports';
import type { AgreementFiles, AgreementRepository, FeePlanRepository } from '../shared/ports/agreements';
import type { ChangeRequestRepository } from '../shared/ports/change-requests';
import type { DailyCheckStore } from '../shared/ports/daily-checks';
import type { MerchantRepository, SendRecordRepository } from '../shared/ports/merchants';
import type { SendQuota, SuppressionList } from '../shared/ports/notifications';
import type { ApplicationRepository, ReviewTaskRepository } from '../shared/ports/repositories';
import type { CallbackPhones, ReviewStatsReader } from '../shared/ports/reviews';
import type { TerminalRepository, TransferRepository } from '../shared/ports/terminals';
import type { DeliveryQueue, WebhookRepository } from '../shared/ports/webhooks';
import { claimReview, revealField } from '../shared/reviews/claims';
import { getReviewDocuments } from '../shared/reviews/documents';
import { decideReview, getReview, listReviews } from '../shared/reviews/requests';
import { reviewStats } from '../shared/reviews/stats';
import { activationCodeHash } from '../shared/terminals/activation-codes';
import {
  activateTerminal,
  bindTerminal,
  getTerminal,
  reissueActivationCode,
  runTestTransaction,
  unbindTerminal,
} from '../shared/terminals/lifecycle';
import { registerTerminals } from '../shared/terminals/stock';
import {
  acceptTransferRequest,
  cancelTransferRequest,
  createTransferRequest,
  getTransferRequest,
} from '../shared/transfers/requests';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverEvent,
  rotateWebhookSecret,
} from '../shared/webhooks/requests';
import { individualApplication } from '../test/support/fixtures';
import {
  AGREEMENT_PDF,
  agreementRecord,
  apiEvent,
  benchHasher,
  changeRequestBody,
  changeRequestRecord,
  claimedTask,
  DEADLINES,
  dailySummaries,
  domainEvent,
  draftApplication,
  fake,
  feePlan,
  feePlans,
  fixedClock,
  IDS,
  merchantRecord,
  merchantToken,
  merchantVersions,
  pendingTask,
  reviewCounters,
  signedAgreement,
  submittedApplication,
  terminalHistory,
  terminalRecord,
  transferRecord,
  unverifiedDraft,
  webhookDeliveries,
  webhookEndpoint,
} from './fakes';

/** One API route, ready to be invoked through its handler and as its bare use case. */
export interface RouteCase {
  /** `METHOD /path` as in the manifest (shared/manifest/). */
  readonly route: string;
  readonly functionName: string;
  readonly handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
  readonly event: APIGatewayProxyEvent;
  /** The use case the handler wraps, called with the same ports and the already-parsed input. */
  readonly bare: () => Promise<unknown>;
}

const reviewer: StaffPrincipal = { kind: 'staff', sub: 'rev-1', groups: ['reviewer'] };
const operator: StaffPrincipal = { kind: 'staff', sub: 'op-1', groups: ['operator'] };
const reviewerClaims = { sub: 'rev-1', 'cognito:groups': 'reviewer' };
const operatorClaims = { sub: 'op-1', 'cognito:groups': 'operator' };

/** Fakes of the ports, each answering as the success path of the routes needs. */
function ports() {
  const draft = draftApplication();
  const merchantApplication = { ...draft, status: 'APPROVED' as const, merchantNo: IDS.merchantNo };
  // The approved application's token also authenticates its merchant.
  const tokenHashOf = async () => ({
    tokenHash: draft.tokenHash,
    merchantNo: merchantApplication.merchantNo,
  });
  const applications = fake<ApplicationRepository>('applications', {
    get: async () => draft,
    getIfTokenAccepted: async (_id, accepts) => (accepts(draft.tokenHash) ? draft : undefined),
    tokenHashOf,
    createIfAbsent: async () => undefined,
    forgetReplayableToken: async () => undefined,
    save: async () => undefined,
    replaceTokenHash: async () => true,
    markerHolder: async () => undefined,
    isBlocked: async () => false,
    signerOf: async () => ({ phone: draft.body.legalPerson.phone, locale: draft.body.locale }),
  });
  // A draft has no merchant yet: draft routes authenticate against a token without merchantNo.
  const draftApplications = fake<ApplicationRepository>('applications', {
    get: async () => draft,
    getIfTokenAccepted: async (_id, accepts) => (accepts(draft.tokenHash) ? draft : undefined),
    tokenHashOf: async () => ({ tokenHash: draft.tokenHash }),
    createIfAbsent: async () => undefined,
    forgetReplayableToken: async () => undefined,
    save: async () => undefined,
    replaceTokenHash: async () => true,
  });
  const reviews = fake<ReviewTaskRepository>('reviews', {
    get: async () => pendingTask(),
    decide: async () => true,
    waitingToken: async () => 'bench-task-token',
    close: async () => true,
    listPending: async () => ({ items: Array.from({ length: 20 }, pendingTask), nextCursor: 'bench-cursor' }),
  });
  const merchants = fake<MerchantRepository>('merchants', {
    getMerchant: async (merchantNo) => merchantRecord(merchantNo),
    acceptsTerminals: async () => true,
    merchantTerminals: async () => [
      { serialNumber: IDS.serialNumber, terminalId: IDS.terminalId, status: 'BOUND', boundAt: NOW_ISO },
    ],
    nextMerchantSequence: async () => 42,
    nextTerminalSequence: async () => 42,
  });
  const workflow = fake<WorkflowEngine>('workflow', {
    executionArnOf: (name) => `arn:aws:states:us-east-1:000000000000:execution:onboarding:${name}`,
    start: async (name) => `arn:aws:states:us-east-1:000000000000:execution:onboarding:${name}`,
    resume: async () => true,
    stop: async () => undefined,
  });
  const sends = fake<SendRecordRepository>('sends', {
    claim: async () => 1,
    complete: async () => undefined,
    get: async () => undefined,
  });
  const suppressions = fake<SuppressionList>('suppressions', { isSuppressed: async () => false });
  const sendQuota = fake<SendQuota>('sendQuota', { take: async () => true });
  const sms = fake<SmsSender>('sms', { send: async () => 'bench-sms-id' });
  const mailer = fake<Mailer>('mailer', { send: async () => 'bench-email-id' });
  const storage = {
    presignUpload: async (input: { objectKey: string }) =>
      `https://bench-documents.s3.us-east-1.amazonaws.com/${input.objectKey}?X-Amz-Signature=bench`,
    objectSize: async () => 1024,
    objectInfo: async () => ({ size: 1024, contentType: 'image/jpeg', etag: 'bench-etag' }),
  };
  const staffVerifier = fake<StaffTokenVerifier>('staffVerifier', {});
  const changeRequests = fake<ChangeRequestRepository>('changeRequests', {
    get: async () => changeRequestRecord(),
    getIdempotency: async () => undefined,
    create: async () => 'CREATED',
    finish: async () => 'DONE',
    versions: async () => merchantVersions(),
  });
  const transfers = fake<TransferRepository>('transfers', {
    get: async () => transferRecord(),
    create: async () => true,
    save: async () => true,
  });
  return {
    applications,
    draftApplications,
    reviews,
    merchants,
    workflow,
    sends,
    suppressions,
    sendQuota,
    sms,
    mailer,
    storage,
    staffVerifier,
    changeRequests,
    transfers,
  };
}

const NOW_ISO = fixedClock.now().toISOString();

/** The fake's record (the bare use case gets what the guard would have read). */
function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('bench fake returned nothing');
  return value;
}

/** A terminal repository whose terminal is in `status` (with the bench's activation code when BOUND). */
async function terminals(status: 'IN_STOCK' | 'BOUND' | 'ACTIVATED'): Promise<TerminalRepository> {
  const codeHash =
    status === 'BOUND'
      ? await activationCodeHash(benchHasher, IDS.serialNumber, IDS.activationCode)
      : undefined;
  const record = terminalRecord(status, codeHash);
  return fake<TerminalRepository>('terminals', {
    get: async () => record,
    merchantStatus: async () => 'ACTIVE',
    history: async () => terminalHistory(),
    register: async () => true,
    bind: async () => undefined,
    unbind: async () => true,
    reserveActivationIssue: async () => true,
    releaseActivationIssue: async () => undefined,
    setActivationCode: async () => 'SET',
    reserveAttempt: async () => 1,
    activate: async () => true,
    markVerified: async () => true,
    addHistory: async () => undefined,
  });
}

/**
 * Every API route with its handler, event and bare use case (keyed by `METHOD /path`), or only those
 * of function `only`: a route's handler module (and what it imports) is loaded only for a case that
 * is built, so a process measuring one route loads one function.
 */
export async function routeCases(only?: string): Promise<RouteCase[]> {
  const p = ports();
  const token = merchantToken(IDS.applicationId);
  const bearer = { Authorization: `Bearer ${token}` };
  const pending: (Omit<RouteCase, 'handler'> & { load: () => Promise<RouteCase['handler']> })[] = [];
  const add = (
    route: string,
    functionName: string,
    load: () => Promise<RouteCase['handler']>,
    event: Omit<Parameters<typeof apiEvent>[0], 'method' | 'resource'>,
    bare: () => Promise<unknown>,
  ) => {
    if (only !== undefined && functionName !== only) return;
    const [method = '', resource = ''] = route.split(' ');
    pending.push({ route, functionName, load, event: apiEvent({ method, resource, ...event }), bare });
  };
  const appPath = { id: IDS.applicationId };
  const merchant: MerchantPrincipal = {
    kind: 'merchant',
    applicationId: IDS.applicationId,
    merchantNo: IDS.merchantNo,
  };

  // ---- Applications ---------------------------------------------------------------------------
  const body = individualApplication({ serialNumber: IDS.serialNumber });
  const create = {
    applications: p.applications,
    hasher: benchHasher,
    storage: p.storage,
    clock: fixedClock,
    deadlines: DEADLINES,
  };
  const draftDeps = {
    applications: p.draftApplications,
    storage: p.storage,
    clock: fixedClock,
    deadlines: DEADLINES,
  };
  add(
    'GET /v1/health',
    'health',
    async () => (await import('../functions/health')).handler,
    {},
    async () => ({
      statusCode: 200,
      body: { status: 'ok' },
    }),
  );
  add(
    'POST /v1/applications',
    'create-application',
    async () => (await import('../functions/create-application')).makeHandler(create),
    { body, headers: { 'Idempotency-Key': 'bench-key-0001' } },
    () => createApplication(create, { idempotencyKey: 'bench-key-0001', body }),
  );
  add(
    'PUT /v1/applications/{id}',
    'update-application',
    async () => (await import('../functions/update-application')).makeHandler(draftDeps),
    { pathParameters: appPath, headers: bearer, body },
    () => updateApplication(draftDeps, IDS.applicationId, body),
  );
  add(
    'GET /v1/applications/{id}',
    'get-application',
    async () => (await import('../functions/get-application')).makeHandler(draftDeps),
    { pathParameters: appPath, headers: bearer },
    () => getApplication(draftDeps, IDS.applicationId),
  );
  const documentBody = { kind: 'ID_CARD_FRONT', contentType: 'image/jpeg', sizeBytes: 2048 };
  add(
    'POST /v1/applications/{id}/documents',
    'create-document',
    async () => (await import('../functions/create-document')).makeHandler(draftDeps),
    { pathParameters: appPath, headers: bearer, body: documentBody },
    () => createDocumentUpload(draftDeps, IDS.applicationId, documentBody),
  );
  const submitDeps = {
    ...create,
    applications: p.draftApplications,
    reviews: p.reviews,
    workflow: p.workflow,
  };
  add(
    'POST /v1/applications/{id}/submit',
    'submit-application',
    async () => (await import('../functions/submit-application')).makeHandler(submitDeps),
    { pathParameters: appPath, headers: bearer },
    () => submitApplication(submitDeps, IDS.applicationId),
  );
  add(
    'POST /v1/applications/{id}/withdraw',
    'withdraw-application',
    async () => (await import('../functions/withdraw-application')).makeHandler(submitDeps),
    { pathParameters: appPath, headers: bearer },
    () => withdrawApplication(submitDeps, IDS.applicationId),
  );

  const tokenDeps = { applications: p.draftApplications, clock: fixedClock };
  add(
    'POST /v1/applications/{id}/access-token',
    'rotate-access-token',
    async () => (await import('../functions/rotate-access-token')).makeHandler(tokenDeps),
    { pathParameters: appPath, headers: bearer },
    async () => rotateAccessToken(tokenDeps, await p.draftApplications.get(IDS.applicationId).then(defined)),
  );
  add(
    'DELETE /v1/applications/{id}/access-token',
    'revoke-access-token',
    async () => (await import('../functions/revoke-access-token')).makeHandler(tokenDeps),
    { pathParameters: appPath, headers: bearer },
    async () => revokeAccessToken(tokenDeps, await p.draftApplications.get(IDS.applicationId).then(defined)),
  );
  const reissueTokenDeps = {
    applications: p.applications,
    merchants: p.merchants,
    mailer: p.mailer,
    clock: fixedClock,
  };
  add(
    'POST /v1/applications/{id}/access-token/reissue',
    'reissue-access-token',
    async () => (await import('../functions/reissue-access-token')).makeHandler(reissueTokenDeps),
    { pathParameters: appPath, claims: operatorClaims },
    () => reissueAccessToken(reissueTokenDeps, operator, IDS.applicationId),
  );

  // ---- Merchants and reviews ------------------------------------------------------------------
  const merchantDeps = {
    applications: p.applications,
    merchants: p.merchants,
    staffVerifier: p.staffVerifier,
  };
  add(
    'GET /v1/merchants/{merchantNo}',
    'get-merchant',
    async () => (await import('../functions/get-merchant')).makeHandler(merchantDeps),
    { pathParameters: { merchantNo: IDS.merchantNo }, headers: bearer },
    () => getMerchant(merchantDeps, IDS.merchantNo),
  );
  const query = { status: 'PENDING', limit: '20' };
  add(
    'GET /v1/reviews',
    'list-reviews',
    async () => (await import('../functions/list-reviews')).makeHandler({ reviews: p.reviews }),
    { query, claims: reviewerClaims },
    () => listReviews({ reviews: p.reviews }, query),
  );
  const reviewDeps = {
    reviews: p.reviews,
    applications: p.applications,
    changeRequests: p.changeRequests,
    merchants: p.merchants,
    transfers: p.transfers,
  };
  add(
    'GET /v1/reviews/{taskId}',
    'get-review',
    async () => (await import('../functions/get-review')).makeHandler(reviewDeps),
    { pathParameters: { taskId: IDS.taskId }, claims: reviewerClaims },
    () => getReview(reviewDeps, IDS.taskId),
  );
  const decideDeps = {
    reviews: p.reviews,
    applications: p.applications,
    workflow: p.workflow,
    clock: fixedClock,
    // The measured decision names no fee plan: the repository is never read.
    feePlans: {} as FeePlanRepository,
  };
  const decision = { decision: 'APPROVE', checks: { phoneCallback: { done: true, notes: '已电话回访' } } };
  add(
    'POST /v1/reviews/{taskId}/decision',
    'decide-review',
    async () => (await import('../functions/decide-review')).makeHandler(decideDeps),
    { pathParameters: { taskId: IDS.taskId }, claims: reviewerClaims, body: decision },
    () => decideReview(decideDeps, reviewer, IDS.taskId, decision),
  );

  // ---- Terminals ------------------------------------------------------------------------------
  const inStock = { terminals: await terminals('IN_STOCK'), clock: fixedClock };
  const bound = await terminals('BOUND');
  const registerBody = { terminals: [{ serialNumber: IDS.serialNumber, model: 'A8' }] };
  add(
    'POST /v1/terminals',
    'register-terminals',
    async () => (await import('../functions/register-terminals')).makeHandler(inStock),
    { claims: operatorClaims, body: registerBody },
    () => registerTerminals(inStock, operator, registerBody),
  );
  const boundDeps = { terminals: bound, clock: fixedClock };
  const snPath = { sn: IDS.serialNumber };
  add(
    'GET /v1/terminals/{sn}',
    'get-terminal',
    async () => (await import('../functions/get-terminal')).makeHandler(boundDeps),
    { pathParameters: snPath, claims: operatorClaims },
    () => getTerminal(boundDeps, IDS.serialNumber),
  );
  const smsDeps = {
    merchants: p.merchants,
    hasher: benchHasher,
    sends: p.sends,
    suppressions: p.suppressions,
    sendQuota: p.sendQuota,
    sms: p.sms,
    clock: fixedClock,
    config: messagingConfig(),
  };
  const bindDeps = { ...smsDeps, terminals: inStock.terminals };
  const bindBody = { merchantNo: IDS.merchantNo };
  add(
    'POST /v1/terminals/{sn}/bind',
    'bind-terminal',
    async () => (await import('../functions/bind-terminal')).makeHandler(bindDeps),
    { pathParameters: snPath, claims: operatorClaims, body: bindBody },
    () => bindTerminal(bindDeps, operator, IDS.serialNumber, bindBody),
  );
  const unbindBody = { reason: '商户退机' };
  add(
    'POST /v1/terminals/{sn}/unbind',
    'unbind-terminal',
    async () => (await import('../functions/unbind-terminal')).makeHandler(boundDeps),
    { pathParameters: snPath, claims: operatorClaims, body: unbindBody },
    () => unbindTerminal(boundDeps, operator, IDS.serialNumber, unbindBody),
  );
  const reissueDeps = { ...smsDeps, terminals: bound };
  add(
    'POST /v1/terminals/{sn}/activation-code',
    'reissue-activation-code',
    async () => (await import('../functions/reissue-activation-code')).makeHandler(reissueDeps),
    { pathParameters: snPath, claims: operatorClaims },
    () => reissueActivationCode(reissueDeps, operator, IDS.serialNumber),
  );
  const activateDeps = {
    applications: p.applications,
    terminals: bound,
    hasher: benchHasher,
    clock: fixedClock,
    // A merchant that signed its agreement: the gate's one read, then the code.
    agreements: {
      head: async () => ({
        merchantNo: IDS.merchantNo,
        latestVersion: 1,
        signedVersion: 1,
        latestSource: 'PROVISIONED',
      }),
    },
  };
  const activateBody = { activationCode: IDS.activationCode };
  add(
    'POST /v1/terminals/{sn}/activate',
    'activate-terminal',
    async () => (await import('../functions/activate-terminal')).makeHandler(activateDeps),
    { pathParameters: snPath, headers: bearer, body: activateBody },
    () => activateTerminal(activateDeps, IDS.merchantNo, IDS.serialNumber, activateBody),
  );
  const testDeps = {
    applications: p.applications,
    terminals: await terminals('ACTIVATED'),
    paymentHost: new SimulatedPaymentHost(),
    clock: fixedClock,
  };
  add(
    'POST /v1/terminals/{sn}/test-transaction',
    'run-test-transaction',
    async () => (await import('../functions/run-test-transaction')).makeHandler(testDeps),
    { pathParameters: snPath, headers: bearer },
    () => runTestTransaction(testDeps, IDS.merchantNo, IDS.serialNumber),
  );

  // ---- Transfers ------------------------------------------------------------------------------
  const transferDeps = {
    applications: p.applications,
    transfers: p.transfers,
    terminals: bound,
    merchants: p.merchants,
    reviews: p.reviews,
    workflow: p.workflow,
    staffVerifier: p.staffVerifier,
    clock: fixedClock,
    deadlines: DEADLINES,
  };
  const transferBody = { toMerchantNo: IDS.otherMerchantNo, reason: '门店转让' };
  add(
    'POST /v1/terminals/{sn}/transfer-requests',
    'create-transfer-request',
    async () => (await import('../functions/create-transfer-request')).makeHandler(transferDeps),
    { pathParameters: snPath, headers: bearer, body: transferBody },
    () => createTransferRequest(transferDeps, IDS.merchantNo, IDS.serialNumber, transferBody),
  );
  const transferPath = { id: IDS.transferRequestId };
  add(
    'GET /v1/transfer-requests/{id}',
    'get-transfer-request',
    async () => (await import('../functions/get-transfer-request')).makeHandler(transferDeps),
    { pathParameters: transferPath, headers: bearer },
    () => getTransferRequest(transferDeps, merchant, IDS.transferRequestId),
  );
  // The receiver accepts with its own token.
  const receiverBearer = { Authorization: `Bearer ${merchantToken(IDS.otherApplicationId)}` };
  // Hashed once, like the stored hash it stands for: only the handler's guard reads it, so work
  // done here per call would be counted as the handler's overhead.
  const receiverTokenHash = sha256Hex(merchantToken(IDS.otherApplicationId));
  const receiverApplications = fake<ApplicationRepository>('applications', {
    tokenHashOf: async () => ({ tokenHash: receiverTokenHash, merchantNo: IDS.otherMerchantNo }),
  });
  const acceptDeps = { ...transferDeps, applications: receiverApplications };
  add(
    'POST /v1/transfer-requests/{id}/accept',
    'accept-transfer-request',
    async () => (await import('../functions/accept-transfer-request')).makeHandler(acceptDeps),
    { pathParameters: transferPath, headers: receiverBearer },
    () => acceptTransferRequest(acceptDeps, IDS.otherMerchantNo, IDS.transferRequestId),
  );
  const cancelReviews = fake<ReviewTaskRepository>('reviews', { get: async () => undefined });
  const cancelTransferDeps = { ...transferDeps, reviews: cancelReviews };
  add(
    'POST /v1/transfer-requests/{id}/cancel',
    'cancel-transfer-request',
    async () => (await import('../functions/cancel-transfer-request')).makeHandler(cancelTransferDeps),
    { pathParameters: transferPath, headers: bearer },
    () => cancelTransferRequest(cancelTransferDeps, IDS.merchantNo, IDS.transferRequestId),
  );

  // ---- Change requests ------------------------------------------------------------------------
  const changeDeps = {
    applications: p.applications,
    changeRequests: p.changeRequests,
    merchants: p.merchants,
    reviews: p.reviews,
    workflow: p.workflow,
    staffVerifier: p.staffVerifier,
    clock: fixedClock,
    deadlines: DEADLINES,
  };
  const changeBody = changeRequestBody();
  const merchantPath = { merchantNo: IDS.merchantNo };
  add(
    'POST /v1/merchants/{merchantNo}/change-requests',
    'create-change-request',
    async () => (await import('../functions/create-change-request')).makeHandler(changeDeps),
    {
      pathParameters: merchantPath,
      headers: { ...bearer, 'Idempotency-Key': 'bench-change-0001' },
      body: changeBody,
    },
    () =>
      createChangeRequest(changeDeps, IDS.merchantNo, {
        idempotencyKey: 'bench-change-0001',
        body: changeBody,
      }),
  );
  const changePath = { ...merchantPath, id: IDS.changeRequestId };
  add(
    'GET /v1/merchants/{merchantNo}/change-requests/{id}',
    'get-change-request',
    async () => (await import('../functions/get-change-request')).makeHandler(changeDeps),
    { pathParameters: changePath, headers: bearer },
    () => getChangeRequest(changeDeps, IDS.merchantNo, IDS.changeRequestId),
  );
  add(
    'POST /v1/merchants/{merchantNo}/change-requests/{id}/cancel',
    'cancel-change-request',
    async () => (await import('../functions/cancel-change-request')).makeHandler(changeDeps),
    { pathParameters: changePath, headers: bearer },
    () => cancelChangeRequest(changeDeps, IDS.merchantNo, IDS.changeRequestId),
  );
  add(
    'GET /v1/merchants/{merchantNo}/versions',
    'list-merchant-versions',
    async () => (await import('../functions/list-merchant-versions')).makeHandler(changeDeps),
    { pathParameters: merchantPath, claims: reviewerClaims },
    () => listMerchantVersions(changeDeps, IDS.merchantNo),
  );

  // ---- Contacts and sessions ------------------------------------------------------------------
  const unverified = unverifiedDraft();
  const unverifiedApplications = fake<ApplicationRepository>('applications', {
    get: async () => unverified,
    getIfTokenAccepted: async (_id, accepts) => (accepts(unverified.tokenHash) ? unverified : undefined),
    forgetReplayableToken: async () => undefined,
    save: async () => undefined,
  });
  const verification = {
    applications: unverifiedApplications,
    hasher: benchHasher,
    sends: p.sends,
    suppressions: p.suppressions,
    sendQuota: p.sendQuota,
    sms: p.sms,
    mailer: p.mailer,
    clock: fixedClock,
    deadlines: DEADLINES,
    config: messagingConfig(),
  };
  const requestDeps = { ...verification, codes: issuingCodes() };
  const emailBody = { channel: 'EMAIL' };
  add(
    'POST /v1/applications/{id}/verifications',
    'request-verification',
    async () => (await import('../functions/request-verification')).makeHandler(requestDeps),
    { pathParameters: appPath, headers: bearer, body: emailBody },
    () => requestVerification(requestDeps, unverified, emailBody),
  );
  const emailCode = await liveCode({
    purpose: CONTACT_VERIFICATION,
    subject: IDS.applicationId,
    channel: 'EMAIL',
    address: contactAddress(unverified, 'EMAIL'),
  });
  const confirmDeps = { ...verification, codes: emailCode.codes };
  const confirmBody = { channel: 'EMAIL', code: emailCode.code };
  add(
    'POST /v1/applications/{id}/verifications/confirm',
    'confirm-verification',
    async () => (await import('../functions/confirm-verification')).makeHandler(confirmDeps),
    { pathParameters: appPath, headers: bearer, body: confirmBody },
    () => confirmVerification(confirmDeps, unverified, confirmBody),
  );
  // Sign-in is public: the application's verified contact phone gets the code.
  const sessionDeps = { ...smsDeps, applications: p.applications, codes: issuingCodes() };
  add(
    'POST /v1/applications/{id}/sessions',
    'start-session',
    async () => (await import('../functions/start-session')).makeHandler(sessionDeps),
    { pathParameters: appPath },
    () => startSession(sessionDeps, IDS.applicationId),
  );
  const sessionCode = await liveCode({
    purpose: SESSION,
    subject: IDS.applicationId,
    channel: 'SMS',
    address: contactAddress(await p.applications.get(IDS.applicationId).then(defined), 'SMS'),
  });
  const confirmSessionDeps = { ...sessionDeps, codes: sessionCode.codes };
  const sessionBody = { code: sessionCode.code };
  add(
    'POST /v1/applications/{id}/sessions/confirm',
    'confirm-session',
    async () => (await import('../functions/confirm-session')).makeHandler(confirmSessionDeps),
    { pathParameters: appPath, body: sessionBody },
    () => confirmSession(confirmSessionDeps, IDS.applicationId, sessionBody),
  );

  // ---- Review claims, documents and the supervisor view ---------------------------------------
  const claimDeps = {
    reviews: fake<ReviewTaskRepository>('reviews', { claim: async () => claimedTask() }),
    clock: fixedClock,
    claimSeconds: 900,
  };
  const taskPath = { taskId: IDS.taskId };
  add(
    'POST /v1/reviews/{taskId}/claim',
    'claim-review',
    async () => (await import('../functions/claim-review')).makeHandler(claimDeps),
    { pathParameters: taskPath, claims: reviewerClaims },
    () => claimReview(claimDeps, reviewer, IDS.taskId, undefined),
  );
  const revealDeps = {
    reviews: fake<ReviewTaskRepository>('reviews', {
      get: async () => claimedTask(),
      recordReveal: async () => true,
    }),
    phones: fake<CallbackPhones>('phones', {
      of: async () => ({ of: 'application', id: IDS.applicationId, phone: unverified.body.contact.phone }),
    }),
    clock: fixedClock,
  };
  const revealBody = { field: 'contact.phone' };
  add(
    'POST /v1/reviews/{taskId}/reveal',
    'reveal-review-field',
    async () => (await import('../functions/reveal-review-field')).makeHandler(revealDeps),
    { pathParameters: taskPath, claims: reviewerClaims, body: revealBody },
    () => revealField(revealDeps, reviewer, IDS.taskId, revealBody),
  );
  const submitted = submittedApplication();
  const documentsDeps = {
    reviews: p.reviews,
    applications: fake<ApplicationRepository>('applications', { get: async () => submitted }),
    storage: {
      ...p.storage,
      presignDownload: async (input: { objectKey: string }) =>
        `https://bench-documents.s3.us-east-1.amazonaws.com/${input.objectKey}?X-Amz-Signature=bench`,
    },
    clock: fixedClock,
  };
  add(
    'GET /v1/reviews/{taskId}/documents',
    'get-review-documents',
    async () => (await import('../functions/get-review-documents')).makeHandler(documentsDeps),
    { pathParameters: taskPath, claims: reviewerClaims },
    () => getReviewDocuments(documentsDeps, IDS.taskId),
  );
  const statsDeps = {
    stats: fake<ReviewStatsReader>('stats', { read: async () => reviewCounters() }),
    clock: fixedClock,
  };
  add(
    'GET /v1/reviews/stats',
    'get-review-stats',
    async () => (await import('../functions/get-review-stats')).makeHandler(statsDeps),
    { claims: reviewerClaims },
    () => reviewStats(statsDeps, {}),
  );

  // ---- Webhooks -------------------------------------------------------------------------------
  // Built once: the use cases only read them, and twenty fresh ULIDs a call would cost more than the route.
  const deliveries = webhookDeliveries();
  const webhooks = fake<WebhookRepository>('webhooks', {
    listEndpoints: async () => [webhookEndpoint()],
    createEndpoint: async () => undefined,
    deleteEndpoint: async () => true,
    rotateSecret: async () => webhookEndpoint(),
    listDeliveries: async () => ({ items: deliveries, nextCursor: IDS.eventId }),
    getEvent: async () => ({ event: domainEvent(), endpointIds: [IDS.endpointId] }),
    createDelivery: async () => undefined,
  });
  const webhookDeps = {
    webhooks,
    queue: fake<DeliveryQueue>('queue', { send: async () => undefined }),
    clock: fixedClock,
    config: readWebhookConfig(),
  };
  const endpointBody = { url: 'https://hooks.example.com/pos-events', events: ['application.approved'] };
  add(
    'POST /v1/webhook-endpoints',
    'create-webhook-endpoint',
    async () => (await import('../functions/create-webhook-endpoint')).makeHandler(webhookDeps),
    { claims: operatorClaims, body: endpointBody },
    () => createWebhookEndpoint(webhookDeps, operator, endpointBody),
  );
  add(
    'GET /v1/webhook-endpoints',
    'list-webhook-endpoints',
    async () => (await import('../functions/list-webhook-endpoints')).makeHandler(webhookDeps),
    { claims: operatorClaims },
    () => listWebhookEndpoints(webhookDeps),
  );
  const endpointPath = { id: IDS.endpointId };
  add(
    'DELETE /v1/webhook-endpoints/{id}',
    'delete-webhook-endpoint',
    async () => (await import('../functions/delete-webhook-endpoint')).makeHandler(webhookDeps),
    { pathParameters: endpointPath, claims: operatorClaims },
    () => deleteWebhookEndpoint(webhookDeps, IDS.endpointId),
  );
  add(
    'POST /v1/webhook-endpoints/{id}/secret',
    'rotate-webhook-secret',
    async () => (await import('../functions/rotate-webhook-secret')).makeHandler(webhookDeps),
    { pathParameters: endpointPath, claims: operatorClaims },
    () => rotateWebhookSecret(webhookDeps, IDS.endpointId),
  );
  const deliveriesQuery = { limit: '20' };
  add(
    'GET /v1/webhook-endpoints/{id}/deliveries',
    'list-webhook-deliveries',
    async () => (await import('../functions/list-webhook-deliveries')).makeHandler(webhookDeps),
    { pathParameters: endpointPath, claims: operatorClaims, query: deliveriesQuery },
    () => listWebhookDeliveries(webhookDeps, IDS.endpointId, deliveriesQuery),
  );
  add(
    'POST /v1/events/{eventId}/redeliver',
    'redeliver-event',
    async () => (await import('../functions/redeliver-event')).makeHandler(webhookDeps),
    { pathParameters: { eventId: IDS.eventId }, claims: operatorClaims },
    () => redeliverEvent(webhookDeps, IDS.eventId),
  );

  // ---- Daily checks: limits and summaries -----------------------------------------------------
  const profile = merchantRecord();
  const summaries = dailySummaries();
  const limitDeps = {
    store: fake<DailyCheckStore>('dailyChecks', {
      merchantProfile: async () => ({
        merchantNo: profile.merchantNo,
        type: profile.type,
        status: profile.status,
        divisionCode: profile.business.address.divisionCode,
        locale: profile.locale,
        contact: { email: profile.contact.email, phone: profile.contact.phone },
      }),
      storedLimits: async () => undefined,
      day: async () => emptyCounters(),
      month: async () => emptyCounters(),
      putLimits: async () => true,
      openLimitRequest: async () => true,
      summaries: async () => summaries,
      limitAudit: async () => ({
        items: [
          {
            at: fixedClock.now().toISOString(),
            actor: 'staff:op-1',
            reason: '商户经营规模扩大',
            source: 'OPERATOR',
            version: 1,
            fields: ['limits.DEBIT'],
            limits: { DEBIT: { perTransactionFen: 500_000, dailyFen: 2_000_000, monthlyFen: 20_000_000 } },
          },
        ],
      }),
    }),
    clock: fixedClock,
    settings: dailyChecksSettings(),
    deadlines: DEADLINES,
  };
  const merchantGuardDeps = { ...limitDeps, applications: p.applications, staffVerifier: p.staffVerifier };
  add(
    'GET /v1/merchants/{merchantNo}/limits',
    'get-limits',
    async () => (await import('../functions/get-limits')).makeHandler(merchantGuardDeps),
    { pathParameters: merchantPath, headers: bearer },
    () => getLimits(limitDeps, IDS.merchantNo),
  );
  const defaults = limitDeps.settings.defaultLimits[profile.type].DEBIT;
  const limitsBody = {
    limits: { DEBIT: { ...defaults, dailyFen: defaults.dailyFen * 2 } },
    reason: '商户经营规模扩大',
    expectedVersion: 0,
  };
  add(
    'PUT /v1/merchants/{merchantNo}/limits',
    'put-limits',
    async () => (await import('../functions/put-limits')).makeHandler(limitDeps),
    { pathParameters: merchantPath, claims: operatorClaims, body: limitsBody },
    () => putLimits(limitDeps, operator.sub, IDS.merchantNo, limitsBody),
  );
  add(
    'GET /v1/merchants/{merchantNo}/limit-audit',
    'get-limit-audit',
    async () => (await import('../functions/get-limit-audit')).makeHandler(limitDeps),
    { pathParameters: merchantPath, claims: operatorClaims },
    () => listLimitAudit(limitDeps, IDS.merchantNo, {}),
  );
  const limitRequestBody = {
    cardType: 'DEBIT',
    dailyFen: defaults.dailyFen * 2,
    monthlyFen: defaults.monthlyFen * 2,
    reason: '节假日客流增加',
  };
  add(
    'POST /v1/merchants/{merchantNo}/limit-requests',
    'create-limit-request',
    async () => (await import('../functions/create-limit-request')).makeHandler(merchantGuardDeps),
    { pathParameters: merchantPath, headers: bearer, body: limitRequestBody },
    () => requestLimitIncrease(limitDeps, IDS.merchantNo, limitRequestBody),
  );
  const summariesQuery = { from: summaries[0]?.day ?? '', to: summaries.at(-1)?.day ?? '' };
  add(
    'GET /v1/merchants/{merchantNo}/daily-summaries',
    'get-daily-summaries',
    async () => (await import('../functions/get-daily-summaries')).makeHandler(merchantGuardDeps),
    { pathParameters: merchantPath, headers: bearer, query: summariesQuery },
    () => listDailySummaries(limitDeps, IDS.merchantNo, summariesQuery),
  );

  // ---- Fee plans and agreements ---------------------------------------------------------------
  const feePlanDeps = {
    feePlans: fake<FeePlanRepository>('feePlans', {
      current: async () => feePlan(),
      listCurrent: async () => feePlans(),
      publish: async () => true,
    }),
    clock: fixedClock,
  };
  const { createdAt: _createdAt, createdBy: _createdBy, version: _version, ...planBody } = feePlan();
  add(
    'POST /v1/fee-plans',
    'create-fee-plan',
    async () => (await import('../functions/create-fee-plan')).makeHandler(feePlanDeps),
    { claims: operatorClaims, body: planBody },
    () => createFeePlan(feePlanDeps, operator, planBody),
  );
  add(
    'GET /v1/fee-plans',
    'list-fee-plans',
    async () => (await import('../functions/list-fee-plans')).makeHandler(feePlanDeps),
    { claims: operatorClaims },
    () => listFeePlans(feePlanDeps),
  );
  const waiting = agreementRecord();
  const signed = signedAgreement();
  const agreements = fake<AgreementRepository>('agreements', {
    head: async () => ({
      merchantNo: IDS.merchantNo,
      latestVersion: 2,
      signedVersion: 1,
      latestSource: waiting.source,
    }),
    latest: async () => waiting,
    get: async (_merchantNo, version) => (version === 1 ? signed : waiting),
    add: async () => true,
    sign: async () => true,
  });
  // The merchant moves to the plan's version 2 from the default it was provisioned with.
  const feePlanChangeDeps = {
    ...feePlanDeps,
    agreements: fake<AgreementRepository>('agreements', {
      head: async () => ({
        merchantNo: IDS.merchantNo,
        latestVersion: 1,
        signedVersion: 1,
        latestSource: 'PROVISIONED',
      }),
      add: async () => true,
    }),
    merchants: p.merchants,
    agreementWorkflow: p.workflow,
  };
  const feePlanChange = { feePlanCode: IDS.feePlanCode, reason: '商户申请更低费率' };
  add(
    'POST /v1/merchants/{merchantNo}/fee-plan',
    'change-merchant-fee-plan',
    async () => (await import('../functions/change-merchant-fee-plan')).makeHandler(feePlanChangeDeps),
    { pathParameters: merchantPath, claims: operatorClaims, body: feePlanChange },
    () => changeMerchantFeePlan(feePlanChangeDeps, operator, IDS.merchantNo, feePlanChange),
  );
  const agreementDeps = {
    applications: p.applications,
    agreements,
    downloads: {
      presignRendered: async (objectKey: string) =>
        `https://bench-documents.s3.us-east-1.amazonaws.com/${objectKey}?X-Amz-Signature=bench`,
    },
    staffVerifier: p.staffVerifier,
  };
  add(
    'GET /v1/merchants/{merchantNo}/agreement',
    'get-agreement',
    async () => (await import('../functions/get-agreement')).makeHandler(agreementDeps),
    { pathParameters: merchantPath, headers: bearer },
    () => getAgreement(agreementDeps, IDS.merchantNo, 'merchant'),
  );
  const signer = await p.applications.signerOf(IDS.applicationId).then(defined);
  const signatureDeps = { ...smsDeps, agreements, applications: p.applications, codes: issuingCodes() };
  add(
    'POST /v1/merchants/{merchantNo}/agreement/signature-codes',
    'request-signature-code',
    async () => (await import('../functions/request-signature-code')).makeHandler(signatureDeps),
    { pathParameters: merchantPath, headers: bearer },
    () => requestSignatureCode(signatureDeps, merchant),
  );
  const signatureCode = await liveCode(signatureCodeTarget(waiting.agreementId, signer.phone));
  const signDeps = {
    agreements,
    applications: p.applications,
    codes: signatureCode.codes,
    hasher: benchHasher,
    clock: fixedClock,
    files: fake<AgreementFiles>('files', {
      getRendered: async () => AGREEMENT_PDF,
      archive: async () => undefined,
    }),
  };
  const signBody = {
    agreementId: waiting.agreementId,
    sha256: defined(waiting.document).sha256,
    code: signatureCode.code,
  };
  const evidence = { sourceIp: '203.0.113.10', userAgent: 'okhttp/4.12.0' };
  add(
    'POST /v1/merchants/{merchantNo}/agreement/sign',
    'sign-agreement',
    async () => (await import('../functions/sign-agreement')).makeHandler(signDeps),
    { pathParameters: merchantPath, headers: bearer, body: signBody },
    () => signAgreement(signDeps, merchant, signBody, evidence),
  );

  // ---- The API's own document -----------------------------------------------------------------
  const openapi = (await import('../shared/openapi/openapi.json', { with: { type: 'json' } })).default;
  add(
    'GET /v1/openapi.json',
    'get-openapi',
    async () => (await import('../functions/get-openapi')).handler,
    {},
    async () => ({
      statusCode: 200,
      body: openapi,
    }),
  );
  const cases: RouteCase[] = [];
  for (const { load, ...routeCase } of pending) cases.push({ ...routeCase, handler: await load() });
  return cases;
}

/** A code store that issues every code it is asked for (the hour's limit never reached). */
function issuingCodes(): OneTimeCodeStore {
  return fake<OneTimeCodeStore>('codes', { issue: async () => ({ issued: true }) });
}

/**
 * A code store holding one live code of `target`, issued here through the real issuing path (so
 * its keyed hash is the one confirming computes): the code a request presents, and the store
 * that answers every attempt with that code's hash and uses it up each time.
 */
async function liveCode(target: OneTimeCodeTarget): Promise<{ code: string; codes: OneTimeCodeStore }> {
  let stored: NewCode | undefined;
  const issuing = fake<OneTimeCodeStore>('codes', {
    issue: async (_key, code) => {
      stored = code;
      return { issued: true };
    },
  });
  const { code } = await issueOneTimeCode({ codes: issuing, hasher: benchHasher, clock: fixedClock }, target);
  const { codeHash, issueId } = defined(stored);
  const codes = fake<OneTimeCodeStore>('codes', {
    reserveAttempt: async () => ({ codeHash, issueId, attempts: 1 }),
    consume: async () => true,
  });
  return { code, codes };
}

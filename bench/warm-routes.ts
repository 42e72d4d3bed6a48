import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { reissueAccessToken, revokeAccessToken, rotateAccessToken } from '../shared/access-tokens/requests';
import { SimulatedPaymentHost } from '../shared/adapters/payment-host-simulator';
import type { MerchantPrincipal, StaffPrincipal } from '../shared/auth/principals';
import { sha256Hex } from '../shared/auth/tokens';
import {
  cancelChangeRequest,
  createChangeRequest,
  getChangeRequest,
} from '../shared/change-requests/requests';
import { messagingConfig } from '../shared/composition';
import { getMerchant, listMerchantVersions } from '../shared/merchants/requests';
import {
  createApplication,
  createDocumentUpload,
  getApplication,
  submitApplication,
  updateApplication,
  withdrawApplication,
} from '../shared/onboarding/requests';
import type { Mailer, SmsSender, StaffTokenVerifier, WorkflowEngine } from '../shared/ports';
import type { FeePlanRepository } from '../shared/ports/agreements';
import type { ChangeRequestRepository } from '../shared/ports/change-requests';
import type { MerchantRepository, SendRecordRepository } from '../shared/ports/merchants';
import type { SendQuota, SuppressionList } from '../shared/ports/notifications';
import type { ApplicationRepository, ReviewTaskRepository } from '../shared/ports/repositories';
import type { TerminalRepository, TransferRepository } from '../shared/ports/terminals';
import { decideReview, getReview, listReviews } from '../shared/reviews/requests';
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
import { individualApplication } from '../test/support/fixtures';
import {
  apiEvent,
  benchHasher,
  changeRequestBody,
  changeRequestRecord,
  DEADLINES,
  draftApplication,
  fake,
  fixedClock,
  IDS,
  merchantRecord,
  merchantToken,
  merchantVersions,
  pendingTask,
  terminalHistory,
  terminalRecord,
  transferRecord,
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

/** Every API route with its handler, event and bare use case; keyed by `METHOD /path`. */
export async function routeCases(): Promise<RouteCase[]> {
  const p = ports();
  const token = merchantToken(IDS.applicationId);
  const bearer = { Authorization: `Bearer ${token}` };
  const cases: RouteCase[] = [];
  const add = (
    route: string,
    functionName: string,
    handler: RouteCase['handler'],
    event: Omit<Parameters<typeof apiEvent>[0], 'method' | 'resource'>,
    bare: () => Promise<unknown>,
  ) => {
    const [method = '', resource = ''] = route.split(' ');
    cases.push({ route, functionName, handler, event: apiEvent({ method, resource, ...event }), bare });
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
  add('GET /v1/health', 'health', (await import('../functions/health')).handler, {}, async () => ({
    statusCode: 200,
    body: { status: 'ok' },
  }));
  add(
    'POST /v1/applications',
    'create-application',
    (await import('../functions/create-application')).makeHandler(create),
    { body, headers: { 'Idempotency-Key': 'bench-key-0001' } },
    () => createApplication(create, { idempotencyKey: 'bench-key-0001', body }),
  );
  add(
    'PUT /v1/applications/{id}',
    'update-application',
    (await import('../functions/update-application')).makeHandler(draftDeps),
    { pathParameters: appPath, headers: bearer, body },
    () => updateApplication(draftDeps, IDS.applicationId, body),
  );
  add(
    'GET /v1/applications/{id}',
    'get-application',
    (await import('../functions/get-application')).makeHandler(draftDeps),
    { pathParameters: appPath, headers: bearer },
    () => getApplication(draftDeps, IDS.applicationId),
  );
  const documentBody = { kind: 'ID_CARD_FRONT', contentType: 'image/jpeg', sizeBytes: 2048 };
  add(
    'POST /v1/applications/{id}/documents',
    'create-document',
    (await import('../functions/create-document')).makeHandler(draftDeps),
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
    (await import('../functions/submit-application')).makeHandler(submitDeps),
    { pathParameters: appPath, headers: bearer },
    () => submitApplication(submitDeps, IDS.applicationId),
  );
  add(
    'POST /v1/applications/{id}/withdraw',
    'withdraw-application',
    (await import('../functions/withdraw-application')).makeHandler(submitDeps),
    { pathParameters: appPath, headers: bearer },
    () => withdrawApplication(submitDeps, IDS.applicationId),
  );

  const tokenDeps = { applications: p.draftApplications, clock: fixedClock };
  add(
    'POST /v1/applications/{id}/access-token',
    'rotate-access-token',
    (await import('../functions/rotate-access-token')).makeHandler(tokenDeps),
    { pathParameters: appPath, headers: bearer },
    async () => rotateAccessToken(tokenDeps, await p.draftApplications.get(IDS.applicationId).then(defined)),
  );
  add(
    'DELETE /v1/applications/{id}/access-token',
    'revoke-access-token',
    (await import('../functions/revoke-access-token')).makeHandler(tokenDeps),
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
    (await import('../functions/reissue-access-token')).makeHandler(reissueTokenDeps),
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
    (await import('../functions/get-merchant')).makeHandler(merchantDeps),
    { pathParameters: { merchantNo: IDS.merchantNo }, headers: bearer },
    () => getMerchant(merchantDeps, IDS.merchantNo),
  );
  const query = { status: 'PENDING', limit: '20' };
  add(
    'GET /v1/reviews',
    'list-reviews',
    (await import('../functions/list-reviews')).makeHandler({ reviews: p.reviews }),
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
    (await import('../functions/get-review')).makeHandler(reviewDeps),
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
    (await import('../functions/decide-review')).makeHandler(decideDeps),
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
    (await import('../functions/register-terminals')).makeHandler(inStock),
    { claims: operatorClaims, body: registerBody },
    () => registerTerminals(inStock, operator, registerBody),
  );
  const boundDeps = { terminals: bound, clock: fixedClock };
  const snPath = { sn: IDS.serialNumber };
  add(
    'GET /v1/terminals/{sn}',
    'get-terminal',
    (await import('../functions/get-terminal')).makeHandler(boundDeps),
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
    (await import('../functions/bind-terminal')).makeHandler(bindDeps),
    { pathParameters: snPath, claims: operatorClaims, body: bindBody },
    () => bindTerminal(bindDeps, operator, IDS.serialNumber, bindBody),
  );
  const unbindBody = { reason: '商户退机' };
  add(
    'POST /v1/terminals/{sn}/unbind',
    'unbind-terminal',
    (await import('../functions/unbind-terminal')).makeHandler(boundDeps),
    { pathParameters: snPath, claims: operatorClaims, body: unbindBody },
    () => unbindTerminal(boundDeps, operator, IDS.serialNumber, unbindBody),
  );
  const reissueDeps = { ...smsDeps, terminals: bound };
  add(
    'POST /v1/terminals/{sn}/activation-code',
    'reissue-activation-code',
    (await import('../functions/reissue-activation-code')).makeHandler(reissueDeps),
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
    (await import('../functions/activate-terminal')).makeHandler(activateDeps),
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
    (await import('../functions/run-test-transaction')).makeHandler(testDeps),
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
    (await import('../functions/create-transfer-request')).makeHandler(transferDeps),
    { pathParameters: snPath, headers: bearer, body: transferBody },
    () => createTransferRequest(transferDeps, IDS.merchantNo, IDS.serialNumber, transferBody),
  );
  const transferPath = { id: IDS.transferRequestId };
  add(
    'GET /v1/transfer-requests/{id}',
    'get-transfer-request',
    (await import('../functions/get-transfer-request')).makeHandler(transferDeps),
    { pathParameters: transferPath, headers: bearer },
    () => getTransferRequest(transferDeps, merchant, IDS.transferRequestId),
  );
  // The receiver accepts with its own token.
  const receiverBearer = { Authorization: `Bearer ${merchantToken(IDS.otherApplicationId)}` };
  const receiverApplications = fake<ApplicationRepository>('applications', {
    tokenHashOf: async () => ({
      tokenHash: sha256Hex(merchantToken(IDS.otherApplicationId)),
      merchantNo: IDS.otherMerchantNo,
    }),
  });
  const acceptDeps = { ...transferDeps, applications: receiverApplications };
  add(
    'POST /v1/transfer-requests/{id}/accept',
    'accept-transfer-request',
    (await import('../functions/accept-transfer-request')).makeHandler(acceptDeps),
    { pathParameters: transferPath, headers: receiverBearer },
    () => acceptTransferRequest(acceptDeps, IDS.otherMerchantNo, IDS.transferRequestId),
  );
  const cancelReviews = fake<ReviewTaskRepository>('reviews', { get: async () => undefined });
  const cancelTransferDeps = { ...transferDeps, reviews: cancelReviews };
  add(
    'POST /v1/transfer-requests/{id}/cancel',
    'cancel-transfer-request',
    (await import('../functions/cancel-transfer-request')).makeHandler(cancelTransferDeps),
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
    (await import('../functions/create-change-request')).makeHandler(changeDeps),
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
    (await import('../functions/get-change-request')).makeHandler(changeDeps),
    { pathParameters: changePath, headers: bearer },
    () => getChangeRequest(changeDeps, IDS.merchantNo, IDS.changeRequestId),
  );
  add(
    'POST /v1/merchants/{merchantNo}/change-requests/{id}/cancel',
    'cancel-change-request',
    (await import('../functions/cancel-change-request')).makeHandler(changeDeps),
    { pathParameters: changePath, headers: bearer },
    () => cancelChangeRequest(changeDeps, IDS.merchantNo, IDS.changeRequestId),
  );
  add(
    'GET /v1/merchants/{merchantNo}/versions',
    'list-merchant-versions',
    (await import('../functions/list-merchant-versions')).makeHandler(changeDeps),
    { pathParameters: merchantPath, claims: reviewerClaims },
    () => listMerchantVersions(changeDeps, IDS.merchantNo),
  );
  return cases;
}

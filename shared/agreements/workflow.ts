import { createHash } from 'node:crypto';
import type { MerchantRecord } from '../domain/merchant';
import { logger } from '../logger';
import {
  type AgreementTemplate,
  agreementPageUrl,
  renderAgreementEmail,
  renderAgreementSms,
} from '../notifications/agreement-templates';
import { sendOnce, throwIfAnyFailed, WORKFLOW_SEND_ATTEMPTS } from '../notifications/send-once';
import type { Clock, KeyedHasher, Mailer, SmsSender } from '../ports';
import type { AgreementFiles, AgreementRepository } from '../ports/agreements';
import type { MerchantRepository, SendRecordRepository } from '../ports/merchants';
import type { SendQuota, SuppressionList } from '../ports/notifications';
import type { ApplicationRepository } from '../ports/repositories';
import { provincePrefixes } from '../reference/divisions';
import { findMcc } from '../reference/mcc';
import { type AgreementRecord, agreementObjectKey } from './agreement';
import { type AgreementTaskInput, versionOf } from './process';
import type { AgreementContent } from './render';

/** What the agreement process's Tasks need (each function builds only what it uses). */
export interface AgreementWorkflowDeps {
  readonly agreements: AgreementRepository;
  readonly merchants: MerchantRepository;
  readonly applications: ApplicationRepository;
  readonly files: AgreementFiles;
  readonly render: (content: AgreementContent) => Promise<Uint8Array>;
  readonly sends: SendRecordRepository;
  readonly suppressions: SuppressionList;
  readonly sendQuota: SendQuota;
  readonly hasher: KeyedHasher;
  readonly mailer: Mailer;
  readonly sms: SmsSender;
  readonly clock: Clock;
  readonly config: {
    readonly acquirerCode: string;
    readonly smsSignature: string;
    readonly smsPerPhonePerHour: number;
    readonly emailPerAddressPerHour: number;
    readonly merchantPagesUrl: string;
  };
}

async function loadVersion(
  deps: Pick<AgreementWorkflowDeps, 'agreements'>,
  merchantNo: string,
  version: number,
) {
  const record = await deps.agreements.get(merchantNo, version);
  if (!record) throw new Error(`No agreement version ${version} of merchant ${merchantNo}`);
  return record;
}

async function loadMerchant(deps: Pick<AgreementWorkflowDeps, 'merchants'>, merchantNo: string) {
  const merchant = await deps.merchants.getMerchant(merchantNo);
  if (!merchant) throw new Error(`No merchant ${merchantNo}`);
  return merchant;
}

/** What the PDF of `record` says, from the merchant as it is now and its legal person. */
export function agreementContent(
  record: AgreementRecord,
  merchant: MerchantRecord,
  legalPersonName: string,
  acquirerCode: string,
): AgreementContent {
  const mcc = findMcc(merchant.business.mcc);
  const { divisionCode, detail } = merchant.business.address;
  const province = provincePrefixes()[divisionCode.slice(0, 2)] ?? '';
  return {
    agreementId: record.agreementId,
    version: record.version,
    locale: record.locale,
    createdAt: record.createdAt,
    acquirerCode,
    merchant: {
      merchantNo: merchant.merchantNo,
      businessName: merchant.business.name,
      type: merchant.type,
      mcc: merchant.business.mcc,
      mccDescription: (record.locale === 'en' ? mcc?.description : mcc?.descriptionZh) ?? '',
      address: `${province} ${detail}`.trim(),
      legalPersonName,
    },
    settlement: {
      cycle: record.settlementCycle,
      bankName: merchant.settlement.bankName,
      accountName: merchant.settlement.accountName,
      accountTail: merchant.settlement.accountNumber.slice(-4),
    },
    feePlan: record.feePlan,
  };
}

/**
 * Emails and texts the merchant's contact one agreement message, each at most once per version
 * (send records); a failed send with attempts left throws so the step is retried.
 */
/** What announcing and reminding need: no PDF, no application. */
type NotifyDeps = Omit<AgreementWorkflowDeps, 'files' | 'render' | 'applications'>;

async function notifyMerchant(
  deps: NotifyDeps,
  record: AgreementRecord,
  merchant: MerchantRecord,
  template: AgreementTemplate,
) {
  const values = {
    merchantNo: record.merchantNo,
    agreementId: record.agreementId,
    version: record.version,
    feePlan: record.feePlan,
    settlementCycle: record.settlementCycle,
    ...(agreementPageUrl(deps.config.merchantPagesUrl)
      ? { agreementUrl: agreementPageUrl(deps.config.merchantPagesUrl) }
      : {}),
  };
  const { contact } = merchant;
  const common = { subjectId: record.agreementId, template, maxAttempts: WORKFLOW_SEND_ATTEMPTS };
  const email = await sendOnce(deps, { ...common, channel: 'EMAIL', address: contact.email }, () =>
    deps.mailer.send({ to: [contact.email], ...renderAgreementEmail(template, record.locale, values) }),
  );
  const sms = await sendOnce(deps, { ...common, channel: 'SMS', address: contact.phone }, () => {
    const message = renderAgreementSms(template, record.locale, values, deps.config.smsSignature);
    return deps.sms.send({ to: contact.phone, body: message.body, templateId: message.templateId });
  });
  throwIfAnyFailed([email, sms]);
  return { email: email.result, sms: sms.result };
}

/**
 * RenderAgreement: renders the version's PDF once (deterministic, so a retry stores the same
 * bytes), stores it and records its sha256; a version after the first is then announced to the
 * merchant (the first is announced by the approval message). A version replaced before it was
 * rendered is left as it is.
 */
export async function renderAgreement(deps: AgreementWorkflowDeps, input: AgreementTaskInput) {
  const { merchantNo, version } = versionOf(input);
  let record = await loadVersion(deps, merchantNo, version);
  if (!record.document) {
    if (record.status === 'SUPERSEDED') return { skipped: record.status };
    const merchant = await loadMerchant(deps, merchantNo);
    const application = await deps.applications.get(merchant.applicationId);
    const content = agreementContent(
      record,
      merchant,
      application?.body.legalPerson.name ?? '',
      deps.config.acquirerCode,
    );
    const started = performance.now();
    const pdf = await deps.render(content);
    const renderMs = Math.round(performance.now() - started);
    const objectKey = agreementObjectKey(record.merchantNo, record.version);
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    await deps.files.putRendered(objectKey, pdf);
    record = await deps.agreements.setDocument(record.merchantNo, record.version, {
      objectKey,
      sha256,
      bytes: pdf.byteLength,
    });
    logger.info('agreement rendered', { agreementId: record.agreementId, bytes: pdf.byteLength, renderMs });
  }
  if (record.version > 1 && record.status === 'AWAITING_SIGNATURE') {
    const merchant = await loadMerchant(deps, merchantNo);
    return {
      sha256: record.document?.sha256,
      sent: await notifyMerchant(deps, record, merchant, 'AGREEMENT_UPDATED'),
    };
  }
  return { sha256: record.document?.sha256 };
}

/** RemindToSign: after the wait, a version still waiting for its signature is recalled once. */
export async function remindToSign(deps: NotifyDeps, input: AgreementTaskInput) {
  const { merchantNo, version } = versionOf(input);
  const record = await loadVersion(deps, merchantNo, version);
  if (record.status !== 'AWAITING_SIGNATURE') return { skipped: record.status };
  const merchant = await loadMerchant(deps, merchantNo);
  return { sent: await notifyMerchant(deps, record, merchant, 'AGREEMENT_REMINDER') };
}

/** RecordFailure: the failed step in the version's audit trail for operators; the execution then fails. */
export async function recordAgreementFailure(
  deps: Pick<AgreementWorkflowDeps, 'agreements' | 'clock'>,
  input: AgreementTaskInput,
) {
  const { merchantNo, version } = versionOf(input);
  const record = await loadVersion(deps, merchantNo, version);
  await deps.agreements.addEvent(merchantNo, version, {
    status: record.status,
    at: deps.clock.now().toISOString(),
    actor: 'system',
    action: `WORKFLOW_FAILED:${input.failure?.Error ?? 'Unknown'}`,
  });
  logger.error('agreement workflow failed', { agreementId: input.agreementId, error: input.failure?.Error });
  return { recorded: true };
}

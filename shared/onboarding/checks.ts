import type { ApplicationRecord, AutomatedCheck, Reason } from '../domain/application';
import type { RequiredCheck } from '../domain/review';
import { blocklistCandidates } from '../merchants/identities';
import type { Clock, DocumentInspector, KeyedHasher } from '../ports';
import type { ApplicationStore } from '../ports/repositories';
import type { TerminalReader } from '../ports/terminals';
import { findMcc } from '../reference/mcc';
import { mccRiskLevel } from '../reference/mcc-risk';
import { parseApplication } from '../validation/application-schema';
import { documentProblems } from './documents';

/*
 * The onboarding's rules for a submission: the automated checks of spec 5, and which checks a
 * reviewer must do before approving.
 */

/** Which checks a reviewer must do before approving (spec 4.2). */
export function requiredChecksFor(record: ApplicationRecord): RequiredCheck[] {
  const risk = mccRiskLevel(record.body.business.mcc);
  const site = record.body.type === 'ENTERPRISE' || risk === 'HIGH' || record.body.settlement.cycle === 'T0';
  return site ? ['phoneCallback', 'siteInspection'] : ['phoneCallback'];
}

/** The automated checks' results; any reason rejects the application automatically. */
export interface ChecksResult {
  readonly checks: AutomatedCheck[];
  readonly reasons: Reason[];
}

/** What the automated checks read (they write nothing). */
export interface ChecksDeps {
  readonly applications: ApplicationStore;
  readonly hasher: KeyedHasher;
  readonly storage: DocumentInspector;
  readonly terminals: TerminalReader;
  readonly clock: Clock;
}

/**
 * The automated checks of spec 5: validation again, duplicate merchant, blocklist, prohibited MCC
 * (these four reject automatically), required documents and terminal stock (shown to the reviewer).
 */
export async function evaluateChecks(deps: ChecksDeps, record: ApplicationRecord): Promise<ChecksResult> {
  const { applicationId } = record;
  const checks: AutomatedCheck[] = [];
  const reasons: Reason[] = [];
  const fail = (name: string, code: string, field: string, detail: string) => {
    checks.push({ name, result: 'FAIL', detail });
    reasons.push({ field, code, reason: detail });
  };

  try {
    parseApplication(record.body, deps.clock.now());
    checks.push({ name: 'validation', result: 'PASS', detail: 'All fields pass the intake rules' });
  } catch (error) {
    const fields = (error as { fields?: { field: string; code: string }[] }).fields ?? [];
    for (const f of fields) fail('validation', f.code, f.field, `Field ${f.field} fails rule ${f.code}`);
  }

  const holders = await Promise.all(record.uniquenessKeys.map((key) => deps.applications.markerHolder(key)));
  if (holders.every((holder) => holder?.applicationId === applicationId)) {
    checks.push({
      name: 'duplicateMerchant',
      result: 'PASS',
      detail: 'No other merchant with this licence or ID',
    });
  } else {
    fail(
      'duplicateMerchant',
      'DUPLICATE_MERCHANT',
      'business.licenseNumber',
      'A merchant with this licence or ID is active or pending',
    );
  }

  const candidates = await blocklistCandidates(record.body, deps.hasher);
  const blocked = await Promise.all(candidates.map((c) => deps.applications.isBlocked(c.kind, c.keyedHash)));
  const blockedKinds = candidates.filter((_, i) => blocked[i]).map((c) => c.kind);
  if (blockedKinds.length === 0)
    checks.push({ name: 'blocklist', result: 'PASS', detail: 'Not on the blocklist' });
  else fail('blocklist', 'BLOCKLISTED', 'legalPerson', `On the blocklist: ${blockedKinds.join(', ')}`);

  const mcc = findMcc(record.body.business.mcc);
  if (mcc?.riskLevel === 'PROHIBITED') {
    fail('mcc', 'MCC_PROHIBITED', 'business.mcc', `MCC ${mcc.mcc} (${mcc.description}) is prohibited`);
  } else {
    checks.push({
      name: 'mcc',
      result: mcc?.riskLevel === 'HIGH' ? 'WARN' : 'PASS',
      detail: `MCC ${record.body.business.mcc} risk ${mcc?.riskLevel ?? 'UNKNOWN'}`,
    });
  }

  const documents = await documentProblems(record, deps.storage);
  checks.push(
    documents.length === 0
      ? { name: 'documents', result: 'PASS', detail: 'All required documents are uploaded' }
      : {
          name: 'documents',
          result: 'FAIL',
          detail: `Problems: ${documents.map((d) => `${d.field} ${d.code}`).join(', ')}`,
        },
  );

  const sn = record.body.terminal?.serialNumber;
  if (sn) {
    const terminal = await deps.terminals.get(sn);
    checks.push(
      terminal?.status === 'IN_STOCK'
        ? { name: 'terminal', result: 'PASS', detail: `SN ${sn} is in stock and free` }
        : {
            name: 'terminal',
            result: 'FAIL',
            detail: `SN ${sn} is ${terminal ? terminal.status : 'not registered'}`,
          },
    );
  }
  return { checks, reasons };
}

import { readAgreementReminderSeconds } from '../config/env';
import type { WorkflowEngine } from '../ports';
import { processTask, type WorkflowFailure } from '../workflow-kit/task';
import { agreementIdOf, parseAgreementId } from './agreement';

/*
 * The agreement process's contract with its state machine (`workflow/agreement.asl.json`): one
 * execution per agreement version renders its PDF, tells the merchant (a version after the first),
 * waits, and reminds the merchant once if the version is still unsigned. Ids and waits only.
 */

/** The input of an agreement execution (its name is the agreement id, which names the merchant and version). */
export interface AgreementExecution {
  readonly agreementId: string;
  /** The wait of the ASL's `SecondsPath`. */
  readonly config: { readonly reminderSeconds: number };
}

/** The execution input of one agreement version. */
export function agreementExecution(agreementId: string, reminderSeconds: number): AgreementExecution {
  return { agreementId, config: { reminderSeconds } };
}

/** What the agreement ASL passes to its Task functions. */
export interface AgreementTaskInput {
  readonly agreementId: string;
  /** The caught error, for RecordFailure. */
  readonly failure?: WorkflowFailure;
}

/** The wrapper of every agreement Task function (logs the task and the agreement id). */
export const agreementTask = processTask<AgreementTaskInput>('agreementId');

/** The merchant and version of a Task's agreement id (a malformed id is a bug: the step fails). */
export function versionOf(input: AgreementTaskInput): { merchantNo: string; version: number } {
  const parsed = parseAgreementId(input.agreementId);
  if (!parsed) throw new Error('Not an agreement id');
  return parsed;
}

/** The reminder wait, read once per cold start of a function that starts agreement executions. */
let reminderSeconds: number | undefined;

/**
 * Starts the execution of one agreement version, idempotently by name: a retried step that
 * made the version starts it again without a second execution.
 */
export async function startAgreementProcess(
  deps: { agreementWorkflow: WorkflowEngine<AgreementExecution> },
  merchantNo: string,
  version: number,
): Promise<void> {
  reminderSeconds ??= readAgreementReminderSeconds();
  const agreementId = agreementIdOf(merchantNo, version);
  await deps.agreementWorkflow.start(agreementId, agreementExecution(agreementId, reminderSeconds));
}

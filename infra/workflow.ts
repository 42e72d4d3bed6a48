import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The workflow's Task functions (onboarding, terminal transfer, change request). The ASL definition in `workflow/onboarding.asl.json`
 * refers to each as `${<PascalName>Arn}`; CDK substitutes the deployed function ARN, the local
 * Step Functions endpoint substitutes a placeholder ARN and overrides each Task state by name so
 * that it calls the same handler module Lambda runs.
 */
export const WORKFLOW_FUNCTIONS = [
  'task-run-checks',
  'task-await-review',
  'task-escalate-review',
  'task-record-decision',
  'task-await-resubmission',
  'task-provision-merchant',
  'task-notify',
  'task-expire-application',
  'task-record-failure',
  // Terminal transfer between merchants (一机一码后更改商户).
  'task-transfer-await-acceptance',
  'task-transfer-await-review',
  'task-transfer-complete',
  'task-transfer-record-decision',
  'task-transfer-expire',
  'task-transfer-notify',
  // Merchant change requests (商户变更).
  'task-change-run-checks',
  'task-change-await-review',
  'task-change-apply',
  'task-change-record-decision',
  'task-change-expire',
  'task-change-notify',
] as const;

/** A Task function's file name under `functions/`. */
export type WorkflowFunctionName = (typeof WORKFLOW_FUNCTIONS)[number];

/** `task-run-checks` → `TaskRunChecksArn`: the substitution variable used in the ASL file. */
export function substitutionKey(functionName: string): string {
  return `${functionName
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}Arn`;
}

/** Absolute path of the ASL definition shared by CDK and the local stack. */
export const ONBOARDING_ASL_PATH = fileURLToPath(new URL('../workflow/onboarding.asl.json', import.meta.url));

/** The raw ASL text with `${...Arn}` placeholders. */
export function readOnboardingAsl(): string {
  return readFileSync(ONBOARDING_ASL_PATH, 'utf8');
}

/**
 * Replaces every `${Key}` placeholder with `values[Key]`; throws on a placeholder without a value,
 * so a renamed function can never deploy a definition with a dangling reference.
 */
export function substituteAsl(asl: string, values: Readonly<Record<string, string>>): string {
  return asl.replace(/\$\{([A-Za-z0-9]+)\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`No substitution for \${${key}} in the workflow definition`);
    return value;
  });
}

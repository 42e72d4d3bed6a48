import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkflowProcess } from '../shared/config/env';

/** A process that runs as a state machine of its own. */
export interface WorkflowProcessDefinition {
  /** The process, also the ASL file's name (`workflow/<name>.asl.json`). */
  readonly name: WorkflowProcess;
  /** Absolute path of the ASL definition shared by CDK and the local stack. */
  readonly aslPath: string;
  /**
   * Its Task functions (file names under `functions/`). The ASL refers to each as
   * `${<PascalName>Arn}`; CDK substitutes the deployed function ARN, the local Step Functions
   * endpoint a placeholder ARN that it maps back to the same handler module Lambda runs.
   */
  readonly taskFunctions: readonly string[];
}

const aslPathOf = (name: WorkflowProcess) =>
  fileURLToPath(new URL(`../workflow/${name}.asl.json`, import.meta.url));

/** Every process's state machine: one state machine per entry, in AWS and in `npm run dev`. */
export const WORKFLOW_PROCESSES: readonly WorkflowProcessDefinition[] = [
  {
    name: 'onboarding',
    aslPath: aslPathOf('onboarding'),
    taskFunctions: [
      'task-run-checks',
      'task-await-review',
      'task-escalate-review',
      'task-record-decision',
      'task-await-resubmission',
      'task-provision-merchant',
      'task-notify',
      'task-expire-application',
      'task-record-failure',
    ],
  },
  {
    // Terminal transfer between merchants (一机一码后更改商户).
    name: 'terminal-transfer',
    aslPath: aslPathOf('terminal-transfer'),
    taskFunctions: [
      'task-transfer-notify',
      'task-transfer-await-acceptance',
      'task-transfer-await-review',
      'task-transfer-escalate-review',
      'task-transfer-complete',
      'task-transfer-record-decision',
      'task-transfer-expire',
      'task-transfer-record-failure',
    ],
  },
  {
    // Merchant change requests (商户变更).
    name: 'change-request',
    aslPath: aslPathOf('change-request'),
    taskFunctions: [
      'task-change-run-checks',
      'task-change-await-review',
      'task-change-escalate-review',
      'task-change-apply',
      'task-change-record-decision',
      'task-change-expire',
      'task-change-notify',
      'task-change-record-failure',
    ],
  },
];

/** Every Task function of every process (each belongs to exactly one). */
export const WORKFLOW_FUNCTIONS: readonly string[] = WORKFLOW_PROCESSES.flatMap(
  (process) => process.taskFunctions,
);

/** `task-run-checks` → `TaskRunChecksArn`: the substitution variable used in the ASL files. */
export function substitutionKey(functionName: string): string {
  return `${functionName
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}Arn`;
}

/** A process's raw ASL text with `${...Arn}` placeholders. */
export function readAsl(process: WorkflowProcessDefinition): string {
  return readFileSync(process.aslPath, 'utf8');
}

/**
 * A process's definition with each of its Task functions' placeholders replaced by `arnOf(name)`.
 * Throws on a placeholder that is not one of the process's own Task functions, so a renamed
 * function, or one a process borrows from another, can never deploy a dangling reference.
 */
export function processDefinition(
  process: WorkflowProcessDefinition,
  arnOf: (functionName: string) => string,
): string {
  return substituteAsl(
    readAsl(process),
    Object.fromEntries(process.taskFunctions.map((name) => [substitutionKey(name), arnOf(name)])),
  );
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

import { stateMachineArnVariable } from '../config/env';
import type { ProcessName } from './types';

/** A workflow process: one state machine, defined by one ASL file shared by CDK and `npm run dev`. */
export interface ProcessDefinition {
  readonly name: ProcessName;
  /** The ASL file, relative to the repository root; it names each Task function `${<PascalName>Arn}`. */
  readonly aslPath: string;
  /** Environment variable that hands the state machine's ARN to the functions driving it. */
  readonly arnVariable: string;
}

/**
 * Every process. Adding one: its ASL file, an entry here, its name in `WORKFLOW_PROCESSES`
 * (shared/config/env.ts), and
 * `trigger: { kind: 'task', process }` on its Task functions' entries.
 */
export const PROCESSES: readonly ProcessDefinition[] = (
  [
    ['onboarding', 'workflow/onboarding.asl.json'],
    ['terminal-transfer', 'workflow/terminal-transfer.asl.json'],
    ['change-request', 'workflow/change-request.asl.json'],
    ['agreement', 'workflow/agreement.asl.json'],
  ] as const
).map(([name, aslPath]) => ({ name, aslPath, arnVariable: stateMachineArnVariable(name) }));

/** The definition of `process`. */
export function processNamed(process: ProcessName): ProcessDefinition {
  const definition = PROCESSES.find((candidate) => candidate.name === process);
  if (!definition) throw new Error(`No process ${process}`);
  return definition;
}

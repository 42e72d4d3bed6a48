import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { readStateMachineArn, type WorkflowProcess } from '../config/env';
import type { WorkflowControl, WorkflowEngine } from '../ports';

/** Running executions through Step Functions (AWS, or the local endpoint), whatever their state machine. */
export class SfnWorkflowControl implements WorkflowControl {
  constructor(protected readonly sfn: SFNClient) {}

  async resume(taskToken: string, output: unknown): Promise<boolean> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      return true;
    } catch (error) {
      if (
        error instanceof TaskDoesNotExist ||
        error instanceof InvalidToken ||
        error instanceof TaskTimedOut
      ) {
        return false;
      }
      throw error;
    }
  }

  async stop(executionArn: string, cause: string): Promise<void> {
    try {
      await this.sfn.send(new StopExecutionCommand({ executionArn, cause }));
    } catch (error) {
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
  }
}

/** One process's state machine through Step Functions: starts its executions. */
export class SfnWorkflowEngine<Input = unknown> extends SfnWorkflowControl implements WorkflowEngine<Input> {
  constructor(
    sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {
    super(sfn);
  }

  executionArnOf(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  async start(name: string, input: Input): Promise<string> {
    try {
      const out = await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return out.executionArn ?? '';
    } catch (error) {
      // Same name, other input: an earlier attempt started it; the execution name is its ARN's tail.
      if (error instanceof ExecutionAlreadyExists) return this.executionArnOf(name);
      throw error;
    }
  }
}

/** Control of running executions (resume a wait, stop an execution): no state machine ARN needed. */
export function workflowControlFromEnv(): SfnWorkflowControl {
  return new SfnWorkflowControl(new SFNClient({}));
}

/** The state machine of `process` in this deployment (its ARN from the environment). */
export function workflowFromEnv(process: WorkflowProcess): SfnWorkflowEngine {
  return new SfnWorkflowEngine(new SFNClient({}), readStateMachineArn(process));
}

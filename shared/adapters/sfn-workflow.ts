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
import { readStateMachineArn } from '../config/env';
import type { WorkflowEngine } from '../ports';

/** The onboarding state machine through Step Functions (AWS, or the local endpoint). */
export class SfnWorkflowEngine implements WorkflowEngine {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  executionArnOf(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  async start(name: string, input: unknown): Promise<string> {
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

/** The state machine of this deployment. */
export function workflowFromEnv(): SfnWorkflowEngine {
  return new SfnWorkflowEngine(new SFNClient({}), readStateMachineArn());
}

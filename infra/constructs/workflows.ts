import { Aws, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { readAsl, substituteAsl, substitutionKey } from '../../shared/manifest/asl';
import type { ProcessName } from '../../shared/manifest/types';
import { pascalCase } from './functions';
import { StackPart } from './stack-part';

/** One process to run: its ASL file and the Task functions the file names. */
export interface ProcessWorkflow {
  readonly name: ProcessName;
  /** The ASL file, relative to the repository root (shared with `npm run dev`). */
  readonly aslPath: string;
  /** File names of its Task functions; the ASL refers to each as `${<PascalName>Arn}`. */
  readonly taskFunctions: readonly string[];
}

export interface WorkflowsProps {
  readonly processes: readonly ProcessWorkflow[];
  /** The deployed ARN of a Task function. */
  readonly functionArnOf: (name: string) => string;
  readonly logsKey: kms.IKey;
  /** X-Ray tracing of the executions (the profile's). @default true */
  readonly tracing?: boolean;
}

/** Service integration ARNs of an ASL document, in the partition the stack deploys to. */
export function partitionAwareAsl(definition: string): string {
  return definition.replaceAll('"arn:aws:states:::', `"arn:${Aws.PARTITION}:states:::`);
}

/**
 * Construct ids from before processes were listed: kept, because the state machine and its log
 * group have fixed names, which CloudFormation cannot replace in place.
 */
const KEPT_IDS: Partial<Record<ProcessName, { readonly logGroup: string }>> = {
  onboarding: { logGroup: 'WorkflowLogGroup' },
};

/**
 * One STANDARD state machine per process, from the same ASL file as `npm run dev` (every `${…Arn}`
 * substituted with a Task function's ARN), with ALL logging but no execution data, and tracing.
 * Each has a fixed name, so that its ARN is known before it exists: the functions that start, stop
 * or answer it get that ARN without depending on the state machine, whose definition depends on
 * them.
 */
export class Workflows extends StackPart {
  readonly stateMachines: ReadonlyMap<ProcessName, sfn.StateMachine>;
  private readonly names = new Map<ProcessName, string>();

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const stateMachines = new Map<ProcessName, sfn.StateMachine>();
    for (const process of props.processes) {
      const pascal = pascalCase(process.name);
      const stateMachineName = `${stackName}-${pascal}`;
      this.names.set(process.name, stateMachineName);
      // substituteAsl throws on any placeholder without a value. The ASL names service
      // integrations in the global partition (`arn:aws:states:::lambda:invoke…`, as `npm run dev`
      // reads them); deployed, they name the partition of the stack (`arn:aws-cn:…` in China).
      const definition = partitionAwareAsl(
        substituteAsl(
          readAsl(process),
          Object.fromEntries(
            process.taskFunctions.map((name) => [substitutionKey(name), props.functionArnOf(name)]),
          ),
        ),
      );
      const logGroup = new logs.LogGroup(
        this,
        KEPT_IDS[process.name]?.logGroup ?? `${pascal}WorkflowLogGroup`,
        {
          // The vendedlogs prefix keeps the log group resource policy small (Step Functions docs).
          logGroupName: `/aws/vendedlogs/states/${stackName}-${process.name}`,
          retention: logs.RetentionDays.THREE_MONTHS,
          encryptionKey: props.logsKey,
          removalPolicy: RemovalPolicy.DESTROY,
        },
      );
      const stateMachine = new sfn.StateMachine(this, `${pascal}StateMachine`, {
        stateMachineName,
        stateMachineType: sfn.StateMachineType.STANDARD,
        definitionBody: sfn.DefinitionBody.fromString(definition),
        tracingEnabled: props.tracing ?? true,
        logs: {
          destination: logGroup,
          level: sfn.LogLevel.ALL,
          // Every event is logged, but without state inputs/outputs: those carry merchants'
          // personal data (names, phones, ID numbers), which must never reach the logs.
          includeExecutionData: false,
        },
      });
      stateMachine.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: process.taskFunctions.map((name) => props.functionArnOf(name)),
        }),
      );
      const policy = stateMachine.role.node.tryFindChild('DefaultPolicy');
      if (policy) {
        Validations.of(policy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'Only the actions Step Functions needs for CloudWatch Logs delivery (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray tracing use Resource "*"; none of them supports resource-level permissions. lambda:InvokeFunction names each task function.',
        });
      }
      stateMachines.set(process.name, stateMachine);
    }
    this.stateMachines = stateMachines;
  }

  /** The fixed name of a process's state machine. */
  stateMachineNameOf(process: ProcessName): string {
    const name = this.names.get(process);
    if (!name) throw new Error(`No state machine for process ${process}`);
    return name;
  }

  /** The ARN of a process's state machine, built from its name (no reference to the state machine). */
  arnOf(process: ProcessName): string {
    return `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${this.stateMachineNameOf(process)}`;
  }

  /** Every execution of a process's state machine (StopExecution acts on executions). */
  executionsArnOf(process: ProcessName): string {
    return `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:execution:${this.stateMachineNameOf(process)}:*`;
  }

  /** The state machine of a process. */
  stateMachineOf(process: ProcessName): sfn.StateMachine {
    const stateMachine = this.stateMachines.get(process);
    if (!stateMachine) throw new Error(`No state machine for process ${process}`);
    return stateMachine;
  }
}

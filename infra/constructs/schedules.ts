import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionEntry, ScheduleTrigger } from '../../shared/manifest/types';
import type { HouseFunction } from '../house-function';
import { pascalCase } from './functions';
import { StackPart } from './stack-part';

export interface SchedulesProps {
  /** The scheduled entries of the manifest. */
  readonly entries: readonly (FunctionEntry & { readonly trigger: ScheduleTrigger })[];
  readonly functionOf: (name: string) => HouseFunction;
  /** Where EventBridge puts an invocation it could not deliver (the alarmed dead-letter queue). */
  readonly deadLetterQueue: sqs.IQueue;
}

/** One EventBridge rule per scheduled manifest entry, invoking its function on its schedule. */
export class Schedules extends StackPart {
  readonly rules: ReadonlyMap<string, events.Rule>;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const rules = new Map<string, events.Rule>();
    for (const entry of props.entries) {
      const rule = new events.Rule(this, `${pascalCase(entry.name)}Schedule`, {
        description: `Runs ${entry.name} (${entry.trigger.schedule}, UTC)`,
        schedule: events.Schedule.expression(entry.trigger.schedule),
      });
      rule.addTarget(
        new targets.LambdaFunction(props.functionOf(entry.name).function, {
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: 2,
        }),
      );
      rules.set(entry.name, rule);
    }
    this.rules = rules;
  }
}

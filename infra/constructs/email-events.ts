import { Stack } from 'aws-cdk-lib';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { HouseFunction } from '../house-function';
import { createEncryptedTopic } from './encryption';
import { StackPart } from './stack-part';

export interface EmailEventsProps {
  /** The event function of `source: 'email-events'` (it records the addresses as suppressed). */
  readonly subscriber: HouseFunction;
  /** Where SNS puts what it cannot deliver to the subscriber. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * The SES configuration set every email is sent with, publishing BOUNCE and COMPLAINT events to an
 * encrypted topic that the subscriber function receives. The set also turns on SES's own
 * account-level suppression for the same reasons.
 */
export class EmailEvents extends StackPart {
  readonly configurationSet: ses.ConfigurationSet;
  /** Encrypted topic of SES bounce and complaint events. */
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: EmailEventsProps) {
    super(scope, id);
    // SES publishes to the encrypted topic with its key (its events carry recipients' addresses).
    this.topic = createEncryptedTopic(this, 'EmailEventsTopic', {
      displayName: 'Merchant onboarding SES bounces and complaints',
      keyDescription: 'Merchant onboarding: encrypts the SES bounce and complaint event topic',
      publisher: 'ses.amazonaws.com',
    });
    this.configurationSet = new ses.ConfigurationSet(this, 'EmailConfigurationSet', {
      configurationSetName: `${Stack.of(this).stackName}-email`,
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    // Messages SNS cannot deliver to the function (after its own retries) land in the dead-letter
    // queue too, next to the events the function failed on.
    this.topic.addSubscription(
      new snsSubscriptions.LambdaSubscription(props.subscriber.function, {
        deadLetterQueue: props.deadLetterQueue,
      }),
    );
  }

  /** The configuration set's name (SES_CONFIGURATION_SET of the functions that send email). */
  get configurationSetName(): string {
    return this.configurationSet.configurationSetName;
  }
}

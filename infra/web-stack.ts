import {
  CfnOutput,
  Fn,
  NestedStack,
  type NestedStackProps,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { ConsoleRuntimeConfig } from '../web/runtime-config';
import { WEB_APPS } from '../web/security-headers';
import { acknowledgeBucketDeploymentHandler, WebContent } from './constructs/web-content';
import { WebHosting, type WebHostingProps } from './constructs/web-hosting';

/**
 * The hosting (bucket, distribution, header policies) as a nested stack of the stateless stack: its
 * own small template, created after the REST API and before the staff client, whose Hosted UI
 * callback is the distribution's address and whose id the functions verify tokens against. As a
 * separate top-level stack it would need the API (from the stateless stack) while the stateless
 * stack needed its address: a cycle CloudFormation refuses between stacks and resolves within one.
 */
export class WebHostingStack extends NestedStack {
  readonly hosting: WebHosting;

  constructor(scope: Construct, id: string, props: WebHostingProps & NestedStackProps) {
    super(scope, id, { description: 'POS merchant onboarding: web hosting (S3, CloudFront)', ...props });
    this.hosting = new WebHosting(this, 'Web', props);
  }
}

/** The names of the hosting's exports, read by the web stack (and named in cdk-nag findings). */
export function webHostingExportNames(hostingStackName: string) {
  return {
    bucketArn: `${hostingStackName}-WebBucketArn`,
    distributionId: `${hostingStackName}-WebDistributionId`,
    distributionDomainName: `${hostingStackName}-WebDistributionDomainName`,
    url: `${hostingStackName}-WebUrl`,
  } as const;
}

/** Exports what the web stack needs of the hosting, under {@link webHostingExportNames}. */
export function exportWebHosting(stack: Stack, hosting: WebHosting): void {
  const names = webHostingExportNames(stack.stackName);
  const values = {
    bucketArn: hosting.bucket.bucketArn,
    distributionId: hosting.distribution.distributionId,
    distributionDomainName: hosting.distribution.distributionDomainName,
    url: hosting.url,
  };
  for (const key of Object.keys(names) as (keyof typeof names)[]) {
    const id = `Web${key.charAt(0).toUpperCase()}${key.slice(1)}`;
    new CfnOutput(stack, id, { value: values[key], exportName: names[key] });
  }
}

/** What the web stack deploys into, and what it writes there. */
export interface WebStackProps extends StackProps {
  /** The stack that exported the hosting ({@link exportWebHosting}). */
  readonly hostingStack: Stack;
  /** The key of the deployment handler's log group. */
  readonly logsKey: kms.IKey;
  /** The output of `npm run build:web`. */
  readonly webDir: string;
  /** `/console/config.json`. */
  readonly consoleConfig: ConsoleRuntimeConfig;
}

/**
 * `MerchantOnboarding-Web`: the built staff console and merchant pages and the console's runtime
 * configuration, deployed into the hosting bucket with aws-s3-deployment (then invalidated in
 * CloudFront). Deploying only this stack ships new builds of the apps.
 */
export class WebStack extends Stack {
  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    this.addStackDependency(props.hostingStack);
    const names = webHostingExportNames(props.hostingStack.stackName);
    const bucket = s3.Bucket.fromBucketAttributes(this, 'WebBucket', {
      bucketArn: Fn.importValue(names.bucketArn),
    });
    const distribution = cloudfront.Distribution.fromDistributionAttributes(this, 'WebDistribution', {
      distributionId: Fn.importValue(names.distributionId),
      domainName: Fn.importValue(names.distributionDomainName),
    });
    const logGroup = new logs.LogGroup(this, 'WebDeploymentLogs', {
      encryptionKey: props.logsKey,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new WebContent(this, 'WebContent', {
      bucket,
      distribution,
      logGroup,
      webDir: props.webDir,
      consoleConfig: props.consoleConfig,
    });
    acknowledgeBucketDeploymentHandler(this, names.bucketArn);
    const url = Fn.importValue(names.url);
    for (const app of WEB_APPS) {
      new CfnOutput(this, app.name === 'console' ? 'ConsoleUrl' : 'MerchantPagesUrl', {
        value: `${url}${app.basePath}`,
      });
    }
  }
}

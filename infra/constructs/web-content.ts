import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CONSOLE_CONFIG_FILE, type ConsoleRuntimeConfig } from '../../web/runtime-config';
import { WEB_APPS } from '../../web/security-headers';

export interface WebContentProps {
  /** The hosting bucket (WebHosting). */
  readonly bucket: s3.IBucket;
  /** The distribution whose cached pages each deployment invalidates. */
  readonly distribution: cloudfront.IDistribution;
  /** The output of `npm run build:web`: `<webDir>/console/`, `<webDir>/merchant/`. */
  readonly webDir: string;
  /** `/console/config.json`: how staff sign in (deploy-time values allowed). */
  readonly consoleConfig: ConsoleRuntimeConfig;
  /** The deployment handler's log group. */
  readonly logGroup: logs.ILogGroup;
}

/**
 * Thrown at synth when `npm run build:web` has not produced an app: a deployment never ships a
 * console or merchant pages that are missing or half built.
 */
export class WebBuildMissingError extends Error {
  override readonly name = 'WebBuildMissingError';
}

/**
 * The built web apps in the hosting bucket (`aws-s3-deployment`), per app: its hashed files under
 * `assets/`, cached for a year and never pruned (a page already open keeps loading its chunks after
 * a deployment), and its shell (`index.html`, and the console's `config.json` written from
 * `consoleConfig`), revalidated on every load, with stale shell files pruned. Each deployment then
 * invalidates the app's paths in CloudFront.
 */
export class WebContent extends Construct {
  constructor(scope: Construct, id: string, props: WebContentProps) {
    super(scope, id);
    for (const app of WEB_APPS) {
      const appDir = join(props.webDir, app.name);
      if (!existsSync(join(appDir, 'index.html')) || !existsSync(join(appDir, 'assets'))) {
        throw new WebBuildMissingError(
          `The ${app.name} web app is not built in ${appDir}: run \`npm run build:web\` first (npx cdk synth and deploy build it themselves)`,
        );
      }
      const prefix = app.basePath.slice(1);
      const name = app.name.charAt(0).toUpperCase() + app.name.slice(1);
      new s3deploy.BucketDeployment(this, `${name}Assets`, {
        sources: [s3deploy.Source.asset(join(appDir, 'assets'))],
        destinationBucket: props.bucket,
        destinationKeyPrefix: `${prefix}assets/`,
        prune: false,
        logGroup: props.logGroup,
        cacheControl: [
          s3deploy.CacheControl.setPublic(),
          s3deploy.CacheControl.maxAge(Duration.days(365)),
          s3deploy.CacheControl.immutable(),
        ],
      });
      new s3deploy.BucketDeployment(this, `${name}Shell`, {
        sources: [
          s3deploy.Source.asset(appDir, { exclude: ['assets', 'assets/**'] }),
          ...(app.name === 'console'
            ? [s3deploy.Source.jsonData(CONSOLE_CONFIG_FILE, props.consoleConfig)]
            : []),
        ],
        destinationBucket: props.bucket,
        destinationKeyPrefix: prefix,
        logGroup: props.logGroup,
        // Pruned, except the assets (the other deployment's, kept on purpose).
        exclude: ['assets/*'],
        cacheControl: [s3deploy.CacheControl.noCache()],
        distribution: props.distribution,
        distributionPaths: [`${app.basePath}*`],
      });
    }
  }
}

/**
 * cdk-nag acknowledgements of the function aws-s3-deployment adds once per stack (its code, runtime
 * and role are CDK's), found among the stack's children; `bucketArnExport` names the destination
 * bucket's ARN in the findings.
 */
export function acknowledgeBucketDeploymentHandler(stack: Construct, bucketArnExport: string): void {
  const wildcards =
    'CDK grants the aws-s3-deployment handler what a sync needs: read of the CDK asset objects, read, write and delete of the web bucket’s objects (object keys are the build’s file names), and invalidation in the one distribution (CloudFront’s invalidation actions take no narrower resource here).';
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    Validations.of(child).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'The aws-s3-deployment handler (CDK’s own function, run during deployments only) writes its logs with the AWS-managed AWSLambdaBasicExecutionRole policy, which grants exactly that.',
      },
      ...[
        'Action::s3:GetBucket*',
        'Action::s3:GetObject*',
        'Action::s3:List*',
        'Action::s3:Abort*',
        'Action::s3:DeleteObject*',
        'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
        `Resource::${bucketArnExport}/*`,
        'Resource::*',
      ].map((finding) => ({ id: `AwsSolutions-IAM5[${finding}]`, reason: wildcards })),
      {
        id: 'AwsSolutions-L1',
        reason:
          'The aws-s3-deployment handler’s runtime is chosen by aws-cdk-lib together with the AWS CLI layer it needs; it moves with aws-cdk-lib.',
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          'CDK writes the aws-s3-deployment handler’s policy for its role alone (least privilege per function).',
      },
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason:
          'Runs only during a CloudFormation deployment, once per changed app: there is no traffic to limit.',
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason:
          'A CloudFormation custom resource handler: a failure fails and rolls back the deployment, which reports it; there is no asynchronous event to keep.',
      },
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason:
          'It copies files between two S3 buckets and calls CloudFront, public AWS endpoints reached over TLS; this app has no VPC.',
      },
    );
  }
}

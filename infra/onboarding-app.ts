import { type App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { DEFAULT_WEB_DIR } from '../local/web-build';
import { type OnboardingConfig, readConfig } from './config';
import { SKIP_BUNDLING_CONTEXT_KEY, SKIP_BUNDLING_ENV_VAR } from './house-function';
import { type DeploymentProfile, readProfile } from './profiles';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';
import { WebStack } from './web-stack';

export interface OnboardingAppOptions {
  /** Inline stub code instead of esbuild bundles (tests, quick synth checks). @default false */
  readonly skipBundling?: boolean;
  /** Handler directory override (tests). @default FUNCTIONS_DIR */
  readonly functionsDir?: string;
  /** Register the cdk-nag AwsSolutions and NIST 800-53 R5 packs as synth-time validation plugins. @default true */
  readonly nag?: boolean;
  /**
   * @default the CLI's account, and the profile's region (`-c region`, else CDK_DEFAULT_REGION),
   * or environment-agnostic
   */
  readonly env?: Environment;
  /** The built web apps (`npm run build:web`). @default DEFAULT_WEB_DIR (`.dist/web`) */
  readonly webDir?: string;
}

export interface OnboardingStacks {
  readonly config: OnboardingConfig;
  /** Where and with which providers it deploys (`-c partition`, `-c region`, infra/profiles/). */
  readonly profile: DeploymentProfile;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  /** The web apps' files, where the profile hosts them. */
  readonly web: WebStack | undefined;
}

/** `-c skipBundling=true` or `CDK_SKIP_BUNDLING=1` (or `true`). */
export function skipBundlingRequested(app: App): boolean {
  const context: unknown = app.node.tryGetContext(SKIP_BUNDLING_CONTEXT_KEY);
  const env = process.env[SKIP_BUNDLING_ENV_VAR];
  return context === true || context === 'true' || env === '1' || env === 'true';
}

/**
 * The stacks of the onboarding service, wired with typed props, and the cdk-nag AwsSolutions and
 * NIST 800-53 R5 packs.
 * Stack names are stable: `MerchantOnboarding-Stateful`, `MerchantOnboarding-Stateless` (with the web
 * hosting as a nested stack) and `MerchantOnboarding-Web` (the web apps' files).
 */
export function buildOnboardingApp(app: App, options: OnboardingAppOptions = {}): OnboardingStacks {
  const config = readConfig(app.node);
  const profile = readProfile(app.node, options.env ? options.env.region : process.env.CDK_DEFAULT_REGION);
  const env: Environment = {
    account: options.env ? options.env.account : process.env.CDK_DEFAULT_ACCOUNT,
    region: profile.region,
  };

  const stateful = new StatefulStack(app, 'MerchantOnboarding-Stateful', {
    env,
    description: 'POS merchant onboarding: table, documents and agreement buckets, KMS keys (retained)',
    providerSecrets: profile.providerSecrets,
    agreementRetentionDays: config.agreementRetentionDays,
  });
  const stateless = new StatelessStack(app, 'MerchantOnboarding-Stateless', {
    env,
    description:
      profile.staffIdentity.kind === 'cognito'
        ? 'POS merchant onboarding: API, functions, workflow, staff user pool, alarms'
        : 'POS merchant onboarding: API, functions, workflow, staff authorizer, alarms',
    table: stateful.table,
    dataKey: stateful.dataKey,
    hmacKeys: stateful.hmacKeys,
    fieldKey: stateful.fieldKey,
    documentsBucket: stateful.documentsBucket,
    agreementArchiveBucket: stateful.agreementArchiveBucket,
    config,
    skipBundling: options.skipBundling,
    functionsDir: options.functionsDir,
    profile,
    providerSecrets: stateful.providerSecrets,
  });

  // Where the profile does not host the web apps (see its reason), there is no web stack.
  const web =
    stateless.webHosting && stateless.consoleSignIn
      ? new WebStack(app, 'MerchantOnboarding-Web', {
          env,
          description:
            'POS merchant onboarding: the staff console and merchant pages (files and runtime config)',
          hostingStack: stateless,
          logsKey: stateless.logsKey,
          webDir: options.webDir ?? DEFAULT_WEB_DIR,
          consoleConfig: { signIn: stateless.consoleSignIn },
        })
      : undefined;

  if (options.nag ?? true) {
    // cdk-nag v3 is a policy-validation plugin (Validations), no longer an Aspect; acknowledgements
    // are `Validations.of(construct).acknowledge(...)` next to the resources they concern, each with
    // its reason: the code is their record (reviewed like the rest). They are not copied into the
    // templates' Metadata as well: ~240 KB of reasons would take the stateless template past CDK's
    // warning at 80 % of CloudFormation's 1 MB.
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: false }),
      new NIST80053R5Checks(app, { verbose: true, writeSuppressionsToCloudFormation: false }),
    );
  }
  return { config, profile, stateful, stateless, web };
}

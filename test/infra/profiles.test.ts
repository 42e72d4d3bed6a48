import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_RATE_RULES } from '../../infra/constructs/api-waf';
import { PROJECT_ROOT } from '../../infra/house-function';
import { buildOnboardingApp, type OnboardingStacks } from '../../infra/onboarding-app';
import { readProfile } from '../../infra/profiles';
import {
  CHINA_RESOURCE_TYPES,
  LISTED_SERVICES,
  NOT_IN_CHINA_REGIONS,
} from '../../infra/profiles/china-resource-types';
import { HMAC_KEYS, hmacKeyIdVariable } from '../../shared/config/env';
import { FUNCTIONS } from '../../shared/manifest/functions';
import { HMAC_CAPABILITIES } from '../../shared/manifest/types';
import { WEB_FIXTURE_DIR } from './fixtures/web';

/*
 * Both deployment profiles synthesized (without bundling) with the cdk-nag packs: the global one
 * in ap-southeast-1, the China one in cn-northwest-1. For each: no `arn:aws:` literal (every ARN
 * names its partition), no region but its own anywhere (data residency: nothing is copied,
 * replicated, logged or backed up elsewhere), and the China templates use only resource types
 * both China regions offer (and cfn-lint agrees, where it is installed).
 */

const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8'),
).context;

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

interface Synthesized {
  readonly stacks: OnboardingStacks;
  /** The cloud assembly's directory: every template, nested stacks' included. */
  readonly assemblyDir: string;
  readonly templates: {
    readonly stateful: Record<string, unknown>;
    readonly stateless: Record<string, unknown>;
  };
}

function synth(context: Record<string, unknown>): Synthesized {
  const app = new App({ context: { ...CDK_CONTEXT, ...context } });
  const stacks = buildOnboardingApp(app, { skipBundling: true, env: {}, webDir: WEB_FIXTURE_DIR });
  // Template.fromStack synthesizes the whole app, which also runs the registered cdk-nag packs.
  return {
    stacks,
    assemblyDir: app.synth().directory,
    templates: {
      stateful: Template.fromStack(stacks.stateful).toJSON(),
      stateless: Template.fromStack(stacks.stateless).toJSON(),
    },
  };
}

const REGION_NAME =
  /\b(?:us|eu|ap|sa|ca|me|af|il|mx|cn)-(?:gov-)?(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d\b/g;

const PROFILES = {
  global: { partition: 'aws', region: 'ap-southeast-1' },
  china: { partition: 'aws-cn', region: 'cn-northwest-1' },
} as const;

const synthesized: Partial<Record<keyof typeof PROFILES, Synthesized>> = {};
function profile(name: keyof typeof PROFILES): Synthesized {
  const found = synthesized[name];
  if (!found) throw new Error(`${name} was not synthesized`);
  return found;
}

beforeAll(() => {
  for (const [name, context] of Object.entries(PROFILES))
    synthesized[name as keyof typeof PROFILES] = synth(context);
}, 300_000);

describe.each(Object.keys(PROFILES) as (keyof typeof PROFILES)[])('the %s profile', (name) => {
  const { region } = PROFILES[name];

  for (const which of ['stateful', 'stateless'] as const) {
    it(`passes cdk-nag AwsSolutions and NIST 800-53 R5 on the ${which} stack`, () => {
      for (const pack of [
        new AwsSolutionsChecks(undefined, { verbose: true }),
        new NIST80053R5Checks(undefined, { verbose: true }),
      ]) {
        const report = pack.validateScope(profile(name).stacks[which]);
        expect(
          report.violations.map(
            (violation) =>
              `${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
          ),
        ).toEqual([]);
      }
    });

    it(`names the partition in every ARN of the ${which} stack (no arn:aws: literal)`, () => {
      const text = JSON.stringify(profile(name).templates[which]);
      expect(text.match(/arn:aws[a-z-]*:/g) ?? []).toEqual([]);
      // ARNs are built with AWS::Partition (or CDK's partition facts), never written out.
      expect(text).toContain('"Ref":"AWS::Partition"');
    });

    it(`keeps everything of the ${which} stack in ${region} (no other region, no replica, no copy)`, () => {
      const template = profile(name).templates[which];
      const regions = new Set(JSON.stringify(template).match(REGION_NAME) ?? []);
      for (const found of regions) expect(found).toBe(region);
      const resources = Object.values(template.Resources as Resources);
      for (const resource of resources) {
        const properties = resource.Properties ?? {};
        expect(resource.Type, 'a global table replicates to other regions').not.toBe(
          'AWS::DynamoDB::GlobalTable',
        );
        expect(properties.ReplicationConfiguration, `${resource.Type} replicates`).toBeUndefined();
        expect(properties.MultiRegion, `${resource.Type} is multi-Region`).not.toBe(true);
        if (resource.Type === 'AWS::DynamoDB::Table') expect(properties.Replicas).toBeUndefined();
        if (resource.Type === 'AWS::Backup::BackupPlan') {
          const rules = (properties.BackupPlan as { BackupPlanRule: { CopyActions?: unknown }[] })
            .BackupPlanRule;
          for (const rule of rules)
            expect(rule.CopyActions, 'a backup copied to another vault').toBeUndefined();
        }
        if (resource.Type === 'AWS::Logs::SubscriptionFilter')
          throw new Error('a log subscription ships logs out');
      }
    });
  }

  it('creates one KMS HMAC_256 key per purpose, each granted only to the functions whose entry names it', () => {
    const { stacks, templates } = profile(name);
    const keys = Object.entries(templates.stateful.Resources as Resources).filter(
      ([, resource]) =>
        resource.Type === 'AWS::KMS::Key' &&
        resource.Properties?.KeySpec === 'HMAC_256' &&
        resource.Properties?.KeyUsage === 'GENERATE_VERIFY_MAC',
    );
    expect(keys.map(([id]) => id).sort()).toEqual(
      HMAC_KEYS.map((key) =>
        stacks.stateful.getLogicalId(stacks.stateful.hmacKeys[key].node.defaultChild as never),
      ).sort(),
    );
    const functions = Object.values(templates.stateless.Resources as Resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    for (const entry of FUNCTIONS.filter((candidate) => stacks.profile.deploys(candidate))) {
      const fn = functions.find(
        (resource) => resource.Properties?.Description === `functions/${entry.name}.ts`,
      );
      const variables =
        (fn?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      for (const key of HMAC_KEYS)
        expect(hmacKeyIdVariable(key) in variables, `${entry.name} ${hmacKeyIdVariable(key)}`).toBe(
          (entry.capabilities ?? []).includes(HMAC_CAPABILITIES[key]),
        );
    }
  });

  it('runs the retention sweep daily at 03:00 Shanghai, one run at a time, failures kept', () => {
    const resources = Object.entries(profile(name).templates.stateless.Resources as Resources);
    const rules = resources.filter(
      ([, resource]) =>
        resource.Type === 'AWS::Events::Rule' &&
        resource.Properties?.ScheduleExpression === 'cron(0 19 * * ? *)',
    );
    expect(rules).toHaveLength(1);
    expect(JSON.stringify(rules[0]?.[1].Properties?.Targets)).toContain('DeadLetterConfig');
    const sweep = resources.find(
      ([, resource]) => resource.Properties?.Description === 'functions/sweep-retention.ts',
    );
    expect(sweep?.[1].Properties).toMatchObject({ Timeout: 900, ReservedConcurrentExecutions: 1 });
  });

  it('puts the per-IP WAF rate rules on the API stage', () => {
    const resources = Object.values(profile(name).templates.stateless.Resources as Resources);
    const acls = resources.filter((resource) => resource.Type === 'AWS::WAFv2::WebACL');
    expect(acls).toHaveLength(1);
    const rules = (acls[0]?.Properties?.Rules ?? []) as {
      Name: string;
      Statement: Record<string, unknown>;
    }[];
    for (const rule of ['RateLimitPerIp', ...ROUTE_RATE_RULES.map((candidate) => candidate.name)])
      expect(
        rules.find((candidate) => candidate.Name === rule)?.Statement.RateBasedStatement,
        rule,
      ).toBeDefined();
    expect(resources.filter((resource) => resource.Type === 'AWS::WAFv2::WebACLAssociation')).toHaveLength(1);
  });

  it('synthesizes the stacks for its region and partition', () => {
    const { stacks } = profile(name);
    expect(stacks.stateful.region).toBe(region);
    expect(stacks.stateless.region).toBe(region);
    expect(stacks.profile.partition).toBe(PROFILES[name].partition);
  });
});

describe('the global profile', () => {
  it('keeps the design card: Cognito staff pool, SES configuration set, End User Messaging SMS, X-Ray', () => {
    const resources = Object.values(profile('global').templates.stateless.Resources as Resources);
    const types = new Set(resources.map((resource) => resource.Type));
    expect(types).toContain('AWS::Cognito::UserPool');
    expect(types).toContain('AWS::SES::ConfigurationSet');
    const functions = resources.filter((resource) => resource.Type === 'AWS::Lambda::Function');
    for (const fn of functions) expect(fn.Properties?.TracingConfig).toEqual({ Mode: 'Active' });
    const authorizers = resources.filter((resource) => resource.Type === 'AWS::ApiGateway::Authorizer');
    expect(authorizers.map((authorizer) => authorizer.Properties?.Type)).toEqual(['COGNITO_USER_POOLS']);
    expect(
      Object.keys(profile('global').templates.stateful.Resources as Resources).some((id) =>
        id.includes('Secret'),
      ),
    ).toBe(false);
  });
});

describe('the China profile', () => {
  const resourcesOf = (which: 'stateful' | 'stateless') =>
    Object.entries(profile('china').templates[which].Resources as Resources);
  /** The environment variables of the function of `functions/<name>.ts`. */
  const variablesOf = (description: string): Record<string, unknown> => {
    const fn = resourcesOf('stateless').find(
      ([, resource]) =>
        resource.Type === 'AWS::Lambda::Function' && resource.Properties?.Description === description,
    );
    const environment = fn?.[1].Properties?.Environment as { Variables: Record<string, unknown> } | undefined;
    if (!environment) throw new Error(`No function ${description}`);
    return environment.Variables;
  };

  it('uses only resource types both China regions offer, and none of the global profile’s missing services', () => {
    for (const which of ['stateful', 'stateless'] as const) {
      for (const [id, resource] of resourcesOf(which)) {
        const service = resource.Type.split('::')[1] ?? '';
        expect(LISTED_SERVICES, `${id}: ${resource.Type} is of a service the list does not cover`).toContain(
          service,
        );
        expect(CHINA_RESOURCE_TYPES.has(resource.Type), `${id}: ${resource.Type}`).toBe(true);
        expect(NOT_IN_CHINA_REGIONS.has(resource.Type), `${id}: ${resource.Type}`).toBe(false);
      }
    }
    // The list is not vacuous: the global profile's Cognito, SES types are on the other side of it.
    const globalTypes = Object.values(profile('global').templates.stateless.Resources as Resources).map(
      (r) => r.Type,
    );
    expect(globalTypes.filter((type) => NOT_IN_CHINA_REGIONS.has(type)).sort()).toEqual([
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolClient',
      // The console's Hosted UI (the China profile does not host the web apps).
      'AWS::Cognito::UserPoolDomain',
      'AWS::Cognito::UserPoolGroup',
      'AWS::Cognito::UserPoolGroup',
      'AWS::SES::ConfigurationSet',
      'AWS::SES::ConfigurationSetEventDestination',
    ]);
  });

  it('verifies staff with a Lambda TOKEN authorizer on every staff method, configured for the OIDC IdP', () => {
    const resources = resourcesOf('stateless');
    const authorizers = resources.filter(([, resource]) => resource.Type === 'AWS::ApiGateway::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0] as [string, { Properties: Record<string, unknown> }];
    expect(authorizer.Properties).toMatchObject({
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      // No cache: staff revocation takes effect within the 5-minute token age.
      AuthorizerResultTtlInSeconds: 0,
    });
    const staffMethods = resources.filter(
      ([, resource]) =>
        resource.Type === 'AWS::ApiGateway::Method' && resource.Properties?.AuthorizationType === 'CUSTOM',
    );
    expect(staffMethods.length).toBeGreaterThan(0);
    for (const [, method] of staffMethods)
      expect(method.Properties?.AuthorizerId).toEqual({ Ref: authorizerId });
    expect(variablesOf('functions/authorize-staff.ts')).toMatchObject({
      STAFF_JWT_ISSUER: 'https://idp.example.com',
      STAFF_JWT_AUDIENCE: 'merchant-onboarding',
      STAFF_JWKS_URI: 'https://idp.example.com/.well-known/jwks.json',
      STAFF_JWT_ALGORITHMS: 'RS256',
      STAFF_GROUPS_CLAIM: 'groups',
      STAFF_TOKEN_USE: '',
    });
  });

  it('sends email through the SMTP relay and SMS through the provider, reading only their secrets', () => {
    const resources = resourcesOf('stateless');
    expect(variablesOf('functions/task-notify.ts')).toMatchObject({
      EMAIL_TRANSPORT: 'smtp',
      SMTP_HOST: 'smtp.example.com',
      SMTP_PORT: '465',
      SMS_TRANSPORT: 'tencent-cloud',
      SMS_PROVIDER_ENDPOINT: 'https://sms.tencentcloudapi.com',
      SMS_PROVIDER_APP_ID: '1400000000',
      SMTP_SECRET_ID: expect.anything(),
      SMS_PROVIDER_SECRET_ID: expect.anything(),
    });
    expect(variablesOf('functions/task-notify.ts').SES_CONFIGURATION_SET).toBeUndefined();
    // Only what sends email gets the relay's secret, only what texts or pulls receipts the provider's
    // (the grants set the variable with the secretsmanager:GetSecretValue statement).
    for (const entry of FUNCTIONS.filter((candidate) => profile('china').stacks.profile.deploys(candidate))) {
      const variables = variablesOf(`functions/${entry.name}.ts`);
      const capabilities = entry.capabilities ?? [];
      expect('SMTP_SECRET_ID' in variables, entry.name).toBe(capabilities.includes('sendEmail'));
      expect('SMS_PROVIDER_SECRET_ID' in variables, entry.name).toBe(
        capabilities.includes('sendSms') || capabilities.includes('smsDeliveryReceipts'),
      );
    }
    const text = JSON.stringify(Object.fromEntries(resources));
    expect(text).not.toContain('ses:SendEmail');
    expect(text).not.toContain('sms-voice:SendTextMessage');
  });

  it('keeps the providers’ secrets in the stateful stack, encrypted with their own key and retained', () => {
    const secrets = resourcesOf('stateful').filter(
      ([, resource]) => resource.Type === 'AWS::SecretsManager::Secret',
    );
    expect(secrets.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'SmsProviderSecret',
      'SmtpRelaySecret',
    ]);
    for (const [, secret] of secrets) {
      expect(secret.Properties?.KmsKeyId).toBeDefined();
      expect((secret as { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
    }
  });

  it('pulls SMS delivery receipts every minute, with failures kept in the dead-letter queue', () => {
    const rules = resourcesOf('stateless').filter(
      ([, resource]) =>
        resource.Type === 'AWS::Events::Rule' && resource.Properties?.ScheduleExpression === 'rate(1 minute)',
    );
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0] as [string, { Properties: Record<string, unknown> }];
    expect(JSON.stringify(rule.Properties.Targets)).toContain('DeadLetterConfig');
    // A stuck run ends before the next one is due (one run at a time).
    const poller = resourcesOf('stateless').find(
      ([, resource]) => resource.Properties?.Description === 'functions/poll-sms-receipts.ts',
    );
    expect(poller?.[1].Properties).toMatchObject({ Timeout: 30, ReservedConcurrentExecutions: 1 });
  });

  it('turns X-Ray off everywhere (not offered with Lambda in the China regions) and has no SES or Cognito', () => {
    const resources = resourcesOf('stateless').map(([, resource]) => resource);
    for (const fn of resources.filter((resource) => resource.Type === 'AWS::Lambda::Function'))
      expect(fn.Properties?.TracingConfig).toBeUndefined();
    for (const stage of resources.filter((resource) => resource.Type === 'AWS::ApiGateway::Stage'))
      expect(stage.Properties?.TracingEnabled).toBe(false);
    for (const machine of resources.filter(
      (resource) => resource.Type === 'AWS::StepFunctions::StateMachine',
    ))
      expect(machine.Properties?.TracingConfiguration).toMatchObject({ Enabled: false });
    expect(resources.some((resource) => /Cognito|SES/.test(resource.Type))).toBe(false);
  });

  it('names state machine service integrations in the stack’s partition', () => {
    const machines = resourcesOf('stateless').filter(
      ([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine',
    );
    const definitions = JSON.stringify(machines.map(([, machine]) => machine.Properties?.DefinitionString));
    expect(definitions).toContain(':states:::lambda:invoke.waitForTaskToken');
    expect(definitions).not.toContain('arn:aws:states');
  });
});

describe('cfn-lint (where installed)', () => {
  const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  const available = version.status === 0;

  it.skipIf(!available).each([
    ['china', ['cn-north-1', 'cn-northwest-1']],
    ['global', ['ap-southeast-1', 'us-east-1']],
  ] as const)(
    'reports no error for the %s profile in %j',
    (name, regions) => {
      // Every template of the profile: the two stacks and their nested stacks (log groups, alarms).
      const { assemblyDir } = profile(name);
      const files = readdirSync(assemblyDir)
        .filter((file) => file.endsWith('.template.json'))
        .map((file) => join(assemblyDir, file));
      expect(files.length).toBeGreaterThan(2);
      // Only errors fail: warnings (e.g. W3005, a DependsOn CDK adds beside a GetAtt) are listed, not failed.
      const result = spawnSync(
        'cfn-lint',
        ['--format', 'parseable', '--regions', ...regions, '--', ...files],
        {
          encoding: 'utf8',
        },
      );
      const errors = result.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line));
      expect(errors).toEqual([]);
      expect(result.status === 0 || result.status === 4, result.stderr).toBe(true);
      // cfn-lint reads two templates of ~80 resources each against two regions' schemas: a minute or
      // two on a loaded machine.
    },
    300_000,
  );

  it('is looked for, and its absence is said (the resource-type test above then stands alone)', () => {
    if (!available)
      console.warn(
        'cfn-lint is not installed: skipped; the China resource types were checked against the list',
      );
    else expect(version.stdout).toMatch(/cfn-lint \d+\.\d+/);
  });
});

describe('profile context', () => {
  const read = (context: Record<string, unknown>, region?: string) =>
    readProfile(new App({ context: { ...CDK_CONTEXT, ...context } }).node, region);

  it('defaults to the global profile, in the CLI region if any', () => {
    expect(read({}, undefined)).toMatchObject({ name: 'global', partition: 'aws', region: undefined });
    expect(read({}, 'eu-west-1').region).toBe('eu-west-1');
  });

  it.each([
    [{ partition: 'aws-cn' }, /needs -c region=cn-north-1 or -c region=cn-northwest-1/],
    [{ partition: 'aws-cn', region: 'us-east-1' }, /partition aws, not aws-cn/],
    [{ partition: 'aws', region: 'cn-north-1' }, /use -c partition=aws-cn/],
    [{ partition: 'azure' }, /partition/],
    [{ partition: 'aws-cn', region: 'cn-north-1', smtpPort: 25 }, /smtpPort/],
    [
      { partition: 'aws-cn', region: 'cn-north-1', staffOidcIssuer: 'http://idp.example.com' },
      /staffOidcIssuer/,
    ],
    [{ partition: 'aws-cn', region: 'cn-north-1', staffOidcAlgorithms: 'HS256' }, /staffOidcAlgorithms/],
    [{ partition: 'aws-cn', region: 'cn-north-1', staffOidcAlgorithms: 'none' }, /staffOidcAlgorithms/],
    [{ partition: 'aws-cn', region: 'cn-north-1', smsProviderAppId: 'abc' }, /smsProviderAppId/],
  ])('refuses %o', (context, message) => {
    expect(() => read(context, undefined)).toThrow(message);
  });

  it('reads the China providers from context', () => {
    const china = read({
      partition: 'aws-cn',
      region: 'cn-north-1',
      smtpHost: 'smtp.acquirer.cn',
      smtpPort: 587,
      staffOidcIssuer: 'https://sso.acquirer.cn/realms/staff',
      staffOidcAlgorithms: 'RS256,ES256',
      smsProviderAppId: '1400123456',
    });
    expect(china).toMatchObject({
      name: 'china',
      partition: 'aws-cn',
      region: 'cn-north-1',
      email: { kind: 'smtp', host: 'smtp.acquirer.cn', port: 587 },
      staffIdentity: {
        kind: 'oidc',
        issuer: 'https://sso.acquirer.cn/realms/staff',
        algorithms: ['RS256', 'ES256'],
      },
      sms: { kind: 'tencent-cloud', appId: '1400123456' },
      xray: { enabled: false },
    });
    expect(china.wafManagedRules.available('AWSManagedRulesCommonRuleSet')).toBe(true);
    expect(china.wafManagedRules.available('AWSManagedRulesBotControlRuleSet', 'TARGETED')).toBe(false);
  });
});

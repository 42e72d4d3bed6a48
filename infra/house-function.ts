import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Lazy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  LogLevel,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { LazyModule } from '../shared/manifest/types';

/** Repository root (the directory of `package.json` and `package-lock.json`). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where handler entry files live: `functions/<name>.ts`, each exporting `handler`. */
export const FUNCTIONS_DIR = join(PROJECT_ROOT, 'functions');

/** Context key / environment variable that replace esbuild bundling with inline stub code. */
export const SKIP_BUNDLING_CONTEXT_KEY = 'skipBundling';
export const SKIP_BUNDLING_ENV_VAR = 'CDK_SKIP_BUNDLING';

/** `service` of every log line and metric. */
export const SERVICE_NAME = 'merchant-onboarding';

/** CloudWatch namespace the functions may publish custom metrics to (and nothing else). */
export const METRICS_NAMESPACE = 'MerchantOnboarding';

/**
 * Adapter modules of providers that only some deployment profiles use (infra/profiles/): the SMTP
 * relay and the mainland SMS provider. They are imported on first use (shared/adapters/ses-mailer.ts,
 * sms-sender.ts) and stay out of every bundle (external) unless the profile names them, so the
 * global profile's bundles carry neither them nor nodemailer and the Secrets Manager client.
 */
export const PROFILE_ADAPTER_MODULES = ['./smtp-mailer', './tencent-sms'] as const;

/** One of {@link PROFILE_ADAPTER_MODULES} (the import specifier, as its importer writes it). */
export type ProfileAdapterModule = (typeof PROFILE_ADAPTER_MODULES)[number];

/** The Lambda runtime of every function (see the AwsSolutions-L1 acknowledgement below). */
export const HOUSE_RUNTIME = lambda.Runtime.NODEJS_22_X;

/**
 * esbuild options of every deployed function (NodejsFunction `bundling`). Exported so that
 * `npm run bench` bundles each function exactly as it is deployed when it measures cold starts.
 */
export const HOUSE_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node20',
  platform: 'node',
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  // Line mapping is enough for stack traces; keeping sources out of the map keeps packages small.
  sourcesContent: false,
  // Keep zh-CN message templates readable (and smaller) in the bundle. Passed as a raw
  // esbuild flag: aws-cdk-lib 2.276 accepts the `charset` prop but no longer forwards it.
  esbuildArgs: { '--charset': 'utf8' },
  mainFields: ['module', 'main'],
  // Lets CommonJS dependencies call require() from inside the ESM bundle.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  // Bundle the AWS SDK v3 clients too: each function ships exactly the clients (and the
  // versions from package-lock.json) that it imports, instead of the runtime's copy. Only the
  // adapters of other profiles stay out (see bundlingFor).
  externalModules: [...PROFILE_ADAPTER_MODULES],
  bundleAwsSDK: true,
  // esbuild's size summary of each of ~50 bundles is noise in `cdk synth`; warnings still show.
  logLevel: LogLevel.WARNING,
};

/**
 * What of each lazy module ships next to a bundle: its package.json (Node resolves the import by
 * its `exports`), its licence and the files that import loads, copied from the installed tree
 * (node_modules after `npm ci`), so that `cdk synth` needs no registry. A lazy module's dependencies
 * ship with it, so each must be listed here too (checked at synth).
 */
export const LAZY_MODULE_FILES: Readonly<Record<ShippedPackage, readonly string[]>> = {
  jose: ['package.json', 'LICENSE.md', 'dist/webapi'],
  '@aws-lambda-powertools/metrics': ['package.json', 'lib/esm'],
  // What the metrics package imports in turn (commons, which the bundle also holds, is a separate copy).
  '@aws-lambda-powertools/commons': ['package.json', 'lib/esm'],
  '@aws/lambda-invoke-store': ['package.json', 'LICENSE', 'dist-cjs', 'dist-es'],
  // The agreement renderer: pdfkit's Node ESM build (with its standard-font metrics and colour
  // profile, which it reads at run time), fontkit, their dependencies as Node's ESM resolution
  // loads them, and the one font file the agreement uses (10 MB; the package has 9 weights).
  pdfkit: ['package.json', 'LICENSE', 'js/pdfkit.node.mjs', 'js/data', 'js/standard-fonts'],
  fontkit: ['package.json', 'dist/module.mjs'],
  '@expo-google-fonts/noto-sans-sc': [
    'package.json',
    'LICENSE',
    'LICENSE_FONT',
    '400Regular/NotoSansSC_400Regular.ttf',
  ],
  '@noble/ciphers': ['package.json', 'LICENSE', 'esm'],
  '@noble/hashes': ['package.json', 'LICENSE', 'esm'],
  fflate: ['package.json', 'LICENSE', 'esm'],
  linebreak: ['package.json', 'LICENSE', 'dist/module.mjs', 'node_modules'],
  'png-js': ['package.json', 'LICENSE', 'lib'],
  '@swc/helpers': ['package.json', 'LICENSE', 'esm'],
  brotli: ['package.json', 'decompress.js', 'dec'],
  clone: ['package.json', 'LICENSE', 'clone.js'],
  dfa: ['package.json', 'index.js'],
  'fast-deep-equal': ['package.json', 'LICENSE', 'index.js'],
  restructure: ['package.json', 'LICENSE', 'index.js', 'src'],
  'tiny-inflate': ['package.json', 'LICENSE', 'index.js'],
  'unicode-properties': ['package.json', 'LICENSE', 'dist/module.mjs'],
  'unicode-trie': ['package.json', 'LICENSE', 'index.js', 'swap.js'],
  'base64-js': ['package.json', 'LICENSE', 'index.js'],
  pako: ['package.json', 'LICENSE', 'index.js', 'lib'],
};

/** A package copied next to a bundle: a lazy module, or a dependency of one. */
type ShippedPackage =
  | LazyModule
  | '@aws-lambda-powertools/commons'
  | '@aws/lambda-invoke-store'
  | '@noble/ciphers'
  | '@noble/hashes'
  | 'fflate'
  | 'linebreak'
  | 'png-js'
  | '@swc/helpers'
  | 'brotli'
  | 'clone'
  | 'dfa'
  | 'fast-deep-equal'
  | 'restructure'
  | 'tiny-inflate'
  | 'unicode-properties'
  | 'unicode-trie'
  | 'base64-js'
  | 'pako';

function isShipped(name: string): name is ShippedPackage {
  return Object.hasOwn(LAZY_MODULE_FILES, name);
}

/**
 * `name` and the packages it depends on, transitively, as installed (node_modules after `npm ci`);
 * throws when one is missing or a dependency is not in {@link LAZY_MODULE_FILES}.
 */
function shippedClosure(name: ShippedPackage, seen = new Set<ShippedPackage>()): Set<ShippedPackage> {
  if (seen.has(name)) return seen;
  seen.add(name);
  const manifest = join(PROJECT_ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) throw new Error(`${name} is not installed in node_modules: run npm ci first`);
  const { dependencies } = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: object };
  for (const dependency of Object.keys(dependencies ?? {})) {
    if (!isShipped(dependency))
      throw new Error(`${name} depends on ${dependency}, which LAZY_MODULE_FILES does not ship`);
    shippedClosure(dependency, seen);
  }
  return seen;
}

/** POSIX shell quoting (the bundling commands run in bash, locally or in the bundling image). */
const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * The bundling of one function: {@link HOUSE_BUNDLING}, plus the packages its manifest entry ships
 * next to the bundle (`lazyModules`) instead of inside it. Such a package stays external to the
 * bundle and is loaded by a dynamic `import()` on first use, so the function's cold start neither
 * parses nor evaluates it: jose verifies staff JWTs on the merchant-or-staff routes, which mostly
 * see merchant tokens (~18 KB less to load at init). It is copied into the asset's node_modules
 * from the installed tree after bundling (not installed by NodejsFunction's `nodeModules`, which
 * runs `npm ci` against the registry on every synth).
 */
export function bundlingFor(
  lazyModules: readonly LazyModule[] = [],
  /** The profile's adapters, bundled (imported on first use) instead of left out. @default none */
  bundledAdapters: readonly ProfileAdapterModule[] = [],
): BundlingOptions {
  const externalModules = [
    ...PROFILE_ADAPTER_MODULES.filter((module) => !bundledAdapters.includes(module)),
    ...lazyModules,
  ];
  if (lazyModules.length === 0)
    return bundledAdapters.length === 0 ? HOUSE_BUNDLING : { ...HOUSE_BUNDLING, externalModules };
  return {
    ...HOUSE_BUNDLING,
    externalModules,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) =>
        [...new Set(lazyModules.flatMap((name) => [...shippedClosure(name)]))].flatMap((name) => {
          const from = `${inputDir}/node_modules/${name}`;
          const to = `${outputDir}/node_modules/${name}`;
          return LAZY_MODULE_FILES[name].map((file) => {
            const target = `${to}/${file}`;
            const parent = target.slice(0, target.lastIndexOf('/'));
            return `mkdir -p ${quote(parent)} && cp -R ${quote(`${from}/${file}`)} ${quote(target)}`;
          });
        }),
    },
  };
}

export interface HouseFunctionProps {
  /** File name (without `.ts`) under `functionsDir`; also the construct's logical name. */
  readonly name: string;
  /** @default FUNCTIONS_DIR */
  readonly functionsDir?: string;
  /**
   * Use a one-line inline stub instead of bundling `functions/<name>.ts` with esbuild. The entry
   * file is then neither read nor required to exist: for fast stack tests and `cdk synth` checks.
   * Never deploy such a synth.
   * @default false
   */
  readonly skipBundling?: boolean;
  readonly description?: string;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Added to the house variables (NODE_OPTIONS, POWERTOOLS_*). */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Customer-managed key of the function's log group (its key policy must let CloudWatch Logs use
   * it). @default CloudWatch Logs' own encryption
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * Where the log group is made: a construct of a nested stack of log groups keeps the functions'
   * stack under CloudFormation's 500 resources (the function names it by reference).
   * @default the function's own construct
   */
  readonly logScope?: Construct;
  /**
   * Where Lambda puts an asynchronous event that failed all its attempts. Only for functions invoked
   * asynchronously (events); a synchronous caller sees the error itself. @default none
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /** Reserved (and maximum) concurrency. @default the account's unreserved pool */
  readonly reservedConcurrentExecutions?: number;
  /** Packages shipped next to the bundle, loaded on first use (the manifest entry's). @default none */
  readonly lazyModules?: readonly LazyModule[];
  /** The deployment profile's adapter modules the bundle carries (see bundlingFor). @default none */
  readonly bundledAdapters?: readonly ProfileAdapterModule[];
  /** X-Ray active tracing (off where the profile's region does not offer it). @default true */
  readonly tracing?: boolean;
}

/**
 * A function's execution role that keeps the statements granted to it in the role itself (its
 * inline `Policies`) instead of a separate `AWS::IAM::Policy` resource ("DefaultPolicy"): the
 * same permissions on the same role, one CloudFormation resource fewer per function (a stack may
 * hold at most 500, and every function already costs a function, a role and a log group).
 * Statements on `Resource: "*"` still go in policies of their own (see {@link HouseFunction.addToRolePolicy}).
 */
export class FunctionRole extends iam.Role {
  /** What was granted to this role (resolved at synthesis, so later grants are included). */
  private readonly granted = new iam.PolicyDocument();

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
    (this.node.defaultChild as iam.CfnRole).policies = Lazy.any(
      {
        produce: () =>
          this.granted.isEmpty ? undefined : [{ policyName: 'Permissions', policyDocument: this.granted }],
      },
      { omitEmptyArray: true },
    );
  }

  /** Every grant on this role (CDK's grants, the function's own) lands in the role's inline policy. */
  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.granted.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

/**
 * The house Lambda function: Node.js on ARM64, ESM bundle with source maps, X-Ray tracing, JSON logs
 * in its own log group with a retention, and its own role whose only built-in permissions are writing
 * to that log group and sending X-Ray traces. Grant anything else on `grantPrincipal`.
 */
export class HouseFunction extends Construct implements iam.IGrantable {
  readonly name: string;
  readonly entry: string;
  readonly function: lambda.Function;
  readonly role: FunctionRole;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    this.name = props.name;
    this.entry = join(props.functionsDir ?? FUNCTIONS_DIR, `${props.name}.ts`);

    this.logGroup = new logs.LogGroup(props.logScope ?? this, props.logScope ? `${id}LogGroup` : 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logEncryptionKey,
    });

    // A dedicated role instead of the AWSLambdaBasicExecutionRole managed policy: logs go only to
    // this function's log group (its Arn attribute already ends in `:*`, covering its streams).
    this.role = new FunctionRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.name} function`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.grantPrincipal = this.role;

    const common = {
      description: props.description ?? `functions/${props.name}.ts`,
      runtime: HOUSE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: (props.tracing ?? true) ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      role: this.role,
      logGroup: this.logGroup,
      deadLetterQueue: props.deadLetterQueue,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
    } satisfies Partial<lambda.FunctionProps>;

    if (props.skipBundling) {
      // Plain lambda.Function: NodejsFunction would insist on the entry file existing.
      this.function = new lambda.Function(this, 'Function', {
        ...common,
        code: lambda.Code.fromInline('exports.handler = async () => ({});'),
        handler: 'index.handler',
      });
    } else {
      if (!existsSync(this.entry)) {
        throw new Error(
          `HouseFunction "${props.name}": entry file ${this.entry} does not exist. ` +
            `Create functions/${props.name}.ts exporting "handler", or synthesize with ` +
            `${SKIP_BUNDLING_ENV_VAR}=1 (or -c ${SKIP_BUNDLING_CONTEXT_KEY}=true) to check the stacks without bundling.`,
        );
      }
      this.function = new NodejsFunction(this, 'Function', {
        ...common,
        entry: this.entry,
        handler: 'handler',
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
        bundling: bundlingFor(props.lazyModules, props.bundledAdapters),
      });
    }

    // X-Ray tracing (requested by AwsSolutions) adds xray:PutTraceSegments/PutTelemetryRecords,
    // which have no resource-level permissions. On the role resource only: the wildcard policies
    // beside it (iam.Policy resources of their own) carry their own acknowledgements.
    Validations.of(this.role.node.defaultChild as iam.CfnRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray actions xray:PutTraceSegments and xray:PutTelemetryRecords use Resource "*": X-Ray has no resource-level permissions. Every other statement of this role\'s inline policy names its resource.',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x (maintained LTS) on purpose: the bundle targets node20 because the local dev stack and tests run the same handlers on Node 20; move to nodejs24.x together with the local toolchain.',
    });
  }

  /** Adds an environment variable to the function. */
  addEnvironment(key: string, value: string): void {
    this.function.addEnvironment(key, value);
  }

  /**
   * Adds a statement to the function role's inline policy. A statement on `Resource: "*"` belongs in
   * its own `iam.Policy` with its own cdk-nag acknowledgement, never here (the role's
   * acknowledgement only covers X-Ray).
   */
  addToRolePolicy(statement: iam.PolicyStatement): void {
    if (statement.resources.includes('*')) {
      throw new Error(
        `HouseFunction "${this.name}": put wildcard-resource statements in a separate iam.Policy`,
      );
    }
    this.role.addToPrincipalPolicy(statement);
  }

  get functionArn(): string {
    return this.function.functionArn;
  }
}

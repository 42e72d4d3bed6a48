import { randomBytes, randomUUID } from 'node:crypto';
import { createServer as createNetServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DEFAULT_OPERATOR_EMAIL,
  DEFAULT_SUPERVISOR_EMAIL,
  ENV,
  HMAC_KEYS,
  type HmacKey,
  hmacKeyIdVariable,
  hmacLocalSecretVariable,
} from '../shared/config/env';
import { readAsl, substituteAsl, substitutionKey } from '../shared/manifest/asl';
import {
  FUNCTIONS,
  functionOfSource,
  ROUTES,
  SCHEDULED_FUNCTIONS,
  taskFunctionsOf,
} from '../shared/manifest/functions';
import { PROCESSES } from '../shared/manifest/processes';
import { enforceManifestAccess, scopedLoader } from './access-control';
import { createApiServer, type LocalRoute } from './api-server';
import { createAwsJsonServer, operationsByQueueUrl } from './aws-json-server';
import {
  AGREEMENT_ARCHIVE_BUCKET,
  DOCUMENTS_BUCKET,
  LOCAL_ACCESS_KEY_ID,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  LOCAL_SECRET_ACCESS_KEY,
  localStateMachineArn,
  TABLE_NAME,
} from './constants';
import { startDynamoDbFaultProxy } from './dynamodb-fault-proxy';
import {
  checkJava,
  ensureTable,
  LocalSetupError,
  localDynamoDbClient,
  startDynamoDbLocal,
} from './dynamodb-local';
import { LocalEventBus } from './event-bus';
import { FaultInjector, FaultSpecError, parseFaultRequest, parseFaultSpec } from './faults';
import { ensureDir, loadOrCreateSecret } from './files';
import { type LocalHmacSecrets, localHmacSecrets } from './hmac-secrets';
import { closeServer, listen } from './http';
import { type KinesisLocal, startKinesisLocal } from './kinesis-local';
import { HandlerLoader, invokeLambda, lambdaArn } from './lambda-runtime';
import { createLogger, type LocalLogger } from './log';
import { holdFreePort, type PortHold, portFromEnv } from './ports';
import { LocalPageQueue } from './queue-local';
import { startS3Local } from './s3-local';
import { startSesLocal } from './ses-local';
import { type LocalStateMachine, LocalStepFunctions } from './sfn-endpoint';
import { SmsOutbox } from './sms-endpoint';
import { LocalQueue, LocalQueuePoller } from './sqs-queue';
import { LocalStaffAuth, type StaffTokenRequest } from './staff-auth';
import { LocalTableStream } from './table-stream';
import { DEFAULT_WEB_DIR } from './web-build';
import { createWebStatic } from './web-static';

export { LocalSetupError } from './dynamodb-local';

/** The ports of every part of the stack; 0 means "any free port". */
export interface LocalStackPorts {
  /** `PORT`, default 3000. */
  readonly api: number;
  /** `DYNAMODB_PORT`, default 8000. */
  readonly dynamodb: number;
  /** `SFN_PORT`, default 8083. */
  readonly sfn: number;
  /** `SMS_PORT`, default 8084. */
  readonly sms: number;
  /** `SES_PORT`, default 8005. */
  readonly ses: number;
  /** `S3_PORT`, default 4569. */
  readonly s3: number;
  /** `EVENTS_PORT` (the local EventBridge bus), default any free port. */
  readonly events: number;
  /**
   * `KINESIS_PORT`, default 4567 (kinesalite) for a stack started without ports (`npm run dev`);
   * any free port when 4567 is taken or the caller chose other ports and not this one.
   */
  readonly kinesis: number;
  /** `SQS_PORT` (the webhook delivery queue and the daily run's page queue); default any free port. */
  readonly sqs: number;
}

/** Options of {@link startLocalStack}; every field is optional. */
export interface LocalStackOptions {
  /** All local state (DynamoDB data, S3 files, executions, outboxes, keys). Default `LOCAL_STATE_DIR` or `.local/`. */
  readonly stateDir?: string;
  /** Overrides of the ports read from the environment (see {@link LocalStackPorts}). */
  readonly ports?: Partial<LocalStackPorts>;
  /** Where handler modules live (`<functionsDir>/<functionName>.ts`). Default `<repo>/functions`. */
  readonly functionsDir?: string;
  /** Extra or overriding environment variables for the handlers (deadlines, sender addresses...). */
  readonly env?: Readonly<Record<string, string>>;
  /** Replaces every ASL Retry interval with this many milliseconds (tests). */
  readonly retryIntervalMs?: number;
  /** Silences progress output (errors are still printed). */
  readonly quiet?: boolean;
  /**
   * The state machines to run instead of the processes', by name (ASL JSON text or object, ARNs
   * already in place); each gets the ARN `arn:aws:states:…:stateMachine:<name>`. Default: one per
   * process of `PROCESSES` (shared/manifest/processes.ts), from `workflow/<process>.asl.json`, substituted like CDK does.
   */
  readonly stateMachines?: Readonly<Record<string, string | Readonly<Record<string, unknown>>>>;
  /**
   * The fault-injection switch (see local/faults.ts): a spec armed at start (`''` arms nothing). Any
   * string also puts the DynamoDB fault proxy between the handlers and DynamoDB Local, which
   * DynamoDB faults need; `false` leaves it out. Default: `LOCAL_FAULTS` when set, else `false`.
   * Task faults can be armed at runtime (`POST /_local/faults`) either way.
   */
  readonly faults?: string | false;
  /** Port of the DynamoDB fault proxy; default `DYNAMODB_FAULT_PROXY_PORT`, else any free port. */
  readonly faultProxyPort?: number;
  /**
   * The built web apps served at `/console/` and `/m/` (local/web-build.ts builds them); default
   * `<repo>/.dist/web`. Read at each request, so a build that finishes after the start is served.
   */
  readonly webDir?: string;
}

/** The local parts of the integration surface. */
export interface IntegrationParts {
  readonly queue: LocalQueue;
  readonly bus: LocalEventBus;
  readonly stream: LocalTableStream;
}

/** Base URLs of the running parts. */
export interface LocalStackUrls {
  readonly api: string;
  readonly dynamodb: string;
  readonly sfn: string;
  readonly ses: string;
  /** The SES emulator's web page showing the sent mail. */
  readonly sesWeb: string;
  readonly s3: string;
  readonly sms: string;
  /** The local EventBridge bus (PutEvents). */
  readonly events: string;
  /** kinesalite: the transaction stream `pos-transactions`. */
  readonly kinesis: string;
  /** The local SQS endpoint of the webhook delivery queue and the daily run's pages. */
  readonly sqs: string;
  /** The DynamoDB fault proxy the handlers use, when the fault switch is on. */
  readonly dynamodbFaultProxy?: string;
}

/** A running local stack. */
export interface LocalStack {
  readonly urls: LocalStackUrls;
  readonly stateDir: string;
  /** The environment variables the stack set for the handlers (also in `process.env` until stop). */
  readonly env: Readonly<Record<string, string>>;
  /** The fault-injection switch (also at `GET`/`POST /_local/faults`). */
  readonly faults: FaultInjector;
  /** The ARN of every state machine the local Step Functions endpoint runs. */
  readonly stateMachineArns: readonly string[];
  /** The table's stream relay, the event bus and the webhook delivery queue (their counters too). */
  readonly integration: IntegrationParts;
  /** Whether the stream poller has read every shard to its end and the daily run's queue is empty. */
  streamIdle(): boolean;
  queueIdle(): boolean;
  /** Stops every server and child process and waits for them; restores `process.env`. Idempotent. */
  stop(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_PORTS: LocalStackPorts = {
  api: 3000,
  dynamodb: 8000,
  sfn: 8083,
  sms: 8084,
  ses: 8005,
  s3: 4569,
  events: 0,
  kinesis: 4567,
  sqs: 0,
};
const PORT_ENV: Record<keyof LocalStackPorts, string> = {
  api: 'PORT',
  dynamodb: 'DYNAMODB_PORT',
  sfn: 'SFN_PORT',
  sms: 'SMS_PORT',
  ses: 'SES_PORT',
  s3: 'S3_PORT',
  events: 'EVENTS_PORT',
  kinesis: 'KINESIS_PORT',
  sqs: 'SQS_PORT',
};
const DEADLINE_VARIABLES = [
  ENV.reviewEscalationSeconds,
  ENV.reviewFinalSeconds,
  ENV.resubmissionSeconds,
  ENV.draftTtlSeconds,
  ENV.transferAcceptanceSeconds,
  ENV.retentionSeconds,
  ENV.agreementReminderSeconds,
  ENV.reviewClaimSeconds,
] as const;
/** Notification settings taken from the developer's environment when set (e.g. a higher SMS limit). */
const NOTIFICATION_VARIABLES = [
  ENV.smsPerPhonePerHour,
  ENV.emailPerAddressPerHour,
  ENV.supervisorLocale,
  ENV.dailyChecksSettings,
] as const;
/** Webhook settings taken from the developer's environment when set (e.g. retries in seconds). */
const WEBHOOK_VARIABLES = [
  ENV.webhookRetryBaseSeconds,
  ENV.webhookRetryMaxAgeSeconds,
  ENV.webhookTimeoutSeconds,
  ENV.webhookSecretOverlapSeconds,
] as const;
/** The local bus's name (CDK names the deployed one). */
const EVENT_BUS_NAME = 'pos-onboarding-events';
/** The local webhook delivery queue. */
const WEBHOOK_QUEUE_NAME = 'webhook-deliveries';
/** The daily run's page queue. */
const DAILY_RUN_QUEUE = 'daily-run-pages';
/** Variables that would send the handlers' SDK clients somewhere other than the emulators. */
const CLEARED_VARIABLES = [
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_ENDPOINT_URL',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  // KMS keys would replace the local secrets of the keyed hasher.
  ...HMAC_KEYS.map(hmacKeyIdVariable),
] as const;

/**
 * Starts the whole system on this machine: DynamoDB Local, s3rver, aws-ses-v2-local, the local Step
 * Functions and SMS endpoints and the API server, with `process.env` pointing the unchanged AWS SDK
 * clients of the handlers at them. Resolves once every part answers; used by `npm run dev` and by
 * the integration tests. One stack per process: it owns `process.env`.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = createLogger(options.quiet ?? false);
  checkJava();
  const stateDir = ensureDir(resolve(options.stateDir ?? process.env.LOCAL_STATE_DIR ?? '.local'));

  const requested: { -readonly [K in keyof LocalStackPorts]: number } = resolvePorts(options.ports);
  // kinesalite's default port is a convenience of `npm run dev`, not a contract: a caller that
  // chose its own ports (tests, the bench) or a second stack takes any free one, held until bound;
  // two stacks starting at once would otherwise both find 4567 free and one fail to bind it.
  if (options.ports?.kinesis === undefined && process.env[PORT_ENV.kinesis] === undefined) {
    if (options.ports !== undefined || !(await isPortFree(requested.kinesis))) requested.kinesis = 0;
  }
  await Promise.all(
    Object.entries(requested).map(([part, port]) =>
      assertPortFree(port, PORT_ENV[part as keyof LocalStackPorts]),
    ),
  );
  const { ports, holds } = await concretePorts(requested);
  /** Lets go of the chosen free `port` just before its part binds it (no-op for a port asked for). */
  const release = async (...chosen: number[]) => {
    await Promise.all(chosen.map((port) => holds.get(port)?.release()));
  };
  const faultSpec = options.faults ?? process.env.LOCAL_FAULTS ?? false;
  const faults = new FaultInjector(faultSpec !== false);
  try {
    faults.arm(faultSpec === false ? [] : parseFaultSpec(faultSpec));
  } catch (error) {
    if (error instanceof FaultSpecError) throw new LocalSetupError(`LOCAL_FAULTS: ${error.message}`);
    throw error;
  }
  const faultProxyPort =
    faultSpec === false ? undefined : await freeUnless(options.faultProxyPort, ports, holds);
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const urls: LocalStackUrls = {
    api: apiUrl,
    dynamodb: `http://127.0.0.1:${ports.dynamodb}`,
    sfn: `http://127.0.0.1:${ports.sfn}`,
    sms: `http://127.0.0.1:${ports.sms}`,
    events: `http://127.0.0.1:${ports.events}`,
    sqs: `http://127.0.0.1:${ports.sqs}`,
    ses: `http://127.0.0.1:${ports.ses}`,
    sesWeb: `http://127.0.0.1:${ports.ses}/`,
    s3: `http://127.0.0.1:${ports.s3}`,
    kinesis: `http://127.0.0.1:${ports.kinesis}`,
    ...(faultProxyPort === undefined ? {} : { dynamodbFaultProxy: `http://127.0.0.1:${faultProxyPort}` }),
  };

  const stateMachines = resolveStateMachines(options.stateMachines);
  let integrationParts: IntegrationParts | undefined;
  const hmac = localHmacSecrets(stateDir);
  if (hmac.sharedWithIdentity.length > 0) {
    log.info(
      `keys: this state dir predates per-purpose HMAC keys, so ${hmac.sharedWithIdentity.join(', ')} ` +
        'share its identity secret (its stored hashes keep matching); a new state dir gets a secret per purpose',
    );
  }
  const env = buildEnv(stateDir, urls, hmac, options.env ?? {});
  // The handlers' SDK clients go through the proxy; the stack's own client (ensureTable) does not.
  if (urls.dynamodbFaultProxy !== undefined && options.env?.AWS_ENDPOINT_URL_DYNAMODB === undefined) {
    env.AWS_ENDPOINT_URL_DYNAMODB = urls.dynamodbFaultProxy;
  }
  // Set before any handler module is imported: handlers read configuration at cold start.
  const restoreEnv = applyEnv(env);
  const stoppers: (() => Promise<void>)[] = [async () => restoreEnv(), () => release(...holds.keys())];
  const stopAll = async () => {
    for (const stopPart of stoppers.splice(0).reverse()) {
      try {
        await stopPart();
      } catch (error) {
        log.error('stop: a part failed to stop cleanly', error);
      }
    }
  };

  let kinesis: KinesisLocal | undefined;
  let queue: LocalPageQueue | undefined;
  try {
    await release(ports.dynamodb, ports.s3, ports.ses);
    const [dynamodb, , ses] = await Promise.all([
      startDynamoDbLocal({ dataDir: ensureDir(join(stateDir, 'dynamodb')), port: ports.dynamodb, log }).then(
        (part) => {
          stoppers.push(part.stop);
          return part;
        },
      ),
      startS3Local({
        directory: ensureDir(join(stateDir, 's3')),
        port: ports.s3,
        bucket: DOCUMENTS_BUCKET,
        otherBuckets: [AGREEMENT_ARCHIVE_BUCKET],
        log,
      }).then((part) => {
        stoppers.push(part.stop);
        return part;
      }),
      startSesLocal({ stateDir, port: ports.ses, log }).then((part) => {
        stoppers.push(part.stop);
        return part;
      }),
    ]);
    const dynamoClient = localDynamoDbClient(dynamodb.url);
    stoppers.push(async () => dynamoClient.destroy());
    await ensureTable(dynamoClient, TABLE_NAME, log);
    if (faultProxyPort !== undefined) {
      await release(faultProxyPort);
      const proxy = await startDynamoDbFaultProxy({
        upstream: dynamodb.url,
        port: faultProxyPort,
        faults,
        log,
      });
      stoppers.push(proxy.stop);
    }

    // Each function may touch only the key families of its manifest entry, as IAM allows in AWS.
    const loader = scopedLoader(
      new HandlerLoader(resolve(options.functionsDir ?? join(REPO_ROOT, 'functions'))),
    );
    const allowAnyTableAccess = enforceManifestAccess(FUNCTIONS);
    stoppers.push(async () => allowAnyTableAccess());
    const sfn = new LocalStepFunctions({
      stateDir: ensureDir(join(stateDir, 'sfn')),
      stateMachines,
      loader,
      retryIntervalMs: options.retryIntervalMs,
      log,
      faults,
    });
    const sfnServer = createAwsJsonServer({
      serviceName: 'Step Functions',
      targetPrefix: 'AWSStepFunctions',
      operations: sfn.operations,
      log,
    });
    await release(ports.sfn);
    await listenOrExplain(sfnServer, ports.sfn, PORT_ENV.sfn);
    stoppers.push(() => closeServer(sfnServer));

    const sms = new SmsOutbox(stateDir, log);
    const smsServer = createAwsJsonServer({
      serviceName: 'SMS',
      targetPrefix: 'PinpointSMSVoiceV2',
      operations: sms.operations,
      log,
    });
    await release(ports.sms);
    await listenOrExplain(smsServer, ports.sms, PORT_ENV.sms);
    stoppers.push(() => closeServer(smsServer));
    // Stopped after the API server and before the endpoints: halted executions never re-run handlers.
    stoppers.push(() => sfn.close());

    const deliveryQueue = new LocalQueue({ name: WEBHOOK_QUEUE_NAME, stateDir, log });
    const integration = {
      queue: deliveryQueue,
      bus: new LocalEventBus(EVENT_BUS_NAME, deliveryQueue),
      stream: new LocalTableStream({
        dynamodbUrl: dynamodb.url,
        tableName: TABLE_NAME,
        stateDir,
        log,
        invoke: (event) => invokeLambda(loader, 'relay-table-events', event, { timeoutMs: 60_000 }),
      }),
    };
    integrationParts = integration;
    // The daily run's page queue (SQS in AWS) and the transaction stream (Kinesis in AWS).
    const pageQueue = new LocalPageQueue({
      stateDir: ensureDir(join(stateDir, 'queues')),
      name: DAILY_RUN_QUEUE,
      functionName: functionOfSource('queue', 'daily-run-pages'),
      loader,
      log,
    });
    // One SQS endpoint for both queues, as in an account: each call names its queue's URL.
    const sqsServer = createAwsJsonServer({
      serviceName: 'SQS',
      targetPrefix: 'AmazonSQS',
      operations: operationsByQueueUrl({
        [WEBHOOK_QUEUE_NAME]: integration.queue.operations,
        [DAILY_RUN_QUEUE]: pageQueue.operations,
      }),
      log,
    });
    await release(ports.sqs);
    await listenOrExplain(sqsServer, ports.sqs, PORT_ENV.sqs);
    stoppers.push(() => closeServer(sqsServer));
    pageQueue.start();
    stoppers.push(() => pageQueue.stop());
    await release(ports.kinesis);
    kinesis = await startKinesisLocal({
      stateDir,
      port: ports.kinesis,
      log,
      loader,
      functionName: functionOfSource('stream', 'transactions'),
    });
    stoppers.push(() => (kinesis as KinesisLocal).stop());
    queue = pageQueue;

    const staffAuth = await LocalStaffAuth.create({
      stateDir,
      issuer: env[ENV.staffJwtIssuer] ?? `${apiUrl}/_local`,
      audience: env[ENV.staffJwtAudience] ?? 'local-staff',
    });
    const apiServer = createApiServer({
      routes: ROUTES,
      localRoutes: localRoutes({
        staffAuth,
        sms,
        ses,
        sfn,
        loader,
        faults,
        integration,
        kinesis,
        queue: pageQueue,
      }),
      loader,
      staffAuth,
      log,
      web: createWebStatic({ rootDir: options.webDir ?? DEFAULT_WEB_DIR, documentsOrigin: urls.s3 }),
    });
    await release(ports.api);
    await listenOrExplain(apiServer, ports.api, PORT_ENV.api);
    stoppers.push(() => closeServer(apiServer));

    // Domain events: the table's stream → relay → bus → webhook queue → delivery, as in AWS.
    const eventsServer = createAwsJsonServer({
      serviceName: 'EventBridge',
      targetPrefix: 'AWSEvents',
      operations: integration.bus.operations,
      log,
    });
    await release(ports.events);
    await listenOrExplain(eventsServer, ports.events, PORT_ENV.events);
    stoppers.push(() => closeServer(eventsServer));
    // The webhook queue is on the SQS endpoint with the daily run's pages (above).
    const poller = new LocalQueuePoller(
      integration.queue,
      (event) => invokeLambda(loader, 'deliver-webhooks', event, { timeoutMs: 60_000 }),
      log,
    );
    poller.start();
    stoppers.push(() => poller.stop());
    await integration.stream.start(dynamoClient);
    stoppers.push(() => integration.stream.stop());

    await waitUntilReady(urls, log);
    const resumed = sfn.resumePending();
    if (resumed > 0) log.info(`sfn: resumed ${resumed} running execution(s)`);
    log.info('ready');
  } catch (error) {
    await stopAll();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const parts = integrationParts as IntegrationParts | undefined;
  if (!parts) throw new Error('unreachable: the integration parts start with the stack');
  return {
    urls,
    stateDir,
    env,
    faults,
    integration: parts,
    stateMachineArns: stateMachines.map((machine) => machine.stateMachineArn),
    streamIdle: () => kinesis?.idle() ?? true,
    queueIdle: () => queue?.idle() ?? true,
    stop: () => {
      stopping ??= stopAll();
      return stopping;
    },
  };
}

function resolvePorts(overrides: Partial<LocalStackPorts> = {}): LocalStackPorts {
  const ports = {} as Record<keyof LocalStackPorts, number>;
  for (const part of Object.keys(DEFAULT_PORTS) as (keyof LocalStackPorts)[]) {
    ports[part] = overrides[part] ?? portFromEnv(PORT_ENV[part], DEFAULT_PORTS[part]);
  }
  return ports;
}

async function concretePorts(
  ports: LocalStackPorts,
): Promise<{ ports: LocalStackPorts; holds: Map<number, PortHold> }> {
  const holds = new Map<number, PortHold>();
  const result = {} as Record<keyof LocalStackPorts, number>;
  const asked = new Set(Object.values(ports).filter((port) => port !== 0));
  for (const part of Object.keys(ports) as (keyof LocalStackPorts)[]) {
    // Every free port is chosen up front (the API's URL goes into the JWT issuer before it
    // listens) and held until its part binds it.
    if (ports[part] !== 0) {
      result[part] = ports[part];
      continue;
    }
    let hold = await holdFreePort();
    while (asked.has(hold.port)) {
      const next = await holdFreePort();
      await hold.release();
      hold = next;
    }
    holds.set(hold.port, hold);
    result[part] = hold.port;
  }
  return { ports: result, holds };
}

/** The fault proxy's port: the one asked for (option, then `DYNAMODB_FAULT_PROXY_PORT`), else a free one. */
async function freeUnless(
  requested: number | undefined,
  taken: LocalStackPorts,
  holds: Map<number, PortHold>,
): Promise<number> {
  const port = requested ?? portFromEnv('DYNAMODB_FAULT_PROXY_PORT', 0);
  if (port !== 0) return port;
  const used = new Set(Object.values(taken));
  let hold = await holdFreePort();
  while (used.has(hold.port)) {
    const next = await holdFreePort();
    await hold.release();
    hold = next;
  }
  holds.set(hold.port, hold);
  return hold.port;
}

/** Whether `port` can be listened on now. */
function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const probe = createNetServer();
    probe.once('error', () => resolvePromise(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePromise(true)));
  });
}

/** Refuses a busy port with one line naming the variable to change. */
async function assertPortFree(port: number, envName: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolvePromise, reject) => {
    const probe = createNetServer();
    probe.once('error', () => {
      reject(
        new LocalSetupError(
          `Port ${port} (${envName}) is already in use: stop what runs there or set ${envName} to another port`,
        ),
      );
    });
    probe.listen(port, () => probe.close(() => resolvePromise()));
  });
}

async function listenOrExplain(
  server: import('node:http').Server,
  port: number,
  envName: string,
): Promise<void> {
  try {
    await listen(server, port, '127.0.0.1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new LocalSetupError(
        `Port ${port} (${envName}) is already in use: stop what runs there or set ${envName} to another port`,
      );
    }
    throw error;
  }
}

function buildEnv(
  stateDir: string,
  urls: LocalStackUrls,
  hmac: LocalHmacSecrets,
  overrides: Readonly<Record<string, string>>,
): Record<string, string> {
  const fromProcess = (name: string, fallback: string) => process.env[name] ?? fallback;
  const env: Record<string, string> = {
    [ENV.tableName]: TABLE_NAME,
    [ENV.documentsBucket]: DOCUMENTS_BUCKET,
    [ENV.agreementArchiveBucket]: AGREEMENT_ARCHIVE_BUCKET,
    // The agreement messages link the merchant pages served by this API server.
    [ENV.merchantPagesUrl]: fromProcess(ENV.merchantPagesUrl, `${urls.api}/m/`),
    // Every process's state machine on the local Step Functions endpoint.
    ...Object.fromEntries(
      PROCESSES.map((process) => [process.arnVariable, localStateMachineArn(process.name)]),
    ),
    [ENV.acquirerCode]: fromProcess(ENV.acquirerCode, '102'),
    [ENV.senderEmail]: fromProcess(ENV.senderEmail, 'onboarding@pos-onboarding.local'),
    [ENV.supervisorEmail]: fromProcess(ENV.supervisorEmail, DEFAULT_SUPERVISOR_EMAIL),
    [ENV.smsOriginationIdentity]: fromProcess(ENV.smsOriginationIdentity, 'LOCALSMS'),
    [ENV.smsSignature]: fromProcess(ENV.smsSignature, '拉卡拉'),
    // One secret per HMAC purpose, generated once per state directory so keyed hashes of stored
    // values stay comparable across restarts.
    ...Object.fromEntries(
      Object.entries(hmac.secrets).map(([key, secret]) => [hmacLocalSecretVariable(key as HmacKey), secret]),
    ),
    // Stands in for the KMS key of the field cipher; per state dir so stored fields decrypt after a restart.
    [ENV.fieldCipherLocalKey]: loadOrCreateSecret(join(stateDir, 'field-cipher-key'), () =>
      randomBytes(32).toString('base64url'),
    ),
    [ENV.staffJwtIssuer]: `${urls.api}/_local`,
    [ENV.staffJwtAudience]: 'local-staff',
    [ENV.staffJwksUri]: `${urls.api}/_local/jwks.json`,
    // The dev server issues 1-hour staff tokens (a pool issues 5-minute ones): the age limit follows.
    [ENV.staffTokenMaxAgeSeconds]: '3600',
    [ENV.s3ForcePathStyle]: 'true',
    [ENV.eventBusName]: EVENT_BUS_NAME,
    [ENV.webhookQueueUrl]: `${urls.sqs}/${LOCAL_ACCOUNT_ID}/${WEBHOOK_QUEUE_NAME}`,
    // Receivers on this machine (http://127.0.0.1:<port>); private and link-local stay refused.
    [ENV.webhookAllowLoopback]: 'true',
    // s3rver keeps no versions: documents are pinned by ETag and erased by key (docs/security.md).
    [ENV.documentsVersioned]: 'false',
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: LOCAL_SECRET_ACCESS_KEY,
    // Read by every AWS SDK v3 client: AWS_ENDPOINT_URL_<serviceId in upper case, spaces as _>.
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_S3: urls.s3,
    AWS_ENDPOINT_URL_SESV2: urls.ses,
    AWS_ENDPOINT_URL_SFN: urls.sfn,
    AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: urls.sms,
    AWS_ENDPOINT_URL_EVENTBRIDGE: urls.events,
    AWS_ENDPOINT_URL_SQS: urls.sqs,
    AWS_ENDPOINT_URL_KINESIS: urls.kinesis,
    [ENV.dailyRunQueueUrl]: `${urls.sqs}/${LOCAL_ACCOUNT_ID}/${DAILY_RUN_QUEUE}`,
    [ENV.operatorEmail]: fromProcess(ENV.operatorEmail, DEFAULT_OPERATOR_EMAIL),
  };
  for (const name of [...DEADLINE_VARIABLES, ...NOTIFICATION_VARIABLES, ...WEBHOOK_VARIABLES]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...overrides };
}

/** Applies `env` to `process.env` (clearing variables that would misroute SDK clients); returns the undo. */
function applyEnv(env: Readonly<Record<string, string>>): () => void {
  const names = new Set<string>([...Object.keys(env), ...CLEARED_VARIABLES]);
  const previous = new Map<string, string | undefined>([...names].map((name) => [name, process.env[name]]));
  for (const name of CLEARED_VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

function resolveStateMachines(given: LocalStackOptions['stateMachines']): LocalStateMachine[] {
  if (given !== undefined) {
    return Object.entries(given).map(([name, definition]) => ({
      stateMachineArn: localStateMachineArn(name),
      definition:
        typeof definition === 'string'
          ? (JSON.parse(definition) as Record<string, unknown>)
          : (structuredClone(definition) as Record<string, unknown>),
    }));
  }
  // The same substitution CDK performs, with placeholder ARNs the local endpoint maps back to names.
  return PROCESSES.map((process) => ({
    stateMachineArn: localStateMachineArn(process.name),
    definition: JSON.parse(
      substituteAsl(
        readAsl(process),
        Object.fromEntries(
          taskFunctionsOf(process.name).map((name) => [substitutionKey(name), lambdaArn(name)]),
        ),
      ),
    ) as Record<string, unknown>,
  }));
}

/** Resolves once every part answers a real request (the stack reports ready only then). */
async function waitUntilReady(urls: LocalStackUrls, log: LocalLogger): Promise<void> {
  const s3 = new S3Client({
    endpoint: urls.s3,
    region: LOCAL_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY },
  });
  const httpOk = async (url: string) => {
    const response = await fetch(url);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  };
  try {
    await Promise.all([
      s3.send(new HeadBucketCommand({ Bucket: DOCUMENTS_BUCKET })),
      httpOk(`${urls.ses}/health-check`),
      httpOk(urls.sfn),
      httpOk(urls.sms),
      httpOk(`${urls.api}/_local/jwks.json`),
    ]);
  } finally {
    s3.destroy();
  }
  log.info('every part answers');
}

function localRoutes(parts: {
  staffAuth: LocalStaffAuth;
  sms: SmsOutbox;
  ses: Awaited<ReturnType<typeof startSesLocal>>;
  sfn: LocalStepFunctions;
  loader: HandlerLoader;
  faults: FaultInjector;
  integration: IntegrationParts;
  kinesis: KinesisLocal;
  queue: LocalPageQueue;
}): LocalRoute[] {
  return [
    // Each scheduled function (an EventBridge rule in AWS) runs now on its local path, with the
    // event EventBridge sends; the function works from the real clock, as deployed. One that only a
    // profile's provider needs (pulling a mainland SMS provider's receipts) has no local path.
    ...SCHEDULED_FUNCTIONS.flatMap(({ name, trigger: { localPath, schedule } }): LocalRoute[] =>
      localPath === undefined
        ? []
        : [
            {
              method: 'POST',
              path: localPath,
              handle: async () => ({
                statusCode: 200,
                body: await invokeLambda(parts.loader, name, scheduledEvent(schedule), {
                  timeoutMs: 120_000,
                }),
              }),
            },
          ],
    ),
    {
      // The domain events published lately (oldest first), as the bus received them.
      method: 'GET',
      path: '/_local/events',
      handle: ({ query }) => {
        const type = query.get('type');
        const events = parts.integration.bus.events();
        return {
          statusCode: 200,
          body: { events: type === null ? events : events.filter((e) => e.type === type) },
        };
      },
    },
    {
      // The stream as the poller sees it: checkpoints, counts, batches sent to the on-failure destination.
      method: 'GET',
      path: '/_local/stream',
      handle: () => ({
        statusCode: 200,
        body: {
          streamName: parts.kinesis.streamName,
          url: parts.kinesis.url,
          idle: parts.kinesis.idle(),
          checkpoints: parts.kinesis.checkpoints(),
          stats: parts.kinesis.stats(),
          onFailure: parts.kinesis.failures(),
        },
      }),
    },
    {
      // What EventBridge Scheduler does at 02:00: {"day": "2026-12-06"} (default: yesterday, Asia/Shanghai).
      // With "wait": true the answer comes once every page is done.
      method: 'POST',
      path: '/_local/daily-run',
      handle: async ({ body }) => {
        let request: { day?: unknown; wait?: unknown };
        try {
          request = JSON.parse(body || '{}') as typeof request;
        } catch {
          return {
            statusCode: 400,
            body: {
              error: { code: 'VALIDATION_FAILED', message: 'Body must be JSON: {"day": "2026-12-06"}' },
            },
          };
        }
        try {
          const started = await invokeLambda(
            parts.loader,
            functionOfSource('schedule', 'daily-run'),
            request.day === undefined ? {} : { day: request.day },
            { timeoutMs: 30_000 },
          );
          if (request.wait === true) {
            const deadline = Date.now() + 120_000;
            // Settled: nothing waits in the queue for a few polls in a row.
            let quiet = 0;
            while (quiet < 3 && Date.now() < deadline) {
              await new Promise((resolve) => setTimeout(resolve, 100));
              quiet = parts.queue.idle() ? quiet + 1 : 0;
            }
          }
          return {
            statusCode: request.wait === true ? 200 : 202,
            body: { run: started, queue: parts.queue.snapshot() },
          };
        } catch (error) {
          return {
            statusCode: 400,
            body: { error: { code: 'VALIDATION_FAILED', message: (error as Error).message } },
          };
        }
      },
    },
    {
      method: 'GET',
      path: '/_local/faults',
      handle: () => ({ statusCode: 200, body: parts.faults.snapshot() }),
    },
    {
      // Replaces the armed faults: {"faults": "ProvisionMerchant:2,dynamodb.TransactWriteItems:3"}
      // (or an array of {target, count, error}); {"faults": ""} disarms all. Counters are kept.
      method: 'POST',
      path: '/_local/faults',
      handle: ({ body }) => {
        try {
          const parsed: unknown = JSON.parse(body || '{}');
          const request =
            typeof parsed === 'object' && parsed !== null ? (parsed as { faults?: unknown }) : {};
          parts.faults.arm(parseFaultRequest(request.faults));
          return { statusCode: 200, body: parts.faults.snapshot() };
        } catch (error) {
          const message =
            error instanceof FaultSpecError
              ? error.message
              : 'Body must be JSON: {"faults": "ProvisionMerchant:2"}';
          return { statusCode: 400, body: { error: { code: 'VALIDATION_FAILED', message } } };
        }
      },
    },
    {
      method: 'POST',
      path: '/_local/tokens',
      handle: async ({ body }) => {
        const request = parseTokenRequest(body);
        if (typeof request === 'string') {
          return { statusCode: 400, body: { error: { code: 'VALIDATION_FAILED', message: request } } };
        }
        return { statusCode: 200, body: { token: await parts.staffAuth.issue(request) } };
      },
    },
    {
      method: 'GET',
      path: '/_local/jwks.json',
      handle: () => ({ statusCode: 200, body: parts.staffAuth.jwks() }),
    },
    {
      method: 'GET',
      path: '/_local/sms',
      handle: ({ query }) => ({
        statusCode: 200,
        body: { messages: parts.sms.list(query.get('to') ?? undefined) },
      }),
    },
    {
      method: 'GET',
      path: '/_local/emails',
      handle: async ({ query }) => {
        const to = query.get('to');
        const emails = await parts.ses.emails();
        return {
          statusCode: 200,
          body: { messages: to === null ? emails : emails.filter((email) => email.to.includes(to)) },
        };
      },
    },
    {
      // The emulator never bounces: this delivers an SES event (a bounce or complaint as SES
      // publishes it) to handle-email-events wrapped in SNS, the way the topic does in AWS.
      method: 'POST',
      path: '/_local/email-events',
      handle: async ({ body }) => {
        let event: unknown;
        try {
          event = JSON.parse(body || 'null');
        } catch {
          return {
            statusCode: 400,
            body: { error: { code: 'VALIDATION_FAILED', message: 'Body must be JSON' } },
          };
        }
        if (typeof event !== 'object' || event === null || Array.isArray(event)) {
          return {
            statusCode: 400,
            body: { error: { code: 'VALIDATION_FAILED', message: 'Body must be an SES event object' } },
          };
        }
        const result = await invokeLambda(parts.loader, 'handle-email-events', snsEnvelope(event), {
          timeoutMs: 10_000,
        });
        return { statusCode: 200, body: result };
      },
    },
    {
      method: 'GET',
      path: '/_local/executions',
      handle: () => ({
        statusCode: 200,
        body: {
          executions: parts.sfn.listRecords().map((record) => ({
            executionArn: record.executionArn,
            stateMachineArn: record.stateMachineArn,
            name: record.name,
            status: record.status,
            currentState: record.resume?.stateName,
            startDate: new Date(record.startDate).toISOString(),
            stopDate: record.stopDate === undefined ? undefined : new Date(record.stopDate).toISOString(),
            error: record.error,
            cause: record.cause,
            historyEvents: record.history.length,
          })),
        },
      }),
    },
  ];
}

/** An SNS notification event carrying one message, as SNS delivers it to a Lambda subscriber. */
function snsEnvelope(message: object) {
  const now = new Date().toISOString();
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:email-events:local`,
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:email-events`,
          Subject: null,
          Message: JSON.stringify(message),
          Timestamp: now,
          SignatureVersion: '1',
          Signature: '',
          SigningCertUrl: '',
          UnsubscribeUrl: '',
          MessageAttributes: {},
        },
      },
    ],
  };
}

/** Validates `POST /_local/tokens`; returns the request or an error message. */
function parseTokenRequest(body: string): StaffTokenRequest | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body || '{}');
  } catch {
    return 'Body must be JSON: {"sub": "rev-1", "groups": ["reviewer"]}';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return 'Body must be a JSON object';
  const { sub, groups, username, email, expiresInSeconds, ...unknown } = parsed as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) return `Unknown fields: ${extra.join(', ')}`;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 128)
    return 'sub must be a non-empty string';
  if (
    !Array.isArray(groups) ||
    !groups.every((group) => typeof group === 'string' && /^[\w.-]{1,64}$/.test(group))
  ) {
    return 'groups must be an array of group names, e.g. ["reviewer"]';
  }
  if (username !== undefined && (typeof username !== 'string' || username.length === 0))
    return 'username must be a string';
  if (email !== undefined && typeof email !== 'string') return 'email must be a string';
  if (
    expiresInSeconds !== undefined &&
    (typeof expiresInSeconds !== 'number' ||
      !Number.isInteger(expiresInSeconds) ||
      expiresInSeconds < 1 ||
      expiresInSeconds > 86_400)
  ) {
    return 'expiresInSeconds must be an integer from 1 to 86400';
  }
  return {
    sub,
    groups: groups as string[],
    ...(username === undefined ? {} : { username: username as string }),
    ...(email === undefined ? {} : { email: email as string }),
    ...(expiresInSeconds === undefined ? {} : { expiresInSeconds: expiresInSeconds as number }),
  };
}

/** The event EventBridge sends a scheduled rule's target. */
function scheduledEvent(schedule: string) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT_ID,
    time: new Date().toISOString(),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:rule/local-schedule`],
    detail: { schedule },
  };
}

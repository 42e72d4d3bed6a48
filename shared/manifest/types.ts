import type { HmacKey, WorkflowProcess } from '../config/env';
import type { KeyFamily } from '../keys';

/*
 * What a function IS, as data: the one typed entry per file under `functions/` that the CDK
 * stack (infra/), the local stack behind `npm run dev` (local/) and `npm run bench` read. A
 * function file imports its own entry only (its bundle holds that one object, not the manifest).
 */

/**
 * Who may call a route:
 * - `public`: nobody is authenticated at the edge (creating an application, health).
 * - `merchant`: the handler verifies the merchant's Bearer access token itself.
 * - `staff`: a Cognito JWT in one of `groups`; API Gateway's Cognito authorizer in AWS, the local
 *   server (same claim format) in `npm run dev`. The handler re-checks the group.
 * - `merchant-or-staff`: either credential; the handler tells them apart and verifies both.
 */
export type RouteAuth = 'public' | 'merchant' | 'staff' | 'merchant-or-staff';

/** Staff groups of the Cognito user pool. */
export type StaffGroup = 'reviewer' | 'operator';

/**
 * What a merchant route's path names, so the one object-level guard (shared/http/merchant-route.ts)
 * knows whose object it is: `application` (`{id}`, the token's own application), `merchant`
 * (`{merchantNo}`), `terminal` (`{sn}`, bound to the merchant), `transfer-request` (`{id}`, the
 * merchant is a party) and `change-request` (`{merchantNo}` and `{id}`, the merchant's own).
 */
export type OwnedObjectKind = 'application' | 'merchant' | 'terminal' | 'transfer-request' | 'change-request';

/** HTTP methods of the API. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** API Gateway method throttling (requests per second, burst), tighter than the stage's. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** Invoked by API Gateway (Lambda proxy integration) and by the local API server. */
export interface RouteTrigger {
  readonly kind: 'route';
  readonly method: HttpMethod;
  /** API Gateway resource path with `{param}` placeholders. */
  readonly path: string;
  readonly auth: RouteAuth;
  /** Groups allowed on `staff` and `merchant-or-staff` routes (required there, absent elsewhere). */
  readonly groups?: readonly StaffGroup[];
  /** Required on `merchant` and `merchant-or-staff` routes: what the path's parameter names. */
  readonly object?: OwnedObjectKind;
  /** Per-method throttling where one route is the obvious abuse target. @default the stage's */
  readonly throttle?: Throttle;
}

/** The workflow processes: one state machine each (shared/manifest/processes.ts). */
export type ProcessName = WorkflowProcess;

/** A Task state of a process's state machine (the ASL names it `${<PascalName>Arn}`). */
export interface TaskTrigger {
  readonly kind: 'task';
  readonly process: ProcessName;
}

/** Invoked asynchronously by an event source (never by a route or a state machine). */
export interface EventTrigger {
  readonly kind: 'event';
  /** `email-events`: SES bounces and complaints through the configuration set's SNS topic. */
  readonly source: 'email-events';
}

/**
 * API Gateway's authorizer of the `staff` routes where the deployment profile has no managed user
 * pool (the China profile: staff sign in at the acquirer's OIDC identity provider). A profile with
 * a managed user pool (Cognito) deploys no such function; neither does `npm run dev`, whose server
 * checks staff tokens itself.
 */
export interface AuthorizerTrigger {
  readonly kind: 'authorizer';
}

/**
 * Invoked with batches of the table's change stream (DynamoDB Streams, new and old images) through
 * an event source mapping that passes only the records of item families with an event mapper
 * (shared/events/mappers.ts); `npm run dev` polls DynamoDB Local's stream with the same filter.
 */
export interface TableStreamTrigger {
  readonly kind: 'table-stream';
}

/**
 * Invoked with batches of an SQS queue of the stack (event source mapping, partial batch failures);
 * `npm run dev` runs a local queue with the same semantics. `webhook-deliveries`: the domain events
 * the bus routes to webhooks, and each endpoint's delivery attempts; `daily-run-pages`: one page of
 * the daily run per message.
 */
export interface QueueTrigger {
  readonly kind: 'queue';
  readonly queue: 'webhook-deliveries' | 'daily-run-pages';
}

/**
 * Invoked by a Lambda event source mapping on a Kinesis data stream, in batches, with partial
 * batch failure reports (AWS: infra/constructs/transaction-ingest.ts; `npm run dev`: the local
 * poller of local/kinesis-local.ts).
 */
export interface StreamTrigger {
  readonly kind: 'stream';
  /** `transactions`: the payment host's transaction stream (spec section 8). */
  readonly source: 'transactions';
}

/**
 * Invoked on a schedule the entry states (an EventBridge rule in AWS, `POST /_local/<name>` in
 * `npm run dev`), one run at a time (reserved concurrency 1).
 */
export interface ScheduleTrigger {
  readonly kind: 'schedule';
  /** EventBridge schedule expression (UTC), e.g. `cron(0 19 * * ? *)` = 03:00 Asia/Shanghai. */
  readonly schedule: string;
  /**
   * The local route that runs it now in `npm run dev` (`/_local/...`); absent for a function that
   * only a deployment profile's provider needs (`provider`), which the local stack does not run.
   */
  readonly localPath?: `/_local/${string}`;
  /**
   * The provider need that makes a deployment profile deploy it, where only some do:
   * `sms-delivery-receipts` pulls the delivery receipts of an SMS provider that reports them on
   * request (the China profile's mainland provider). Absent: every profile deploys it.
   */
  readonly provider?: 'sms-delivery-receipts';
  /**
   * The function's timeout, under the schedule's period where runs come often (one run at a
   * time). @default 900 (the sweeps: 15 minutes to work through many items)
   */
  readonly timeoutSeconds?: number;
}

/**
 * Invoked on a schedule that the construct of its source owns (an EventBridge Scheduler schedule
 * in a time zone, with its own retry policy and dead-letter queue); locally by that source's
 * `/_local/` route.
 */
export interface SourceScheduleTrigger {
  readonly kind: 'schedule';
  /** `daily-run`: 02:00 Asia/Shanghai every day (infra/constructs/daily-run.ts). */
  readonly source: 'daily-run';
}

/** How a function is invoked. */
export type Trigger =
  | RouteTrigger
  | TaskTrigger
  | EventTrigger
  | AuthorizerTrigger
  | TableStreamTrigger
  | StreamTrigger
  | QueueTrigger
  | ScheduleTrigger
  | SourceScheduleTrigger;

/** AWS permissions beyond the table, each with what the grants construct gives for it. */
export type Capability =
  /** kms:GenerateMac with the identity HMAC key: licence, ID and account numbers (markers, blocklist). */
  | 'identityHmac'
  /** kms:GenerateMac with the activation-code HMAC key: issuing and checking activation codes. */
  | 'activationCodeHmac'
  /** kms:GenerateMac with the one-time-code HMAC key: verification, sign-in and signature codes. */
  | 'oneTimeCodeHmac'
  /** kms:GenerateMac with the address HMAC key: phones and emails (suppression list, send quotas). */
  | 'addressHmac'
  /** s3:PutObject on the documents bucket, to presign upload URLs. */
  | 'documentsPut'
  /**
   * s3:GetObject / GetObjectVersion (HeadObject, presigned GETs) on the documents bucket, to see
   * which documents were uploaded and read the pinned version of submitted ones.
   */
  | 'documentsRead'
  /** s3:DeleteObject / DeleteObjectVersion and the listings under `applications/`, to erase documents for good. */
  | 'documentsErase'
  /** states:StartExecution on the state machines of `workflows`. */
  | 'startExecution'
  /** states:StopExecution on the executions of `workflows`. */
  | 'stopExecution'
  /** states:SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat (the callback pattern) on `workflows`. */
  | 'taskResponse'
  /**
   * Sending email through the profile's transport: ses:SendEmail from the configured sender through
   * the configuration set, or reading the SMTP relay's credentials from Secrets Manager.
   */
  | 'sendEmail'
  /**
   * Sending SMS through the profile's provider: sms-voice:SendTextMessage (AWS End User Messaging
   * SMS), or reading the mainland provider's credentials from Secrets Manager.
   */
  | 'sendSms'
  /** cloudwatch:PutMetricData in the service's namespace only (EMF log lines need none). */
  | 'putMetrics'
  /** Pulling the SMS provider's delivery receipts: reading its credentials from Secrets Manager. */
  | 'smsDeliveryReceipts'
  /** s3:PutObject of signed agreements into the write-once (Object Lock) archive bucket. */
  | 'agreementArchive'
  /** events:PutEvents on the domain event bus. */
  | 'putEvents'
  /** sqs:SendMessage and sqs:ChangeMessageVisibility on the webhook delivery queue. */
  | 'webhookQueue'
  /** sqs:SendMessage on the daily run's page queue (DAILY_RUN_QUEUE_URL). */
  | 'dailyRunQueue';

/** The capability that grants each HMAC key (shared/config/env.ts `HMAC_KEYS`). */
export const HMAC_CAPABILITIES = {
  identity: 'identityHmac',
  'activation-code': 'activationCodeHmac',
  'one-time-code': 'oneTimeCodeHmac',
  'notification-address': 'addressHmac',
} as const satisfies Record<HmacKey, Capability>;

/** The capabilities that drive a state machine (they need `workflows`). */
export const WORKFLOW_CAPABILITIES: readonly Capability[] = [
  'startExecution',
  'stopExecution',
  'taskResponse',
];

/**
 * Use of the field cipher (envelope encryption of ID and account numbers, shared/adapters/field-cipher.ts)
 * by a function that builds a repository of such items: `key-id` only gets the key's id (it builds
 * one for lookups that open no field, and may use no KMS action), `encrypt` also seals new values
 * (kms:GenerateDataKey), `decrypt` also opens stored ones (kms:Decrypt).
 */
export type FieldCipherUse = 'key-id' | 'encrypt' | 'decrypt';

/**
 * Items of the one table a function may touch, by key family (shared/keys.ts): CDK grants item
 * actions on the table with `dynamodb:LeadingKeys` conditions, the local stack refuses anything
 * else (local/table-access.ts). Families in `write` are read too.
 */
export interface TableAccess {
  /** GetItem, BatchGetItem, Query, ConditionCheckItem. */
  readonly read?: readonly KeyFamily[];
  /** PutItem, UpdateItem, DeleteItem, and the reads. */
  readonly write?: readonly KeyFamily[];
}

/** Packages shipped next to a bundle and loaded by a dynamic `import()` on first use (infra/house-function.ts). */
export type LazyModule =
  /** Verifies staff JWTs on the merchant-or-staff routes, which mostly see merchant tokens. */
  | 'jose'
  /** Writes the product metrics (shared/metrics.ts), which only a failed, suppressed or rate-limited message counts. */
  | '@aws-lambda-powertools/metrics'
  /** Renders agreement PDFs (with fontkit and the font below): the renderer function only. */
  | 'pdfkit'
  | 'fontkit'
  /** The Noto Sans SC font file embedded (as a subset) in agreement PDFs; read, never imported. */
  | '@expo-google-fonts/noto-sans-sc';

/** One function: a file `functions/<name>.ts` that exports `handler`. */
export interface FunctionEntry {
  /** File name (without `.ts`) under `functions/`. */
  readonly name: string;
  readonly trigger: Trigger;
  /** The key families it reads and writes. @default no table access */
  readonly table?: TableAccess;
  /** Permissions beyond the table. @default none */
  readonly capabilities?: readonly Capability[];
  /**
   * The processes whose state machines the `startExecution`, `stopExecution` and `taskResponse`
   * capabilities apply to. Required with any of them; a Task's own process is not implied.
   */
  readonly workflows?: readonly ProcessName[];
  /** Builds a repository whose items hold encrypted fields. @default none */
  readonly fieldCipher?: FieldCipherUse;
  /** @default none */
  readonly lazyModules?: readonly LazyModule[];
}

/** An entry invoked by a route. */
export type RouteEntry = FunctionEntry & { readonly trigger: RouteTrigger };

/** A route behind the object-level guard: a merchant credential and an object kind. */
export type GuardedRouteEntry = FunctionEntry & {
  readonly trigger: RouteTrigger & {
    readonly auth: 'merchant' | 'merchant-or-staff';
    readonly object: OwnedObjectKind;
  };
};

/** A route behind the staff authorizer: the groups its handler re-checks. */
export type StaffRouteEntry = FunctionEntry & {
  readonly trigger: RouteTrigger & { readonly auth: 'staff'; readonly groups: readonly StaffGroup[] };
};

/** An entry invoked by a state machine. */
export type TaskEntry = FunctionEntry & { readonly trigger: TaskTrigger };

/**
 * One API route as the local API server, the REST API construct and the security tests read it:
 * the route trigger flattened with the name of the function that serves it.
 */
export interface RouteDefinition extends Omit<RouteTrigger, 'kind'> {
  /** File name (without extension) under `functions/` that exports `handler`. */
  readonly functionName: string;
}

/*
 * us-east-1 list prices (USD) of what one onboarding uses, for `npm run bench`'s cost figures.
 *
 * Recorded 2025-06 from the public AWS pricing pages (on-demand, no free tier, first volume tier);
 * re-check them before quoting a bill. DynamoDB is on-demand at the prices in force since the
 * November 2024 reduction. The SMS price is the least certain line: the China (+86) per-message
 * price of AWS End User Messaging SMS varies with the route and changes often; it is the same in
 * every scenario and its floor, so it moves the totals, not the judgement of the design (the
 * bench also reports the cost without messages).
 *
 * Not priced: KMS GenerateMac of the keyed hashes (USD 0.03 per 10,000, a few per onboarding),
 * CloudWatch Logs ingestion, X-Ray traces, Cognito, data transfer and storage (per month, not
 * per onboarding).
 */

/** When the prices below were recorded. */
export const PRICES_RECORDED = '2025-06';

/** USD per unit, us-east-1. */
export const PRICES = {
  /** Step Functions Standard: USD 0.025 per 1,000 state transitions. */
  stateTransition: 0.025 / 1000,
  /** Lambda: USD 0.20 per 1M requests. */
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda on Arm (Graviton): USD 0.0000133334 per GB-second. */
  lambdaArmGbSecond: 0.0000133334,
  /** API Gateway REST API: USD 3.50 per 1M requests (first 333M a month). */
  apiRequest: 3.5 / 1_000_000,
  /** DynamoDB on-demand: USD 0.625 per 1M write request units. */
  dynamoWriteUnit: 0.625 / 1_000_000,
  /** DynamoDB on-demand: USD 0.125 per 1M read request units. */
  dynamoReadUnit: 0.125 / 1_000_000,
  /** S3 Standard: USD 0.005 per 1,000 PUT, COPY, POST, LIST requests. */
  s3PutRequest: 0.005 / 1000,
  /** S3 Standard: USD 0.0004 per 1,000 GET, HEAD and other requests. */
  s3GetRequest: 0.0004 / 1000,
  /** SES: USD 0.10 per 1,000 outbound emails. */
  email: 0.1 / 1000,
  /** End User Messaging SMS to China (+86), one message part: approximate, see the file comment. */
  sms: 0.025,
  /**
   * EventBridge: USD 1.00 per million custom events published to an event bus; the pricing page
   * bills "each 64 KB chunk of a payload" as one event. Delivery to targets by rules is not billed
   * per event (the SQS queue and the function behind the webhook rule are billed by their own
   * services, and are webhook delivery, not publishing).
   */
  eventBridgeEvent: 1 / 1_000_000,
} as const;

/**
 * Lambda compute is not measurable locally; each invocation is priced at this billed duration
 * and memory (HouseFunction's 512 MB). The same assumption prices the floor, so it weighs
 * invocations without favouring either side.
 */
export const ASSUMED_LAMBDA = { billedMs: 100, memoryMb: 512 } as const;

/** What one onboarding used. */
export interface UsageCounts {
  readonly stateTransitions: number;
  /** API Gateway requests, each one Lambda invocation. */
  readonly apiRequests: number;
  /** Lambda invocations by the workflow's Task states. */
  readonly taskInvocations: number;
  readonly dynamoReadUnits: number;
  readonly dynamoWriteUnits: number;
  readonly s3PutRequests: number;
  readonly s3GetRequests: number;
  readonly emails: number;
  readonly smsParts: number;
}

/** USD per line for one onboarding. */
export interface CostBreakdown {
  readonly stepFunctions: number;
  readonly lambda: number;
  readonly apiGateway: number;
  readonly dynamodb: number;
  readonly s3: number;
  readonly email: number;
  readonly sms: number;
  /** Everything. */
  readonly total: number;
  /** Everything but email and SMS, whose number the spec fixes: what the design decides. */
  readonly withoutMessages: number;
}

/** Prices one onboarding's usage (USD). */
export function costOf(usage: UsageCounts, prices: typeof PRICES = PRICES): CostBreakdown {
  const invocations = usage.apiRequests + usage.taskInvocations;
  const gbSeconds = (ASSUMED_LAMBDA.billedMs / 1000) * (ASSUMED_LAMBDA.memoryMb / 1024);
  const stepFunctions = usage.stateTransitions * prices.stateTransition;
  const lambda = invocations * (prices.lambdaRequest + gbSeconds * prices.lambdaArmGbSecond);
  const apiGateway = usage.apiRequests * prices.apiRequest;
  const dynamodb =
    usage.dynamoReadUnits * prices.dynamoReadUnit + usage.dynamoWriteUnits * prices.dynamoWriteUnit;
  const s3 = usage.s3PutRequests * prices.s3PutRequest + usage.s3GetRequests * prices.s3GetRequest;
  const email = usage.emails * prices.email;
  const sms = usage.smsParts * prices.sms;
  const withoutMessages = stepFunctions + lambda + apiGateway + dynamodb + s3;
  return {
    stepFunctions,
    lambda,
    apiGateway,
    dynamodb,
    s3,
    email,
    sms,
    total: withoutMessages + email + sms,
    withoutMessages,
  };
}

/** USD per 1,000 onboardings. */
export function perThousand(usd: number): number {
  return usd * 1000;
}

/**
 * What publishing one onboarding's domain events used (bench/event-publish.ts): the path from the
 * table's change stream to the bus. Reading the stream is free for a Lambda trigger: the DynamoDB
 * pricing page says "You are not charged for GetRecords API calls invoked by AWS Lambda as part of
 * DynamoDB triggers." (DynamoDB Streams, on-demand and provisioned alike), so it has no line.
 */
export interface PublishUsage {
  /** Invocations of the stream-triggered relay function (one per batch of stream records). */
  readonly relayInvocations: number;
  /** The relay's mean measured duration per invocation (ms), locally. */
  readonly relayMeanMs: number;
  /** EventBridge events billed: one per started 64 KB of each PutEvents entry. */
  readonly busEvents: number;
  /** Table units the publishing path itself consumed (it reads the stream, not the table: 0 expected). */
  readonly dynamoReadUnits: number;
  readonly dynamoWriteUnits: number;
}

/** USD per line of {@link PublishUsage}. */
export interface PublishCostBreakdown {
  readonly lambda: number;
  readonly eventBridge: number;
  readonly dynamodb: number;
  readonly total: number;
}

/**
 * The billed duration of one relay invocation (ms): its measured mean rounded up to the
 * millisecond Lambda bills by, at least `minimumBilledMs` (default: the assumed duration).
 */
export function relayBilledMs(
  usage: PublishUsage,
  minimumBilledMs: number = ASSUMED_LAMBDA.billedMs,
): number {
  return Math.max(minimumBilledMs, Math.ceil(usage.relayMeanMs));
}

/**
 * Prices publishing (USD). Each relay invocation is billed at the larger of the assumed duration
 * the other invocations are priced at ({@link ASSUMED_LAMBDA}) and its measured mean, at the same
 * memory (the relay is a HouseFunction of 512 MB): a relay faster locally than the assumption is
 * not priced below the functions it is compared with (`minimumBilledMs: 1` prices the measured
 * duration alone).
 */
export function publishCostOf(
  usage: PublishUsage,
  options: { readonly prices?: typeof PRICES; readonly minimumBilledMs?: number } = {},
): PublishCostBreakdown {
  const prices = options.prices ?? PRICES;
  const billedMs = relayBilledMs(usage, options.minimumBilledMs);
  const gbSeconds = (billedMs / 1000) * (ASSUMED_LAMBDA.memoryMb / 1024);
  const lambda = usage.relayInvocations * (prices.lambdaRequest + gbSeconds * prices.lambdaArmGbSecond);
  const eventBridge = usage.busEvents * prices.eventBridgeEvent;
  const dynamodb =
    usage.dynamoReadUnits * prices.dynamoReadUnit + usage.dynamoWriteUnits * prices.dynamoWriteUnit;
  return { lambda, eventBridge, dynamodb, total: lambda + eventBridge + dynamodb };
}

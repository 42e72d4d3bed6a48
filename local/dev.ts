/**
 * `npm run dev`: starts the whole system locally, prints every URL, and stops every child process
 * on SIGINT/SIGTERM. Ports and the state directory come from the environment (see stack.ts).
 */
import {
  DOCUMENTS_BUCKET,
  LOCAL_ACCESS_KEY_ID,
  LOCAL_REGION,
  LOCAL_SECRET_ACCESS_KEY,
  TABLE_NAME,
} from './constants';
import { LocalSetupError, type LocalStack, startLocalStack } from './stack';
import { ensureWebBuilt } from './web-build';

let stack: LocalStack | undefined;
let signalled = false;

function stopAndExit(): void {
  const running = stack;
  if (!running) return;
  running
    .stop()
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      console.error('Stopping the local stack failed:', error);
      process.exit(1);
    });
}

// Installed before starting: a Ctrl-C during startup must still stop DynamoDB Local (a JVM that
// would otherwise outlive us), so it is honoured as soon as the stack is up.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (signalled) return;
    signalled = true;
    console.log(`\n${signal}: stopping the local stack...`);
    stopAndExit();
  });
}

try {
  // The web apps build (only when their sources changed) while the emulators start.
  const [started] = await Promise.all([
    // The fault switch is always on in dev (DynamoDB through the fault proxy), armed from LOCAL_FAULTS.
    startLocalStack({ faults: process.env.LOCAL_FAULTS ?? '' }),
    // A failed build leaves the API running; /console/ and /m/ answer 503 until `npm run build:web`.
    ensureWebBuilt({ log: (message) => console.log(`[local] ${message}`) }).catch((error: unknown) =>
      console.error('[local] web: the build failed:', error),
    ),
  ]);
  stack = started;
} catch (error) {
  // Setup problems (Java missing, port busy) are one actionable line, not a stack trace.
  if (error instanceof LocalSetupError) console.error(error.message);
  else console.error('The local stack failed to start:', error);
  process.exit(1);
}

if (signalled) {
  stopAndExit();
} else {
  console.log(banner(stack));
}

/** Every endpoint, every state machine ARN and the credentials any other client needs. */
function banner({ urls, stateDir, stateMachineArns }: LocalStack): string {
  return [
    '',
    'POS onboarding is running locally:',
    `  API             ${urls.api}`,
    `  health          ${urls.api}/v1/health`,
    `  staff console   ${urls.api}/console/  (English: ${urls.api}/console/?lang=en)`,
    `  merchant pages  ${urls.api}/m/`,
    `  staff token     POST ${urls.api}/_local/tokens {"sub":"rev-1","groups":["reviewer"]}`,
    `  emails (JSON)   ${urls.api}/_local/emails`,
    `  emails (web)    ${urls.sesWeb}`,
    `  SMS outbox      ${urls.api}/_local/sms`,
    `  email bounce    POST ${urls.api}/_local/email-events (an SES Bounce/Complaint event)`,
    `  SMS opt-out     PutOptedOutNumber on the SMS endpoint (aws pinpoint-sms-voice-v2, --endpoint-url)`,
    `  executions      ${urls.api}/_local/executions`,
    `  faults          ${urls.api}/_local/faults (POST {"faults":"ProvisionMerchant:2,dynamodb.TransactWriteItems:3"})`,
    `  stream          ${urls.api}/_local/stream (checkpoints, batches; npm run load:transactions)`,
    `  daily run       POST ${urls.api}/_local/daily-run {"day":"2026-12-06","wait":true}`,
    `  retention sweep POST ${urls.api}/_local/retention-run (the daily erasure, now; RETENTION_SECONDS sets the period)`,
    '',
    'AWS endpoints (any SDK or the AWS CLI with --endpoint-url):',
    `  DynamoDB        ${urls.dynamodb}  (table ${TABLE_NAME})`,
    ...(urls.dynamodbFaultProxy
      ? [`  DynamoDB proxy  ${urls.dynamodbFaultProxy}  (what the handlers use: faults)`]
      : []),
    `  S3              ${urls.s3}  (bucket ${DOCUMENTS_BUCKET}, path-style)`,
    `  SES v2          ${urls.ses}`,
    `  Step Functions  ${urls.sfn}`,
    ...stateMachineArns.map((arn) => `    state machine ${arn}`),
    `  SMS             ${urls.sms}`,
    `  Kinesis         ${urls.kinesis}  (stream pos-transactions, kinesalite)`,
    `  SQS             ${urls.sqs}  (the daily run's pages)`,
    '',
    'Credentials for every endpoint (s3rver accepts only this key; the others accept any):',
    `  AWS_ACCESS_KEY_ID=${LOCAL_ACCESS_KEY_ID} AWS_SECRET_ACCESS_KEY=${LOCAL_SECRET_ACCESS_KEY} AWS_REGION=${LOCAL_REGION}`,
    `  e.g. aws stepfunctions list-state-machines --endpoint-url ${urls.sfn}`,
    '',
    `  state           ${stateDir}`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

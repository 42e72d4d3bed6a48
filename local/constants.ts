/** The region of every local ARN and SDK client. */
export const LOCAL_REGION = 'us-east-1';
/** The account id of every local ARN (AWS's own placeholder account for emulators). */
export const LOCAL_ACCOUNT_ID = '000000000000';
/** The single DynamoDB table; the deployed stack gets the same name from CDK. */
export const TABLE_NAME = 'pos-onboarding';
/** The documents bucket (s3rver locally). */
export const DOCUMENTS_BUCKET = 'pos-onboarding-documents';
/** Name of the onboarding state machine. */
export const STATE_MACHINE_NAME = 'onboarding';
/** ARN handlers pass to StartExecution (`STATE_MACHINE_ARN`). */
export const STATE_MACHINE_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${STATE_MACHINE_NAME}`;
/**
 * Dummy credentials for every SDK client: s3rver only accepts its own hard-coded access key, while
 * DynamoDB Local, the SES emulator and the local SFN/SMS endpoints accept anything.
 */
export const LOCAL_ACCESS_KEY_ID = 'S3RVER';
/** See {@link LOCAL_ACCESS_KEY_ID}. */
export const LOCAL_SECRET_ACCESS_KEY = 'S3RVER';
/** The one line printed (and thrown) when DynamoDB Local cannot run. */
export const JAVA_MISSING_MESSAGE =
  'DynamoDB Local needs Java 17+: install a JDK (e.g. apt-get install openjdk-17-jre-headless) and run again';

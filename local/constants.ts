/** Fixed names of the local stack; the deployed stack gets the same values from CDK. */
export const LOCAL_REGION = 'us-east-1';
/** The account id every local ARN uses (AWS's own placeholder account for emulators). */
export const LOCAL_ACCOUNT_ID = '000000000000';
export const TABLE_NAME = 'pos-onboarding';
export const DOCUMENTS_BUCKET = 'pos-onboarding-documents';
export const STATE_MACHINE_NAME = 'onboarding';
export const STATE_MACHINE_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${STATE_MACHINE_NAME}`;
/**
 * s3rver only accepts its own hard-coded access key; DynamoDB Local, the SES emulator and the local
 * SFN/SMS endpoints accept anything, so this one pair of dummy credentials serves every client.
 */
export const LOCAL_ACCESS_KEY_ID = 'S3RVER';
export const LOCAL_SECRET_ACCESS_KEY = 'S3RVER';
/** The one line printed (and thrown) when DynamoDB Local cannot run. */
export const JAVA_MISSING_MESSAGE =
  'DynamoDB Local needs Java 17+: install a JDK (e.g. apt-get install openjdk-17-jre-headless) and run again';

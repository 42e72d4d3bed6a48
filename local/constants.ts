/** The region of every local ARN and SDK client. */
export const LOCAL_REGION = 'us-east-1';
/** The account id of every local ARN (AWS's own placeholder account for emulators). */
export const LOCAL_ACCOUNT_ID = '000000000000';
/** The single DynamoDB table; the deployed stack gets the same name from CDK. */
export const TABLE_NAME = 'pos-onboarding';
/** The documents bucket (s3rver locally). */
export const DOCUMENTS_BUCKET = 'pos-onboarding-documents';
/** The archive of signed agreements (s3rver locally: no Object Lock, which only AWS enforces). */
export const AGREEMENT_ARCHIVE_BUCKET = 'pos-onboarding-agreements';
/** The ARN of a local state machine: one per process (`onboarding`, `terminal-transfer`...), named after it. */
export function localStateMachineArn(name: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${name}`;
}
/**
 * The credentials every SDK client and every other client (the AWS CLI, a GUI) uses locally:
 * s3rver accepts only this access key (its own fixed pair); DynamoDB Local, the SES emulator and the
 * local Step Functions and SMS endpoints accept any key. Printed in the `npm run dev` banner.
 */
export const LOCAL_ACCESS_KEY_ID = 'S3RVER';
/** See {@link LOCAL_ACCESS_KEY_ID}. */
export const LOCAL_SECRET_ACCESS_KEY = 'S3RVER';
/** The one line printed (and thrown) when DynamoDB Local cannot run. */
export const JAVA_MISSING_MESSAGE =
  'DynamoDB Local needs Java 17+: install a JDK (e.g. apt-get install openjdk-17-jre-headless) and run again';

/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`).
 *
 * Context values (defaults in `cdk.json`, override with `-c key=value`; see OnboardingConfig):
 * - `stage`: API Gateway stage name.
 * - `acquirerCode`: 3-digit acquirer code, the start of every merchant number.
 * - `senderEmail`: From address of every email (SES identity verified by the operator beforehand).
 * - `supervisorEmail`: who is told about escalated reviews; `supervisorLocale`: their language (zh-CN or en).
 * - `smsOriginationIdentity`: End User Messaging SMS origination identity or its ARN; empty = service default.
 * - `smsSignature`: SMS signature, sent as 【signature】 at the start of every SMS.
 * - `smsPerPhonePerHour`: most SMS one phone number receives per clock hour (abuse limit; activation
 *   codes have their own counter); `emailPerAddressPerHour`: the same for one email address.
 * - `reviewEscalationSeconds`, `reviewFinalSeconds`, `resubmissionSeconds`, `draftTtlSeconds`: workflow deadlines.
 * - `reviewClaimSeconds`: the lease of a reviewer's claim on a review task (default 15 minutes).
 * - `alarmEmail` (optional): subscribed to the alarm topic.
 * - `partition` (`aws`, default, or `aws-cn`) and `region`: the deployment profile (infra/profiles/);
 *   `aws-cn` needs `region=cn-north-1` or `cn-northwest-1` and reads its providers' context
 *   (`smtpHost`, `smtpPort`, `staffOidc*`, `smsProvider*`; docs/deploy.md).
 * - `skipBundling` (or environment variable `CDK_SKIP_BUNDLING=1`): inline stub code instead of esbuild
 *   bundles, for quick synth checks; never deploy such a synth.
 * - `webDomainName` and `webCertificateArn` (optional, together): the web apps' custom host name and
 *   its ACM certificate in us-east-1 (TLS 1.2 minimum); `staffSignInDomainPrefix`: the staff Hosted
 *   UI's domain prefix.
 *
 * The web apps are built first (`.dist/web`, only when their sources changed): the web stack ships them.
 */
import { App } from 'aws-cdk-lib';
import { ensureWebBuilt } from '../local/web-build';
import { buildOnboardingApp, skipBundlingRequested } from './onboarding-app';

/*
 * aws-cdk-lib reports each asset it bundles ("Bundling asset <path>...", one line per function)
 * on stderr, and the CDK CLI prints the app's output even under --quiet (which only keeps the
 * template off stdout). Progress of ~50 bundles is noise: those lines are dropped, anything else
 * (esbuild warnings, errors) is printed as it comes.
 */
const writeStderr = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  if (typeof chunk === 'string' && /^Bundling asset \S+\.\.\.\n$/.test(chunk)) return true;
  return (writeStderr as (...args: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stderr.write;

// The web stack deploys the built apps: build them now if their sources changed since the last
// build (`npm run build:web`, a content fingerprint), so a deployment never ships stale pages.
await ensureWebBuilt({ log: (message) => console.error(message) });
const app = new App();
buildOnboardingApp(app, { skipBundling: skipBundlingRequested(app) });
app.synth();

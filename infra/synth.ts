/**
 * `npx tsx infra/synth.ts`: synthesizes into `cdk.out/` without the CDK CLI, with the context of
 * `cdk.json` (what `cdk synth` passes to the app). For machines whose `aws-cdk` CLI is older than
 * the cloud assembly version aws-cdk-lib writes. Honours CDK_SKIP_BUNDLING=1 like `cdk synth`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './house-function';

const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: object };
process.env.CDK_CONTEXT_JSON ??= JSON.stringify(cdkJson.context ?? {});
process.env.CDK_OUTDIR ??= join(PROJECT_ROOT, 'cdk.out');
await import('./app');
console.log(`Synthesized to ${process.env.CDK_OUTDIR}`);

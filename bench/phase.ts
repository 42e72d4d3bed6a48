import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FigureInput } from './report';

/*
 * Child-process entry of `npm run bench` (bench/run.ts starts it): one phase per fresh process, so
 * that phases share no JIT state, module cache or process-wide counter, and so that handler log
 * lines go to this process's stdout (/dev/null) rather than the report.
 *
 *   phase.ts warm-overhead <result.json>  (BENCH_WARM_FUNCTION: only its route, e.g. `health`)
 *   phase.ts cost <result.json>           (counts DynamoDB capacity: bench/capacity.ts)
 *   phase.ts scale <result.json>          (counts DynamoDB capacity: bench/capacity.ts)
 *   phase.ts agreement-pdf <result.json>  (renders agreement PDFs)
 *   phase.ts ingest <result.json>         (the transaction stream: bench/ingest.ts)
 *   phase.ts console <result.json>        (builds the web apps, a local stack, Chromium; counts capacity)
 *   phase.ts merchant-pages <result.json> (builds the web apps, a local stack, Chromium on a phone)
 *   phase.ts stack                        (IPC: sends the URLs, stops on any message)
 */

/** What a phase hands back. */
export interface PhaseResult {
  readonly figures: FigureInput[];
  readonly notes: string[];
}

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

async function cost(): Promise<PhaseResult> {
  const { measureCost } = await import('./cost');
  return measureCost(log);
}

async function scale(): Promise<PhaseResult> {
  const { measureScale } = await import('./scale');
  const sizes = (process.env.BENCH_SCALE_SIZES ?? '1000,100000').split(',').map(Number);
  return { figures: await measureScale(log, [sizes[0] ?? 1_000, sizes[1] ?? 100_000]), notes: [] };
}

async function consolePart(): Promise<PhaseResult> {
  const { measureConsole } = await import('./console');
  const sizes = (process.env.BENCH_CONSOLE_SIZES ?? '1000,100000').split(',').map(Number);
  return {
    figures: await measureConsole(log, { sizes: [sizes[0] ?? 1_000, sizes[1] ?? 100_000] }),
    notes: [],
  };
}

/** Runs the local stack for the throughput phase until the parent says stop. */
async function serveStack(): Promise<void> {
  const { startLocalStack } = await import('../local/stack');
  const stateDir = mkdtempSync(join(tmpdir(), 'pos-bench-stack-'));
  const stack = await startLocalStack({
    stateDir,
    ports: { api: 0, dynamodb: 0, sfn: 0, sms: 0, ses: 0, s3: 0, kinesis: 0, sqs: 0 },
    quiet: true,
  });
  const stop = async () => {
    await stack.stop();
    rmSync(stateDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('message', () => void stop());
  process.once('disconnect', () => void stop());
  process.send?.({ urls: stack.urls });
}

async function main(): Promise<void> {
  const [phase, resultFile] = process.argv.slice(2);
  if (phase === 'stack') return serveStack();
  let result: PhaseResult;
  if (phase === 'warm-overhead') {
    const { INVOCATIONS, measureWarmOverhead } = await import('./warm-overhead');
    result = {
      figures: await measureWarmOverhead(log, INVOCATIONS, process.env.BENCH_WARM_FUNCTION),
      notes: [],
    };
  } else if (phase === 'cost') {
    result = await cost();
  } else if (phase === 'scale') {
    result = await scale();
  } else if (phase === 'agreement-pdf') {
    const { measureAgreementPdf } = await import('./agreement-pdf');
    result = { figures: await measureAgreementPdf(log), notes: [] };
  } else if (phase === 'ingest') {
    const { measureIngest } = await import('./ingest');
    result = await measureIngest(log);
  } else if (phase === 'console') {
    result = await consolePart();
  } else if (phase === 'merchant-pages') {
    const { measureMerchantPages } = await import('./merchant-pages');
    result = { figures: await measureMerchantPages(log), notes: [] };
  } else {
    throw new Error(`unknown phase ${phase}`);
  }
  if (!resultFile) throw new Error('no result file');
  writeFileSync(resultFile, JSON.stringify(result));
  // Exit at once: SDK clients and emulator sockets may keep the event loop alive.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: phase failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

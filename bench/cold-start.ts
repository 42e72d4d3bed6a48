import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { FUNCTIONS_DIR, METRICS_NAMESPACE, SERVICE_NAME } from '../infra/house-function';
import { globalProfile } from '../infra/profiles/global';
import { DEFAULT_SUPERVISOR_EMAIL, ENV, HMAC_KEYS, hmacKeyIdVariable } from '../shared/config/env';
import { FUNCTIONS } from '../shared/manifest/functions';
import { PROCESSES } from '../shared/manifest/processes';
import { type Bundle, bundleFloor, bundleFunction, clientClassOf } from './bundle';
import { type FigureInput, judge } from './report';
import { median, ratioOfMediansInterval } from './stats';

const run = promisify(execFile);

/**
 * The least time the second stage gets, whatever the parts before it took: without it, a whole run
 * that ran late judged every function on its 15 first-stage samples, where a true 1.08 reads 1.20
 * often enough to fail a third of the functions.
 */
export const MIN_SECOND_STAGE_MS = 150_000;

/** Targets of issue 7. */
export const INIT_RATIO_MAX = 1.15;
export const BYTES_OVER_FLOOR_MAX_KB = 100;

/**
 * Every deployed function of the global profile: one per manifest entry it deploys (as
 * StatelessStack deploys them), then any other file under functions/ without an entry (one file
 * per deployed function, README § Layout). The China profile's own functions are not measured.
 */
export function deployedFunctionNames(): string[] {
  const deploys = globalProfile(undefined).deploys;
  const files = readdirSync(FUNCTIONS_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -3))
    .filter((name) => !FUNCTIONS.some((entry) => entry.name === name));
  return [...new Set([...FUNCTIONS.filter(deploys).map((entry) => entry.name), ...files])];
}

/**
 * StatelessStack's function environment with dummy values, and HouseFunction's house variables
 * but NODE_OPTIONS: what a handler module reads when it loads. Nothing makes a network call at
 * import, so the values only need the right shape.
 */
export function functionEnvironment(): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    [ENV.tableName]: 'bench-table',
    [ENV.documentsBucket]: 'bench-documents',
    [ENV.agreementArchiveBucket]: 'bench-agreements',
    [ENV.merchantPagesUrl]: 'https://merchant.example.com/m/',
    [ENV.eventBusName]: 'bench-events',
    [ENV.webhookQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-webhook-deliveries',
    [ENV.dailyRunQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-daily-run-pages',
    [ENV.operatorEmail]: 'operators@example.com',
    [ENV.sesConfigurationSet]: 'bench-configuration-set',
    [ENV.smsPerPhonePerHour]: '5',
    [ENV.emailPerAddressPerHour]: '10',
    [ENV.supervisorLocale]: 'zh-CN',
    [ENV.retentionSeconds]: '15552000',
    [ENV.reviewClaimSeconds]: '900',
    [ENV.agreementReminderSeconds]: '259200',
    [ENV.dailyChecksSettings]: '',
    ...Object.fromEntries(
      PROCESSES.map((process) => [
        process.arnVariable,
        `arn:aws:states:us-east-1:000000000000:stateMachine:${process.name}`,
      ]),
    ),
    [ENV.acquirerCode]: '102',
    [ENV.senderEmail]: 'noreply@example.com',
    [ENV.supervisorEmail]: DEFAULT_SUPERVISOR_EMAIL,
    [ENV.smsOriginationIdentity]: 'BENCH',
    [ENV.smsSignature]: '拉卡拉',
    [ENV.reviewEscalationSeconds]: '172800',
    [ENV.reviewFinalSeconds]: '604800',
    [ENV.resubmissionSeconds]: '1209600',
    [ENV.draftTtlSeconds]: '2592000',
    [ENV.transferAcceptanceSeconds]: '604800',
    ...Object.fromEntries(
      HMAC_KEYS.map((key, index) => [
        hmacKeyIdVariable(key),
        `arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-00000000001${index}`,
      ]),
    ),
    [ENV.fieldCipherKeyId]: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000001',
    [ENV.staffJwtIssuer]: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench',
    [ENV.staffJwtAudience]: 'bench-client',
    [ENV.staffJwksUri]: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench/.well-known/jwks.json',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'ASIABENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
  };
}

/**
 * The environment a deployed function starts with: {@link functionEnvironment}, what the Lambda
 * service sets, and NODE_OPTIONS from HouseFunction (source maps are enabled in AWS, so loading
 * them counts). Nothing from the bench's own environment leaks in: NODE_EXTRA_CA_CERTS alone adds
 * ~100 ms to every Node start on this machine.
 */
export function lambdaEnvironment(functionName: string, taskRoot: string): Record<string, string> {
  return {
    ...functionEnvironment(),
    NODE_OPTIONS: '--enable-source-maps',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    AWS_LAMBDA_LOG_LEVEL: 'INFO',
    LAMBDA_TASK_ROOT: taskRoot,
    TZ: ':UTC',
  };
}

/** One fresh process's module init: wall-clock time and the CPU time the process spent in it. */
interface InitSample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * Module init of a bundle in a fresh Node process: the `import()` of the bundle (load, parse,
 * source map, evaluation of every module-scope statement, i.e. what Lambda's Init phase runs),
 * measured inside the process so that Node's own start-up is not counted. Both clocks are read:
 * the wall-clock time, and the CPU time of the process over the same span (every thread: V8's
 * background compilation and GC included), which leaves out the time the process waited for a
 * core while other processes held it (see {@link measureColdStarts}).
 */
async function initSample(bundle: Bundle, functionName: string): Promise<InitSample> {
  const script = [
    'const cpuBefore = process.cpuUsage();',
    'const started = performance.now();',
    `const module = await import(${JSON.stringify(pathToFileURL(bundle.file).href)});`,
    'const elapsed = performance.now() - started;',
    'const cpu = process.cpuUsage(cpuBefore);',
    "if (typeof module.handler !== 'function') throw new Error('no handler export');",
    "process.stdout.write(String(elapsed) + ' ' + String((cpu.user + cpu.system) / 1000));",
    // Exit at once: teardown is not part of a cold start.
    'process.exit(0);',
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: lambdaEnvironment(functionName, dirname(bundle.file)),
    encoding: 'utf8',
  });
  const [wallMs, cpuMs] = stdout.trim().split(' ').map(Number);
  if (!Number.isFinite(wallMs) || !Number.isFinite(cpuMs))
    throw new Error(`${bundle.file}: unexpected output ${stdout}`);
  return { wallMs: wallMs as number, cpuMs: cpuMs as number };
}

/** Bytes each package (or project folder) contributes to a bundle's JS output. */
export function bytesByPackage(metafile: Metafile): Map<string, number> {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
      const owner = match?.[1] ?? (path.includes('/') ? `${path.split('/')[0]}/` : path);
      byPackage.set(owner, (byPackage.get(owner) ?? 0) + input.bytesInOutput);
    }
  }
  return byPackage;
}

/** The largest contributors a function has beyond its floor, e.g. `jose 41 KB, zod 38 KB`. */
export function extraContributors(fn: Metafile, floor: Metafile, top = 5): string {
  const floorBytes = bytesByPackage(floor);
  const extra = [...bytesByPackage(fn)]
    .map(([owner, bytes]) => [owner, bytes - (floorBytes.get(owner) ?? 0)] as const)
    .filter(([, bytes]) => bytes >= 1024)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  return extra.map(([owner, bytes]) => `${owner} ${Math.round(bytes / 1024)} KB`).join(', ');
}

interface Measured {
  readonly name: string;
  readonly bundle: Bundle;
  readonly samples: InitSample[];
  /** Floor samples taken right beside this function's second-stage samples. */
  readonly pairedFloorSamples: InitSample[];
}

/** The judged figure of each sample: its CPU time (see {@link measureColdStarts}). */
const cpuOf = (samples: readonly InitSample[]) => samples.map((sample) => sample.cpuMs);
const wallOf = (samples: readonly InitSample[]) => samples.map((sample) => sample.wallMs);
const tenths = (values: readonly number[]) => values.map((value) => Math.round(value * 10) / 10);

/** Every function bundled like `cdk deploy` does, and one floor per set of SDK clients. */
export interface PreparedColdStart {
  readonly functions: readonly { readonly name: string; readonly bundle: Bundle }[];
  readonly floors: ReadonlyMap<string, Bundle>;
  /** Functions that could not be bundled (e.g. a file being written), with the error. */
  readonly failed: readonly { readonly name: string; readonly error: string }[];
}

/**
 * Bundles every deployed function (or only `only`, for a partial run) and their floors into
 * `outDir` (no timing: may run beside other work).
 */
export async function prepareColdStart(outDir: string, only?: readonly string[]): Promise<PreparedColdStart> {
  const deployed = deployedFunctionNames();
  const unknown = (only ?? []).filter((name) => !deployed.includes(name));
  if (unknown.length > 0) throw new Error(`not a deployed function: ${unknown.join(', ')}`);
  const names = only ? deployed.filter((name) => only.includes(name)) : deployed;
  const results = await Promise.all(
    names.map(async (name) => {
      try {
        return { name, bundle: await bundleFunction(name, outDir) };
      } catch (error) {
        return { name, error: (error as Error).message.split('\n')[0] ?? 'bundling failed' };
      }
    }),
  );
  const functions = results.flatMap((result) =>
    'bundle' in result && result.bundle ? [{ name: result.name, bundle: result.bundle }] : [],
  );
  const failed = results.flatMap((result) =>
    'error' in result && result.error ? [{ name: result.name, error: result.error }] : [],
  );
  const floors = new Map<string, Bundle>();
  for (const { bundle } of functions) {
    const id = floorId(bundle.sdkClients);
    if (floors.has(id)) continue;
    const classes = new Map(
      await Promise.all(bundle.sdkClients.map(async (pkg) => [pkg, await clientClassOf(pkg)] as const)),
    );
    const floor = await bundleFloor(id, classes, join(outDir, 'floors'));
    const missing = bundle.sdkClients.filter((pkg) => !floor.sdkClients.includes(pkg));
    if (missing.length > 0) throw new Error(`floor ${id} lacks ${missing.join(', ')}`);
    floors.set(id, floor);
  }
  return { functions, floors, failed };
}

/** Options of {@link measureColdStarts}. */
export interface ColdStartOptions {
  /** Fresh processes per bundle (≥ 15). */
  readonly rounds: number;
  /** Second-stage rounds for the functions whose verdict is within the noise. @default rounds */
  readonly extraRounds?: number;
  /**
   * When the second stage stops (epoch ms; it finishes the round it is in). `npm run bench` sets it
   * so that the whole run stays under 10 minutes when it can; the second stage still gets
   * {@link MIN_SECOND_STAGE_MS} when the parts before it ran late. @default 150 s after the first stage
   */
  readonly extraDeadline?: number;
  readonly log: (message: string) => void;
}

/**
 * Part 1: module init of every deployed function's bundle against its floor bundle, which only
 * creates the same AWS SDK clients and a Powertools logger behind a `@middy/core` handler.
 * Processes run one at a time, every bundle once per round, so that drift on a noisy machine hits
 * functions and floors alike.
 *
 * The judged init is the CPU time of the import, not its wall-clock time. Init is CPU-bound (the
 * bundle is read from the page cache, and nothing makes a network call at import), so on an idle
 * machine the two agree (e.g. 64 and 60 ms for one function, ratios 1.09 and 1.11); but on this
 * shared 2-core VM a process also waits for a core whenever anything else runs, which the
 * wall-clock time counts and the CPU time does not: with the machine loaded, one floor's wall time
 * varied by 45 % from process to process and its CPU time by 9 %, and a function's wall-clock ratio
 * read 1.62 where its CPU ratio read 1.21. A Lambda init has its CPU to itself. The wall-clock
 * figures are kept in each row's details (`wallMs`, `wallRatio`).
 */
export async function measureColdStarts(
  prepared: PreparedColdStart,
  options: ColdStartOptions,
): Promise<FigureInput[]> {
  const functions: Measured[] = prepared.functions.map((fn) => ({
    ...fn,
    samples: [],
    pairedFloorSamples: [],
  }));
  const floors = new Map<string, Measured>(
    [...prepared.floors].map(([id, bundle]) => [
      id,
      { name: `floor-${id}`, bundle, samples: [], pairedFloorSamples: [] },
    ]),
  );
  const floorOf = (item: Measured) => floors.get(floorId(item.bundle.sdkClients)) as Measured;
  // A floor and its functions run next to each other, so that the machine's drift between them is
  // seconds, not a whole round; groups and functions rotate from round to round.
  const groups = [...floors].map(([id, floor]) => [
    floor,
    ...functions.filter((fn) => floorId(fn.bundle.sdkClients) === id),
  ]);
  for (let round = 0; round < options.rounds; round++) {
    for (let g = 0; g < groups.length; g++) {
      const [floor, ...members] = groups[(g + round) % groups.length] as [Measured, ...Measured[]];
      floor.samples.push(await initSample(floor.bundle, floor.name));
      for (let index = 0; index < members.length; index++) {
        const item = members[(index + round) % members.length] as Measured;
        item.samples.push(await initSample(item.bundle, item.name));
      }
    }
    if ((round + 1) % 5 === 0 || round + 1 === options.rounds) {
      options.log(`cold start: round ${round + 1}/${options.rounds}`);
    }
  }

  // Second stage. Even in CPU time one process's init on this VM varies by several per cent
  // (caches, frequency, the other core's work), so the ratio of two medians of 15 moves between
  // runs, and a function whose true ratio is 1.10 can read over 1.15 in one run and under it in
  // the next. Every function whose 90 % bootstrap
  // interval still contains the target (in either direction: a 1.12 that would pass is
  // re-measured as well as a 1.18) gets more samples, each next to a floor sample of its own, and
  // is judged on all of its samples. The rule does not look at which side of the target a
  // function is on, so it narrows verdicts without favouring passes.
  const straddling = (item: Measured) => {
    const { low, high } = ratioOfMediansInterval(
      cpuOf(item.samples),
      cpuOf([...floorOf(item).samples, ...item.pairedFloorSamples]),
    );
    return low <= INIT_RATIO_MAX && high > INIT_RATIO_MAX;
  };
  const uncertain = functions.filter(straddling);
  const extraRounds = options.extraRounds ?? options.rounds;
  const deadline = Math.max(options.extraDeadline ?? 0, Date.now() + MIN_SECOND_STAGE_MS);
  if (uncertain.length > 0) {
    options.log(
      `cold start: ${uncertain.length} functions within the noise of ${INIT_RATIO_MAX} × floor; up to ${extraRounds} more paired rounds each`,
    );
  }
  let extraDone = 0;
  for (; extraDone < extraRounds && uncertain.length > 0 && Date.now() < deadline; extraDone++) {
    for (let index = 0; index < uncertain.length; index++) {
      const item = uncertain[(index + extraDone) % uncertain.length] as Measured;
      const floor = floorOf(item);
      // Which of the two runs first alternates, so neither gets the warmer moment each time.
      if (extraDone % 2 === 0) item.pairedFloorSamples.push(await initSample(floor.bundle, floor.name));
      item.samples.push(await initSample(item.bundle, item.name));
      if (extraDone % 2 === 1) item.pairedFloorSamples.push(await initSample(floor.bundle, floor.name));
    }
  }
  if (uncertain.length > 0) options.log(`cold start: second stage done (${extraDone} rounds)`);

  const figures: FigureInput[] = [];
  for (const item of functions) {
    const id = floorId(item.bundle.sdkClients);
    const floor = floors.get(id) as Measured;
    // The first-stage floor samples (taken beside every function of the group) and this
    // function's own second-stage ones: a function is never judged on another's extra samples.
    const floorSamples = [...floor.samples, ...item.pairedFloorSamples];
    const interval = ratioOfMediansInterval(cpuOf(item.samples), cpuOf(floorSamples));
    const wallMs = median(wallOf(item.samples));
    const floorWallMs = median(wallOf(floorSamples));
    const floorName =
      id === 'none'
        ? '@middy/core + Powertools logger, no SDK client'
        : `${id} clients + @middy/core + logger`;
    const extra = extraContributors(item.bundle.metafile, floor.bundle.metafile);
    const init: FigureInput = {
      section: 'cold-start',
      name: `${item.name} · init`,
      value: median(cpuOf(item.samples)),
      unit: 'ms',
      floor: median(cpuOf(floorSamples)),
      floorName,
      target: { kind: 'ratio-max', max: INIT_RATIO_MAX },
      details: {
        samples: item.samples.length,
        ratioInterval90: [interval.low, interval.high].map((value) => Math.round(value * 1000) / 1000),
        clock: 'cpu',
        samplesMs: tenths(cpuOf(item.samples)),
        floorSamplesMs: tenths(cpuOf(floorSamples)),
        wallMs: Math.round(wallMs * 10) / 10,
        floorWallMs: Math.round(floorWallMs * 10) / 10,
        wallRatio: Math.round((wallMs / floorWallMs) * 1000) / 1000,
        wallSamplesMs: tenths(wallOf(item.samples)),
        floorWallSamplesMs: tenths(wallOf(floorSamples)),
        sdkClients: item.bundle.sdkClients,
        mapBytes: item.bundle.mapBytes,
        extraContributors: extra,
      },
    };
    const bytes: FigureInput = {
      section: 'cold-start',
      name: `${item.name} · bytes`,
      value: item.bundle.bytes / 1024,
      unit: 'KB',
      floor: floor.bundle.bytes / 1024,
      floorName,
      target: { kind: 'over-floor-max', max: BYTES_OVER_FLOOR_MAX_KB, unit: 'KB' },
      details: { mapBytes: item.bundle.mapBytes, floorMapBytes: floor.bundle.mapBytes },
    };
    figures.push(
      judge(init).pass
        ? init
        : {
            ...init,
            why: `${coldStartWhy(extra, 'init')} ${item.samples.length} samples; 90 % interval of the ratio ${interval.low.toFixed(2)}–${interval.high.toFixed(2)}.`,
          },
      judge(bytes).pass ? bytes : { ...bytes, why: coldStartWhy(extra, 'bytes') },
    );
  }
  for (const { name, error } of prepared.failed) {
    figures.push({
      section: 'cold-start',
      name: `${name} · init`,
      value: Number.NaN,
      unit: 'ms',
      target: { kind: 'ratio-max', max: INIT_RATIO_MAX },
      why: `not bundled: ${error}`,
    });
  }
  return figures;
}

function coldStartWhy(extra: string, kind: 'init' | 'bytes'): string {
  const what =
    kind === 'init'
      ? 'module-scope evaluation of the code beyond the SDK clients'
      : 'code beyond the SDK clients';
  return `${what}; largest extras: ${extra || 'none over 1 KB'}. Closing it: see bench/results.md § Notes (cold start).`;
}

function floorId(clients: readonly string[]): string {
  return clients.length === 0 ? 'none' : clients.map((pkg) => pkg.replace('@aws-sdk/client-', '')).join('+');
}

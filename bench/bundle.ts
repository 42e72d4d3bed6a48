import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import {
  bundlingFor,
  FUNCTIONS_DIR,
  HOUSE_BUNDLING,
  HOUSE_RUNTIME,
  PROJECT_ROOT,
} from '../infra/house-function';
import { FUNCTIONS } from '../shared/manifest/functions';

/** One bundle as Lambda would receive it. */
export interface Bundle {
  /** The bundle file (`index.mjs`, ESM like the deployed one) and its source map next to it. */
  readonly file: string;
  /** Bytes of `index.mjs`, the code Lambda loads. */
  readonly bytes: number;
  /** Bytes of `index.mjs.map`, shipped next to it (loaded too: NODE_OPTIONS=--enable-source-maps). */
  readonly mapBytes: number;
  /** `@aws-sdk/client-*` packages found in the bundle (from the esbuild metafile), sorted. */
  readonly sdkClients: readonly string[];
  /** esbuild's metafile: which input contributed how many bytes. */
  readonly metafile: Metafile;
}

/** Options NodejsFunction's local bundling reads; anything else here would change the output unseen. */
const UNSUPPORTED: readonly (keyof BundlingOptions)[] = [
  'preCompilation',
  'inject',
  'footer',
  'tsconfig',
  'loader',
  'define',
  'keepNames',
];

/**
 * The esbuild options NodejsFunction derives from {@link HOUSE_BUNDLING}: a transcription of
 * `Bundling.buildEsbuildArgs` (aws-cdk-lib/aws-lambda-nodejs/lib/bundling.js) into the esbuild API,
 * so that the bench bundles what `cdk deploy` ships without Docker or a CDK app. Options the house
 * bundling does not use are refused rather than silently ignored.
 */
export function deployedEsbuildOptions(bundling: BundlingOptions = HOUSE_BUNDLING): BuildOptions {
  const used = UNSUPPORTED.filter((key) => bundling[key] !== undefined);
  if (used.length > 0) throw new Error(`bench/bundle.ts does not transcribe bundling.${used.join(', ')}`);
  // Hooks that run after bundling only add files next to index.mjs (the lazy modules); hooks before
  // it could change what esbuild sees.
  const hooks = bundling.commandHooks;
  if (hooks && [...hooks.beforeBundling('in', 'out'), ...hooks.beforeInstall('in', 'out')].length > 0)
    throw new Error('bench/bundle.ts does not transcribe commands run before bundling');
  const rawArgs = Object.entries(bundling.esbuildArgs ?? {});
  const options: BuildOptions = {
    bundle: true,
    // CDK: `--target=${props.target ?? toTarget(runtime)}`, always `--platform=node`.
    target: bundling.target ?? HOUSE_RUNTIME.name.replace(/^nodejs(\d+).*$/, 'node$1'),
    platform: 'node',
    format: bundling.format === OutputFormat.ESM ? 'esm' : 'cjs',
    minify: bundling.minify ?? false,
    // CDK: `--sourcemap` for the default mode, `--sourcemap=<mode>` otherwise.
    sourcemap:
      (bundling.sourceMapMode ?? bundling.sourceMap)
        ? bundling.sourceMapMode === undefined || bundling.sourceMapMode === SourceMapMode.DEFAULT
          ? true
          : bundling.sourceMapMode
        : false,
    sourcesContent: bundling.sourcesContent ?? true,
    // CDK: `[...(props.externalModules ?? (bundleAwsSDK ? [] : ['@aws-sdk/*'])), ...(props.nodeModules ?? [])]`
    // (node modules are installed next to the bundle, not inlined).
    external: [
      ...(bundling.externalModules ?? (bundling.bundleAwsSDK ? [] : ['@aws-sdk/*'])),
      ...(bundling.nodeModules ?? []),
    ],
    ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
    ...(bundling.mainFields ? { mainFields: bundling.mainFields } : {}),
    logLevel: 'warning',
    metafile: true,
  };
  for (const [flag, value] of rawArgs) {
    // CDK appends `esbuildArgs` as raw CLI flags; only those the house uses are transcribed.
    if (flag === '--charset' && value === 'utf8') options.charset = 'utf8';
    else throw new Error(`bench/bundle.ts does not transcribe the esbuild flag ${flag}=${String(value)}`);
  }
  return options;
}

/** `@aws-sdk/client-*` package names whose files are in the bundle. */
export function sdkClientsOf(metafile: Metafile): string[] {
  const clients = new Set<string>();
  // What the output holds, not what the import graph reached: a module imported for one factory
  // (shared/composition.ts) reaches every adapter's client, and tree shaking drops the unused ones.
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(input);
      if (match?.[1] && bytesInOutput > 0) clients.add(`@aws-sdk/${match[1]}`);
    }
  }
  return [...clients].sort();
}

function bundleOf(file: string, metafile: Metafile | undefined): Bundle {
  const meta = metafile ?? { inputs: {}, outputs: {} };
  return {
    file,
    bytes: statSync(file).size,
    mapBytes: statSync(`${file}.map`).size,
    sdkClients: sdkClientsOf(meta),
    metafile: meta,
  };
}

/** Bundles `functions/<name>.ts` like the deployed function into `<outDir>/<name>/index.mjs`. */
export async function bundleFunction(name: string, outDir: string): Promise<Bundle> {
  const file = join(outDir, name, 'index.mjs');
  mkdirSync(join(outDir, name), { recursive: true });
  const result = await build({
    ...deployedEsbuildOptions(bundlingFor(FUNCTIONS.find((entry) => entry.name === name)?.lazyModules)),
    entryPoints: [join(FUNCTIONS_DIR, `${name}.ts`)],
    outfile: file,
    absWorkingDir: PROJECT_ROOT,
  });
  return bundleOf(file, result.metafile);
}

/**
 * The source of a floor function: it imports the given SDK clients and creates one of each at
 * module scope, as any function using them must, creates a Powertools `Logger` and exports a
 * `@middy/core` handler, and does nothing else. The floor counts what the design card requires of
 * every function: middy (every handler is a middy handler) and the Powertools logger (every
 * function logs through it); a function is judged on what it carries beyond that.
 * `clientClasses` maps a package to its client class (e.g. `@aws-sdk/client-dynamodb` →
 * `DynamoDBClient`).
 */
export function floorSource(clientClasses: ReadonlyMap<string, string>): string {
  const packages = [...clientClasses.keys()].sort();
  const imports = packages.map(
    (pkg, index) => `import { ${clientClasses.get(pkg)} as C${index} } from '${pkg}';`,
  );
  const created = packages.map((_pkg, index) => `new C${index}({})`);
  return [
    "import middy from '@middy/core';",
    "import { Logger } from '@aws-lambda-powertools/logger';",
    ...imports,
    // Exported, so that neither esbuild nor V8 can drop the clients.
    `export const clients = [${created.join(', ')}];`,
    'export const logger = new Logger();',
    'export const handler = middy(async () => ({ statusCode: 200, body: "" }));',
    '',
  ].join('\n');
}

/**
 * The client class a `@aws-sdk/client-*` package exports: its one export named `<Service>Client`
 * (the bare client, not the aggregated `<Service>` class with every command).
 */
export async function clientClassOf(pkg: string): Promise<string> {
  const exported = Object.keys((await import(pkg)) as Record<string, unknown>);
  const candidates = exported.filter((name) => /^[A-Z][A-Za-z0-9]*Client$/.test(name));
  if (candidates.length !== 1)
    throw new Error(`${pkg}: expected one *Client export, found ${candidates.join(', ')}`);
  return candidates[0] as string;
}

/** Bundles a floor (see {@link floorSource}) with the deployed options into `<outDir>/<id>/index.mjs`. */
export async function bundleFloor(
  id: string,
  clientClasses: ReadonlyMap<string, string>,
  outDir: string,
): Promise<Bundle> {
  const file = join(outDir, id, 'index.mjs');
  mkdirSync(join(outDir, id), { recursive: true });
  const result = await build({
    ...deployedEsbuildOptions(),
    stdin: {
      contents: floorSource(clientClasses),
      resolveDir: PROJECT_ROOT,
      sourcefile: `${id}.mjs`,
      loader: 'js',
    },
    outfile: file,
    absWorkingDir: PROJECT_ROOT,
  });
  return bundleOf(file, result.metafile);
}

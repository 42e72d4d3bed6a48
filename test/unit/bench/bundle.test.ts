import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundleFunction, deployedEsbuildOptions, floorSource, sdkClientsOf } from '../../../bench/bundle';
import { deployedFunctionNames } from '../../../bench/cold-start';
import {
  bundlingFor,
  FUNCTIONS_DIR,
  HOUSE_BUNDLING,
  PROFILE_ADAPTER_MODULES,
  PROJECT_ROOT,
} from '../../../infra/house-function';
import { entryOf, functionsWithLazyModule } from '../../../shared/manifest/functions';
import { GET_MERCHANT } from '../../../shared/manifest/merchants';
import { CREATE_APPLICATION } from '../../../shared/manifest/onboarding';
import type { FunctionEntry } from '../../../shared/manifest/types';

describe('bench bundling', () => {
  it('transcribes the deployed bundling options into esbuild options', () => {
    expect(deployedEsbuildOptions()).toMatchObject({
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      charset: 'utf8',
      // Only the adapters of profiles other than the global one stay out (and are never loaded there).
      external: [...PROFILE_ADAPTER_MODULES],
      mainFields: ['module', 'main'],
      banner: { js: HOUSE_BUNDLING.banner },
    });
  });

  it('refuses options and raw flags it does not transcribe', () => {
    expect(() => deployedEsbuildOptions({ ...HOUSE_BUNDLING, keepNames: true })).toThrow(/keepNames/);
    expect(() =>
      deployedEsbuildOptions({ ...HOUSE_BUNDLING, esbuildArgs: { '--tree-shaking': 'false' } }),
    ).toThrow(/--tree-shaking/);
  });

  it('finds the SDK clients in a metafile and writes a floor that creates exactly those, behind middy', () => {
    const held = (bytesInOutput: number) => ({ bytesInOutput });
    const outputs = {
      'index.mjs': {
        bytes: 4,
        inputs: {
          'node_modules/@aws-sdk/client-dynamodb/dist-es/index.js': held(1),
          'node_modules/@aws-sdk/client-sfn/dist-es/SFNClient.js': held(1),
          'node_modules/@aws-sdk/util-dynamodb/dist-es/index.js': held(1),
          // Reached through an import, then dropped by tree shaking: not a client of this bundle.
          'node_modules/@aws-sdk/client-sesv2/dist-es/SESv2Client.js': held(0),
          'shared/adapters/dynamodb-table.ts': held(1),
        },
        imports: [],
        exports: [],
      },
    };
    expect(sdkClientsOf({ inputs: {}, outputs })).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-sfn',
    ]);
    const source = floorSource(
      new Map([
        ['@aws-sdk/client-sfn', 'SFNClient'],
        ['@aws-sdk/client-dynamodb', 'DynamoDBClient'],
      ]),
    );
    expect(source).toContain("import { DynamoDBClient as C0 } from '@aws-sdk/client-dynamodb';");
    expect(source).toContain("import { SFNClient as C1 } from '@aws-sdk/client-sfn';");
    expect(source).toContain('export const clients = [new C0({}), new C1({})];');
    expect(source).toContain("import middy from '@middy/core';");
    // The design card's logger is in every function, so the floor carries it too.
    expect(source).toContain("import { Logger } from '@aws-lambda-powertools/logger';");
    expect(source).toContain('export const logger = new Logger();');
    expect(source).toMatch(/export const handler = middy\(/);
  });

  it('ships Powertools metrics next to the functions that send messages, and loads it only on use', async () => {
    expect(entryOf('task-notify').lazyModules).toEqual(['@aws-lambda-powertools/metrics']);
    expect(bundlingFor(entryOf('task-notify').lazyModules).externalModules).toContain(
      '@aws-lambda-powertools/metrics',
    );
    const outDir = mkdtempSync(join(tmpdir(), 'bundle-test-'));
    try {
      const bundle = await bundleFunction('bind-terminal', outDir);
      const inputs = Object.keys(bundle.metafile.inputs);
      // It counts metrics (so the entry is needed) without carrying the package.
      expect(inputs).toContain('shared/metrics.ts');
      expect(inputs.filter((input) => input.includes('@aws-lambda-powertools/metrics/'))).toEqual([]);
      expect(readFileSync(bundle.file, 'utf8')).toMatch(/import\(["']@aws-lambda-powertools\/metrics["']\)/);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('ships Powertools metrics next to exactly the functions whose code counts a metric', async () => {
    // Every count is on a rare path (shared/metrics.ts), so a function that counts ships the
    // package next to its bundle; one whose entry forgets it would parse the package at each init.
    // esbuild with the packages left out is enough to see which functions keep shared/metrics.ts.
    const counting: string[] = [];
    await Promise.all(
      deployedFunctionNames().map(async (name) => {
        const { metafile } = await build({
          entryPoints: [join(FUNCTIONS_DIR, `${name}.ts`)],
          bundle: true,
          write: false,
          platform: 'node',
          format: 'esm',
          packages: 'external',
          metafile: true,
          outfile: 'index.mjs',
          absWorkingDir: PROJECT_ROOT,
          logLevel: 'error',
        });
        const output = Object.values(metafile.outputs)[0];
        if ((output?.inputs['shared/metrics.ts']?.bytesInOutput ?? 0) > 0) counting.push(name);
      }),
    );
    expect(counting.length).toBeGreaterThan(10);
    expect(counting.sort()).toEqual([...functionsWithLazyModule('@aws-lambda-powertools/metrics')].sort());
  });

  it('ships jose next to exactly the functions that verify staff JWTs, and loads it only on use', async () => {
    const verifying = readdirSync(FUNCTIONS_DIR)
      .filter((file) => readFileSync(join(FUNCTIONS_DIR, file), 'utf8').includes('staffVerifierFromEnv'))
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    expect(verifying.length).toBeGreaterThan(0);
    expect([...functionsWithLazyModule('jose')].sort()).toEqual(verifying);
    const lazy = bundlingFor(GET_MERCHANT.lazyModules);
    // Copied from the installed tree after bundling, never installed from the registry (nodeModules).
    expect(lazy.nodeModules).toBeUndefined();
    expect(lazy.externalModules).toEqual([...PROFILE_ADAPTER_MODULES, 'jose']);
    // A profile that sends through those adapters bundles them (they stay lazily imported).
    expect(bundlingFor(GET_MERCHANT.lazyModules, [...PROFILE_ADAPTER_MODULES]).externalModules).toEqual([
      'jose',
    ]);
    expect(lazy.commandHooks?.afterBundling('/in', '/out')).toEqual([
      "mkdir -p '/out/node_modules/jose' && cp -R '/in/node_modules/jose/package.json' '/out/node_modules/jose/package.json'",
      "mkdir -p '/out/node_modules/jose' && cp -R '/in/node_modules/jose/LICENSE.md' '/out/node_modules/jose/LICENSE.md'",
      "mkdir -p '/out/node_modules/jose/dist' && cp -R '/in/node_modules/jose/dist/webapi' '/out/node_modules/jose/dist/webapi'",
    ]);
    expect(bundlingFor((CREATE_APPLICATION as FunctionEntry).lazyModules)).toBe(HOUSE_BUNDLING);
    expect(deployedEsbuildOptions(bundlingFor(GET_MERCHANT.lazyModules)).external).toEqual([
      ...PROFILE_ADAPTER_MODULES,
      'jose',
    ]);

    const outDir = mkdtempSync(join(tmpdir(), 'bundle-test-'));
    try {
      const bundle = await bundleFunction('get-merchant', outDir);
      expect(
        Object.keys(bundle.metafile.inputs).filter((input) => input.includes('node_modules/jose/')),
      ).toEqual([]);
      const code = readFileSync(bundle.file, 'utf8');
      // A dynamic import (evaluated on the first staff JWT), never a static one (evaluated at init).
      expect(code).toMatch(/import\(["']jose["']\)/);
      expect(code).not.toMatch(/from\s*["']jose["']/);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});

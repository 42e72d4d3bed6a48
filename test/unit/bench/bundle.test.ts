import { describe, expect, it } from 'vitest';
import { deployedEsbuildOptions, floorSource, sdkClientsOf } from '../../../bench/bundle';
import { HOUSE_BUNDLING } from '../../../infra/house-function';

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
      external: [],
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

  it('finds the SDK clients in a metafile and writes a floor that creates exactly those', () => {
    const inputs = {
      'node_modules/@aws-sdk/client-dynamodb/dist-es/index.js': { bytes: 1, imports: [] },
      'node_modules/@aws-sdk/client-sfn/dist-es/SFNClient.js': { bytes: 1, imports: [] },
      'node_modules/@aws-sdk/util-dynamodb/dist-es/index.js': { bytes: 1, imports: [] },
      'shared/adapters/dynamodb-table.ts': { bytes: 1, imports: [] },
    };
    expect(sdkClientsOf({ inputs, outputs: {} })).toEqual([
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
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { deployedEsbuildOptions } from '../../../bench/bundle';
import {
  bundlingFor,
  FUNCTIONS_DIR,
  PROFILE_ADAPTER_MODULES,
  PROJECT_ROOT,
} from '../../../infra/house-function';

/*
 * What each profile's bundles carry, bundled exactly as deployed: the global profile's leave the
 * SMTP relay and mainland SMS adapters out (with nodemailer and the Secrets Manager client), the
 * China profile's carry them, loaded on first use.
 */

const outDir = mkdtempSync(join(tmpdir(), 'profile-bundles-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

async function inputsOf(name: string, bundledAdapters: readonly (typeof PROFILE_ADAPTER_MODULES)[number][]) {
  const result = await build({
    ...deployedEsbuildOptions(bundlingFor([], bundledAdapters)),
    entryPoints: [join(FUNCTIONS_DIR, `${name}.ts`)],
    outfile: join(outDir, `${name}-${bundledAdapters.length}`, 'index.mjs'),
    absWorkingDir: PROJECT_ROOT,
  });
  return Object.keys((result.metafile as Metafile).inputs);
}

describe('profile adapters in the bundles', () => {
  it('leaves them out of the global profile’s bundles and puts them in the China profile’s', async () => {
    const global = await inputsOf('task-notify', []);
    const china = await inputsOf('task-notify', [...PROFILE_ADAPTER_MODULES]);
    const carries = (inputs: string[], fragment: string) => inputs.some((input) => input.includes(fragment));
    for (const fragment of [
      'shared/adapters/smtp-mailer.ts',
      'shared/adapters/tencent-sms.ts',
      'node_modules/nodemailer/',
      'client-secrets-manager',
    ]) {
      expect(carries(global, fragment), `global: ${fragment}`).toBe(false);
      expect(carries(china, fragment), `china: ${fragment}`).toBe(true);
    }
    // Both keep SES and End User Messaging SMS (the default the local stack runs).
    for (const inputs of [global, china]) expect(carries(inputs, 'client-sesv2')).toBe(true);
  }, 120_000);
});

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../infra/house-function';
import { PROCESSES as WORKFLOW_PROCESSES } from '../../../shared/manifest/processes';

/*
 * `npm run validate:asl` (asl-validator on every workflow/*.asl.json) is what CI runs besides the
 * tests; here it runs on the real files, and on a broken one to show the gate closes.
 */

const WORKFLOW_DIR = join(PROJECT_ROOT, 'workflow');
const script = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts['validate:asl'] as string;

/** Runs the script's own command line in `cwd`, as npm would (node_modules/.bin on the PATH). */
function validate(cwd: string) {
  return spawnSync('sh', ['-c', script], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(PROJECT_ROOT, 'node_modules', '.bin')}:${process.env.PATH}` },
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'validate-asl-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run validate:asl', () => {
  it('has one ASL file per process, and a process for every ASL file', () => {
    const files = readdirSync(WORKFLOW_DIR).filter((file) => file.endsWith('.asl.json'));
    expect(files.sort()).toEqual(WORKFLOW_PROCESSES.map((process) => basename(process.aslPath)).sort());
  });

  it('finds every ASL file valid', () => {
    const run = validate(PROJECT_ROOT);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const process of WORKFLOW_PROCESSES) {
      expect(run.stdout).toContain(
        `✓ State machine definition "workflow/${basename(process.aslPath)}" is valid`,
      );
    }
  });

  it('fails when one file is invalid, and names it', () => {
    mkdirSync(join(scratch, 'workflow'), { recursive: true });
    const valid = readFileSync(join(WORKFLOW_DIR, 'onboarding.asl.json'), 'utf8');
    writeFileSync(join(scratch, 'workflow', 'a-valid.asl.json'), valid);
    const broken = JSON.parse(valid) as { States: Record<string, { Next?: string }> };
    const first = Object.values(broken.States)[0];
    if (first) first.Next = 'NoSuchState';
    writeFileSync(join(scratch, 'workflow', 'b-broken.asl.json'), JSON.stringify(broken));
    const run = validate(scratch);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toContain('"workflow/a-valid.asl.json" is valid');
    expect(run.stderr).toContain('"workflow/b-broken.asl.json" is invalid');
  });
});

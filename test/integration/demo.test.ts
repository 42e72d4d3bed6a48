import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../local/http';
import { startTestStack, type TestStack } from '../support/test-stack';

/*
 * `npm run demo` against a local stack on free (so non-default) ports, twice on the same state:
 * the walkthrough works end to end, and a second run does not trip over the first one's keys,
 * serial numbers, ID numbers or the hourly SMS limit of a phone.
 */

let testStack: TestStack;

beforeAll(async () => {
  // The defaults of `npm run dev` where they matter to the demo: the SMS limit is 5 per phone.
  testStack = await startTestStack('demo', { SMS_PER_PHONE_PER_HOUR: '5' });
});

afterAll(() => testStack?.stop());

/** Runs scripts/demo.ts as `npm run demo` does, in a child process (this process serves the API). */
function runDemo(): Promise<{ code: number | null; output: string }> {
  const { urls } = testStack.stack;
  const portOf = (url: string) => new URL(url).port;
  return runScript({
    PORT: portOf(urls.api),
    S3_PORT: portOf(urls.s3),
    SES_PORT: portOf(urls.ses),
    SMS_PER_PHONE_PER_HOUR: '5',
  });
}

function runScript(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', './scripts/node-support.ts', 'scripts/demo.ts'],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run demo', () => {
  it('runs green twice in a row on one state dir, on non-default ports', async () => {
    expect(new URL(testStack.stack.urls.api).port).not.toBe('3000');
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const run = await runDemo();
      expect(run.output, run.output).toMatch(/done: \d+ steps, every answer as expected/);
      expect(run.code, run.output).toBe(0);
      runs.push(run.output);
    }
    const runIds = runs.map((output) => /demo, run (\w+)/.exec(output)?.[1]);
    expect(new Set(runIds).size).toBe(2);
    for (const output of runs) {
      // The walkthrough's milestones, in order.
      const milestones = [
        'VALIDATION_FAILED: contact.phone INVALID_FORMAT',
        'SMS verified: true',
        'EMAIL verified: true',
        'without a token',
        'APPROVE (phoneCallback done)',
        'a new code sent: true',
        'ACTIVATION_CODE_INVALID',
        '→ 200 ACTIVATED',
        '→ 200 APPROVED: 0.01 CNY sale',
        '→ 401 the old token: UNAUTHENTICATED',
        'APPROVE (phoneCallback, siteInspection done)',
        '(with the rotated token)',
        'COMPLETED:',
        'CHANGE_APPLIED',
      ];
      let from = 0;
      for (const milestone of milestones) {
        const at = output.indexOf(milestone, from);
        expect(at, `${milestone} after position ${from}\n${output}`).toBeGreaterThanOrEqual(0);
        from = at;
      }
      expect(output).not.toContain('NodeVersionSupportWarning');
    }
  }, 240_000);

  it('fails loudly on the first surprise: non-zero exit, the status and the response body', async () => {
    // A stand-in API whose health check answers 503 with an error body.
    const server = createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'starting up', requestId: 'r-1' } }),
      );
    });
    const port = await listen(server, 0, '127.0.0.1');
    try {
      const surprise = await runScript({ PORT: String(port) });
      expect(surprise.code).toBe(1);
      expect(surprise.output).toContain(
        '✗ Step 1 (the local stack is up) failed: GET /v1/health answered 503, expected 200',
      );
      expect(surprise.output).toContain('"message": "starting up"');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    // Nothing listens: the demo says how to start the API.
    const refused = await runScript({ PORT: String(port) });
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/GET \/v1\/health: the API at http:\/\/127\.0\.0\.1:\d+ does not answer/);
    expect(refused.output).toContain('npm run dev');
  }, 60_000);
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HouseLogger } from '../../shared/logger';

/*
 * The house logger is the Powertools logger: its line shape (what Logs Insights queries rely on),
 * its levels and keys, and the house's additions: redaction (logger-redaction.test.ts), circular
 * values printed as such, and never a throw out of a log call.
 */

let stdout: string[] = [];
let stderr: string[] = [];
const originals = { out: process.stdout.write, err: process.stderr.write };

beforeEach(() => {
  stdout = [];
  stderr = [];
  process.stdout.write = ((chunk: unknown) => stdout.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
});

afterEach(() => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
  delete process.env._X_AMZN_TRACE_ID;
});

const lines = (chunks: string[]) => chunks.map((chunk) => JSON.parse(chunk) as Record<string, unknown>);

describe('HouseLogger', () => {
  it('writes one JSON line per record in the Powertools shape, warnings and errors to stderr', () => {
    process.env._X_AMZN_TRACE_ID =
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const logger = new HouseLogger({ serviceName: 'svc', logLevel: 'INFO' });
    logger.appendKeys({ requestId: 'r-1' });
    logger.info('hello', { applicationId: 'A1' });
    logger.warn('careful');
    logger.error('failed', new Error('boom'));
    const [info] = lines(stdout);
    expect(info).toMatchObject({
      level: 'INFO',
      message: 'hello',
      service: 'svc',
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      requestId: 'r-1',
      applicationId: 'A1',
    });
    expect(Number.isNaN(Date.parse(String(info?.timestamp)))).toBe(false);
    const [warn, error] = lines(stderr);
    expect(warn).toMatchObject({ level: 'WARN', message: 'careful' });
    expect(error).toMatchObject({ level: 'ERROR', error: { name: 'Error', message: 'boom' } });
    expect(String((error?.error as { stack?: string } | undefined)?.stack)).toContain('boom');
  });

  it('filters by level, from the environment name or setLogLevel', () => {
    const logger = new HouseLogger({ serviceName: 'svc', logLevel: 'warn' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    expect(stdout).toEqual([]);
    expect(lines(stderr).map((line) => line.level)).toEqual(['WARN']);
    logger.setLogLevel('DEBUG');
    logger.debug('d');
    expect(lines(stdout).map((line) => line.level)).toEqual(['DEBUG']);
    expect(() =>
      new HouseLogger({ serviceName: 'svc', logLevel: 'not-a-level' as 'INFO' }).info('x'),
    ).not.toThrow();
  });

  it('resets and removes appended keys', () => {
    const logger = new HouseLogger({ serviceName: 'svc', logLevel: 'INFO' });
    logger.appendKeys({ a: 1, b: 2 });
    logger.removeKeys(['a']);
    logger.info('one');
    logger.resetKeys();
    logger.info('two');
    const [one, two] = lines(stdout);
    expect(one).toMatchObject({ b: 2 });
    expect(one).not.toHaveProperty('a');
    expect(two).not.toHaveProperty('b');
  });

  it('prints circular structures (without the cycle), bigints and throwing getters without throwing', () => {
    const logger = new HouseLogger({ serviceName: 'svc', logLevel: 'INFO' });
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    // An instance (not a plain object) is not copied: the serializer leaves its cycle out.
    const instance = new (class Loop {
      readonly name = 'instance';
      readonly self: unknown = this;
    })();
    logger.info('circular', { circular, instance, big: 12n });
    const hostile = {
      get boom(): string {
        throw new Error('getter');
      },
    };
    expect(() => logger.info('hostile', { hostile })).not.toThrow();
    const [first, second] = lines(stdout);
    // Powertools copies the extras and leaves a circular reference out of the copy.
    expect(first).toMatchObject({ circular: { name: 'loop' }, big: '12' });
    expect(first?.circular).not.toHaveProperty('self');
    expect(first).toMatchObject({ instance: { name: 'instance' } });
    expect(first?.instance).not.toHaveProperty('self');
    expect(second).toMatchObject({ level: 'INFO', message: 'hostile', service: 'svc' });
  });
});

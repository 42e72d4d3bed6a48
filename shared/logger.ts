/*
 * Log redaction, by one mechanism: every record the logger prints is serialized with
 * `redactLogValue` as its JSON replacer (called for every key and value, including the fields of
 * formatted errors and nested objects), so no call site has to remember to mask. Values
 * under personal-data keys are dropped whole; strings shaped like personal data are masked
 * wherever they appear (messages, error messages and stacks, nested values).
 */

/** What replaces a value under a personal-data key. */
export const REDACTED = '[REDACTED]';

/**
 * Keys whose values never reach a log, compared in lower case without separators and matched as a
 * suffix (`legalPersonIdNumber`, `contact_phone`, `x-access-token` all match).
 */
const PII_KEY_SUFFIXES = [
  'idnumber',
  'accountnumber',
  'licensenumber',
  'phone',
  'mobile',
  'email',
  'token',
  'authorization',
  'activationcode',
  'password',
  'secret',
  'cookie',
  'apikey',
  'credentials',
] as const;

/** True when values under `key` are personal data or credentials. */
export function isPiiKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return normalized.length > 0 && PII_KEY_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
}

/** Patterns of personal data and credentials in free text, most specific first. */
const PII_PATTERNS: readonly (readonly [RegExp, string])[] = [
  // Bearer credentials (merchant tokens and staff JWTs in an Authorization header).
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [TOKEN]'],
  // JWTs anywhere.
  [/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[TOKEN]'],
  // Merchant access tokens: <ULID>.<base64url secret>.
  [/[0-9A-HJKMNP-TV-Z]{26}\.[A-Za-z0-9_-]{43,}/g, '[TOKEN]'],
  // Email addresses, with every character RFC 5322 allows in a local part.
  [/[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z0-9-]{2,}/g, '[EMAIL]'],
  // Resident ID numbers (17 digits + check character) and account numbers (16-19 digits): every
  // run of 16 or more digits, so an ID or account glued to other digits is masked with them.
  // 15-digit merchant numbers and 13-digit epoch milliseconds stay readable.
  [/\d{16,}[Xx]?/g, '[NUMBER]'],
  // IDs and accounts written in groups (6-8-4, or 4-4-4-4[-3]).
  [/(?<!\d)\d{6}[ -]\d{8}[ -]\d{3}[\dXx](?![\dA-Za-z])/g, '[NUMBER]'],
  [/(?<!\d)\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?(?!\d)/g, '[NUMBER]'],
  // Mainland mobiles, with or without +86, plain or grouped 3-4-4.
  [/(?<!\d)(?:\+?86[ -]?)?1[3-9]\d{9}(?!\d)/g, '[PHONE]'],
  [/(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]\d{4}[ -]\d{4}(?!\d)/g, '[PHONE]'],
];

/** `text` with every personal-data-shaped substring masked. */
export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PII_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/**
 * The JSON replacer of every log record: drops values under personal-data keys and masks
 * personal-data-shaped strings (and numbers, e.g. a phone logged as a number).
 */
export function redactLogValue(key: string, value: unknown): unknown {
  if (key !== '' && isPiiKey(key) && value !== undefined && value !== null) return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value);
    const redacted = redactText(text);
    return redacted === text ? value : redacted;
  }
  return value;
}

/** An error as a log line shows it (Powertools' shape: name, message, stack, cause). */
function errorFields(error: Error): Record<string, unknown> {
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  };
}

/**
 * The replacer of every printed record: errors as plain fields, bigints as text, a repeated or
 * circular object printed once, then {@link redactLogValue}. Never throws, so logging never fails
 * a request.
 */
function logReplacer(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (key, value) => {
    let inner = value instanceof Error ? errorFields(value) : value;
    if (typeof inner === 'bigint') inner = inner.toString();
    if (inner !== null && typeof inner === 'object') {
      if (seen.has(inner)) return '[Circular]';
      seen.add(inner);
    }
    return redactLogValue(key, inner);
  };
}

/**
 * A deep copy of `value` as it would be logged (the same replacer, errors as name/message/stack),
 * for the few places that print outside the logger (the local stack's console).
 */
export function redactForLog(value: unknown): unknown {
  const json = JSON.stringify(value, logReplacer());
  return json === undefined ? undefined : JSON.parse(json);
}

/** Log levels, lowest first. */
const LEVELS = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;

/** A log level name. */
export type LogLevel = keyof typeof LEVELS;

function levelFrom(value: string | undefined): LogLevel | undefined {
  const upper = value?.toUpperCase();
  return upper !== undefined && upper in LEVELS ? (upper as LogLevel) : undefined;
}

/** What may follow the message: objects merged into the record, an error under `error`. */
type LogExtra = Error | Record<string, unknown> | string | undefined;

/**
 * Structured JSON logger, one line per record, in the shape of the Powertools for AWS Lambda
 * logger (`level`, `message`, `timestamp`, `service`, `xray_trace_id`, then appended keys and the
 * call's extras), so Logs Insights queries and the EMF metrics in shared/metrics.ts work on either.
 * Written here rather than taken from `@aws-lambda-powertools/logger` for cold start alone: that
 * package adds ~21 KB to every bundle and ~4 ms to every function's init (bench/results.md,
 * issue 7), and the product uses nothing of it but these methods. The level comes from
 * POWERTOOLS_LOG_LEVEL, LOG_LEVEL or Lambda's AWS_LAMBDA_LOG_LEVEL, as Powertools reads it.
 */
export class JsonLogger {
  private level: LogLevel;
  private keys: Record<string, unknown> = {};

  constructor(
    private readonly service: string,
    level?: string,
  ) {
    this.level = levelFrom(level) ?? 'INFO';
  }

  /** Changes the lowest level printed. */
  setLogLevel(level: LogLevel): void {
    this.level = level;
  }

  /** Adds keys to every following record (until {@link resetKeys}). */
  appendKeys(keys: Record<string, unknown>): void {
    Object.assign(this.keys, keys);
  }

  /** Removes appended keys. */
  removeKeys(names: readonly string[]): void {
    for (const name of names) delete this.keys[name];
  }

  /** Removes every appended key (at the start of each invocation). */
  resetKeys(): void {
    this.keys = {};
  }

  debug(message: string, ...extras: LogExtra[]): void {
    this.print('DEBUG', message, extras);
  }

  info(message: string, ...extras: LogExtra[]): void {
    this.print('INFO', message, extras);
  }

  warn(message: string, ...extras: LogExtra[]): void {
    this.print('WARN', message, extras);
  }

  error(message: string, ...extras: LogExtra[]): void {
    this.print('ERROR', message, extras);
  }

  private print(level: LogLevel, message: string, extras: readonly LogExtra[]): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    const record: Record<string, unknown> = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.service,
      xray_trace_id: process.env._X_AMZN_TRACE_ID?.split(';')[0]?.replace('Root=', ''),
      ...this.keys,
    };
    for (const extra of extras) {
      if (extra instanceof Error) record.error = extra;
      else if (typeof extra === 'string') record.extra = extra;
      else if (extra) Object.assign(record, extra);
    }
    let line: string;
    try {
      line = JSON.stringify(record, logReplacer());
    } catch {
      // A getter that throws, say: the record still says what happened, without its extras.
      line = JSON.stringify({
        level,
        message: redactText(message),
        timestamp: record.timestamp,
        service: this.service,
      });
    }
    // Read at each write (not cached), like console does, so a test can capture the stream.
    (LEVELS[level] >= LEVELS.WARN ? process.stderr : process.stdout).write(`${line}\n`);
  }
}

/**
 * The one logger of every function. Call sites log ids and error codes; whatever else reaches it
 * (an error's message, a nested object) is redacted by {@link redactLogValue}.
 */
export const logger = new JsonLogger(
  process.env.POWERTOOLS_SERVICE_NAME ?? 'pos-onboarding',
  process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? process.env.AWS_LAMBDA_LOG_LEVEL,
);

import { Logger } from '@aws-lambda-powertools/logger';
import type {
  ConstructorOptions,
  LogItemExtraInput,
  LogItemMessage,
} from '@aws-lambda-powertools/logger/types';

/*
 * The Powertools for AWS Lambda logger, with the house redaction as its JSON replacer: every
 * record it prints is serialized with `redactLogValue` (called for every key and value, including
 * the fields of formatted errors and nested objects), so no call site has to remember to mask.
 * Values under personal-data keys are dropped whole; strings shaped like personal data are masked
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

/** Verdicts of {@link isPiiKey} by key: log lines repeat the same few keys (bounded, see below). */
const piiKeyVerdicts = new Map<string, boolean>();
const PII_KEY_CACHE_MAX = 2048;

/** True when values under `key` are personal data or credentials. */
export function isPiiKey(key: string): boolean {
  const known = piiKeyVerdicts.get(key);
  if (known !== undefined) return known;
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  const verdict = normalized.length > 0 && PII_KEY_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
  // Keys come from the code, but a logged object may carry keys from input: never grow unbounded.
  if (piiKeyVerdicts.size < PII_KEY_CACHE_MAX) piiKeyVerdicts.set(key, verdict);
  return verdict;
}

/**
 * Patterns of personal data and credentials in free text, most specific first, each with what a
 * text must contain for the pattern to match at all (`needs`). Every log line runs every string
 * through these, and most strings hold no personal data: a pattern whose need is missing is not
 * run, which gives the same result as running it (the email pattern alone rescans every run of
 * letters of a route or an ARN from each of its positions).
 */
export const PII_PATTERNS: readonly {
  readonly pattern: RegExp;
  readonly replacement: string;
  readonly needs: RegExp;
}[] = [
  // Bearer credentials (merchant tokens and staff JWTs in an Authorization header).
  { pattern: /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, replacement: 'Bearer [TOKEN]', needs: /bearer/i },
  // JWTs anywhere.
  { pattern: /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, replacement: '[TOKEN]', needs: /eyJ/ },
  // Merchant access tokens: <ULID>.<base64url secret>.
  { pattern: /[0-9A-HJKMNP-TV-Z]{26}\.[A-Za-z0-9_-]{43,}/g, replacement: '[TOKEN]', needs: /\./ },
  // Email addresses, with every character RFC 5322 allows in a local part.
  {
    pattern: /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z0-9-]{2,}/g,
    replacement: '[EMAIL]',
    needs: /@/,
  },
  // Resident ID numbers (17 digits + check character) and account numbers (16-19 digits): every
  // run of 16 or more digits, so an ID or account glued to other digits is masked with them.
  // 15-digit merchant numbers and 13-digit epoch milliseconds stay readable.
  { pattern: /\d{16,}[Xx]?/g, replacement: '[NUMBER]', needs: /\d{16}/ },
  // IDs and accounts written in groups (6-8-4, or 4-4-4-4[-3]).
  {
    pattern: /(?<!\d)\d{6}[ -]\d{8}[ -]\d{3}[\dXx](?![\dA-Za-z])/g,
    replacement: '[NUMBER]',
    needs: /\d{8}/,
  },
  {
    pattern: /(?<!\d)\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?(?!\d)/g,
    replacement: '[NUMBER]',
    needs: /\d{4}[ -]\d{4}/,
  },
  // Mainland mobiles, with or without +86, plain or grouped 3-4-4.
  { pattern: /(?<!\d)(?:\+?86[ -]?)?1[3-9]\d{9}(?!\d)/g, replacement: '[PHONE]', needs: /\d{11}/ },
  {
    pattern: /(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]\d{4}[ -]\d{4}(?!\d)/g,
    replacement: '[PHONE]',
    needs: /\d{3}[ -]\d{4}[ -]\d{4}/,
  },
];

/**
 * What some pattern of {@link PII_PATTERNS} needs somewhere in the text: a digit, `@`, `.` (JWTs,
 * merchant tokens) or the word Bearer. Most strings of a log line (messages, levels, codes) have
 * none of them and skip the patterns.
 */
const MAY_HOLD_PII = /[\d@.]|bearer/i;

/** The shortest text any pattern matches (`a@b.cd`, `eyJ.a.`): shorter ones hold none. */
const SHORTEST_MATCH = 6;

/** `text` with every personal-data-shaped substring masked. */
export function redactText(text: string): string {
  if (text.length < SHORTEST_MATCH || !MAY_HOLD_PII.test(text)) return text;
  let result = text;
  for (const { pattern, replacement, needs } of PII_PATTERNS)
    if (needs.test(result)) result = result.replace(pattern, replacement);
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

/**
 * A replacer that prints a circular reference as `[Circular]`, then applies
 * {@link redactLogValue}, for {@link redactForLog}. It keeps the chain of objects from the root to
 * the value being printed: JSON.stringify calls a replacer with `this` set to the holder of the
 * key, so unwinding the chain to `this` leaves exactly the ancestors. (Inside the logger,
 * Powertools leaves cycles out itself, before and during serialization.)
 */
function redactingReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function (this: unknown, key: string, value: unknown) {
    while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
    if (value !== null && typeof value === 'object') {
      if (ancestors.includes(value)) return '[Circular]';
      ancestors.push(value);
    }
    return redactLogValue(key, value);
  };
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
 * A deep copy of `value` as it would be logged (the same redaction, errors as name/message/stack),
 * for the few places that print outside the logger (the local stack's console).
 */
export function redactForLog(value: unknown): unknown {
  const redact = redactingReplacer();
  const json = JSON.stringify(value, function (this: unknown, key, inner: unknown) {
    const plain = inner instanceof Error ? errorFields(inner) : inner;
    return redact.call(this, key, typeof plain === 'bigint' ? plain.toString() : plain);
  });
  return json === undefined ? undefined : JSON.parse(json);
}

/** Level names by Powertools' level numbers, for the fallback line. */
const LEVEL_NAMES: Readonly<Record<number, string>> = {
  6: 'TRACE',
  8: 'DEBUG',
  12: 'INFO',
  16: 'WARN',
  20: 'ERROR',
  24: 'CRITICAL',
};

/**
 * The Powertools logger that never throws out of a log call: Powertools copies the extras (and
 * so reads every getter) and serializes the record inside the call, and a getter that throws
 * would fail the request that logged. Such a record is printed without its extras instead.
 */
export class HouseLogger extends Logger {
  private readonly serviceName: string;

  constructor(options: ConstructorOptions = {}) {
    // Powertools calls the replacer before its own handling of errors (formatted as name,
    // location, message, stack, cause) and bigints, and again for every field of what it
    // formatted, so those fields are redacted too.
    super({ jsonReplacerFn: redactLogValue, ...options });
    this.serviceName = options.serviceName ?? process.env.POWERTOOLS_SERVICE_NAME ?? 'service_undefined';
  }

  protected override processLogItem(
    logLevel: number,
    input: LogItemMessage,
    extraInput: LogItemExtraInput,
  ): void {
    try {
      super.processLogItem(logLevel, input, extraInput);
    } catch {
      const message = typeof input === 'string' ? input : String(input.message);
      const line = JSON.stringify({
        level: LEVEL_NAMES[logLevel] ?? 'ERROR',
        message: redactText(message),
        timestamp: new Date().toISOString(),
        service: this.serviceName,
        logFailure: 'the extras of this record could not be serialized',
      });
      // Powertools prints WARN and above on stderr, the rest on stdout; so does the fallback.
      (logLevel >= 16 ? process.stderr : process.stdout).write(`${line}\n`);
    }
  }

  /** Child loggers (`createChild`) keep the redaction and the fallback. */
  protected override createLogger(options?: ConstructorOptions): Logger {
    return new HouseLogger(options);
  }
}

/**
 * The one logger of every function. Call sites log ids and error codes; whatever else reaches it
 * (an error's message, a nested object) is redacted by {@link redactLogValue}. Service name and
 * level come from the environment as Powertools reads them (POWERTOOLS_SERVICE_NAME,
 * AWS_LAMBDA_LOG_LEVEL, POWERTOOLS_LOG_LEVEL, LOG_LEVEL).
 */
export const logger = new HouseLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'pos-onboarding',
});

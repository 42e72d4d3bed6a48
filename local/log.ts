import { inspect } from 'node:util';
import { redactText } from '../shared/logger';

/** Minimal console logger for the local stack; `quiet` silences progress lines, never errors. */
export interface LocalLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/**
 * Creates the logger used by every part of the local stack. Every line goes through the product
 * logger's redaction (shared/logger.ts), so the console of `npm run dev` holds no personal data.
 */
export function createLogger(quiet: boolean): LocalLogger {
  return {
    info: (message) => {
      if (!quiet) console.log(redactText(`[local] ${message}`));
    },
    warn: (message) => {
      if (!quiet) console.warn(redactText(`[local] ${message}`));
    },
    // Errors always print: a failing handler in a test is only debuggable with its stack.
    error: (message, error) => {
      if (error === undefined) console.error(redactText(`[local] ${message}`));
      else console.error(redactText(`[local] ${message}`), redactText(inspect(error)));
    },
  };
}

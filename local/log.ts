/** Minimal console logger for the local stack; `quiet` silences progress lines, never errors. */
export interface LocalLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** Creates the logger used by every part of the local stack. */
export function createLogger(quiet: boolean): LocalLogger {
  return {
    info: (message) => {
      if (!quiet) console.log(`[local] ${message}`);
    },
    warn: (message) => {
      if (!quiet) console.warn(`[local] ${message}`);
    },
    // Errors always print: a failing handler in a test is only debuggable with its stack.
    error: (message, error) => {
      if (error === undefined) console.error(`[local] ${message}`);
      else console.error(`[local] ${message}`, error);
    },
  };
}

import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Email } from 'aws-ses-v2-local/dist/store';
import { readJsonFile, writeJsonAtomic } from './files';
import { closeServer } from './http';
import type { LocalLogger } from './log';

/** An email as `GET /_local/emails` returns it. */
export interface LocalEmail {
  readonly messageId: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  /** ISO 8601 time the emulator accepted the email. */
  readonly at: string;
}

/** A running aws-ses-v2-local. */
export interface SesLocal {
  readonly url: string;
  /** Reads the emulator's JSON store (`GET /store`). */
  emails(): Promise<LocalEmail[]>;
  stop(): Promise<void>;
}

interface SesStoreModule {
  saveEmail: (email: Email) => void;
  getStoreReadonly: () => { emails: Email[] };
}

// aws-ses-v2-local is CommonJS with `exports.default`; require() gives the same module instances its
// server uses (ESM interop of `default` differs between tsx and vitest).
const require = createRequire(import.meta.url);

/**
 * Starts aws-ses-v2-local (SESv2 API plus its web page at `/`). The emulator keeps mail in memory, so
 * the stack restores it from `<stateDir>/ses-emails.json` and saves every accepted email there.
 */
export async function startSesLocal(options: {
  stateDir: string;
  port: number;
  log: LocalLogger;
}): Promise<SesLocal> {
  const serverModule = require('aws-ses-v2-local') as {
    default: (config: { host: string; port: number }) => Promise<Server>;
  };
  const store = require('aws-ses-v2-local/dist/store') as SesStoreModule;
  const file = join(options.stateDir, 'ses-emails.json');
  const saved = readJsonFile(file);
  const live = store.getStoreReadonly();
  // Replace (not append): a second stack in the same process must not duplicate the mail.
  live.emails.splice(0, live.emails.length, ...(Array.isArray(saved) ? (saved as Email[]) : []));
  const originalSave = store.saveEmail;
  const persist = () => writeJsonAtomic(file, store.getStoreReadonly().emails);
  // The emulator looks `saveEmail` up on its store module at each send, so wrapping it here makes
  // every accepted email durable immediately (not only at a clean shutdown).
  store.saveEmail = (email: Email) => {
    originalSave(email);
    persist();
  };
  const server = await serverModule.default({ host: '127.0.0.1', port: options.port });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const url = `http://127.0.0.1:${port}`;
  options.log.info(`ses: aws-ses-v2-local on ${url} (web page at ${url}/)`);
  return {
    url,
    emails: async () => {
      const response = await fetch(`${url}/store`);
      if (!response.ok) throw new Error(`SES emulator store answered ${response.status}`);
      const body = (await response.json()) as { emails?: Email[] };
      return (body.emails ?? []).map(toLocalEmail);
    },
    stop: async () => {
      persist();
      store.saveEmail = originalSave;
      await closeServer(server);
    },
  };
}

function toLocalEmail(email: Email): LocalEmail {
  return {
    messageId: email.messageId,
    from: email.from,
    to: email.destination.to,
    cc: email.destination.cc,
    bcc: email.destination.bcc,
    subject: email.subject,
    ...(email.body.text === undefined ? {} : { text: email.body.text }),
    ...(email.body.html === undefined ? {} : { html: email.body.html }),
    at: new Date(email.at * 1000).toISOString(),
  };
}

import { createServer } from 'node:net';

/** Asks the OS for a free TCP port on 127.0.0.1 (used for port 0 where a child process needs a number). */
export function findFreePort(): Promise<number> {
  return holdFreePort().then(async (hold) => {
    await hold.release();
    return hold.port;
  });
}

/** A free port kept bound (so nothing else can take it) until {@link PortHold.release}. */
export interface PortHold {
  readonly port: number;
  /** Frees the port for the part that is about to listen on it; later calls do nothing. */
  release(): Promise<void>;
}

/**
 * Binds a free port on 127.0.0.1 and keeps it bound. A port found free and let go at once can be
 * taken before its part listens (seconds later, once DynamoDB Local's JVM is up): by another test
 * worker's stack, or as the local end of any outgoing connection, since free ports and ephemeral
 * ones are the same range. Held, the port stays ours until the moment its part binds it.
 */
export function holdFreePort(): Promise<PortHold> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      let released: Promise<void> | undefined;
      const release = () => {
        released ??= new Promise<void>((done) => server.close(() => done()));
        return released;
      };
      if (port > 0) resolve({ port, release });
      else release().then(() => reject(new Error('Could not allocate a free port')));
    });
  });
}

/** Reads a port from an environment variable, falling back to `fallback`; rejects garbage loudly. */
export function portFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${name}=${raw} is not a valid port number (0-65535)`);
  }
  return port;
}

import { createServer } from 'node:net';

/** Asks the OS for a free TCP port on 127.0.0.1 (used for port 0 where a child process needs a number). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('Could not allocate a free port'))));
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

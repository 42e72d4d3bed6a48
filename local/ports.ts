import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A free TCP port on 127.0.0.1 for a part that must come back on the same port (a restarted
 * stack, a child process that needs a number). It is drawn from below the kernel's ephemeral
 * range: a port from that range, found free and let go, can be taken seconds later as the local
 * end of any outgoing connection (DynamoDB Local's JVM, another test worker's SDK client), and the
 * part then fails to bind it. Ports below the range are only ever taken by an explicit bind.
 */
export async function findFreePort(): Promise<number> {
  const [low, high] = stablePortRange();
  for (let attempt = 0; attempt < 64; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await canBind(port)) return port;
  }
  const hold = await holdFreePort();
  await hold.release();
  return hold.port;
}

/** Ports from 10000 up to the start of the ephemeral range (Linux: 32768 unless tuned). */
function stablePortRange(): readonly [number, number] {
  let ephemeralStart = 32_768;
  try {
    const first = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    if (Number.isInteger(first) && first > 0) ephemeralStart = first;
  } catch {
    // Not Linux: assume the Linux default.
  }
  return ephemeralStart > 12_000 ? [10_000, ephemeralStart] : [49_152, 65_535];
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
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

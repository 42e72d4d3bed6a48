import { Agent, request } from 'node:http';
import { percentile } from './stats';

/** One HTTP request of a load run. */
export interface LoadRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a load run measured. */
export interface LoadResult {
  /** Requests answered within the measured window (any status). */
  readonly requests: number;
  /** Answered with the expected status. */
  readonly ok: number;
  /** Transport errors and unexpected statuses. */
  readonly errors: number;
  readonly seconds: number;
  /** Expected answers per second. */
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statuses: Readonly<Record<string, number>>;
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  readonly baseUrl: string;
  /** Concurrent connections, each with one request in flight (closed loop, like autocannon -c). */
  readonly connections: number;
  readonly warmUpMs: number;
  readonly durationMs: number;
  /**
   * The n-th request (n counts from 0 across all connections, warm-up included); a list is sent in
   * order on the same connection and counts as one request answered by its last response.
   */
  readonly next: (n: number) => LoadRequest | readonly LoadRequest[];
  readonly expectStatus: number;
}

function send(agent: Agent, url: URL, item: LoadRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: item.method,
        path: item.path,
        agent,
        headers: { ...item.headers, 'content-length': Buffer.byteLength(item.body) },
      },
      (res) => {
        // Drain the body: the connection is reused only once the response is consumed.
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(item.body);
  });
}

/**
 * A closed-loop load run: `connections` keep-alive connections, each sending its next request as
 * soon as the previous one is answered, for a warm-up (not counted) and then `durationMs`. Only
 * requests started and answered inside the measured window count.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let counter = 0;
  let ok = 0;
  let errors = 0;
  const start = performance.now();
  const measureFrom = start + options.warmUpMs;
  const stopAt = measureFrom + options.durationMs;
  const worker = async () => {
    while (performance.now() < stopAt) {
      const next = options.next(counter++);
      const items = Array.isArray(next) ? next : [next as LoadRequest];
      const sent = performance.now();
      let status = 0;
      try {
        for (const item of items) status = await send(agent, url, item);
      } catch {
        status = 0;
      }
      const answered = performance.now();
      if (sent < measureFrom || answered > stopAt) continue;
      latencies.push(answered - sent);
      statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
      if (status === options.expectStatus) ok += 1;
      else errors += 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, worker));
  } finally {
    agent.destroy();
  }
  const seconds = options.durationMs / 1000;
  return {
    requests: latencies.length,
    ok,
    errors,
    seconds,
    perSecond: ok / seconds,
    p50Ms: latencies.length > 0 ? percentile(latencies, 50) : Number.NaN,
    p99Ms: latencies.length > 0 ? percentile(latencies, 99) : Number.NaN,
    statuses,
  };
}

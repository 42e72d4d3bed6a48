import { randomUUID } from 'node:crypto';
import { Agent, createServer, request, type Server } from 'node:http';
import type { FaultInjector } from './faults';
import { closeServer, listen } from './http';
import type { LocalLogger } from './log';

/** A running fault proxy. */
export interface DynamoDbFaultProxy {
  readonly url: string;
  stop(): Promise<void>;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';
/** Error codes DynamoDB answers with a 5xx; every other error is a 400, as in AWS. */
const SERVER_ERRORS: Readonly<Record<string, number>> = { InternalServerError: 500, ServiceUnavailable: 503 };

/**
 * An HTTP proxy in front of DynamoDB Local: the handlers' unchanged SDK clients talk to it through
 * `AWS_ENDPOINT_URL_DYNAMODB`; it forwards every request as is, except those the injector chooses
 * to fail, which it answers the way DynamoDB answers a throttled call (HTTP 400,
 * `{"__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"}`), so the
 * SDK's own retry logic (throttling back-off, retry quota) runs exactly as against AWS.
 */
export async function startDynamoDbFaultProxy(options: {
  /** DynamoDB Local's base URL. */
  readonly upstream: string;
  readonly port: number;
  readonly faults: FaultInjector;
  readonly log: LocalLogger;
}): Promise<DynamoDbFaultProxy> {
  const upstream = new URL(options.upstream);
  // Keep-alive both ways: the proxy must not turn every call into a new TCP connection.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server: Server = createServer((req, res) => {
    const target = req.headers['x-amz-target'];
    const operation =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : '';
    const fault = operation === '' ? undefined : options.faults.takeDynamoDb(operation);
    if (fault !== undefined) {
      // Drain the request first so the client's keep-alive socket stays usable.
      req.resume();
      req.on('end', () => {
        const text = JSON.stringify({
          __type: `com.amazonaws.dynamodb.v20120810#${fault}`,
          message: `Fault injected by the local stack into ${operation}`,
        });
        res.writeHead(SERVER_ERRORS[fault] ?? 400, {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': Buffer.byteLength(text),
          'x-amzn-requestid': randomUUID(),
        });
        res.end(text);
      });
      return;
    }
    const forward = request(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forward.on('error', (error) => {
      options.log.error(`dynamodb fault proxy: forwarding ${operation || req.method} failed`, error);
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('DynamoDB Local did not answer');
      } else {
        res.destroy();
      }
    });
    req.pipe(forward);
  });
  const port = await listen(server, options.port, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  options.log.info(`dynamodb: fault proxy on ${url} in front of ${options.upstream}`);
  return {
    url,
    stop: async () => {
      await closeServer(server);
      agent.destroy();
    },
  };
}

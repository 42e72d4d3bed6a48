import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One delivery as a receiver on 127.0.0.1 got it. */
export interface ReceivedDelivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
  /** The status the receiver answered. */
  readonly status: number;
}

/**
 * A webhook receiver on 127.0.0.1 for the tests (the only address tests send to): records every
 * request and answers what `answer` says (200 by default).
 */
export class TestReceiver {
  readonly received: ReceivedDelivery[] = [];
  private server: Server | undefined;
  answer: (delivery: { headers: IncomingHttpHeaders; body: string; index: number }) => number = () => 200;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        const status = this.answer({ headers: req.headers, body, index: this.received.length });
        this.received.push({ headers: req.headers, body, at: Date.now(), status });
        res.writeHead(status).end();
      });
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The deliveries of one event id. */
  ofEvent(eventId: string): ReceivedDelivery[] {
    return this.received.filter((delivery) => delivery.headers['webhook-id'] === eventId);
  }
}

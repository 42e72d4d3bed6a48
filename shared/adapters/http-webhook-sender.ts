import { lookup } from 'node:dns/promises';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { PostOutcome, Resolver, WebhookSender } from '../ports/webhooks';
import { isAllowedAddress } from '../webhooks/url-policy';

/** The system resolver: every address of a name, as the operating system would connect to it. */
export const systemResolver: Resolver = async (hostname) => lookup(hostname, { all: true, verbatim: true });

/** The most of a receiver's answer that is read (and discarded). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs deliveries with Node's own HTTP client: the host name is resolved first, every address it
 * resolves to must be allowed (url-policy.ts), and the connection goes to the address that was
 * checked (a pinned `lookup`), with the host name kept for TLS (SNI, certificate) and `Host`.
 * Redirects are not followed; only a 2xx within the timeout is a delivery.
 */
export class HttpWebhookSender implements WebhookSender {
  constructor(
    private readonly options: {
      readonly resolver: Resolver;
      readonly timeoutMs: number;
      readonly allowLoopback: boolean;
    },
  ) {}

  async post(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<PostOutcome> {
    const started = Date.now();
    const elapsed = () => Date.now() - started;
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    let addresses: readonly { address: string; family: number }[];
    if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) }];
    else {
      try {
        addresses = await this.options.resolver(host);
      } catch {
        return { httpStatus: null, error: 'DNS', durationMs: elapsed() };
      }
    }
    const policy = { allowLoopback: this.options.allowLoopback };
    const [pinned] = addresses;
    if (pinned === undefined || !addresses.every((candidate) => isAllowedAddress(candidate.address, policy)))
      return { httpStatus: null, error: 'BLOCKED_ADDRESS', durationMs: elapsed() };
    const pinnedLookup: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all)
        (callback as (error: null, addresses: { address: string; family: number }[]) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const options: RequestOptions = {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinnedLookup,
      signal: AbortSignal.timeout(this.options.timeoutMs),
    };
    return new Promise<PostOutcome>((resolve) => {
      const req = send(target, options, (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        const done = () => resolve({ httpStatus: res.statusCode ?? null, durationMs: elapsed() });
        res.once('end', done);
        res.once('close', done);
        res.once('error', done);
      });
      req.once('error', (error: NodeJS.ErrnoException) => {
        const timedOut = error.name === 'AbortError' || error.name === 'TimeoutError';
        resolve({ httpStatus: null, error: timedOut ? 'TIMEOUT' : 'CONNECTION', durationMs: elapsed() });
      });
      req.end(body);
    });
  }
}

// A webhook receiver: verifies Webhook-Signature and the timestamp window, then answers 2xx.
// Run: WEBHOOK_SECRET=whsec_… node docs/examples/webhook-receiver.mjs (listens on PORT, default 4000).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

/** True when one `v1=` signature matches `secret` and the timestamp is within `toleranceSeconds`. */
export function verifyWebhook({ secret, headers, body, toleranceSeconds = 300, now = Date.now() }) {
  const timestamp = headers['webhook-timestamp'] ?? '';
  if (!/^\d+$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  return (headers['webhook-signature'] ?? '').split(' ').some((part) => {
    const given = Buffer.from(part.replace(/^v1=/, ''), 'hex');
    return part.startsWith('v1=') && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  createServer((req, res) => {
    let body = '';
    req
      .on('data', (chunk) => (body += chunk))
      .on('end', () => {
        const ok = verifyWebhook({ secret: process.env.WEBHOOK_SECRET ?? '', headers: req.headers, body });
        // Deduplicate on Webhook-Id: a delivery can come more than once.
        if (ok) console.log(req.headers['webhook-id'], JSON.parse(body).type);
        res.writeHead(ok ? 204 : 401).end();
      });
  }).listen(Number(process.env.PORT ?? 4000), '127.0.0.1');
}

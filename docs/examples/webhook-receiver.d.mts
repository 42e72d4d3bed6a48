/** Types of webhook-receiver.mjs (the receiver example of docs/webhooks.md). */
export declare function verifyWebhook(options: {
  secret: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
  toleranceSeconds?: number;
  now?: number;
}): boolean;

import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { SMTPServer } from 'smtp-server';
import { AwsServiceError, createAwsJsonServer } from '../../local/aws-json-server';
import { createLogger } from '../../local/log';

/*
 * Local stand-ins for the China profile's providers, on 127.0.0.1 only: an SMTP relay with TLS
 * (a certificate generated here, self-signed), a fake of Tencent Cloud SMS's API that checks each
 * request's TC3-HMAC-SHA256 signature, and Secrets Manager's GetSecretValue for the real SDK
 * client (AWS_ENDPOINT_URL_SECRETS_MANAGER).
 */

const HOST = '127.0.0.1';

function portOf(server: { address(): string | AddressInfo | null }): number {
  return (server.address() as AddressInfo).port;
}

/** A self-signed certificate for 127.0.0.1 (PEM), the relay's, and the CA a client must trust. */
export async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: HOST }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: HOST }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** One message the relay accepted. */
export interface RelayedMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly user: string | undefined;
  readonly secure: boolean;
  readonly raw: string;
  /** The decoded text/plain part. */
  readonly text: string;
}

/**
 * The decoded text/plain part of a message as nodemailer writes it (base64, quoted-printable or
 * 7bit), or '' without one.
 */
export function plainTextOf(raw: string): string {
  const part = /Content-Type: text\/plain[^\r\n]*((?:\r?\n[^\r\n]+)*)\r?\n\r?\n([\s\S]*?)(?=\r?\n--|$)/i.exec(
    raw,
  );
  if (!part) return '';
  const [, headers = '', body = ''] = part;
  const encoding = /Content-Transfer-Encoding:\s*(\S+)/i.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** A running local SMTP relay. */
export interface LocalSmtpRelay {
  readonly port: number;
  /** The PEM a client must trust (the self-signed certificate itself). */
  readonly ca: string;
  readonly messages: RelayedMessage[];
  /** Logins refused (wrong user or password). */
  readonly refusedLogins: string[];
  /** Recipients refused at RCPT TO (`refuse`). */
  readonly refusedRecipients: string[];
  /** The password the relay accepts now (a rotation changes it). */
  password: string;
  close(): Promise<void>;
}

/**
 * An SMTP relay on 127.0.0.1: `implicit` TLS (port 465 style) or `starttls` (upgrade offered),
 * or `plain` (no TLS offered at all, which a client requiring TLS must refuse). AUTH PLAIN/LOGIN
 * only over TLS. `refuse` answers RCPT TO for some addresses with a reply code.
 */
export async function startSmtpRelay(options: {
  readonly tls: 'implicit' | 'starttls' | 'plain';
  readonly username: string;
  readonly password: string;
  readonly refuse?: (address: string) => { code: number; message: string } | undefined;
  readonly certificate?: { key: string; cert: string };
}): Promise<LocalSmtpRelay> {
  const certificate = options.certificate ?? (await selfSignedCertificate());
  const messages: RelayedMessage[] = [];
  const refusedLogins: string[] = [];
  const refusedRecipients: string[] = [];
  const relay = {
    port: 0,
    ca: certificate.cert,
    messages,
    refusedLogins,
    refusedRecipients,
    password: options.password,
    close: async () => {},
  };
  const server = new SMTPServer({
    secure: options.tls === 'implicit',
    key: certificate.key,
    cert: certificate.cert,
    // `plain`: no TLS at all, and a login in clear accepted: only the client can refuse it.
    ...(options.tls === 'plain'
      ? { disabledCommands: ['STARTTLS'], allowInsecureAuth: true }
      : { allowInsecureAuth: false }),
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.username && auth.password === relay.password)
        return callback(null, { user: auth.username });
      refusedLogins.push(auth.username ?? '');
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const refusal = options.refuse?.(address.address);
      if (refusal) {
        refusedRecipients.push(address.address);
        return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          user: session.user as string | undefined,
          secure: session.secure,
          raw,
          text: plainTextOf(raw),
        });
        callback(null, 'Queued');
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  relay.port = portOf(server.server);
  relay.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return relay;
}

/** One SendSms request the fake accepted (signature checked). */
export interface TencentSendRequest {
  readonly phone: string;
  readonly appId: string;
  readonly signName: string;
  readonly templateId: string;
  readonly params: readonly string[];
  readonly sessionContext: string | undefined;
  readonly serialNo: string;
  readonly region: string;
}

/** A running fake of the Tencent Cloud SMS API. */
export interface TencentSmsFake {
  readonly endpoint: string;
  readonly sent: TencentSendRequest[];
  /** Requests whose signature did not verify (answered AuthFailure.SignatureFailure). */
  readonly badSignatures: number[];
  /** Numbers that unsubscribed (SendSms answers FailedOperation.PhoneNumberInBlacklist). */
  readonly unsubscribed: Set<string>;
  /** The numbers of SendSms requests answered with that refusal. */
  readonly refusedPhones: string[];
  /** Receipts waiting for PullSmsSendStatus (each is returned once). */
  readonly receipts: Record<string, string>[];
  /** The key pair the fake accepts now (a rotation changes it). */
  key: { secretId: string; secretKey: string };
  /** Queues a receipt of a message sent before. */
  report(serialNo: string, delivered: boolean, description?: string): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Checks a TC3-HMAC-SHA256 request the way the documentation describes it, written apart from the
 * adapter's signer: canonical request → string to sign → key chain → signature.
 */
function signatureValid(
  req: IncomingMessage,
  body: string,
  key: { secretId: string; secretKey: string },
): boolean {
  const authorization = String(req.headers.authorization ?? '');
  const match =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/sms\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match || match[1] !== key.secretId) return false;
  const [, , date, signedHeaders, signature] = match as unknown as [string, string, string, string, string];
  const timestamp = Number(req.headers['x-tc-timestamp']);
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return false;
  if (Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const headerLines = signedHeaders
    .split(';')
    .map(
      (name) =>
        `${name}:${String(req.headers[name] ?? '')
          .trim()
          .toLowerCase()}\n`,
    )
    .join('');
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const canonical = `POST\n/\n\n${headerLines}\n${signedHeaders}\n${sha(body)}`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/sms/tc3_request\n${sha(canonical)}`;
  const kDate = createHmac('sha256', `TC3${key.secretKey}`).update(date).digest();
  const kService = createHmac('sha256', kDate).update('sms').digest();
  const kSigning = createHmac('sha256', kService).update('tc3_request').digest();
  return createHmac('sha256', kSigning).update(toSign).digest('hex') === signature;
}

/** A fake of Tencent Cloud SMS (API 2021-01-11: SendSms, PullSmsSendStatus) on 127.0.0.1. */
export async function startTencentSmsFake(key: {
  secretId: string;
  secretKey: string;
}): Promise<TencentSmsFake> {
  const fake: TencentSmsFake = {
    endpoint: '',
    sent: [],
    badSignatures: [],
    unsubscribed: new Set(),
    refusedPhones: [],
    receipts: [],
    key,
    report(serialNo, delivered, description) {
      const sent = fake.sent.find((request) => request.serialNo === serialNo);
      if (!sent) throw new Error(`No message ${serialNo}`);
      fake.receipts.push({
        UserReceiveTime: '2026-12-06 17:18:37',
        CountryCode: '86',
        SubscriberNumber: sent.phone.replace(/^\+86/, ''),
        PhoneNumber: sent.phone,
        SerialNo: serialNo,
        ReportStatus: delivered ? 'SUCCESS' : 'FAIL',
        Description: description ?? (delivered ? '用户接收成功' : 'MN:0001'),
        ...(sent.sessionContext === undefined ? {} : { SessionContext: sent.sessionContext }),
      });
    },
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const answer = (response: Record<string, unknown>) => {
        const text = JSON.stringify({ Response: { ...response, RequestId: randomUUID() } });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(text);
      };
      if (!signatureValid(req, body, fake.key)) {
        fake.badSignatures.push(Date.now());
        answer({ Error: { Code: 'AuthFailure.SignatureFailure', Message: 'signature' } });
        return;
      }
      const input = JSON.parse(body) as Record<string, unknown>;
      const action = req.headers['x-tc-action'];
      if (action === 'SendSms') {
        const phone = (input.PhoneNumberSet as string[])[0] ?? '';
        if (fake.unsubscribed.has(phone)) {
          fake.refusedPhones.push(phone);
          answer({
            SendStatusSet: [
              { SerialNo: '', PhoneNumber: phone, Code: 'FailedOperation.PhoneNumberInBlacklist' },
            ],
          });
          return;
        }
        const serialNo = `2433:${randomUUID()}`;
        fake.sent.push({
          phone,
          appId: String(input.SmsSdkAppId),
          signName: String(input.SignName),
          templateId: String(input.TemplateId),
          params: input.TemplateParamSet as string[],
          sessionContext: input.SessionContext as string | undefined,
          serialNo,
          region: String(req.headers['x-tc-region']),
        });
        answer({
          SendStatusSet: [
            {
              SerialNo: serialNo,
              PhoneNumber: phone,
              Fee: 1,
              SessionContext: input.SessionContext ?? '',
              Code: 'Ok',
              Message: 'send success',
              IsoCode: 'CN',
            },
          ],
        });
        return;
      }
      if (action === 'PullSmsSendStatus') {
        const limit = Number(input.Limit);
        answer({ PullSmsSendStatusSet: fake.receipts.splice(0, limit) });
        return;
      }
      answer({ Error: { Code: 'InvalidAction', Message: String(action) } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, () => resolve()));
  Object.assign(fake, {
    endpoint: `http://${HOST}:${portOf(server)}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return fake;
}

/** Secrets Manager's GetSecretValue on 127.0.0.1 (JSON secrets by name or ARN), for the real SDK client. */
export async function startSecretsManager(
  secrets: Map<string, unknown>,
): Promise<{ endpoint: string; reads: string[]; close(): Promise<void> }> {
  const reads: string[] = [];
  const server = createAwsJsonServer({
    serviceName: 'secrets-manager',
    targetPrefix: 'secretsmanager',
    log: createLogger(true),
    operations: {
      GetSecretValue: (input) => {
        const id = String(input.SecretId);
        reads.push(id);
        const value = secrets.get(id);
        if (value === undefined)
          throw new AwsServiceError('ResourceNotFoundException', 'Secrets Manager can’t find it');
        return { ARN: id, Name: id, VersionId: randomUUID(), SecretString: JSON.stringify(value) };
      },
    },
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, () => resolve()));
  return {
    endpoint: `http://${HOST}:${portOf(server)}`,
    reads,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

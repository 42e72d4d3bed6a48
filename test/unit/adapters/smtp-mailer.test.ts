import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpCredentials, SmtpMailer } from '../../../shared/adapters/smtp-mailer';
import { RecipientRefusedError } from '../../../shared/ports/notifications';
import { type LocalSmtpRelay, selfSignedCertificate, startSmtpRelay } from '../../support/china-providers';

/*
 * The SMTP adapter against a real SMTP server (smtp-server) on 127.0.0.1, with TLS on a
 * certificate generated here: TLS is required (implicit or STARTTLS), the certificate is verified,
 * a permanent refusal of the recipient is a bounce, a refused login reads the secret again.
 */

const message = {
  to: ['merchant@example.com'],
  subject: '商户进件已通过：张三便利店',
  text: 'Approved\n',
  html: '<p>Approved</p>',
};

/** Credentials as a secret would hold them, with a counter of reads. */
function credentials(initial: SmtpCredentials) {
  const source = {
    current: initial,
    reads: 0,
    refreshes: 0,
    get: async () => {
      source.reads += 1;
      return source.current;
    },
    refresh: async () => {
      source.refreshes += 1;
      return source.current;
    },
  };
  return source;
}

let certificate: { key: string; cert: string };
const relays: LocalSmtpRelay[] = [];

beforeAll(async () => {
  certificate = await selfSignedCertificate();
});
afterAll(async () => {
  await Promise.all(relays.map((relay) => relay.close()));
});

async function relay(
  options: Omit<Parameters<typeof startSmtpRelay>[0], 'username' | 'password' | 'certificate'>,
) {
  const started = await startSmtpRelay({
    ...options,
    username: 'onboarding',
    password: 'first-password',
    certificate,
  });
  relays.push(started);
  return started;
}

function mailer(port: number, source: ReturnType<typeof credentials>) {
  return new SmtpMailer({
    from: 'noreply@acquirer.example.cn',
    host: '127.0.0.1',
    port,
    credentials: source,
    timeoutMs: 5000,
  });
}

describe('SmtpMailer', () => {
  it('sends over STARTTLS with SMTP AUTH and returns the message id', async () => {
    const server = await relay({ tls: 'starttls' });
    const source = credentials({ username: 'onboarding', password: 'first-password', ca: certificate.cert });
    const id = await mailer(server.port, source).send(message);
    expect(id).toMatch(/^<.+@.+>$/);
    expect(server.messages).toHaveLength(1);
    const [relayed] = server.messages;
    expect(relayed).toMatchObject({
      from: 'noreply@acquirer.example.cn',
      to: ['merchant@example.com'],
      user: 'onboarding',
      secure: true,
    });
    expect(relayed?.raw).toContain(`Message-ID: ${id}`);
    expect(relayed?.raw).toMatch(/Content-Type: multipart\/alternative/);
  });

  it('sends over implicit TLS (port 465 style)', async () => {
    const server = await relay({ tls: 'implicit' });
    // Port 465 selects implicit TLS; the test's port is random, so it is asked for explicitly.
    const source = credentials({ username: 'onboarding', password: 'first-password', ca: certificate.cert });
    const implicit = new SmtpMailer({
      from: 'noreply@acquirer.example.cn',
      host: '127.0.0.1',
      port: server.port,
      credentials: source,
      implicitTls: true,
    });
    await implicit.send(message);
    expect(server.messages.at(-1)?.secure).toBe(true);
  });

  it('never sends in plain text: a relay that offers no STARTTLS is refused', async () => {
    const server = await relay({ tls: 'plain' });
    const source = credentials({ username: 'onboarding', password: 'first-password', ca: certificate.cert });
    await expect(mailer(server.port, source).send(message)).rejects.toThrow(/STARTTLS|TLS/i);
    expect(server.messages).toHaveLength(0);
  });

  it('refuses a certificate it cannot verify (no CA given for a self-signed one)', async () => {
    const server = await relay({ tls: 'starttls' });
    const source = credentials({ username: 'onboarding', password: 'first-password' });
    await expect(mailer(server.port, source).send(message)).rejects.toThrow(/certificate/i);
    expect(server.messages).toHaveLength(0);
  });

  it('reports a permanent refusal of the recipient as a bounce, with the reply codes and no address', async () => {
    const server = await relay({
      tls: 'starttls',
      refuse: (address) =>
        address.startsWith('gone')
          ? { code: 550, message: `5.1.1 <${address}> mailbox unavailable` }
          : undefined,
    });
    const source = credentials({ username: 'onboarding', password: 'first-password', ca: certificate.cert });
    const error = await mailer(server.port, source)
      .send({ ...message, to: ['gone@example.com'] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RecipientRefusedError);
    expect(error).toMatchObject({ reason: 'BOUNCE', detail: '550 5.1.1' });
    expect((error as RecipientRefusedError).detail).not.toContain('@');
    expect(server.messages).toHaveLength(0);
  });

  it('treats a temporary refusal (4xx) as a failure to retry, not a bounce', async () => {
    const server = await relay({
      tls: 'starttls',
      refuse: () => ({ code: 451, message: '4.3.0 try again later' }),
    });
    const source = credentials({ username: 'onboarding', password: 'first-password', ca: certificate.cert });
    const error = await mailer(server.port, source)
      .send(message)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RecipientRefusedError);
  });

  it('reads the secret again when the relay refuses the cached password (a rotation), once', async () => {
    const server = await relay({ tls: 'starttls' });
    const source = credentials({ username: 'onboarding', password: 'first-password', ca: certificate.cert });
    const sender = mailer(server.port, source);
    await sender.send(message);
    // Rotated: the relay takes only the new password; the cache still holds the old one.
    server.password = 'second-password';
    const rotated = { username: 'onboarding', password: 'second-password', ca: certificate.cert };
    source.refresh = async () => {
      source.refreshes += 1;
      source.current = rotated;
      return rotated;
    };
    await sender.send(message);
    expect(source.refreshes).toBe(1);
    expect(server.refusedLogins).toEqual(['onboarding']);
    expect(server.messages).toHaveLength(2);

    // Wrong everywhere: one refresh, then the failure is thrown.
    server.password = 'third-password';
    await expect(sender.send(message)).rejects.toMatchObject({ code: 'EAUTH' });
    expect(source.refreshes).toBe(2);
  });
});

/**
 * `npm run demo`: the whole product, step by step, against a running `npm run dev`.
 *
 * Two merchants apply, upload documents, are checked by the workflow and approved by a reviewer;
 * the first one reads its merchant number, terminal ID and activation code from the email and SMS,
 * has a lost code reissued, activates its terminal and runs the test transaction, rotates its
 * access token, and moves the terminal to the second merchant (transfer accepted, reviewed,
 * completed); the second merchant activates it and changes its contact with a change request.
 * Every step prints what it sent and what came back; the first surprise stops the demo with the
 * response body and exit code 1.
 *
 * It talks only to the local API on 127.0.0.1 (`PORT`, default 3000) and its `/_local/*` helpers,
 * plus the presigned upload URLs the API hands out (checked to point at 127.0.0.1 too). Every run
 * uses fresh Idempotency-Keys, serial numbers, ID and licence numbers, bank accounts and phone
 * numbers, so it runs again and again on the same state dir, and no phone gets more than five SMS
 * of a kind (the default `SMS_PER_PHONE_PER_HOUR`; activation codes are counted on their own).
 */
import { randomInt } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { creditCodeCheckCharacter } from '../shared/validation/credit-code';
import { luhnCheckDigit } from '../shared/validation/luhn';
import { residentIdCheckCharacter } from '../shared/validation/resident-id';

/** The most SMS of one kind (with an activation code, or any other) this demo sends to a phone in a run. */
const SMS_PER_PHONE = 5;
/** An SMS that carries an activation code (they have an hourly allowance of their own). */
const ACTIVATION_SMS = /激活码\d{6}|(?:code|activation code) \d{6}, valid 30 days/;
/** How long to wait for the workflow (checks, provisioning, notifications) at each step. */
const WAIT_MS = Number(process.env.DEMO_WAIT_SECONDS ?? 60) * 1000;

// biome-ignore lint/suspicious/noExplicitAny: a demo reads JSON answers as they come
type Json = any;

/** The demo's one kind of failure: the step, what was asked, and what came back. */
class Surprise extends Error {
  constructor(
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    process.stderr.write(`${name}=${raw} is not a port number\n`);
    process.exit(2);
  }
  return value;
}

const API_PORT = port('PORT', 3000);
const API = `http://127.0.0.1:${API_PORT}`;
const S3_PORT = process.env.S3_PORT ? port('S3_PORT', 4569) : undefined;
const SES_PORT = port('SES_PORT', 8005);

// ---------------------------------------------------------------------------------------------
// Output

const out = (line = '') => process.stdout.write(`${line}\n`);
let stepNo = 0;
let stepTitle = '';

async function step<T>(title: string, run: () => Promise<T>): Promise<T> {
  stepNo += 1;
  stepTitle = title;
  out();
  out(`${String(stepNo).padStart(2)}. ${title}`);
  return run();
}

const note = (text: string) => out(`      ${text}`);

/** A secret shown by its first characters only (tokens, codes). */
const hint = (secret: string, keep = 6) => `${secret.slice(0, keep)}…`;

// ---------------------------------------------------------------------------------------------
// HTTP

interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** The status this step expects; anything else stops the demo. */
  readonly expect: number;
  /** A short summary of the answer for the printed line. */
  readonly show?: (body: Json) => string;
  /** Polling: print nothing unless it fails. */
  readonly quiet?: boolean;
}

async function call(method: string, path: string, options: CallOptions): Promise<Json> {
  let response: Response;
  try {
    response = await fetch(`${API}${path}`, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (error) {
    throw new Surprise(
      `${method} ${path}: the API at ${API} does not answer (${(error as Error).cause ?? error}). ` +
        'Start it with `npm run dev` and give this demo the same PORT.',
    );
  }
  const text = await response.text();
  let body: Json;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  if (response.status !== options.expect) {
    throw new Surprise(`${method} ${path} answered ${response.status}, expected ${options.expect}`, body);
  }
  if (!options.quiet) {
    const summary = options.show ? ` ${options.show(body)}` : '';
    out(`      ${method} ${path} → ${response.status}${summary}`);
  }
  return body;
}

/** Polls `check` until it returns a value; a timeout stops the demo with the last answer. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const started = Date.now();
  while (Date.now() - started < WAIT_MS) {
    const value = await check();
    if (value !== undefined) {
      note(`(${what}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Surprise(`waited ${WAIT_MS / 1000} s for ${what} (DEMO_WAIT_SECONDS sets how long)`);
}

/** A presigned URL must lead to the local S3 emulator, nowhere else. */
function localUploadUrl(raw: string): string {
  const url = new URL(raw);
  if (url.hostname !== '127.0.0.1' || (S3_PORT !== undefined && Number(url.port) !== S3_PORT)) {
    throw new Surprise(
      `the upload URL points at ${url.host}, not the local S3 emulator (127.0.0.1:${S3_PORT ?? 'S3_PORT'})`,
    );
  }
  return url.toString();
}

// ---------------------------------------------------------------------------------------------
// Fresh, valid data for each run

/** This run's mark: part of every key, SN, address and name it creates. */
const RUN = `${Date.now().toString(36)}${randomInt(36 * 36)
  .toString(36)
  .padStart(2, '0')}`.toUpperCase();

const digits = (count: number) => Array.from({ length: count }, () => randomInt(10)).join('');

/** A mainland mobile number no earlier run used (with overwhelming likelihood). */
function phoneNumber(taken: Set<string>): string {
  for (;;) {
    const phone = `1${3 + randomInt(7)}${digits(9)}`;
    if (!taken.has(phone)) {
      taken.add(phone);
      return phone;
    }
  }
}

/** A resident ID of an adult born in Beijing between 1960 and 1999, with its check character. */
function residentId(): string {
  const born = new Date(Date.UTC(1960, 0, 1) + randomInt(40 * 365) * 86_400_000);
  const first17 = `110105${born.toISOString().slice(0, 10).replaceAll('-', '')}${digits(3)}`;
  return first17 + residentIdCheckCharacter(first17);
}

/** A unified social credit code (market regulation, enterprise, Beijing) with its check character. */
function creditCode(): string {
  const first17 = `9111010500${digits(7)}`;
  return first17 + creditCodeCheckCharacter(first17);
}

function personalAccount(): string {
  const payload = `622202${digits(12)}`;
  return payload + luhnCheckDigit(payload);
}

/** A 16×16 PNG made here (a colour gradient): the "photo" of every document. */
function pngImage(): Buffer {
  const size = 16;
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    const row = y * (size * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set([x * 16, y * 16, 160], row + 1 + x * 3);
  }
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed) >>> 0);
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Steps used more than once

interface Applicant {
  readonly label: string;
  readonly type: 'INDIVIDUAL' | 'ENTERPRISE';
  readonly phone: string;
  readonly email: string;
  readonly body: Json;
  applicationId?: string;
  token?: string;
  merchantNo?: string;
}

const REQUIRED_KINDS = {
  INDIVIDUAL: ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO'],
  ENTERPRISE: ['ID_CARD_FRONT', 'ID_CARD_BACK', 'BANK_CARD', 'STORE_PHOTO', 'BUSINESS_LICENSE'],
} as const;

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === null) throw new Surprise(`${what} is missing`);
  return value;
}

async function uploadDocuments(applicant: Applicant, image: Buffer): Promise<void> {
  const id = need(applicant.applicationId, 'the application id');
  for (const kind of REQUIRED_KINDS[applicant.type]) {
    const document = await call('POST', `/v1/applications/${id}/documents`, {
      token: applicant.token,
      body: { kind, contentType: 'image/png', sizeBytes: image.length },
      expect: 201,
      show: (b) => `${kind} → presigned PUT, ${b.maxBytes} bytes at most`,
    });
    const url = localUploadUrl(need(document.uploadUrl, 'uploadUrl'));
    const put = await fetch(url, { method: 'PUT', headers: document.headers, body: new Uint8Array(image) });
    if (put.status !== 200)
      throw new Surprise(`PUT of ${kind} to the presigned URL answered ${put.status}`, await put.text());
  }
  note(`${REQUIRED_KINDS[applicant.type].length} documents uploaded (${image.length}-byte PNG each)`);
}

/** The newest code of a verification message to the applicant, once it arrived. */
async function verificationCode(applicant: Applicant, channel: 'SMS' | 'EMAIL'): Promise<string> {
  return waitFor(`the verification ${channel === 'SMS' ? 'SMS' : 'email'}`, async () => {
    if (channel === 'SMS') {
      const messages = await smsTo(applicant.phone);
      return [...messages]
        .reverse()
        .map((m) => /^【[^】]+】(?:验证码|Code )(\d{6})/.exec(m.body)?.[1])
        .find(Boolean);
    }
    const inbox = await call('GET', `/_local/emails?to=${encodeURIComponent(applicant.email)}`, {
      expect: 200,
      quiet: true,
    });
    return [...inbox.messages]
      .reverse()
      .map((m: Json) => /(?:验证码是|Your code is) (\d{6})/.exec(m.text ?? '')?.[1])
      .find(Boolean);
  });
}

/** Verifies the contact phone and email with the codes sent to them: nothing else is sent before. */
async function verifyContacts(applicant: Applicant): Promise<void> {
  const id = need(applicant.applicationId, 'the application id');
  for (const channel of ['SMS', 'EMAIL'] as const) {
    await call('POST', `/v1/applications/${id}/verifications`, {
      token: applicant.token,
      body: { channel },
      expect: 202,
      show: (b) => `a ${channel} code to ${b.sentTo}, valid until ${b.expiresAt}`,
    });
    const code = await verificationCode(applicant, channel);
    await call('POST', `/v1/applications/${id}/verifications/confirm`, {
      token: applicant.token,
      body: { channel, code },
      expect: 200,
      show: (b) => `${b.channel} verified: ${b.verified}`,
    });
  }
}

/** The pending review task of a subject (application, transfer or change request), by paging the queue. */
async function reviewTask(reviewer: string, subjectId: string, what: string): Promise<Json> {
  return waitFor(`${what} in the review queue`, async () => {
    let cursor: string | undefined;
    do {
      const query = `status=PENDING&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await call('GET', `/v1/reviews?${query}`, { token: reviewer, expect: 200, quiet: true });
      const item = page.items.find((task: Json) => task.subjectId === subjectId);
      if (item) return item;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return undefined;
  });
}

/** Approves a task with every check it requires done. */
async function approve(reviewer: string, task: Json): Promise<void> {
  const checks = Object.fromEntries(
    (task.requiredChecks as string[]).map((name) => [name, { done: true, notes: `demo ${RUN}: confirmed` }]),
  );
  note(
    `automated checks: ${task.automatedChecks.map((c: Json) => `${c.name} ${c.result}`).join(', ') || 'none'}`,
  );
  note(`required checks: ${task.requiredChecks.join(', ') || 'none'}`);
  await call('POST', `/v1/reviews/${task.taskId}/decision`, {
    token: reviewer,
    body: { decision: 'APPROVE', checks },
    expect: 200,
    show: () => `APPROVE (${Object.keys(checks).join(', ')} done)`,
  });
}

async function applyAndGetApproved(applicant: Applicant, reviewer: string, image: Buffer): Promise<Json> {
  await step(
    `${applicant.label} applies (${applicant.type}): a draft, its contacts verified, documents, submit`,
    async () => {
      const idempotencyKey = `demo-${RUN}-${applicant.label.toLowerCase()}`;
      const created = await call('POST', '/v1/applications', {
        body: applicant.body,
        headers: { 'idempotency-key': idempotencyKey },
        expect: 201,
        show: (b) => `${b.status} ${b.applicationId}, accessToken ${hint(b.accessToken, 30)}`,
      });
      applicant.applicationId = created.applicationId;
      applicant.token = created.accessToken;
      const replay = await call('POST', '/v1/applications', {
        body: applicant.body,
        headers: { 'idempotency-key': idempotencyKey },
        expect: 201,
        show: (b) => `the same key and body again: the same application ${b.applicationId}`,
      });
      if (replay.applicationId !== created.applicationId || replay.accessToken !== created.accessToken)
        throw new Surprise('a replayed create answered another application or token', replay);
      await verifyContacts(applicant);
      await uploadDocuments(applicant, image);
      const late = await call('POST', '/v1/applications', {
        body: applicant.body,
        headers: { 'idempotency-key': idempotencyKey },
        expect: 201,
        show: (b) => `once the token was used, a replay answers ${b.applicationId} without a token`,
      });
      if (late.accessToken !== undefined)
        throw new Surprise('a replay after the first use answered a token', late);
      await call('POST', `/v1/applications/${created.applicationId}/submit`, {
        token: applicant.token,
        expect: 202,
        show: (b) => b.status,
      });
    },
  );
  const id = need(applicant.applicationId, 'the application id');
  await step(`the workflow checks ${applicant.label}'s application; a reviewer approves it`, async () => {
    const task = await reviewTask(reviewer, id, 'the application');
    await approve(reviewer, task);
  });
  return step(`${applicant.label} is APPROVED: merchant number and terminal ID`, async () => {
    const approved = await waitFor('provisioning', async () => {
      const got = await call('GET', `/v1/applications/${id}`, {
        token: applicant.token,
        expect: 200,
        quiet: true,
      });
      if (['REJECTED', 'EXPIRED', 'WITHDRAWN'].includes(got.status))
        throw new Surprise(`the application ended ${got.status}`, got);
      return got.status === 'APPROVED' ? got : undefined;
    });
    await call('GET', `/v1/applications/${id}`, {
      token: applicant.token,
      expect: 200,
      show: (b) =>
        `${b.status}, merchantNo ${b.merchantNo}, terminalId ${b.terminalId ?? '(none)'}, ID ${b.legalPerson.idNumber} (masked)`,
    });
    applicant.merchantNo = approved.merchantNo;
    return approved;
  });
}

async function smsTo(phone: string): Promise<{ body: string }[]> {
  const outbox = await call('GET', `/_local/sms?to=${encodeURIComponent(`+86${phone}`)}`, {
    expect: 200,
    quiet: true,
  });
  return outbox.messages;
}

/** The activation code of the newest SMS to `phone` that carries one, once there are more than `after` SMS. */
async function activationCode(phone: string, after: number): Promise<string> {
  return waitFor('the activation SMS', async () => {
    const messages = await smsTo(phone);
    if (messages.length <= after) return undefined;
    for (const message of [...messages].reverse()) {
      const code = /(?:激活码|code )(\d{6})/.exec(message.body)?.[1];
      if (code) return code;
    }
    return undefined;
  });
}

// ---------------------------------------------------------------------------------------------
// The tour

async function main(): Promise<void> {
  const limit = process.env.SMS_PER_PHONE_PER_HOUR;
  if (limit !== undefined && limit !== '' && Number(limit) < SMS_PER_PHONE) {
    throw new Surprise(
      `SMS_PER_PHONE_PER_HOUR=${limit}: the demo texts one phone up to ${SMS_PER_PHONE} times; ` +
        `start npm run dev with a limit of at least ${SMS_PER_PHONE}`,
    );
  }
  out(`POS onboarding demo, run ${RUN}, against ${API}`);
  out(
    `  uploads go to 127.0.0.1:${S3_PORT ?? '<S3_PORT>'}; mail is also on http://127.0.0.1:${SES_PORT}/ ; ` +
      `each phone of this run gets at most ${SMS_PER_PHONE} SMS of a kind`,
  );

  const phones = new Set<string>();
  const image = pngImage();
  const serialNumber = `DEMO-${RUN}`;

  await step('the local stack is up', () =>
    call('GET', '/v1/health', { expect: 200, show: (b) => `status ${b.status}` }),
  );

  const [operator, reviewer] = await step('staff sign in (local tokens shaped like Cognito ID tokens)', () =>
    Promise.all([
      call('POST', '/_local/tokens', {
        body: { sub: `op-demo-${RUN}`, groups: ['operator'] },
        expect: 200,
        show: () => 'an operator',
      }).then((b) => b.token as string),
      call('POST', '/_local/tokens', {
        body: { sub: `rev-demo-${RUN}`, groups: ['reviewer'] },
        expect: 200,
        show: () => 'a reviewer',
      }).then((b) => b.token as string),
    ]),
  );

  await step(`an operator puts terminal ${serialNumber} in stock`, () =>
    call('POST', '/v1/terminals', {
      token: operator,
      body: { terminals: [{ serialNumber, model: 'A8' }] },
      expect: 201,
      show: (b) => JSON.stringify(b),
    }),
  );

  const shop: Applicant = (() => {
    const phone = phoneNumber(phones);
    const email = `demo-${RUN.toLowerCase()}-shop@example.com`;
    return {
      label: 'Shop',
      type: 'INDIVIDUAL',
      phone,
      email,
      body: {
        type: 'INDIVIDUAL',
        business: {
          name: `张三便利店 ${RUN}`,
          shortName: '张三便利',
          mcc: '5411',
          address: { divisionCode: '110105', detail: '朝阳区建国路88号' },
        },
        legalPerson: { name: '张三', idNumber: residentId(), phone },
        contact: { name: '张三', phone, email },
        settlement: {
          accountType: 'PERSONAL',
          accountName: '张三',
          accountNumber: personalAccount(),
          bankName: '中国工商银行',
          cycle: 'T1',
        },
        terminal: { serialNumber, model: 'A8' },
        locale: 'zh-CN',
      },
    };
  })();

  await step('a wrong phone format is refused, saying how to fix it (nothing is stored)', () =>
    call('POST', '/v1/applications', {
      body: { ...shop.body, contact: { ...shop.body.contact, phone: `+86${shop.phone}` } },
      headers: { 'idempotency-key': `demo-${RUN}-bad-phone` },
      expect: 400,
      show: (b) =>
        `${b.error.code}: ${b.error.fields.map((f: Json) => `${f.field} ${f.code} "${f.message}"`).join('; ')}`,
    }),
  );

  const shopApproved = await applyAndGetApproved(shop, reviewer, image);
  const firstTerminalId = need(shopApproved.terminalId, 'the terminal ID of the approved application');

  const firstCode = await step(
    'the confirmation: email with the numbers, SMS with the activation code',
    async () => {
      const mail = await waitFor('the approval email', async () => {
        const inbox = await call('GET', `/_local/emails?to=${encodeURIComponent(shop.email)}`, {
          expect: 200,
          quiet: true,
        });
        return inbox.messages.find((m: Json) => /商户号：\d{15}/.test(m.text));
      });
      const merchantNo = /商户号：(\d{15})/.exec(mail.text)?.[1];
      const terminalId = /终端号：(\d{8})/.exec(mail.text)?.[1];
      note(`email "${mail.subject}": merchant number ${merchantNo}, terminal ID ${terminalId}`);
      if (merchantNo !== shop.merchantNo || terminalId !== firstTerminalId)
        throw new Surprise('the email names other numbers than the application', mail.text);
      const code = await activationCode(shop.phone, 0);
      note(`SMS to +86${shop.phone}: activation code ${hint(code, 2)} (6 digits, valid 30 days)`);
      return code;
    },
  );

  const newCode = await step(
    'the merchant lost the code: an operator reissues it before activation',
    async () => {
      const before = (await smsTo(shop.phone)).length;
      await call('POST', `/v1/terminals/${serialNumber}/activation-code`, {
        token: operator,
        expect: 200,
        show: (b) => `${b.status}, a new code sent: ${b.activationCodeSent}`,
      });
      const code = await activationCode(shop.phone, before);
      note(`new SMS: activation code ${hint(code, 2)}`);
      if (code !== firstCode) {
        await call('POST', `/v1/terminals/${serialNumber}/activate`, {
          token: shop.token,
          body: { activationCode: firstCode },
          expect: 400,
          show: (b) =>
            `the old code: ${b.error.code}, ${b.error.attemptsLeft ?? b.error.details?.attemptsLeft ?? '?'} attempts left`,
        });
      }
      return code;
    },
  );

  await step('the merchant activates the terminal and runs the test transaction', async () => {
    await call('POST', `/v1/terminals/${serialNumber}/activate`, {
      token: shop.token,
      body: { activationCode: newCode },
      expect: 200,
      show: (b) => `${b.status}`,
    });
    await call('POST', `/v1/terminals/${serialNumber}/test-transaction`, {
      token: shop.token,
      expect: 200,
      show: (b) => `${b.result}: 0.01 CNY sale ${b.saleId} and its void ${b.voidId}`,
    });
    await call('GET', `/v1/merchants/${shop.merchantNo}`, {
      token: shop.token,
      expect: 200,
      show: (b) =>
        `merchant ${b.status}, terminals ${b.terminals.map((t: Json) => `${t.serialNumber} ${t.status}`).join(', ')}`,
    });
  });

  await step('the merchant rotates its access token: the old one stops working at once', async () => {
    const old = need(shop.token, 'the access token');
    const rotated = await call('POST', `/v1/applications/${shop.applicationId}/access-token`, {
      token: old,
      expect: 201,
      show: (b) => `new accessToken ${hint(b.accessToken, 30)}`,
    });
    shop.token = rotated.accessToken;
    await call('GET', `/v1/applications/${shop.applicationId}`, {
      token: old,
      expect: 401,
      show: (b) => `the old token: ${b.error.code} "${b.error.message}"`,
    });
    await call('GET', `/v1/applications/${shop.applicationId}`, {
      token: shop.token,
      expect: 200,
      show: (b) => `the new token: ${b.status}`,
    });
  });

  const buyer: Applicant = (() => {
    const phone = phoneNumber(phones);
    const email = `demo-${RUN.toLowerCase()}-buyer@example.com`;
    return {
      label: 'Buyer',
      type: 'ENTERPRISE',
      phone,
      email,
      body: {
        type: 'ENTERPRISE',
        business: {
          name: `Li Trading Co. ${RUN}`,
          shortName: 'Li Trading',
          licenseNumber: creditCode(),
          mcc: '5411',
          address: { divisionCode: '310104', detail: 'No. 1 Caoxi Road, Xuhui' },
        },
        legalPerson: { name: '李四', idNumber: residentId(), phone },
        contact: { name: 'Li Si', phone, email },
        settlement: {
          accountType: 'CORPORATE',
          accountName: `Li Trading Co. ${RUN}`,
          accountNumber: digits(16),
          bankName: 'Bank of China',
          cycle: 'T1',
        },
        locale: 'en',
      },
    };
  })();
  await applyAndGetApproved(buyer, reviewer, image);

  const transfer = await step(`Shop moves terminal ${serialNumber} to Buyer; Buyer accepts`, async () => {
    const created = await call('POST', `/v1/terminals/${serialNumber}/transfer-requests`, {
      token: shop.token,
      body: { toMerchantNo: buyer.merchantNo, reason: `门店转让 (demo ${RUN})` },
      expect: 202,
      show: (b) => `${b.status} ${b.transferRequestId} (with the rotated token)`,
    });
    await call('POST', `/v1/transfer-requests/${created.transferRequestId}/accept`, {
      token: buyer.token,
      expect: 200,
      show: (b) => b.status,
    });
    return created;
  });

  const buyerSmsBefore = (await smsTo(buyer.phone)).length;
  await step('a reviewer approves the transfer after the phone call-back', async () => {
    const task = await reviewTask(reviewer, transfer.transferRequestId, 'the transfer');
    await approve(reviewer, task);
  });

  await step('the transfer completes: new terminal ID; Buyer activates the terminal', async () => {
    const done = await waitFor('the transfer', async () => {
      const got = await call('GET', `/v1/transfer-requests/${transfer.transferRequestId}`, {
        token: buyer.token,
        expect: 200,
        quiet: true,
      });
      if (['REJECTED', 'EXPIRED', 'CANCELLED', 'FAILED'].includes(got.status))
        throw new Surprise(`the transfer ended ${got.status}`, got);
      return got.status === 'COMPLETED' ? got : undefined;
    });
    note(`COMPLETED: ${serialNumber} is now terminal ${done.terminalId} of merchant ${buyer.merchantNo}`);
    const code = await activationCode(buyer.phone, buyerSmsBefore);
    note(`SMS to Buyer: activation code ${hint(code, 2)}`);
    await call('POST', `/v1/terminals/${serialNumber}/activate`, {
      token: buyer.token,
      body: { activationCode: code },
      expect: 200,
      show: (b) => b.status,
    });
    await call('POST', `/v1/terminals/${serialNumber}/test-transaction`, {
      token: buyer.token,
      expect: 200,
      show: (b) => b.result,
    });
    await call('GET', `/v1/terminals/${serialNumber}`, {
      token: operator,
      expect: 200,
      show: (b) =>
        `${b.status} for ${b.merchantNo}; history: ${b.history.map((h: Json) => h.action).join(' → ')}`,
    });
  });

  const change = await step('Buyer changes its contact with a change request', async () => {
    const merchant = await call('GET', `/v1/merchants/${buyer.merchantNo}`, {
      token: buyer.token,
      expect: 200,
      show: (b) => `version ${b.version}, contact phone ${b.contact.phone} (masked)`,
    });
    const newPhone = phoneNumber(phones);
    return call('POST', `/v1/merchants/${buyer.merchantNo}/change-requests`, {
      token: buyer.token,
      headers: { 'idempotency-key': `demo-${RUN}-change` },
      body: {
        changes: {
          contact: { name: 'Wang Wu', phone: newPhone, email: `demo-${RUN.toLowerCase()}-wang@example.com` },
        },
        reason: 'New store manager',
        expectedVersion: merchant.version,
      },
      expect: 202,
      show: (b) => `${b.status} ${b.changeRequestId}`,
    }).then((created) => ({ ...created, newPhone, version: merchant.version as number }));
  });

  await step('a reviewer approves the change; it is applied as a new version', async () => {
    const task = await reviewTask(reviewer, change.changeRequestId, 'the change request');
    await approve(reviewer, task);
    await waitFor('the change to apply', async () => {
      const got = await call(
        'GET',
        `/v1/merchants/${buyer.merchantNo}/change-requests/${change.changeRequestId}`,
        {
          token: buyer.token,
          expect: 200,
          quiet: true,
        },
      );
      if (['REJECTED', 'STALE', 'EXPIRED', 'CANCELLED'].includes(got.status))
        throw new Surprise(`the change request ended ${got.status}`, got);
      return got.status === 'APPLIED' ? got : undefined;
    });
    const merchant = await call('GET', `/v1/merchants/${buyer.merchantNo}`, {
      token: buyer.token,
      expect: 200,
      show: (b) => `version ${b.version}, contact ${b.contact.name} ${b.contact.phone}`,
    });
    if (merchant.version !== change.version + 1)
      throw new Surprise(`expected version ${change.version + 1}`, merchant);
    await call('GET', `/v1/merchants/${buyer.merchantNo}/versions`, {
      token: reviewer,
      expect: 200,
      show: (b) => b.items.map((v: Json) => `v${v.version} ${v.action} by ${v.actor}`).join('; '),
    });
    await waitFor('the notices to the old and the new phone', async () => {
      const [oldPhone, newPhone] = await Promise.all([smsTo(buyer.phone), smsTo(change.newPhone)]);
      return newPhone.length > 0 && oldPhone.some((m) => /changed/.test(m.body)) ? true : undefined;
    });
  });

  await step('what each phone received in this run', async () => {
    for (const [who, phone] of [
      ['Shop', shop.phone],
      ['Buyer', buyer.phone],
      ['Buyer (new contact)', change.newPhone],
    ] as const) {
      // Activation codes count on their own (other traffic cannot use up a code's allowance).
      const messages = await smsTo(phone);
      const codes = messages.filter((m) => ACTIVATION_SMS.test(m.body)).length;
      const others = messages.length - codes;
      note(`${who}: ${messages.length} SMS (${codes} with an activation code)`);
      if (codes > SMS_PER_PHONE || others > SMS_PER_PHONE)
        throw new Surprise(
          `${who} got ${codes} code SMS and ${others} others: more than ${SMS_PER_PHONE} of a kind`,
        );
    }
  });

  out();
  out(`Demo ${RUN} done: ${stepNo} steps, every answer as expected.`);
}

main().catch((error: unknown) => {
  out();
  if (error instanceof Surprise) {
    out(`✗ Step ${stepNo} (${stepTitle || 'setup'}) failed: ${error.message}`);
    if (error.body !== undefined)
      out(typeof error.body === 'string' ? error.body : JSON.stringify(error.body, null, 2));
  } else {
    out(`✗ Step ${stepNo} (${stepTitle || 'setup'}) failed unexpectedly:`);
    out(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  process.exitCode = 1;
});

import * as z from 'zod/mini';
import { CARD_TYPES, type CardType } from './settings';

/*
 * One record of the transaction stream (spec section 8), and the calendar it is counted in: days,
 * months and hours of Asia/Shanghai (UTC+8 all year, no daylight saving).
 */

/** A transaction as the payment host streams it. */
export interface TransactionRecord {
  readonly transactionId: string;
  readonly merchantNo: string;
  readonly terminalId: string;
  readonly serialNumber: string;
  readonly type: 'SALE' | 'VOID' | 'REFUND';
  readonly cardType: CardType;
  readonly amountFen: number;
  readonly currency: 'CNY';
  readonly result: 'APPROVED' | 'DECLINED';
  /** ISO 8601 with an offset. */
  readonly at: string;
  /** Where the terminal is (6-digit division code). */
  readonly divisionCode: string;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

const recordSchema = () =>
  z.strictObject({
    transactionId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)),
    merchantNo: z.string().check(z.regex(/^\d{15}$/)),
    terminalId: z.string().check(z.regex(/^\d{8}$/)),
    serialNumber: z.string().check(z.regex(/^[A-Z0-9][A-Z0-9-]{5,31}$/)),
    type: z.enum(['SALE', 'VOID', 'REFUND']),
    cardType: z.enum(CARD_TYPES),
    amountFen: z.number().check(z.int(), z.minimum(1), z.maximum(100_000_000_000)),
    currency: z.literal('CNY'),
    result: z.enum(['APPROVED', 'DECLINED']),
    at: z.string().check(
      z.regex(ISO_WITH_OFFSET),
      z.refine((value) => !Number.isNaN(Date.parse(value)), { message: 'not a real time' }),
    ),
    divisionCode: z.string().check(z.regex(/^\d{6}$/)),
  });

let schema: ReturnType<typeof recordSchema> | undefined;

/** A record read from stream bytes, or why it cannot be counted (no personal data in the reason). */
export type ParsedRecord =
  | { readonly ok: true; readonly record: TransactionRecord }
  | { readonly ok: false; readonly reason: string };

/** Reads one stream record's data (UTF-8 JSON). */
export function parseTransaction(data: Buffer): ParsedRecord {
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch {
    return { ok: false, reason: 'NOT_JSON' };
  }
  schema ??= recordSchema();
  const parsed = z.safeParse(schema, json);
  if (parsed.success) return { ok: true, record: parsed.data };
  // Field paths and issue codes only: a value could be anything, so none is copied.
  const reason = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.code}`)
    .join('; ');
  return { ok: false, reason: `INVALID: ${reason}` };
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** The Asia/Shanghai wall-clock time of an instant, as `yyyy-mm-ddThh:mm:ss`. */
function shanghai(at: string | Date): string {
  const time = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(time + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19);
}

/** The Asia/Shanghai day (`2026-12-06`) of an instant. */
export function dayOf(at: string | Date): string {
  return shanghai(at).slice(0, 10);
}

/** The Asia/Shanghai month (`2026-12`) of an instant. */
export function monthOf(at: string | Date): string {
  return shanghai(at).slice(0, 7);
}

/** The Asia/Shanghai hour of the day (0–23) of an instant. */
export function hourOf(at: string | Date): number {
  return Number(shanghai(at).slice(11, 13));
}

/** The day `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  const time = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

/** The Asia/Shanghai day before the one `now` is in (what the 02:00 run summarizes). */
export function previousDay(now: Date): string {
  return addDays(dayOf(now), -1);
}

/** Whether `day` is a real calendar day written `yyyy-mm-dd`. */
export function isDay(day: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
}

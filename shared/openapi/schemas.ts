import * as z from 'zod/mini';
import { DOCUMENT_CONTENT_TYPES, DOCUMENT_KINDS } from '../domain/application';
import { IDEMPOTENCY_KEY_RULE } from '../idempotency';
import { applicationSchemas } from '../validation/application-schema';
import { lazy } from '../validation/lazy';

/*
 * Response pieces several routes share, for the OpenAPI document (never imported by a function).
 * The sections of an application reuse the intake's own schemas: a response shows the same
 * fields, masked where they are personal numbers.
 */

/** An exhaustive list of a string union's members (the compiler refuses a missing one). */
export function allOf<T extends string>() {
  return <const V extends readonly T[]>(...values: V & ([T] extends [V[number]] ? unknown : never)) =>
    values as unknown as readonly [T, ...T[]];
}

/**
 * A named schema: the document defines it once under `components.schemas` and refers to it (the
 * global registry is zod's; only the generator and the tests load the modules that name schemas).
 */
export function component<S extends z.ZodMiniType>(id: string, schema: S): S {
  if (!z.globalRegistry.has(schema)) z.globalRegistry.add(schema, { id });
  return schema;
}

const TIMESTAMP = component('Timestamp', z.iso.datetime());

/** ISO 8601 UTC time, e.g. `2026-11-20T09:30:00.000Z`. */
export const isoTime = () => TIMESTAMP;

/** Application states. */
export const APPLICATION_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'CHECKING',
  'PENDING_REVIEW',
  'NEEDS_CHANGES',
  'APPROVED',
  'REJECTED',
  'WITHDRAWN',
  'EXPIRED',
] as const;

/** Merchant states. */
export const MERCHANT_STATUSES = ['PENDING_ACTIVATION', 'ACTIVE', 'SUSPENDED', 'CLOSED'] as const;

/** Terminal states. */
export const TERMINAL_STATUSES = ['IN_STOCK', 'BOUND', 'ACTIVATED', 'VERIFIED'] as const;

/** A 15-digit merchant number. */
export const merchantNo = () => z.string().check(z.regex(/^\d{15}$/));

/** An 8-digit terminal ID. */
export const terminalId = () => z.string().check(z.regex(/^\d{8}$/));

/** A terminal serial number. */
export const serialNumber = () => z.string().check(z.regex(/^[A-Z0-9][A-Z0-9-]{5,31}$/));

const REASON = component('Reason', z.object({ field: z.string(), code: z.string(), reason: z.string() }));

/** A reason given with a rejection, a request for changes, a stale or expired request. */
export const reason = () => REASON;

/**
 * One audit entry: the state reached, when, by whom, the action and the names (never the values)
 * of changed fields; a message that did not reach its recipient adds channel, template and the
 * masked recipient.
 */
export function timelineEntry<const S extends readonly [string, ...string[]]>(id: string, statuses: S) {
  const known = named.get(id);
  if (known) return known as ReturnType<typeof timelineEntryOf<S>>;
  const schema = timelineEntryOf(statuses);
  named.set(id, component(id, schema));
  return schema;
}

const named = new Map<string, z.ZodMiniType>();

function timelineEntryOf<const S extends readonly [string, ...string[]]>(statuses: S) {
  return z.object({
    status: z.enum(statuses),
    at: isoTime(),
    actor: z.string(),
    action: z.string(),
    fields: z.optional(z.array(z.string())),
    channel: z.optional(z.enum(['EMAIL', 'SMS'])),
    template: z.optional(z.string()),
    recipient: z.optional(z.string()),
  });
}

/** `business` as responses show it: the licence number masked. */
export const maskedBusiness = /* @__PURE__ */ lazy(() =>
  component(
    'MaskedBusiness',
    z.object({
      name: z.string(),
      shortName: z.optional(z.string()),
      mcc: z.string(),
      address: component('Address', applicationSchemas().address),
      licenseNumber: z.optional(z.string()),
    }),
  ),
);

/** The masked sections of an application or a merchant (the intake's section schemas). */
export const maskedSections = /* @__PURE__ */ lazy(() => ({
  contact: component('Contact', applicationSchemas().contact),
  settlement: component('Settlement', applicationSchemas().settlement),
}));

/** The masked application body (GET of an application, a review's subject). */
export const maskedApplicationBody = () => ({
  type: z.enum(['INDIVIDUAL', 'ENTERPRISE']),
  business: maskedBusiness(),
  legalPerson: z.object({ name: z.string(), idNumber: z.string(), phone: z.string() }),
  ...maskedSections(),
  terminal: z.nullable(z.object({ serialNumber: serialNumber(), model: z.string() })),
  locale: z.enum(['zh-CN', 'en']),
});

/** A document kind. */
export const documentKind = () => z.enum(DOCUMENT_KINDS);

/** A document content type. */
export const documentContentType = () => z.enum(DOCUMENT_CONTENT_TYPES);

/** One automated check's result. */
export const automatedCheck = /* @__PURE__ */ lazy(() =>
  component(
    'AutomatedCheck',
    z.object({ name: z.string(), result: z.enum(['PASS', 'FAIL', 'WARN']), detail: z.string() }),
  ),
);

/** The `Idempotency-Key` request header. */
export const idempotencyKeyHeader = () =>
  z.object({
    'idempotency-key': z
      .string()
      .check(
        z.minLength(IDEMPOTENCY_KEY_RULE.minLength),
        z.maxLength(IDEMPOTENCY_KEY_RULE.maxLength),
        z.regex(IDEMPOTENCY_KEY_RULE.pattern),
      ),
  });

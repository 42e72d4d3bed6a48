import * as z from 'zod/mini';
import { AGREEMENT_STATUSES, feePlanRates } from '../fee-plans/contract';
import { GET_AGREEMENT, REQUEST_SIGNATURE_CODE, SIGN_AGREEMENT } from '../manifest/agreements';
import { defineRoute } from '../openapi/contract';
import { allOf, component, isoTime, merchantNo } from '../openapi/schemas';
import type { AgreementCause } from './agreement';
import { AGREEMENT_URL_SECONDS, signSchema } from './requests';

/* The merchant agreement routes in the OpenAPI document (see shared/openapi/contract.ts). */

const merchantParam = () => z.object({ merchantNo: merchantNo() });
const agreementStatus = () => z.enum(AGREEMENT_STATUSES);
const sha256 = () => z.string().check(z.regex(/^[0-9a-f]{64}$/));

/** One version as `GET .../agreement` shows it (shared/agreements/requests.ts `agreementView`). */
const agreementView = component(
  'Agreement',
  z.object({
    agreementId: z.string(),
    version: z.int(),
    status: agreementStatus(),
    cause: z.enum(allOf<AgreementCause>()('PROVISIONED', 'FEE_PLAN_CHANGED', 'SETTLEMENT_CYCLE_CHANGED')),
    /** The plan version the agreement states, with its prices. */
    feePlan: z.object({
      code: z.string(),
      version: z.int(),
      name: z.string(),
      rates: feePlanRates,
      t0SurchargeBps: z.int(),
    }),
    settlementCycle: z.enum(['T1', 'T0']),
    locale: z.enum(['zh-CN', 'en']),
    createdAt: isoTime(),
    /** The rendered PDF's digest: `null` until it is rendered. */
    sha256: z.nullable(sha256()),
    signedAt: z.nullable(isoTime()),
    supersededAt: z.nullable(isoTime()),
    timeline: z.array(
      component(
        'AgreementTimelineEntry',
        z.object({
          status: agreementStatus(),
          at: isoTime(),
          actor: z.string(),
          action: z.string(),
          reason: z.optional(z.string()),
        }),
      ),
    ),
    documentUrl: z.nullable(z.string()),
    documentUrlExpiresInSeconds: z.nullable(z.int()),
    /** The signed version in force (the newest itself once signed), or `null` before any signature. */
    inForce: z.nullable(
      z.object({ agreementId: z.string(), version: z.int(), signedAt: z.nullable(isoTime()) }),
    ),
  }),
);

export const AGREEMENT_CONTRACTS = [
  defineRoute({
    entry: GET_AGREEMENT,
    tag: 'Agreements',
    summary: 'The newest agreement version, its PDF and the version in force',
    description:
      `\`documentUrl\` is a presigned GET of the PDF valid for ${AGREEMENT_URL_SECONDS / 60} minutes, ` +
      '`null` (with `sha256`) for the seconds before the version is rendered. While the newest waits ' +
      'for a signature, `inForce` is the signed version that still applies.',
    params: merchantParam,
    responses: { 200: { description: 'The newest version', body: agreementView } },
    errors: [],
  }),
  defineRoute({
    entry: REQUEST_SIGNATURE_CODE,
    tag: 'Agreements',
    summary: "Send a signature code to the legal person's phone",
    description:
      'A 6-digit code for the version waiting for signature (`409 INVALID_STATE` when none waits), ' +
      "valid for 10 minutes; the legal person signs, so it goes to the legal person's phone, not " +
      "the contact's. At most 5 codes an hour and the phone's hourly quota (`429` with " +
      '`retryAfterSeconds`); a phone that opted out is `400` with `UNDELIVERABLE` on ' +
      '`legalPerson.phone`.',
    params: merchantParam,
    responses: {
      202: {
        description: 'Sent to the masked phone',
        body: z.object({
          channel: z.literal('SMS'),
          sentTo: z.string(),
          expiresAt: isoTime(),
          agreementId: z.string(),
        }),
      },
    },
    errors: ['INVALID_STATE'],
  }),
  defineRoute({
    entry: SIGN_AGREEMENT,
    tag: 'Agreements',
    summary: 'Sign the newest version with the PDF digest read and the SMS code',
    description:
      'Signs only the newest version, and only if `sha256` is the digest of its PDF: otherwise ' +
      '`409 AGREEMENT_CHANGED` with the newest `agreementId` and `version` (read it again). A wrong ' +
      'code is `400 VERIFICATION_CODE_INVALID` with `attemptsLeft`; after 5 wrong codes ' +
      '`409 VERIFICATION_LOCKED`, an expired or used code `409 VERIFICATION_EXPIRED`. The source ' +
      'address and user agent are kept as evidence with a write-once copy of the PDF; the version ' +
      'in force before is superseded.',
    params: merchantParam,
    body: signSchema,
    responses: {
      200: {
        description: 'Signed: the version is in force',
        body: z.object({ agreementId: z.string(), status: z.literal('SIGNED'), signedAt: isoTime() }),
      },
    },
    errors: [
      'VERIFICATION_CODE_INVALID',
      'AGREEMENT_CHANGED',
      'INVALID_STATE',
      'VERIFICATION_LOCKED',
      'VERIFICATION_EXPIRED',
    ],
  }),
];

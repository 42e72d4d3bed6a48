import * as z from 'zod/mini';
import { CONFIRM_VERIFICATION, REQUEST_VERIFICATION } from '../manifest/contacts';
import {
  CREATE_APPLICATION,
  CREATE_DOCUMENT,
  GET_APPLICATION,
  SUBMIT_APPLICATION,
  UPDATE_APPLICATION,
  WITHDRAW_APPLICATION,
} from '../manifest/onboarding';
import { defineRoute } from '../openapi/contract';
import {
  APPLICATION_STATUSES,
  component,
  documentContentType,
  documentKind,
  idempotencyKeyHeader,
  isoTime,
  maskedApplicationBody,
  reason,
  timelineEntry,
} from '../openapi/schemas';
import { applicationSchemas } from '../validation/application-schema';
import { documentRequestSchema } from './requests';
import { verificationConfirmSchema, verificationRequestSchema } from './verification';

/* The application routes in the OpenAPI document (see shared/openapi/contract.ts). */

const applicationId = () => z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/));

/** `requirements`: what the merchant must still do (shared/onboarding/requirements.ts). */
const requirements = component(
  'Requirements',
  z.object({
    currentlyDue: z.array(z.string()),
    pastDue: z.array(z.string()),
    deadline: z.nullable(isoTime()),
    errors: z.array(reason()),
  }),
);

/** The application as `GET` and `PUT` answer it (shared/onboarding/view.ts), masked. */
export const applicationView = component(
  'Application',
  z.object({
    applicationId: applicationId(),
    ...maskedApplicationBody(),
    status: z.enum(APPLICATION_STATUSES),
    documents: z.array(
      z.object({
        kind: documentKind(),
        documentId: z.string(),
        contentType: documentContentType(),
        uploaded: z.boolean(),
      }),
    ),
    /** Which contacts confirmed a verification code (spec 6): submit needs both. */
    contactVerified: z.object({ phone: z.boolean(), email: z.boolean() }),
    reasons: z.array(reason()),
    requirements,
    merchantNo: z.nullable(z.string()),
    terminalId: z.nullable(z.string()),
    timeline: z.array(timelineEntry('ApplicationTimelineEntry', APPLICATION_STATUSES)),
    createdAt: isoTime(),
    updatedAt: isoTime(),
  }),
);

const applicationBody = () => component('ApplicationBody', applicationSchemas().application);

export const ONBOARDING_CONTRACTS = [
  defineRoute({
    entry: CREATE_APPLICATION,
    tag: 'Applications',
    summary: 'Create a draft application',
    description:
      'Answers the `accessToken` of the application: it is stored only as a hash and is the ' +
      "merchant's credential from now on. The same `Idempotency-Key` with the same body answers the " +
      'first response again — with the `accessToken` only while that token was never used nor ' +
      'replaced and for 24 hours, without it after; with another body `422`.',
    headers: idempotencyKeyHeader,
    body: applicationBody,
    responses: {
      201: {
        description: 'The draft',
        body: z.object({
          applicationId: applicationId(),
          status: z.literal('DRAFT'),
          accessToken: z.optional(z.string()),
          createdAt: isoTime(),
        }),
      },
    },
    errors: ['IDEMPOTENCY_KEY_REUSED', 'CONFLICT'],
  }),
  defineRoute({
    entry: UPDATE_APPLICATION,
    tag: 'Applications',
    summary: 'Replace the body of a draft or of an application returned for changes',
    body: applicationBody,
    responses: { 200: { description: 'The application', body: applicationView } },
    errors: ['INVALID_STATE', 'CONFLICT'],
  }),
  defineRoute({
    entry: GET_APPLICATION,
    tag: 'Applications',
    summary: 'Read an application, with what the merchant must still do',
    description:
      '`requirements.currentlyDue` lists the field paths still to provide or correct (missing ' +
      'documents, fields a reviewer returned), `errors` the reviewer’s reasons, `deadline` until when.',
    responses: { 200: { description: 'The application, masked', body: applicationView } },
    errors: [],
  }),
  defineRoute({
    entry: CREATE_DOCUMENT,
    tag: 'Applications',
    summary: 'Get a presigned upload for one document',
    body: documentRequestSchema,
    responses: {
      201: {
        description:
          'Where and how to upload the file: one PUT with exactly these headers (the URL signs the ' +
          'content type, the exact size and `If-None-Match: *`, so it writes its new key once and ' +
          'nothing can replace the document later); the URL expires after 15 minutes',
        body: z.object({
          documentId: z.string(),
          kind: documentKind(),
          uploadUrl: z.string(),
          method: z.literal('PUT'),
          headers: z.record(z.string(), z.string()),
          sizeBytes: z.int(),
          expiresAt: isoTime(),
          maxBytes: z.int(),
        }),
      },
    },
    errors: ['INVALID_STATE', 'CONFLICT'],
  }),
  defineRoute({
    entry: SUBMIT_APPLICATION,
    tag: 'Applications',
    summary: 'Submit the application (again, after changes)',
    description:
      'Needs both contacts verified (`contact.phone` / `contact.email` with `UNVERIFIED` in ' +
      '`fields` otherwise) and every required document uploaded; each document is pinned to the ' +
      'version stored now.',
    responses: {
      202: {
        description: 'Submitted: the automated checks run next',
        body: z.object({ applicationId: applicationId(), status: z.literal('SUBMITTED') }),
      },
    },
    errors: ['INVALID_STATE', 'DUPLICATE_MERCHANT', 'CONFLICT'],
  }),
  defineRoute({
    entry: WITHDRAW_APPLICATION,
    tag: 'Applications',
    summary: 'Withdraw an application that is not decided yet',
    responses: {
      200: {
        description: 'Withdrawn',
        body: z.object({ applicationId: applicationId(), status: z.literal('WITHDRAWN') }),
      },
    },
    errors: ['INVALID_STATE', 'CONFLICT'],
  }),
  defineRoute({
    entry: REQUEST_VERIFICATION,
    tag: 'Applications',
    summary: 'Send a verification code to the contact phone or email',
    description:
      'A 6-digit code valid for 10 minutes, the only message an unverified address ever gets. A ' +
      'verified channel needs none (`409`); at most 5 codes an hour per channel and the ' +
      "address's hourly quota (`429` with `retryAfterSeconds`); an address that bounced or opted " +
      'out is `400` with `UNDELIVERABLE` on its field.',
    body: verificationRequestSchema,
    responses: {
      202: {
        description: 'Sent to the masked address',
        body: z.object({
          channel: z.enum(['SMS', 'EMAIL']),
          sentTo: z.string(),
          expiresAt: isoTime(),
        }),
      },
    },
    errors: ['INVALID_STATE'],
  }),
  defineRoute({
    entry: CONFIRM_VERIFICATION,
    tag: 'Applications',
    summary: 'Confirm a contact with the code it received',
    description:
      'A wrong code is `400 VERIFICATION_CODE_INVALID` with `attemptsLeft`; after 5 wrong codes ' +
      '`409 VERIFICATION_LOCKED`, and an expired or used code `409 VERIFICATION_EXPIRED` (request ' +
      'a new code). A channel verified already answers the same `200`.',
    body: verificationConfirmSchema,
    responses: {
      200: {
        description: 'The contact is verified',
        body: z.object({ channel: z.enum(['SMS', 'EMAIL']), verified: z.literal(true) }),
      },
    },
    errors: [
      'VERIFICATION_CODE_INVALID',
      'VERIFICATION_LOCKED',
      'VERIFICATION_EXPIRED',
      'INVALID_STATE',
      'CONFLICT',
    ],
  }),
];

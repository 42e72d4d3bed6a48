import * as z from 'zod/mini';
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
      'Answers the `accessToken` of the application once: it is stored only as a hash and is the ' +
      "merchant's credential from now on. The same `Idempotency-Key` with the same body answers the " +
      'first response again; with another body `422`.',
    headers: idempotencyKeyHeader,
    body: applicationBody,
    responses: {
      201: {
        description: 'The draft',
        body: z.object({
          applicationId: applicationId(),
          status: z.literal('DRAFT'),
          accessToken: z.string(),
          createdAt: isoTime(),
        }),
      },
    },
    errors: ['IDEMPOTENCY_KEY_REUSED'],
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
        description: 'Where and how to upload the file (the URLs expire after 15 minutes)',
        body: z.object({
          documentId: z.string(),
          kind: documentKind(),
          uploadUrl: z.string(),
          method: z.literal('PUT'),
          headers: z.record(z.string(), z.string()),
          sizeBytes: z.optional(z.int()),
          upload: z.object({
            method: z.literal('POST'),
            url: z.string(),
            fields: z.record(z.string(), z.string()),
          }),
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
];

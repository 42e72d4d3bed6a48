import * as z from 'zod/mini';
import { CONFIRM_SESSION, START_SESSION } from '../manifest/contacts';
import { REISSUE_ACCESS_TOKEN, REVOKE_ACCESS_TOKEN, ROTATE_ACCESS_TOKEN } from '../manifest/onboarding';
import { defineRoute } from '../openapi/contract';
import { isoTime } from '../openapi/schemas';
import { sessionConfirmSchema } from './sessions';

/* The access-token routes in the OpenAPI document (see shared/openapi/contract.ts). */

export const ACCESS_TOKEN_CONTRACTS = [
  defineRoute({
    entry: ROTATE_ACCESS_TOKEN,
    tag: 'Access tokens',
    summary: 'Replace the presented access token with a new one',
    responses: {
      201: {
        description: 'The new token (the presented one stops working at once)',
        body: z.object({ accessToken: z.string(), issuedAt: isoTime() }),
      },
    },
    errors: [],
  }),
  defineRoute({
    entry: REVOKE_ACCESS_TOKEN,
    tag: 'Access tokens',
    summary: "Revoke the application's token until an operator reissues one",
    responses: { 204: { description: 'Revoked' } },
    errors: [],
  }),
  defineRoute({
    entry: REISSUE_ACCESS_TOKEN,
    tag: 'Access tokens',
    summary: 'Email a new token to the registered contact',
    responses: {
      202: {
        description: 'Sent to the masked address; the token is never in the response',
        body: z.object({ applicationId: z.string(), issuedAt: isoTime(), sentTo: z.string() }),
      },
    },
    errors: [],
  }),
  defineRoute({
    entry: START_SESSION,
    tag: 'Access tokens',
    summary: 'Sign in again: a code by SMS to the contact phone',
    description:
      "The code goes to the merchant's current contact phone once approved, else to the " +
      "application's verified contact phone. The answer is the same for an id that names no " +
      'application (nothing to enumerate); at most 5 codes an hour per id (`429`).',
    responses: {
      202: {
        description: 'A code is on its way (if the id names an application with a verified phone)',
        body: z.object({ channel: z.literal('SMS'), expiresAt: isoTime() }),
      },
    },
    errors: [],
  }),
  defineRoute({
    entry: CONFIRM_SESSION,
    tag: 'Access tokens',
    summary: 'Exchange the SMS code for a new access token',
    description:
      'Every earlier token of the application stops working. The code rules of the contact ' +
      'verification apply (`VERIFICATION_CODE_INVALID` with `attemptsLeft`, `VERIFICATION_LOCKED`, ' +
      '`VERIFICATION_EXPIRED`), answered alike for an id that names nothing.',
    body: sessionConfirmSchema,
    responses: {
      200: {
        description: 'The new token',
        body: z.object({ applicationId: z.string(), accessToken: z.string(), issuedAt: isoTime() }),
      },
    },
    errors: ['VERIFICATION_CODE_INVALID', 'VERIFICATION_LOCKED', 'VERIFICATION_EXPIRED'],
  }),
];

import * as z from 'zod/mini';
import { REISSUE_ACCESS_TOKEN, REVOKE_ACCESS_TOKEN, ROTATE_ACCESS_TOKEN } from '../manifest/onboarding';
import { defineRoute } from '../openapi/contract';
import { isoTime } from '../openapi/schemas';

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
];

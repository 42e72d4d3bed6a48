import * as z from 'zod/mini';
import { GET_OPENAPI, HEALTH } from '../manifest/platform';
import { defineRoute } from './contract';

/* The platform routes in the OpenAPI document. */

export const PLATFORM_CONTRACTS = [
  defineRoute({
    entry: HEALTH,
    tag: 'Platform',
    summary: 'The service answers',
    responses: { 200: { description: 'Ready', body: z.object({ status: z.literal('ok') }) } },
    errors: [],
  }),
  defineRoute({
    entry: GET_OPENAPI,
    tag: 'Platform',
    summary: 'This document (OpenAPI 3.1)',
    responses: {
      200: {
        description: 'The OpenAPI document',
        body: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
      },
    },
    errors: [],
  }),
];

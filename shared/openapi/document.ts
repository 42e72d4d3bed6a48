import * as z from 'zod/mini';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { type ErrorCode, errorCodes, statusOf } from '../errors';
import { ROUTE_ENTRIES } from '../manifest/functions';
import type { RouteEntry } from '../manifest/types';
import { lazy } from '../validation/lazy';
import { API_TAGS, type RouteContract, schemaOf } from './contract';
import { CONTRACTS } from './contracts';
import { DOMAIN_EVENT_SCHEMA, WEBHOOK_HEADERS } from './events';
import { component, isoTime } from './schemas';

/*
 * The OpenAPI 3.1 document of every `/v1` route, generated with zod-openapi from the manifest
 * (method, path, credentials) and each route's contract (the use case's zod schemas, its answers
 * and error codes). `npm run openapi` writes it to shared/openapi/openapi.json, which
 * `GET /v1/openapi.json` serves as data: the generator is in no function's bundle.
 */

/** The document's version: the API's major version and the contract's revision. */
export const API_VERSION = '1.0.0';

/** Every error's body (spec 4): `code` is one of the codes of shared/errors.ts. */
const ERROR_RESPONSE = /* @__PURE__ */ lazy(() => {
  const [first, ...rest] = errorCodes();
  if (first === undefined) throw new Error('no error codes');
  return component(
    'Error',
    z.object({
      error: z.object({
        code: z.enum([first, ...rest]),
        message: z.string(),
        fields: z.optional(
          z.array(
            component('FieldProblem', z.object({ field: z.string(), code: z.string(), message: z.string() })),
          ),
        ),
        requestId: z.optional(z.string()),
        /** Wrong activation codes left. */
        attemptsLeft: z.optional(z.int()),
        /** When the SMS limit of the phone ends. */
        retryAfterSeconds: z.optional(z.int()),
        /** The open change request a second one conflicts with. */
        openChangeRequestId: z.optional(z.string()),
        /** The newest agreement version, when the one presented is not it (`AGREEMENT_CHANGED`). */
        agreementId: z.optional(z.string()),
        version: z.optional(z.int()),
        /** Who holds the review task and until when (`REVIEW_CLAIMED`, `CLAIM_REQUIRED`). */
        claimedBy: z.optional(z.string()),
        claimedUntil: z.optional(isoTime()),
      }),
    }),
  );
});

/** The error body with the codes a route answers at one status. */
function errorBody(codes: readonly [ErrorCode, ...ErrorCode[]]) {
  return z.intersection(ERROR_RESPONSE(), z.looseObject({ error: z.looseObject({ code: z.enum(codes) }) }));
}

/**
 * The codes a route answers because of what its manifest entry says, beside its contract's own:
 * 401 with any credential, 403 with staff groups, 404 with a path parameter, 400/413/415 for a body
 * (any method but GET may send one), 429 (throttling), 500 and 503 (a busy dependency) everywhere.
 */
export function impliedErrors(entry: RouteEntry, contract: RouteContract): ErrorCode[] {
  const { trigger } = entry;
  const codes: ErrorCode[] = ['RATE_LIMITED', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE'];
  if (trigger.auth !== 'public') codes.push('UNAUTHENTICATED');
  if (trigger.groups !== undefined) codes.push('FORBIDDEN');
  if (trigger.path.includes('{')) codes.push('NOT_FOUND');
  if (trigger.method !== 'GET')
    codes.push('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (contract.headers !== undefined || contract.query !== undefined) codes.push('VALIDATION_FAILED');
  return codes;
}

/** Every code a route answers, in the order of shared/errors.ts. */
export function routeErrors(contract: RouteContract): ErrorCode[] {
  const codes = new Set([...impliedErrors(contract.entry, contract), ...contract.errors]);
  return errorCodes().filter((code) => codes.has(code));
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'The request is not valid',
  401: 'No credential, or one that is not accepted',
  403: 'The credential may not do this',
  404: 'No such object (or not yours)',
  405: 'Another method is needed',
  409: 'The current state does not allow it',
  413: 'The body is too large',
  415: 'The body is not JSON',
  422: 'The Idempotency-Key was used with another body',
  429: 'Too many requests',
  500: 'The request failed',
  503: 'A dependency is busy: nothing changed, retry after Retry-After seconds',
};

function responsesOf(contract: RouteContract): ZodOpenApiResponsesObject {
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, success] of Object.entries(contract.responses)) {
    responses[status as `2${string}`] = {
      description: success.description,
      ...(success.body === undefined
        ? {}
        : { content: { 'application/json': { schema: schemaOf(success.body) } } }),
    };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of routeErrors(contract)) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const [first, ...rest] = codes;
    if (first === undefined) continue;
    responses[`${status}` as `4${string}`] = errorResponse(status, [first, ...rest]);
  }
  return responses;
}

/**
 * One error response per status and set of codes, registered once as a component (`Error409Conflict…`)
 * and referenced by every route that answers it: most routes share their 401, 429, 500 and 503,
 * and written out per route they were two thirds of the document.
 */
const errorResponses = new Map<string, ZodOpenApiResponseObject>();

function errorResponse(
  status: number,
  codes: readonly [ErrorCode, ...ErrorCode[]],
): ZodOpenApiResponseObject {
  const id = `Error${status}${codes.map(pascalCase).join('')}`;
  let response = errorResponses.get(id);
  if (response === undefined) {
    response = {
      id,
      description: `${STATUS_TEXT[status] ?? 'Error'}: ${codes.join(', ')}`,
      ...(status === 503 ? { headers: { 'Retry-After': { schema: { type: 'integer' } } } } : {}),
      content: { 'application/json': { schema: errorBody(codes) } },
    };
    errorResponses.set(id, response);
  }
  return response;
}

/** `INVALID_STATE` → `InvalidState`. */
function pascalCase(code: string): string {
  return code
    .toLowerCase()
    .replace(/(^|_)([a-z0-9])/g, (_match, _sep: string, letter: string) => letter.toUpperCase());
}

/** `create-application` → `createApplication`. */
function operationIdOf(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** The path parameters of a route's path, with the contract's schemas where it gives them. */
function pathParameters(contract: RouteContract) {
  const names = [...contract.entry.trigger.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
  if (names.length === 0) return undefined;
  const given = contract.params ? (schemaOf(contract.params) as z.ZodMiniObject) : undefined;
  const shape: Record<string, z.ZodMiniType> = {};
  for (const name of names) shape[name] = (given?.shape[name] as z.ZodMiniType | undefined) ?? z.string();
  return z.object(shape);
}

function operationOf(contract: RouteContract): ZodOpenApiOperationObject {
  const { trigger, name } = contract.entry;
  const security: Record<string, string[]>[] =
    trigger.auth === 'public'
      ? []
      : trigger.auth === 'merchant'
        ? [{ merchantToken: [] }]
        : trigger.auth === 'staff'
          ? [{ staffJwt: [] }]
          : [{ merchantToken: [] }, { staffJwt: [] }];
  const path = pathParameters(contract);
  const who =
    trigger.auth === 'public'
      ? 'Public.'
      : trigger.auth === 'merchant'
        ? 'The merchant (its access token).'
        : trigger.auth === 'staff'
          ? `Staff: ${trigger.groups?.join(' or ')}.`
          : `The merchant, or staff: ${trigger.groups?.join(' or ')}.`;
  return {
    operationId: operationIdOf(name),
    tags: [contract.tag],
    summary: contract.summary,
    description: contract.description ? `${who} ${contract.description}` : who,
    security,
    ...(trigger.groups ? { 'x-staff-groups': [...trigger.groups] } : {}),
    requestParams: {
      ...(path ? { path } : {}),
      ...(contract.query ? { query: schemaOf(contract.query) as z.ZodMiniObject } : {}),
      ...(contract.headers ? { header: schemaOf(contract.headers) as z.ZodMiniObject } : {}),
    },
    ...(contract.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(contract.body) } },
          },
        }
      : {}),
    responses: responsesOf(contract),
  };
}

/** Routes of the manifest without a contract, and contracts of no route (both must be empty). */
export function contractProblems(
  routes: readonly RouteEntry[] = ROUTE_ENTRIES,
  contracts: readonly RouteContract[] = CONTRACTS,
): string[] {
  const problems: string[] = [];
  for (const route of routes) {
    const found = contracts.filter((contract) => contract.entry.name === route.name);
    if (found.length !== 1)
      problems.push(
        `${route.trigger.method} ${route.trigger.path} (${route.name}): ${found.length} contracts`,
      );
  }
  for (const contract of contracts) {
    if (!routes.some((route) => route.name === contract.entry.name))
      problems.push(`${contract.entry.name}: a contract without a route in the manifest`);
  }
  return problems;
}

/** The OpenAPI 3.1 document of every route of the manifest. */
export function buildOpenApiDocument(
  routes: readonly RouteEntry[] = ROUTE_ENTRIES,
  contracts: readonly RouteContract[] = CONTRACTS,
) {
  const problems = contractProblems(routes, contracts);
  if (problems.length > 0) throw new Error(`Routes and contracts do not match:\n${problems.join('\n')}`);
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  // Sorted on plain code units, never on the manifest's order (module namespaces list their
  // exports alphabetically in Node, in source order under vitest) nor on the locale.
  const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
  const key = (route: RouteEntry) => `${route.trigger.path} ${METHODS.indexOf(route.trigger.method)}`;
  const ordered = [...routes].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  for (const route of ordered) {
    const contract = contracts.find((candidate) => candidate.entry.name === route.name);
    if (!contract) continue;
    paths[route.trigger.path] = {
      ...paths[route.trigger.path],
      [route.trigger.method.toLowerCase()]: operationOf(contract),
    };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'POS merchant onboarding API',
      version: API_VERSION,
      description:
        'Merchant onboarding for POS terminals under the one machine, one code rule (一机一码): ' +
        'applications, review, merchants, terminals, transfers, change requests, webhooks. Errors ' +
        'always have the body `{"error": {"code", "message", "fields"?, "requestId"}}`; each ' +
        "operation lists the codes it answers. In AWS the gateway's firewall may also answer 403 " +
        '`FORBIDDEN` on any route.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'The origin that serves this document' }],
    tags: Object.entries(API_TAGS).map(([tag, description]) => ({ name: tag, description })),
    paths,
    webhooks: {
      domainEvent: {
        post: {
          operationId: 'receiveDomainEvent',
          tags: ['Webhooks'],
          summary: 'A domain event delivered to a webhook endpoint',
          description:
            'POSTed to each endpoint subscribed to the event type. Verify `Webhook-Signature` ' +
            '(`v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`, several during a secret ' +
            'rotation) and the timestamp window; answer 2xx within 10 s. Delivered at least once, ' +
            'in no guaranteed order: `Webhook-Id` (the event id) tells repeats apart.',
          requestParams: { header: WEBHOOK_HEADERS },
          requestBody: { required: true, content: { 'application/json': { schema: DOMAIN_EVENT_SCHEMA } } },
          responses: { '200': { description: 'Any 2xx within 10 s: delivered' } },
          security: [],
        },
      },
    },
    components: {
      securitySchemes: {
        merchantToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The `accessToken` answered by `POST /v1/applications` (`<applicationId>.<secret>`); after ' +
            'approval it also acts for the merchant the application became.',
        },
        staffJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A staff ID token of the Cognito user pool; each operation names the groups it allows ' +
            '(`x-staff-groups`: reviewer, operator).',
        },
      },
    },
  });
}

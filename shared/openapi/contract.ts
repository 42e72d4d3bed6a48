import type * as z from 'zod/mini';
import type { ErrorCode } from '../errors';
import type { RouteEntry } from '../manifest/types';

/*
 * A route's contract: what the OpenAPI document (GET /v1/openapi.json) says about it beyond what
 * its manifest entry already says (method, path, who may call it). It lives beside the route's
 * use case (`shared/<area>/contract.ts`) and names the same zod schemas the use case validates
 * with; `shared/openapi/contracts.ts` lists every area. Only the document's generator and the
 * tests import contracts: no function bundles one.
 */

/** The groups of routes in the document, in this order. */
export const API_TAGS = {
  Applications: 'Drafting, documents, submission and following an application',
  'Access tokens': "The merchant's credential: rotation, revocation, reissue",
  Merchants: 'Provisioned merchants and their versions',
  'Fee plans': 'Versioned fee plans (basis points, caps in fen) and moving a merchant to another plan',
  Agreements: "The merchant agreement: each version's PDF, the SMS signature code and the signature",
  'Change requests': 'Changes of merchant information, reviewed before they apply',
  Terminals: 'Terminal stock, binding (one machine, one code), activation and the test transaction',
  'Terminal transfers': 'Moving a bound terminal to another merchant',
  Limits: 'Limits per card type and their usage, limit-increase requests (提额) and daily summaries',
  Reviews: 'The review queue and decisions',
  Webhooks: "Endpoints of the acquirer's own systems, signed deliveries and their log",
  Events: 'Domain events',
  Platform: 'Health and this document',
} as const;

/** One group of routes. */
export type ApiTag = keyof typeof API_TAGS;

/** A zod schema, or a thunk that builds it (request schemas are built on first use). */
export type SchemaSource = z.ZodMiniType | (() => z.ZodMiniType);

/** One success answer of a route. */
export interface SuccessResponse {
  readonly description: string;
  /** The JSON body; absent for an answer without a body (204). */
  readonly body?: SchemaSource;
}

/** What the document says about one route. */
export interface RouteContract {
  /** The route's manifest entry: method, path and credentials come from it. */
  readonly entry: RouteEntry;
  readonly tag: ApiTag;
  /** One line. */
  readonly summary: string;
  /** Markdown: what the route does and what it needs beyond the schemas. */
  readonly description?: string;
  /** The path parameters' schemas where they say more than "a string" (SN, merchant number formats). */
  readonly params?: SchemaSource;
  readonly query?: SchemaSource;
  /** Required request headers (names in lower case), e.g. `idempotency-key`. */
  readonly headers?: SchemaSource;
  /** The JSON body the route validates with. */
  readonly body?: SchemaSource;
  /** Success answers by status. */
  readonly responses: Readonly<Record<number, SuccessResponse>>;
  /**
   * The error codes this route answers beyond those its manifest entry implies (the generator adds
   * 401 for any credential, 403 for staff groups, 404 for a path parameter, 400/413/415 for a body,
   * 429, 500 and 503 everywhere; see shared/openapi/document.ts).
   */
  readonly errors: readonly ErrorCode[];
}

/** A route's contract, checked against its manifest entry's type. */
export function defineRoute(contract: RouteContract): RouteContract {
  return contract;
}

/** The schema of a source. */
export function schemaOf(source: SchemaSource): z.ZodMiniType {
  return typeof source === 'function' ? source() : source;
}

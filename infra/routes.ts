/**
 * The REST API's route table: the single source of truth for both the CDK stack (API Gateway
 * resources and methods) and the local API server of `npm run dev`.
 *
 * `auth` says who may call a route:
 * - `public`: nobody is authenticated at the edge (creating an application, health).
 * - `merchant`: the handler verifies the merchant's Bearer access token itself.
 * - `staff`: a Cognito JWT in one of `groups`; API Gateway's Cognito authorizer in AWS, the
 *   local server (same claim format) in `npm run dev`. The handler re-checks the group.
 * - `merchant-or-staff`: either credential; the handler tells them apart and verifies both.
 */
export type RouteAuth = 'public' | 'merchant' | 'staff' | 'merchant-or-staff';

/** Staff groups of the Cognito user pool. */
export type StaffGroup = 'reviewer' | 'operator';

/**
 * What a merchant route's path names, so the one object-level guard (shared/http/merchant-route.ts)
 * knows whose object it is: `application` (`{id}`, the token's own application), `merchant`
 * (`{merchantNo}`), `terminal` (`{sn}`, bound to the merchant), `transfer-request` (`{id}`, the
 * merchant is a party) and `change-request` (`{merchantNo}` and `{id}`, the merchant's own).
 */
export type OwnedObjectKind = 'application' | 'merchant' | 'terminal' | 'transfer-request' | 'change-request';

/** One API route and the Lambda function (a file under `functions/`) that serves it. */
export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway resource path with `{param}` placeholders. */
  readonly path: string;
  /** File name (without extension) under `functions/` that exports `handler`. */
  readonly functionName: string;
  readonly auth: RouteAuth;
  /** Groups allowed on `staff` and `merchant-or-staff` routes. */
  readonly groups?: readonly StaffGroup[];
  /** Required on `merchant` and `merchant-or-staff` routes: what the path's parameter names. */
  readonly object?: OwnedObjectKind;
}

/** A route behind the object-level guard: a merchant credential and an object kind. */
export type GuardedRouteDefinition = RouteDefinition & {
  readonly auth: 'merchant' | 'merchant-or-staff';
  readonly object: OwnedObjectKind;
};

/*
 * The guarded routes are constants of their own, so that each function hands its own definition to
 * the guard (and bundles that constant alone, not the whole table); ROUTES lists them with the rest.
 */

/** `PUT /v1/applications/{id}` (guarded: shared/http/merchant-route.ts). */
export const UPDATE_APPLICATION_ROUTE = {
  method: 'PUT',
  path: '/v1/applications/{id}',
  functionName: 'update-application',
  auth: 'merchant',
  object: 'application',
} as const satisfies GuardedRouteDefinition;

/** `GET /v1/applications/{id}` (guarded: shared/http/merchant-route.ts). */
export const GET_APPLICATION_ROUTE = {
  method: 'GET',
  path: '/v1/applications/{id}',
  functionName: 'get-application',
  auth: 'merchant',
  object: 'application',
} as const satisfies GuardedRouteDefinition;

/** `POST /v1/applications/{id}/documents` (guarded: shared/http/merchant-route.ts). */
export const CREATE_DOCUMENT_ROUTE = {
  method: 'POST',
  path: '/v1/applications/{id}/documents',
  functionName: 'create-document',
  auth: 'merchant',
  object: 'application',
} as const satisfies GuardedRouteDefinition;

/** `POST /v1/applications/{id}/submit` (guarded: shared/http/merchant-route.ts). */
export const SUBMIT_APPLICATION_ROUTE = {
  method: 'POST',
  path: '/v1/applications/{id}/submit',
  functionName: 'submit-application',
  auth: 'merchant',
  object: 'application',
} as const satisfies GuardedRouteDefinition;

/** `POST /v1/applications/{id}/withdraw` (guarded: shared/http/merchant-route.ts). */
export const WITHDRAW_APPLICATION_ROUTE = {
  method: 'POST',
  path: '/v1/applications/{id}/withdraw',
  functionName: 'withdraw-application',
  auth: 'merchant',
  object: 'application',
} as const satisfies GuardedRouteDefinition;

/** `POST /v1/applications/{id}/access-token` (guarded: shared/http/merchant-route.ts). */
export const ROTATE_ACCESS_TOKEN_ROUTE = {
  method: 'POST',
  path: '/v1/applications/{id}/access-token',
  functionName: 'rotate-access-token',
  auth: 'merchant',
  object: 'application',
} as const satisfies GuardedRouteDefinition;

/** `DELETE /v1/applications/{id}/access-token` (guarded: shared/http/merchant-route.ts). */
export const REVOKE_ACCESS_TOKEN_ROUTE = {
  method: 'DELETE',
  path: '/v1/applications/{id}/access-token',
  functionName: 'revoke-access-token',
  auth: 'merchant',
  object: 'application',
} as const satisfies GuardedRouteDefinition;

/** `GET /v1/merchants/{merchantNo}` (guarded: shared/http/merchant-route.ts). */
export const GET_MERCHANT_ROUTE = {
  method: 'GET',
  path: '/v1/merchants/{merchantNo}',
  functionName: 'get-merchant',
  auth: 'merchant-or-staff',
  groups: ['reviewer', 'operator'],
  object: 'merchant',
} as const satisfies GuardedRouteDefinition;

/** `POST /v1/terminals/{sn}/activate` (guarded: shared/http/merchant-route.ts). */
export const ACTIVATE_TERMINAL_ROUTE = {
  method: 'POST',
  path: '/v1/terminals/{sn}/activate',
  functionName: 'activate-terminal',
  auth: 'merchant',
  object: 'terminal',
} as const satisfies GuardedRouteDefinition;

/** `POST /v1/terminals/{sn}/test-transaction` (guarded: shared/http/merchant-route.ts). */
export const RUN_TEST_TRANSACTION_ROUTE = {
  method: 'POST',
  path: '/v1/terminals/{sn}/test-transaction',
  functionName: 'run-test-transaction',
  auth: 'merchant',
  object: 'terminal',
} as const satisfies GuardedRouteDefinition;

/** `POST /v1/terminals/{sn}/transfer-requests` (guarded: shared/http/merchant-route.ts). */
export const CREATE_TRANSFER_REQUEST_ROUTE = {
  method: 'POST',
  path: '/v1/terminals/{sn}/transfer-requests',
  functionName: 'create-transfer-request',
  auth: 'merchant',
  object: 'terminal',
} as const satisfies GuardedRouteDefinition;

/** `GET /v1/transfer-requests/{id}` (guarded: shared/http/merchant-route.ts). */
export const GET_TRANSFER_REQUEST_ROUTE = {
  method: 'GET',
  path: '/v1/transfer-requests/{id}',
  functionName: 'get-transfer-request',
  auth: 'merchant-or-staff',
  groups: ['reviewer', 'operator'],
  object: 'transfer-request',
} as const satisfies GuardedRouteDefinition;

/** `POST /v1/transfer-requests/{id}/accept` (guarded: shared/http/merchant-route.ts). */
export const ACCEPT_TRANSFER_REQUEST_ROUTE = {
  method: 'POST',
  path: '/v1/transfer-requests/{id}/accept',
  functionName: 'accept-transfer-request',
  auth: 'merchant',
  object: 'transfer-request',
} as const satisfies GuardedRouteDefinition;

/** `POST /v1/transfer-requests/{id}/cancel` (guarded: shared/http/merchant-route.ts). */
export const CANCEL_TRANSFER_REQUEST_ROUTE = {
  method: 'POST',
  path: '/v1/transfer-requests/{id}/cancel',
  functionName: 'cancel-transfer-request',
  auth: 'merchant',
  object: 'transfer-request',
} as const satisfies GuardedRouteDefinition;

/** `POST /v1/merchants/{merchantNo}/change-requests` (guarded: shared/http/merchant-route.ts). */
export const CREATE_CHANGE_REQUEST_ROUTE = {
  method: 'POST',
  path: '/v1/merchants/{merchantNo}/change-requests',
  functionName: 'create-change-request',
  auth: 'merchant',
  object: 'merchant',
} as const satisfies GuardedRouteDefinition;

/** `GET /v1/merchants/{merchantNo}/change-requests/{id}` (guarded: shared/http/merchant-route.ts). */
export const GET_CHANGE_REQUEST_ROUTE = {
  method: 'GET',
  path: '/v1/merchants/{merchantNo}/change-requests/{id}',
  functionName: 'get-change-request',
  auth: 'merchant-or-staff',
  groups: ['reviewer', 'operator'],
  object: 'change-request',
} as const satisfies GuardedRouteDefinition;

/** `POST /v1/merchants/{merchantNo}/change-requests/{id}/cancel` (guarded: shared/http/merchant-route.ts). */
export const CANCEL_CHANGE_REQUEST_ROUTE = {
  method: 'POST',
  path: '/v1/merchants/{merchantNo}/change-requests/{id}/cancel',
  functionName: 'cancel-change-request',
  auth: 'merchant',
  object: 'change-request',
} as const satisfies GuardedRouteDefinition;

/** Every route of `/v1`. */
export const ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', path: '/v1/health', functionName: 'health', auth: 'public' },
  { method: 'POST', path: '/v1/applications', functionName: 'create-application', auth: 'public' },
  UPDATE_APPLICATION_ROUTE,
  GET_APPLICATION_ROUTE,
  CREATE_DOCUMENT_ROUTE,
  SUBMIT_APPLICATION_ROUTE,
  WITHDRAW_APPLICATION_ROUTE,
  // Merchant access tokens: rotation and revocation by the merchant, reissue by an operator
  // (the new token goes only to the registered contact email).
  ROTATE_ACCESS_TOKEN_ROUTE,
  REVOKE_ACCESS_TOKEN_ROUTE,
  {
    method: 'POST',
    path: '/v1/applications/{id}/access-token/reissue',
    functionName: 'reissue-access-token',
    auth: 'staff',
    groups: ['operator'],
  },
  GET_MERCHANT_ROUTE,
  { method: 'GET', path: '/v1/reviews', functionName: 'list-reviews', auth: 'staff', groups: ['reviewer'] },
  {
    method: 'GET',
    path: '/v1/reviews/{taskId}',
    functionName: 'get-review',
    auth: 'staff',
    groups: ['reviewer'],
  },
  {
    method: 'GET',
    path: '/v1/reviews/{taskId}/documents',
    functionName: 'get-review-documents',
    auth: 'staff',
    groups: ['reviewer'],
  },
  {
    method: 'POST',
    path: '/v1/reviews/{taskId}/decision',
    functionName: 'decide-review',
    auth: 'staff',
    groups: ['reviewer'],
  },
  {
    method: 'POST',
    path: '/v1/terminals',
    functionName: 'register-terminals',
    auth: 'staff',
    groups: ['operator'],
  },
  {
    method: 'GET',
    path: '/v1/terminals/{sn}',
    functionName: 'get-terminal',
    auth: 'staff',
    groups: ['operator', 'reviewer'],
  },
  {
    method: 'POST',
    path: '/v1/terminals/{sn}/bind',
    functionName: 'bind-terminal',
    auth: 'staff',
    groups: ['operator'],
  },
  {
    method: 'POST',
    path: '/v1/terminals/{sn}/unbind',
    functionName: 'unbind-terminal',
    auth: 'staff',
    groups: ['operator'],
  },
  {
    method: 'POST',
    path: '/v1/terminals/{sn}/activation-code',
    functionName: 'reissue-activation-code',
    auth: 'staff',
    groups: ['operator'],
  },
  ACTIVATE_TERMINAL_ROUTE,
  RUN_TEST_TRANSACTION_ROUTE,
  CREATE_TRANSFER_REQUEST_ROUTE,
  GET_TRANSFER_REQUEST_ROUTE,
  ACCEPT_TRANSFER_REQUEST_ROUTE,
  CANCEL_TRANSFER_REQUEST_ROUTE,
  // Merchant change requests (商户变更).
  CREATE_CHANGE_REQUEST_ROUTE,
  GET_CHANGE_REQUEST_ROUTE,
  CANCEL_CHANGE_REQUEST_ROUTE,
  {
    method: 'GET',
    path: '/v1/merchants/{merchantNo}/versions',
    functionName: 'list-merchant-versions',
    auth: 'staff',
    groups: ['reviewer', 'operator'],
  },
];

import {
  authenticateMerchant,
  authenticateMerchantOrStaff,
  type MerchantPrincipal,
  requireMerchantToken,
  type StaffPrincipal,
} from '../auth/principals';
import { digestsEqual, sha256Hex } from '../auth/tokens';
import { type ApplicationRecord, TOKEN_REPLAY_SECONDS } from '../domain/application';
import type { ChangeRequestRecord } from '../domain/change-request';
import type { TerminalRecord, TransferRequestRecord } from '../domain/terminal';
import { forbidden, notFound, unauthenticated } from '../errors';
import type { GuardedRouteEntry, OwnedObjectKind } from '../manifest/types';
import type { StaffTokenVerifier } from '../ports';
import type { ChangeRequestRepository } from '../ports/change-requests';
import type { ApplicationRepository } from '../ports/repositories';
import type { TerminalReader, TransferRepository } from '../ports/terminals';
import { type HttpRequest, type HttpResult, httpRoute, pathParameter } from './http-route';

/*
 * The one object-level authorization mechanism of merchant routes (OWASP API1, BOLA). Every
 * `merchant` and `merchant-or-staff` route names in its manifest entry the kind of object its path
 * parameter names; the guard authenticates the caller, loads that object once, compares its owner
 * with the merchant and only then runs the route. Another merchant's object answers the same 404
 * as a missing one (nothing to probe), except where the caller is the other party of a transfer
 * (403: it knows the transfer exists). Staff (a JWT, only on `merchant-or-staff` routes) pass with
 * a group of the route. The use cases keep their own checks as a second line.
 *
 * What the guard loaded is handed to the route (`access.object`) and primed into the
 * repositories the route gets (`access.scoped(deps)`): the use case's first read of that object
 * returns it instead of reading again. Only the first read: a retry after a failed conditional
 * write reads afresh, and every write stays conditional on the stored revision or state, so the
 * read made moments earlier in the same request never decides a write on its own.
 */

/** The repositories the guard may need, by object kind (a route passes those of its kind). */
export interface GuardDeps {
  readonly applications: ApplicationRepository;
  readonly terminals?: TerminalReader;
  readonly transfers?: TransferRepository;
  readonly changeRequests?: ChangeRequestRepository;
  /** Only on `merchant-or-staff` routes. */
  readonly staffVerifier?: StaffTokenVerifier;
}

/** The object a guarded route's path names, as the guard loaded it. */
export type LoadedObject =
  | { readonly kind: 'application'; readonly record: ApplicationRecord }
  | { readonly kind: 'merchant'; readonly merchantNo: string }
  | { readonly kind: 'terminal'; readonly record: TerminalRecord }
  | { readonly kind: 'transfer-request'; readonly record: TransferRequestRecord }
  | { readonly kind: 'change-request'; readonly record: ChangeRequestRecord };

/** What a guarded route receives: who called and the object it may act on. */
export interface MerchantAccess {
  readonly principal: MerchantPrincipal | StaffPrincipal;
  readonly object: LoadedObject;
  /** `deps` with the loaded object primed into the repository of its kind (request scope). */
  scoped<D extends object>(deps: D): D;
}

/** Which party of a transfer a route is for (transfer-request routes only). */
export type TransferParty = 'either' | 'sender' | 'receiver';

/**
 * The entry a function hands in, checked again at load: a plain-JavaScript caller (or a cast)
 * could pass a route without an object kind, and the guard must not run without one.
 */
function checked(entry: GuardedRouteEntry): GuardedRouteEntry['trigger'] {
  const { trigger } = entry;
  if (
    trigger.kind !== 'route' ||
    (trigger.auth !== 'merchant' && trigger.auth !== 'merchant-or-staff') ||
    !trigger.object
  ) {
    throw new Error(`${entry.name} is not a merchant route with an object kind in shared/manifest/`);
  }
  return trigger;
}

/**
 * A repository whose first `get(id)` answers `record` (what the guard read in this request);
 * every other call, and any later `get`, goes to the repository itself.
 */
function primed<R extends object, V>(repository: R, id: string, record: V): R {
  let fresh = true;
  const scoped = Object.create(repository) as R & { get(key: string): Promise<V | undefined> };
  const read = (repository as unknown as { get(key: string): Promise<V | undefined> }).get.bind(repository);
  scoped.get = async (key: string) => {
    if (fresh && key === id) {
      fresh = false;
      return record;
    }
    return read(key);
  };
  return scoped;
}

function needed<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the guard needs ${what} for this route`);
  return value;
}

/**
 * The caller's own application, read once: the token is checked against the stored hash of the
 * raw item and the application is decrypted only when it matched. A well-formed token of another
 * application is authenticated against its own item first (401 stays 401), then answers 404.
 */
async function ownApplication(
  request: HttpRequest,
  applications: ApplicationRepository,
): Promise<{ principal: MerchantPrincipal; record: ApplicationRecord }> {
  const applicationId = pathParameter(request, 'id');
  const { token, parsed } = requireMerchantToken(request.headers);
  if (parsed.applicationId !== applicationId) {
    await authenticateMerchant(request.headers, applications);
    throw notFound('Application');
  }
  const digest = sha256Hex(token);
  const record = await applications.getIfTokenAccepted(applicationId, (stored) =>
    digestsEqual(digest, stored),
  );
  if (!record) throw unauthenticated();
  // A token's first use ends the replays of its create that could answer it (spec 6). Only the
  // first token is replayable, and only for its first 24 hours: later requests skip the delete.
  if (Date.parse(record.createdAt) + TOKEN_REPLAY_SECONDS * 1000 > Date.now()) {
    await applications.forgetReplayableToken(applicationId);
  }
  return {
    principal: { kind: 'merchant', applicationId, merchantNo: record.merchantNo },
    record,
  };
}

/** Loads the object of `kind` and checks that the merchant (staff: anyone) may act on it. */
async function loadOwned(
  kind: Exclude<OwnedObjectKind, 'application'>,
  request: HttpRequest,
  principal: MerchantPrincipal | StaffPrincipal,
  deps: GuardDeps,
  party: TransferParty,
): Promise<LoadedObject> {
  // A token whose application is not approved (yet) owns no merchant object: same as a stranger.
  const own = principal.kind === 'merchant' ? principal.merchantNo : undefined;
  const isStaff = principal.kind === 'staff';
  switch (kind) {
    case 'merchant': {
      const merchantNo = pathParameter(request, 'merchantNo');
      if (!isStaff && own !== merchantNo) throw notFound('Merchant');
      return { kind, merchantNo };
    }
    case 'terminal': {
      const record = await needed(deps.terminals, 'terminals').get(pathParameter(request, 'sn'));
      if (!record || (!isStaff && (own === undefined || record.merchantNo !== own)))
        throw notFound('Terminal');
      return { kind, record };
    }
    case 'transfer-request': {
      const record = await needed(deps.transfers, 'transfers').get(pathParameter(request, 'id'));
      if (!record) throw notFound('Transfer request');
      if (isStaff) return { kind, record };
      const sender = own !== undefined && record.fromMerchantNo === own;
      const receiver = own !== undefined && record.toMerchantNo === own;
      if (!sender && !receiver) throw notFound('Transfer request');
      // A party on the other side's route knows the transfer: refused, not hidden.
      if (party === 'sender' && !sender)
        throw forbidden('Only the merchant that asked for this transfer (the sender) can do this');
      if (party === 'receiver' && !receiver)
        throw forbidden('Only the receiving merchant (toMerchantNo) can do this');
      return { kind, record };
    }
    case 'change-request': {
      const merchantNo = pathParameter(request, 'merchantNo');
      if (!isStaff && own !== merchantNo) throw notFound('Change request');
      const record = await needed(deps.changeRequests, 'changeRequests').get(pathParameter(request, 'id'));
      if (!record || record.merchantNo !== merchantNo) throw notFound('Change request');
      return { kind, record };
    }
  }
}

/** The repository a loaded object is primed into, and the key its use case reads it by. */
function primer(object: LoadedObject): ((deps: object) => object) | undefined {
  const prime = (name: string, id: string, record: unknown) => (deps: object) => {
    const repository = (deps as Record<string, unknown>)[name];
    return repository && typeof repository === 'object'
      ? { ...deps, [name]: primed(repository, id, record) }
      : deps;
  };
  switch (object.kind) {
    case 'application':
      return prime('applications', object.record.applicationId, object.record);
    case 'terminal':
      return prime('terminals', object.record.serialNumber, object.record);
    case 'transfer-request':
      return prime('transfers', object.record.transferRequestId, object.record);
    case 'change-request':
      return prime('changeRequests', object.record.changeRequestId, object.record);
    case 'merchant':
      return undefined;
  }
}

/**
 * A merchant route (or merchant-or-staff route) of the manifest, behind the object-level guard of
 * its declared object kind: each function passes its own manifest entry (`GET_MERCHANT`, ...).
 * `party` narrows transfer-request routes to the sender or receiver.
 */
export function guardedRoute(
  entry: GuardedRouteEntry,
  deps: GuardDeps,
  route: (request: HttpRequest, access: MerchantAccess) => Promise<HttpResult>,
  options: { party?: TransferParty } = {},
) {
  const definition = checked(entry);
  const staffGroups = definition.auth === 'merchant-or-staff' ? (definition.groups ?? []) : undefined;
  const party = options.party ?? 'either';
  return httpRoute(async (request) => {
    let principal: MerchantPrincipal | StaffPrincipal;
    let object: LoadedObject;
    if (definition.object === 'application') {
      const own = await ownApplication(request, deps.applications);
      principal = own.principal;
      object = { kind: 'application', record: own.record };
    } else {
      principal = staffGroups
        ? await authenticateMerchantOrStaff(
            request.headers,
            { lookup: deps.applications, staffVerifier: needed(deps.staffVerifier, 'staffVerifier') },
            staffGroups,
          )
        : await authenticateMerchant(request.headers, deps.applications);
      object = await loadOwned(definition.object, request, principal, deps, party);
    }
    const prime = primer(object);
    return route(request, {
      principal,
      object,
      scoped: <D extends object>(routeDeps: D) => (prime ? (prime(routeDeps) as D) : routeDeps),
    });
  });
}

/** The merchant number of a merchant principal (guarded merchant-only routes on merchant objects). */
export function merchantNoOf(access: MerchantAccess): string {
  if (access.principal.kind !== 'merchant' || !access.principal.merchantNo) throw notFound('Resource');
  return access.principal.merchantNo;
}

/** The application a guarded `application` route acts on (read once, with the token check). */
export function applicationOf(access: MerchantAccess): ApplicationRecord {
  if (access.object.kind !== 'application') throw new Error('not an application route');
  return access.object.record;
}

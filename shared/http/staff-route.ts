import { type StaffPrincipal, staffFromAuthorizer } from '../auth/principals';
import type { StaffRouteEntry } from '../manifest/types';
import { type HttpRequest, type HttpResult, httpRoute } from './http-route';

/**
 * The entry a function hands in, checked again at load: a plain-JavaScript caller (or a cast) could
 * pass a route without groups, and a staff route must never run without its group check.
 */
function staffGroupsOf(entry: StaffRouteEntry): readonly string[] {
  const { trigger } = entry;
  if (
    trigger.kind !== 'route' ||
    trigger.auth !== 'staff' ||
    !trigger.groups ||
    trigger.groups.length === 0
  ) {
    throw new Error(`${entry.name} is not a staff route with groups in shared/manifest/`);
  }
  return trigger.groups;
}

/**
 * A staff route of the manifest: each function passes its own entry (`REGISTER_TERMINALS`, ...),
 * and the staff member the authorizer verified (API Gateway's Cognito authorizer in AWS, the local
 * server in `npm run dev`) must be in one of the entry's groups (403 otherwise) before `route` runs.
 */
export function staffRoute(
  entry: StaffRouteEntry,
  route: (request: HttpRequest, staff: StaffPrincipal) => Promise<HttpResult>,
) {
  const groups = staffGroupsOf(entry);
  return httpRoute(async (request) => route(request, staffFromAuthorizer(request.event, groups)));
}

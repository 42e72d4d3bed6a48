import { limitAuditReader } from '../shared/composition';
import { type LimitAuditDeps, listLimitAudit } from '../shared/daily-checks/limit-audit';
import { pathParameter } from '../shared/http/http-route';
import { staffRoute } from '../shared/http/staff-route';
import { GET_LIMIT_AUDIT } from '../shared/manifest/daily-checks';

/** `GET /v1/merchants/{merchantNo}/limit-audit` (reviewer or operator): the limit changes, newest first. */
export const makeHandler = (deps: LimitAuditDeps) =>
  staffRoute(GET_LIMIT_AUDIT, async (request) => ({
    statusCode: 200,
    body: await listLimitAudit(deps, pathParameter(request, 'merchantNo'), request.query),
  }));

export const handler = makeHandler({ store: limitAuditReader() });

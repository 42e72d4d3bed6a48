import * as z from 'zod/mini';
import type { StaffPrincipal } from '../auth/principals';
import { validationFailed } from '../errors';
import type { Clock } from '../ports';
import type { TerminalRepository } from '../ports/terminals';
import { lazy } from '../validation/lazy';
import { zodProblems } from '../validation/problems';

// Built on first use, not at import: module scope runs in every cold start.
export const registerSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    terminals: z
      .array(
        z.strictObject({
          serialNumber: z.string().check(z.regex(/^[A-Z0-9][A-Z0-9-]{5,31}$/)),
          model: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
        }),
      )
      .check(z.minLength(1), z.maxLength(100)),
  }),
);

/** `POST /v1/terminals`: registers SNs in stock; known SNs are reported per item, the rest registered. */
export async function registerTerminals(
  deps: { terminals: TerminalRepository; clock: Clock },
  operator: StaffPrincipal,
  input: unknown,
) {
  const parsed = z.safeParse(registerSchema(), input);
  if (!parsed.success) throw validationFailed(zodProblems(parsed.error.issues, '', { input }));
  const at = deps.clock.now().toISOString();
  const seen = new Set<string>();
  const results = [];
  for (const terminal of parsed.data.terminals) {
    if (seen.has(terminal.serialNumber)) {
      results.push({ serialNumber: terminal.serialNumber, result: 'DUPLICATE_IN_REQUEST' });
      continue;
    }
    seen.add(terminal.serialNumber);
    const created = await deps.terminals.register({
      ...terminal,
      at,
      actor: `staff:${operator.sub}`,
    });
    results.push({
      serialNumber: terminal.serialNumber,
      result: created ? 'REGISTERED' : 'ALREADY_REGISTERED',
    });
  }
  return {
    registered: results.filter((r) => r.result === 'REGISTERED').length,
    results: results.map((r) => (r.result === 'REGISTERED' ? { ...r, status: 'IN_STOCK' } : r)),
  };
}

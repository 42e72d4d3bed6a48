/*
 * Who did something, as a merchant may see it. Audit entries keep the staff member's subject
 * (`staff:<sub>`) for the acquirer; a merchant's own views show the role instead — a staff subject
 * is an internal identifier, and naming the person who decided invites pressure on them.
 */

/** Staff actions taken as an operator (everything else a staff member does to a merchant's case is a review). */
const OPERATOR_ACTIONS: ReadonlySet<string> = new Set(['ACCESS_TOKEN_REISSUED']);

/** `staff:<sub>` → `reviewer` (or `operator` for an operator's action); any other actor as it is. */
export function merchantFacingActor(actor: string, action: string): string {
  if (!actor.startsWith('staff:')) return actor;
  return OPERATOR_ACTIONS.has(action) ? 'operator' : 'reviewer';
}

/** A timeline as a merchant sees it: the same entries, staff subjects replaced by roles. */
export function merchantFacingTimeline<T extends { readonly actor: string; readonly action: string }>(
  timeline: readonly T[],
): T[] {
  return timeline.map((entry) => ({ ...entry, actor: merchantFacingActor(entry.actor, entry.action) }));
}

import { dailyCheckDecisions, deadlines, messagingAdapters } from '../composition';
import { systemClock } from '../ports';
import type { DailyCheckDecisionDeps } from './decisions';
import { dailyChecksSettings } from './settings';

/**
 * The adapters of the daily checks' functions, built once per cold start, around the store the
 * function's use case takes (see the daily checks' stores in shared/composition.ts).
 */
export function dailyCheckDeps<Store>(store: Store) {
  const { reviewEscalationSeconds, reviewFinalSeconds } = deadlines();
  return {
    store,
    clock: systemClock,
    settings: dailyChecksSettings(),
    deadlines: { reviewEscalationSeconds, reviewFinalSeconds },
  };
}

/** What deciding daily-check tasks needs: their reads and writes, the settings and the merchant's notice. */
export function dailyCheckDecisionDeps(): DailyCheckDecisionDeps {
  return {
    decisions: dailyCheckDecisions(),
    settings: dailyChecksSettings(),
    ...messagingAdapters(),
  };
}

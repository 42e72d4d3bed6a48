import { dailyCheckStore, deadlines, messagingAdapters } from '../composition';
import { systemClock } from '../ports';
import type { DailyCheckDecisionDeps } from './decisions';
import { dailyChecksSettings } from './settings';

/** The adapters of the daily checks' functions, built once per cold start. */
export function dailyCheckDeps() {
  const store = dailyCheckStore();
  const { reviewEscalationSeconds, reviewFinalSeconds } = deadlines();
  return {
    store,
    clock: systemClock,
    settings: dailyChecksSettings(),
    deadlines: { reviewEscalationSeconds, reviewFinalSeconds },
  };
}

/** What telling merchants and deciding daily-check tasks needs besides the store. */
export function dailyCheckDecisionDeps(): DailyCheckDecisionDeps {
  const store = dailyCheckStore();
  return {
    store,
    decisions: store,
    settings: dailyChecksSettings(),
    ...messagingAdapters(),
  };
}

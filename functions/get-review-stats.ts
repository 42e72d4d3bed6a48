import { reviewStatsReader } from '../shared/composition';
import { staffRoute } from '../shared/http/staff-route';
import { GET_REVIEW_STATS } from '../shared/manifest/reviews';
import { type Clock, systemClock } from '../shared/ports';
import type { ReviewStatsReader } from '../shared/ports/reviews';
import { reviewStats } from '../shared/reviews/stats';

/** `GET /v1/reviews/stats` (reviewer): queue depth and age by kind, decisions per day, escalations. */
export const makeHandler = (deps: { stats: ReviewStatsReader; clock: Clock }) =>
  staffRoute(GET_REVIEW_STATS, async (request) => {
    return { statusCode: 200, body: await reviewStats(deps, request.query) };
  });

export const handler = makeHandler({ stats: reviewStatsReader(), clock: systemClock });

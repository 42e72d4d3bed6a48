import { describe, expect, it } from 'vitest';
import type { ReviewKind } from '../../../shared/domain/review';
import { AppError } from '../../../shared/errors';
import { listReviews } from '../../../shared/reviews/requests';

/** A repository that records what the use case asked for and answers an empty page. */
function recordingReviews() {
  const calls: { limit: number; cursor: string | undefined; kind: ReviewKind | undefined }[] = [];
  return {
    calls,
    reviews: {
      listPending: async (limit: number, cursor: string | undefined, kind?: ReviewKind) => {
        calls.push({ limit, cursor, kind });
        return { items: [], nextCursor: undefined };
      },
    },
  };
}

describe('listReviews (GET /v1/reviews)', () => {
  it("asks the repository for one kind's queue when the query names a kind, the whole queue otherwise", async () => {
    const { calls, reviews } = recordingReviews();
    await listReviews({ reviews }, { kind: 'RISK_ALERT', limit: '50', cursor: 'abc' });
    await listReviews({ reviews }, {});
    expect(calls).toEqual([
      { limit: 50, cursor: 'abc', kind: 'RISK_ALERT' },
      { limit: 20, cursor: undefined, kind: undefined },
    ]);
  });

  it('refuses an unknown kind with its field and the allowed values, before any read', async () => {
    const { calls, reviews } = recordingReviews();
    const error = await listReviews({ reviews }, { kind: 'RISK' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    const [field] = (error as AppError).fields ?? [];
    expect(field).toMatchObject({ field: 'query.kind', code: 'INVALID_VALUE' });
    for (const kind of ['APPLICATION', 'CHANGE_REQUEST', 'TERMINAL_TRANSFER', 'RISK_ALERT', 'LIMIT_INCREASE'])
      expect(field?.message).toContain(kind);
    expect(calls).toEqual([]);
  });
});

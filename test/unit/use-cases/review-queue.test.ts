import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import type { ReviewQueueFilter } from '../../../shared/ports/repositories';
import { listReviews } from '../../../shared/reviews/requests';

/** A repository that records what the use case asked for and answers an empty page. */
function recordingReviews() {
  const calls: { limit: number; cursor: string | undefined; filter: ReviewQueueFilter | undefined }[] = [];
  return {
    calls,
    reviews: {
      listPending: async (limit: number, cursor: string | undefined, filter?: ReviewQueueFilter) => {
        calls.push({ limit, cursor, filter });
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
      { limit: 50, cursor: 'abc', filter: { kind: 'RISK_ALERT' } },
      { limit: 20, cursor: undefined, filter: {} },
    ]);
  });

  it('asks for the escalated queue with escalated=true, alone or with a kind', async () => {
    const { calls, reviews } = recordingReviews();
    await listReviews({ reviews }, { escalated: 'true' });
    await listReviews({ reviews }, { escalated: 'true', kind: 'APPLICATION', limit: '5', cursor: 'c' });
    expect(calls).toEqual([
      { limit: 20, cursor: undefined, filter: { escalated: true } },
      { limit: 5, cursor: 'c', filter: { kind: 'APPLICATION', escalated: true } },
    ]);
  });

  it.each(['false', 'TRUE', '1', 'yes', ''])(
    'refuses escalated=%j on query.escalated, before any read',
    async (value) => {
      const { calls, reviews } = recordingReviews();
      const error = await listReviews({ reviews }, { escalated: value }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('VALIDATION_FAILED');
      expect((error as AppError).fields).toEqual([
        expect.objectContaining({ field: 'query.escalated', code: 'INVALID_VALUE' }),
      ]);
      expect(calls).toEqual([]);
    },
  );

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

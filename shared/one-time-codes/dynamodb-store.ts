import { ConditionFailedError, type DynamoTable, succeeds } from '../adapters/dynamodb-table';
import * as keys from '../keys';
import type {
  IssueResult,
  NewCode,
  NoAttempt,
  OneTimeCodeKey,
  OneTimeCodeStore,
  ReservedAttempt,
} from './store';

/** The window of the issue limit: a sliding hour. */
const HOUR_MS = 3_600_000;
/** How often an issue is tried again when a concurrent issue of the same key won the write. */
const ISSUE_ATTEMPTS = 5;

/** The stored item: one per (purpose, subject, channel). */
interface CodeItem {
  readonly codeHash?: string;
  readonly issueId?: string;
  readonly codeExpiresAt?: string;
  readonly attempts?: number;
  readonly state?: 'ACTIVE' | 'USED';
  /** Issue times within the last hour, oldest first (ISO 8601). */
  readonly issuedAt?: readonly string[];
  /** Incremented by every issue: the condition of the next one. */
  readonly version?: number;
}

/**
 * One-time codes in the one table (`OTC#<purpose>#<subject>#<channel>`): the keyed hash of the live
 * code, its attempts, and the issue times of the last hour. The item is deleted by TTL two hours
 * after the last issue (the code itself lives minutes; the TTL only cleans up).
 */
export class DynamoOneTimeCodeStore implements OneTimeCodeStore {
  constructor(private readonly table: DynamoTable) {}

  async issue(key: OneTimeCodeKey, code: NewCode, now: Date, maxPerHour: number): Promise<IssueResult> {
    const tableKey = keys.oneTimeCode(key.purpose, key.subject, key.channel);
    for (let attempt = 1; attempt <= ISSUE_ATTEMPTS; attempt++) {
      const item = await this.table.get<CodeItem & Record<string, unknown>>(tableKey);
      const recent = (item?.issuedAt ?? []).filter((at) => Date.parse(at) > now.getTime() - HOUR_MS);
      const oldest = recent[0];
      if (recent.length >= maxPerHour && oldest !== undefined) {
        return {
          issued: false,
          retryAfterSeconds: Math.max(1, Math.ceil((Date.parse(oldest) + HOUR_MS - now.getTime()) / 1000)),
        };
      }
      const version = item?.version ?? 0;
      const written = await succeeds(
        this.table.put(
          {
            ...tableKey,
            purpose: key.purpose,
            channel: key.channel,
            codeHash: code.codeHash,
            issueId: code.issueId,
            codeExpiresAt: code.expiresAt.toISOString(),
            attempts: 0,
            state: 'ACTIVE',
            issuedAt: [...recent, now.toISOString()],
            version: version + 1,
            expiresAt: Math.floor(now.getTime() / 1000) + 2 * 3600,
          },
          // The read above decided the limit: the write holds only if nobody issued since.
          item ? 'version = :version' : 'attribute_not_exists(pk)',
          item ? { ':version': version } : undefined,
        ),
      );
      if (written) return { issued: true };
    }
    // Issues of one key kept colliding: as busy as a full hour, for a moment.
    return { issued: false, retryAfterSeconds: 1 };
  }

  async reserveAttempt(
    key: OneTimeCodeKey,
    now: Date,
    maxAttempts: number,
  ): Promise<ReservedAttempt | { readonly refused: NoAttempt }> {
    const tableKey = keys.oneTimeCode(key.purpose, key.subject, key.channel);
    try {
      const item = await this.table.update<CodeItem & Record<string, unknown>>(
        tableKey,
        'ADD attempts :one',
        {
          condition: '#state = :active AND attempts < :max AND codeExpiresAt > :now',
          names: { '#state': 'state' },
          values: { ':one': 1, ':active': 'ACTIVE', ':max': maxAttempts, ':now': now.toISOString() },
        },
      );
      return {
        codeHash: String(item.codeHash),
        issueId: String(item.issueId),
        attempts: Number(item.attempts),
      };
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
    // Refused: why, from the item as it is now (nothing was counted).
    const item = await this.table.get<CodeItem & Record<string, unknown>>(tableKey);
    if (!item?.state) return { refused: 'NO_CODE' };
    if (item.state === 'USED') return { refused: 'USED' };
    if ((item.attempts ?? 0) >= maxAttempts) return { refused: 'LOCKED' };
    return { refused: 'EXPIRED' };
  }

  async consume(key: OneTimeCodeKey, issueId: string, now: Date): Promise<boolean> {
    return succeeds(
      this.table.update(
        keys.oneTimeCode(key.purpose, key.subject, key.channel),
        'SET #state = :used, usedAt = :at',
        {
          condition: 'issueId = :issue AND #state = :active',
          names: { '#state': 'state' },
          values: { ':used': 'USED', ':at': now.toISOString(), ':issue': issueId, ':active': 'ACTIVE' },
        },
      ),
    );
  }
}

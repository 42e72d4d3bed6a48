import { ulid } from 'ulid';
import { MAX_TERMINALS_PER_MERCHANT } from '../domain/merchant';
import type { TerminalHistoryEntry, TransferRequestRecord } from '../domain/terminal';
import * as keys from '../keys';
import type {
  BindRefusal,
  TerminalRepository,
  TransferCompletion,
  TransferRepository,
} from '../ports/terminals';
import { stripKeys } from './dynamodb-applications';
import { ConditionFailedError, type DynamoTable, succeeds, type TransactionWrite } from './dynamodb-table';
import { DynamoTerminalReader } from './dynamodb-terminal-reader';

/** Merchants that may hold terminals. */
const ACCEPTING_MERCHANT = '#mstatus IN (:pending, :active)';
const ACCEPTING_VALUES = { ':pending': 'PENDING_ACTIVATION', ':active': 'ACTIVE' };

function historyPut(serialNumber: string, entry: TerminalHistoryEntry): TransactionWrite {
  return { put: { ...keys.terminalHistory(serialNumber, entry.at, ulid()), ...entry } };
}

/** Terminal stock, bindings and activation in the one table (the reads: {@link DynamoTerminalReader}). */
export class DynamoTerminalRepository extends DynamoTerminalReader implements TerminalRepository {
  async register(input: {
    serialNumber: string;
    model: string;
    at: string;
    actor: string;
  }): Promise<boolean> {
    return succeeds(
      this.table.transact([
        {
          put: {
            ...keys.terminal(input.serialNumber),
            serialNumber: input.serialNumber,
            model: input.model,
            status: 'IN_STOCK',
            registeredAt: input.at,
          },
          condition: 'attribute_not_exists(pk)',
        },
        historyPut(input.serialNumber, { action: 'REGISTERED', at: input.at, actor: input.actor }),
      ]),
    );
  }

  async bind(input: {
    serialNumber: string;
    merchantNo: string;
    terminalId: string;
    at: string;
    actor: string;
    holdSince: string;
    approvalSince: string;
    reason?: string;
  }): Promise<BindRefusal | undefined> {
    try {
      await this.table.transact([
        {
          // The SN's own item is the binding marker: only an SN in stock can be bound, and one
          // unbound from another merchant within the hold only with a second operator's approval.
          update: keys.terminal(input.serialNumber),
          expression:
            'SET #status = :bound, merchantNo = :merchant, terminalId = :tid, boundAt = :at REMOVE rebindMerchantNo, rebindRequestedBy, rebindRequestedAt',
          condition:
            '#status = :inStock AND (attribute_not_exists(lastUnboundFrom) OR lastUnboundFrom = :merchant OR lastUnboundAt <= :holdSince OR (rebindMerchantNo = :merchant AND rebindRequestedBy <> :actor AND rebindRequestedAt > :approvalSince))',
          names: { '#status': 'status' },
          values: {
            ':bound': 'BOUND',
            ':inStock': 'IN_STOCK',
            ':merchant': input.merchantNo,
            ':tid': input.terminalId,
            ':at': input.at,
            ':holdSince': input.holdSince,
            ':actor': input.actor,
            ':approvalSince': input.approvalSince,
          },
        },
        {
          update: keys.merchant(input.merchantNo),
          expression: 'ADD terminalCount :one',
          condition: `attribute_exists(pk) AND ${ACCEPTING_MERCHANT} AND (attribute_not_exists(terminalCount) OR terminalCount < :max)`,
          names: { '#mstatus': 'status' },
          values: { ':one': 1, ':max': MAX_TERMINALS_PER_MERCHANT, ...ACCEPTING_VALUES },
        },
        {
          put: {
            ...keys.merchantTerminal(input.merchantNo, input.serialNumber),
            serialNumber: input.serialNumber,
            terminalId: input.terminalId,
            status: 'BOUND',
            boundAt: input.at,
          },
        },
        historyPut(input.serialNumber, {
          action: 'BOUND',
          merchantNo: input.merchantNo,
          terminalId: input.terminalId,
          at: input.at,
          actor: input.actor,
          ...(input.reason ? { reason: input.reason } : {}),
        }),
      ]);
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      if (error.failedIndexes.includes(0)) {
        const terminal = await this.get(input.serialNumber);
        if (!terminal) return 'TERMINAL_NOT_FOUND';
        return terminal.status === 'IN_STOCK' ? 'REBIND_NEEDS_APPROVAL' : 'TERMINAL_ALREADY_BOUND';
      }
      const merchant = await this.table.get<{ status: string }>(keys.merchant(input.merchantNo));
      return merchant && ['PENDING_ACTIVATION', 'ACTIVE'].includes(merchant.status)
        ? 'TERMINAL_LIMIT'
        : 'MERCHANT_NOT_ACTIVE';
    }
  }

  async requestRebind(input: {
    serialNumber: string;
    merchantNo: string;
    actor: string;
    at: string;
    holdSince: string;
  }): Promise<boolean> {
    return succeeds(
      this.table.transact([
        {
          update: keys.terminal(input.serialNumber),
          expression: 'SET rebindMerchantNo = :merchant, rebindRequestedBy = :actor, rebindRequestedAt = :at',
          condition: '#status = :inStock AND lastUnboundFrom <> :merchant AND lastUnboundAt > :holdSince',
          names: { '#status': 'status' },
          values: {
            ':merchant': input.merchantNo,
            ':actor': input.actor,
            ':at': input.at,
            ':inStock': 'IN_STOCK',
            ':holdSince': input.holdSince,
          },
        },
        historyPut(input.serialNumber, {
          action: 'REBIND_REQUESTED',
          merchantNo: input.merchantNo,
          at: input.at,
          actor: input.actor,
          reason: 'unbound from another merchant recently: a second operator must bind it too',
        }),
      ]),
    );
  }

  async unbind(input: {
    serialNumber: string;
    merchantNo: string;
    at: string;
    actor: string;
    reason: string;
  }) {
    return succeeds(
      this.table.transact([
        {
          update: keys.terminal(input.serialNumber),
          // The last unbinding is kept: binding the SN to another merchant soon after needs a second operator.
          expression:
            'SET #status = :inStock, lastUnboundFrom = :merchant, lastUnboundAt = :at REMOVE merchantNo, terminalId, boundAt, activationCodeHash, activationExpiresAt, activationAttempts, activationIssueId, activationIssueLeaseUntil, rebindMerchantNo, rebindRequestedBy, rebindRequestedAt',
          // A terminal in the middle of a transfer is moved by the transfer, not unbound under it.
          condition:
            'merchantNo = :merchant AND #status <> :inStock AND attribute_not_exists(openTransferId)',
          names: { '#status': 'status' },
          values: { ':inStock': 'IN_STOCK', ':merchant': input.merchantNo, ':at': input.at },
        },
        {
          update: keys.merchant(input.merchantNo),
          expression: 'ADD terminalCount :minusOne',
          condition: 'terminalCount > :zero',
          values: { ':minusOne': -1, ':zero': 0 },
        },
        { delete: keys.merchantTerminal(input.merchantNo, input.serialNumber) },
        historyPut(input.serialNumber, {
          action: 'UNBOUND',
          merchantNo: input.merchantNo,
          at: input.at,
          actor: input.actor,
          reason: input.reason,
        }),
      ]),
    );
  }

  async reserveActivationIssue(input: {
    serialNumber: string;
    merchantNo: string;
    issueId: string;
    now: string;
    leaseUntil: string;
  }) {
    return succeeds(
      this.table.update(
        keys.terminal(input.serialNumber),
        'SET activationIssueId = :issue, activationIssueLeaseUntil = :until',
        {
          condition:
            '#status = :bound AND merchantNo = :merchant AND (attribute_not_exists(activationIssueLeaseUntil) OR activationIssueLeaseUntil <= :now)',
          names: { '#status': 'status' },
          values: {
            ':issue': input.issueId,
            ':until': input.leaseUntil,
            ':now': input.now,
            ':bound': 'BOUND',
            ':merchant': input.merchantNo,
          },
        },
      ),
    );
  }

  async releaseActivationIssue(serialNumber: string, issueId: string) {
    await succeeds(
      this.table.update(keys.terminal(serialNumber), 'REMOVE activationIssueLeaseUntil', {
        condition: 'activationIssueId = :issue',
        values: { ':issue': issueId },
      }),
    );
  }

  async setActivationCode(input: {
    serialNumber: string;
    merchantNo: string;
    codeHash: string;
    expiresAt: string;
    lifetimeCap: number;
    reservedIssueId?: string;
  }): Promise<'SET' | 'NOT_BOUND' | 'CODE_LIMIT'> {
    const set =
      'SET activationCodeHash = :hash, activationExpiresAt = :exp, activationAttempts = :zero ADD activationCodesIssued :one';
    const reserved = input.reservedIssueId;
    const stored = await succeeds(
      this.table.update(
        keys.terminal(input.serialNumber),
        reserved === undefined ? `${set} REMOVE activationIssueId, activationIssueLeaseUntil` : set,
        {
          condition: `#status = :bound AND merchantNo = :merchant AND (attribute_not_exists(activationCodesIssued) OR activationCodesIssued < :cap)${reserved === undefined ? '' : ' AND activationIssueId = :issue'}`,
          names: { '#status': 'status' },
          values: {
            ':hash': input.codeHash,
            ':exp': input.expiresAt,
            ':zero': 0,
            ':one': 1,
            ':cap': input.lifetimeCap,
            ':bound': 'BOUND',
            ':merchant': input.merchantNo,
            ...(reserved === undefined ? {} : { ':issue': reserved }),
          },
        },
      ),
    );
    if (stored) return 'SET';
    // Refused: tell the lifetime cap from a binding or reservation that moved (a read after the fact
    // only names the reason; the write's condition is what enforced it).
    const terminal = await this.get(input.serialNumber);
    return (terminal?.activationCodesIssued ?? 0) >= input.lifetimeCap ? 'CODE_LIMIT' : 'NOT_BOUND';
  }

  async reserveAttempt(input: {
    serialNumber: string;
    codeHash: string;
    limit: number;
    now: string;
  }): Promise<number | undefined> {
    try {
      const item = await this.table.update<{ activationAttempts: number }>(
        keys.terminal(input.serialNumber),
        'ADD activationAttempts :one',
        {
          // Only against the code the caller read, unexpired, and never past the lock.
          condition:
            'activationCodeHash = :hash AND activationAttempts < :limit AND activationExpiresAt > :now',
          values: { ':one': 1, ':hash': input.codeHash, ':limit': input.limit, ':now': input.now },
        },
      );
      return item.activationAttempts;
    } catch (error) {
      if (error instanceof ConditionFailedError) return undefined;
      throw error;
    }
  }

  async activate(input: {
    serialNumber: string;
    merchantNo: string;
    codeHash: string;
    at: string;
    limit: number;
  }) {
    return succeeds(
      this.table.transact([
        {
          update: keys.terminal(input.serialNumber),
          expression:
            'SET #status = :activated, activatedAt = :at REMOVE activationCodeHash, activationExpiresAt',
          condition:
            // The caller's own attempt is among those reserved: at most `limit` of them.
            '#status = :bound AND merchantNo = :merchant AND activationCodeHash = :hash AND activationAttempts <= :limit AND activationExpiresAt > :at',
          names: { '#status': 'status' },
          values: {
            ':activated': 'ACTIVATED',
            ':bound': 'BOUND',
            ':merchant': input.merchantNo,
            ':hash': input.codeHash,
            ':limit': input.limit,
            ':at': input.at,
          },
        },
        {
          update: keys.merchantTerminal(input.merchantNo, input.serialNumber),
          expression: 'SET #status = :activated',
          condition: 'attribute_exists(pk)',
          names: { '#status': 'status' },
          values: { ':activated': 'ACTIVATED' },
        },
        historyPut(input.serialNumber, {
          action: 'ACTIVATED',
          merchantNo: input.merchantNo,
          at: input.at,
          actor: `merchant:${input.merchantNo}`,
        }),
      ]),
    );
  }

  async markVerified(input: { serialNumber: string; merchantNo: string; at: string; saleId: string }) {
    return succeeds(
      this.table.transact([
        {
          update: keys.terminal(input.serialNumber),
          expression: 'SET #status = :verified, verifiedAt = :at',
          condition: '#status = :activated AND merchantNo = :merchant',
          names: { '#status': 'status' },
          values: {
            ':verified': 'VERIFIED',
            ':activated': 'ACTIVATED',
            ':merchant': input.merchantNo,
            ':at': input.at,
          },
        },
        {
          update: keys.merchantTerminal(input.merchantNo, input.serialNumber),
          expression: 'SET #status = :verified',
          condition: 'attribute_exists(pk)',
          names: { '#status': 'status' },
          values: { ':verified': 'VERIFIED' },
        },
        {
          // The first verified terminal makes the merchant ACTIVE; later ones leave it so.
          update: keys.merchant(input.merchantNo),
          expression: 'SET #mstatus = :active, updatedAt = :at',
          condition: ACCEPTING_MERCHANT,
          names: { '#mstatus': 'status' },
          values: { ...ACCEPTING_VALUES, ':at': input.at },
        },
        historyPut(input.serialNumber, {
          action: 'TEST_TRANSACTION_APPROVED',
          merchantNo: input.merchantNo,
          at: input.at,
          actor: `merchant:${input.merchantNo}`,
          reason: `sale ${input.saleId}`,
        }),
      ]),
    );
  }

  async addHistory(serialNumber: string, entry: TerminalHistoryEntry): Promise<void> {
    await this.table.put({ ...keys.terminalHistory(serialNumber, entry.at, ulid()), ...entry });
  }
}

/** Terminal-transfer requests. */
export class DynamoTransferRepository implements TransferRepository {
  constructor(private readonly table: DynamoTable) {}

  async get(transferRequestId: string): Promise<TransferRequestRecord | undefined> {
    const item = await this.table.get<TransferRequestRecord & Record<string, unknown>>(
      keys.transferRequest(transferRequestId),
    );
    return item ? stripKeys(item) : undefined;
  }

  async create(record: TransferRequestRecord): Promise<boolean> {
    return succeeds(
      this.table.transact([
        {
          update: keys.terminal(record.serialNumber),
          expression: 'SET openTransferId = :id',
          // Bound to the sender, under the terminal ID it knows, with no other transfer open.
          condition:
            'merchantNo = :from AND terminalId = :tid AND #status <> :inStock AND attribute_not_exists(openTransferId)',
          names: { '#status': 'status' },
          values: {
            ':id': record.transferRequestId,
            ':from': record.fromMerchantNo,
            ':tid': record.fromTerminalId,
            ':inStock': 'IN_STOCK',
          },
        },
        {
          put: { ...keys.transferRequest(record.transferRequestId), ...record },
          condition: 'attribute_not_exists(pk)',
        },
      ]),
    );
  }

  async save(
    next: TransferRequestRecord,
    expectedRevision: number,
    releaseTerminal = false,
  ): Promise<boolean> {
    const writes: TransactionWrite[] = [
      {
        put: { ...keys.transferRequest(next.transferRequestId), ...next },
        condition: 'revision = :expected',
        values: { ':expected': expectedRevision },
      },
    ];
    if (releaseTerminal) {
      writes.push({
        update: keys.terminal(next.serialNumber),
        expression: 'REMOVE openTransferId',
        condition: 'openTransferId = :id',
        values: { ':id': next.transferRequestId },
      });
    }
    return succeeds(this.table.transact(writes));
  }

  async complete(input: {
    transfer: TransferRequestRecord;
    toTerminalId: string;
    at: string;
    actor: string;
  }): Promise<TransferCompletion> {
    const { transfer, toTerminalId, at, actor } = input;
    const next: TransferRequestRecord = {
      ...transfer,
      status: 'COMPLETED',
      toTerminalId,
      revision: transfer.revision + 1,
      updatedAt: at,
      timeline: [...transfer.timeline, { status: 'COMPLETED', at, actor, action: 'COMPLETED' }],
    };
    try {
      await this.table.transact([
        {
          put: { ...keys.transferRequest(transfer.transferRequestId), ...next },
          condition: 'revision = :expected AND #status = :pending',
          names: { '#status': 'status' },
          values: { ':expected': transfer.revision, ':pending': 'PENDING_REVIEW' },
        },
        {
          // The old binding ends and the new one starts in the same write of the SN's marker.
          update: keys.terminal(transfer.serialNumber),
          expression:
            'SET #status = :bound, merchantNo = :to, terminalId = :tid, boundAt = :at REMOVE openTransferId, activationCodeHash, activationExpiresAt, activationAttempts, activationIssueId, activationIssueLeaseUntil',
          condition: 'merchantNo = :from AND openTransferId = :id',
          names: { '#status': 'status' },
          values: {
            ':bound': 'BOUND',
            ':to': transfer.toMerchantNo,
            ':from': transfer.fromMerchantNo,
            ':tid': toTerminalId,
            ':at': at,
            ':id': transfer.transferRequestId,
          },
        },
        {
          update: keys.merchant(transfer.fromMerchantNo),
          expression: 'ADD terminalCount :minusOne',
          condition: 'terminalCount > :zero',
          values: { ':minusOne': -1, ':zero': 0 },
        },
        { delete: keys.merchantTerminal(transfer.fromMerchantNo, transfer.serialNumber) },
        {
          update: keys.merchant(transfer.toMerchantNo),
          expression: 'ADD terminalCount :one',
          condition: `attribute_exists(pk) AND ${ACCEPTING_MERCHANT} AND (attribute_not_exists(terminalCount) OR terminalCount < :max)`,
          names: { '#mstatus': 'status' },
          values: { ':one': 1, ':max': MAX_TERMINALS_PER_MERCHANT, ...ACCEPTING_VALUES },
        },
        {
          put: {
            ...keys.merchantTerminal(transfer.toMerchantNo, transfer.serialNumber),
            serialNumber: transfer.serialNumber,
            terminalId: toTerminalId,
            status: 'BOUND',
            boundAt: at,
          },
        },
        historyPut(transfer.serialNumber, {
          action: 'TRANSFERRED',
          merchantNo: transfer.toMerchantNo,
          terminalId: toTerminalId,
          at,
          actor,
          reason: `from ${transfer.fromMerchantNo} (${transfer.fromTerminalId}) by transfer ${transfer.transferRequestId}`,
        }),
      ]);
      return 'COMPLETED';
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      return error.failedIndexes.includes(4) ? 'TERMINAL_LIMIT' : 'STALE';
    }
  }
}

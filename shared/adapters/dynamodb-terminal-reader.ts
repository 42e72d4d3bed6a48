import type { MerchantStatus } from '../domain/merchant';
import type { TerminalHistoryEntry, TerminalRecord } from '../domain/terminal';
import * as keys from '../keys';
import type { TerminalReader } from '../ports/terminals';
import { stripKeys } from './dynamodb-applications';
import type { DynamoTable } from './dynamodb-table';

/**
 * The terminals' reads. Apart from the repository (`DynamoTerminalRepository` in
 * dynamodb-terminals.ts extends it) so that a function that only reads terminals does not carry
 * every binding, activation and verification write.
 */
export class DynamoTerminalReader implements TerminalReader {
  constructor(protected readonly table: DynamoTable) {}

  async get(serialNumber: string): Promise<TerminalRecord | undefined> {
    const item = await this.table.get<TerminalRecord & Record<string, unknown>>(keys.terminal(serialNumber));
    return item ? stripKeys(item) : undefined;
  }

  async merchantStatus(merchantNo: string): Promise<MerchantStatus | undefined> {
    const item = await this.table.get<{ status?: MerchantStatus }>(keys.merchant(merchantNo));
    return item?.status;
  }

  async history(serialNumber: string): Promise<TerminalHistoryEntry[]> {
    const prefix = keys.terminalHistoryPrefix(serialNumber);
    const entries: TerminalHistoryEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.table.query<TerminalHistoryEntry & Record<string, unknown>>({
        keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
        values: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
        startKey,
      });
      entries.push(...page.items.map((item) => stripKeys(item)));
      startKey = page.lastKey;
    } while (startKey);
    return entries;
  }
}

import type { ApplicationRecord } from '../domain/application';
import type { ChangeRequestRecord } from '../domain/change-request';
import type { TransferRequestRecord } from '../domain/terminal';
import { notesToAdd, type UndeliveredNote } from '../notifications/send-once';
import type { Clock } from '../ports';
import type { ChangeRequestRepository } from '../ports/change-requests';
import { type ApplicationRepository, StaleWriteError } from '../ports/repositories';
import type { TerminalRepository, TransferRepository } from '../ports/terminals';

/*
 * Messages that did not reach their recipient are shown in their subject's timeline (channel,
 * template, masked recipient; never the address), next to the status changes. Each writer re-reads
 * the record on a concurrent write instead of failing (the merchant or another step may write it at
 * the same time), and skips notes a retried step reports a second time.
 */

/** Re-reads and writes again this often when another write wins the race. */
const WRITE_ATTEMPTS = 3;

function entryOf(note: UndeliveredNote) {
  return {
    at: note.at,
    actor: 'system' as const,
    action: note.action,
    channel: note.channel,
    template: note.template,
    recipient: note.recipient,
  };
}

async function appendLatest<R extends { timeline: readonly { action: string; at: string }[] }>(
  notes: readonly UndeliveredNote[],
  load: () => Promise<R | undefined>,
  save: (record: R, added: readonly UndeliveredNote[]) => Promise<boolean>,
): Promise<void> {
  if (notes.length === 0) return;
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const record = await load();
    if (!record) return;
    const added = notesToAdd(record.timeline, notes);
    if (added.length === 0 || (await save(record, added))) return;
  }
  // The step is retried, and the notes with it (their send records keep the outcome meanwhile).
  throw new Error('The timeline changed at the same time on every attempt');
}

/** Notes in an application's timeline (status unchanged). */
export function noteInApplication(
  deps: { applications: ApplicationRepository; clock: Clock },
  applicationId: string,
  notes: readonly UndeliveredNote[],
): Promise<void> {
  return appendLatest(
    notes,
    () => deps.applications.get(applicationId),
    async (record, added) => {
      const next: ApplicationRecord = {
        ...record,
        revision: record.revision + 1,
        updatedAt: deps.clock.now().toISOString(),
        timeline: [...record.timeline, ...added.map((note) => ({ status: record.status, ...entryOf(note) }))],
      };
      try {
        await deps.applications.save(next, record.revision);
        return true;
      } catch (error) {
        if (error instanceof StaleWriteError) return false;
        throw error;
      }
    },
  );
}

/** Notes in a change request's timeline (status unchanged). */
export function noteInChangeRequest(
  deps: { changeRequests: ChangeRequestRepository; clock: Clock },
  changeRequestId: string,
  notes: readonly UndeliveredNote[],
): Promise<void> {
  return appendLatest(
    notes,
    () => deps.changeRequests.get(changeRequestId),
    (record, added) => {
      const next: ChangeRequestRecord = {
        ...record,
        revision: record.revision + 1,
        updatedAt: deps.clock.now().toISOString(),
        timeline: [...record.timeline, ...added.map((note) => ({ status: record.status, ...entryOf(note) }))],
      };
      return deps.changeRequests.save(next, record.revision);
    },
  );
}

/** Notes in a transfer request's timeline (status unchanged). */
export function noteInTransfer(
  deps: { transfers: TransferRepository; clock: Clock },
  transferRequestId: string,
  notes: readonly UndeliveredNote[],
): Promise<void> {
  return appendLatest(
    notes,
    () => deps.transfers.get(transferRequestId),
    (record, added) => {
      const next: TransferRequestRecord = {
        ...record,
        revision: record.revision + 1,
        updatedAt: deps.clock.now().toISOString(),
        timeline: [...record.timeline, ...added.map((note) => ({ status: record.status, ...entryOf(note) }))],
      };
      return deps.transfers.save(next, record.revision);
    },
  );
}

/** Notes in a terminal's history (activation codes sent on an operator's request). */
export async function noteInTerminalHistory(
  deps: { terminals: TerminalRepository },
  terminal: { serialNumber: string; merchantNo: string; terminalId: string },
  notes: readonly UndeliveredNote[],
): Promise<void> {
  for (const note of notes) {
    await deps.terminals.addHistory(terminal.serialNumber, {
      ...entryOf(note),
      merchantNo: terminal.merchantNo,
      terminalId: terminal.terminalId,
    });
  }
}

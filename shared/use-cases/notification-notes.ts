import type { ApplicationRecord } from '../domain/application';
import type { ChangeRequestRecord } from '../domain/change-request';
import type { TransferRequestRecord } from '../domain/terminal';
import { notesToAdd, type UndeliveredNote } from '../notifications/send-once';
import type { Clock } from '../ports';
import type { ChangeRequestRepository } from '../ports/change-requests';
import { type ApplicationRepository, StaleWriteError } from '../ports/repositories';
import type { TerminalRepository, TransferRepository } from '../ports/terminals';

/*
 * System entries in a subject's timeline, next to its status changes: messages that did not reach
 * their recipient (channel, template, masked recipient; never the address) and workflow failures.
 * Each writer re-reads the record on a concurrent write instead of failing (the merchant or another
 * step may write it at the same time), and skips entries a retried step reports a second time.
 */

/** Re-reads and writes again this often when another write wins the race. */
const WRITE_ATTEMPTS = 3;

/** A system entry for a timeline; the writer adds the subject's current status. */
export interface SystemEntry {
  readonly at: string;
  readonly actor: 'system';
  readonly action: string;
  readonly channel?: UndeliveredNote['channel'];
  readonly template?: string;
  readonly recipient?: string;
}

function entryOf(note: UndeliveredNote): SystemEntry {
  return {
    at: note.at,
    actor: 'system',
    action: note.action,
    channel: note.channel,
    template: note.template,
    recipient: note.recipient,
  };
}

/** The entries of undelivered messages that the timeline does not show yet. */
function notesFor(notes: readonly UndeliveredNote[]) {
  return (record: { timeline: readonly TimelineLike[] }) => notesToAdd(record.timeline, notes).map(entryOf);
}

/** A `WORKFLOW_FAILED:<error name>` entry: the error's name only, never its cause (personal data). */
export function workflowFailedEntry(failure: { Error?: string } | undefined, at: string): SystemEntry {
  return { at, actor: 'system', action: `WORKFLOW_FAILED:${failure?.Error ?? 'Unknown'}` };
}

type TimelineLike = { action: string; at: string; channel?: string; template?: string };

/**
 * Appends the entries `entriesFor` computes from the latest record, re-reading on a concurrent
 * write. `save` returns false when another write won; nothing is written when there is nothing to add.
 */
export async function appendLatest<R extends { timeline: readonly TimelineLike[] }>(
  entriesFor: (record: R) => readonly SystemEntry[],
  load: () => Promise<R | undefined>,
  save: (record: R, added: readonly SystemEntry[]) => Promise<boolean>,
): Promise<void> {
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const record = await load();
    if (!record) return;
    const added = entriesFor(record);
    if (added.length === 0 || (await save(record, added))) return;
  }
  // The step is retried, and the entries with it (send records keep their outcome meanwhile).
  throw new Error('The timeline changed at the same time on every attempt');
}

/** System entries in an application's timeline (status unchanged). */
export function appendToApplication(
  deps: { applications: ApplicationRepository; clock: Clock },
  applicationId: string,
  entriesFor: (record: ApplicationRecord) => readonly SystemEntry[],
): Promise<void> {
  return appendLatest(
    entriesFor,
    () => deps.applications.get(applicationId),
    async (record, added) => {
      const next: ApplicationRecord = {
        ...record,
        revision: record.revision + 1,
        updatedAt: deps.clock.now().toISOString(),
        timeline: [...record.timeline, ...added.map((entry) => ({ status: record.status, ...entry }))],
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

/** System entries in a change request's timeline (status unchanged). */
export function appendToChangeRequest(
  deps: { changeRequests: ChangeRequestRepository; clock: Clock },
  changeRequestId: string,
  entriesFor: (record: ChangeRequestRecord) => readonly SystemEntry[],
): Promise<void> {
  return appendLatest(
    entriesFor,
    () => deps.changeRequests.get(changeRequestId),
    (record, added) => {
      const next: ChangeRequestRecord = {
        ...record,
        revision: record.revision + 1,
        updatedAt: deps.clock.now().toISOString(),
        timeline: [...record.timeline, ...added.map((entry) => ({ status: record.status, ...entry }))],
      };
      return deps.changeRequests.save(next, record.revision);
    },
  );
}

/** System entries in a transfer request's timeline (status unchanged). */
export function appendToTransfer(
  deps: { transfers: TransferRepository; clock: Clock },
  transferRequestId: string,
  entriesFor: (record: TransferRequestRecord) => readonly SystemEntry[],
): Promise<void> {
  return appendLatest(
    entriesFor,
    () => deps.transfers.get(transferRequestId),
    (record, added) => {
      const next: TransferRequestRecord = {
        ...record,
        revision: record.revision + 1,
        updatedAt: deps.clock.now().toISOString(),
        timeline: [...record.timeline, ...added.map((entry) => ({ status: record.status, ...entry }))],
      };
      return deps.transfers.save(next, record.revision);
    },
  );
}

/** Notes in an application's timeline (status unchanged). */
export async function noteInApplication(
  deps: { applications: ApplicationRepository; clock: Clock },
  applicationId: string,
  notes: readonly UndeliveredNote[],
): Promise<void> {
  if (notes.length > 0) await appendToApplication(deps, applicationId, notesFor(notes));
}

/** Notes in a change request's timeline (status unchanged). */
export async function noteInChangeRequest(
  deps: { changeRequests: ChangeRequestRepository; clock: Clock },
  changeRequestId: string,
  notes: readonly UndeliveredNote[],
): Promise<void> {
  if (notes.length > 0) await appendToChangeRequest(deps, changeRequestId, notesFor(notes));
}

/** Notes in a transfer request's timeline (status unchanged). */
export async function noteInTransfer(
  deps: { transfers: TransferRepository; clock: Clock },
  transferRequestId: string,
  notes: readonly UndeliveredNote[],
): Promise<void> {
  if (notes.length > 0) await appendToTransfer(deps, transferRequestId, notesFor(notes));
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

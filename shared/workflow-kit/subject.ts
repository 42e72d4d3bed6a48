import { logger } from '../logger';
import { notesToAdd, type UndeliveredNote } from '../notifications/send-once';
import type { Clock } from '../ports';
import type { WorkflowFailure } from './task';

/*
 * What every process's workflow does with the record it drives (an application, a transfer
 * request, a change request — its "subject"): load it or fail the step, move it to a status with an
 * audit entry, and add system entries to its timeline (messages that did not reach their recipient,
 * workflow failures) without losing a race against the merchant or another step.
 */

/** One entry of a subject's timeline, as far as the kit needs to know it. */
export interface SubjectTimelineEntry {
  readonly status: string;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly channel?: string;
  readonly template?: string;
  readonly recipient?: string;
}

/** A record a workflow drives: a status, an optimistic-lock revision and an audit timeline. */
export interface Subject {
  readonly status: string;
  readonly revision: number;
  readonly updatedAt: string;
  readonly timeline: readonly SubjectTimelineEntry[];
}

/** Where a process keeps its subjects, and how the kit names them in errors and logs. */
export interface SubjectStore<R extends Subject> {
  /** The process (`onboarding`), in log lines. */
  readonly process: string;
  /** What a subject is called in an error message (`Application`). */
  readonly label: string;
  /** The id's name in log lines (`applicationId`). */
  readonly idKey: string;
  get(id: string): Promise<R | undefined>;
  /** Writes `next` if the stored revision is still `expectedRevision`; `false` when another write won. */
  save(next: R, expectedRevision: number): Promise<boolean>;
}

/** The subject, or an error that fails the step (its Retry, then its Catch, take over). */
export async function loadOrFail<R extends Subject>(store: SubjectStore<R>, id: string): Promise<R> {
  const record = await store.get(id);
  if (!record) throw new Error(`${store.label} not found`);
  return record;
}

/** The record moved to `status`, with its audit entry and `changes`, one revision further. */
export function transitioned<R extends Subject>(
  record: R,
  status: R['status'],
  entry: { readonly at: string; readonly actor: R['timeline'][number]['actor']; readonly action: string },
  changes: Partial<R> = {},
): R {
  return {
    ...record,
    ...changes,
    status,
    revision: record.revision + 1,
    updatedAt: entry.at,
    timeline: [...record.timeline, { status, at: entry.at, actor: entry.actor, action: entry.action }],
  };
}

/** A system entry for a timeline; the writer adds the subject's current status. */
export interface SystemEntry {
  readonly at: string;
  readonly actor: 'system';
  readonly action: string;
  readonly channel?: UndeliveredNote['channel'];
  readonly template?: string;
  readonly recipient?: string;
}

/** Re-reads and writes again this often when another write wins the race. */
const WRITE_ATTEMPTS = 3;

/**
 * Appends the entries `entriesFor` computes from the latest record (status unchanged), re-reading on
 * a concurrent write: the merchant or another step may write the same record at the same time.
 * Nothing is written when there is nothing to add (a retried step reporting the same entries).
 */
export async function appendToTimeline<R extends Subject>(
  store: SubjectStore<R>,
  clock: Clock,
  id: string,
  entriesFor: (record: R) => readonly SystemEntry[],
): Promise<void> {
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const record = await store.get(id);
    if (!record) return;
    const added = entriesFor(record);
    if (added.length === 0) return;
    const next: R = {
      ...record,
      revision: record.revision + 1,
      updatedAt: clock.now().toISOString(),
      timeline: [...record.timeline, ...added.map((entry) => ({ status: record.status, ...entry }))],
    };
    if (await store.save(next, record.revision)) return;
  }
  // The step is retried, and the entries with it (send records keep their outcome meanwhile).
  throw new Error('The timeline changed at the same time on every attempt');
}

/**
 * Messages that did not reach their recipient, in the subject's timeline: channel, template and
 * masked recipient, never the address. Entries a retried step reports again are not repeated.
 */
export async function noteUndelivered<R extends Subject>(
  store: SubjectStore<R>,
  clock: Clock,
  id: string,
  notes: readonly UndeliveredNote[],
): Promise<void> {
  if (notes.length === 0) return;
  await appendToTimeline(store, clock, id, (record) => notesToAdd(record.timeline, notes).map(systemEntryOf));
}

/** The system entry of a message that did not reach its recipient (masked recipient only). */
export function systemEntryOf(note: UndeliveredNote): SystemEntry {
  return {
    at: note.at,
    actor: 'system',
    action: note.action,
    channel: note.channel,
    template: note.template,
    recipient: note.recipient,
  };
}

/** A `WORKFLOW_FAILED:<error name>` entry: the error's name only, never its cause (personal data). */
export function workflowFailedEntry(failure: WorkflowFailure | undefined, at: string): SystemEntry {
  return { at, actor: 'system', action: `WORKFLOW_FAILED:${failure?.Error ?? 'Unknown'}` };
}

/**
 * Every process's RecordFailure step: the failure goes into the subject's timeline for operators
 * (the error's name only) with its status unchanged, and an error line is logged; the execution
 * then fails, so the alarm fires.
 */
export async function recordWorkflowFailure<R extends Subject>(
  store: SubjectStore<R>,
  clock: Clock,
  id: string,
  failure: WorkflowFailure | undefined,
): Promise<{ recorded: true }> {
  const at = clock.now().toISOString();
  await appendToTimeline(store, clock, id, () => [workflowFailedEntry(failure, at)]);
  logger.error(`${store.process} workflow failed`, { [store.idKey]: id, error: failure?.Error });
  return { recorded: true };
}

import type { UndeliveredNote } from '../notifications/send-once';
import type { Clock } from '../ports';
import { type EscalationDeps, escalateSubjectReview } from '../reviews/workflow';
import {
  loadOrFail,
  noteUndelivered,
  recordWorkflowFailure,
  type Subject,
  type SubjectStore,
} from './subject';
import type { WorkflowFailure } from './task';

/** Where a process keeps its subjects: read one, write it on condition of its revision. */
export type SubjectRepository<R extends Subject> = Pick<SubjectStore<R>, 'get' | 'save'>;

/**
 * A process's subjects bound once (`storeOf` picks the repository from a Task function's deps),
 * with the steps every process has: load or fail, note undelivered messages, RecordFailure, and
 * EscalateReview of a review task (whose id is the subject's unless the process derives its own).
 */
export function processSubjects<R extends Subject, D>(
  names: Pick<SubjectStore<R>, 'process' | 'label' | 'idKey'>,
  storeOf: (deps: D) => SubjectRepository<R>,
) {
  const of = (deps: D): SubjectStore<R> => {
    const store = storeOf(deps);
    return {
      ...names,
      get: (id) => store.get(id),
      save: (next, expectedRevision) => store.save(next, expectedRevision),
    };
  };
  return {
    /** The subjects as the kit sees them. */
    of,
    /** The subject, or an error that fails the step (its Retry, then its Catch, take over). */
    load: (deps: D, id: string) => loadOrFail(of(deps), id),
    /** Messages that did not reach their recipient, in the subject's timeline. */
    noteUndelivered: (deps: D & { readonly clock: Clock }, id: string, notes: readonly UndeliveredNote[]) =>
      noteUndelivered(of(deps), deps.clock, id, notes),
    /** The failure in the subject's timeline (error name only), status unchanged; logged as an error. */
    recordFailure: (deps: D & { readonly clock: Clock }, id: string, failure: WorkflowFailure | undefined) =>
      recordWorkflowFailure(of(deps), deps.clock, id, failure),
    /** Supervisors told once; an undeliverable notice is noted in the subject's timeline. */
    escalateReview: (deps: D & EscalationDeps, id: string, taskId = id) =>
      escalateSubjectReview(deps, of(deps), id, taskId),
  };
}

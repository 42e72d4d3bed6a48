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
 * with what most steps use: load or fail, note undelivered messages. The steps that only one Task
 * function of each process runs, RecordFailure and EscalateReview, are {@link recordFailureOf} and
 * {@link escalateReviewOf} (functions of their own: a property of this object is in every step's
 * bundle, an unused function in none).
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
  };
}

/** What {@link recordFailureOf} and {@link escalateReviewOf} need of a process's subjects. */
interface BoundSubjects<R extends Subject, D> {
  of(deps: D): SubjectStore<R>;
}

/**
 * RecordFailure of a process ({@link processSubjects}): the failure in the subject's timeline
 * (error name only), status unchanged; logged as an error.
 */
export function recordFailureOf<R extends Subject, D>(
  subjects: BoundSubjects<R, D>,
  deps: D & { readonly clock: Clock },
  id: string,
  failure: WorkflowFailure | undefined,
) {
  return recordWorkflowFailure(subjects.of(deps), deps.clock, id, failure);
}

/**
 * EscalateReview of a process ({@link processSubjects}): supervisors told once; an undeliverable
 * notice is noted in the subject's timeline. The task id is the subject's unless the process
 * derives its own.
 */
export function escalateReviewOf<R extends Subject, D>(
  subjects: BoundSubjects<R, D>,
  deps: D & EscalationDeps,
  id: string,
  taskId = id,
) {
  return escalateSubjectReview(deps, subjects.of(deps), id, taskId);
}

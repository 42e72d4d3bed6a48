import { useState } from 'preact/hooks';

/** The state of a user's action (a submit, a button): whether it runs, and what it failed with. */
export interface ActionState<E> {
  /** True while an action runs: its buttons are disabled meanwhile. */
  readonly busy: boolean;
  /** What the last action failed with, as `describe` put it; cleared when the next one starts. */
  readonly error: E | undefined;
  /** Sets or clears the error by hand: a check before the action, or the user fixing a field. */
  setError(error: E | undefined): void;
  /** Runs `action` with `busy` set and the previous error cleared; what it throws becomes `error`. */
  run(action: () => Promise<unknown>): Promise<void>;
}

/**
 * One user action at a time with its busy flag and its error, so that every form and button says
 * "working" and "failed" alike. `describe` turns what the action threw into what the page shows: a
 * sentence, or the API's 400 answer itself when fields carry the problems. It may also keep other
 * state from the failure (field problems, a claim another reviewer holds). The promise `run`
 * returns never rejects.
 */
export function useAction<E = string>(describe: (caught: unknown) => E): ActionState<E> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<E>();
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (caught) {
      setError(describe(caught));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';

/** The state of a load: its value, its error, whether it runs, and a way to run it again. */
export interface AsyncState<T> {
  readonly value: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

/**
 * Runs `load` when `deps` change and keeps the latest answer; an answer that arrives after a newer
 * load started is dropped, so a slow response never overwrites a fresh one. The load starts as soon
 * as the component is in the document, not after the browser has painted it (when `useEffect` would
 * run): on a slow phone that first paint takes a few hundred milliseconds the request need not wait.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ value: T | undefined; error: unknown; loading: boolean }>({
    value: undefined,
    error: undefined,
    loading: true,
  });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    load().then(
      (value) => {
        if (mine === generation.current) setState({ value, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (mine === generation.current) setState((previous) => ({ ...previous, error, loading: false }));
      },
    );
  }, deps);
  useLayoutEffect(run, [run]);
  return { ...state, reload: run };
}

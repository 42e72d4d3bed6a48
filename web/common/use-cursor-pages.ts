import { useState } from 'preact/hooks';
import { type AsyncState, useAsync } from './use-async';

/** One page of a list the API reads a page at a time: its items and the cursor of the next, if any. */
export interface CursorPage<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** A list read a page at a time: every item read so far, and a way to read the next page. */
export interface CursorPages<T> {
  /** The first page's load: its error, whether it runs, and `reload` (which starts again from it). */
  readonly first: AsyncState<CursorPage<T>>;
  /** The items of the first page, then those of every page read after it. */
  readonly items: readonly T[];
  /** The cursor of the next page, or null on the last one. */
  readonly nextCursor: string | null;
  /** Reads the next page and adds its items (nothing on the last page); rejects as `load` does. */
  loadMore(): Promise<void>;
}

/**
 * The first page of a list when `deps` change (or on `first.reload()`), then one more page per
 * `loadMore()` from the last page's cursor ("Load more" buttons). Reading the first page again
 * forgets the pages read after it, so a list never shows items of an older reading behind a new one.
 */
export function useCursorPages<T>(
  load: (cursor?: string) => Promise<CursorPage<T>>,
  deps: readonly unknown[],
): CursorPages<T> {
  const [more, setMore] = useState<CursorPage<T>>();
  const first = useAsync(() => {
    setMore(undefined);
    return load();
  }, deps);
  const nextCursor = more ? more.nextCursor : (first.value?.nextCursor ?? null);
  return {
    first,
    items: [...(first.value?.items ?? []), ...(more?.items ?? [])],
    nextCursor,
    loadMore: async () => {
      if (!nextCursor) return;
      const page = await load(nextCursor);
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    },
  };
}

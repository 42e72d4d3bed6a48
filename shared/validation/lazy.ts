/**
 * A value built on first use and kept: for zod schemas and lookup tables that a module would
 * otherwise build at import. Module scope runs in every cold start of every function that imports
 * the module, even one that never validates that body; a thunk runs only when it is needed.
 *
 * @param build - builds the value (called at most once)
 * @returns a function returning the one value
 */
export function lazy<T>(build: () => T): () => T {
  let value: { readonly built: T } | undefined;
  return () => {
    value ??= { built: build() };
    return value.built;
  };
}

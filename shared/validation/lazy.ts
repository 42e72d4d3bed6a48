/**
 * A value built on first use and kept: for zod schemas and lookup tables that a module would
 * otherwise build at import. Module scope runs in every cold start of every function that imports
 * the module, even one that never validates that body; a thunk runs only when it is needed.
 *
 * Annotate module-scope calls with a `@__PURE__` comment (`const x = <pure comment> lazy(...)`):
 * esbuild then drops a value the function never uses from its bundle, with whatever only the thunk
 * references (zod, for a workflow Task that imports a use-case module for one step and none of its
 * request schemas). esbuild honours the annotation at the call site only; a `@__NO_SIDE_EFFECTS__`
 * on this declaration does not reach calls in other modules.
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

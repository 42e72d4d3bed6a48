import type { ItemChange } from './types';

/* Small readers of item changes for the mappers: no mapper reads an attribute it does not name. */

/** A string attribute of an image (`undefined` when absent or not a string). */
export function text(image: Readonly<Record<string, unknown>> | undefined, name: string): string | undefined {
  const value = image?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The sort key of the changed item. */
export function sortKeyOf(change: ItemChange): string | undefined {
  return text(change.newImage ?? change.oldImage, 'sk');
}

/** The status before and after the change (`undefined` for an item that did not or no longer exists). */
export function statuses(change: ItemChange): { before: string | undefined; after: string | undefined } {
  return { before: text(change.oldImage, 'status'), after: text(change.newImage, 'status') };
}

/** The status the change entered, if it changed: `undefined` when it stayed the same. */
export function enteredStatus(change: ItemChange): string | undefined {
  const { before, after } = statuses(change);
  return after !== undefined && after !== before ? after : undefined;
}

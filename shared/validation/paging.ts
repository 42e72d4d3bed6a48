import * as z from 'zod/mini';

/*
 * The query parameters of the paged lists (the review queue, a merchant's limit changes, an
 * endpoint's webhook deliveries): one definition, so every list takes and refuses them alike.
 * Functions that build schemas, called inside a list's `lazy` schema, so nothing runs at import.
 */

/** `limit`: a page of 1 to 100 items, as the query string gives it. */
export const pageLimit = () => z.optional(z.string().check(z.regex(/^(?:[1-9]|[1-9]\d|100)$/)));

/** `cursor`: a previous page's opaque `nextCursor`. */
export const pageCursor = () => z.optional(z.string().check(z.maxLength(2048)));

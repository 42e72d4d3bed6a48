import { AppError } from '../errors';

/*
 * Pagination cursors: the last key of a DynamoDB page, as opaque base64url JSON. A cursor a client
 * sends back is checked to be a position in the listing it asks for, so a forged cursor, or one of
 * another listing, is a 400 rather than a read somewhere else in the table.
 */

/** The cursor of the page after the one that ended at `lastKey` (none after the last page). */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  return lastKey ? Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url') : undefined;
}

/** The key a cursor holds, unchecked: for cursors the system itself keeps (never a client's). */
export function cursorKey(cursor: string | undefined): Record<string, unknown> | undefined {
  return cursor === undefined
    ? undefined
    : (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>);
}

/**
 * The key a client's cursor holds when `isPosition` accepts it as a position in the listing asked
 * for, else a 400 at `field` (what cannot be decoded included).
 */
export function clientCursorKey(
  cursor: string | undefined,
  isPosition: (key: Record<string, unknown>) => boolean,
  field: string,
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = cursorKey(cursor);
    if (key !== null && typeof key === 'object' && isPosition(key as Record<string, unknown>)) return key;
  } catch {
    // fall through to the 400 below
  }
  throw new AppError('VALIDATION_FAILED', 'The cursor is not valid', {
    fields: [{ field, code: 'INVALID_FORMAT', message: 'Use the nextCursor of a previous page' }],
  });
}

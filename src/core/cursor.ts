/**
 * Opaque `tasks/list` cursors (R63–R67). A cursor encodes a *position* in an owner's listing
 * (the creation sequence number of the last task on the page), not a task, so it stays valid
 * when that task expires. A checksum tells cursors this library issued from anything else.
 */
import { createHash } from 'node:crypto';
import { InvalidCursorError } from './errors.js';

const VERSION = 'c1';

function checksum(body: string): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 8);
}

/** Encodes a listing position (a non-negative integer sequence number) as an opaque cursor. */
export function encodeCursor(position: number): string {
  if (!Number.isSafeInteger(position) || position < 0) throw new RangeError('cursor position must be a non-negative integer');
  const body = `${VERSION}.${position.toString(36)}`;
  return Buffer.from(`${body}.${checksum(body)}`).toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; anything else throws {@link InvalidCursorError}. */
export function decodeCursor(cursor: string): number {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 64) throw new InvalidCursorError();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const parts = text.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !/^[0-9a-z]+$/.test(parts[1]!)) throw new InvalidCursorError();
  const body = `${parts[0]}.${parts[1]}`;
  if (checksum(body) !== parts[2] || Buffer.from(text).toString('base64url') !== cursor) throw new InvalidCursorError();
  const position = parseInt(parts[1]!, 36);
  if (!Number.isSafeInteger(position)) throw new InvalidCursorError();
  return position;
}

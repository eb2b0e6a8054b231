/**
 * The nesting bound of JSON bodies, checked on the raw (decoded) bytes before `JSON.parse`, so no
 * later walk of a body — the content hash, the work bound, validation — meets a document deeper
 * than it. Deep nesting is the one shape whose cost is not linear in the size: a few kB of gzip
 * inflate to 200,000 levels, and each recursive walk of that overflows the stack.
 */

/** Most levels of arrays and objects a JSON body may nest (a scenario needs about 7). */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Where JSON text first nests deeper than `max` levels of arrays and objects: `{ depth, offset }`
 * (the level reached and the byte it opens at), or null when it never does. A linear scan over the
 * bytes that skips strings; it does not check the syntax (JSON.parse does that next). Works on UTF-8
 * as on ASCII: the bytes it looks for never occur inside a multi-byte character.
 *
 * @example
 * jsonTooDeep(Buffer.from('{"a":[[1]]}'), 2) // { depth: 3, offset: 6 }
 * jsonTooDeep(Buffer.from('{"a":"[[[["}'), 2) // null
 */
export function jsonTooDeep(
  bytes: Uint8Array,
  max = MAX_JSON_DEPTH,
): { depth: number; offset: number } | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > max) return { depth, offset: i };
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) depth--;
  }
  return null;
}

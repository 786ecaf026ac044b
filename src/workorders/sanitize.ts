// Strings from work orders are untrusted: a title may carry escape sequences that would move the
// cursor, recolor the screen or set the window title. The UI only ever shows the cleaned copy.

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other two-byte ESC sequences, and C1 CSI.
const ESCAPE_SEQUENCE = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[@-Z\\-_]|\u009B[0-?]*[ -/]*[@-~]/g;
// Soft hyphens and tag characters hide nothing that matters in a name (a subdivision flag such as
// Scotland's is made of tag characters): kept apart so that track names may hold them.
const UNSEEN_SOURCE = '\\u00AD|\\uDB40[\\uDC00-\\uDC7F]';
/**
 * Characters that show nothing yet change what is shown: bidirectional marks and overrides that
 * reorder text, zero-width and other invisible characters that make two different names look the
 * same (soft hyphen, combining grapheme joiner, Arabic letter mark, Mongolian vowel separator,
 * word joiners, BOM), and the tag characters (U+E0000 to U+E007F, as UTF-16 pairs). As regular
 * expression source, shared with the JSON output and the track-name check.
 */
export const INVISIBLE_SOURCE = `[\\u034F\\u061C\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2069\\uFEFF]|${UNSEEN_SOURCE}`;
/** The invisible characters that are harmless in a name (see above). */
export const UNSEEN_IN_NAMES = new RegExp(UNSEEN_SOURCE, 'g');
// Remaining C0/C1 controls and DEL, and the invisible characters above.
const CONTROL = new RegExp(`[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F]|${INVISIBLE_SOURCE}`, 'g');
// Line and paragraph separators break a line like a newline: folded like one.
const WHITESPACE_RUN = /[\t\n\r \u2028\u2029]+/g;

/** One printable line: escape sequences removed, control characters dropped, whitespace folded. */
export function sanitizeText(raw: string): string {
  return raw.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '').replace(WHITESPACE_RUN, ' ').trim();
}

/** True when showing `raw` as is would put something other than printable text on the terminal. */
export function hasUnsafeCharacters(raw: string): boolean {
  ESCAPE_SEQUENCE.lastIndex = 0;
  CONTROL.lastIndex = 0;
  const unsafe = ESCAPE_SEQUENCE.test(raw) || CONTROL.test(raw.replace(/[\t\n\r]/g, ''));
  ESCAPE_SEQUENCE.lastIndex = 0;
  CONTROL.lastIndex = 0;
  return unsafe;
}

/** Like sanitizeText, line by line: for messages that are several lines on purpose. */
export function sanitizeLines(raw: string): string {
  return raw.split(/\n|\u2028|\u2029/).map((line) => line.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '').replace(/[\t\r]/g, ' ')).join('\n');
}

import {INVISIBLE_SOURCE} from '../workorders/sanitize.js';

// JSON.stringify escapes C0 controls but passes C1 controls, invisible characters, bidi marks and
// line separators through; a terminal or log viewer may act on them, so --json escapes them too.
const INVISIBLE = new RegExp(`[\\u0080-\\u009F\\u2028\\u2029]|${INVISIBLE_SOURCE}`, 'g');

/** Each UTF-16 unit as a JSON escape (a tag character is a pair of them). */
const escaped = (characters: string) => Array.from({length: characters.length}, (_, at) => `\\u${characters.charCodeAt(at).toString(16).padStart(4, '0')}`).join('');

export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(INVISIBLE, escaped);
}

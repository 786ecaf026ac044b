// JSON.stringify escapes C0 controls but passes C1 controls, zero-width characters and bidi overrides through; a
// terminal or log viewer may act on them, so --json escapes them too.
const INVISIBLE = /[\u0080-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(INVISIBLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

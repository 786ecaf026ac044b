/**
 * A fast path for the plain front matter nearly every WO file has: top-level `key: value` lines,
 * one-line `[a, b]` lists and `- item` lists of one-line scalars. For text inside that subset it
 * returns exactly what gray-matter with js-yaml 4 returns; for anything else (block scalars,
 * nesting, comments after values, escapes, anchors, odd numbers, duplicate keys…) it returns null
 * and the caller hands the file to them. At 10,000 files js-yaml's general parser is the largest
 * single cost of loading a folder.
 */

/** Not this subset: the file goes to js-yaml. */
const UNSURE = Symbol('unsure');
type Scalar = string | number | boolean | null | Date;

// Keys that js-yaml reads as something other than their own text (true, null…) are left to it.
const KEY = /^[A-Za-z][A-Za-z0-9_-]*$/;
const NON_STRING_KEYS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL']);
const NULLS = new Set(['~', 'null', 'Null', 'NULL']);
const BOOLEANS = new Map([['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false]]);
const DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
/** First characters that make a line something other than a plain scalar, or might. */
const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`<+']);
/** Integers, floats and timestamps are written with these characters only. */
const NOT_NUMERIC = /[^0-9a-fA-F_.+\-:xXoOtTzZiInN ]/;

/**
 * True when every character but the line breaks is printable, with no tab and no CR: js-yaml
 * rejects some characters anywhere (comments included), and tabs and CRs have rules of their own.
 */
function printableLines(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f) || code === 0xfeff || code === 0xfffe || code === 0xffff) return false;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      index++;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** A one-line plain scalar in block context (already trimmed), typed as js-yaml types it. */
function plainScalar(text: string): Scalar | typeof UNSURE {
  if (text === '') return UNSURE;
  // A comment, a nested key or a trailing colon: leave it to the real parser.
  if (text.includes(' #') || text.includes(': ') || text.endsWith(':')) return UNSURE;
  const first = text[0];
  if (INDICATORS.has(first)) return UNSURE;
  if (NULLS.has(text)) return null;
  const boolean = BOOLEANS.get(text);
  if (boolean !== undefined) return boolean;
  if ((first >= '0' && first <= '9') || first === '.') {
    if (DECIMAL.test(text)) return Number(text);
    const date = DATE.exec(text);
    if (date) return new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])));
    // "0.9 broke the build" is text; "1_000", "1e3" or "2001-12-14 21:59:43" are for js-yaml.
    return NOT_NUMERIC.test(text) ? text : UNSURE;
  }
  return text;
}

/** A scalar inside `[…]`: flow indicators end it, so they are not allowed in it. */
function flowPlainScalar(text: string): Scalar | typeof UNSURE {
  return /[,[\]{}#:]/.test(text) ? UNSURE : plainScalar(text);
}

/** A quoted scalar that closes on its line; returns the value and where it ends, or UNSURE. */
function quotedScalar(line: string, start: number): {value: string; end: number} | typeof UNSURE {
  const quote = line[start];
  let value = '';
  let from = start + 1;
  for (;;) {
    const close = line.indexOf(quote, from);
    if (close === -1) return UNSURE;
    value += line.slice(from, close);
    // In single quotes, '' is one quote; double quotes with escapes are left to js-yaml.
    if (quote === "'" && line[close + 1] === "'") {
      value += "'";
      from = close + 2;
      continue;
    }
    if (quote === '"' && value.includes('\\')) return UNSURE;
    return {value, end: close + 1};
  }
}

const onlySpaces = (text: string) => /^ *$/.test(text);
/** YAML separates with spaces (and tabs, which never get here), not with every Unicode space. */
const trimSpaces = (text: string) => text.replace(/^ +| +$/g, '');

/** A one-line value after `key: ` or `- ` (trailing spaces allowed), or UNSURE. */
function inlineValue(text: string): Scalar | Scalar[] | typeof UNSURE {
  if (text[0] === "'" || text[0] === '"') {
    const quoted = quotedScalar(text, 0);
    return quoted !== UNSURE && onlySpaces(text.slice(quoted.end)) ? quoted.value : UNSURE;
  }
  if (text[0] === '[') return flowList(text);
  return plainScalar(trimSpaces(text));
}

/** A `[a, 'b', c]` list that closes on its line. */
function flowList(text: string): Scalar[] | typeof UNSURE {
  const items: Scalar[] = [];
  let at = 1;
  const skipSpaces = () => {
    while (text[at] === ' ') at++;
  };
  skipSpaces();
  if (text[at] === ']') return onlySpaces(text.slice(at + 1)) ? items : UNSURE;
  for (;;) {
    skipSpaces();
    let item: Scalar | typeof UNSURE;
    if (text[at] === "'" || text[at] === '"') {
      const quoted = quotedScalar(text, at);
      if (quoted === UNSURE) return UNSURE;
      item = quoted.value;
      at = quoted.end;
      skipSpaces();
    } else {
      let end = at;
      while (end < text.length && text[end] !== ',' && text[end] !== ']') end++;
      item = flowPlainScalar(trimSpaces(text.slice(at, end)));
      at = end;
    }
    if (item === UNSURE) return UNSURE;
    items.push(item);
    if (text[at] === ',') {
      at++;
      continue;
    }
    if (text[at] === ']') return onlySpaces(text.slice(at + 1)) ? items : UNSURE;
    return UNSURE;
  }
}

/** The fields of a front matter block (the text between the `---` lines), or null. */
export function readPlainYaml(block: string): Record<string, unknown> | null {
  if (!printableLines(block)) return null;
  const lines = block.split('\n');
  const data: Record<string, unknown> = {};
  let index = 0;
  while (index < lines.length) {
    const line = lines[index++];
    if (onlySpaces(line) || line[0] === '#') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const key = line.slice(0, colon);
    if (!KEY.test(key) || NON_STRING_KEYS.has(key) || Object.hasOwn(data, key)) return null;
    const rest = line.slice(colon + 1);
    if (rest !== '' && rest[0] !== ' ') return null;
    const text = trimSpaces(rest);
    if (text !== '') {
      const value = inlineValue(text);
      if (value === UNSURE) return null;
      data[key] = value;
      continue;
    }
    // `key:` alone: a `- item` list follows, or nothing (null).
    const items: Scalar[] = [];
    let indent = -1;
    while (index < lines.length) {
      const next = lines[index];
      if (onlySpaces(next) || next[0] === '#') {
        index++;
        continue;
      }
      const item = /^( *)-( |$)/.exec(next);
      if (!item) break;
      if (indent === -1) indent = item[1].length;
      else if (item[1].length !== indent) return null;
      const itemText = trimSpaces(next.slice(item[0].length));
      const value = itemText === '' ? null : inlineValue(itemText);
      if (value === UNSURE || Array.isArray(value)) return null;
      items.push(value);
      index++;
    }
    // Whatever follows must be the next top-level key; anything indented is beyond this subset.
    if (index < lines.length && lines[index][0] === ' ') return null;
    data[key] = indent === -1 ? null : items;
  }
  return data;
}

/**
 * A file's front matter block and body, split the way gray-matter (which PCC reads WOs with)
 * splits them: the block runs from the opening `---` to the first `\n---`, and the body starts
 * after that line's `---` and one newline. Null when the file does not open with a `---` line or
 * nothing closes it.
 */
export function splitFrontMatter(text: string): {block: string; body: string} | null {
  if (!/^---[ \t]*\n/.test(text)) return null;
  const rest = text.slice(3);
  const close = rest.indexOf('\n---');
  if (close === -1) return null;
  let body = rest.slice(close + 4);
  if (body[0] === '\r') body = body.slice(1);
  if (body[0] === '\n') body = body.slice(1);
  return {block: rest.slice(0, close), body};
}

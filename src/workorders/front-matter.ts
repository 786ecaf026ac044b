import yaml from 'js-yaml';
import {readPlainYaml, splitFrontMatter} from './plain-front-matter.js';
import type {LoadProblem} from './work-order.js';

export type FrontMatter = {
  /** Parsed fields; null when the file has no front matter at all. */
  data: Record<string, unknown> | null;
  body: string;
  /** Set when YAML failed and `data` was rebuilt line by line. */
  recovered: boolean;
  problems: LoadProblem[];
};

/**
 * A block of only comments and blank lines holds no fields (and is not handed to YAML), as
 * gray-matter judges it: each line blank, or a `#` and at least one character after it. Line by
 * line: the equivalent regular expression takes time in the square of a run of blank lines.
 */
export const isEmptyBlock = (block: string) =>
  block.split('\n').every((line) => {
    const rest = line.trimStart();
    return rest === '' || (rest[0] === '#' && rest.length > 1);
  });

/** Removes a BOM and turns CRLF/CR into LF so line numbers and delimiters behave. */
export function normalizeNewlines(text: string): string {
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return noBom.includes('\r') ? noBom.replace(/\r\n?/g, '\n') : noBom;
}

/**
 * Reads a markdown file's YAML front matter: plain fields on a fast path, the rest with js-yaml.
 * Invalid YAML is reported with its line in the file and the simple fields are recovered line by
 * line, so one typo does not make a work order vanish.
 */
export function readFrontMatter(rawText: string, file: string): FrontMatter {
  const text = normalizeNewlines(rawText);
  if (!/^---[ \t]*\n/.test(text)) {
    return {data: null, body: text, recovered: false, problems: []};
  }
  // Closed by the first line that starts with `---`, whatever follows on it, as gray-matter (and
  // so PCC) reads it: a body line never becomes a field.
  const split = splitFrontMatter(text);
  if (!split) {
    // PCC reads no fields from such a file and leaves it out; we recover what we can, and say so.
    const {data, body} = recoverFields(text);
    return {data, body, recovered: true, problems: [{file, line: 1, level: 'error', message: 'front matter is never closed (no line starting with `---` after it); add a `---` line after the last field. Fields were recovered line by line'}]};
  }
  const {block, body} = split;
  const plain = readPlainYaml(block);
  if (plain) return {data: plain, body, recovered: false, problems: []};
  try {
    const data: unknown = isEmptyBlock(block) ? {} : (yaml.load(block) ?? {});
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      return {
        data: {},
        body,
        recovered: false,
        problems: [{file, line: 2, level: 'error', message: 'front matter is not a set of `key: value` fields'}],
      };
    }
    return {data: data as Record<string, unknown>, body, recovered: false, problems: []};
  } catch (error) {
    const mark = (error as {mark?: {line?: number}}).mark;
    // The block starts right after the opening `---`, so YAML's line 0 is file line 1.
    const line = typeof mark?.line === 'number' ? mark.line + 1 : undefined;
    const reason = (error as {reason?: string}).reason ?? (error as Error).message.split('\n')[0];
    const {data, body} = recoverFields(text);
    return {
      data,
      body,
      recovered: true,
      problems: [{
        file,
        line,
        level: 'error',
        message: `front matter is not valid YAML (${reason}); quote the value or fix the line. Fields were recovered line by line`,
      }],
    };
  }
}

const LIST_FIELDS = new Set(['tags', 'depends_on', 'context', 'acceptance_criteria', 'non_goals', 'stop_conditions']);

function unquote(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length >= 2 && (trimmed[0] === '"' || trimmed[0] === "'") && trimmed.at(-1) === trimmed[0]) {
    return trimmed.slice(1, -1);
  }
  return trimmed;
}

function inlineList(value: string): string[] {
  const inner = value.trim().replace(/^\[/, '').replace(/\]$/, '');
  return inner.split(',').map(unquote).filter(Boolean);
}

/** Line-by-line reading of top-level `key: value` fields and `- item` lists. */
export function recoverFields(text: string): {data: Record<string, unknown>; body: string} {
  const lines = text.split('\n');
  let end = lines.findIndex((line, index) => index > 0 && /^---\s*$/.test(line));
  if (end === -1) end = lines.length;
  const data: Record<string, unknown> = {};
  let currentList: string[] | null = null;
  for (const line of lines.slice(1, end)) {
    const item = /^\s+-\s+(.*)$/.exec(line) ?? /^-\s+(.*)$/.exec(line);
    if (item && currentList) {
      currentList.push(unquote(item[1]));
      continue;
    }
    const field = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!field) continue;
    const [, key, value] = field;
    currentList = null;
    if (LIST_FIELDS.has(key)) {
      if (value.trim().startsWith('[')) data[key] = inlineList(value);
      else if (value.trim()) data[key] = [unquote(value)];
      else data[key] = currentList = [];
    } else if (value.trim()) {
      data[key] = unquote(value);
    }
  }
  return {data, body: lines.slice(end + 1).join('\n')};
}

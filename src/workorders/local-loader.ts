import {closeSync, constants, fstatSync, openSync, readdirSync, readSync, statSync} from 'node:fs';
import path from 'node:path';
import {readFrontMatter} from './front-matter.js';
import {sanitizeText} from './sanitize.js';
import {type LoadProblem, type WorkOrder, looksLikeWorkOrderId, mentionedIds, normalizeWorkOrder} from './work-order.js';

export type LoadResult = {workOrders: WorkOrder[]; problems: LoadProblem[]};

/** Files past this size are read only as far as their front matter needs. */
const LARGE_FILE_BYTES = 1024 * 1024;
const HEAD_BYTES = 256 * 1024;
/** A read this short is the whole file (WO files are a few KB). */
const TRUSTED_READ_BYTES = 64 * 1024;
/** Printable ASCII without spaces. */
const PLAIN_ID = /^[\x21-\x7e]*$/;
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
// One buffer for every read, so nothing is allocated per file but the string itself.
const readBuffer = Buffer.allocUnsafe(LARGE_FILE_BYTES);

/** A UTF-16 byte order mark at the start of what was read (as Windows editors save "Unicode"). */
function startsUtf16(read: number): boolean {
  return read >= 2 && ((readBuffer[0] === 0xff && readBuffer[1] === 0xfe) || (readBuffer[0] === 0xfe && readBuffer[1] === 0xff));
}

/** What reading one listed entry found: a file's text (its head when it is large) and size, or why not. */
type ReadResult = {kind: 'file'; text: string; size: number; utf16: boolean} | {kind: 'folder' | 'special'};

/** The kind of a non-file, from its stats: a folder is passed over quietly, anything else is named. */
const notAFile = (stats: {isDirectory(): boolean}): ReadResult => ({kind: stats.isDirectory() ? 'folder' : 'special'});

/**
 * Reads one entry of the folder. When the listing already says the file is regular and one read
 * gets under 64 KB, that is the whole file: open, read and close suffice. Anything else (a link,
 * a bigger file) is asked its size.
 */
function readWorkOrderText(file: string, listedRegular: boolean): ReadResult {
  // A link may lead to a pipe, whose open would wait for a writer forever: what is not a regular
  // file is never opened. The open itself never waits either (a file can be swapped for a pipe
  // after the listing); for a regular file the flag changes nothing.
  if (!listedRegular) {
    const stats = statSync(file);
    if (!stats.isFile()) return notAFile(stats);
  }
  const fd = openSync(file, OPEN_FLAGS);
  try {
    let read = -1;
    let size = -1;
    if (listedRegular) {
      try {
        read = readSync(fd, readBuffer, 0, LARGE_FILE_BYTES, 0);
      } catch (error) {
        // Swapped for a folder or a pipe since the listing (EISDIR, ESPIPE): not a file after all.
        const stats = fstatSync(fd);
        if (!stats.isFile()) return notAFile(stats);
        throw error;
      }
      if (read < TRUSTED_READ_BYTES) size = read;
    }
    // A big file's read is checked against its size: network file systems may answer in parts.
    if (size < 0) {
      const stats = fstatSync(fd);
      if (!stats.isFile()) return notAFile(stats);
      size = stats.size;
      const length = size > LARGE_FILE_BYTES ? HEAD_BYTES : size;
      if (read < Math.min(length, LARGE_FILE_BYTES)) read = readSync(fd, readBuffer, 0, length, 0);
      read = Math.min(read, length);
    }
    return {kind: 'file', text: readBuffer.toString('utf8', 0, read), size, utf16: startsUtf16(read)};
  } finally {
    closeSync(fd);
  }
}

/** One file's work order (if any), its problems, and the front matter fields as read. */
export type ParsedFile = LoadResult & {data: Record<string, unknown>};

/** Parses one WO file's text. Exported for the server, which also serves the raw fields. */
export function parseWorkOrderFile(text: string, file: string): ParsedFile {
  const label = path.basename(file);
  const stem = path.basename(file, path.extname(file));
  const fallbackId = looksLikeWorkOrderId(stem) ? stem : /^(WO-\d{4}-\d+)/.exec(stem)?.[1];
  const front = readFrontMatter(text, label);
  const problems = [...front.problems];
  let data = front.data;
  if (data === null) {
    if (!fallbackId) {
      return {workOrders: [], problems: [{file: label, level: 'note', message: 'is not a work order (no front matter); skipped'}], data: {}};
    }
    // A WO file without front matter: keep it plannable from its name and first heading.
    const heading = /^#\s+(.+)$/m.exec(front.body)?.[1] ?? '';
    data = {id: fallbackId, title: heading.replace(new RegExp(`^${fallbackId}\\s*[:—-]?\\s*`), '')};
    problems.push({file: label, level: 'error', message: 'has no front matter; add a `---` block with id, title and status. Planned from its file name'});
    front.recovered = true;
  }
  const {workOrder, problems: fieldProblems} = normalizeWorkOrder(data, label, fallbackId);
  problems.push(...fieldProblems);
  if (!workOrder) return {workOrders: [], problems, data};
  if (front.recovered) workOrder.recovered = true;
  workOrder.source = file;
  // The body mentions WOs too ("see WO-2026-060"): links for the suggester.
  const inBody = mentionedIds(front.body, workOrder.id);
  if (inBody.length) workOrder.mentions = [...new Set([...(workOrder.mentions ?? []), ...inBody])];
  return {workOrders: [workOrder], problems, data};
}

/**
 * Loads every `*.md` in a work_orders folder. Bad files are reported by name and skipped or
 * recovered; they never stop the others. Duplicate ids keep the first file in name order.
 */
export function loadWorkOrdersFromFolder(dir: string): LoadResult {
  let entries: {name: string; regular: boolean; special: boolean}[];
  try {
    entries = readdirSync(dir, {withFileTypes: true})
      .filter((entry) => entry.name.toLowerCase().endsWith('.md'))
      .map((entry) => ({name: entry.name, regular: entry.isFile(), special: entry.isFIFO() || entry.isSocket() || entry.isCharacterDevice() || entry.isBlockDevice()}))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code})`;
    throw new LoadError(`The work orders folder ${dir} ${reason}; pass --work-orders with the path to a work_orders/ folder.`);
  }
  const workOrders: WorkOrder[] = [];
  const problems: LoadProblem[] = [];
  // Likely the wrong folder (the project's root, or a typo's neighbour): say so, plan nothing.
  if (!entries.length) problems.push({file: dir, level: 'warning', message: 'has no .md files; pass --work-orders with the path of the project\'s work_orders/ folder'});
  const firstFileById = new Map<string, string>();
  // Ids that differ only in case or in characters the screen never shows read as one WO.
  const firstByLook = new Map<string, {id: string; file: string}>();
  for (const {name, regular, special} of entries) {
    const file = path.join(dir, name);
    let text: string;
    try {
      const read: ReadResult = special ? {kind: 'special'} : readWorkOrderText(file, regular);
      // A folder named like a WO is just not one; a pipe, socket or device is worth a word.
      if (read.kind === 'special') problems.push({file: name, level: 'note', message: 'is not a regular file (a pipe, socket or device, or a link to one); skipped'});
      if (read.kind !== 'file') continue;
      if (read.utf16) {
        // PCC reads UTF-8: such a file is invisible to it, whatever it holds.
        problems.push({file: name, level: 'error', message: 'is saved as UTF-16, which PCC cannot read; save it as UTF-8 (it is skipped)'});
        continue;
      }
      text = read.text;
      const size = read.size;
      if (size > LARGE_FILE_BYTES) {
        problems.push({file: name, level: 'warning', message: `is ${(size / 1024 / 1024).toFixed(1)} MB; only its first ${HEAD_BYTES / 1024} KB were read`});
      }
    } catch (error) {
      problems.push({file: name, level: 'error', message: `cannot be read (${(error as Error).message})`});
      continue;
    }
    const result = parseWorkOrderFile(text, file);
    problems.push(...result.problems);
    for (const workOrder of result.workOrders) {
      const first = firstFileById.get(workOrder.id);
      if (first) {
        problems.push({file: name, level: 'error', message: `repeats id ${workOrder.id} already used by ${first}; it is ignored until one of them is renumbered`});
        continue;
      }
      firstFileById.set(workOrder.id, name);
      workOrders.push(workOrder);
      // Plain printable ASCII (nearly every id) has nothing for sanitizing to remove or fold.
      const look = (PLAIN_ID.test(workOrder.id) ? workOrder.id : sanitizeText(workOrder.id)).toLowerCase();
      const twin = firstByLook.get(look);
      if (twin) problems.push({file: name, level: 'warning', message: `has id ${spelled(workOrder.id)}, which reads the same as ${spelled(twin.id)} in ${twin.file} (it differs in case or in invisible characters); renumber one so that nobody mistakes one for the other`});
      else firstByLook.set(look, {id: workOrder.id, file: name});
    }
  }
  return {workOrders, problems};
}

/** An id with every character outside printable ASCII spelled as its code point, so look-alikes differ on screen. */
function spelled(id: string): string {
  return `"${id.replace(/[^\x20-\x7e]/gu, (character) => `\\u{${character.codePointAt(0)!.toString(16)}}`)}"`;
}

/** A load failure the CLI shows as one sentence. */
export class LoadError extends Error {}

import {createHash} from 'node:crypto';
import {normalizeNewlines, readFrontMatter} from '../workorders/front-matter.js';
import {hasUnsafeCharacters, sanitizeText, UNSEEN_IN_NAMES} from '../workorders/sanitize.js';

export type SpecTrack = {
  name: string;
  goal: string | null;
  description: string | null;
  color: string | null;
  icon: string | null;
  sortOrder: number;
  line: number;
};

export type MappingEntry = {
  id: string;
  /** Title as the spec writes it; informational only, the WO's own title is shown. */
  title: string;
  /** The heading the WO is listed under, as written. */
  group: string;
  /** Track name it maps to, or null for groups that mean "no track". */
  track: string | null;
  line: number;
};

export type SpecProblem = {line: number; level: 'error' | 'warning'; message: string};

/** A `### Group` heading of the mapping: the track it means (null: no track), where it and its last item stand. */
export type MappingGroup = {name: string; track: string | null; line: number; lastLine: number};

export type TrackSpec = {
  id: string;
  title: string;
  /** Where it was read from (a path or `WO-… in project …`). */
  source: string;
  /** Hash of the normalized text: part of a plan's fingerprint. */
  hash: string;
  tracks: SpecTrack[];
  mapping: MappingEntry[];
  /** The mapping's groups in file order, and the line after the section (1-based), for writing back. */
  groups: MappingGroup[];
  mappingEnd: number | null;
  problems: SpecProblem[];
};

const HEX_COLOR = /^#[0-9A-Fa-f]{6}$/;
const MAPPING_LINE = /^\s*[-*+]\s+(WO-\d{4}-\d+)\s*(?:[:—–]|\s-\s)\s*(.*)$/;
const LIST_ITEM = /^\s*[-*+]\s+/;
// Groups whose WOs deliberately get no track.
const NO_TRACK_GROUP = /\b(uncategori[sz]ed|unassigned|no[ -]track|none|miscellaneous|misc|meta)\b/i;

/**
 * A track's identity: its name with case, surrounding spaces and runs of spaces ignored, and
 * nothing else ("Foundation (legacy)" is another track than "Foundation", "A & B" than "A and B").
 */
export function normalizeTrackName(name: string): string {
  return name.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Longest track name a spec may create: PCC shows names in narrow columns. */
export const MAX_TRACK_NAME = 200;

/** A name fit to create: no control, invisible or direction characters, and not too long. */
export function isTrackName(name: string): boolean {
  // hasUnsafeCharacters covers the invisible and direction characters, but for those harmless in a name.
  return name.length <= MAX_TRACK_NAME && !hasUnsafeCharacters(name.replace(UNSEEN_IN_NAMES, ''));
}

/** A mapping heading names its track loosely: "### Foundation (WO-1 through WO-8)", "Testing and Quality". */
function headingKey(heading: string): string {
  return normalizeTrackName(heading.replace(/\([^)]*\)/g, ' ').replace(/&/g, ' and '));
}

/** Splits a markdown table row into trimmed cells. */
function tableCells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split('|').map((cell) => cell.trim());
}

function isSeparatorRow(cells: string[]): boolean {
  return cells.every((cell) => /^:?-{2,}:?$/.test(cell));
}

type Section = {title: string; start: number; end: number};

function sections(lines: string[], from: number): Section[] {
  const found: Section[] = [];
  for (let index = from; index < lines.length; index++) {
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(lines[index]);
    if (!heading || lines[index].startsWith('###')) continue;
    if (found.length) found.at(-1)!.end = index;
    found.push({title: heading[1], start: index + 1, end: lines.length});
  }
  return found;
}

function parseTrackTable(lines: string[], section: Section, problems: SpecProblem[]): SpecTrack[] {
  const tracks: SpecTrack[] = [];
  let header: string[] | null = null;
  for (let index = section.start; index < section.end; index++) {
    const line = lines[index];
    if (!line.trim().startsWith('|')) {
      if (header && tracks.length) break;
      continue;
    }
    const cells = tableCells(line);
    if (!header) {
      header = cells.map((cell) => cell.toLowerCase());
      continue;
    }
    if (isSeparatorRow(cells)) continue;
    const lineNumber = index + 1;
    const column = (...names: string[]) => {
      const at = header!.findIndex((cell) => names.includes(cell));
      return at >= 0 ? (cells[at] ?? '').trim() : '';
    };
    // "Track" holds the row number in the seed; "Name" the track's name.
    const hasNameColumn = header.includes('name');
    const name = hasNameColumn ? column('name') : column('track');
    const order = Number(hasNameColumn ? column('track', '#', 'order') : '');
    if (!name) {
      problems.push({line: lineNumber, level: 'error', message: 'track row has no name'});
      continue;
    }
    if (!isTrackName(name)) {
      problems.push({line: lineNumber, level: 'error', message: `track "${sanitizeText(name).slice(0, 60)}" has control or invisible characters, or is over ${MAX_TRACK_NAME} characters; write it as plain text`});
      continue;
    }
    const color = column('color', 'colour');
    if (color && !HEX_COLOR.test(color)) {
      problems.push({line: lineNumber, level: 'error', message: `track "${sanitizeText(name)}" has color "${sanitizeText(color)}", which is not #RRGGBB; write it as six hex digits such as #10B981`});
    }
    if (tracks.some((track) => normalizeTrackName(track.name) === normalizeTrackName(name))) {
      problems.push({line: lineNumber, level: 'error', message: `track "${sanitizeText(name)}" is defined twice`});
      continue;
    }
    tracks.push({
      name,
      goal: column('goal') || null,
      description: column('description') || null,
      color: color && HEX_COLOR.test(color) ? color.toUpperCase() : null,
      icon: column('icon') || null,
      sortOrder: Number.isFinite(order) && order > 0 ? order : tracks.length + 1,
      line: lineNumber,
    });
  }
  return tracks;
}

/** Finds the track a mapping heading means: same name, or the heading is the start of the name. */
function matchGroup(group: string, tracks: SpecTrack[]): {track: SpecTrack | null; ambiguous: SpecTrack[]} {
  const exactName = tracks.filter((track) => normalizeTrackName(track.name) === normalizeTrackName(group));
  if (exactName.length === 1) return {track: exactName[0], ambiguous: []};
  const wanted = headingKey(group);
  const exact = tracks.filter((track) => headingKey(track.name) === wanted);
  if (exact.length === 1) return {track: exact[0], ambiguous: []};
  const partial = tracks.filter((track) => {
    const name = headingKey(track.name);
    return name.startsWith(`${wanted} `) || wanted.startsWith(`${name} `);
  });
  if (partial.length === 1) return {track: partial[0], ambiguous: []};
  return {track: null, ambiguous: partial};
}

function parseMapping(lines: string[], section: Section, tracks: SpecTrack[], problems: SpecProblem[], groups: MappingGroup[]): MappingEntry[] {
  const mapping: MappingEntry[] = [];
  const firstLineById = new Map<string, MappingEntry>();
  let group: {name: string; track: string | null; valid: boolean} | null = null;
  for (let index = section.start; index < section.end; index++) {
    const line = lines[index];
    const lineNumber = index + 1;
    const heading = /^###\s+(.+?)\s*$/.exec(line);
    if (heading) {
      const name = heading[1];
      const {track, ambiguous} = matchGroup(name, tracks);
      if (track) group = {name, track: track.name, valid: true};
      else if (NO_TRACK_GROUP.test(name.replace(/\([^)]*\)/g, ''))) group = {name, track: null, valid: true};
      if (group?.name === name && group.valid) groups.push({name, track: group.track, line: lineNumber, lastLine: lineNumber});
      else {
        const hint = ambiguous.length
          ? `it could be any of ${ambiguous.map((t) => t.name).join(', ')}`
          : 'rename it to a track from the table, or to "Uncategorized" for WOs that get no track';
        problems.push({line: lineNumber, level: 'error', message: `group "${sanitizeText(name)}" matches no track: ${hint}`});
        group = {name, track: null, valid: false};
      }
      continue;
    }
    if (!LIST_ITEM.test(line)) continue;
    const entry = MAPPING_LINE.exec(line);
    if (!entry) {
      problems.push({line: lineNumber, level: 'error', message: `"${sanitizeText(line.trim())}" is not a mapping line; write it as "- WO-YYYY-NNN: title"`});
      continue;
    }
    if (!group) {
      problems.push({line: lineNumber, level: 'error', message: `${entry[1]} is listed before any "### Track" heading`});
      continue;
    }
    if (!group.valid) continue;
    const [, id, title] = entry;
    const earlier = firstLineById.get(id);
    if (earlier) {
      const same = earlier.track === group.track;
      problems.push({
        line: lineNumber,
        level: same ? 'warning' : 'error',
        message: same
          ? `${id} is listed twice under "${sanitizeText(group.name)}" (first at line ${earlier.line}); the repeat is ignored`
          : `${id} is listed under "${sanitizeText(group.name)}" and under "${sanitizeText(earlier.group)}" (line ${earlier.line}); keep it in one group`,
      });
      continue;
    }
    const mapped: MappingEntry = {id, title: title.trim(), group: group.name, track: group.track, line: lineNumber};
    if (groups.length) groups[groups.length - 1].lastLine = lineNumber;
    firstLineById.set(id, mapped);
    mapping.push(mapped);
  }
  return mapping;
}

/**
 * Parses a track-assignment work order: its track table and its mapping lists. Every doubtful
 * line is reported with its number; nothing is guessed silently.
 */
export function parseTrackSpec(rawText: string, source: string): TrackSpec {
  const text = normalizeNewlines(rawText);
  const front = readFrontMatter(text, source);
  const problems: SpecProblem[] = front.problems.map((problem) => ({
    line: problem.line ?? 1,
    level: 'error',
    message: problem.message,
  }));
  const lines = text.split('\n');
  let bodyStart = 0;
  if (front.data !== null) {
    const close = lines.findIndex((line, index) => index > 0 && /^---\s*$/.test(line));
    bodyStart = close === -1 ? lines.length : close + 1;
  }
  const all = sections(lines, bodyStart);
  const tableSection = all.find((section) => /track/i.test(section.title) && /(definition|create|tracks$)/i.test(section.title));
  const mappingSection = all.find((section) => /(assignment|mapping)/i.test(section.title));
  const tracks = tableSection ? parseTrackTable(lines, tableSection, problems) : [];
  if (!tableSection) problems.push({line: 1, level: 'error', message: 'has no "## Track Definitions" section with a table of tracks'});
  else if (!tracks.length) problems.push({line: tableSection.start, level: 'error', message: 'the track table has no rows'});
  const groups: MappingGroup[] = [];
  const mapping = mappingSection ? parseMapping(lines, mappingSection, tracks, problems, groups) : [];
  if (!mappingSection) problems.push({line: 1, level: 'error', message: 'has no "## Assignment Mapping" section'});
  const data = front.data ?? {};
  return {
    id: typeof data.id === 'string' ? data.id : '',
    title: typeof data.title === 'string' ? data.title : '',
    source,
    hash: createHash('sha256').update(text).digest('hex').slice(0, 16),
    tracks: tracks.sort((a, b) => a.sortOrder - b.sortOrder),
    mapping,
    groups,
    mappingEnd: mappingSection ? mappingSection.end + 1 : null,
    problems,
  };
}

export function specErrors(spec: TrackSpec): SpecProblem[] {
  return spec.problems.filter((problem) => problem.level === 'error');
}

export function formatSpecProblem(spec: TrackSpec, problem: SpecProblem): string {
  return `${spec.source}:${problem.line}: ${problem.message}`;
}

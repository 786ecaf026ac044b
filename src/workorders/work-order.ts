import {sanitizeText} from './sanitize.js';

export const KNOWN_STATUSES = [
  'backlog',
  'ready',
  'building',
  'ai_review',
  'you_review',
  'done',
  'blocked',
  'parked',
] as const;

/** A work order as the wizard uses it, whatever shape it arrived in. */
export type WorkOrder = {
  id: string;
  /** Raw title as written; never print it, use safeTitle. */
  title: string;
  /** Title with escape sequences and control characters removed. */
  safeTitle: string;
  goal: string | null;
  status: string;
  tags: string[];
  dependsOn: string[];
  priority: number | null;
  createdAt: string | null;
  updatedAt: string | null;
  era: string | null;
  /** Track the WO sits on now (server data); null when none or unknown. */
  trackId: string | null;
  /** Every track it sits on, on servers that allow several (the first is trackId). */
  trackIds?: string[];
  /** Context and acceptance criteria as one text, for similarity between WOs. */
  text?: string;
  /** Other WO ids its front matter or body mentions (ranges expanded), for the suggester. */
  mentions?: string[];
  /** Where it was read from: a file path for local folders, the route for the API. */
  source: string;
  /** Set when the front matter could not be parsed and the fields were recovered line by line. */
  recovered?: boolean;
};

export type LoadProblem = {
  /** The file (or route) the problem is about. */
  file: string;
  line?: number;
  level: 'error' | 'warning' | 'note';
  message: string;
};

export function formatProblem(problem: LoadProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  return `${where}: ${problem.message}`;
}

const WO_ID = /^WO-\d{4}-\d+$/;

export function looksLikeWorkOrderId(value: string): boolean {
  return WO_ID.test(value);
}

function asString(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date && !Number.isNaN(value.getTime())) return isoDate(value);
  return null;
}

// YAML reads an unquoted 2026-01-15 as a Date at midnight UTC; keep the date the author wrote.
function isoDate(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** A list field may be a YAML list, a comma-separated string, or missing. */
export function asStringList(value: unknown): string[] {
  if (value == null) return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
  const out: string[] = [];
  for (const item of items) {
    const text = asString(item);
    if (text == null) continue;
    const trimmed = text.trim();
    if (trimmed) out.push(trimmed);
  }
  return out;
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() && Number.isFinite(Number(value))) return Number(value);
  return null;
}

export type NormalizeResult = {workOrder: WorkOrder | null; problems: LoadProblem[]};

/**
 * Turns front matter (or an API object) into a WorkOrder. `fallbackId` is used when the data has
 * no id (a file named after its WO). Problems name `source`.
 */
export function normalizeWorkOrder(
  data: Record<string, unknown>,
  source: string,
  fallbackId?: string,
): NormalizeResult {
  const problems: LoadProblem[] = [];
  let id = asString(data.id)?.trim() ?? '';
  if (!id && fallbackId) {
    id = fallbackId;
    problems.push({file: source, level: 'warning', message: `has no id; using ${fallbackId} from the file name`});
  }
  if (!id) {
    return {workOrder: null, problems: [{file: source, level: 'error', message: 'has no id in its front matter; add `id: WO-YYYY-NNN` or it cannot be planned'}]};
  }
  const title = asString(data.title) ?? '';
  if (!title.trim()) problems.push({file: source, level: 'warning', message: `${id} has no title`});
  const status = (asString(data.status) ?? '').trim();
  if (status && !(KNOWN_STATUSES as readonly string[]).includes(status)) {
    problems.push({file: source, level: 'note', message: `${id} has status "${sanitizeText(status)}", which PCC does not list; it is kept as is`});
  }
  const track = data.track as {id?: unknown} | null | undefined;
  const trackIds = Array.isArray(data.trackIds) ? data.trackIds.filter((value): value is string => typeof value === 'string' && value.trim() !== '') : [];
  const trackId = asString(data.trackId) ?? asString(track?.id) ?? asString(trackIds[0]) ?? null;
  const allTrackIds = trackId && trackId.trim() ? [...new Set([trackId, ...trackIds])] : trackIds;
  return {
    workOrder: {
      id,
      title,
      safeTitle: sanitizeText(title),
      goal: asString(data.goal),
      status: status || 'backlog',
      tags: asStringList(data.tags),
      dependsOn: asStringList(data.depends_on ?? data.dependsOn),
      priority: asNumber(data.priority),
      createdAt: asString(data.created_at ?? data.created ?? data.createdAt),
      updatedAt: asString(data.updated_at ?? data.updated ?? data.updatedAt),
      era: asString(data.era),
      trackId: trackId && trackId.trim() ? trackId : null,
      text: [...asStringList(data.context), ...asStringList(data.acceptance_criteria)].join(' '),
      mentions: mentionedIds(fieldText(data), id),
      ...(allTrackIds.length > 1 ? {trackIds: allTrackIds} : {}),
      source,
    },
    problems,
  };
}

/** Fields that hold the WO's own identity or placement, not mentions of others. */
const NOT_MENTIONS = new Set(['id', 'track', 'trackId', 'trackIds', 'track_id']);
/** Bounds on what one WO's fields may make the mention scan read. */
const FIELD_DEPTH = 4;
const FIELD_STRINGS = 5_000;

/** Every string in the WO's fields (title, goal, context, `related:`, anything), one per line. */
function fieldText(data: Record<string, unknown>): string {
  const strings: string[] = [];
  const walk = (value: unknown, depth: number) => {
    if (strings.length >= FIELD_STRINGS) return;
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) {
      if (depth < FIELD_DEPTH) for (const item of value) walk(item, depth + 1);
    } else if (value && typeof value === 'object' && !(value instanceof Date) && depth < FIELD_DEPTH) {
      for (const item of Object.values(value)) walk(item, depth + 1);
    }
  };
  for (const [key, value] of Object.entries(data)) if (!NOT_MENTIONS.has(key)) walk(value, 0);
  return strings.join('\n');
}

/**
 * An id, and perhaps the end of a range after it. An id right after a colon belongs to another
 * project (`other-repo:WO-2025-001`) and is not matched.
 */
const MENTION = /(?<![\w.-]:)\bWO-(\d{4})-(\d{1,5})\b(?:\s*(through|thru|to|–|—|-|\.\.)\s*(?<![\w.-]:)(?:WO-(\d{4})-)?(\d{1,5})\b)?/gi;
/** The most ids one range expands to. */
const RANGE_LIMIT = 40;

/**
 * WO ids a text mentions, with ranges expanded ("WO-2026-060 through 064", "WO-2026-060 to
 * WO-2026-064"; at most 40 ids a range), without the WO's own id. A bare number after an id is a
 * range's end only when written as wide as the id's ("WO-2026-060 through 064"): "WO-2026-010 to
 * 50 workers" is prose. Both ids of a range too wide or backwards are kept, without expanding.
 */
export function mentionedIds(text: string, self: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    const [, year, from, , toYear, to] = match;
    const width = from.length;
    found.add(`WO-${year}-${from}`);
    if (!to) continue;
    if (toYear) found.add(`WO-${toYear}-${to}`);
    else if (to.length !== width) continue;
    if (toYear && toYear !== year) continue;
    const start = Number(from);
    const end = Number(to);
    if (end > start && end - start <= RANGE_LIMIT) for (let n = start + 1; n <= end; n++) found.add(`WO-${year}-${String(n).padStart(width, '0')}`);
  }
  found.delete(self);
  return [...found];
}

import {changeOf, computeChanges} from '../../plan/changes.js';
import type {Plan, PlanItem} from '../../plan/plan-types.js';
import {sanitizeText} from '../../workorders/sanitize.js';
import {currentCounts, NONE_GROUP, plannedCounts, REVIEW_GROUP} from './groups.js';

export type ConfirmRow = {Track: string; Now: number; Planned: number; Change: string; Create: string};

/** One line of the confirm screen's scrolling body: a table row, a group heading, or a change. */
export type ConfirmLine = {kind: 'row'; row: ConfirmRow} | {kind: 'gap'} | {kind: 'heading'; text: string} | {kind: 'change'; sign: '+' | '~' | '-'; text: string};

const SIGN = {assign: '+', move: '~', clear: '-'} as const;

// The body is the same for every key press on a plan: compute it once per items array.
const cache = new WeakMap<readonly PlanItem[], ConfirmLine[]>();

/**
 * The confirm screen's body: a row per track (now → planned), then every change per WO grouped
 * by where it goes, as `terraform plan` lists resources. It scrolls as one list, so no changing
 * track is ever hidden on a short terminal.
 */
export function confirmLines(plan: Plan): ConfirmLine[] {
  const cached = cache.get(plan.items);
  if (cached) return cached;
  const now = currentCounts(plan);
  const planned = plannedCounts(plan);
  const delta = (after: number, before: number) => (after === before ? '=' : `${after > before ? '+' : ''}${after - before}`);
  const lines: ConfirmLine[] = plan.tracks.map((track) => {
    const after = planned[track.key] ?? 0;
    const before = now[track.key] ?? 0;
    return {kind: 'row', row: {Track: sanitizeText(track.name), Now: before, Planned: after, Change: track.duplicateOf ? 'delete' : delta(after, before), Create: track.existingId ? '' : 'yes'}};
  });
  const noTrack = (planned[NONE_GROUP] ?? 0) + (planned[REVIEW_GROUP] ?? 0);
  lines.push({kind: 'row', row: {Track: 'No track', Now: now[NONE_GROUP] ?? 0, Planned: noTrack, Change: delta(noTrack, now[NONE_GROUP] ?? 0), Create: ''}});
  const {changes} = computeChanges(plan);
  if (changes.length) {
    const nameOf = new Map(plan.tracks.map((track) => [track.key, sanitizeText(track.name)]));
    const byTarget = new Map<string | null, PlanItem[]>();
    const itemById = new Map(plan.items.map((item) => [item.id, item]));
    for (const change of changes) {
      const list = byTarget.get(change.toKey);
      if (list) list.push(itemById.get(change.id)!);
      else byTarget.set(change.toKey, [itemById.get(change.id)!]);
    }
    const order = [...plan.tracks.map((track) => track.key), null];
    for (const key of order) {
      const items = byTarget.get(key);
      if (!items) continue;
      lines.push({kind: 'gap'}, {kind: 'heading', text: `→ ${key === null ? 'No track' : nameOf.get(key)} (${items.length})`});
      for (const item of items) {
        const change = changeOf(item)!;
        const from = change.fromKey === null ? 'no track' : nameOf.get(change.fromKey) ?? change.fromKey;
        lines.push({kind: 'change', sign: SIGN[change.kind], text: `${sanitizeText(item.id)} ${item.safeTitle} (from ${from}) · ${sanitizeText(item.reason)}`});
      }
    }
  }
  cache.set(plan.items, lines);
  return lines;
}

/** Lines the scrolling body may use: the terminal less the title, the totals, the scroll line, the path line, the notice and the footer. */
export function confirmBodyHeight(rows: number): number {
  return Math.max(2, rows - 6);
}

/** The table's top border, heading and its rule, and the bottom border: lines that are no row. */
const TABLE_FRAME = 4;

/** Wide enough for the table's borders; narrower, rows are shown as plain lines. */
export function confirmTableFits(columns: number): boolean {
  return columns >= 50;
}

/**
 * What the body shows from line `start` in `height` lines: table rows (the first brings the
 * table's frame) and then plain lines. The screen and its scrolling both lay out with this, so
 * the last line can always be scrolled to.
 */
export function confirmLayout(lines: readonly ConfirmLine[], start: number, height: number, tableFits: boolean): {rows: ConfirmRow[]; rest: ConfirmLine[]; end: number} {
  let room = height;
  let index = start;
  const rows: ConfirmRow[] = [];
  while (tableFits && index < lines.length && lines[index]!.kind === 'row' && room >= (rows.length ? 1 : TABLE_FRAME + 1)) {
    rows.push((lines[index] as {row: ConfirmRow}).row);
    room -= rows.length === 1 ? TABLE_FRAME + 1 : 1;
    index++;
  }
  const rest = lines.slice(index, index + Math.max(0, room));
  return {rows, rest, end: index + rest.length};
}

/** The first line of the body's last window: from there, every remaining line shows. */
export function confirmLastStart(lines: readonly ConfirmLine[], height: number, tableFits: boolean): number {
  let start = Math.max(0, lines.length - height);
  while (start < lines.length - 1 && confirmLayout(lines, start, height, tableFits).end < lines.length) start++;
  return start;
}

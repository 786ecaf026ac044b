import {parseTrackSpec, type TrackSpec} from './spec-parser.js';
import {sanitizeText} from '../workorders/sanitize.js';

/** Where a WO ends up: a track of the spec's table (by its name as written there), or none. */
export type MappingDecision = {id: string; title: string; track: string | null};

// A no-track group that means "we decided: none" (not a coherent meta group).
const UNCATEGORIZED_GROUP = /\b(uncategori[sz]ed|unassigned|no[ -]track|none)\b/i;

/**
 * Writes decisions into the spec's `## Assignment Mapping` with a minimal diff: a decided WO's
 * line leaves its old group and is appended to the group of its track (or a no-track group);
 * groups that do not exist yet are added at the end of the section. Every other byte stays.
 * Returns the new text and how many lines moved.
 */
export function writeMapping(rawText: string, decisions: readonly MappingDecision[]): {text: string; moved: MappingDecision[]} {
  const bom = rawText.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const body = bom ? rawText.slice(1) : rawText;
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  const lines = body.split(/\r?\n/);
  const spec: TrackSpec = parseTrackSpec(rawText, 'spec');
  if (spec.mappingEnd === null) return {text: rawText, moved: []};
  const trackNames = new Set(spec.tracks.map((track) => track.name));
  const entryById = new Map(spec.mapping.map((entry) => [entry.id, entry]));
  const removed = new Set<number>();
  const insertAfter = new Map<number, string[]>();
  const newGroups = new Map<string, string[]>();
  const moved: MappingDecision[] = [];
  const noTrackGroup = spec.groups.find((group) => group.track === null && UNCATEGORIZED_GROUP.test(group.name));
  for (const decision of decisions) {
    if (decision.track !== null && !trackNames.has(decision.track)) continue;
    const entry = entryById.get(decision.id);
    if (entry && entry.track === decision.track) continue;
    const line = `- ${decision.id}: ${sanitizeText(decision.title) || decision.id}`;
    if (entry) removed.add(entry.line - 1);
    const group = decision.track === null ? noTrackGroup : spec.groups.find((candidate) => candidate.track === decision.track);
    if (group) {
      const anchor = group.lastLine - 1;
      insertAfter.set(anchor, [...(insertAfter.get(anchor) ?? []), line]);
    } else {
      const heading = decision.track ?? 'Uncategorized';
      newGroups.set(heading, [...(newGroups.get(heading) ?? []), line]);
    }
    moved.push(decision);
  }
  if (!moved.length) return {text: rawText, moved};
  // New groups go after the section's last non-blank line.
  let end = spec.mappingEnd - 1;
  while (end > 0 && !lines[end - 1]?.trim()) end--;
  const tail: string[] = [];
  for (const [heading, items] of newGroups) tail.push('', `### ${heading}`, ...items);
  const out: string[] = [];
  lines.forEach((text, index) => {
    if (!removed.has(index)) out.push(text);
    out.push(...(insertAfter.get(index) ?? []));
    if (index === end - 1 && tail.length) out.push(...tail);
  });
  return {text: bom + out.join(eol), moved};
}

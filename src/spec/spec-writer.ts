import {parseTrackSpec, type TrackSpec} from './spec-parser.js';
import {sanitizeText} from '../workorders/sanitize.js';

/** Where a WO ends up: a track of the spec's table (by its name as written there), or none. */
export type MappingDecision = {id: string; title: string; track: string | null; suggested?: boolean};

const MAPPING_ID = /^\s*[-*+]\s+(WO-\d{4}-\d+)\b/;

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
  // Lines as the parser counts them (CRLF, CR or LF), each keeping its own ending.
  const parts = body.split(/(\r\n|\r|\n)/);
  const lines: string[] = [];
  const endings: string[] = [];
  for (let index = 0; index < parts.length; index += 2) {
    lines.push(parts[index]);
    endings.push(parts[index + 1] ?? '');
  }
  const spec: TrackSpec = parseTrackSpec(rawText, 'spec');
  if (spec.mappingEnd === null) return {text: rawText, moved: []};
  const trackNames = new Set(spec.tracks.map((track) => track.name));
  const entryById = new Map(spec.mapping.map((entry) => [entry.id, entry]));
  const removed = new Set<number>();
  const insertAfter = new Map<number, string[]>();
  const newGroups = new Map<string, string[]>();
  const moved: MappingDecision[] = [];
  const noTrackGroup = spec.groups.find((group) => group.track === null && UNCATEGORIZED_GROUP.test(group.name));
  const firstGroupLine = (spec.groups[0]?.line ?? spec.mappingEnd) - 1;
  const lineIndexes = new Map<string, number[]>();
  for (let index = firstGroupLine; index < spec.mappingEnd - 1; index++) {
    const id = MAPPING_ID.exec(lines[index] ?? '')?.[1];
    if (id) lineIndexes.set(id, [...(lineIndexes.get(id) ?? []), index]);
  }
  for (const decision of decisions) {
    if (decision.track !== null && !trackNames.has(decision.track)) continue;
    const entry = entryById.get(decision.id);
    if (entry && entry.track === decision.track) continue;
    // A listed WO's line moves as written (its title and any note stay); a new one is written.
    const line = entry ? lines[entry.line - 1] : `- ${decision.id}: ${sanitizeText(decision.title) || decision.id}`;
    // Every line of the id in the mapping goes, a repeat in the same group too.
    for (const at of lineIndexes.get(decision.id) ?? []) removed.add(at);
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
  let out = '';
  lines.forEach((text, index) => {
    const ending = endings[index];
    if (!removed.has(index)) out += text + ending;
    const added = [...(insertAfter.get(index) ?? []), ...(index === end - 1 ? tail : [])];
    // Inserted lines go after this one: it needs a line end first if it was the file's last.
    if (added.length) out += (removed.has(index) || ending ? '' : eol) + added.map((line) => line + eol).join('').slice(0, ending || index < lines.length - 1 ? undefined : -eol.length);
  });
  return {text: bom + out, moved};
}

import {createHash} from 'node:crypto';
import {normalizeTrackName, type TrackSpec} from '../spec/spec-parser.js';
import {sanitizeText} from '../workorders/sanitize.js';
import type {WorkOrder} from '../workorders/work-order.js';
import {unsendableIdReason} from '../pcc/pcc-client.js';
import type {Plan, PlanItem, PlanTrack, Suggestion} from './plan-types.js';

/** A track as the server reports it (only the fields planning needs). */
export type ServerTrack = {
  id: string;
  name: string;
  goal?: string | null;
  description?: string | null;
  color?: string | null;
  icon?: string | null;
  sortOrder?: number;
  workOrderCount?: number;
};

/** Proposes tracks for the items nothing else places; see src/suggest. */
export type Suggester = (items: readonly PlanItem[], tracks: readonly PlanTrack[]) => Map<string, Suggestion>;

export type PlanInput = {
  spec: TrackSpec;
  workOrders: readonly WorkOrder[];
  serverTracks: readonly ServerTrack[];
  project: string;
  api: string | null;
  /** When the server has a WO on another track than the mapping says, follow the mapping. */
  preferSpec?: boolean;
  suggest?: Suggester;
  /** Suggestions at or above this confidence are placed; below it they wait in Needs review. */
  minConfidence?: number;
  now?: Date;
};

/** On the pooled scale (see src/suggest): measured in `evaluate`, see the README. */
export const DEFAULT_MIN_CONFIDENCE = 0.85;

/** A suggestion's key for "no track, like the spec's coherent no-track group". */
export const NO_TRACK_SUGGESTION = '@none';

/** Identifies the data a plan was made from, so a later apply can tell when the server moved on. */
export function fingerprintOf(specHash: string, serverTracks: readonly ServerTrack[], workOrders: readonly {id: string; trackId: string | null; trackIds?: string[]}[]): string {
  const hash = createHash('sha256');
  hash.update(`spec:${specHash}\n`);
  for (const track of [...serverTracks].sort((a, b) => a.id.localeCompare(b.id))) {
    hash.update(`track:${track.id}:${normalizeTrackName(track.name)}\n`);
  }
  for (const wo of [...workOrders].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    hash.update(`wo:${wo.id}:${wo.trackIds?.length ? [...wo.trackIds].sort().join(',') : wo.trackId ?? ''}\n`);
  }
  return hash.digest('hex').slice(0, 24);
}

/** The plan key of a second server track with a taken name: no normalized name holds a newline. */
export function duplicateKey(key: string, id: string): string {
  return `${key}\n${id}`;
}

/** A server track the spec does not define, as the plan carries it. */
export function fromServer(key: string, track: ServerTrack): PlanTrack {
  return {key, name: track.name, goal: track.goal ?? null, description: track.description ?? null, color: track.color ?? null, icon: track.icon ?? null, sortOrder: track.sortOrder ?? 0, existingId: track.id, inSpec: false};
}

function planTracks(spec: TrackSpec, serverTracks: readonly ServerTrack[], warnings: string[]): PlanTrack[] {
  // Tracks that share a name: the copy with the most WOs stays (the first listed on a tie).
  const sameName = new Map<string, ServerTrack[]>();
  for (const track of serverTracks) {
    const key = normalizeTrackName(track.name);
    const list = sameName.get(key);
    if (list) list.push(track);
    else sameName.set(key, [track]);
  }
  const serverByName = new Map<string, ServerTrack>();
  const duplicates: PlanTrack[] = [];
  for (const [key, copies] of sameName) {
    const kept = copies.reduce((best, track) => ((track.workOrderCount ?? 0) > (best.workOrderCount ?? 0) ? track : best));
    serverByName.set(key, kept);
    if (copies.length === 1) continue;
    const others = copies.filter((track) => track !== kept);
    const count = (track: ServerTrack) => `${track.id} (${track.workOrderCount ?? 0} WO${track.workOrderCount === 1 ? '' : 's'})`;
    warnings.push(`The server has ${copies.length} tracks named "${sanitizeText(kept.name)}": ${count(kept)} stays; ${others.map(count).join(', ')} ${others.length === 1 ? 'is a copy' : 'are copies'}: the plan moves ${others.length === 1 ? 'its' : 'their'} WOs to the first and deletes ${others.length === 1 ? 'it' : 'them'}.`);
    for (const copy of others) {
      duplicates.push({...fromServer(duplicateKey(key, copy.id), copy), name: `${copy.name} (copy ${copy.id.slice(0, 8)})`, duplicateOf: key});
    }
  }
  const tracks: PlanTrack[] = spec.tracks.map((track) => {
    const key = normalizeTrackName(track.name);
    const existing = serverByName.get(key);
    return {
      key,
      name: track.name,
      goal: track.goal,
      description: track.description,
      color: track.color,
      icon: track.icon,
      sortOrder: track.sortOrder,
      existingId: existing?.id ?? null,
      inSpec: true,
    };
  });
  const specKeys = new Set(tracks.map((track) => track.key));
  const extra = [...serverByName.entries()]
    .filter(([key]) => !specKeys.has(key))
    .map(([key, track]) => fromServer(key, track))
    .sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name));
  return [...tracks, ...extra, ...duplicates];
}

/**
 * Gives every work order exactly one planned track or none, and says why. Order of authority:
 * an assignment already on the server (unless preferSpec), then the spec's mapping, then a
 * confident suggestion; the rest wait in Needs review.
 */
export function buildPlan(input: PlanInput): Plan {
  const {spec, workOrders, serverTracks} = input;
  const warnings: string[] = [];
  const tracks = planTracks(spec, serverTracks, warnings);
  const keyByServerId = new Map<string, string>();
  for (const track of tracks) if (track.existingId) keyByServerId.set(track.existingId, track.key);
  const trackName = new Map(tracks.map((track) => [track.key, track.name]));
  const mappingById = new Map(spec.mapping.map((entry) => [entry.id, entry]));
  const specLabel = spec.id || 'the spec';

  // One label per group, not one sanitising pass per WO.
  const groupLabel = new Map<string, string>();
  const labelOf = (group: string) => {
    let label = groupLabel.get(group);
    if (label === undefined) groupLabel.set(group, (label = `listed under "${sanitizeText(group)}" in ${specLabel}`));
    return label;
  };
  const keyOfTrackName = new Map<string, string>();
  const keyOf = (name: string) => {
    let key = keyOfTrackName.get(name);
    if (key === undefined) keyOfTrackName.set(name, (key = normalizeTrackName(name)));
    return key;
  };

  const copyOf = new Map(tracks.filter((track) => track.duplicateOf).map((track) => [track.key, track.duplicateOf!]));
  const sendable = workOrders.filter((wo) => {
    const unsafe = unsendableIdReason(wo.id);
    if (unsafe) warnings.push(`${sanitizeText(wo.source)}: the WO id ${JSON.stringify(sanitizeText(wo.id))} ${unsafe}, so it cannot be assigned safely; it is left out of the plan (give it an id such as WO-YYYY-NNN).`);
    return !unsafe;
  });
  const items: PlanItem[] = sendable.map((wo) => {
    let currentKey: string | null = null;
    if (wo.trackId) {
      currentKey = keyByServerId.get(wo.trackId) ?? null;
      if (!currentKey) warnings.push(`${sanitizeText(wo.id)} points at track ${sanitizeText(wo.trackId)}, which the server does not list; it is treated as having no track.`);
    }
    // A WO on a second copy of a track name is decided as if it were on the copy that stays.
    const homeKey = currentKey === null ? null : copyOf.get(currentKey) ?? currentKey;
    const mapped = mappingById.get(wo.id);
    const mappedKey = mapped ? (mapped.track === null ? null : keyOf(mapped.track)) : undefined;
    const item: PlanItem = {
      id: wo.id,
      title: wo.title,
      safeTitle: wo.safeTitle,
      status: wo.status,
      goal: wo.goal,
      tags: wo.tags,
      dependsOn: wo.dependsOn,
      currentTrackId: currentKey ? wo.trackId : null,
      currentKey,
      plannedKey: null,
      source: 'uncategorized',
      reason: '',
    };
    // Several tracks, or one the server does not list: keep the raw ids, for drift checks and undo.
    const rawIds = wo.trackIds ?? (wo.trackId ? [wo.trackId] : []);
    if (rawIds.length > 1 || (rawIds.length === 1 && !currentKey)) item.currentTrackIds = [...rawIds];
    if (mapped) item.mappedKey = mappedKey;
    if (wo.recovered) item.recovered = true;
    const onServer = homeKey ? `already on "${sanitizeText(trackName.get(homeKey) ?? homeKey)}" on the server${homeKey !== currentKey ? ' (on a second copy of it, which the plan merges into the first)' : ''}` : '';
    if (mapped && homeKey && homeKey !== mappedKey && !input.preferSpec) {
      const target = mappedKey === null ? 'no track' : `"${trackName.get(mappedKey!)}"`;
      warnings.push(`${sanitizeText(wo.id)} is on "${sanitizeText(trackName.get(homeKey) ?? homeKey)}" on the server but ${specLabel} maps it to ${target}; it stays where it is (pass --prefer-spec to follow the spec).`);
      item.plannedKey = homeKey;
      item.source = 'kept';
      item.reason = `${onServer}; the spec maps it to ${target}`;
    } else if (mapped) {
      item.plannedKey = mappedKey ?? null;
      item.source = 'mapping';
      item.reason = `${labelOf(mapped.group)} (line ${mapped.line})`;
    } else if (homeKey) {
      item.plannedKey = homeKey;
      item.source = 'kept';
      item.reason = onServer;
    } else {
      item.reason = `not in ${specLabel}'s mapping and on no track`;
    }
    if (item.currentTrackIds && item.currentTrackIds.length > 1) {
      const names = item.currentTrackIds.map((id) => sanitizeText(trackName.get(keyByServerId.get(id) ?? '') ?? id));
      item.reason += `; on ${names.length} tracks now (${names.join(', ')}): it ends on ${item.plannedKey === null ? 'none' : 'one'}`;
    }
    return item;
  });

  if (input.suggest) {
    const minConfidence = input.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
    const suggestions = input.suggest(items, tracks);
    for (const item of items) {
      const suggestion = suggestions.get(item.id);
      if (!suggestion || item.source !== 'uncategorized') continue;
      item.suggestion = suggestion;
      const noTrack = suggestion.key === NO_TRACK_SUGGESTION;
      const guess = noTrack ? 'no track' : `"${trackName.get(suggestion.key)}"`;
      if (suggestion.confidence >= minConfidence) {
        // The no-track class: like the spec's coherent no-track group, it stays on no track by decision.
        item.plannedKey = noTrack ? null : suggestion.key;
        item.source = 'suggested';
        item.reason = `suggested ${noTrack ? 'no track ' : ''}(${Math.round(suggestion.confidence * 100)}%): ${suggestion.reason}`;
      } else {
        item.reason = `${item.reason}; best guess ${guess} at ${Math.round(suggestion.confidence * 100)}% is below the bar of ${Math.round(minConfidence * 100)}%`;
      }
    }
  }

  const projectIds = new Set(workOrders.map((wo) => wo.id));
  return {
    format: 'pcc-track-wizard/plan',
    version: 1,
    createdAt: (input.now ?? new Date()).toISOString(),
    project: input.project,
    api: input.api,
    spec: {id: spec.id, title: spec.title, source: spec.source, hash: spec.hash},
    fingerprint: fingerprintOf(spec.hash, serverTracks, workOrders),
    tracks,
    items,
    notInProject: spec.mapping
      .filter((entry) => !projectIds.has(entry.id))
      .map((entry) => ({id: entry.id, title: entry.title, trackKey: entry.track === null ? null : normalizeTrackName(entry.track), line: entry.line})),
    notInMapping: sendable.filter((wo) => !mappingById.has(wo.id)).map((wo) => wo.id),
    warnings,
  };
}

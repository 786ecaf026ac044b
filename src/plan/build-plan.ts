import {createHash} from 'node:crypto';
import {normalizeTrackName, type TrackSpec} from '../spec/spec-parser.js';
import {sanitizeText} from '../workorders/sanitize.js';
import type {WorkOrder} from '../workorders/work-order.js';
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

export const DEFAULT_MIN_CONFIDENCE = 0.6;

/** Identifies the data a plan was made from, so a later apply can tell when the server moved on. */
export function fingerprintOf(specHash: string, serverTracks: readonly ServerTrack[], workOrders: readonly {id: string; trackId: string | null}[]): string {
  const hash = createHash('sha256');
  hash.update(`spec:${specHash}\n`);
  for (const track of [...serverTracks].sort((a, b) => a.id.localeCompare(b.id))) {
    hash.update(`track:${track.id}:${normalizeTrackName(track.name)}\n`);
  }
  for (const wo of [...workOrders].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    hash.update(`wo:${wo.id}:${wo.trackId ?? ''}\n`);
  }
  return hash.digest('hex').slice(0, 24);
}

function planTracks(spec: TrackSpec, serverTracks: readonly ServerTrack[], warnings: string[]): PlanTrack[] {
  const serverByName = new Map<string, ServerTrack>();
  for (const track of serverTracks) {
    const key = normalizeTrackName(track.name);
    if (serverByName.has(key)) {
      warnings.push(`The server has two tracks named "${sanitizeText(track.name)}"; the first (${serverByName.get(key)!.id}) is used.`);
      continue;
    }
    serverByName.set(key, track);
  }
  const tracks: PlanTrack[] = spec.tracks.map((track) => {
    const key = normalizeTrackName(track.name);
    const existing = serverByName.get(key);
    return {
      key,
      name: track.name,
      goal: track.goal,
      description: track.description ?? track.goal,
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
    .map(([key, track]) => ({
      key,
      name: track.name,
      goal: track.goal ?? null,
      description: track.description ?? null,
      color: track.color ?? null,
      icon: track.icon ?? null,
      sortOrder: track.sortOrder ?? 0,
      existingId: track.id,
      inSpec: false,
    }))
    .sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name));
  return [...tracks, ...extra];
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

  const items: PlanItem[] = workOrders.map((wo) => {
    let currentKey: string | null = null;
    if (wo.trackId) {
      currentKey = keyByServerId.get(wo.trackId) ?? null;
      if (!currentKey) warnings.push(`${wo.id} points at track ${sanitizeText(wo.trackId)}, which the server does not list; it is treated as having no track.`);
    }
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
    if (mapped) item.mappedKey = mappedKey;
    if (wo.recovered) item.recovered = true;
    const onServer = currentKey ? `already on "${trackName.get(currentKey)}" on the server` : '';
    if (mapped && currentKey && currentKey !== mappedKey && !input.preferSpec) {
      const target = mappedKey === null ? 'no track' : `"${trackName.get(mappedKey!)}"`;
      warnings.push(`${wo.id} is on "${trackName.get(currentKey)}" on the server but ${specLabel} maps it to ${target}; it stays where it is (pass --prefer-spec to follow the spec).`);
      item.plannedKey = currentKey;
      item.source = 'kept';
      item.reason = `${onServer}; the spec maps it to ${target}`;
    } else if (mapped) {
      item.plannedKey = mappedKey ?? null;
      item.source = 'mapping';
      item.reason = `${labelOf(mapped.group)} (line ${mapped.line})`;
    } else if (currentKey) {
      item.plannedKey = currentKey;
      item.source = 'kept';
      item.reason = onServer;
    } else {
      item.reason = `not in ${specLabel}'s mapping and on no track`;
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
      if (suggestion.confidence >= minConfidence) {
        item.plannedKey = suggestion.key;
        item.source = 'suggested';
        item.reason = `suggested (${Math.round(suggestion.confidence * 100)}%): ${suggestion.reason}`;
      } else {
        item.reason = `${item.reason}; best guess "${trackName.get(suggestion.key)}" at ${Math.round(suggestion.confidence * 100)}% is below the bar`;
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
    notInMapping: workOrders.filter((wo) => !mappingById.has(wo.id)).map((wo) => wo.id),
    warnings,
  };
}

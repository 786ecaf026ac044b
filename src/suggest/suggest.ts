import type {Suggester} from '../plan/build-plan.js';
import type {PlanItem, PlanTrack, Suggestion, TrackCandidate} from '../plan/plan-types.js';
import {tokenize} from './tokenize.js';

/** How much each signal counts; dependencies are the most telling in PCC's data. */
const WEIGHTS = {tag: 1, dependsOn: 1.4, dependent: 1, word: 0.7};
/** Evidence needed before a suggestion gets near full confidence. */
const EVIDENCE_SCALE = 1.5;

type Counts = Map<string, Map<string, number>>;

function bump(counts: Counts, feature: string, track: string, by = 1): void {
  let perTrack = counts.get(feature);
  if (!perTrack) counts.set(feature, (perTrack = new Map()));
  perTrack.set(track, (perTrack.get(track) ?? 0) + by);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** What the engine learns from placed WOs: which tags and words go with which track. */
export type SuggestionModel = {
  tracks: readonly PlanTrack[];
  tagCounts: Counts;
  tagTotals: Map<string, number>;
  wordCounts: Counts;
  wordTotals: Map<string, number>;
  /** Track of each placed WO, for the dependency signal. */
  trackOf: Map<string, string>;
  /** Who depends on whom (reverse edges). */
  dependents: Map<string, string[]>;
  examples: number;
};

function wordsOf(item: Pick<PlanItem, 'safeTitle' | 'goal'>): string[] {
  return unique([...tokenize(item.safeTitle), ...tokenize(item.goal)]);
}

function localId(id: string): string | null {
  return id.includes(':') ? null : id;
}

/** Learns from every WO with a track from the mapping or the server. */
export function buildModel(items: readonly PlanItem[], tracks: readonly PlanTrack[]): SuggestionModel {
  const model: SuggestionModel = {tracks, tagCounts: new Map(), tagTotals: new Map(), wordCounts: new Map(), wordTotals: new Map(), trackOf: new Map(), dependents: new Map(), examples: 0};
  for (const item of items) {
    for (const dependency of item.dependsOn) {
      const id = localId(dependency);
      if (!id) continue;
      const list = model.dependents.get(id) ?? [];
      list.push(item.id);
      model.dependents.set(id, list);
    }
    if (item.plannedKey === null || (item.source !== 'mapping' && item.source !== 'kept')) continue;
    model.examples++;
    model.trackOf.set(item.id, item.plannedKey);
    for (const tag of unique(item.tags.map((tag) => tag.toLowerCase()))) {
      bump(model.tagCounts, tag, item.plannedKey);
      model.tagTotals.set(tag, (model.tagTotals.get(tag) ?? 0) + 1);
    }
    for (const word of wordsOf(item)) {
      bump(model.wordCounts, word, item.plannedKey);
      model.wordTotals.set(word, (model.wordTotals.get(word) ?? 0) + 1);
    }
  }
  // A track's own name, goal and description count as one more example of its words.
  for (const track of tracks) {
    for (const word of unique([...tokenize(track.name), ...tokenize(track.goal), ...tokenize(track.description)])) {
      bump(model.wordCounts, word, track.key);
      model.wordTotals.set(word, (model.wordTotals.get(word) ?? 0) + 1);
    }
  }
  return model;
}

type Evidence = {score: number; tags: string[]; dependsOn: string[]; dependents: string[]; words: string[]};

/**
 * Scores every track for one WO. With `holdOut`, the WO's own placement is taken out of the
 * counts first (used by evaluate to predict a mapped WO from the others).
 */
function score(model: SuggestionModel, item: PlanItem, holdOut: string | null): Map<string, Evidence> {
  const evidence = new Map<string, Evidence>();
  const get = (key: string) => {
    let entry = evidence.get(key);
    if (!entry) evidence.set(key, (entry = {score: 0, tags: [], dependsOn: [], dependents: [], words: []}));
    return entry;
  };
  const own = (track: string) => (holdOut === track ? 1 : 0);
  const examples = model.examples - (holdOut ? 1 : 0);

  // A feature (tag or word) found on few WOs says more than one found everywhere, and one split
  // between tracks gives each its share.
  const shares = (features: readonly string[], counts: Counts, totals: Map<string, number>, population: number, weight: number, field: 'tags' | 'words') => {
    for (const feature of features) {
      const total = (totals.get(feature) ?? 0) - (holdOut ? 1 : 0);
      if (total <= 0) continue;
      const rarity = Math.log(1 + population / total);
      for (const [track, count] of counts.get(feature) ?? []) {
        const n = count - own(track);
        if (n <= 0) continue;
        const entry = get(track);
        entry.score += weight * rarity * (n / total);
        entry[field].push(feature);
      }
    }
  };
  shares(unique(item.tags.map((tag) => tag.toLowerCase())), model.tagCounts, model.tagTotals, examples, WEIGHTS.tag, 'tags');

  for (const dependency of unique(item.dependsOn)) {
    const id = localId(dependency);
    const track = id ? model.trackOf.get(id) : undefined;
    if (!id || !track || id === item.id) continue;
    const entry = get(track);
    entry.score += WEIGHTS.dependsOn;
    entry.dependsOn.push(id);
  }
  for (const dependent of unique(model.dependents.get(item.id) ?? [])) {
    const track = model.trackOf.get(dependent);
    if (!track || dependent === item.id) continue;
    const entry = get(track);
    entry.score += WEIGHTS.dependent;
    entry.dependents.push(dependent);
  }

  // A track's own name and goal count among the word examples, hence the larger population.
  shares(wordsOf(item), model.wordCounts, model.wordTotals, examples + model.tracks.length, WEIGHTS.word, 'words');
  return evidence;
}

function describe(model: SuggestionModel, key: string, evidence: Evidence): string {
  const name = model.tracks.find((track) => track.key === key)?.name ?? key;
  const parts: string[] = [];
  if (evidence.dependsOn.length) parts.push(`depends on ${evidence.dependsOn.slice(0, 3).join(', ')} (${name})`);
  if (evidence.dependents.length) parts.push(`${evidence.dependents.slice(0, 3).join(', ')} (${name}) depend${evidence.dependents.length === 1 ? 's' : ''} on it`);
  if (evidence.tags.length) {
    const seen = Math.max(...evidence.tags.map((tag) => model.tagCounts.get(tag)?.get(key) ?? 0));
    parts.push(`tag${evidence.tags.length > 1 ? 's' : ''} ${evidence.tags.slice(0, 3).join(', ')} seen on ${seen} ${name} WO${seen === 1 ? '' : 's'}`);
  }
  if (evidence.words.length) parts.push(`words ${evidence.words.slice(0, 3).join(', ')}`);
  return parts.join('; ');
}

/** The best track for one WO with a confidence in [0, 1], or null when nothing points anywhere. */
export function suggestFor(model: SuggestionModel, item: PlanItem, holdOut: string | null = null): Suggestion | null {
  const evidence = score(model, item, holdOut);
  const ranked = [...evidence.entries()]
    .filter(([, entry]) => entry.score > 0)
    .sort((a, b) => b[1].score - a[1].score || a[0].localeCompare(b[0]));
  if (!ranked.length) return null;
  const total = ranked.reduce((sum, [, entry]) => sum + entry.score, 0);
  // Confidence is the winner's share of all evidence, damped when there is little evidence.
  const strength = total / (total + EVIDENCE_SCALE);
  const candidates: TrackCandidate[] = ranked.slice(0, 3).map(([key, entry]) => ({key, confidence: Number(((entry.score / total) * strength).toFixed(3))}));
  const [bestKey, best] = ranked[0];
  return {key: bestKey, confidence: candidates[0].confidence, reason: describe(model, bestKey, best), runnerUp: candidates[1] ?? null, candidates};
}

/** The plan's suggester: learns from what is placed, proposes for what is not. */
export const suggestTracks: Suggester = (items, tracks) => {
  const model = buildModel(items, tracks);
  const suggestions = new Map<string, Suggestion>();
  for (const item of items) {
    if (item.source !== 'uncategorized') continue;
    const suggestion = suggestFor(model, item);
    if (suggestion) suggestions.set(item.id, suggestion);
  }
  return suggestions;
};

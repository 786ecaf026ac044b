import type {Suggester} from '../plan/build-plan.js';
import type {PlanItem, PlanTrack, Suggestion, TrackCandidate} from '../plan/plan-types.js';
import {tokenize} from './tokenize.js';

// Each family of evidence (tags, id links, title words, whole-text similarity, id neighbourhood)
// becomes a share over the classes, and the families are pooled with equal weight: no family's
// raw scale can swamp the others, and a WO with little evidence gets a low confidence by itself.

/** The class of WOs that a spec keeps on no track as a coherent group (e.g. "Tracks Meta"). */
export const NO_TRACK_CLASS = '@none';

const FAMILIES = ['links', 'similar', 'tags', 'words', 'neighbours'] as const;
type Family = (typeof FAMILIES)[number];
/** Placed WOs that vote by similarity. */
const K_SIMILAR = 5;
/** Postings one similarity query may walk (see the similarity family). */
const POSTINGS_BUDGET = 500;
/** WOs numbered this close count as neighbours. */
const NEIGHBOURHOOD = 3;

/** What the suggester knows of a WO beyond the plan item. */
export type SuggestExtras = {text?: string; mentions?: readonly string[]; file?: string};

/** A WO as the engine reads it; its terms as two parallel arrays (term, count): 10,000 of them. */
type Doc = {id: string; tags: string[]; words: string[]; links: string[]; terms: string[]; counts: number[]};

// One counting map, reused for every document: the documents keep compact arrays.
const counting = new Map<string, number>();
type Share = Map<string, number>;
type Counts = Map<string, Map<string, number>>;

export type SuggestionModel = {
  tracks: readonly PlanTrack[];
  labels: Map<string, string>;
  docs: Map<string, Doc>;
  tagCounts: Counts;
  tagTotals: Map<string, number>;
  wordCounts: Counts;
  wordTotals: Map<string, number>;
  /** Who links to a WO (depends on it or mentions it). */
  linkedFrom: Map<string, string[]>;
  /** Inverse document frequency of each term, over every WO. */
  idf: Map<string, number>;
  /** Term → labelled docs (by their number in `labelledIds`) with that term's weight: similarity without comparing all pairs. */
  postings: Map<string, {docs: number[]; weights: number[]}>;
  labelledIds: string[];
  norms: Float64Array;
  /** Scratch space for one similarity query, reused (the model is used by one caller at a time). */
  scores: Float64Array;
  /** Year → number → labelled id, for the neighbourhood. */
  numbers: Map<string, Map<number, string>>;
  labelled: number;
  /** Labelled WOs per class. */
  classSizes: Map<string, number>;
};

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

function bump(counts: Counts, feature: string, cls: string): void {
  let perClass = counts.get(feature);
  if (!perClass) counts.set(feature, (perClass = new Map()));
  perClass.set(cls, (perClass.get(cls) ?? 0) + 1);
}

function numberOf(id: string): {year: string; n: number} | null {
  const match = /^WO-(\d{4})-(\d+)$/.exec(id);
  return match ? {year: match[1], n: Number(match[2])} : null;
}

function docOf(item: PlanItem, extras: SuggestExtras | undefined): Doc {
  const titleWords = tokenize(item.goal ? `${item.safeTitle} ${item.goal}` : item.safeTitle);
  const words = unique(titleWords);
  // A file name usually repeats the title: only its words that add something count.
  const fileWords = extras?.file ? tokenize(extras.file.replace(/\.md$/i, '').replace(/WO-\d{4}-\d+/g, ' ')).filter((word) => !words.includes(word)) : [];
  counting.clear();
  for (const list of [titleWords, tokenize(extras?.text), fileWords]) for (const term of list) counting.set(term, (counting.get(term) ?? 0) + 1);
  const terms = [...counting.keys()];
  const counts = [...counting.values()];
  const links = unique([...item.dependsOn, ...(extras?.mentions ?? [])].filter((id) => !id.includes(':') && id !== item.id));
  return {id: item.id, tags: unique(item.tags.map((tag) => tag.toLowerCase())), words, links, terms, counts};
}

/**
 * Learns from every WO the mapping or the server places (and from a coherent no-track group, as
 * a class of its own). `labels` gives each labelled WO's class.
 */
export function buildModel(items: readonly PlanItem[], tracks: readonly PlanTrack[], labels: ReadonlyMap<string, string>, extras: ReadonlyMap<string, SuggestExtras> = new Map()): SuggestionModel {
  const model: SuggestionModel = {
    tracks,
    labels: new Map(labels),
    docs: new Map(),
    tagCounts: new Map(),
    tagTotals: new Map(),
    wordCounts: new Map(),
    wordTotals: new Map(),
    linkedFrom: new Map(),
    idf: new Map(),
    postings: new Map(),
    labelledIds: [],
    norms: new Float64Array(0),
    scores: new Float64Array(0),
    numbers: new Map(),
    labelled: 0,
    classSizes: new Map(),
  };
  const df = new Map<string, number>();
  for (const item of items) {
    const doc = docOf(item, extras.get(item.id));
    model.docs.set(item.id, doc);
    for (const term of doc.terms) df.set(term, (df.get(term) ?? 0) + 1);
    for (const target of doc.links) {
      const list = model.linkedFrom.get(target);
      if (list) list.push(item.id);
      else model.linkedFrom.set(target, [item.id]);
    }
  }
  for (const [term, count] of df) model.idf.set(term, Math.log(1 + items.length / count));
  const norms: number[] = [];
  for (const [id, cls] of labels) {
    const doc = model.docs.get(id);
    if (!doc) continue;
    model.labelled++;
    model.classSizes.set(cls, (model.classSizes.get(cls) ?? 0) + 1);
    for (const tag of doc.tags) {
      bump(model.tagCounts, tag, cls);
      model.tagTotals.set(tag, (model.tagTotals.get(tag) ?? 0) + 1);
    }
    for (const word of doc.words) {
      bump(model.wordCounts, word, cls);
      model.wordTotals.set(word, (model.wordTotals.get(word) ?? 0) + 1);
    }
    const number = model.labelledIds.length;
    model.labelledIds.push(id);
    let norm = 0;
    for (let at = 0; at < doc.terms.length; at++) {
      const term = doc.terms[at];
      const tf = doc.counts[at];
      const weight = (1 + Math.log(tf)) * (model.idf.get(term) ?? 0);
      norm += weight * weight;
      let list = model.postings.get(term);
      if (!list) model.postings.set(term, (list = {docs: [], weights: []}));
      list.docs.push(number);
      list.weights.push(weight);
    }
    norms.push(Math.sqrt(norm) || 1);
    const numbered = numberOf(id);
    if (numbered) {
      let byNumber = model.numbers.get(numbered.year);
      if (!byNumber) model.numbers.set(numbered.year, (byNumber = new Map()));
      byNumber.set(numbered.n, id);
    }
  }
  model.norms = Float64Array.from(norms);
  model.scores = new Float64Array(norms.length);
  // A track's own name and goal count as one more example of its words.
  for (const track of tracks) {
    for (const word of unique([...tokenize(track.name), ...tokenize(track.goal), ...tokenize(track.description)])) {
      bump(model.wordCounts, word, track.key);
      model.wordTotals.set(word, (model.wordTotals.get(word) ?? 0) + 1);
    }
  }
  return model;
}

/** Evidence per family for one WO, with what each family saw (for the reason). */
type Evidence = {shares: Map<Family, Share>; notes: Map<Family, Map<string, string[]>>};

function normalize(share: Share): Share | null {
  let total = 0;
  for (const value of share.values()) total += value;
  if (total <= 0) return null;
  for (const [key, value] of share) share.set(key, value / total);
  return share;
}

function add(share: Share, notes: Map<string, string[]>, cls: string, by: number, note: string): void {
  share.set(cls, (share.get(cls) ?? 0) + by);
  const list = notes.get(cls) ?? [];
  if (!list.includes(note)) list.push(note);
  notes.set(cls, list);
}

/**
 * Every family's share over the classes for one WO. With `holdOut`, the WO's own label is left
 * out of every count (used by evaluate to predict a labelled WO from the others).
 */
function evidenceFor(model: SuggestionModel, doc: Doc, holdOut: string | null): Evidence {
  const evidence: Evidence = {shares: new Map(), notes: new Map()};
  const own = holdOut ? model.labels.get(doc.id) : undefined;
  const labelOf = (id: string) => (id === doc.id ? undefined : model.labels.get(id));
  const family = (name: Family, fill: (share: Share, notes: Map<string, string[]>) => void) => {
    const share: Share = new Map();
    const notes = new Map<string, string[]>();
    fill(share, notes);
    const normalized = normalize(share);
    if (normalized) {
      evidence.shares.set(name, normalized);
      evidence.notes.set(name, notes);
    }
  };
  const sizes = model.classSizes;
  const featureShares = (features: readonly string[], counts: Counts, totals: Map<string, number>) => (share: Share, notes: Map<string, string[]>) => {
    const population = model.labelled - (own ? 1 : 0) + model.tracks.length;
    for (const feature of features) {
      const total = (totals.get(feature) ?? 0) - (own ? 1 : 0);
      if (total <= 0) continue;
      // A feature found on few WOs says more than one found everywhere.
      const rarity = Math.log(1 + population / total);
      // How typical the feature is of each class, relative to the class's size: a large track
      // shows up on more features and must not win on size alone.
      for (const [cls, count] of counts.get(feature) ?? []) {
        const n = count - (cls === own ? 1 : 0);
        const size = (sizes.get(cls) ?? 0) - (cls === own ? 1 : 0) + 1;
        if (n > 0) add(share, notes, cls, (rarity * n) / size, feature);
      }
    }
  };

  family('links', (share, notes) => {
    for (const target of doc.links) {
      const cls = labelOf(target);
      if (cls) add(share, notes, cls, 1, `mentions ${target}`);
    }
    for (const source of model.linkedFrom.get(doc.id) ?? []) {
      const cls = labelOf(source);
      if (cls) add(share, notes, cls, 1, `mentioned by ${source}`);
    }
  });

  family('similar', (share, notes) => {
    const scores = model.scores;
    const touched: number[] = [];
    let norm = 0;
    // The rarest terms carry the comparison; very common ones are skipped for speed.
    const terms = doc.terms
      .map((term, at) => ({term, weight: (1 + Math.log(doc.counts[at])) * (model.idf.get(term) ?? 0)}))
      .sort((a, b) => b.weight - a.weight)
      .slice(0, 40);
    // Rarest terms first, within a budget of postings per query: at 10,000 WOs the common terms
    // would cost most of the time and change few of the k nearest.
    let budget = POSTINGS_BUDGET;
    for (const {term, weight} of terms) {
      norm += weight * weight;
      const list = model.postings.get(term);
      if (!list || budget <= 0 || list.docs.length > Math.max(50, model.labelled * 0.3)) continue;
      budget -= list.docs.length;
      const {docs, weights} = list;
      for (let at = 0; at < docs.length; at++) {
        const index = docs[at];
        if (scores[index] === 0) touched.push(index);
        scores[index] += weight * weights[at];
      }
    }
    // The k best in one pass, without sorting every candidate.
    const top: {id: string; similarity: number}[] = [];
    const queryNorm = Math.sqrt(norm) || 1;
    for (const index of touched) {
      const id = model.labelledIds[index];
      const similarity = scores[index] / (queryNorm * model.norms[index]);
      scores[index] = 0;
      if (id === doc.id) continue;
      if (top.length === K_SIMILAR && similarity <= top[K_SIMILAR - 1].similarity) continue;
      top.push({id, similarity});
      top.sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1));
      if (top.length > K_SIMILAR) top.pop();
    }
    for (const {id, similarity} of top) {
      const cls = labelOf(id);
      if (cls && similarity > 0.05) add(share, notes, cls, similarity, id);
    }
  });

  family('tags', featureShares(doc.tags, model.tagCounts, model.tagTotals));
  family('words', featureShares(doc.words, model.wordCounts, model.wordTotals));

  family('neighbours', (share, notes) => {
    const number = numberOf(doc.id);
    const byNumber = number ? model.numbers.get(number.year) : undefined;
    if (!number || !byNumber) return;
    for (let distance = 1; distance <= NEIGHBOURHOOD; distance++) {
      for (const n of [number.n - distance, number.n + distance]) {
        const id = byNumber.get(n);
        const cls = id ? labelOf(id) : undefined;
        if (id && cls) add(share, notes, cls, 1 / distance, id);
      }
    }
  });
  return evidence;
}

function className(model: SuggestionModel, cls: string): string {
  return cls === NO_TRACK_CLASS ? 'no track' : model.tracks.find((track) => track.key === cls)?.name ?? cls;
}

/** One line a person can check: the evidence behind the winning class, strongest family first. */
function describe(model: SuggestionModel, cls: string, evidence: Evidence): string {
  const name = className(model, cls);
  const parts: string[] = [];
  const noted = (family: Family) => evidence.notes.get(family)?.get(cls) ?? [];
  const links = noted('links');
  if (links.length) parts.push(`${links.slice(0, 3).join(', ')} (${name})`);
  const similar = noted('similar');
  if (similar.length) parts.push(`similar to ${similar.slice(0, 3).join(', ')} (${name})`);
  const tags = noted('tags');
  if (tags.length) {
    const seen = Math.max(...tags.map((tag) => model.tagCounts.get(tag)?.get(cls) ?? 0));
    parts.push(`tag${tags.length > 1 ? 's' : ''} ${tags.slice(0, 3).join(', ')} on ${seen} ${name} WO${seen === 1 ? '' : 's'}`);
  }
  const words = noted('words');
  if (words.length) parts.push(`words ${words.slice(0, 3).join(', ')}`);
  const neighbours = noted('neighbours');
  if (neighbours.length) parts.push(`numbered next to ${neighbours.slice(0, 2).join(', ')} (${name})`);
  return parts.join('; ');
}

/** The best class for one WO with a pooled confidence in [0, 1], or null when nothing points anywhere. */
export function suggestFor(model: SuggestionModel, item: PlanItem, holdOut: string | null = null): Suggestion | null {
  const doc = model.docs.get(item.id) ?? docOf(item, undefined);
  const evidence = evidenceFor(model, doc, holdOut);
  if (!evidence.shares.size) return null;
  const pooled: Share = new Map();
  for (const share of evidence.shares.values()) for (const [cls, value] of share) pooled.set(cls, (pooled.get(cls) ?? 0) + value / FAMILIES.length);
  const ranked = [...pooled].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  // Rounded once, here: what the plan compares with the bar is what the report shows.
  const candidates: TrackCandidate[] = ranked.slice(0, 3).map(([key, value]) => ({key, confidence: Number(value.toFixed(2))}));
  const [best] = ranked;
  return {key: best[0], confidence: candidates[0].confidence, reason: describe(model, best[0], evidence), runnerUp: candidates[1] ?? null, candidates};
}

/** Labels to learn from: placed WOs by their track; a coherent no-track group as its own class. */
export function trainingLabels(items: readonly PlanItem[], coherentNoTrack: ReadonlySet<string> = new Set()): Map<string, string> {
  const labels = new Map<string, string>();
  for (const item of items) {
    if (item.plannedKey !== null && (item.source === 'mapping' || item.source === 'kept')) labels.set(item.id, item.plannedKey);
    else if (item.plannedKey === null && item.source === 'mapping' && coherentNoTrack.has(item.id)) labels.set(item.id, NO_TRACK_CLASS);
  }
  return labels;
}

/**
 * The plan's suggester: learns from what is placed (with each WO's text and the ids it mentions,
 * when known), proposes for what is not.
 */
export function createSuggester(extras: ReadonlyMap<string, SuggestExtras> = new Map(), coherentNoTrack: ReadonlySet<string> = new Set()): Suggester {
  return (items, tracks) => {
    const model = buildModel(items, tracks, trainingLabels(items, coherentNoTrack), extras);
    const suggestions = new Map<string, Suggestion>();
    for (const item of items) {
      if (item.source !== 'uncategorized') continue;
      const suggestion = suggestFor(model, item);
      if (suggestion) suggestions.set(item.id, suggestion);
    }
    return suggestions;
  };
}

/** The suggester with the plan items alone (no text or mentions). */
export const suggestTracks: Suggester = createSuggester();

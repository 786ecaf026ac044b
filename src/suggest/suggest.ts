import type {Suggester} from '../plan/build-plan.js';
import type {PlanItem, PlanTrack, Suggestion, TrackCandidate} from '../plan/plan-types.js';
import {stemOf, termCount, termsOf, tokenize, wordOf} from './tokenize.js';

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
/**
 * A WO that names more WOs than this is an umbrella (a roadmap, a track-assignment WO naming
 * every WO): each of its links says that much less, so a few of them cannot outweigh the
 * project's ordinary dependencies.
 */
const PLAIN_LINKS = 5;

/** What the suggester knows of a WO beyond the plan item. */
export type SuggestExtras = {text?: string; mentions?: readonly string[]; file?: string};

/** A WO as the engine reads it; its terms (by number, see tokenize) and their counts as parallel arrays: 10,000 of them. */
type Doc = {id: string; tags: string[]; words: string[]; links: string[]; terms: Int32Array; counts: Int32Array; /** Its number in `labelledIds`, or -1. */ labelled: number};

// Scratch for reading one document, reused for every document: the documents keep compact arrays.
let tally = new Int32Array(4096);
const tallied: number[] = [];
const scratch: number[] = [];
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
  /** Inverse document frequency of each term (by number), over every WO. */
  idf: Float64Array;
  /**
   * For each term, the labelled docs that have it (by their number in `labelledIds`) and its
   * weight there, in one flat list: term t's part runs from postingStart[t] to postingStart[t + 1].
   * Similarity without comparing all pairs.
   */
  postingStart: Int32Array;
  postingDoc: Int32Array;
  postingWeight: Float64Array;
  labelledIds: string[];
  norms: Float64Array;
  /** Scratch space for one similarity query, reused (the model is used by one caller at a time). */
  scores: Float64Array;
  /** Year → number → labelled id, for the neighbourhood. */
  numbers: Map<string, Map<number, string>>;
  labelled: number;
  /** Labelled WOs per class. */
  classSizes: Map<string, number>;
  /** The families this project's own mapping shows to be informative (see `informative`). */
  families: readonly Family[];
  /**
   * WOs the spec keeps on no track in a group that is not learned ("Uncategorized"): not a class,
   * but calibration counts a track guessed for one of them as wrong, as the spec decided.
   */
  leftOff: string[];
  /** Strength → how often such guesses were right on the mapping; null before `calibrate`. */
  calibration: Calibration | null;
};

/** How strength maps to the probability of being right, fitted on the mapping (see `calibrate`). */
export type Calibration = {intercept: number; slope: number; outcomes: number};

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

function bump(counts: Counts, feature: string, cls: string): void {
  let perClass = counts.get(feature);
  if (!perClass) counts.set(feature, (perClass = new Map()));
  perClass.set(cls, (perClass.get(cls) ?? 0) + 1);
}

/** How much one link of a WO with this many links counts. */
function linkWeight(links: number): number {
  return links > PLAIN_LINKS ? PLAIN_LINKS / links : 1;
}

function numberOf(id: string): {year: string; n: number} | null {
  const match = /^WO-(\d{4})-(\d+)$/.exec(id);
  return match ? {year: match[1], n: Number(match[2])} : null;
}

function docOf(item: PlanItem, extras: SuggestExtras | undefined): Doc {
  scratch.length = 0;
  termsOf(item.safeTitle, scratch);
  termsOf(item.goal, scratch);
  const titleEnd = scratch.length;
  const words = unique(scratch.map(stemOf));
  termsOf(extras?.text, scratch);
  const textEnd = scratch.length;
  if (extras?.file) termsOf(extras.file.replace(/\.md$/i, '').replace(/WO-\d{4}-\d+/g, ' '), scratch);
  if (tally.length < termCount()) tally = new Int32Array(Math.max(termCount(), tally.length * 2));
  for (let at = 0; at < scratch.length; at++) {
    const term = scratch[at];
    // A file name usually repeats the title: only its words that add something count.
    if (at >= textEnd && titleEnd > 0 && scratch.lastIndexOf(term, titleEnd - 1) >= 0) continue;
    if (tally[term]++ === 0) tallied.push(term);
  }
  // Filled by index: Int32Array.from would walk the list through the iterator protocol.
  const terms = new Int32Array(tallied.length);
  const counts = new Int32Array(tallied.length);
  for (let at = 0; at < tallied.length; at++) {
    const term = tallied[at];
    terms[at] = term;
    counts[at] = tally[term];
    tally[term] = 0;
  }
  tallied.length = 0;
  const links = unique([...item.dependsOn, ...(extras?.mentions ?? [])].filter((id) => !id.includes(':') && id !== item.id));
  return {id: item.id, tags: unique(item.tags.map((tag) => tag.toLowerCase())), words, links, terms, counts, labelled: -1};
}

/**
 * Learns from every WO the mapping or the server places (and from a coherent no-track group, as
 * a class of its own). `labels` gives each labelled WO's class.
 */
export function buildModel(items: readonly PlanItem[], tracks: readonly PlanTrack[], labels: ReadonlyMap<string, string>, extras: ReadonlyMap<string, SuggestExtras> = new Map(), leftOff: readonly string[] = []): SuggestionModel {
  const model: SuggestionModel = {
    tracks,
    labels: new Map(labels),
    docs: new Map(),
    tagCounts: new Map(),
    tagTotals: new Map(),
    wordCounts: new Map(),
    wordTotals: new Map(),
    linkedFrom: new Map(),
    idf: new Float64Array(0),
    postingStart: new Int32Array(1),
    postingDoc: new Int32Array(0),
    postingWeight: new Float64Array(0),
    labelledIds: [],
    norms: new Float64Array(0),
    scores: new Float64Array(0),
    numbers: new Map(),
    labelled: 0,
    classSizes: new Map(),
    families: FAMILIES,
    leftOff: leftOff.filter((id) => !labels.has(id)),
    calibration: null,
  };
  for (const item of items) {
    const doc = docOf(item, extras.get(item.id));
    model.docs.set(item.id, doc);
    for (const target of doc.links) {
      const list = model.linkedFrom.get(target);
      if (list) list.push(item.id);
      else model.linkedFrom.set(target, [item.id]);
    }
  }
  const vocabulary = termCount();
  const df = new Int32Array(vocabulary);
  for (const doc of model.docs.values()) for (const term of doc.terms) df[term]++;
  model.idf = new Float64Array(vocabulary);
  for (let term = 0; term < vocabulary; term++) if (df[term]) model.idf[term] = Math.log(1 + items.length / df[term]);
  const labelledDocs: Doc[] = [];
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
    doc.labelled = model.labelledIds.length;
    model.labelledIds.push(id);
    labelledDocs.push(doc);
    const numbered = numberOf(id);
    if (numbered) {
      let byNumber = model.numbers.get(numbered.year);
      if (!byNumber) model.numbers.set(numbered.year, (byNumber = new Map()));
      byNumber.set(numbered.n, id);
    }
  }
  // The postings in two passes: how many docs each term has, then the docs themselves.
  const start = new Int32Array(vocabulary + 1);
  for (const doc of labelledDocs) for (const term of doc.terms) start[term + 1]++;
  for (let term = 0; term < vocabulary; term++) start[term + 1] += start[term];
  const cursor = start.slice(0, vocabulary);
  model.postingStart = start;
  model.postingDoc = new Int32Array(start[vocabulary]);
  model.postingWeight = new Float64Array(start[vocabulary]);
  model.norms = new Float64Array(labelledDocs.length);
  for (let number = 0; number < labelledDocs.length; number++) {
    const {terms, counts} = labelledDocs[number];
    let norm = 0;
    for (let at = 0; at < terms.length; at++) {
      const term = terms[at];
      const weight = (1 + Math.log(counts[at])) * model.idf[term];
      norm += weight * weight;
      const slot = cursor[term]++;
      model.postingDoc[slot] = number;
      model.postingWeight[slot] = weight;
    }
    model.norms[number] = Math.sqrt(norm) || 1;
  }
  model.families = FAMILIES.filter((family) => informative(model, family));
  model.scores = new Float64Array(labelledDocs.length);
  // A track's own name and goal count as one more example of its words.
  for (const track of tracks) {
    for (const word of unique([...tokenize(track.name), ...tokenize(track.goal), ...tokenize(track.description)])) {
      bump(model.wordCounts, word, track.key);
      model.wordTotals.set(word, (model.wordTotals.get(word) ?? 0) + 1);
    }
  }
  return model;
}

/** Pairs a structural family must have seen on the mapping before it can be judged. */
const MIN_PAIRS = 10;
/** How much better than chance a structural family must agree with the mapping to be used (Cohen's kappa). */
const MIN_KAPPA = 0.2;

/**
 * Links and the id neighbourhood are facts about how a project works, not about a WO's subject:
 * in one project neighbours share a track most of the time, in another WOs are numbered as they
 * come. Measured on the mapping itself (how often linked or neighbouring placed WOs share a
 * class, against two placed WOs at random), a family that does no better than chance is left out.
 * Content families (similarity, tags, words) are always used.
 */
function informative(model: SuggestionModel, family: Family): boolean {
  if (family !== 'links' && family !== 'neighbours') return true;
  let same = 0;
  let pairs = 0;
  for (const [id, cls] of model.labels) {
    if (family === 'links') {
      const links = model.docs.get(id)?.links ?? [];
      const weight = linkWeight(links.length);
      for (const target of links) {
        const other = model.labels.get(target);
        if (other === undefined) continue;
        pairs += weight;
        if (other === cls) same += weight;
      }
      continue;
    }
    const number = numberOf(id);
    const byNumber = number ? model.numbers.get(number.year) : undefined;
    if (!number || !byNumber) continue;
    // Each pair once: look ahead only.
    for (let distance = 1; distance <= NEIGHBOURHOOD; distance++) {
      const other = byNumber.get(number.n + distance);
      const otherCls = other ? model.labels.get(other) : undefined;
      if (otherCls === undefined) continue;
      pairs += 1 / distance;
      if (otherCls === cls) same += 1 / distance;
    }
  }
  if (pairs < MIN_PAIRS) return true;
  let chance = 0;
  for (const size of model.classSizes.values()) chance += (size / model.labelled) ** 2;
  const agreement = same / pairs;
  return chance >= 1 || (agreement - chance) / (1 - chance) >= MIN_KAPPA;
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
    if (!model.families.includes(name)) return;
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
      if (cls) add(share, notes, cls, linkWeight(model.docs.get(source)?.links.length ?? 1), `mentioned by ${source}`);
    }
  });

  family('similar', (share, notes) => {
    const scores = model.scores;
    const touched: number[] = [];
    let norm = 0;
    // The rarest terms carry the comparison; very common ones are skipped for speed. A term
    // first seen after the model was built (a WO outside it) has no weight.
    const {idf, postingStart, postingDoc, postingWeight} = model;
    const terms: {term: number; weight: number}[] = [];
    for (let at = 0; at < doc.terms.length; at++) {
      const term = doc.terms[at];
      terms.push({term, weight: term < idf.length ? (1 + Math.log(doc.counts[at])) * idf[term] : 0});
    }
    terms.sort((a, b) => b.weight - a.weight);
    if (terms.length > 40) terms.length = 40;
    // Rarest terms first, within a budget of postings per query: at 10,000 WOs the common terms
    // would cost most of the time and change few of the k nearest.
    let budget = POSTINGS_BUDGET;
    const tooCommon = Math.max(50, model.labelled * 0.3);
    for (const {term, weight} of terms) {
      norm += weight * weight;
      if (term >= idf.length) continue;
      const from = postingStart[term];
      const to = postingStart[term + 1];
      if (from === to || budget <= 0 || to - from > tooCommon) continue;
      budget -= to - from;
      for (let at = from; at < to; at++) {
        const index = postingDoc[at];
        if (scores[index] === 0) touched.push(index);
        scores[index] += weight * postingWeight[at];
      }
    }
    // The k best in one pass, without sorting every candidate.
    const top: {id: string; similarity: number}[] = [];
    const queryNorm = Math.sqrt(norm) || 1;
    for (const index of touched) {
      const similarity = scores[index] / (queryNorm * model.norms[index]);
      scores[index] = 0;
      if (index === doc.labelled) continue;
      if (top.length === K_SIMILAR && similarity <= top[K_SIMILAR - 1].similarity) continue;
      // Into its place: most similar first, then by id.
      const id = model.labelledIds[index];
      let at = top.length;
      while (at > 0 && (top[at - 1].similarity < similarity || (top[at - 1].similarity === similarity && top[at - 1].id > id))) at--;
      top.splice(at, 0, {id, similarity});
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
  if (words.length) parts.push(`words ${words.slice(0, 3).map(wordOf).join(', ')}`);
  const neighbours = noted('neighbours');
  if (neighbours.length) parts.push(`numbered next to ${neighbours.slice(0, 2).join(', ')} (${name})`);
  return parts.join('; ');
}

/** A WO's classes ranked by pooled share; `strength` is how far the first leads the second. */
type Ranking = {ranked: [string, number][]; strength: number; evidence: Evidence};

function rank(model: SuggestionModel, doc: Doc, holdOut: string | null): Ranking | null {
  const evidence = evidenceFor(model, doc, holdOut);
  if (!evidence.shares.size) return null;
  const pooled: Share = new Map();
  for (const share of evidence.shares.values()) for (const [cls, value] of share) pooled.set(cls, (pooled.get(cls) ?? 0) + value / model.families.length);
  const ranked = [...pooled].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  // The lead over the runner-up, not the share alone: two families for one track and two for
  // another is a split, however full each family's share.
  return {ranked, strength: ranked[0][1] - (ranked[1]?.[1] ?? 0), evidence};
}

/** The most a suggestion reads: 99%, never 100%. */
const MAX_CONFIDENCE = 0.99;
/** Labelled WOs predicted to calibrate: enough for a stable fit, few enough to stay cheap at 10,000. */
const CALIBRATION_SAMPLE = 400;
/** Newton steps for the calibration fit (it converges in well under ten). */
const FIT_STEPS = 25;
/** A light pull of the fit towards "strength says nothing", so a perfect record cannot diverge. */
const FIT_PENALTY = 0.01;

/** One labelled WO predicted from the others: how strong the guess was, and whether it was right. */
export type CalibrationOutcome = {id: string; strength: number; right: boolean};

/**
 * Labelled WOs (all, or an even sample) each predicted from the others, and the WOs the spec
 * left off every track (right only when the guess is "no track" too).
 */
export function calibrationOutcomes(model: SuggestionModel): CalibrationOutcome[] {
  const ids = [...model.labels.keys(), ...model.leftOff].sort();
  const every = Math.max(1, Math.ceil(ids.length / CALIBRATION_SAMPLE));
  const outcomes: CalibrationOutcome[] = [];
  for (let at = 0; at < ids.length; at += every) {
    const id = ids[at];
    const doc = model.docs.get(id);
    const expected = model.labels.get(id) ?? NO_TRACK_CLASS;
    const ranking = doc ? rank(model, doc, model.labels.has(id) ? id : null) : null;
    if (ranking) outcomes.push({id, strength: ranking.strength, right: ranking.ranked[0][0] === expected});
  }
  return outcomes;
}

/** Penalised log-likelihood of p = 1 / (1 + e^-(a + b·x)) for the outcomes ys at xs. */
function likelihood(xs: readonly number[], ys: readonly number[], a: number, b: number): number {
  let total = -(FIT_PENALTY / 2) * (a * a + b * b);
  for (let at = 0; at < xs.length; at++) {
    const z = a + b * xs[at];
    // log p and log (1 - p), without overflow for large |z|.
    total -= ys[at] ? Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }
  return total;
}

/** The logistic curve's parameters by Newton's method; a parameter not free stays at 0. */
function fitLogistic(xs: readonly number[], ys: readonly number[], free: {a: boolean; b: boolean}): {a: number; b: number} {
  let a = 0;
  let b = 0;
  for (let step = 0; step < FIT_STEPS; step++) {
    let gradA = -FIT_PENALTY * a;
    let gradB = -FIT_PENALTY * b;
    let hAA = FIT_PENALTY;
    let hAB = 0;
    let hBB = FIT_PENALTY;
    for (let at = 0; at < xs.length; at++) {
      const x = xs[at];
      const p = 1 / (1 + Math.exp(-(a + b * x)));
      const w = p * (1 - p);
      gradA += ys[at] - p;
      gradB += (ys[at] - p) * x;
      hAA += w;
      hAB += w * x;
      hBB += w * x * x;
    }
    if (free.a && free.b) {
      const determinant = hAA * hBB - hAB * hAB;
      if (determinant <= 0) break;
      a += (hBB * gradA - hAB * gradB) / determinant;
      b += (hAA * gradB - hAB * gradA) / determinant;
    } else if (free.a) a += gradA / hAA;
    else if (free.b) b += gradB / hBB;
  }
  return {a, b};
}

/**
 * Turns strength into a probability a person can read: a logistic curve fitted to which of the
 * outcomes were right. Two rules hold whatever the mapping: a tie (strength 0) is at best a coin
 * flip, so the curve starts at or below 0.5; and a stronger lead never reads as less likely. Two
 * made-up outcomes, a wrong guess at the strongest strength seen and a right one at the weakest,
 * keep a handful of lucky guesses on a small mapping from claiming certainty.
 */
export function fitCalibration(outcomes: readonly CalibrationOutcome[]): Calibration | null {
  if (!outcomes.length) return null;
  const xs = outcomes.map((outcome) => outcome.strength);
  const ys = outcomes.map((outcome) => (outcome.right ? 1 : 0));
  xs.push(Math.max(...xs), Math.min(...xs));
  ys.push(0, 1);
  let best = fitLogistic(xs, ys, {a: true, b: true});
  if (best.a > 0 || best.b < 0) {
    // The best curve within the rules then lies on their edge: the intercept at 0, or the slope
    // at 0 (the likelihood is concave, so one of the two holds the best allowed curve).
    const edges = [fitLogistic(xs, ys, {a: false, b: true}), fitLogistic(xs, ys, {a: true, b: false})].map((edge) => ({a: Math.min(0, edge.a), b: Math.max(0, edge.b)}));
    best = likelihood(xs, ys, edges[0].a, edges[0].b) >= likelihood(xs, ys, edges[1].a, edges[1].b) ? edges[0] : edges[1];
  }
  return {intercept: best.a, slope: best.b, outcomes: outcomes.length};
}

/** Fits the calibration on the model's own labelled WOs. */
export function calibrate(model: SuggestionModel): Calibration | null {
  return fitCalibration(calibrationOutcomes(model));
}

/** The probability a calibration gives a guess of this strength (without one, the strength itself). */
export function calibrated(calibration: Calibration | null, strength: number): number {
  return calibration ? 1 / (1 + Math.exp(-(calibration.intercept + calibration.slope * strength))) : strength;
}

/**
 * The best class for one WO, or null when nothing points anywhere. Its confidence is calibrated
 * on the project's own mapping when the model has a calibration: about that share of guesses
 * this strong were right there. Runner-ups share what is left, by their pooled share, each at
 * most the best's.
 */
export function suggestFor(model: SuggestionModel, item: PlanItem, holdOut: string | null = null): Suggestion | null {
  const doc = model.docs.get(item.id) ?? docOf(item, undefined);
  const ranking = rank(model, doc, holdOut);
  if (!ranking) return null;
  const {ranked, evidence} = ranking;
  // A guess is never certain, and never shown as such; and n outcomes, all right, support at
  // most (n + 1) / (n + 2) (Laplace's rule): one or two mapped WOs cannot make a guess near-certain.
  const outcomes = model.calibration?.outcomes ?? 0;
  const confidence = Math.min(MAX_CONFIDENCE, (outcomes + 1) / (outcomes + 2), calibrated(model.calibration, ranking.strength));
  const others = ranked.slice(1).reduce((sum, [, value]) => sum + value, 0);
  // Rounded once, here: what the plan compares with the bar is what the report shows.
  const candidates: TrackCandidate[] = ranked.slice(0, 3).map(([key, value], index) => ({
    key,
    // A runner-up never reads as likelier than the best.
    confidence: Number((index === 0 ? confidence : others > 0 ? Math.min(confidence, ((1 - confidence) * value) / others) : 0).toFixed(2)),
  }));
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

/** WOs the spec maps to a no-track group that is not learned as a class (see `leftOff`). */
export function leftOffIds(items: readonly PlanItem[], coherentNoTrack: ReadonlySet<string> = new Set()): string[] {
  return items.filter((item) => item.plannedKey === null && item.source === 'mapping' && !coherentNoTrack.has(item.id)).map((item) => item.id);
}

/**
 * The plan's suggester: learns from what is placed (with each WO's text and the ids it mentions,
 * when known), proposes for what is not.
 */
export function createSuggester(extras: ReadonlyMap<string, SuggestExtras> = new Map(), coherentNoTrack: ReadonlySet<string> = new Set()): Suggester {
  return (items, tracks) => {
    const model = buildModel(items, tracks, trainingLabels(items, coherentNoTrack), extras, leftOffIds(items, coherentNoTrack));
    model.calibration = calibrate(model);
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

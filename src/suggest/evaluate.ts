import type {PlanItem, PlanTrack} from '../plan/plan-types.js';
import {buildModel, calibrationOutcomes, fitCalibration, leftOffIds, NO_TRACK_CLASS, suggestFor, trainingLabels, type SuggestExtras} from './suggest.js';

/**
 * loo: each labelled WO predicted from all the others. half: every second WO of each group (in id
 * order) hidden, predicted from the rest. newest: the newest half of each group hidden, as new
 * WOs are.
 */
export type Protocol = 'loo' | 'half' | 'newest';

export const BARS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95] as const;

export type Evaluation = {
  protocol: Protocol;
  evaluated: number;
  correct: number;
  accuracy: number;
  noSuggestion: number;
  /** At each confidence bar: how many would be placed (coverage) and how many of those are right (precision). */
  bars: {bar: number; placed: number; coverage: number; precision: number}[];
  /** At the bar in use. */
  minConfidence: number;
  placed: number;
  placedCorrect: number;
  placedAccuracy: number;
  confusions: {expected: string; predicted: string; count: number}[];
};

const ratio = (a: number, b: number) => (b ? Number((a / b).toFixed(3)) : 0);

const collator = new Intl.Collator('en', {numeric: true});
function byIdNumber(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The labelled WOs the protocol hides, and the labels the model may learn from. */
function split(labels: ReadonlyMap<string, string>, protocol: Protocol): {hidden: string[]; training: Map<string, string>} {
  if (protocol === 'loo') return {hidden: [...labels.keys()], training: new Map(labels)};
  const byClass = new Map<string, string[]>();
  for (const [id, cls] of labels) {
    const list = byClass.get(cls);
    if (list) list.push(id);
    else byClass.set(cls, [id]);
  }
  const hidden: string[] = [];
  for (const ids of byClass.values()) {
    // By number, not as text: WO-2026-9 comes before WO-2026-10 where ids are not padded.
    const ordered = [...ids].sort(byIdNumber);
    if (protocol === 'half') hidden.push(...ordered.filter((_, index) => index % 2 === 1));
    else hidden.push(...ordered.slice(Math.ceil(ordered.length / 2)));
  }
  const training = new Map(labels);
  for (const id of hidden) training.delete(id);
  return {hidden, training};
}

/** How well suggestions predict labels the spec already knows, under one protocol. */
export function evaluateSuggestions(items: readonly PlanItem[], tracks: readonly PlanTrack[], minConfidence: number, options: {protocol?: Protocol; extras?: ReadonlyMap<string, SuggestExtras>; coherentNoTrack?: ReadonlySet<string>} = {}): Evaluation {
  const protocol = options.protocol ?? 'loo';
  const labels = trainingLabels(items, options.coherentNoTrack);
  const {hidden, training} = split(labels, protocol);
  const model = buildModel(items, tracks, training, options.extras, leftOffIds(items, options.coherentNoTrack));
  // Calibrated on what the protocol lets the model see, as a real run is. In leave-one-out, a WO's
  // own outcome is left out of the fit that scores it.
  const outcomes = calibrationOutcomes(model);
  const calibration = fitCalibration(outcomes);
  const ownOutcome = new Map(outcomes.map((outcome, index) => [outcome.id, index]));
  const nameOf = (cls: string) => (cls === NO_TRACK_CLASS ? 'No track' : tracks.find((track) => track.key === cls)?.name ?? cls);
  const byId = new Map(items.map((item) => [item.id, item]));
  const results: {hit: boolean; confidence: number}[] = [];
  let noSuggestion = 0;
  const confusions = new Map<string, number>();
  for (const id of hidden) {
    const expected = labels.get(id)!;
    const own = protocol === 'loo' ? ownOutcome.get(id) : undefined;
    model.calibration = own === undefined ? calibration : fitCalibration(outcomes.filter((_, index) => index !== own));
    const suggestion = suggestFor(model, byId.get(id)!, protocol === 'loo' ? id : null);
    if (!suggestion) {
      noSuggestion++;
      continue;
    }
    const hit = suggestion.key === expected;
    results.push({hit, confidence: suggestion.confidence});
    if (!hit) {
      const pair = `${nameOf(expected)}\u0000${nameOf(suggestion.key)}`;
      confusions.set(pair, (confusions.get(pair) ?? 0) + 1);
    }
  }
  const at = (bar: number) => {
    const placed = results.filter((result) => result.confidence >= bar);
    return {placed: placed.length, right: placed.filter((result) => result.hit).length};
  };
  const current = at(minConfidence);
  const correct = results.filter((result) => result.hit).length;
  return {
    protocol,
    evaluated: hidden.length,
    correct,
    accuracy: ratio(correct, hidden.length),
    noSuggestion,
    bars: BARS.map((bar) => {
      const {placed, right} = at(bar);
      return {bar, placed, coverage: ratio(placed, hidden.length), precision: ratio(right, placed)};
    }),
    minConfidence,
    placed: current.placed,
    placedCorrect: current.right,
    placedAccuracy: ratio(current.right, current.placed),
    confusions: [...confusions.entries()]
      .map(([pair, count]) => {
        const [expected, predicted] = pair.split('\u0000');
        return {expected, predicted, count};
      })
      .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)),
  };
}

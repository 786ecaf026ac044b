import type {PlanItem, PlanTrack} from '../plan/plan-types.js';
import {buildModel, suggestFor} from './suggest.js';

export type Evaluation = {
  /** Mapped WOs on a track: each is predicted from all the others. */
  evaluated: number;
  correct: number;
  accuracy: number;
  /** Predictions at or above the confidence bar, which the plan would place. */
  placed: number;
  placedCorrect: number;
  placedAccuracy: number;
  noSuggestion: number;
  minConfidence: number;
  confusions: {expected: string; predicted: string; count: number}[];
};

/** Leave-one-out: hide each mapped WO's own placement and predict it from the rest. */
export function evaluateSuggestions(items: readonly PlanItem[], tracks: readonly PlanTrack[], minConfidence: number): Evaluation {
  const model = buildModel(items, tracks);
  const nameOf = new Map(tracks.map((track) => [track.key, track.name]));
  const examples = items.filter((item) => item.plannedKey !== null && (item.source === 'mapping' || item.source === 'kept'));
  let correct = 0;
  let placed = 0;
  let placedCorrect = 0;
  let noSuggestion = 0;
  const confusions = new Map<string, number>();
  for (const item of examples) {
    const expected = item.plannedKey!;
    // The dependency signal must not see the WO's own label either.
    model.trackOf.delete(item.id);
    const suggestion = suggestFor(model, item, expected);
    model.trackOf.set(item.id, expected);
    if (!suggestion) {
      noSuggestion++;
      continue;
    }
    const hit = suggestion.key === expected;
    if (hit) correct++;
    else {
      const pair = `${nameOf.get(expected)}\u0000${nameOf.get(suggestion.key)}`;
      confusions.set(pair, (confusions.get(pair) ?? 0) + 1);
    }
    if (suggestion.confidence >= minConfidence) {
      placed++;
      if (hit) placedCorrect++;
    }
  }
  const ratio = (a: number, b: number) => (b ? Number((a / b).toFixed(3)) : 0);
  return {
    evaluated: examples.length,
    correct,
    accuracy: ratio(correct, examples.length),
    placed,
    placedCorrect,
    placedAccuracy: ratio(placedCorrect, placed),
    noSuggestion,
    minConfidence,
    confusions: [...confusions.entries()]
      .map(([pair, count]) => {
        const [expected, predicted] = pair.split('\u0000');
        return {expected, predicted, count};
      })
      .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)),
  };
}

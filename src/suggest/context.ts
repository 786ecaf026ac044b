import type {TrackSpec} from '../spec/spec-parser.js';
import type {WorkOrder} from '../workorders/work-order.js';
import type {SuggestExtras} from './suggest.js';

// "Uncategorized" collects what fits nowhere: not a class to learn. A named no-track group such
// as "Tracks Meta" is coherent (WOs about one subject) and is learned as a no-track class.
const GRAB_BAG = /\b(uncategori[sz]ed|unassigned|misc|miscellaneous|none|no[ -]track|other)\b/i;

/** What the suggester can use beyond the plan: each WO's text and mentions, and the coherent no-track WOs. */
export function suggestionContext(workOrders: readonly WorkOrder[], spec: TrackSpec): {extras: Map<string, SuggestExtras>; coherentNoTrack: Set<string>} {
  const extras = new Map<string, SuggestExtras>();
  for (const wo of workOrders) extras.set(wo.id, {text: wo.text, mentions: wo.mentions, file: wo.source.split(/[\\/]/).pop()});
  const coherentNoTrack = new Set(spec.mapping.filter((entry) => entry.track === null && !GRAB_BAG.test(entry.group)).map((entry) => entry.id));
  return {extras, coherentNoTrack};
}

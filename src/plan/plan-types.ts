import type {SpecTrack} from '../spec/spec-parser.js';

/** Where a work order's planned placement came from. */
export type PlacementSource =
  | 'mapping' // the spec lists it (under a track, or under a no-track group)
  | 'kept' // already on a track on the server, and kept there
  | 'suggested' // proposed by the suggestion engine with enough confidence
  | 'uncategorized' // nothing places it: needs a person
  | 'manual'; // moved during review

export type TrackCandidate = {key: string; confidence: number};

export type Suggestion = {
  key: string;
  confidence: number;
  reason: string;
  runnerUp: TrackCandidate | null;
  /** Best candidates first; the move picker offers these first. */
  candidates: TrackCandidate[];
};

/** A spec track (or an extra server track) as the plan uses it. */
export type PlanTrack = Omit<SpecTrack, 'line'> & {
  /** Stable key inside the plan: the normalized name. */
  key: string;
  /** Server id when the track exists already (matched by name); null when it must be created. */
  existingId: string | null;
  /** False for tracks that exist on the server but are not in the spec. */
  inSpec: boolean;
  /**
   * Set on a second server track with the same name as another: the key of the copy that stays.
   * The plan moves this copy's WOs to it and deletes this copy once it is empty.
   */
  duplicateOf?: string;
};

export type PlanItem = {
  id: string;
  title: string;
  safeTitle: string;
  status: string;
  goal: string | null;
  tags: string[];
  dependsOn: string[];
  /** The server's trackId when the plan was made (null when none). */
  currentTrackId: string | null;
  /** Every track the WO was on when the plan was made (PCC servers with several tracks per WO). */
  currentTrackIds?: string[];
  /** Undo plans only: the exact track ids to put the WO back on. */
  restoreTrackIds?: string[];
  currentKey: string | null;
  plannedKey: string | null;
  source: PlacementSource;
  /** One line a person can check: why it is placed where it is. */
  reason: string;
  /** What the spec's mapping says, when it lists the WO: a track key, or null for no track. */
  mappedKey?: string | null;
  suggestion?: Suggestion;
  recovered?: boolean;
};

export type MissingWorkOrder = {id: string; title: string; trackKey: string | null; line: number};

export type Plan = {
  format: 'pcc-track-wizard/plan';
  version: 1;
  createdAt: string;
  project: string;
  /** Base URL the plan was made against; null when planned from local files. */
  api: string | null;
  /** PCC's database file the plan was made against or for, when it applies there. */
  pccDb?: string | null;
  /** 'undo' plans only put WOs back on tracks that exist; they never create one. */
  kind?: 'forward' | 'undo';
  spec: {id: string; title: string; source: string; hash: string};
  /** Hash of everything the plan was computed from: spec, tracks, and current assignments. */
  fingerprint: string;
  tracks: PlanTrack[];
  items: PlanItem[];
  notInProject: MissingWorkOrder[];
  notInMapping: string[];
  warnings: string[];
};

export type ChangeKind = 'assign' | 'move' | 'clear';

export type Change = {id: string; kind: ChangeKind; fromKey: string | null; toKey: string | null};

export type ChangeSet = {
  createTracks: PlanTrack[];
  /** Second copies of a track name, deleted once their WOs are moved to the first. */
  deleteTracks: PlanTrack[];
  changes: Change[];
  assign: number;
  move: number;
  clear: number;
  unchanged: number;
};


import type {PlanTrack} from '../plan/plan-types.js';
import type {TrackRecord} from '../pcc/validate.js';

/** A WO as an apply target sees it: every track it sits on (usually one or none). */
export type TargetWorkOrder = {id: string; trackIds: string[]};

/** `problems`: what the read found wrong beyond the plan's own comparison (verification lists them). */
export type TargetState = {tracks: TrackRecord[]; workOrders: TargetWorkOrder[]; problems?: string[]};

export type TargetHooks = {
  signal?: AbortSignal;
  /** A request is tried again (after a timeout, a lost answer, a 5xx …). */
  onRetry: (info: {method: string; route: string; attempt: number; reason: string}) => void;
};

export type CreatedTrack = {id: string; name: string; action: 'created' | 'recovered' | 'reused'};

/** Everything to write, for targets that write it all in one transaction. */
export type Batch = {
  create: PlanTrack[];
  /** `expected`: the WO's tracks as the run read them; a WO no longer there is left alone. */
  assignments: {id: string; trackIds: string[] | {key: string}; expected?: readonly string[]}[];
  deleteIfEmpty: string[];
};

/** `movedMeanwhile`: WOs someone else moved after the run read them, left as they are now (`atTarget`: already where the plan puts them). */
export type BatchResult = {created: Map<string, CreatedTrack>; deleted: string[]; movedMeanwhile?: {id: string; trackIds: string[]; atTarget: boolean}[]};

/**
 * Where a plan is applied: PCC's API or PCC's database. The engine does the same checks, events,
 * verification and undo for both; a target only reads and writes.
 */
export interface ApplyTarget {
  readonly kind: 'api' | 'database';
  /** "the API at URL (project P)" or "PCC's database FILE (project P)": said before anything is sent. */
  readonly label: string;
  /** One run at a time per target on this machine. */
  readonly lockKey: string;
  /** True once a write may have landed without an answer: the engine then verifies again later. */
  readonly unanswered: boolean;
  /** Plan keys of tracks whose creation went unanswered (a late copy of those is this run's own). */
  readonly lostCreates: ReadonlySet<string>;
  readState(): Promise<TargetState>;
  /** Reads again without the run's abort signal, for the read-back after a stop. */
  readBack(): Promise<TargetState>;
  /** Refuses (throws) when this target cannot assign tracks; never writes. */
  checkCanAssign(): Promise<void>;
  /** Finds the track by name or creates it; never makes a second one for an answer that was lost. */
  createTrack(track: PlanTrack): Promise<CreatedTrack>;
  setTracks(workOrderId: string, trackIds: string[]): Promise<void>;
  deleteTrack(trackId: string): Promise<void>;
  /** Answers when the target can be reached again (used while paused for an outage). */
  ping(): Promise<boolean>;
  /** Targets that can write everything at once, all or nothing. */
  applyBatch?(batch: Batch): Promise<BatchResult>;
  close(): void;
}

import type {ApplyOutcome} from '../report/report.js';

/** What the engine reports while it works; the TUI draws these, --json prints them. */
export type ApplyEvent =
  | {type: 'target'; label: string}
  | {type: 'start'; changes: number; pending: number; alreadyDone: number; tracksToCreate: number}
  | {type: 'replanned'; differences: string[]}
  | {type: 'track'; key: string; name: string; id: string; action: 'created' | 'reused' | 'recovered'}
  | {type: 'track-deleted'; name: string; id: string; reason: string}
  | {type: 'assigned'; id: string; fromKey: string | null; toKey: string | null; done: number; total: number}
  | {type: 'retry'; method: string; route: string; attempt: number; reason: string}
  | {type: 'paused'; reason: string; retryInMs: number}
  | {type: 'resumed'}
  | {type: 'failed'; id: string; error: string}
  | {type: 'stopping'; reason: string}
  | {type: 'grace'; waitMs: number}
  | {type: 'verify'; ok: boolean; mismatches: string[]; targetKind?: 'api' | 'database'}
  | {type: 'finished'; outcome: ApplyOutcome};

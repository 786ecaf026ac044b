import type {PlanTrack} from '../plan/plan-types.js';
import {createPccClient, type ClientOptions} from '../pcc/pcc-client.js';
import {databaseErrorText, fileIdentity, PccDatabase, PccDatabaseError} from '../pcc/pcc-database.js';
import {PccError} from '../pcc/pcc-error.js';
import type {ApplyTarget, Batch, BatchResult, CreatedTrack, TargetState} from './apply-target.js';
import {ApplyRefused} from './refusal.js';
import {sanitizeText} from '../workorders/sanitize.js';
import {firstFew, listedTracks, NotTheSamePcc, readSamePcc, serverDatabaseDifferences, type ListedWorkOrder} from '../pcc/same-pcc.js';
import type {TrackRecord} from '../pcc/validate.js';

/**
 * PCC's SQLite file as the target: everything in one short transaction, so a crash or a lock
 * leaves nothing half-done and no journal is needed for it. When the PCC server is known too,
 * the read-back goes through its API, as PCC itself would show the result.
 */
export class DatabaseTarget implements ApplyTarget {
  readonly kind = 'database' as const;
  readonly label: string;
  readonly lockKey: string;
  readonly unanswered = false;
  readonly lostCreates: ReadonlySet<string> = new Set();
  private readonly db: PccDatabase;
  private checkedServer = false;

  /** `variable`: the environment variable that named the file, said if the file is missing. */
  constructor(private readonly file: string, project: string, private readonly api: ClientOptions | null = null, variable: string | null = null) {
    try {
      this.db = PccDatabase.open(file, project);
    } catch (error) {
      if (error instanceof PccDatabaseError) throw new ApplyRefused(databaseErrorText(error, variable));
      throw error;
    }
    this.label = this.db.label;
    // One lock per file, however the path reaches it.
    this.lockKey = `database ${fileIdentity(file)} ${project}`;
  }

  /**
   * The database's state. The first read, before anything is written, also checks that the
   * server (when known) reads this very file (see readSamePcc: a stopped server is not asked).
   */
  async readState(): Promise<TargetState> {
    if (!this.api || this.checkedServer) return this.read();
    this.checkedServer = true;
    try {
      return await readSamePcc(() => this.read(), () => this.serverView(), {file: this.file, api: this.api.baseUrl, allowStopped: true});
    } catch (error) {
      if (error instanceof NotTheSamePcc) throw new ApplyRefused(error.message);
      // A login the server refuses, or a Ctrl-C during the check, comes before any write.
      if (error instanceof PccError && error.kind === 'aborted') throw new ApplyRefused('Stopped during the check that the server reads this file; nothing was changed.');
      if (error instanceof PccError) throw new ApplyRefused(`${sanitizeText(error.message)} Nothing was changed.`);
      throw error;
    }
  }

  private async serverView(): Promise<{tracks: TrackRecord[]; workOrders: ListedWorkOrder[]}> {
    const client = createPccClient({...this.api!, retries: 1});
    const [tracks, {workOrders}] = await Promise.all([client.listTracks(), client.listWorkOrders()]);
    return {tracks, workOrders: workOrders.map(listedTracks)};
  }

  private read(): TargetState {
    try {
      return this.db.readState();
    } catch (error) {
      if (error instanceof PccDatabaseError) throw new ApplyRefused(error.message);
      throw error;
    }
  }

  /**
   * The database as written, which is what is verified. When the server answers, it must show the
   * same: if it does not, PCC will not show the changes, and the verification says so.
   */
  async readBack(): Promise<TargetState> {
    if (!this.api) return this.read();
    const server = sanitizeText(this.api.baseUrl);
    let state = this.read();
    let differences: string[] = [];
    // PCC's users keep working: a change made between the two reads settles on a second look.
    for (let look = 1; look <= 2; look++) {
      let view;
      try {
        view = await this.serverView();
      } catch (error) {
        // Stopped: the database alone is the truth. Any other answer leaves PCC's view unconfirmed.
        if (error instanceof PccError && error.kind === 'unreachable') return state;
        return {...state, problems: [`the PCC server at ${server} could not confirm that it shows what is in ${this.file} (${sanitizeText(error instanceof Error ? error.message : String(error))}); check it in PCC`]};
      }
      if (look === 2) state = this.read();
      differences = serverDatabaseDifferences(state, view);
      if (!differences.length) return state;
    }
    return {...state, problems: [`the PCC server at ${server} does not show what is in ${this.file} (${firstFew(differences)}): it does not read that file, or PCC changed it meanwhile; PCC shows what the server reads, so pass the --pcc-db it opens`]};
  }

  async checkCanAssign(): Promise<void> {}

  async applyBatch(batch: Batch): Promise<BatchResult> {
    try {
      const result = this.db.write({
        create: batch.create.map((track) => ({name: track.name, description: track.description, goal: track.goal, color: track.color, icon: track.icon, sortOrder: track.sortOrder})),
        assignments: batch.assignments.map((assignment) => {
          if (Array.isArray(assignment.trackIds)) return {id: assignment.id, trackIds: assignment.trackIds, expected: assignment.expected};
          const key = assignment.trackIds.key;
          const track = batch.create.find((candidate) => candidate.key === key);
          if (!track) throw new ApplyRefused(`${sanitizeText(assignment.id)} is planned onto "${sanitizeText(key)}", a track the plan neither has nor creates; make a new plan. Nothing was changed.`);
          return {id: assignment.id, trackIds: {name: track.name}, expected: assignment.expected};
        }),
        deleteIfEmpty: batch.deleteIfEmpty,
      });
      // Both sides key tracks by normalizeTrackName, so plan keys find their rows directly.
      return {created: result.created, deleted: result.deleted, movedMeanwhile: result.movedMeanwhile};
    } catch (error) {
      if (error instanceof PccDatabaseError) throw new ApplyRefused(error.message);
      throw error;
    }
  }

  async createTrack(track: PlanTrack): Promise<CreatedTrack> {
    const result = await this.applyBatch({create: [track], assignments: [], deleteIfEmpty: []});
    return result.created.get(track.key)!;
  }

  async setTracks(workOrderId: string, trackIds: string[]): Promise<void> {
    await this.applyBatch({create: [], assignments: [{id: workOrderId, trackIds}], deleteIfEmpty: []});
  }

  async deleteTrack(trackId: string): Promise<void> {
    const result = await this.applyBatch({create: [], assignments: [], deleteIfEmpty: [trackId]});
    if (!result.deleted.includes(trackId)) throw new Error(`track ${trackId} still has work orders, so it is not deleted`);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  close(): void {
    this.db.close();
  }
}

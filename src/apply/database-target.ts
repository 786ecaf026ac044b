import {realpathSync} from 'node:fs';
import type {PlanTrack} from '../plan/plan-types.js';
import {createPccClient, type ClientOptions} from '../pcc/pcc-client.js';
import {PccDatabase, PccDatabaseError} from '../pcc/pcc-database.js';
import type {ApplyTarget, Batch, BatchResult, CreatedTrack, TargetState} from './apply-target.js';
import {ApplyRefused} from './refusal.js';
import {sanitizeText} from '../workorders/sanitize.js';
import {listedTracks, notTheSamePcc, serverDatabaseDifferences, type ListedWorkOrder} from '../pcc/same-pcc.js';
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

  constructor(private readonly file: string, project: string, private readonly api: ClientOptions | null = null) {
    try {
      this.db = PccDatabase.open(file, project);
    } catch (error) {
      if (error instanceof PccDatabaseError) throw new ApplyRefused(error.message);
      throw error;
    }
    this.label = this.db.label;
    let real = file;
    try {
      real = realpathSync(file);
    } catch {
      // Opened above, so it exists; a race that removed it fails on the first read anyway.
    }
    this.lockKey = `database ${real} ${project}`;
  }

  /**
   * The database's state. The first read, before anything is written, also checks that the
   * server (when known) reads this very file; a server that does not answer is not asked.
   */
  async readState(): Promise<TargetState> {
    const state = this.read();
    if (this.api && !this.checkedServer) {
      this.checkedServer = true;
      const view = await this.serverView().catch(() => null);
      const differences = view ? serverDatabaseDifferences(state, view) : [];
      if (differences.length) throw new ApplyRefused(notTheSamePcc(this.file, this.api.baseUrl, differences));
    }
    return state;
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
   * From the database; when the server answers, as its API shows it (what PCC itself shows). The
   * database is the target: a server that is stopped does not make a committed write unverifiable.
   */
  async readBack(): Promise<TargetState> {
    const state = this.read();
    if (!this.api) return state;
    const view = await this.serverView().catch(() => null);
    if (!view) return state;
    // The API lists only WOs whose files parse; rows of other files keep the database's view.
    const listed = new Map(view.workOrders.map((wo) => [wo.id, wo.trackIds]));
    return {tracks: view.tracks, workOrders: state.workOrders.map((wo) => ({id: wo.id, trackIds: listed.get(wo.id) ?? wo.trackIds}))};
  }

  async checkCanAssign(): Promise<void> {}

  async applyBatch(batch: Batch): Promise<BatchResult> {
    try {
      const result = this.db.write({
        create: batch.create.map((track) => ({name: track.name, description: track.description, goal: track.goal, color: track.color, icon: track.icon, sortOrder: track.sortOrder})),
        assignments: batch.assignments.map((assignment) => {
          if (Array.isArray(assignment.trackIds)) return {id: assignment.id, trackIds: assignment.trackIds};
          const key = assignment.trackIds.key;
          const track = batch.create.find((candidate) => candidate.key === key);
          if (!track) throw new ApplyRefused(`${sanitizeText(assignment.id)} is planned onto "${sanitizeText(key)}", a track the plan neither has nor creates; make a new plan. Nothing was changed.`);
          return {id: assignment.id, trackIds: {name: track.name}};
        }),
        deleteIfEmpty: batch.deleteIfEmpty,
      });
      // Both sides key tracks by normalizeTrackName, so plan keys find their rows directly.
      return {created: result.created, deleted: result.deleted};
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

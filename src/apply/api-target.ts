import type {PlanTrack} from '../plan/plan-types.js';
import {createPccClient, type ClientOptions, type PccClient} from '../pcc/pcc-client.js';
import {PccError} from '../pcc/pcc-error.js';
import type {TrackRecord} from '../pcc/validate.js';
import {normalizeTrackName} from '../spec/spec-parser.js';
import type {ApplyTarget, CreatedTrack, TargetHooks, TargetState} from './apply-target.js';
import {ApplyRefused} from './refusal.js';
import {sleep} from './sleep.js';
import {sanitizeText} from '../workorders/sanitize.js';

function unknownOutcome(error: unknown): boolean {
  return error instanceof PccError && error.outcomeUnknown && error.kind !== 'aborted';
}

/** The API target: PCC's routes, with ky's retries for idempotent calls and care for the POST that is not. */
export class ApiTarget implements ApplyTarget {
  readonly kind = 'api' as const;
  readonly label: string;
  readonly lockKey: string;
  unanswered = false;
  /** Plan keys of tracks whose POST went unanswered: only their late copies are ours to delete. */
  readonly lostCreates = new Set<string>();
  private readonly client: PccClient;
  private readonly reader: PccClient;
  private readonly timeoutMs: number;

  constructor(readonly options: ClientOptions, private readonly hooks: TargetHooks) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.client = createPccClient({
      ...options,
      signal: hooks.signal,
      onRetry: (info) => {
        // A retried PUT after a timeout or a cut connection may still land late.
        if (!/^HTTP /.test(info.reason)) this.unanswered = true;
        hooks.onRetry(info);
      },
    });
    this.reader = createPccClient({...options, retries: 2});
    this.label = apiLabel(this.client.baseUrl, options.project);
    this.lockKey = `api ${canonicalServer(this.client.baseUrl)} ${options.project}`;
  }

  async readState(): Promise<TargetState> {
    return read(this.client);
  }

  async readBack(): Promise<TargetState> {
    return read(this.reader);
  }

  async checkCanAssign(): Promise<void> {
    let capability;
    try {
      capability = await this.client.assignCapability();
    } catch (error) {
      if (error instanceof PccError && (error.kind === 'auth' || error.kind === 'forbidden')) throw new ApplyRefused(error.message);
      throw error;
    }
    if (capability === 'none') {
      throw new ApplyRefused(`The PCC server at ${this.client.baseUrl} has no track assignment route (no PCC release has one); apply to its database instead with --pcc-db PATH. Nothing was changed.`);
    }
  }

  private async findByName(key: string): Promise<TrackRecord | undefined> {
    return (await this.reader.listTracks()).find((track) => normalizeTrackName(track.name) === key);
  }

  /**
   * POST is not idempotent, and a POST whose answer was lost may still be processed seconds later.
   * So: look before each POST (someone may have made the track meanwhile), and after a lost
   * answer look again, twice, a timeout apart, before posting once more.
   */
  async createTrack(track: PlanTrack): Promise<CreatedTrack> {
    const existing = await this.findByName(track.key);
    if (existing) return {id: existing.id, name: existing.name, action: 'reused'};
    const attempts = 3;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const created = await this.client.createTrack({name: track.name, description: track.description, goal: track.goal, color: track.color, icon: track.icon, sortOrder: track.sortOrder});
        return {id: created.id, name: created.name, action: 'created'};
      } catch (error) {
        lastError = error;
        if (!unknownOutcome(error)) throw error;
        this.unanswered = true;
        this.lostCreates.add(track.key);
        this.hooks.onRetry({method: 'POST', route: `/repos/${this.options.project}/tracks`, attempt, reason: `${(error as PccError).kind}, answer lost`});
        for (const wait of [this.timeoutMs, 2 * this.timeoutMs]) {
          await sleep(Math.max(200, wait), this.hooks.signal);
          if (this.hooks.signal?.aborted) throw error;
          const found = await this.findByName(track.key).catch(() => undefined);
          if (found) return {id: found.id, name: found.name, action: 'recovered'};
        }
      }
    }
    throw lastError;
  }

  async setTracks(workOrderId: string, trackIds: string[]): Promise<void> {
    if (trackIds.length > 1) throw new ApplyRefused(`${workOrderId} should go back on ${trackIds.length} tracks, which PCC's API cannot do; apply this plan to PCC's database with --pcc-db PATH.`);
    try {
      await this.client.assignTrack(workOrderId, trackIds[0] ?? null);
    } catch (error) {
      if (unknownOutcome(error)) this.unanswered = true;
      throw error;
    }
  }

  async deleteTrack(trackId: string): Promise<void> {
    await this.client.deleteTrack(trackId);
  }

  async ping(): Promise<boolean> {
    try {
      await createPccClient({...this.options, retries: 0, timeoutMs: Math.min(this.timeoutMs, 5000)}).listTracks();
      return true;
    } catch {
      return false;
    }
  }

  close(): void {}
}

/** How an apply through the API names where it goes, everywhere it is said. */
export function apiLabel(baseUrl: string, project: string): string {
  return `the API at ${baseUrl.replace(/\/+$/, '')} (project ${sanitizeText(project)})`;
}

/**
 * One name per server for the lock: the URL parser already folds 127.1, 0x7f000001 and "/." into
 * one form; loopback names are folded too, since they reach the same local server.
 */
export function canonicalServer(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    const host = /^(localhost|127\.0\.0\.1|\[::1\])$/i.test(url.hostname) ? 'loopback' : url.hostname.toLowerCase();
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return `${url.protocol}//${host}:${port}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return baseUrl.toLowerCase();
  }
}

async function read(client: PccClient): Promise<TargetState> {
  const [tracks, {workOrders}] = await Promise.all([client.listTracks(), client.listWorkOrders()]);
  return {tracks, workOrders: workOrders.map((wo) => ({id: wo.id, trackIds: wo.trackIds ?? (wo.trackId ? [wo.trackId] : [])}))};
}


import {writeFileSync} from 'node:fs';
import {fingerprintOf} from '../plan/build-plan.js';
import {changeOf} from '../plan/changes.js';
import {serializePlan} from '../plan/plan-file.js';
import type {Plan, PlanItem} from '../plan/plan-types.js';
import {createPccClient, type ClientOptions, type PccClient} from '../pcc/pcc-client.js';
import {PccError} from '../pcc/pcc-error.js';
import type {TrackRecord} from '../pcc/validate.js';
import type {ApplyOutcome} from '../report/report.js';
import {normalizeTrackName} from '../spec/spec-parser.js';
import {sanitizeText} from '../workorders/sanitize.js';
import type {WorkOrder} from '../workorders/work-order.js';
import type {ApplyEvent} from './apply-events.js';
import {Journal} from './journal.js';

export type ApplyOptions = {
  plan: Plan;
  client: Omit<ClientOptions, 'onRetry' | 'signal'>;
  journalFile: string;
  /** Where the undo plan goes; null to skip it. */
  undoPlanFile: string | null;
  concurrency?: number;
  failFast?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: ApplyEvent) => void;
  /** When the server drifted since the plan was made, rebase the plan's placements onto it instead of refusing. */
  replan?: boolean;
};

/** Refusals before anything is changed: drift, a server that cannot assign, a bad journal. */
export class ApplyRefused extends Error {}

type ServerState = {tracks: TrackRecord[]; workOrders: WorkOrder[]};

async function readServer(client: PccClient): Promise<ServerState> {
  const [tracks, {workOrders}] = await Promise.all([client.listTracks(), client.listWorkOrders()]);
  return {tracks, workOrders};
}

/** The server's tracks by normalized name; where a name is taken twice, the first one. */
function firstByName(tracks: readonly TrackRecord[]): Map<string, TrackRecord> {
  const byName = new Map<string, TrackRecord>();
  for (const track of tracks) {
    const key = normalizeTrackName(track.name);
    if (!byName.has(key)) byName.set(key, track);
  }
  return byName;
}

/** Server id for each plan track key, where the track exists (or was created by this plan). */
function resolveTrackIds(plan: Plan, tracks: readonly TrackRecord[], journal: Journal): {ids: Map<string, string>; missing: string[]} {
  const byId = new Map(tracks.map((track) => [track.id, track]));
  const byName = firstByName(tracks);
  const ids = new Map<string, string>();
  const missing: string[] = [];
  for (const track of plan.tracks) {
    if (track.existingId) {
      if (byId.has(track.existingId)) ids.set(track.key, track.existingId);
      else missing.push(`track "${sanitizeText(track.name)}" (${track.existingId}) is no longer on the server`);
      continue;
    }
    const journaled = journal.tracks.get(track.key);
    const found = (journaled && byId.get(journaled)) || byName.get(track.key);
    if (found) ids.set(track.key, found.id);
  }
  return {ids, missing};
}

function targetId(item: PlanItem, ids: Map<string, string>): string | null | undefined {
  return item.plannedKey === null ? null : ids.get(item.plannedKey);
}

/** Lists what moved on the server since the plan was made, in a way that matters to it. */
function findDrift(plan: Plan, state: ServerState, ids: Map<string, string>): string[] {
  const current = new Map(state.workOrders.map((wo) => [wo.id, wo.trackId]));
  const drift: string[] = [];
  for (const item of plan.items) {
    if (!current.has(item.id)) {
      if (changeOf(item)) drift.push(`${item.id} is no longer in the project`);
      continue;
    }
    const now = current.get(item.id) ?? null;
    const target = targetId(item, ids);
    if (now === item.currentTrackId || (target !== undefined && now === target)) continue;
    drift.push(`${item.id} is now on ${now ?? 'no track'} (the plan saw ${item.currentTrackId ?? 'no track'})`);
  }
  return drift;
}

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>, shouldStop: () => boolean): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !shouldStop()) {
      const item = items[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({length: Math.max(1, Math.min(size, items.length))}, worker));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Applies a plan: check drift, probe the assignment route, create missing tracks (never twice),
 * send assignments with bounded concurrency, then read the server back and compare.
 */
export async function applyPlan(options: ApplyOptions): Promise<ApplyOutcome> {
  let plan = options.plan;
  const emit = options.onEvent ?? (() => {});
  const started = Date.now();
  let retries = 0;
  const client = createPccClient({
    ...options.client,
    signal: options.signal,
    onRetry: (info) => {
      retries++;
      emit({type: 'retry', ...info});
    },
  });
  const journal = Journal.open(options.journalFile, plan.fingerprint);
  try {
    return await run();
  } finally {
    journal.close();
  }

  async function run(): Promise<ApplyOutcome> {
    const before = await readServer(client);
    const nowFingerprint = fingerprintOf(plan.spec.hash, before.tracks, before.workOrders);
    let resolved = resolveTrackIds(plan, before.tracks, journal);
    if (nowFingerprint !== plan.fingerprint) {
      const drift = [...resolved.missing, ...findDrift(plan, before, resolved.ids)];
      if (drift.length && options.replan) {
        plan = rebasePlan(plan, before);
        resolved = resolveTrackIds(plan, before.tracks, journal);
        emit({type: 'replanned', differences: drift});
      } else if (drift.length) {
        const shown = drift.slice(0, 5).join('; ');
        throw new ApplyRefused(`The server changed since the plan was made (${drift.length} difference${drift.length === 1 ? '' : 's'}: ${shown}${drift.length > 5 ? '; …' : ''}); nothing was applied. Make a new plan, or pass --replan to apply the plan's placements to the server as it is now.`);
      }
    }

    const serverTrack = new Map(before.workOrders.map((wo) => [wo.id, wo.trackId]));
    const changed = plan.items.filter((item) => changeOf(item));
    // Already where the plan wants them: landed in an earlier run (or done by hand).
    const alreadyDone = changed.filter((item) => {
      const target = targetId(item, resolved.ids);
      return target !== undefined && serverTrack.get(item.id) === target;
    });
    const doneIds = new Set(alreadyDone.map((item) => item.id));
    const pending = changed.filter((item) => !doneIds.has(item.id));
    const toCreate = plan.tracks.filter((track) => !resolved.ids.has(track.key));
    emit({type: 'start', changes: changed.length, pending: pending.length, alreadyDone: alreadyDone.length, tracksToCreate: toCreate.length});

    // Probe with a request that changes nothing: re-send a WO's current track.
    const probe = before.workOrders[0];
    if (probe && (pending.length || toCreate.length)) {
      try {
        await client.assignTrack(probe.id, probe.trackId);
      } catch (error) {
        if (error instanceof PccError && (error.kind === 'no-assign-route' || error.kind === 'auth' || error.kind === 'forbidden')) throw new ApplyRefused(error.message);
        throw error;
      }
      emit({type: 'probe', workOrder: probe.id});
    }

    const tracksCreated: string[] = [];
    const tracksReused: string[] = [];
    for (const track of plan.tracks) {
      const id = resolved.ids.get(track.key);
      if (id && track.existingId === null) {
        tracksReused.push(track.name);
        if (!journal.tracks.has(track.key)) journal.recordTrack(track.key, id);
      }
    }
    const failed: {id: string; error: string}[] = [];
    let stopped = false;
    const stop = () => stopped || Boolean(options.signal?.aborted);

    for (const track of toCreate) {
      if (stop()) break;
      try {
        const {id, action} = await createTrackOnce(client, track);
        resolved.ids.set(track.key, id);
        journal.recordTrack(track.key, id);
        tracksCreated.push(track.name);
        emit({type: 'track', key: track.key, name: track.name, id, action});
      } catch (error) {
        if (options.signal?.aborted) break;
        failed.push({id: `track ${track.name}`, error: message(error)});
        emit({type: 'failed', id: `track ${track.name}`, error: message(error)});
        if (options.failFast) stopped = true;
      }
    }

    let done = 0;
    const total = pending.length;
    await pool(pending, options.concurrency ?? 8, async (item) => {
      const target = targetId(item, resolved.ids);
      if (target === undefined) {
        const error = `its track "${item.plannedKey}" could not be created`;
        failed.push({id: item.id, error});
        emit({type: 'failed', id: item.id, error});
        if (options.failFast) stopped = true;
        return;
      }
      try {
        await client.assignTrack(item.id, target);
        journal.recordAssigned(item.id, target);
        done++;
        emit({type: 'assigned', id: item.id, fromKey: item.currentKey, toKey: item.plannedKey, done, total});
      } catch (error) {
        if (options.signal?.aborted) return;
        failed.push({id: item.id, error: message(error)});
        emit({type: 'failed', id: item.id, error: message(error)});
        if (options.failFast) stopped = true;
      }
    }, stop);
    const interrupted = Boolean(options.signal?.aborted) || stopped;
    if (interrupted) emit({type: 'stopping', reason: options.signal?.aborted ? 'stopped by the user' : 'stopped at the first failure (--fail-fast)'});

    // Read back with a fresh client: the run's signal may be aborted by now.
    const verifier = createPccClient(options.client);
    let after: ServerState | null = null;
    let mismatches: string[];
    try {
      after = await readServer(verifier);
      mismatches = verify(plan, after, resolved.ids);
    } catch (error) {
      mismatches = [`the server could not be read back (${message(error)}); run the same plan again to resume and verify`];
    }
    emit({type: 'verify', ok: mismatches.length === 0, mismatches});

    let undoPlan: string | null = null;
    if (options.undoPlanFile && after) {
      const undo = makeUndoPlan(plan, after, resolved.ids, tracksCreated);
      if (undo.items.length) {
        writeFileSync(options.undoPlanFile, serializePlan(undo));
        undoPlan = options.undoPlanFile;
      }
    }
    const outcome: ApplyOutcome = {
      tracksCreated,
      tracksReused,
      applied: done,
      resumed: alreadyDone.length,
      failed,
      retries,
      stopped: interrupted,
      verified: mismatches.length === 0,
      mismatches,
      undoPlan,
      durationMs: Date.now() - started,
    };
    emit({type: 'finished', outcome});
    return outcome;
  }
}

/** POST is not idempotent: after an answer that was lost, look before trying again. */
async function createTrackOnce(client: PccClient, track: Plan['tracks'][number]): Promise<{id: string; action: 'created' | 'recovered'}> {
  const attempts = 3;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const created = await client.createTrack({name: track.name, description: track.description, goal: track.goal, color: track.color, icon: track.icon, sortOrder: track.sortOrder});
      return {id: created.id, action: 'created'};
    } catch (error) {
      lastError = error;
      if (!(error instanceof PccError) || !error.outcomeUnknown || error.kind === 'aborted') throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      const existing = (await client.listTracks()).find((candidate) => normalizeTrackName(candidate.name) === track.key);
      if (existing) return {id: existing.id, action: 'recovered'};
    }
  }
  throw lastError;
}

/**
 * The plan's placements (what the user decided) on top of the server as it is now: current
 * tracks re-read, tracks re-matched by name, WOs gone from the project dropped.
 */
export function rebasePlan(plan: Plan, state: ServerState): Plan {
  const byId = new Map(state.tracks.map((track) => [track.id, track]));
  const byName = firstByName(state.tracks);
  const tracks = plan.tracks
    .map((track) => ({...track, existingId: track.existingId && byId.has(track.existingId) ? track.existingId : byName.get(track.key)?.id ?? null}))
    .filter((track) => track.inSpec || track.existingId);
  const known = new Set(tracks.map((track) => track.key));
  // Tracks that appeared on the server meanwhile: their WOs stay there unless the plan says otherwise.
  for (const [key, track] of byName) {
    if (!known.has(key)) tracks.push({key, name: track.name, goal: track.goal, description: track.description, color: track.color, icon: track.icon, sortOrder: track.sortOrder, existingId: track.id, inSpec: false});
  }
  const keyById = new Map(tracks.filter((track) => track.existingId).map((track) => [track.existingId!, track.key]));
  const current = new Map(state.workOrders.map((wo) => [wo.id, wo.trackId]));
  const items = plan.items
    .filter((item) => current.has(item.id))
    .map((item) => {
      const key = keyById.get(current.get(item.id) ?? '') ?? null;
      return {...item, currentTrackId: key ? current.get(item.id)! : null, currentKey: key, plannedKey: item.plannedKey !== null && !tracks.some((track) => track.key === item.plannedKey) ? null : item.plannedKey};
    });
  return {...plan, tracks, items, fingerprint: fingerprintOf(plan.spec.hash, state.tracks, state.workOrders)};
}

/** Compares the server with the plan: each WO's track and each track's count. */
export function verify(plan: Plan, state: ServerState, ids: Map<string, string>): string[] {
  const mismatches: string[] = [];
  const serverTrack = new Map(state.workOrders.map((wo) => [wo.id, wo.trackId]));
  const nameById = new Map(state.tracks.map((track) => [track.id, track.name]));
  const label = (id: string | null | undefined) => (id ? `"${sanitizeText(nameById.get(id) ?? id)}"` : 'no track');
  const expectedCount = new Map<string, number>();
  const planned = new Set(plan.items.map((item) => item.id));
  for (const item of plan.items) {
    const target = targetId(item, ids);
    if (target) expectedCount.set(target, (expectedCount.get(target) ?? 0) + 1);
    if (!serverTrack.has(item.id)) {
      mismatches.push(`${item.id} is not in the project any more`);
      continue;
    }
    const now = serverTrack.get(item.id) ?? null;
    if (target === undefined) mismatches.push(`${item.id} should be on "${item.plannedKey}", which does not exist on the server`);
    else if (now !== target) mismatches.push(`${item.id} is on ${label(now)}, the plan says ${label(target)}`);
  }
  // WOs the plan did not know (added since) keep whatever track they have.
  for (const wo of state.workOrders) {
    if (!planned.has(wo.id) && wo.trackId) expectedCount.set(wo.trackId, (expectedCount.get(wo.trackId) ?? 0) + 1);
  }
  for (const track of plan.tracks) {
    const id = ids.get(track.key);
    if (!id) continue;
    const serverCount = state.tracks.find((candidate) => candidate.id === id)?.workOrderCount ?? 0;
    const expected = expectedCount.get(id) ?? 0;
    if (serverCount !== expected) mismatches.push(`track "${sanitizeText(track.name)}" has ${serverCount} work orders on the server, the plan expects ${expected}`);
    const sameName = state.tracks.filter((candidate) => normalizeTrackName(candidate.name) === track.key);
    if (sameName.length > 1) mismatches.push(`the server has ${sameName.length} tracks named "${sanitizeText(track.name)}"`);
  }
  return mismatches;
}

/** A plan that puts every WO this plan changed back where it was. Created tracks stay. */
export function makeUndoPlan(plan: Plan, state: ServerState, ids: Map<string, string>, tracksCreated: string[]): Plan {
  const serverTrack = new Map(state.workOrders.map((wo) => [wo.id, wo.trackId]));
  const items: PlanItem[] = [];
  for (const item of plan.items) {
    const target = targetId(item, ids);
    if (!changeOf(item) || target === undefined || serverTrack.get(item.id) !== target || !serverTrack.has(item.id)) continue;
    items.push({
      ...item,
      currentTrackId: target,
      currentKey: item.plannedKey,
      plannedKey: item.currentKey,
      source: 'manual',
      reason: `undo: back to where it was before the plan of ${plan.createdAt}`,
      suggestion: undefined,
    });
  }
  return {
    ...plan,
    createdAt: new Date().toISOString(),
    fingerprint: fingerprintOf(plan.spec.hash, state.tracks, state.workOrders),
    tracks: plan.tracks.map((track) => ({...track, existingId: ids.get(track.key) ?? track.existingId})),
    items,
    notInProject: [],
    notInMapping: [],
    warnings: tracksCreated.length ? [`Tracks created by the run stay in place (delete them in PCC if needed): ${tracksCreated.join(', ')}.`] : [],
  };
}

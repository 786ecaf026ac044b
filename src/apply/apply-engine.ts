import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {fromServer} from '../plan/build-plan.js';
import {changeOf, currentIdsOf, needsReview, sameIds} from '../plan/changes.js';
import {serializePlan} from '../plan/plan-file.js';
import type {Plan, PlanItem, PlanTrack} from '../plan/plan-types.js';
import {PccError} from '../pcc/pcc-error.js';
import type {TrackRecord} from '../pcc/validate.js';
import type {ApplyOutcome} from '../report/report.js';
import {normalizeTrackName} from '../spec/spec-parser.js';
import {sanitizeText} from '../workorders/sanitize.js';
import type {ApplyEvent} from './apply-events.js';
import type {ApplyTarget, TargetHooks, TargetState} from './apply-target.js';
import {sleep} from './sleep.js';
import {Journal} from './journal.js';
import {ApplyRefused} from './refusal.js';
import {acquireRunLock, LockHeld} from './run-lock.js';
import {makeUndoPlan} from './undo-plan.js';
import {checkResolvedIds, findDrift, fingerprintOfState, targetIdsOf, verify} from './verify.js';

export {ApplyRefused} from './refusal.js';
export {makeUndoPlan} from './undo-plan.js';
export {verify} from './verify.js';

export type ApplyOptions = {
  plan: Plan;
  /** Opens the target with the run's hooks (abort signal, retry reports). */
  openTarget: (hooks: TargetHooks) => ApplyTarget;
  journalFile: string;
  /** Where the undo plan goes; null to skip it. */
  undoPlanFile: string | null;
  concurrency?: number;
  failFast?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: ApplyEvent) => void;
  /** When the server drifted since the plan was made, rebase the plan's placements onto it instead of refusing. */
  replan?: boolean;
  /** Told the rebased plan when `replan` applied the placements to the target as it is now (the report describes that plan). */
  onReplanned?: (plan: Plan) => void;
  /** How long to wait before the second read-back when a write went unanswered (default 3 s). */
  graceMs?: number;
  /** How long the server may stay unreachable before the run gives up (default 2 min). */
  maxOutageMs?: number;
  /**
   * Before sending, WOs are read again when the first read is older than this (default 2 s): long
   * enough ago that someone may have moved one. Reading 10,000 WOs costs about a second.
   */
  rereadAfterMs?: number;
};

/** How long requests in flight at a Ctrl-C may take to answer before they are cut. */
const IN_FLIGHT_GRACE_MS = 2000;

/** Consecutive connection failures that pause the sends. */
const OUTAGE_THRESHOLD = 3;
/** How often one WO is put back in the queue after a connection failure. */
const MAX_REQUEUES = 5;

/** The target's tracks by normalized name; where a name is taken twice, the first one. */
function firstByName(tracks: readonly TrackRecord[]): Map<string, TrackRecord> {
  const byName = new Map<string, TrackRecord>();
  for (const track of tracks) {
    const key = normalizeTrackName(track.name);
    if (!byName.has(key)) byName.set(key, track);
  }
  return byName;
}

/** Target id for each plan track key, where the track exists (or was created by this plan). */
function resolveTrackIds(plan: Plan, tracks: readonly TrackRecord[], journal: Journal): {ids: Map<string, string>; missing: string[]} {
  const byId = new Map(tracks.map((track) => [track.id, track]));
  const byName = firstByName(tracks);
  const ids = new Map<string, string>();
  const missing: string[] = [];
  for (const track of plan.tracks) {
    if (track.existingId) {
      if (byId.has(track.existingId)) ids.set(track.key, track.existingId);
      else if (!track.duplicateOf) missing.push(`track "${sanitizeText(track.name)}" (${sanitizeText(track.existingId)}) is no longer on the server`);
      continue;
    }
    if (plan.kind === 'undo') continue;
    const journaled = journal.tracks.get(track.key);
    const fromJournal = journaled ? byId.get(journaled) : undefined;
    // A journal line is trusted only if it still names a track of this name.
    const found = (fromJournal && normalizeTrackName(fromJournal.name) === track.key ? fromJournal : undefined) ?? byName.get(track.key);
    if (found) ids.set(track.key, found.id);
  }
  return {ids, missing};
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isConnectionFailure(error: unknown): boolean {
  return error instanceof PccError && (error.kind === 'unreachable' || error.kind === 'timeout');
}

/**
 * Applies a plan to a target: check drift and capability (without writing), create missing
 * tracks (never twice), set each changed WO's tracks, merge duplicate copies, then read the
 * target back (again after a grace period when a write went unanswered) and compare.
 */
export async function applyPlan(options: ApplyOptions): Promise<ApplyOutcome> {
  let plan = options.plan;
  const emit = options.onEvent ?? (() => {});
  const started = Date.now();
  let retries = 0;
  // Ctrl-C stops new sends at once; requests already in flight get a moment to answer, so what
  // landed is counted, and are cut only if the server does not answer.
  const inFlight = new AbortController();
  const onStop = () => setTimeout(() => inFlight.abort(options.signal?.reason), IN_FLIGHT_GRACE_MS).unref();
  const target = options.openTarget({
    signal: inFlight.signal,
    onRetry: (info) => {
      retries++;
      emit({type: 'retry', ...info});
    },
  });
  emit({type: 'target', label: target.label});
  // One run per target, and one writer per journal (a plan applied to two targets shares it).
  const releases: (() => void)[] = [];
  try {
    releases.push(acquireRunLock(target.lockKey, target.label));
    releases.push(acquireRunLock(`journal ${path.resolve(options.journalFile)}`, `the journal ${options.journalFile}`));
  } catch (error) {
    for (const release of releases) release();
    target.close();
    if (error instanceof LockHeld) throw new ApplyRefused(`${error.message}; wait for it to finish, then run the same command again. Nothing was changed.`);
    throw new ApplyRefused(`The lock for ${target.label} could not be taken (${message(error)}); nothing was changed.`);
  }
  const release = () => releases.forEach((free) => free());
  // Added once nothing before the `finally` below can throw, so it is always removed.
  options.signal?.addEventListener('abort', onStop, {once: true});
  let journal: Journal | null = null;
  try {
    journal = Journal.open(options.journalFile, plan.fingerprint);
    return await run(journal);
  } finally {
    options.signal?.removeEventListener('abort', onStop);
    journal?.close();
    release();
    target.close();
  }

  async function run(journal: Journal): Promise<ApplyOutcome> {
    let replanned: string[] | null = null;
    const before = await target.readState();
    const readAt = Date.now();
    const nowFingerprint = fingerprintOfState(plan.spec.hash, before);
    let resolved = resolveTrackIds(plan, before.tracks, journal);
    if (nowFingerprint !== plan.fingerprint) {
      const drift = [...resolved.missing, ...findDrift(plan, before, resolved.ids, target.kind)];
      if (drift.length && options.replan) {
        // Undo puts back only what is still as the run left it (a WO changed since is left as it
        // is now); a forward plan's placements go onto the target as it is now.
        plan = plan.kind === 'undo' ? withoutChangedSince(plan, before, resolved.ids) : rebasePlan(plan, before);
        resolved = resolveTrackIds(plan, before.tracks, journal);
        replanned = drift;
        options.onReplanned?.(plan);
        emit({type: 'replanned', differences: drift});
      } else if (drift.length) {
        const advice = plan.kind === 'undo' ? 'Pass --replan to undo the rest and leave those work orders as they are now.' : `Make a new plan, or pass --replan to apply the plan's placements to ${target.kind === 'database' ? 'it' : 'the server'} as it is now.`;
        throw new ApplyRefused(`${target.kind === 'database' ? "PCC's database" : 'The server'} changed since the plan was made (${drift.length} difference${drift.length === 1 ? '' : 's'}: ${drift.join('; ')}); nothing was applied. ${advice}`);
      }
    }
    const idProblems = checkResolvedIds(plan, before, resolved.ids);
    if (idProblems.length) throw new ApplyRefused(`The plan's tracks do not match the server's (${idProblems.join('; ')}); nothing was applied. Make a new plan.`);

    const changed = plan.items.filter((item) => changeOf(item));
    const serverIds = new Map(before.workOrders.map((wo) => [wo.id, wo.trackIds]));
    // Already where the plan wants them: landed in an earlier run (or done by hand).
    const isDone = (item: PlanItem) => {
      const wanted = targetIdsOf(item, resolved.ids);
      const now = serverIds.get(item.id);
      return wanted !== undefined && now !== undefined && sameIds(now, wanted);
    };
    const alreadyDone = changed.filter(isDone);
    const pending = changed.filter((item) => !isDone(item));
    const toCreate = plan.kind === 'undo' ? [] : plan.tracks.filter((track) => !resolved.ids.has(track.key) && !track.duplicateOf);
    const copies = plan.tracks.filter((track) => track.duplicateOf && resolved.ids.has(track.key));
    if (pending.length || toCreate.length || copies.length) await target.checkCanAssign();
    emit({type: 'start', changes: changed.length, pending: pending.length, alreadyDone: alreadyDone.length, tracksToCreate: toCreate.length});

    const tracksCreated: string[] = [];
    const tracksReused: string[] = [];
    const tracksDeleted: string[] = [];
    for (const track of plan.tracks) {
      const id = resolved.ids.get(track.key);
      if (id && track.existingId === null) {
        tracksReused.push(track.name);
        if (journal.tracks.get(track.key) !== id) journal.recordTrack(track.key, id);
      }
    }
    const failed: {id: string; error: string}[] = [];
    let stopped = false;
    let gaveUp: string | null = null;
    const stop = () => stopped || Boolean(options.signal?.aborted);
    // `afterAll`: the failure is known once everything else was written (the database's one
    // transaction), so there is nothing left for --fail-fast to stop.
    const fail = (id: string, error: string, afterAll = false) => {
      failed.push({id, error});
      emit({type: 'failed', id, error});
      if (options.failFast && !afterAll) stopped = true;
    };
    const knownIds = new Map(before.tracks.map((track) => [track.id, track.name]));

    /** A created or found track is accepted only if it carries the name and no other plan track has its id. */
    const accept = (track: PlanTrack, created: {id: string; name: string}): string | null => {
      if (normalizeTrackName(created.name) !== track.key) return `the server answered with a track named "${sanitizeText(created.name)}"`;
      const other = [...resolved.ids].find(([key, id]) => id === created.id && key !== track.key);
      if (other) return `the server answered with the id of track "${sanitizeText(plan.tracks.find((candidate) => candidate.key === other[0])?.name ?? other[0])}"`;
      const earlier = knownIds.get(created.id);
      if (earlier !== undefined && normalizeTrackName(earlier) !== track.key) return `the server answered with the id of track "${sanitizeText(earlier)}"`;
      return null;
    };

    let assigned = 0;
    const total = pending.length;
    const sent = new Set<string>();
    const onAssigned = (item: PlanItem) => {
      assigned++;
      sent.add(item.id);
      emit({type: 'assigned', id: item.id, fromKey: item.currentKey, toKey: item.plannedKey, done: assigned, total});
    };

    // Where each WO is before its first change, once per plan across runs: what undo restores.
    // The database path writes all or nothing, so it records only once the write committed.
    const recordBefore = (items: readonly PlanItem[] = pending) => journal.recordBefore(items.map((item) => ({id: item.id, trackIds: serverIds.get(item.id) ?? []})));
    // PCC's API sets one track per WO: an undo back onto several needs the database.
    if (target.kind === 'api') {
      const several = pending.filter((item) => (item.restoreTrackIds?.length ?? 0) > 1);
      if (several.length) throw new ApplyRefused(`${several.length} work order${several.length === 1 ? '' : 's'} (${several.slice(0, 5).map((item) => sanitizeText(item.id)).join(', ')}) should go back on several tracks, which PCC's API cannot do; apply this plan with --pcc-db PATH. Nothing was changed.`);
      recordBefore();
    }

    if (target.applyBatch) {
      // All or nothing, in one transaction: a crash leaves nothing half-done.
      if (!stop()) {
        try {
          const result = await target.applyBatch({
            create: toCreate,
            assignments: pending.map((item) => ({id: item.id, trackIds: item.restoreTrackIds ?? (item.plannedKey === null ? [] : resolved.ids.has(item.plannedKey) ? [resolved.ids.get(item.plannedKey)!] : {key: item.plannedKey}), expected: serverIds.get(item.id) ?? []})),
            deleteIfEmpty: copies.map((track) => resolved.ids.get(track.key)!),
          });
          const movedByOthers = result.movedMeanwhile ?? [];
          const moved = new Map(movedByOthers.filter((wo) => !wo.atTarget).map((wo) => [wo.id, wo.trackIds]));
          const settled = new Set(movedByOthers.filter((wo) => wo.atTarget).map((wo) => wo.id));
          const written = pending.filter((item) => !moved.has(item.id) && !settled.has(item.id));
          // Undo restores only what this run wrote: a WO someone else moved is theirs.
          recordBefore(written);
          for (const track of toCreate) {
            const created = result.created.get(track.key);
            if (!created) continue;
            resolved.ids.set(track.key, created.id);
            (created.action === 'created' ? tracksCreated : tracksReused).push(track.name);
            emit({type: 'track', key: track.key, name: track.name, id: created.id, action: created.action});
          }
          for (const item of written) onAssigned(item);
          const names = new Map([...before.tracks.map((track) => [track.id, track.name] as const), ...[...result.created.values()].map((track) => [track.id, track.name] as const)]);
          for (const [id, now] of moved) fail(id, `moved by someone else during the run (now on ${now.length ? now.map((track) => `"${sanitizeText(names.get(track) ?? track)}"`).join(' and ') : 'no track'}); left as they put it`, true);
          for (const track of copies) {
            if (result.deleted.includes(resolved.ids.get(track.key)!)) {
              tracksDeleted.push(track.name);
              emit({type: 'track-deleted', name: track.name, id: resolved.ids.get(track.key)!, reason: 'a copy of a track name, now empty'});
            } else fail(`track ${track.name}`, `the copy ${resolved.ids.get(track.key)} was kept: it still has work orders or is another track's parent`, true);
          }
        } catch (error) {
          if (error instanceof ApplyRefused) throw error;
          fail('the transaction', message(error));
        }
      }
    } else {
      for (const track of toCreate) {
        if (stop()) break;
        try {
          const created = await target.createTrack(track);
          const refusal = accept(track, created);
          if (refusal) {
            fail(`track ${track.name}`, `${refusal}; it is not trusted, and its WOs are not sent`);
            continue;
          }
          resolved.ids.set(track.key, created.id);
          journal.recordTrack(track.key, created.id);
          (created.action === 'reused' ? tracksReused : tracksCreated).push(track.name);
          emit({type: 'track', key: track.key, name: track.name, id: created.id, action: created.action});
        } catch (error) {
          if (options.signal?.aborted) break;
          fail(`track ${track.name}`, message(error));
        }
      }
      gaveUp = await sendAssignments(await notMovedMeanwhile(pending));
      if (!stop() && !gaveUp) await mergeCopies();
    }

    /**
     * PCC's PUT is unconditional: read the WOs once more right before sending, and leave alone any
     * WO someone moved since the start of the run, instead of overwriting their move.
     */
    async function notMovedMeanwhile(items: PlanItem[]): Promise<PlanItem[]> {
      if (!items.length || stop() || Date.now() - readAt < (options.rereadAfterMs ?? 2000)) return items;
      let fresh: TargetState;
      try {
        fresh = await target.readState();
      } catch {
        return items;
      }
      const now = new Map(fresh.workOrders.map((wo) => [wo.id, wo.trackIds]));
      const names = new Map(fresh.tracks.map((track) => [track.id, track.name]));
      return items.filter((item) => {
        const was = serverIds.get(item.id) ?? [];
        const is = now.get(item.id);
        const wanted = targetIdsOf(item, resolved.ids);
        if (!is || sameIds(is, was) || (wanted && sameIds(is, wanted))) return true;
        const where = is.length ? is.map((id) => `"${sanitizeText(names.get(id) ?? id)}"`).join(' and ') : 'no track';
        fail(item.id, `moved by someone else during the run (now on ${where}); left as they put it`);
        return false;
      });
    }

    async function sendAssignments(items: PlanItem[]): Promise<string | null> {
      const queue = [...items];
      const requeued = new Map<string, number>();
      let consecutive = 0;
      let outage: Promise<boolean> | null = null;
      let outageMessage: string | null = null;
      const waitForServer = () => (outage ??= pauseUntilReachable().finally(() => (outage = null)));

      async function pauseUntilReachable(): Promise<boolean> {
        const limit = options.maxOutageMs ?? 120_000;
        const since = Date.now();
        let delay = 1000;
        while (!options.signal?.aborted) {
          emit({type: 'paused', reason: 'server unreachable', retryInMs: delay});
          await sleep(delay, options.signal);
          if (options.signal?.aborted) return false;
          if (await target.ping()) {
            consecutive = 0;
            emit({type: 'resumed'});
            return true;
          }
          if (Date.now() - since >= limit) {
            outageMessage = `not sent: the server stayed unreachable for ${Math.round((Date.now() - since) / 1000)} s`;
            return false;
          }
          delay = Math.min(delay * 2, 15_000);
        }
        return false;
      }

      const worker = async () => {
        while (queue.length && !stop() && !outageMessage) {
          if (outage && !(await outage)) break;
          const item = queue.shift()!;
          const wanted = targetIdsOf(item, resolved.ids);
          if (wanted === undefined) {
            fail(item.id, `its track "${sanitizeText(item.plannedKey ?? '')}" could not be created`);
            continue;
          }
          try {
            await target.setTracks(item.id, wanted);
            consecutive = 0;
            // Counted even when the answer comes after Ctrl-C: it landed.
            onAssigned(item);
          } catch (error) {
            if (options.signal?.aborted) return;
            if (isConnectionFailure(error) && (requeued.get(item.id) ?? 0) < MAX_REQUEUES) {
              requeued.set(item.id, (requeued.get(item.id) ?? 0) + 1);
              queue.push(item);
              if (++consecutive >= OUTAGE_THRESHOLD && !(await waitForServer())) break;
              continue;
            }
            fail(item.id, message(error));
          }
        }
      };
      await Promise.all(Array.from({length: Math.max(1, Math.min(options.concurrency ?? 8, items.length))}, worker));
      if (outageMessage) for (const item of queue) fail(item.id, outageMessage);
      return outageMessage;
    }

    /** Copies of a track name: once their WOs are on the first copy, delete them if empty. */
    async function mergeCopies(): Promise<void> {
      if (!copies.length) return;
      let state: TargetState;
      try {
        state = await target.readState();
      } catch (error) {
        for (const track of copies) fail(`track ${track.name}`, `not merged: the server could not be read (${message(error)})`);
        return;
      }
      for (const track of copies) {
        const id = resolved.ids.get(track.key)!;
        const count = state.workOrders.filter((wo) => wo.trackIds.includes(id)).length;
        if (count) {
          fail(`track ${track.name}`, `still has ${count} work orders, so it is not deleted`);
          continue;
        }
        try {
          await target.deleteTrack(id);
          tracksDeleted.push(track.name);
          emit({type: 'track-deleted', name: track.name, id, reason: 'a copy of a track name, now empty'});
        } catch (error) {
          fail(`track ${track.name}`, message(error));
        }
      }
    }

    const interrupted = Boolean(options.signal?.aborted) || stopped || gaveUp !== null;
    if (interrupted) emit({type: 'stopping', reason: options.signal?.aborted ? 'stopped by the user' : gaveUp ? 'the server stayed unreachable' : 'stopped at the first failure (--fail-fast)'});

    // Deleted copies are gone on purpose: verification no longer looks for them.
    for (const track of copies) if (tracksDeleted.includes(track.name)) resolved.ids.delete(track.key);

    let after: TargetState | null = null;
    let mismatches: string[];
    // Set when the last read-back failed: nothing was verified, whatever else is said.
    let unread: string | null = null;
    const readAndVerify = async () => {
      try {
        after = await target.readBack();
        mismatches = [...verify(plan, after, resolved.ids), ...(after.problems ?? [])];
        unread = null;
      } catch (error) {
        after = null;
        mismatches = [`the server could not be read back (${message(error)}); run the same plan again to resume and verify`];
        unread = mismatches[0];
      }
    };
    await readAndVerify();
    // A write that went unanswered may land late: look again after a grace period.
    if (target.unanswered && !options.signal?.aborted) {
      emit({type: 'grace', waitMs: options.graceMs ?? 3000});
      await sleep(options.graceMs ?? 3000);
      await readAndVerify();
    }
    if (after && !options.signal?.aborted) {
      const removed = await removeLateCopies(after);
      if (removed) await readAndVerify();
    }

    /** An empty copy of a plan track whose POST went unanswered, new since the run began: a late POST. Delete it. */
    async function removeLateCopies(state: TargetState): Promise<boolean> {
      const existedBefore = new Set(before.tracks.map((track) => track.id));
      const used = new Set(state.workOrders.flatMap((wo) => wo.trackIds));
      let removed = false;
      for (const track of plan.tracks) {
        const keep = resolved.ids.get(track.key);
        // Only a copy of a track whose POST this run lost can be this run's own late copy.
        if (!keep || track.duplicateOf || !target.lostCreates.has(track.key)) continue;
        for (const copy of state.tracks) {
          if (copy.id === keep || normalizeTrackName(copy.name) !== track.key || existedBefore.has(copy.id) || used.has(copy.id)) continue;
          try {
            await target.deleteTrack(copy.id);
            removed = true;
            emit({type: 'track-deleted', name: track.name, id: copy.id, reason: 'an empty copy made by a request that was answered late'});
          } catch (error) {
            fail(`track ${track.name}`, `an empty copy (${copy.id}) appeared and could not be deleted: ${message(error)}`);
          }
        }
      }
      return removed;
    }

    const finalMismatches = mismatches!;
    emit({type: 'verify', ok: finalMismatches.length === 0, mismatches: finalMismatches, targetKind: target.kind});

    let undoPlan: string | null = null;
    const finalState = after as TargetState | null;
    if (options.undoPlanFile && finalState && plan.kind !== 'undo') {
      const undo = makeUndoPlan(plan, finalState, resolved.ids, tracksCreated, journal.before);
      if (undo.items.length) {
        try {
          writeFileSync(options.undoPlanFile, serializePlan(undo));
          undoPlan = options.undoPlanFile;
        } catch (error) {
          fail('the undo plan', `${options.undoPlanFile} could not be written (${message(error)})`);
        }
      }
    }
    const outcome: ApplyOutcome = {
      target: target.label,
      targetKind: target.kind,
      tracksCreated,
      tracksReused,
      tracksDeleted,
      applied: assigned,
      resumed: alreadyDone.length,
      failed,
      retries,
      stopped: interrupted,
      verified: finalMismatches.length === 0,
      mismatches: finalMismatches,
      undoPlan,
      durationMs: Date.now() - started,
      ...(replanned ? {replanned} : {}),
      // Without a read-back there is no state to build the undo plan from: said, not left out silently.
      ...(!finalState && options.undoPlanFile && plan.kind !== 'undo' && assigned > 0 ? {noUndoPlan: true as const} : {}),
      ...(unread ? {targetProblems: [unread]} : finalState?.problems?.length ? {targetProblems: finalState.problems} : {}),
      ...(interrupted ? {unsent: countUnsent(pending, sent, failed)} : {}),
    };
    emit({type: 'finished', outcome});
    return outcome;
  }
}

/** WOs of the run neither sent nor failed: what a stopped run leaves for the next one. */
function countUnsent(pending: readonly PlanItem[], sent: ReadonlySet<string>, failed: readonly {id: string}[]): number {
  const failedIds = new Set(failed.map((failure) => failure.id));
  return pending.filter((item) => !sent.has(item.id) && !failedIds.has(item.id)).length;
}

/** An undo plan without the WOs that changed since it was written (neither as it expected nor already put back). */
export function withoutChangedSince(plan: Plan, state: TargetState, ids: ReadonlyMap<string, string>): Plan {
  const now = new Map(state.workOrders.map((wo) => [wo.id, wo.trackIds]));
  const items = plan.items.filter((item) => {
    const is = now.get(item.id);
    if (!is) return false;
    const wanted = targetIdsOf(item, ids);
    return sameIds(is, currentIdsOf(item)) || (wanted !== undefined && sameIds(is, wanted));
  });
  return {...plan, items, fingerprint: fingerprintOfState(plan.spec.hash, state)};
}

/**
 * The plan's placements (what the user decided) on top of the server as it is now: current
 * tracks re-read, tracks re-matched by name, WOs gone from the project dropped. WOs the plan
 * left undecided stay where they are now. (Where each WO was before the first run is in the
 * journal, so the undo plan still returns there.)
 */
export function rebasePlan(plan: Plan, state: TargetState): Plan {
  const byId = new Map(state.tracks.map((track) => [track.id, track]));
  const byName = firstByName(state.tracks);
  const tracks = plan.tracks
    .map((track) => ({...track, existingId: track.existingId && byId.has(track.existingId) ? track.existingId : track.duplicateOf ? null : byName.get(track.key)?.id ?? null}))
    .filter((track) => (track.inSpec || track.existingId) && !(track.duplicateOf && !track.existingId));
  const known = new Set(tracks.map((track) => track.key));
  // Tracks that appeared on the server meanwhile: their WOs stay there unless the plan says otherwise.
  for (const [key, track] of byName) {
    if (!known.has(key)) tracks.push(fromServer(key, track));
  }
  const keyById = new Map(tracks.filter((track) => track.existingId).map((track) => [track.existingId!, track.key]));
  const current = new Map(state.workOrders.map((wo) => [wo.id, wo.trackIds]));
  const trackKeys = new Set(tracks.map((track) => track.key));
  const items = plan.items
    .filter((item) => current.has(item.id))
    .map((item): PlanItem => {
      const ids = current.get(item.id)!;
      const key = ids.length ? keyById.get(ids[0]) ?? null : null;
      const plannedKey = needsReview(item) ? key : item.plannedKey !== null && !trackKeys.has(item.plannedKey) ? null : item.plannedKey;
      const rebased: PlanItem = {...item, currentTrackId: key ? ids[0] : null, currentKey: key, plannedKey};
      delete rebased.currentTrackIds;
      if (ids.length > 1 || (ids.length === 1 && !key)) rebased.currentTrackIds = [...ids];
      return rebased;
    });
  return {...plan, tracks, items, fingerprint: fingerprintOfState(plan.spec.hash, state)};
}

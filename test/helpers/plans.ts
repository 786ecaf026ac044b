import path from 'node:path';
import {applyPlan, type ApplyOptions} from '../../src/apply/apply-engine.js';
import type {ApplyEvent} from '../../src/apply/apply-events.js';
import {apiTarget} from '../../src/cli/apply-target-choice.js';
import type {ClientOptions} from '../../src/pcc/pcc-client.js';
import {buildPlan} from '../../src/plan/build-plan.js';
import type {Plan} from '../../src/plan/plan-types.js';
import {createPccClient} from '../../src/pcc/pcc-client.js';
import {seedSpec, tempDir} from './fixtures.js';

export const PROJECT = 'project-control-center';

/** Plans the seed against what the server holds now, as the CLI does. */
export async function planAgainst(url: string): Promise<Plan> {
  const client = createPccClient({baseUrl: url, project: PROJECT});
  const [{workOrders}, serverTracks] = await Promise.all([client.listWorkOrders(), client.listTracks()]);
  return buildPlan({spec: seedSpec(), workOrders, serverTracks, project: PROJECT, api: url});
}

export function runFiles(): {journalFile: string; undoPlanFile: string} {
  const dir = tempDir();
  return {journalFile: path.join(dir, 'plan.journal.jsonl'), undoPlanFile: path.join(dir, 'plan.undo.json')};
}

/** Track name → WO ids, straight from the server's answers. */
export async function serverDistribution(url: string): Promise<{byTrack: Record<string, string[]>; trackNames: string[]; trackIdByWo: Map<string, string | null>}> {
  const client = createPccClient({baseUrl: url, project: PROJECT});
  const [{workOrders}, tracks] = await Promise.all([client.listWorkOrders(), client.listTracks()]);
  const nameById = new Map(tracks.map((track) => [track.id, track.name]));
  const byTrack: Record<string, string[]> = {};
  for (const wo of workOrders) {
    const name = wo.trackId ? nameById.get(wo.trackId)! : '(none)';
    (byTrack[name] ??= []).push(wo.id);
  }
  return {byTrack, trackNames: tracks.map((track) => track.name).sort(), trackIdByWo: new Map(workOrders.map((wo) => [wo.id, wo.trackId]))};
}

/** Applies a plan (by default: the seed planned against the server now) with test-friendly timings. */
export async function applyAgainst(url: string, overrides: Partial<ApplyOptions> & {files?: ReturnType<typeof runFiles>; client?: Partial<ClientOptions>} = {}) {
  const plan = overrides.plan ?? (await planAgainst(url));
  const files = overrides.files ?? runFiles();
  const events: ApplyEvent[] = [];
  const outcome = await applyPlan({
    plan,
    openTarget: apiTarget({baseUrl: url, project: PROJECT, timeoutMs: 2000, retries: 4, ...overrides.client}).openTarget,
    concurrency: 4,
    graceMs: 300,
    ...files,
    ...overrides,
    onEvent: (event) => {
      events.push(event);
      overrides.onEvent?.(event);
    },
  });
  return {plan, outcome, events, files};
}

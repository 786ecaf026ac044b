import {NO_TRACK_SUGGESTION} from '../plan/build-plan.js';
import {mappingDecisions} from '../plan/mapping-decisions.js';
import {firstFew} from '../pcc/same-pcc.js';
import {computeChanges, needsReview} from '../plan/changes.js';
import type {Plan, PlanItem} from '../plan/plan-types.js';
import {sanitizeText} from '../workorders/sanitize.js';

/** What an apply run adds to a report; filled by src/apply. */
export type ApplyOutcome = {
  /** Where it applied: the API's URL and project, or PCC's database file and project. */
  target: string;
  /** What was written: 'api' (the server) or 'database' (PCC's SQLite file). */
  targetKind?: 'api' | 'database';
  tracksCreated: string[];
  tracksReused: string[];
  /** Copies of a track name that the run merged and deleted. */
  tracksDeleted: string[];
  applied: number;
  resumed: number;
  failed: {id: string; error: string}[];
  retries: number;
  stopped: boolean;
  verified: boolean;
  mismatches: string[];
  undoPlan: string | null;
  durationMs: number;
  /** Set when the apply was refused before anything was sent (drift, lock, a busy database …). */
  refusal?: string;
  /** A stopped run: the WOs of the plan it had not sent, or whose answer it did not get (the same plan applied again sends them). */
  unsent?: number;
  /** Changes were made but the target could not be read back, so no undo plan could be written yet. */
  noUndoPlan?: true;
  /** What the read-back found wrong beyond the plan's own comparison (also among `mismatches`). */
  targetProblems?: string[];
  /** How the target had changed since the plan was made, when --replan applied the placements to it as it was. */
  replanned?: string[];
};

export type ReportTrack = {
  name: string;
  color: string | null;
  count: number;
  workOrders: string[];
  exists: boolean;
  inSpec: boolean;
};

export type ReportSuggestion = {
  id: string;
  track: string;
  confidence: number;
  reason: string;
  runnerUp: {track: string; confidence: number} | null;
  placed: boolean;
  /** Where review sent the WO, when it did; null otherwise. */
  decided: string | null;
};

export type ReportChange = {id: string; title: string; kind: 'assign' | 'move' | 'clear'; from: string | null; to: string | null; why: string};

export type Report = {
  project: string;
  spec: string;
  generatedAt: string;
  mode: 'dry-run' | 'applied' | 'plan';
  totals: {workOrders: number; tracks: number; onTracks: number; noTrack: number; needsReview: number};
  tracks: ReportTrack[];
  none: string[];
  needsReview: string[];
  notInProject: string[];
  notInMapping: string[];
  suggested: ReportSuggestion[];
  changes: {
    createTracks: number;
    deleteTracks: number;
    assign: number;
    move: number;
    clear: number;
    unchanged: number;
    /** Every change per WO, as `terraform plan` lists resources: + assign, ~ move, - clear. */
    items: ReportChange[];
  };
  /** Where applying goes ('api', 'database'), or 'none' with what to pass. */
  applyPath?: {kind: 'api' | 'database' | 'none'; text: string};
  /** WO files of the folder at hand that PCC does not list, with the line and the reason. */
  invisibleToPcc: {file: string; id: string; line: number | null; reason: string}[];
  /** What review (moves, accepted suggestions) decided against the spec as given. */
  /** Where the plan departs from the spec's mapping: moves made in review, and suggestions placed above the bar (`suggested`). */
  reviewed: {id: string; spec: string | null; decided: string | null; suggested?: true}[];
  warnings: string[];
  apply?: ApplyOutcome;
};

export function buildReport(plan: Plan, options: {warnings?: string[]; mode: Report['mode']; apply?: ApplyOutcome; now?: Date; applyPath?: Report['applyPath']; invisible?: Report['invisibleToPcc']}): Report {
  const changeSet = computeChanges(plan);
  const byKey = new Map<string, string[]>();
  for (const item of plan.items) {
    if (item.plannedKey === null) continue;
    const list = byKey.get(item.plannedKey) ?? [];
    list.push(item.id);
    byKey.set(item.plannedKey, list);
  }
  const nameOf = new Map(plan.tracks.map((track) => [track.key, track.name]));
  const itemById = new Map(plan.items.map((item) => [item.id, item]));
  const tracks = plan.tracks.map((track) => {
    const workOrders = byKey.get(track.key) ?? [];
    return {name: track.name, color: track.color, count: workOrders.length, workOrders, exists: track.existingId !== null, inSpec: track.inSpec};
  });
  const review = plan.items.filter(needsReview).map((item) => item.id);
  const none = plan.items.filter((item) => item.plannedKey === null && !needsReview(item)).map((item) => item.id);
  const suggested = plan.items
    .filter((item): item is PlanItem & {suggestion: NonNullable<PlanItem['suggestion']>} => Boolean(item.suggestion))
    .map((item) => ({
      id: item.id,
      track: item.suggestion.key === NO_TRACK_SUGGESTION ? 'No track' : nameOf.get(item.suggestion.key) ?? item.suggestion.key,
      confidence: Number(item.suggestion.confidence.toFixed(2)),
      reason: item.suggestion.reason,
      runnerUp: item.suggestion.runnerUp ? {track: item.suggestion.runnerUp.key === NO_TRACK_SUGGESTION ? 'No track' : nameOf.get(item.suggestion.runnerUp.key) ?? item.suggestion.runnerUp.key, confidence: Number(item.suggestion.runnerUp.confidence.toFixed(2))} : null,
      placed: item.source === 'suggested',
      // A guess the review settled: where the WO went instead of "left for review".
      decided: item.source === 'manual' ? (item.plannedKey === null ? 'No track' : nameOf.get(item.plannedKey) ?? item.plannedKey) : null,
    }));
  return {
    project: plan.project,
    spec: plan.spec.id || plan.spec.source,
    generatedAt: (options.now ?? new Date()).toISOString(),
    mode: options.mode,
    totals: {
      workOrders: plan.items.length,
      tracks: plan.tracks.length,
      onTracks: plan.items.length - none.length - review.length,
      noTrack: none.length,
      needsReview: review.length,
    },
    tracks,
    none,
    needsReview: review,
    notInProject: plan.notInProject.map((missing) => missing.id),
    notInMapping: plan.notInMapping,
    suggested,
    changes: {
      createTracks: changeSet.createTracks.length,
      deleteTracks: changeSet.deleteTracks.length,
      assign: changeSet.assign,
      move: changeSet.move,
      clear: changeSet.clear,
      unchanged: changeSet.unchanged,
      items: changeSet.changes.map((change) => {
        const item = itemById.get(change.id)!;
        return {id: change.id, title: item.title, kind: change.kind, from: change.fromKey === null ? null : nameOf.get(change.fromKey) ?? change.fromKey, to: change.toKey === null ? null : nameOf.get(change.toKey) ?? change.toKey, why: item.reason};
      }),
    },
    ...(options.applyPath ? {applyPath: options.applyPath} : {}),
    invisibleToPcc: options.invisible ?? [],
    // An undo plan restores; it decides nothing against the spec.
    reviewed: (plan.kind === 'undo' ? [] : mappingDecisions(plan)).map((decision) => {
      const item = itemById.get(decision.id)!;
      const spec = item.mappedKey === undefined ? 'not in the spec' : item.mappedKey === null ? null : nameOf.get(item.mappedKey) ?? item.mappedKey;
      return {id: decision.id, spec, decided: decision.track, ...(decision.suggested ? {suggested: true as const} : {})};
    }),
    warnings: [...plan.warnings, ...(options.warnings ?? [])],
    ...(options.apply ? {apply: options.apply} : {}),
  };
}

// Markdown is read in editors and on merge pages: keep titles on one line and inert.
function md(text: string): string {
  return sanitizeText(text).replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function bar(count: number, max: number, width = 30): string {
  if (max === 0) return '';
  const cells = Math.round((count / max) * width);
  return '█'.repeat(count > 0 ? Math.max(1, cells) : 0);
}

/** An apply that did all it set out to do: verified, nothing failed, not stopped. */
export function applySucceeded(outcome: ApplyOutcome): boolean {
  return outcome.verified && !outcome.failed.length && !outcome.stopped;
}

/** How an apply ended, for the report's title: the same verdict the done screen gives. */
function appliedHow(apply: ApplyOutcome | undefined): string {
  if (!apply || applySucceeded(apply)) return 'applied';
  if (apply.refusal) return 'not applied';
  return apply.stopped ? 'stopped before the end' : 'finished with problems';
}

/** Id of the failure the wizard records when the engine itself threw: what landed is unknown. */
export const RUN_FAILURE_ID = 'the run';

/** Said wherever a run made changes but could not read the target back to build its undo plan. */
export const NO_UNDO_PLAN_YET = 'No undo plan yet: the target was not read back; applying the same plan again verifies and writes it.';

/** The outcome of an apply refused before anything was sent. */
export function refusedOutcome(target: string, message: string): ApplyOutcome {
  return {target, tracksCreated: [], tracksReused: [], tracksDeleted: [], applied: 0, resumed: 0, failed: [], retries: 0, stopped: false, verified: false, mismatches: [], undoPlan: null, durationMs: 0, refusal: message};
}

/** The outcome of an apply whose engine threw after it may have written: not a refusal, nothing verified. */
export function crashedOutcome(target: string, message: string): ApplyOutcome {
  return {target, tracksCreated: [], tracksReused: [], tracksDeleted: [], applied: 0, resumed: 0, failed: [{id: RUN_FAILURE_ID, error: message}], retries: 0, stopped: false, verified: false, mismatches: ['the run ended with an error before it could verify; run the same plan again to resume and verify'], undoPlan: null, durationMs: 0};
}

/** What an apply that did not succeed left behind, in a few plain words. */
function unfinishedApply(apply: ApplyOutcome): string {
  const plans = "the counts below are the plan's, not the target's";
  if (apply.refusal) return "Nothing was changed; the counts below are the plan's.";
  if (apply.failed.some((failure) => failure.id === RUN_FAILURE_ID)) return `The run ended with an error before it could verify, so what landed is not known; ${plans}. Apply the same plan again: it resumes and verifies.`;
  const made = `This run made ${apply.applied} change${apply.applied === 1 ? '' : 's'}${apply.resumed ? ` (${apply.resumed} more had been made by an earlier run)` : ''}`;
  const failed = apply.failed.length ? `; ${apply.failed.length} failed (see Failed changes)` : '';
  return `${made}${failed}; ${plans}. Apply the same plan again to finish: it resumes where this run ended.`;
}

export function renderMarkdown(report: Report, plan: Plan): string {
  const itemById = new Map(plan.items.map((item) => [item.id, item]));
  const title = (id: string) => md(itemById.get(id)?.title ?? '');
  const lines: string[] = [];
  const apply = report.apply;
  const undo = plan.kind === 'undo';
  const heading = report.mode === 'dry-run' ? 'Track assignment (dry run)' : report.mode === 'plan' ? 'Track assignment plan' : `Track assignment ${undo ? 'undo ' : ''}${appliedHow(apply)}`;
  lines.push(`# ${heading}: ${md(report.project)}`, '');
  lines.push(`Spec: ${md(report.spec)} · generated ${report.generatedAt}`, '');
  // The counts below are the plan's: say so plainly when the target does not hold all of it.
  const unfinished = apply && !applySucceeded(apply) ? unfinishedApply(apply) : null;
  if (unfinished) lines.push(`**${unfinished}**`, '');
  lines.push('## Summary', '');
  // An undo plan holds only the WOs it puts back, not the project.
  lines.push(undo ? `- Work orders put back where they were: ${report.totals.workOrders}` : `- Work orders: ${report.totals.workOrders}`);
  lines.push(`- On a track: ${report.totals.onTracks} across ${report.tracks.length} tracks`);
  lines.push(`- No track: ${report.totals.noTrack}`);
  lines.push(`- Needs review: ${report.totals.needsReview}`);
  const changes = report.changes;
  if (report.applyPath) lines.push(report.applyPath.kind === 'none' ? `- Cannot be applied from here: ${md(report.applyPath.text)}` : `- Applies to: ${md(report.applyPath.text)}`);
  if (apply?.target) lines.push(`- Applied to: ${md(apply.target)}`);
  lines.push(`- Changes: ${changes.createTracks} tracks to create${changes.deleteTracks ? `, ${changes.deleteTracks} duplicate tracks to merge and delete` : ''}, ${changes.assign} to assign, ${changes.move} to move, ${changes.clear} to clear, ${changes.unchanged} unchanged`);
  if (apply?.refusal) lines.push(`- Not applied, nothing was changed: ${md(apply.refusal)}`);
  if (apply?.replanned) lines.push(`- Replanned: ${md(replannedText(apply.replanned))}`);
  if (apply) {
    lines.push(`- Applied: ${apply.applied} changes${apply.resumed ? ` (${apply.resumed} already done by an earlier run, resumed)` : ''}, ${apply.failed.length} failed, ${apply.retries} ${apply.retries === 1 ? 'retry' : 'retries'}, ${(apply.durationMs / 1000).toFixed(1)} s`);
    lines.push(`- Tracks created: ${apply.tracksCreated.length ? apply.tracksCreated.map(md).join(', ') : 'none'}${apply.tracksReused.length ? `; reused: ${apply.tracksReused.map(md).join(', ')}` : ''}`);
    lines.push(`- Verification: ${apply.verified ? `${whatMatches(apply.targetKind)} matches the plan` : `FAILED, ${apply.mismatches.length} differences`}${apply.stopped ? ' (the run was stopped before the end)' : ''}`);
    if (apply.undoPlan) lines.push(`- Undo plan: ${md(apply.undoPlan)} (apply it with \`pcc-track-wizard --apply ${apply.undoPlan} --yes\`)`);
  }
  if (changes.items.length) {
    lines.push('', `## Changes (${changes.items.length})`, '', '`+` assign, `~` move, `-` clear; grouped by where each WO goes.', '');
    const byTarget = new Map<string, ReportChange[]>();
    for (const change of changes.items) byTarget.set(change.to ?? 'No track', [...(byTarget.get(change.to ?? 'No track') ?? []), change]);
    for (const [to, list] of byTarget) {
      lines.push(`### → ${md(to)} (${list.length})`, '');
      for (const change of list) lines.push(`- \`${change.kind === 'assign' ? '+' : change.kind === 'move' ? '~' : '-'}\` ${md(change.id)}: ${md(change.title)} (from ${md(change.from ?? 'no track')}) — ${md(change.why)}`);
      lines.push('');
    }
  }
  lines.push('', unfinished ? '## Distribution, as planned' : '## Distribution', '', '| Track | WOs | |', '|---|---:|---|');
  const max = Math.max(0, ...report.tracks.map((track) => track.count), report.none.length, report.needsReview.length);
  for (const track of report.tracks) {
    const note = track.exists ? '' : ' (new)';
    lines.push(`| ${md(track.name)}${note} | ${track.count} | ${bar(track.count, max)} |`);
  }
  lines.push(`| No track | ${report.none.length} | ${bar(report.none.length, max)} |`);
  if (report.needsReview.length) lines.push(`| Needs review | ${report.needsReview.length} | ${bar(report.needsReview.length, max)} |`);
  for (const track of report.tracks) {
    lines.push('', `## ${md(track.name)} (${track.count})`, '');
    if (!track.workOrders.length) lines.push('_No work orders._');
    for (const id of track.workOrders) {
      const item = itemById.get(id);
      const suffix = item && item.source !== 'mapping' ? ` _(${item.source})_` : '';
      lines.push(`- ${md(id)}: ${title(id)}${suffix}`);
    }
  }
  lines.push('', `## No track (${report.none.length})`, '');
  if (!report.none.length) lines.push('_None._');
  for (const id of report.none) lines.push(`- ${md(id)}: ${title(id)} — ${md(itemById.get(id)?.reason ?? '')}`);
  if (report.needsReview.length) {
    lines.push('', `## Needs review (${report.needsReview.length})`, '');
    for (const id of report.needsReview) lines.push(`- ${md(id)}: ${title(id)} — ${md(itemById.get(id)?.reason ?? '')}`);
  }
  if (report.suggested.length) {
    lines.push('', `## Suggestions (${report.suggested.length})`, '');
    for (const suggestion of report.suggested) {
      const runnerUp = suggestion.runnerUp ? `; runner-up ${md(suggestion.runnerUp.track)} ${Math.round(suggestion.runnerUp.confidence * 100)}%` : '';
      const outcome = suggestion.placed ? '(placed)' : suggestion.decided !== null ? `(decided in review: ${md(suggestion.decided)})` : '(left for review)';
      lines.push(`- ${md(suggestion.id)} → ${md(suggestion.track)} ${Math.round(suggestion.confidence * 100)}% ${outcome}: ${md(suggestion.reason)}${runnerUp}`);
    }
  }
  if (!undo) {
    lines.push('', `## Not in the mapping (${report.notInMapping.length})`, '');
    if (!report.notInMapping.length) lines.push('_Every work order of the project is in the mapping._');
    for (const id of report.notInMapping) lines.push(`- ${md(id)}: ${title(id)} — ${md(itemById.get(id)?.reason ?? '')}`);
  }
  if (report.reviewed.length) {
    // A suggestion nobody moved was placed by the bar, not decided by a person: say which is which.
    lines.push('', `## Decided against the spec as given (${report.reviewed.length})`, '');
    for (const entry of report.reviewed) lines.push(`- ${md(entry.id)}: ${md(entry.spec === 'not in the spec' ? 'not in the spec' : entry.spec ?? 'no track')} → ${md(entry.decided ?? 'no track')}${entry.suggested ? ' (suggested above the bar)' : ' (moved in review)'}`);
  }
  if (report.invisibleToPcc.length) {
    lines.push('', `## Work order files PCC cannot see (${report.invisibleToPcc.length})`, '');
    lines.push('PCC leaves these files out of its lists, so their WOs cannot be assigned until the front matter is fixed:', '');
    for (const entry of report.invisibleToPcc) lines.push(`- ${md(entry.file)}${entry.line ? `:${entry.line}` : ''} (${md(entry.id)}): ${md(entry.reason)}`);
  }
  if (!undo) {
    lines.push('', `## In the mapping but not in the project (${plan.notInProject.length})`, '');
    if (!plan.notInProject.length) lines.push('_Every mapped work order was found._');
    for (const missing of plan.notInProject) lines.push(`- ${md(missing.id)}: ${md(missing.title)} (spec line ${missing.line})`);
  }
  if (apply?.failed.length) {
    lines.push('', `## Failed changes (${apply.failed.length})`, '');
    for (const failure of apply.failed) lines.push(`- ${md(failure.id)}: ${md(failure.error)}`);
  }
  if (apply?.mismatches.length) {
    lines.push('', `## Verification differences (${apply.mismatches.length})`, '');
    for (const mismatch of apply.mismatches) lines.push(`- ${md(mismatch)}`);
  }
  lines.push('', `## Warnings (${report.warnings.length})`, '');
  if (!report.warnings.length) lines.push('_None._');
  for (const warning of report.warnings) lines.push(`- ${md(warning)}`);
  return `${lines.join('\n')}\n`;
}

/** How the target had changed when --replan applied the plan's placements to it as it was. */
export function replannedText(differences: readonly string[]): string {
  return `the target had changed since the plan was made (${differences.length} difference${differences.length === 1 ? '' : 's'}: ${firstFew(differences, 5)}); the plan's placements were applied to it as it was, and the changes here are counted from there`;
}

/** Who is said to match the plan after an apply: the server, or PCC's database. */
export function whatMatches(kind: ApplyOutcome['targetKind']): string {
  return kind === 'database' ? "PCC's database" : 'the server';
}

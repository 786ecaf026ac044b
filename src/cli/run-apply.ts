import path from 'node:path';
import {applyPlan, ApplyRefused} from '../apply/apply-engine.js';
import {JournalError} from '../apply/journal.js';
import type {ApplyEvent} from '../apply/apply-events.js';
import {computeChanges, sendsNothing} from '../plan/changes.js';
import {readPlanFile} from '../plan/plan-file.js';
import {sanitizeLines} from '../workorders/sanitize.js';
import type {CliOptions} from './args.js';
import {CliError} from './errors.js';
import {chooseTarget} from './apply-target-choice.js';
import {safeJson} from './json-lines.js';
import {applySucceeded, buildReport, crashedOutcome, NO_UNDO_PLAN_YET, refusedOutcome, replannedText, RUN_FAILURE_ID, whatMatches, type ApplyOutcome} from '../report/report.js';
import {siblingsOf, writeReportFiles} from './output-files.js';

type Io = {stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; env: NodeJS.ProcessEnv; interactive: boolean};

function eventLine(event: ApplyEvent): string | null {
  switch (event.type) {
    case 'start':
      return `Applying ${event.changes} changes (${event.pending} to send, ${event.alreadyDone} already done), ${event.tracksToCreate} tracks to create.`;
    case 'target':
      return `Applying to ${event.label}.`;
    case 'replanned':
      return `Replanned: ${replannedText(event.differences)}.`;
    case 'track':
      return `Track "${event.name}" ${event.action === 'recovered' ? 'found after a lost answer' : event.action === 'reused' ? 'found (made meanwhile), reused' : event.action} (${event.id}).`;
    case 'track-deleted':
      return `Deleted track "${event.name}" (${event.id}): ${event.reason}.`;
    case 'paused':
      return `Server unreachable, retrying in ${Math.round(event.retryInMs / 1000)} s (Ctrl-C stops; the same command resumes).`;
    case 'resumed':
      return 'The server answers again; sending resumes.';
    case 'grace':
      return `Some requests went unanswered; reading the server again in ${(event.waitMs / 1000).toFixed(1)} s in case they land late.`;
    case 'assigned':
      return event.done % 500 === 0 || event.done === event.total ? `${event.done}/${event.total} assigned.` : null;
    case 'retry':
      return `Retrying ${event.method} ${event.route} (attempt ${event.attempt}, ${event.reason}).`;
    case 'failed':
      return `Failed: ${event.id}: ${event.error}`;
    case 'stopping':
      return `Stopping: ${event.reason}.`;
    case 'verify':
      return event.ok ? `Verified: ${whatMatches(event.targetKind)} matches the plan.` : `Verification found ${event.mismatches.length} differences:\n${event.mismatches.slice(0, 20).map((m) => `  ${m}`).join('\n')}`;
    case 'finished':
      return null;
  }
  return null;
}

/** --apply FILE: apply a saved plan without the wizard. */
export async function runApplyFile(options: CliOptions, io: Io, signal: AbortSignal): Promise<number> {
  const planFile = options.apply!;
  const plan = readPlanFile(planFile);
  const changeSet = computeChanges(plan);
  const target = chooseTarget(plan, options, io.env);
  // A plan that sends nothing only reads the target back: nothing to confirm.
  if (!options.yes && !sendsNothing(changeSet)) {
    if (!io.interactive) {
      throw new CliError(`--apply ${planFile} would change the server and there is no terminal to confirm; pass --yes to apply it.`, 2);
    }
    const {confirm} = await import('@inquirer/prompts');
    const ok = await confirm({
      message: `Apply ${planFile} to ${sanitizeLines(target.label)}: ${changeSet.createTracks.length} tracks to create, ${changeSet.assign} to assign, ${changeSet.move} to move, ${changeSet.clear} to clear?`,
      default: false,
    });
    if (!ok) {
      io.stderr.write('Nothing was applied.\n');
      return 0;
    }
  }
  const files = siblingsOf(planFile);
  // With --replan the engine may rebase the plan onto the target as it is: the report describes what it applied.
  let appliedPlan = plan;
  const outcome = await applyPlan({
    plan,
    onReplanned: (rebased) => (appliedPlan = rebased),
    openTarget: target.openTarget,
    journalFile: files.journal,
    undoPlanFile: files.undo,
    concurrency: options.concurrency,
    failFast: options.failFast,
    replan: options.replan,
    signal,
    onEvent: (event) => {
      if (options.json) {
        io.stdout.write(`${safeJson(event)}\n`);
        return;
      }
      const line = eventLine(event);
      // Event lines quote WO ids, track names and server errors: print them inert.
      if (line) io.stderr.write(`${sanitizeLines(line)}\n`);
    },
  }).catch((error: Error): ApplyOutcome => {
    // Refused before anything was sent; any other error may come after some writes.
    const refused = error instanceof ApplyRefused || error instanceof JournalError;
    const failed = refused ? refusedOutcome(target.label, error.message) : crashedOutcome(target.label, error.message);
    if (options.json) io.stdout.write(`${safeJson({type: 'finished', outcome: failed})}\n`);
    return failed;
  });
  // Nothing happened: an earlier run's report of this plan (another run may hold the lock) stays as it is.
  if (outcome.refusal) {
    if (!options.json) io.stderr.write(`${sanitizeLines(`Not applied: ${outcome.refusal}`)}\n`);
    return 1;
  }
  const report = buildReport(appliedPlan, {mode: 'applied', apply: outcome});
  const written = writeReportFiles(options.report ?? files.reportMd, appliedPlan, report);
  if (options.json) return applySucceeded(outcome) ? 0 : 1;
  const reportLine = `Report: ${written.markdown} and ${path.basename(written.json)}.`;
  const crash = outcome.failed.find((failure) => failure.id === RUN_FAILURE_ID);
  const summary = crash
    ? [`The run ended with an error before it could verify: ${crash.error}`, reportLine, `Run the same command again to resume and verify: pcc-track-wizard --apply ${planFile} --yes`]
    : [
        `Applied to ${outcome.target}: ${outcome.applied} change${outcome.applied === 1 ? '' : 's'}${outcome.resumed ? `, ${outcome.resumed} were already done (resumed)` : ''}, ${outcome.failed.length} failed, ${outcome.retries} ${outcome.retries === 1 ? 'retry' : 'retries'}, in ${(outcome.durationMs / 1000).toFixed(1)} s.`,
        reportLine,
        ...(outcome.undoPlan ? [`Undo plan: ${outcome.undoPlan} (pcc-track-wizard --apply ${outcome.undoPlan} --yes rolls this back).`] : []),
        ...(outcome.noUndoPlan ? [NO_UNDO_PLAN_YET] : []),
        ...(outcome.stopped ? [`Stopped before the end${outcome.unsent ? ` with ${outcome.unsent} change${outcome.unsent === 1 ? '' : 's'} not sent yet` : ''}; run the same command again to resume: pcc-track-wizard --apply ${planFile} --yes`] : []),
      ];
  io.stderr.write(`${sanitizeLines(summary.join('\n'))}\n`);
  return applySucceeded(outcome) ? 0 : 1;
}

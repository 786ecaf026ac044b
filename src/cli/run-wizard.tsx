import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {render} from 'ink';
import React from 'react';
import {applyPlan, ApplyRefused} from '../apply/apply-engine.js';
import {JournalError} from '../apply/journal.js';
import type {CliOptions} from './args.js';
import {CliError} from './errors.js';
import {apiTarget, databaseTarget} from './apply-target-choice.js';
import {applyPathText, clientOptionsFrom, missingApplyFlags, loadInputs, planFrom, problemLines, type InputOverrides} from './load-inputs.js';
import {siblingsOf, writeReportFiles} from './output-files.js';
import {applySucceeded, buildReport, crashedOutcome, NO_UNDO_PLAN_YET, refusedOutcome, whatMatches, type ApplyOutcome} from '../report/report.js';
import type {DoneFiles} from '../ui/screens/done.js';
import {sanitizeLines} from '../workorders/sanitize.js';
import {recordDecisions, type SpecRecord} from './spec-record.js';
import {formatInvisible} from '../workorders/invisible.js';
import {serializePlan} from '../plan/plan-file.js';
import type {Plan} from '../plan/plan-types.js';
import {createPccClient, DEFAULT_API} from '../pcc/pcc-client.js';
import {pccDatabaseFromEnv} from '../pcc/pcc-database.js';
import {App, type WizardResult} from '../ui/app.js';
import {startSpinner} from '../ui/spinner.js';
import {themeFrom} from '../ui/theme.js';
import {sanitizeText} from '../workorders/sanitize.js';
import {PccError} from '../pcc/pcc-error.js';

type Io = {stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; stdin: NodeJS.ReadStream; env: NodeJS.ProcessEnv};

/** Asks, before Ink starts, for what flags and environment did not give. */
async function setup(options: CliOptions, io: Io, demoApi: string | undefined): Promise<{api: string | undefined; project: string | null}> {
  if (demoApi) return {api: demoApi, project: options.project};
  let api = options.api ?? undefined;
  if (!api && !options.workOrders && !options.pccDb && !pccDatabaseFromEnv(io.env)) {
    const {input} = await import('@inquirer/prompts');
    api = await input({
      message: 'PCC server URL',
      default: DEFAULT_API,
      // A typo is answered at the prompt, which asks again, rather than by an exit.
      validate: async (value) => {
        if (!/^https?:\/\/[^\s]+$/.test(value.trim())) return 'Enter an http:// or https:// URL';
        try {
          await createPccClient({...clientOptionsFrom(options, io.env, {api: value.trim()}), retries: 0, timeoutMs: 5000}).listProjects();
          return true;
        } catch (error) {
          return error instanceof PccError ? `${sanitizeText(error.message)} (Ctrl-C leaves)` : true;
        }
      },
    });
    api = api.trim();
  }
  let project = options.project;
  if (!project && api) {
    const client = createPccClient({...clientOptionsFrom(options, io.env, {api}), retries: 1});
    const projects = await client.listProjects();
    if (!projects.length) throw new CliError(`The PCC server at ${api} has no projects; add the repo in PCC first.`);
    if (projects.length === 1) project = projects[0].id;
    else {
      const {select} = await import('@inquirer/prompts');
      project = await select({message: 'Project', choices: projects.map((p) => ({name: `${sanitizeText(p.name)} (${sanitizeText(p.id)})`, value: p.id}))});
    }
  }
  return {api, project};
}

export async function runWizard(options: CliOptions, io: Io, overrides: InputOverrides): Promise<number> {
  const {api, project} = await setup(options, io, overrides.api);
  const effective = {...options, project};
  const stopSpinner = startSpinner(io.stderr, `Loading work orders${api ? ` from ${api}` : ` from ${options.workOrders}`}…`, io.env);
  // Loading only reads: a Ctrl-C here leaves nothing behind, and says so instead of vanishing.
  const onInterrupt = () => {
    stopSpinner();
    io.stderr.write('Stopped while loading; nothing was changed.\n');
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  let inputs;
  let plan;
  try {
    inputs = await loadInputs(effective, io.env, api ? {api, project: project ?? undefined, folder: overrides.folder} : {});
    plan = planFrom(inputs, effective);
  } finally {
    process.off('SIGINT', onInterrupt);
    stopSpinner();
  }
  const warnings = problemLines(inputs.problems);
  // Each session keeps its plan, journal, reports and undo plan in a folder of its own, so a later
  // session never meets an earlier session's journal.
  const session = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const planFile = options.planOut ?? path.join(options.out, session, 'plan.json');
  const files = siblingsOf(planFile);
  const theme = themeFrom(io.env);

  // Review decisions go into the spec (the user's file, or a copy in the session folder).
  let specRecord: SpecRecord | null = null;
  const recordSpec = (edited: Plan) => {
    specRecord = recordDecisions(edited, {text: inputs.specText, file: inputs.specFile}, path.join(path.dirname(planFile), 'spec.md')) ?? specRecord;
  };

  const savePlan = (edited: Plan): string => {
    mkdirSync(path.dirname(path.resolve(planFile)), {recursive: true});
    writeFileSync(planFile, serializePlan(edited));
    recordSpec(edited);
    return planFile;
  };

  const applyPath = inputs.applyPath;
  const demo = Boolean(overrides.api);
  const target =
    applyPath.kind === 'database' ? databaseTarget(applyPath.file, inputs.project, inputs.clientOptions) : applyPath.kind === 'api' && inputs.clientOptions ? apiTarget(inputs.clientOptions) : null;

  let lastOutcome: ApplyOutcome | null = null;
  let doneFiles: DoneFiles | null = null;
  const startApply: React.ComponentProps<typeof App>['startApply'] = async (edited, onEvent, signal) => {
    if (!target) throw new Error(applyPathText(applyPath));
    savePlan(edited);
    const outcome = await applyPlan({
      plan: edited,
      openTarget: target.openTarget,
      journalFile: files.journal,
      undoPlanFile: files.undo,
      concurrency: options.concurrency,
      failFast: options.failFast,
      signal,
      onEvent,
    }).catch((error: Error): ApplyOutcome => {
      // A refusal comes before anything is sent; any other error may come after some writes.
      if (error instanceof ApplyRefused || error instanceof JournalError) return refusedOutcome(target.label, error.message);
      return crashedOutcome(target.label, error.message);
    });
    if (outcome.refusal) onEvent({type: 'finished', outcome});
    lastOutcome = outcome;
    const written = writeReportFiles(options.report ?? files.reportMd, edited, buildReport(edited, {mode: 'applied', warnings, apply: outcome, invisible: inputs.invisible}));
    doneFiles = {report: written.markdown, reportJson: written.json, planFile, spec: specRecord ? specLine(specRecord) : null, demo};
    return doneFiles;
  };

  let result: WizardResult = {kind: 'quit'};
  const unseen = inputs.invisible.length ? `${inputs.invisible.length} file${inputs.invisible.length === 1 ? '' : 's'} PCC cannot see` : '';
  // Which spec the decisions come from stays on screen: stderr is hidden behind the full screen.
  const specLabel = `${inputs.spec.id || inputs.spec.source}${inputs.specEarlier ? ' with earlier decisions' : ''}`;
  // w shows every warning the report will list: files PCC cannot see, load problems and the plan's own.
  const shownWarnings = [...inputs.invisible.map((entry) => `PCC cannot see this file, so its WO is left out of the plan: ${formatInvisible(entry)}`), ...plan.warnings, ...warnings];
  // One count, the one the panel shows; "(w)" early, so a narrow title keeps it.
  const count = shownWarnings.length;
  const warned = count ? ` · ${count} warning${count === 1 ? '' : 's'} (w)${unseen ? `: ${unseen}` : ''}` : '';
  const title = `${plan.project} · ${specLabel}${warned}`;
  if (inputs.specNote) io.stderr.write(`${sanitizeLines(inputs.specNote)}\n`);
  // Full screen on the alternate buffer; the terminal's own screen comes back on every way out.
  const screen = fullScreen(io.stdout);
  // Keys pressed as the first screen appears, before Ink listens, arrive as typed (a cooked
  // terminal would turn Enter into a line feed); Ink turns raw mode off again when it leaves.
  if (io.stdin.isTTY) io.stdin.setRawMode(true);
  try {
    const app = render(
      <App plan={plan} theme={theme} title={title} applyPath={{kind: applyPath.kind, text: applyPathText(applyPath)}} startApply={startApply} savePlan={savePlan} onExit={(value) => (result = value)} fullScreen warnings={shownWarnings} />,
      {exitOnCtrlC: false, stdout: io.stdout, stdin: io.stdin, stderr: io.stderr},
    );
    await app.waitUntilExit();
  } finally {
    if (io.stdin.isTTY) io.stdin.setRawMode(false);
    screen.leave();
  }
  const final = result as WizardResult;
  // What matters stays in the scrollback: the verdict and the files.
  const lines: string[] = [];
  if (final.kind === 'quit') lines.push('Quit; nothing was sent.');
  // The demo's server stops with the wizard: no command can apply to it afterwards.
  if (final.kind === 'saved') lines.push(demo ? `Plan saved to ${final.file}. The demo's server has stopped with the wizard; run --demo again and press y to see a plan applied.` : `Plan saved to ${final.file}; apply it with: pcc-track-wizard --apply ${final.file} --yes${missingApplyFlags(inputs)}`);
  const outcome = lastOutcome as ApplyOutcome | null;
  if (final.kind === 'applied' && outcome) lines.push(...summaryLines(outcome, doneFiles as DoneFiles | null, demo));
  const record = specRecord as SpecRecord | null;
  if (record && final.kind === 'saved') lines.push(specLine(record));
  if (lines.length) io.stderr.write(`${sanitizeLines(lines.join('\n'))}\n`);
  if (final.kind === 'applied') return final.ok ? 0 : 1;
  return 0;
}

function specLine(record: SpecRecord): string {
  const accepted = record.moved.filter((decision) => decision.suggested).length;
  const yours = record.moved.length - accepted;
  const what = [yours ? `${yours} decision${yours === 1 ? '' : 's'} of review` : '', accepted ? `${accepted} accepted suggestion${accepted === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ');
  return `${record.copy ? 'Reviewed spec (a copy, since the spec was not a file of yours)' : 'Spec updated with the review'}: ${record.file} (${what} recorded).`;
}

function summaryLines(outcome: ApplyOutcome, files: DoneFiles | null, demo: boolean): string[] {
  const ok = applySucceeded(outcome);
  const lines = [outcome.refusal ? `Not applied: ${outcome.refusal}` : ok ? `Done: ${whatMatches(outcome.targetKind)} matches the plan; applied to ${outcome.target}.` : outcome.stopped ? `Stopped before the end${outcome.unsent ? `: ${outcome.unsent} change${outcome.unsent === 1 ? '' : 's'} not sent yet` : ''}.` : `Finished with problems: ${outcome.failed.length} failed, ${outcome.mismatches.length} verification differences.`];
  if (!outcome.refusal) lines.push(`Applied ${outcome.applied}${outcome.resumed ? ` (+${outcome.resumed} already done)` : ''} · created ${outcome.tracksCreated.length} tracks · failed ${outcome.failed.length} · retries ${outcome.retries}.`);
  if (files) lines.push(`Report: ${files.report} (and ${files.reportJson}).`);
  // The demo's server stops with the wizard: its undo plan has nothing left to apply to.
  if (outcome.noUndoPlan && !demo) lines.push(NO_UNDO_PLAN_YET);
  if (outcome.undoPlan) lines.push(demo ? `Undo plan: ${outcome.undoPlan} (the demo's server has stopped, so there is nothing to roll back).` : `Undo plan: ${outcome.undoPlan} (pcc-track-wizard --apply ${outcome.undoPlan} --yes rolls this back).`);
  if (files?.spec) lines.push(files.spec);
  if (!ok && files && !demo) lines.push(`Resume or retry with: pcc-track-wizard --apply ${files.planFile} --yes`);
  return lines;
}

/** Enters the alternate screen; leaving it (once) restores the terminal, also on SIGTERM. */
function fullScreen(stdout: NodeJS.WriteStream): {leave: () => void} {
  if (!stdout.isTTY) return {leave: () => {}};
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    process.off('SIGTERM', onTerm);
    process.off('exit', leave);
    stdout.write('\u001B[?1049l');
  };
  const onTerm = () => {
    leave();
    process.exit(143);
  };
  stdout.write('\u001B[?1049h\u001B[H');
  process.on('SIGTERM', onTerm);
  process.on('exit', leave);
  return {leave};
}

import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {render} from 'ink';
import React from 'react';
import {applyPlan} from '../apply/apply-engine.js';
import type {CliOptions} from '../cli/args.js';
import {CliError} from '../cli/errors.js';
import {apiTarget, databaseTarget} from '../cli/apply-target-choice.js';
import {applyPathText, clientOptionsFrom, missingApplyFlags, loadInputs, planFrom, problemLines} from '../cli/load-inputs.js';
import {siblingsOf, writeReportFiles} from '../cli/output-files.js';
import {buildReport} from '../report/report.js';
import {serializePlan} from '../plan/plan-file.js';
import type {Plan} from '../plan/plan-types.js';
import {createPccClient, DEFAULT_API} from '../pcc/pcc-client.js';
import {pccDatabaseFromEnv} from '../pcc/pcc-database.js';
import {App, type WizardResult} from './app.js';
import {startSpinner} from './spinner.js';
import {themeFrom} from './theme.js';
import {sanitizeText} from '../workorders/sanitize.js';

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
      validate: (value) => (/^https?:\/\/[^\s]+$/.test(value.trim()) ? true : 'Enter an http:// or https:// URL'),
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

export async function runWizard(options: CliOptions, io: Io, overrides: {api?: string}): Promise<number> {
  const {api, project} = await setup(options, io, overrides.api);
  const effective = {...options, project};
  const stopSpinner = startSpinner(io.stderr, `Loading work orders${api ? ` from ${api}` : ` from ${options.workOrders}`}…`, io.env);
  let inputs;
  let plan;
  try {
    inputs = await loadInputs(effective, io.env, api ? {api, project: project ?? undefined} : {});
    plan = planFrom(inputs, effective);
  } finally {
    stopSpinner();
  }
  const warnings = problemLines(inputs.problems);
  // Each session keeps its plan, journal, reports and undo plan in a folder of its own, so a later
  // session never meets an earlier session's journal.
  const session = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const planFile = options.planOut ?? path.join(options.out, session, 'plan.json');
  const files = siblingsOf(planFile);
  const theme = themeFrom(io.env);

  const savePlan = (edited: Plan): string => {
    mkdirSync(path.dirname(path.resolve(planFile)), {recursive: true});
    writeFileSync(planFile, serializePlan(edited));
    return planFile;
  };

  const applyPath = inputs.applyPath;
  const target =
    applyPath.kind === 'database' ? databaseTarget(applyPath.file, inputs.project, inputs.clientOptions) : applyPath.kind === 'api' && inputs.clientOptions ? apiTarget(inputs.clientOptions) : null;

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
    });
    const written = writeReportFiles(options.report ?? files.reportMd, edited, buildReport(edited, {mode: 'applied', warnings, apply: outcome, invisible: inputs.invisible}));
    return {report: written.markdown, reportJson: written.json, planFile};
  };

  let result: WizardResult = {kind: 'quit'};
  const unseen = inputs.invisible.length ? ` · ${inputs.invisible.length} WO file${inputs.invisible.length === 1 ? '' : 's'} PCC cannot see` : '';
  const title = `${plan.project} · ${inputs.spec.id || inputs.spec.source}${unseen}${warnings.length ? ` · ${warnings.length} load warning${warnings.length === 1 ? '' : 's'} (see the report)` : ''}`;
  const app = render(
    <App plan={plan} theme={theme} title={title} applyPath={{kind: applyPath.kind, text: applyPathText(applyPath)}} startApply={startApply} savePlan={savePlan} onExit={(value) => (result = value)} />,
    {exitOnCtrlC: false, stdout: io.stdout, stdin: io.stdin, stderr: io.stderr},
  );
  await app.waitUntilExit();
  const final = result as WizardResult;
  if (final.kind === 'saved') {
    const needs = missingApplyFlags(inputs);
    io.stderr.write(`Plan saved to ${final.file}; apply it with: pcc-track-wizard --apply ${final.file} --yes${needs}\n`);
    return 0;
  }
  if (final.kind === 'applied') return final.ok ? 0 : 1;
  return 0;
}

import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {serializePlan} from '../plan/plan-file.js';
import {buildReport, renderMarkdown} from '../report/report.js';
import type {CliOptions} from './args.js';
import {safeJson} from './json-lines.js';
import {sanitizeLines} from '../workorders/sanitize.js';
import {applyPathText, loadInputs, missingApplyFlags, planFrom, problemLines, type InputOverrides} from './load-inputs.js';
import {formatInvisible} from '../workorders/invisible.js';
import {writeReportFiles} from './output-files.js';

type Io = {stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; env: NodeJS.ProcessEnv};

/** --dry-run and --plan-out: plan, report, never change anything, never need a terminal. */
export async function runPlanOnly(options: CliOptions, io: Io, overrides: InputOverrides = {}): Promise<number> {
  const inputs = await loadInputs(options, io.env, overrides);
  // Which spec was read, when it is not the one asked for or the bundled one: said in every mode.
  if (inputs.specNote) io.stderr.write(`${sanitizeLines(inputs.specNote)}\n`);
  const plan = planFrom(inputs, options);
  const warnings = problemLines(inputs.problems);
  // The demo's server stops with this command: nothing made here can be applied to it later.
  const demo = Boolean(overrides.api);
  const applyPath = demo ? {kind: 'none' as const, text: "the demo's server stops when this command ends, so nothing planned here can be applied; run pcc-track-wizard --demo in a terminal and press y to see a plan applied."} : {kind: inputs.applyPath.kind, text: applyPathText(inputs.applyPath)};
  const report = buildReport(plan, {mode: options.dryRun ? 'dry-run' : 'plan', warnings, applyPath, invisible: inputs.invisible});
  if (options.planOut) {
    mkdirSync(path.dirname(path.resolve(options.planOut)), {recursive: true});
    writeFileSync(options.planOut, serializePlan(plan));
  }
  const files = options.report ? writeReportFiles(options.report, plan, report) : null;
  if (options.json) {
    io.stdout.write(`${safeJson(report)}\n`);
  } else {
    if (options.dryRun) io.stdout.write(renderMarkdown(report, plan));
    const changes = report.changes;
    const lines = [
      `${plan.items.length} work orders, ${plan.tracks.length} tracks: ${changes.createTracks} tracks to create, ${changes.assign} to assign, ${changes.move} to move, ${changes.clear} to clear, ${changes.unchanged} unchanged.`,
    ];
    if (changes.createTracks + changes.assign + changes.move + changes.clear + changes.deleteTracks === 0) lines.push('Nothing to change: the server already matches the plan.');
    lines.push(applyPath.kind === 'none' ? `Cannot apply from here: ${applyPath.text}` : `Applies to ${applyPath.text}.`);
    if (inputs.invisible.length) lines.push(`${inputs.invisible.length} work order file${inputs.invisible.length === 1 ? ' is' : 's are'} not seen by PCC:\n${inputs.invisible.map((entry) => `  ${formatInvisible(entry)}`).join('\n')}`);
    if (options.planOut) lines.push(demo ? `Plan saved to ${options.planOut}.` : `Plan saved to ${options.planOut}; apply it with: pcc-track-wizard --apply ${options.planOut} --yes${missingApplyFlags(inputs)}`);
    if (files) lines.push(`Report written to ${files.markdown} and ${files.json}.`);
    io.stderr.write(`${sanitizeLines(lines.join('\n'))}\n`);
  }
  return 0;
}

import {Box, Text} from 'ink';
import React from 'react';
import {applySucceeded, NO_UNDO_PLAN_YET, whatMatches} from '../../report/report.js';
import {sanitizeText} from '../../workorders/sanitize.js';
import {BarChart} from '../components/bar-chart.js';
import type {WizardState} from '../state/wizard-state.js';
import {wrapLine} from '../state/wrap.js';
import {accent, type Theme} from '../theme.js';
import {distributionRows, rowsWithin} from './apply-screen.js';

/** `demo`: the demo's server stops with the wizard, so no command is offered to run against it. */
export type DoneFiles = {report: string; reportJson: string; planFile: string; spec?: string | null; demo?: boolean};

/**
 * The verdict, what happened and where the files are, then the chart with what room is left:
 * on a short terminal the chart and the detail lines give way, never the verdict.
 */
export function Done({state, theme, files}: {state: WizardState; theme: Theme; files: DoneFiles | null}) {
  const view = state.apply!;
  const outcome = view.outcome!;
  const ok = applySucceeded(outcome);
  // Most needed first: on a terminal too short for all of them, the last ones give way (all are
  // printed again when the wizard exits).
  // The demo's server stops with the wizard: there is nothing to resume against.
  const resumeLine = !ok && files && !files.demo ? `${outcome.stopped ? 'Resume' : 'Retry'}: pcc-track-wizard --apply ${files.planFile} --yes` : null;
  const fileLines = [
    resumeLine,
    files ? `Report: ${files.report}` : null,
    outcome.undoPlan ? `Undo plan: ${outcome.undoPlan}` : outcome.noUndoPlan ? NO_UNDO_PLAN_YET : null,
    files?.spec ? sanitizeText(files.spec) : null,
  ].filter((line): line is string => line !== null);
  const {rows: height, columns} = state.viewport;
  // The counts, wrapped: the failure count must not be what a narrow terminal cuts.
  const summaryRows = wrapLine(`Applied ${outcome.applied}${outcome.resumed ? ` (+${outcome.resumed} already done)` : ''} · created ${outcome.tracksCreated.length} tracks · failed ${outcome.failed.length} · retries ${outcome.retries} · ${(outcome.durationMs / 1000).toFixed(1)} s`, columns);
  // The title, notice and footer lines of the app, the verdict and the summary.
  const fixed = 3 + 1 + summaryRows.length;
  // A refusal names what to do: wrapped, and on a short terminal cut with a pointer to where it
  // is printed whole (at exit).
  const refusalAll = outcome.refusal ? wrapLine(sanitizeText(outcome.refusal), columns) : [];
  const refusalMax = Math.max(1, height - fixed - 1);
  const refusalRows = refusalAll.length > refusalMax ? [...refusalAll.slice(0, refusalMax - 1), '… (printed whole when the wizard exits)'] : refusalAll;
  // A stopped run's differences follow from what it did not send: said in one line (the report
  // lists each); failures and what the read-back found wrong are still listed.
  const unsent = outcome.unsent ?? 0;
  const problems = [...(unsent ? outcome.targetProblems ?? [] : outcome.mismatches), ...outcome.failed.map((failure) => `${failure.id}: ${failure.error}`)];
  // The verdict's own lines come before the files: the unsent line and at least one problem line.
  let room = height - fixed - refusalRows.length - (unsent ? 1 : 0) - (problems.length ? 1 : 0);
  // Paths are wrapped, never cut: a path cut short cannot be copied.
  const fileRows: string[] = [];
  for (const line of fileLines) {
    const wrapped = wrapLine(line, columns);
    if (fileRows.length + wrapped.length > room) break;
    fileRows.push(...wrapped);
  }
  room -= fileRows.length - (problems.length ? 1 : 0);
  // The resume line comes first, so it is shown when any file line is.
  const resumeShown = resumeLine !== null && fileRows.length > 0;
  const problemLines: string[] = unsent ? [`${unsent} change${unsent === 1 ? '' : 's'} not sent or not confirmed (every difference is in the report)${resumeShown ? `; Resume below sends ${unsent === 1 ? 'it' : 'them'}` : ''}.`] : [];
  if (problems.length) {
    // All of them when they fit (three at most), else as many as fit and a line for the rest.
    const shown = problems.length <= Math.min(3, room) ? problems.length : Math.max(0, Math.min(3, room - 1));
    problemLines.push(...problems.slice(0, shown));
    if (problems.length > shown) problemLines.push(`… ${problems.length - shown} ${shown ? 'more ' : ''}problem${problems.length - shown === 1 ? '' : 's'} (all in the report)`);
    room -= problemLines.length - (unsent ? 1 : 0);
  }
  const allRows = distributionRows(state, view.counts);
  const {shown: chartRows, hidden: hiddenRows} = rowsWithin(allRows, room);
  // Bars keep the scale of every row, shown or not: a lone small track is not drawn full width.
  const scaleMax = Math.max(1, ...allRows.map((row) => row.count));
  return (
    <Box flexDirection="column">
      <Text bold color={accent(theme, ok ? 'ok' : 'error')} wrap="truncate-end">
        {ok ? `✔ Done: ${whatMatches(outcome.targetKind)} matches the plan.` : outcome.refusal ? '✘ Not applied; nothing was changed.' : outcome.stopped ? '■ Stopped before the end.' : '✘ Finished with problems.'}
      </Text>
      {refusalRows.map((line, index) => (
        <Text key={`r${index}`} color={accent(theme, 'error')} wrap="truncate-end">
          {line}
        </Text>
      ))}
      {chartRows.length ? <BarChart rows={chartRows} width={state.viewport.columns} theme={theme} scaleMax={scaleMax} /> : null}
      {hiddenRows && room > 0 ? <Text dimColor>… {hiddenRows} more tracks (all in the report)</Text> : null}
      {summaryRows.map((line, index) => (
        <Text key={`s${index}`} wrap="truncate-end">
          {line}
        </Text>
      ))}
      {problemLines.map((line, index) => (
        <Text key={index} color={accent(theme, 'error')} wrap="truncate-end">
          {sanitizeText(line)}
        </Text>
      ))}
      {fileRows.map((line, index) => (
        <Text key={index} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}

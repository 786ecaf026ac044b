import {Box, Text} from 'ink';
import React from 'react';
import {whatMatches} from '../../report/report.js';
import {sanitizeText} from '../../workorders/sanitize.js';
import {BarChart} from '../components/bar-chart.js';
import type {WizardState} from '../state/wizard-state.js';
import {accent, type Theme} from '../theme.js';
import {distributionRows} from './apply-screen.js';

export type DoneFiles = {report: string; reportJson: string; planFile: string; spec?: string | null};

export function Done({state, theme, files}: {state: WizardState; theme: Theme; files: DoneFiles | null}) {
  const view = state.apply!;
  const outcome = view.outcome!;
  const ok = outcome.verified && !outcome.failed.length && !outcome.stopped;
  return (
    <Box flexDirection="column">
      <Text bold color={accent(theme, ok ? 'ok' : 'error')}>
        {ok ? `✔ Done: ${whatMatches(outcome.targetKind)} matches the plan.` : outcome.refusal ? '✘ Not applied; nothing was changed.' : outcome.stopped ? '■ Stopped before the end.' : '✘ Finished with problems.'}
      </Text>
      {outcome.refusal ? <Text color={accent(theme, 'error')}>{sanitizeText(outcome.refusal)}</Text> : null}
      <BarChart rows={distributionRows(state, view.counts)} width={state.viewport.columns} theme={theme} />
      <Text>
        Applied {outcome.applied}{outcome.resumed ? ` (+${outcome.resumed} already done)` : ''} · created {outcome.tracksCreated.length} tracks · failed {outcome.failed.length} · retries {outcome.retries} · {(outcome.durationMs / 1000).toFixed(1)} s
      </Text>
      {outcome.mismatches.slice(0, 3).map((mismatch) => (
        <Text key={mismatch} color={accent(theme, 'error')} wrap="truncate-end">
          {sanitizeText(mismatch)}
        </Text>
      ))}
      {outcome.mismatches.length > 3 ? <Text color={accent(theme, 'error')}>… and {outcome.mismatches.length - 3} more differences (all in the report)</Text> : null}
      {outcome.failed.slice(0, 3).map((failure) => (
        <Text key={failure.id} color={accent(theme, 'error')} wrap="truncate-end">
          {sanitizeText(`${failure.id}: ${failure.error}`)}
        </Text>
      ))}
      {outcome.failed.length > 3 ? <Text color={accent(theme, 'error')}>… and {outcome.failed.length - 3} more failures (all in the report)</Text> : null}
      {files ? <Text>Report: {files.report} (and {files.reportJson})</Text> : null}
      {outcome.undoPlan ? <Text>Undo plan: {outcome.undoPlan}</Text> : null}
      {files?.spec ? <Text>{sanitizeText(files.spec)}</Text> : null}
      {!ok && files ? <Text>Resume or retry with: pcc-track-wizard --apply {files.planFile} --yes</Text> : null}
    </Box>
  );
}

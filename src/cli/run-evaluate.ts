import {buildPlan, DEFAULT_MIN_CONFIDENCE} from '../plan/build-plan.js';
import {suggestionContext} from '../suggest/context.js';
import {evaluateSuggestions} from '../suggest/evaluate.js';
import type {CliOptions} from './args.js';
import {safeJson} from './json-lines.js';
import {sanitizeLines, sanitizeText} from '../workorders/sanitize.js';
import {loadInputs, type InputOverrides} from './load-inputs.js';

type Io = {stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; env: NodeJS.ProcessEnv};

/** `evaluate`: how well suggestions would have predicted the spec's own mapping. */
export async function runEvaluate(options: CliOptions, io: Io, overrides: InputOverrides = {}): Promise<number> {
  const inputs = await loadInputs(options, io.env, overrides);
  if (inputs.specNote) io.stderr.write(`${sanitizeLines(inputs.specNote)}\n`);
  const plan = buildPlan({spec: inputs.spec, workOrders: inputs.workOrders, serverTracks: inputs.serverTracks, project: options.project ?? 'local', api: null, preferSpec: true});
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const {extras, coherentNoTrack} = suggestionContext(inputs.workOrders, inputs.spec);
  const result = evaluateSuggestions(plan.items, plan.tracks, minConfidence, {protocol: options.protocol, extras, coherentNoTrack});
  if (options.json) {
    io.stdout.write(`${safeJson(result)}\n`);
    return 0;
  }
  if (!result.evaluated) {
    io.stdout.write(`Nothing to evaluate: the spec (${sanitizeText(inputs.spec.id || inputs.spec.source)}) places no work order that is in the project; evaluate needs a mapping to hide WOs from.\n`);
    return 0;
  }
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const how = {
    loo: 'leave-one-out: each predicted from all the others',
    half: 'every second WO of each group hidden and predicted from the rest',
    newest: 'the newest half of each group hidden and predicted from the older half',
  }[result.protocol];
  const lines = [
    `${result.evaluated} mapped work orders, ${how}:`,
    `  top-1 accuracy: ${percent(result.accuracy)} (${result.correct}/${result.evaluated}); no guess at all (no evidence): ${result.noSuggestion}`,
    '  bar   placed (coverage)   right among placed (precision)',
    ...result.bars.map((row) => `  ${row.bar.toFixed(2)}  ${String(row.placed).padStart(5)} (${percent(row.coverage).padStart(6)})   ${percent(row.precision)}${row.bar === minConfidence ? '   ← the bar in use' : ''}`),
  ];
  if (!result.bars.some((row) => row.bar === minConfidence)) lines.push(`  at ${minConfidence}: ${result.placed} placed, ${percent(result.placedAccuracy)} right`);
  if (result.confusions.length) {
    lines.push('  most frequent confusions (mapped → suggested):');
    for (const confusion of result.confusions.slice(0, 10)) lines.push(`    ${sanitizeText(confusion.expected)} → ${sanitizeText(confusion.predicted)}: ${confusion.count}`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

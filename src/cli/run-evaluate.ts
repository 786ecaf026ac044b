import {buildPlan, DEFAULT_MIN_CONFIDENCE} from '../plan/build-plan.js';
import {evaluateSuggestions} from '../suggest/evaluate.js';
import type {CliOptions} from './args.js';
import {safeJson} from './json-lines.js';
import {loadInputs} from './load-inputs.js';

type Io = {stdout: NodeJS.WritableStream; env: NodeJS.ProcessEnv};

/** `evaluate`: how well suggestions would have predicted the spec's own mapping. */
export async function runEvaluate(options: CliOptions, io: Io, overrides: {api?: string} = {}): Promise<number> {
  const inputs = await loadInputs(options, io.env, overrides);
  const plan = buildPlan({spec: inputs.spec, workOrders: inputs.workOrders, serverTracks: inputs.serverTracks, project: options.project ?? 'local', api: null, preferSpec: true});
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const result = evaluateSuggestions(plan.items, plan.tracks, minConfidence);
  if (options.json) {
    io.stdout.write(`${safeJson(result)}\n`);
    return 0;
  }
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const lines = [
    `Leave-one-out over ${result.evaluated} mapped work orders (each predicted from all the others):`,
    `  accuracy of the top suggestion: ${percent(result.accuracy)} (${result.correct}/${result.evaluated})`,
    `  confident enough to place (≥ ${minConfidence}): ${result.placed} (${percent(result.evaluated ? result.placed / result.evaluated : 0)})`,
    `  accuracy among those placed: ${percent(result.placedAccuracy)} (${result.placedCorrect}/${result.placed})`,
    `  no signal at all: ${result.noSuggestion}`,
  ];
  if (result.confusions.length) {
    lines.push('  most frequent confusions (mapped → suggested):');
    for (const confusion of result.confusions.slice(0, 10)) lines.push(`    ${confusion.expected} → ${confusion.predicted}: ${confusion.count}`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

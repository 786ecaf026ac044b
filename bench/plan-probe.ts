// Run by bench.ts in a fresh process: node --import tsx bench/plan-probe.ts SPEC WORK_ORDERS RUNS.
// Prints the CPU time of the suggestions alone (reading context, learning, calibrating,
// suggesting) and of the whole plan with them, as one JSON object.
import {readFileSync} from 'node:fs';
import {buildPlan} from '../src/plan/build-plan.js';
import {parseTrackSpec} from '../src/spec/spec-parser.js';
import {suggestionContext} from '../src/suggest/context.js';
import {createSuggester} from '../src/suggest/suggest.js';
import {loadWorkOrdersFromFolder} from '../src/workorders/local-loader.js';
import {median} from './stats.js';

const [specFile, workOrdersDir, runsArgument] = process.argv.slice(2);
const runs = Number(runsArgument);
const cpu = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

const spec = parseTrackSpec(readFileSync(specFile, 'utf8'), specFile);
const {workOrders} = loadWorkOrdersFromFolder(workOrdersDir);
const suggestTimes: number[] = [];
const planTimes: number[] = [];
let suggestions = 0;
for (let run = 0; run < runs; run++) {
  const plain = buildPlan({spec, workOrders, serverTracks: [], project: 'bench', api: null});
  let started = cpu();
  const context = suggestionContext(workOrders, spec);
  suggestions = createSuggester(context.extras, context.coherentNoTrack)(plain.items, plain.tracks).size;
  suggestTimes.push(cpu() - started);
  started = cpu();
  const {extras, coherentNoTrack} = suggestionContext(workOrders, spec);
  buildPlan({spec, workOrders, serverTracks: [], project: 'bench', api: null, suggest: createSuggester(extras, coherentNoTrack)});
  planTimes.push(cpu() - started);
}
// The first run is the one a CLI process pays: the code is not yet compiled for speed.
process.stdout.write(`${JSON.stringify({suggestMs: median(suggestTimes), suggestFirstMs: suggestTimes[0], planMs: median(planTimes), suggestions})}\n`);

import {readFileSync} from 'node:fs';
import {buildPlan, type ServerTrack} from '../plan/build-plan.js';
import type {Plan} from '../plan/plan-types.js';
import {createPccClient, DEFAULT_API, DEFAULT_PROJECT, type ClientOptions, type PccClient} from '../pcc/pcc-client.js';
import {formatSpecProblem, parseTrackSpec, specErrors, type TrackSpec} from '../spec/spec-parser.js';
import {suggestTracks} from '../suggest/suggest.js';
import {loadWorkOrdersFromFolder, LoadError} from '../workorders/local-loader.js';
import {formatProblem, looksLikeWorkOrderId, type LoadProblem, type WorkOrder} from '../workorders/work-order.js';
import type {CliOptions} from './args.js';
import {assetPath, DEFAULT_SPEC_FILE} from './assets.js';
import {CliError} from './errors.js';

export type Inputs = {
  spec: TrackSpec;
  workOrders: WorkOrder[];
  serverTracks: ServerTrack[];
  problems: LoadProblem[];
  client: PccClient | null;
  clientOptions: ClientOptions | null;
};

export function clientOptionsFrom(options: CliOptions, env: NodeJS.ProcessEnv, overrides: {api?: string; project?: string} = {}): ClientOptions {
  return {
    baseUrl: overrides.api ?? options.api ?? DEFAULT_API,
    project: overrides.project ?? options.project ?? DEFAULT_PROJECT,
    token: env.PCC_TOKEN || undefined,
    basicAuth: env.PCC_BASIC_AUTH || undefined,
    timeoutMs: options.timeoutMs,
  };
}

async function readSpec(options: CliOptions, client: PccClient | null): Promise<TrackSpec> {
  const wanted = options.spec;
  let text: string;
  let source: string;
  if (wanted && looksLikeWorkOrderId(wanted) && !wanted.endsWith('.md')) {
    if (!client) throw new CliError(`--spec ${wanted} names a work order to read from the project, which needs a server; pass --api, or a spec file path.`, 2);
    text = (await client.getWorkOrder(wanted).catch((error: Error) => {
      throw new CliError(`The spec ${wanted} could not be read from project ${client.project}: ${error.message}`);
    })).markdown;
    source = `${wanted} (project ${client.project})`;
  } else {
    const file = wanted ?? assetPath(DEFAULT_SPEC_FILE);
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(`The spec file ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}; pass --spec with a track-assignment WO markdown file or a WO id.`, 2);
    }
    source = file;
  }
  const spec = parseTrackSpec(text, source);
  const errors = specErrors(spec);
  if (errors.length) {
    const lines = errors.slice(0, 10).map((problem) => `  ${formatSpecProblem(spec, problem)}`);
    throw new CliError(`The spec ${source} cannot be used (${errors.length} problem${errors.length > 1 ? 's' : ''}); fix these lines:\n${lines.join('\n')}`);
  }
  return spec;
}

/** Spec, work orders and tracks, from local files or the server. */
export async function loadInputs(options: CliOptions, env: NodeJS.ProcessEnv, overrides: {api?: string; project?: string} = {}): Promise<Inputs> {
  const offline = Boolean(options.workOrders) && !options.api && !overrides.api;
  const clientOptions = offline ? null : clientOptionsFrom(options, env, overrides);
  // Reads at start-up: a wrong address should fail in about a second, not after a long backoff.
  const client = clientOptions ? createPccClient({...clientOptions, retries: 2}) : null;
  if (client) {
    const spec = await readSpec(options, client);
    const [{workOrders, problems}, tracks] = await Promise.all([client.listWorkOrders(), client.listTracks()]);
    return {spec, workOrders, serverTracks: tracks, problems, client, clientOptions};
  }
  const spec = await readSpec(options, null);
  try {
    const {workOrders, problems} = loadWorkOrdersFromFolder(options.workOrders!);
    return {spec, workOrders, serverTracks: [], problems, client: null, clientOptions: null};
  } catch (error) {
    if (error instanceof LoadError) throw new CliError(error.message, 2);
    throw error;
  }
}

export function planFrom(inputs: Inputs, options: CliOptions): Plan {
  return buildPlan({
    spec: inputs.spec,
    workOrders: inputs.workOrders,
    serverTracks: inputs.serverTracks,
    project: inputs.clientOptions?.project ?? options.project ?? 'local',
    api: inputs.clientOptions?.baseUrl ?? null,
    preferSpec: options.preferSpec,
    suggest: options.suggest ? suggestTracks : undefined,
    minConfidence: options.minConfidence ?? undefined,
  });
}

export function problemLines(problems: readonly LoadProblem[]): string[] {
  return problems.filter((problem) => problem.level !== 'note' || !problem.message.includes('not a work order')).map(formatProblem);
}

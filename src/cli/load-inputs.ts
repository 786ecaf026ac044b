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
import {sanitizeText} from '../workorders/sanitize.js';

export type Inputs = {
  spec: TrackSpec;
  workOrders: WorkOrder[];
  serverTracks: ServerTrack[];
  problems: LoadProblem[];
  client: PccClient | null;
  clientOptions: ClientOptions | null;
};

const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/** Credentials and the server URL, checked before any request: a secret is never echoed. */
export function checkedCredentials(env: NodeJS.ProcessEnv, api: string): {token?: string; basicAuth?: string} {
  for (const name of ['PCC_TOKEN', 'PCC_BASIC_AUTH'] as const) {
    if (env[name] && CONTROL.test(env[name]!)) throw new CliError(`${name} contains control characters (a pasted line break?); set it again without them.`, 2);
  }
  if (env.PCC_BASIC_AUTH && !env.PCC_BASIC_AUTH.includes(':')) throw new CliError('PCC_BASIC_AUTH must be user:pass (with a colon).', 2);
  let url: URL;
  try {
    url = new URL(api);
  } catch {
    throw new CliError(`The server address ${JSON.stringify(sanitizeText(api))} is not a URL; pass --api http://HOST:PORT.`, 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`The server address ${sanitizeText(api)} is not http:// or https://; pass --api http://HOST:PORT.`, 2);
  if (url.username || url.password) {
    const masked = `${url.protocol}//${url.username ? `${decodeURIComponent(url.username)}${url.password ? ':***' : ''}@` : ':***@'}${url.host}${url.pathname === '/' ? '' : url.pathname}`;
    throw new CliError(`The server address ${sanitizeText(masked)} carries credentials; pass the address without them and set PCC_BASIC_AUTH=user:pass instead.`, 2);
  }
  return {token: env.PCC_TOKEN || undefined, basicAuth: env.PCC_BASIC_AUTH || undefined};
}

export function clientOptionsFrom(options: CliOptions, env: NodeJS.ProcessEnv, overrides: {api?: string; project?: string} = {}): ClientOptions {
  const baseUrl = overrides.api ?? options.api ?? DEFAULT_API;
  return {
    ...checkedCredentials(env, baseUrl),
    baseUrl,
    project: overrides.project ?? options.project ?? DEFAULT_PROJECT,
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

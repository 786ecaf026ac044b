import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {apiLabel, canonicalServer} from '../apply/api-target.js';
import {databaseErrorText, databaseVariable, PccDatabase, PccDatabaseError, pccDatabaseFromEnv} from '../pcc/pcc-database.js';
import {listedTracks, NotTheSamePcc, readSamePcc} from '../pcc/same-pcc.js';
import {findInvisible, formatInvisible, type InvisibleFile} from '../workorders/invisible.js';
import {buildPlan, type ServerTrack} from '../plan/build-plan.js';
import type {Plan} from '../plan/plan-types.js';
import {createPccClient, DEFAULT_API, DEFAULT_PROJECT, type ClientOptions, type PccClient} from '../pcc/pcc-client.js';
import {formatSpecProblem, parseTrackSpec, specErrors, type TrackSpec} from '../spec/spec-parser.js';
import {suggestionContext} from '../suggest/context.js';
import {createSuggester} from '../suggest/suggest.js';
import {loadWorkOrdersFromFolder, LoadError, type LoadResult} from '../workorders/local-loader.js';
import {formatProblem, looksLikeWorkOrderId, type LoadProblem, type WorkOrder} from '../workorders/work-order.js';
import type {CliOptions} from './args.js';
import {assetPath, DEFAULT_SPEC_FILE} from './assets.js';
import {CliError} from './errors.js';
import {sanitizeText} from '../workorders/sanitize.js';

export type Inputs = {
  spec: TrackSpec;
  /** The spec's raw text and the file review decisions are written to (null: write a copy). */
  specText: string;
  specFile: string | null;
  specNote: string | null;
  /** The earlier session's spec copy read instead of the bundled spec, if one was. */
  specEarlier: string | null;
  workOrders: WorkOrder[];
  serverTracks: ServerTrack[];
  problems: LoadProblem[];
  client: PccClient | null;
  clientOptions: ClientOptions | null;
  applyPath: ApplyPath;
  /** WO files in the folder at hand that PCC does not list, with the reason. */
  invisible: InvisibleFile[];
  pccDb: string | null;
  project: string;
};

const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/** Credentials and the server URL, checked before any request: a secret is never echoed. */
export function checkedCredentials(env: NodeJS.ProcessEnv, api: string): {token?: string; basicAuth?: string} {
  for (const name of ['PCC_TOKEN', 'PCC_BASIC_AUTH'] as const) {
    if (env[name] && CONTROL.test(env[name]!)) throw new CliError(`${name} contains control characters (a pasted line break?); set it again without them.`, 2);
    if (env[name] && /[^\x20-\x7E]/.test(env[name]!)) throw new CliError(`${name} contains characters that an HTTP header cannot carry (only printable ASCII); set it again.`, 2);
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

/** The spec as read: parsed, its raw text, and the file decisions can be written back to (null: a copy). */
export type SpecSource = {spec: TrackSpec; text: string; file: string | null; note: string | null; earlier: string | null};

/** A PCC checkout holds its own copy of WO-2026-115 in ./work_orders: it wins over the bundled one. */
function specInCheckout(): string | null {
  try {
    const found = readdirSync('work_orders').filter((name) => /^WO-2026-115\b.*\.md$/i.test(name)).sort()[0];
    return found ? path.join('work_orders', found) : null;
  } catch {
    return null;
  }
}

/** What a run applies to, as a plan records it; a run planned from local files only has none. */
export type SessionTarget = {project: string; api: string | null; pccDb: string | null};

/**
 * The spec copy an earlier wizard session for the same target (server and project, or PCC's
 * database) left in --out, newest first: with the bundled spec, review decisions (a WO sent to no
 * track, say) live only there, and the next run must not propose again what the user decided.
 */
export function specFromEarlierSession(out: string, target: SessionTarget): string | null {
  let sessions: string[];
  try {
    sessions = readdirSync(out).sort().reverse();
  } catch {
    return null;
  }
  const server = (api: string | null | undefined) => (api ? canonicalServer(api) : null);
  for (const session of sessions) {
    const copy = path.join(out, session, 'spec.md');
    if (!existsSync(copy)) continue;
    try {
      const plan = JSON.parse(readFileSync(path.join(out, session, 'plan.json'), 'utf8')) as {project?: unknown; api?: string | null; pccDb?: string | null};
      if (plan.project === target.project && server(plan.api) === server(target.api) && (plan.pccDb ?? null) === target.pccDb) return copy;
    } catch {
      // A session without a readable plan says nothing of its target: not used.
    }
  }
  return null;
}

function parsedSpec(text: string, source: string): {spec: TrackSpec; errors: ReturnType<typeof specErrors>} {
  const spec = parseTrackSpec(text, source);
  return {spec, errors: specErrors(spec)};
}

/**
 * An earlier session's spec copy, read once: used when it reads cleanly (still as a copy: this
 * session records its decisions in a copy of its own, never in the earlier one), else set aside
 * with one sentence so the run goes on with the bundled spec.
 */
function readEarlierSpec(copy: string): SpecSource | {note: string} {
  let problem: string;
  try {
    const text = readFileSync(copy, 'utf8');
    const {spec, errors} = parsedSpec(text, copy);
    if (!errors.length) return {spec, text, file: null, note: `Using the bundled spec with the decisions of an earlier session, ${copy}; pass --spec to use another.`, earlier: copy};
    problem = `${errors.length} problem${errors.length > 1 ? 's' : ''}, the first: ${errors[0].message}`;
  } catch (error) {
    problem = `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  return {note: `The spec copy of an earlier session, ${copy}, cannot be used (${problem}); using the bundled spec, so that session's decisions are not applied. Fix the copy and pass it with --spec to use them.`};
}

async function readSpec(options: CliOptions, client: PccClient | null, local: LoadResult | null, target: SessionTarget | null): Promise<SpecSource> {
  const wanted = options.spec;
  let text: string;
  let source: string;
  let file: string | null = null;
  let note: string | null = null;
  if (wanted && looksLikeWorkOrderId(wanted) && !wanted.endsWith('.md')) {
    if (!client) throw new CliError(`--spec ${wanted} names a work order to read from the project, which needs a server; pass --api, or a spec file path.`, 2);
    text = (await client.getWorkOrder(wanted).catch((error: Error) => {
      // PCC answers 404 for a WO file it cannot parse: say why, when the folder is at hand.
      const unreadable = local?.workOrders.find((wo) => wo.id === wanted && wo.recovered);
      const why = unreadable ? findInvisible({workOrders: [unreadable], problems: local!.problems}, new Set())[0] : null;
      if (why) throw new CliError(`The spec ${wanted} is not served by project ${client.project}, because PCC cannot read it: ${formatInvisible(why)}. Fix the file, or pass --spec with its path.`);
      throw new CliError(`The spec ${wanted} could not be read from project ${client.project}: ${error.message}`);
    })).markdown;
    source = `${wanted} (project ${client.project})`;
  } else {
    const checkout = wanted ? null : specInCheckout();
    const earlier = wanted || checkout || options.demo || !target ? null : specFromEarlierSession(options.out, target);
    if (earlier) {
      const used = readEarlierSpec(earlier);
      if ('spec' in used) return used;
      note = used.note;
    }
    const chosen = wanted ?? checkout ?? assetPath(DEFAULT_SPEC_FILE);
    try {
      text = readFileSync(chosen, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(`The spec file ${chosen} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}; pass --spec with a track-assignment WO markdown file or a WO id.`, 2);
    }
    source = chosen;
    if (wanted || checkout) file = chosen;
    if (checkout) note = `Using the spec in this checkout, ${checkout} (not the bundled copy); review decisions are written back to it.`;
  }
  const {spec, errors} = parsedSpec(text, source);
  if (errors.length) {
    const lines = errors.slice(0, 10).map((problem) => `  ${formatSpecProblem(spec, problem)}`);
    throw new CliError(`The spec ${source} cannot be used (${errors.length} problem${errors.length > 1 ? 's' : ''}); fix these lines:\n${lines.join('\n')}`);
  }
  return {spec, text, file, note, earlier: null};
}

/** Where applying would go, known before review and found without writing anything. */
export type ApplyPath =
  | {kind: 'api'; label: string}
  | {kind: 'database'; file: string; label: string}
  | {kind: 'none'; reason: string};

/** What `--apply` needs besides the plan when this session could not apply: the flags to add. */
export function missingApplyFlags(inputs: Pick<Inputs, 'applyPath' | 'clientOptions'>): string {
  if (inputs.applyPath.kind !== 'none') return '';
  if (!inputs.clientOptions) return ' --api URL --project ID';
  return existsSync('control-center.db') ? ' --pcc-db ./control-center.db' : ' --pcc-db PATH';
}

export function applyPathText(applyPath: ApplyPath): string {
  return applyPath.kind === 'none' ? applyPath.reason : applyPath.label;
}

function noRouteReason(baseUrl: string): string {
  const here = existsSync('control-center.db') ? ' (./control-center.db is here)' : '';
  return `the PCC server at ${baseUrl} has no track assignment route (no PCC release has one); pass --pcc-db PATH with PCC's control-center.db${here} to apply into its database.`;
}

/** The work_orders folder at hand: --work-orders, or ./work_orders of a PCC checkout. */
function folderAtHand(options: CliOptions, fallback: string | null): string | null {
  if (options.workOrders) return options.workOrders;
  if (existsSync('work_orders')) return 'work_orders';
  return fallback && existsSync(fallback) ? fallback : null;
}

function readFolder(dir: string): LoadResult {
  try {
    return loadWorkOrdersFromFolder(dir);
  } catch (error) {
    if (error instanceof LoadError) throw new CliError(error.message, 2);
    throw error;
  }
}

/** Spec, work orders and tracks, from the server, PCC's database, or local files; and the apply path. */
/** What a caller sets instead of the flags: the demo's server, and the folder that server serves. */
export type InputOverrides = {api?: string; project?: string; folder?: string};

export async function loadInputs(options: CliOptions, env: NodeJS.ProcessEnv, overrides: InputOverrides = {}): Promise<Inputs> {
  const named = options.pccDb ?? pccDatabaseFromEnv(env);
  // Plans remember the file: an absolute path, so applying from another folder finds the same one.
  const pccDb = named ? path.resolve(named) : null;
  const apiGiven = Boolean(options.api || overrides.api);
  if (pccDb) return loadFromDatabase(pccDb, options, env, overrides, apiGiven);
  const offline = Boolean(options.workOrders) && !apiGiven;
  const clientOptions = offline ? null : clientOptionsFrom(options, env, overrides);
  // Reads at start-up: a wrong address should fail in about a second, not after a long backoff.
  const client = clientOptions ? createPccClient({...clientOptions, retries: 2}) : null;
  if (client && clientOptions) {
    // --work-orders first; then the demo's own folder, over a ./work_orders of another project.
    const folder = options.workOrders ?? overrides.folder ?? folderAtHand(options, null);
    const local = folder ? readFolder(folder) : null;
    const {spec, text: specText, file: specFile, note: specNote, earlier: specEarlier} = await readSpec(options, client, local, {project: clientOptions.project, api: clientOptions.baseUrl, pccDb: null});
    const [{workOrders, problems}, tracks, capability] = await Promise.all([client.listWorkOrders(), client.listTracks(), client.assignCapability()]);
    const invisible = local ? findInvisible(local, new Set(workOrders.map((wo) => wo.id))) : [];
    const applyPath: ApplyPath = capability === 'api' ? {kind: 'api', label: apiLabel(client.baseUrl, clientOptions.project)} : {kind: 'none', reason: noRouteReason(client.baseUrl)};
    return {spec, specText, specFile, specNote, specEarlier, workOrders, serverTracks: tracks, problems, client, clientOptions, applyPath, invisible, pccDb: null, project: clientOptions.project};
  }
  const local = readFolder(options.workOrders!);
  const {spec, text: specText, file: specFile, note: specNote, earlier: specEarlier} = await readSpec(options, null, local, null);
  return {
    spec,
    specText,
    specFile,
    specNote,
    specEarlier,
    workOrders: local.workOrders,
    serverTracks: [],
    problems: local.problems,
    client: null,
    clientOptions: null,
    applyPath: {kind: 'none', reason: 'planned from local files only, so there is nothing to apply to; save the plan and apply it with --apply FILE --api URL --project ID (or --pcc-db PATH).'},
    invisible: [],
    pccDb: null,
    project: options.project ?? 'local',
  };
}

/**
 * --pcc-db: tracks and assignments from PCC's database (the truth on a real PCC), the WOs' contents
 * from the server when one is given, else from the work_orders folder. WO files PCC never listed
 * have no row there: they are named, and left out of the plan, since they cannot be assigned.
 */
async function loadFromDatabase(file: string, options: CliOptions, env: NodeJS.ProcessEnv, overrides: {api?: string; project?: string}, apiGiven: boolean): Promise<Inputs> {
  let db: PccDatabase;
  try {
    db = PccDatabase.open(file, overrides.project ?? options.project ?? null);
  } catch (error) {
    if (!(error instanceof PccDatabaseError)) throw error;
    // A path that came from the environment is easy to overlook: say which variable names it.
    throw new CliError(databaseErrorText(error, databaseVariable(options, env)), error.kind === 'io' || error.kind === 'missing' || error.kind === 'unreadable' ? 2 : 1);
  }
  try {
    const project = db.project.id;
    const clientOptions = apiGiven ? clientOptionsFrom(options, env, {...overrides, project}) : null;
    const client = clientOptions ? createPccClient({...clientOptions, retries: 2}) : null;
    const folder = folderAtHand(options, db.project.path ? path.join(db.project.path, 'work_orders') : null);
    const local = folder ? readFolder(folder) : null;
    if (!client && !local) {
      throw new CliError(`No work orders to plan: ${file} has no WO contents, and neither --api nor a work_orders folder was given (the project's path in PCC is ${db.project.path ?? 'unknown'}); pass --work-orders DIR or --api URL.`, 2);
    }
    const {spec, text: specText, file: specFile, note: specNote, earlier: specEarlier} = await readSpec(options, client, local, {project, api: clientOptions?.baseUrl ?? null, pccDb: file});
    // With a server, the database is read once the server shows the same PCC (its listing is kept for the WOs' contents).
    const last: {listing: Awaited<ReturnType<PccClient['listWorkOrders']>> | null} = {listing: null};
    const readServer = async () => {
      const [tracks, listing] = await Promise.all([client!.listTracks(), client!.listWorkOrders()]);
      last.listing = listing;
      return {tracks, workOrders: listing.workOrders.map(listedTracks)};
    };
    let state: ReturnType<PccDatabase['readState']>;
    try {
      state = client ? await readSamePcc(() => db.readState(), readServer, {file, api: clientOptions!.baseUrl, allowStopped: false}) : db.readState();
    } catch (error) {
      if (error instanceof NotTheSamePcc) throw new CliError(error.message, 1);
      throw error;
    }
    const rows = new Map(state.workOrders.map((wo) => [wo.id, wo.trackIds]));
    const listed = last.listing;
    const source = listed ?? local!;
    const invisible = local ? findInvisible(local, new Set(listed ? listed.workOrders.map((wo) => wo.id) : [...rows.keys()])) : [];
    const hidden = new Set(invisible.map((entry) => entry.id));
    const workOrders = source.workOrders
      .filter((wo) => rows.has(wo.id) && !hidden.has(wo.id))
      .map((wo) => {
        const trackIds = rows.get(wo.id)!;
        return {...wo, trackId: trackIds[0] ?? null, ...(trackIds.length > 1 ? {trackIds} : {trackIds: undefined})};
      });
    const problems = [...source.problems];
    const unknown = source.workOrders.filter((wo) => !rows.has(wo.id) && !hidden.has(wo.id));
    if (unknown.length) {
      problems.push({file, level: 'warning', message: `${unknown.length} work order${unknown.length === 1 ? ' has' : 's have'} no row in PCC's database yet (${unknown.slice(0, 5).map((wo) => sanitizeText(wo.id)).join(', ')}${unknown.length > 5 ? ', …' : ''}); PCC adds rows when it lists work orders: open the project in PCC once, then plan again. They are left out`});
    }
    return {spec, specText, specFile, specNote, specEarlier, workOrders, serverTracks: state.tracks, problems, client, clientOptions, applyPath: {kind: 'database', file, label: db.label}, invisible, pccDb: file, project};
  } finally {
    db.close();
  }
}

function suggesterFor(inputs: Inputs) {
  const {extras, coherentNoTrack} = suggestionContext(inputs.workOrders, inputs.spec);
  return createSuggester(extras, coherentNoTrack);
}

export function planFrom(inputs: Inputs, options: CliOptions): Plan {
  const plan = buildPlan({
    spec: inputs.spec,
    workOrders: inputs.workOrders,
    serverTracks: inputs.serverTracks,
    project: inputs.project,
    api: inputs.clientOptions?.baseUrl ?? null,
    preferSpec: options.preferSpec,
    suggest: options.suggest ? suggesterFor(inputs) : undefined,
    minConfidence: options.minConfidence ?? undefined,
  });
  return inputs.pccDb ? {...plan, pccDb: inputs.pccDb} : plan;
}

export function problemLines(problems: readonly LoadProblem[]): string[] {
  return problems.filter((problem) => problem.level !== 'note' || !problem.message.includes('not a work order')).map(formatProblem);
}

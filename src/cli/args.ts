import {parseArgs} from 'node:util';

export type Command = 'wizard' | 'serve' | 'evaluate';

export type CliOptions = {
  command: Command;
  api: string | null;
  project: string | null;
  spec: string | null;
  workOrders: string | null;
  dryRun: boolean;
  planOut: string | null;
  apply: string | null;
  yes: boolean;
  json: boolean;
  report: string | null;
  out: string;
  concurrency: number;
  timeoutMs: number;
  failFast: boolean;
  replan: boolean;
  /** Apply a plan to another server, project or database than the one it was made for. */
  retarget: boolean;
  /** PCC's SQLite file: read tracks and assignments from it, and apply into it. */
  pccDb: string | null;
  /** `pccDb` came from PCC_DB, not from a typed --pcc-db. */
  pccDbFromEnv: boolean;
  preferSpec: boolean;
  suggest: boolean;
  minConfidence: number | null;
  protocol: 'loo' | 'half' | 'newest';
  demo: boolean;
  help: boolean;
  version: boolean;
  // serve
  db: string | null;
  port: number;
  host: string;
  token: string | null;
};

export class UsageError extends Error {}

const FLAGS = {
  api: {type: 'string'},
  project: {type: 'string'},
  spec: {type: 'string'},
  'work-orders': {type: 'string'},
  'dry-run': {type: 'boolean'},
  'plan-out': {type: 'string'},
  apply: {type: 'string'},
  yes: {type: 'boolean', short: 'y'},
  json: {type: 'boolean'},
  report: {type: 'string'},
  out: {type: 'string'},
  concurrency: {type: 'string'},
  timeout: {type: 'string'},
  'fail-fast': {type: 'boolean'},
  replan: {type: 'boolean'},
  retarget: {type: 'boolean'},
  'pcc-db': {type: 'string'},
  'prefer-spec': {type: 'boolean'},
  'no-suggest': {type: 'boolean'},
  'min-confidence': {type: 'string'},
  protocol: {type: 'string'},
  demo: {type: 'boolean'},
  help: {type: 'boolean', short: 'h'},
  version: {type: 'boolean', short: 'v'},
  db: {type: 'string'},
  port: {type: 'string'},
  host: {type: 'string'},
  token: {type: 'string'},
} as const;

function positiveInteger(value: string | undefined, flag: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new UsageError(`--${flag} takes a whole number of at least ${min}, not "${value}".`);
  return number;
}

function protocolFrom(value: string | undefined): CliOptions['protocol'] {
  if (value === undefined) return 'loo';
  if (value === 'loo' || value === 'half' || value === 'newest') return value;
  throw new UsageError(`--protocol takes loo, half or newest, not "${value}".`);
}

/** Flags, then environment, then defaults. Throws UsageError with one sentence. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({args: [...argv], options: FLAGS, allowPositionals: true, strict: true});
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`${message.replace(/\.$/, '')}; run pcc-track-wizard --help for the flags.`);
  }
  const {values, positionals} = parsed;
  let command: Command = 'wizard';
  if (positionals.length) {
    if (positionals[0] === 'serve' || positionals[0] === 'evaluate') command = positionals[0];
    else throw new UsageError(`Unknown command "${positionals[0]}"; the commands are serve and evaluate (or none, for the wizard).`);
    if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}"; run pcc-track-wizard --help for the flags.`);
  }
  let minConfidence: number | null = null;
  if (values['min-confidence'] !== undefined) {
    minConfidence = Number(values['min-confidence']);
    if (!(minConfidence >= 0 && minConfidence <= 1)) throw new UsageError(`--min-confidence takes a number from 0 to 1, not "${values['min-confidence']}".`);
  }
  const options: CliOptions = {
    command,
    api: values.api ?? env.PCC_API_URL ?? null,
    project: values.project ?? env.PCC_PROJECT ?? null,
    spec: values.spec ?? null,
    workOrders: values['work-orders'] ?? null,
    dryRun: values['dry-run'] ?? false,
    planOut: values['plan-out'] ?? null,
    apply: values.apply ?? null,
    yes: values.yes ?? false,
    json: values.json ?? false,
    report: values.report ?? null,
    out: values.out ?? 'pcc-track-wizard-out',
    concurrency: positiveInteger(values.concurrency, 'concurrency', 8),
    timeoutMs: positiveInteger(values.timeout, 'timeout', 10_000, 100),
    failFast: values['fail-fast'] ?? false,
    replan: values.replan ?? false,
    retarget: values.retarget ?? false,
    pccDb: values['pcc-db'] ?? (env.PCC_DB || null),
    pccDbFromEnv: !values['pcc-db'] && Boolean(env.PCC_DB),
    preferSpec: values['prefer-spec'] ?? false,
    suggest: !(values['no-suggest'] ?? false),
    minConfidence,
    protocol: protocolFrom(values.protocol),
    demo: values.demo ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
    db: values.db ?? null,
    port: positiveInteger(values.port, 'port', command === 'serve' ? 4010 : 0, 0),
    host: values.host ?? '127.0.0.1',
    token: values.token ?? null,
  };
  if (options.project !== null && !options.project.trim()) throw new UsageError('--project (or PCC_PROJECT) is empty; pass a project id from GET /repos.');
  // An empty address would quietly mean "no server", and with it no check of what the server reads.
  if (options.api !== null && !options.api.trim()) throw new UsageError('--api (or PCC_API_URL) is empty; pass the PCC server\'s URL, or unset PCC_API_URL.');
  if (options.apply && (options.dryRun || options.planOut)) {
    throw new UsageError('--apply runs a saved plan; it does not go with --dry-run or --plan-out.');
  }
  if (options.demo && options.api) throw new UsageError('--demo starts its own server; leave out --api.');
  if (command === 'serve' && !options.workOrders && !options.help) throw new UsageError('serve needs --work-orders DIR: the work_orders/ folder to serve.');
  return options;
}

export const HELP = `pcc-track-wizard — sort a PCC project's work orders into tracks, review, apply.

Usage
  pcc-track-wizard [flags]                 the interactive wizard (needs a terminal)
  pcc-track-wizard --demo                  the wizard against a built-in server and sample data
  pcc-track-wizard --dry-run [--json]      plan and report; changes nothing
  pcc-track-wizard --plan-out plan.json    save the plan for a later --apply
  pcc-track-wizard --apply plan.json --yes apply a saved plan without the wizard
  pcc-track-wizard serve --work-orders DIR a PCC-compatible server for rehearsals
  pcc-track-wizard evaluate [--protocol loo|half|newest]
                                           how well suggestions predict the mapping

Where the data comes from
  --api URL              PCC server (env PCC_API_URL; default http://127.0.0.1:4010)
  --project ID           project id (env PCC_PROJECT; default project-control-center)
  --spec FILE|WO-ID      track-assignment WO: a markdown file, or a WO id read from the project
                         (default: the bundled WO-2026-115)
  --work-orders DIR      read work orders from a local folder instead of the server

Planning
  --prefer-spec          follow the spec even for WOs the server already has on another track
  --no-suggest           do not suggest tracks for WOs the mapping leaves out
  --min-confidence N     place suggestions at or above N (0-1; default 0.85; a guess reads at most 0.99)

Output
  --report FILE          where the markdown report goes (JSON next to it; default in --out)
  --out DIR              folder for plan, journal, reports and undo plan (default pcc-track-wizard-out)
  --json                 machine-readable output (JSON lines while applying)

Applying
  --yes                  apply without asking (required for --apply without a terminal)
  --concurrency N        assignments in flight at once (default 8)
  --timeout MS           per-request timeout (default 10000)
  --fail-fast            stop at the first failed change
  --replan               if the server changed since the plan was made, apply the plan's
                         placements to it as it is now instead of refusing
  --retarget             apply a saved plan to another server, project or database than the
                         one it was made for
  --pcc-db PATH          PCC's SQLite database (env PCC_DB, else PCC's own PCC_DATABASE_PATH or
                         CONTROL_CENTER_DB_PATH): read tracks from it and apply into it, for
                         PCC servers without the assignment route

serve
  --work-orders DIR --db FILE --port N (default 4010) --host ADDR (default 127.0.0.1) --project ID
  --token TOKEN (or PCC_TOKEN): required with a --host beyond loopback; every request must
                         send it as a bearer token

Environment
  PCC_API_URL, PCC_PROJECT, PCC_DB, PCC_TOKEN (bearer) or PCC_BASIC_AUTH (user:pass), NO_COLOR,
  FORCE_COLOR, DEBUG (stack traces)

Exit codes: 0 done, 1 failed, 2 usage.
`;

import path from 'node:path';
import {ApplyRefused} from '../apply/apply-engine.js';
import {JournalError} from '../apply/journal.js';
import {PlanFileError} from '../plan/plan-file.js';
import {PccError} from '../pcc/pcc-error.js';
import {PccDatabaseError} from '../pcc/pcc-database.js';
import {SqliteMissingError} from '../server/database.js';
import {HELP, parseCli, UsageError, type CliOptions} from './args.js';
import {CliError} from './errors.js';
import {sanitizeLines} from '../workorders/sanitize.js';

export type CliIo = {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  version: string;
};

function isInteractive(io: CliIo): boolean {
  // TERM=dumb still has a terminal: the wizard runs, without color (see the theme).
  return Boolean(io.stdin.isTTY && io.stdout.isTTY);
}

async function serve(options: CliOptions, io: CliIo): Promise<number> {
  const {PccServer, isLoopbackHost} = await import('../server/pcc-server.js');
  const dbFile = options.db ?? path.join(options.workOrders!, '..', 'pcc-track-wizard.sqlite');
  // Binding to another address than loopback is the user's way of allowing LAN access; then
  // every request must carry the token.
  const allowLan = !isLoopbackHost(options.host);
  const server = new PccServer({workOrdersDir: options.workOrders!, dbFile, projectId: options.project ?? undefined, host: options.host, port: options.port, allowLan, token: options.token ?? (io.env.PCC_TOKEN || undefined)});
  const url = await server.start();
  io.stdout.write(`PCC-compatible server on ${url} (project ${server.projectId}, database ${dbFile}). Ctrl-C stops it.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.stop();
  return 0;
}

async function dispatch(options: CliOptions, io: CliIo, signal: AbortSignal): Promise<number> {
  if (options.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (options.version) {
    io.stdout.write(`${io.version}\n`);
    return 0;
  }
  if (options.command === 'serve') return serve(options, io);
  if (options.apply) {
    const {runApplyFile} = await import('./run-apply.js');
    return runApplyFile(options, {...io, interactive: isInteractive(io)}, signal);
  }
  const planOnly = options.dryRun || Boolean(options.planOut) || options.command === 'evaluate';
  if (!planOnly && !isInteractive(io)) {
    throw new CliError('The wizard needs an interactive terminal; without one pass --dry-run, --plan-out FILE, or --apply FILE --yes.', 2);
  }
  let demo: {url: string; workOrdersDir: string; stop: () => Promise<void>} | null = null;
  if (options.demo) {
    const {startDemoServer} = await import('./demo-server.js');
    demo = await startDemoServer();
  }
  try {
    if (options.command === 'evaluate') {
      const {runEvaluate} = await import('./run-evaluate.js');
      return await runEvaluate(options, io, demo ? {api: demo.url, folder: demo.workOrdersDir} : {});
    }
    if (planOnly) {
      const {runPlanOnly} = await import('./run-plan.js');
      return await runPlanOnly(options, io, demo ? {api: demo.url, folder: demo.workOrdersDir} : {});
    }
    // Ink draws only the last frame when CI or CONTINUOUS_INTEGRATION is set (read when it loads);
    // the wizard runs on a real terminal only, so it draws there whatever those say.
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
    const {runWizard} = await import('./run-wizard.js');
    return await runWizard(options, io, demo ? {api: demo.url, folder: demo.workOrdersDir} : {});
  } finally {
    await demo?.stop();
  }
}

/** Runs the CLI and returns its exit code; every expected failure becomes one clear message. */
export async function main(io: CliIo): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    controller.abort();
    io.stderr.write('\nStopping… what has landed is kept in the journal; run the same command again to resume.\n');
  };
  try {
    const options = parseCli(io.argv, io.env);
    if (options.apply) process.on('SIGINT', onSigint);
    return await dispatch(options, io, controller.signal);
  } catch (error) {
    // Messages can quote the server or a WO file: never let them drive the terminal.
    const say = (text: string) => io.stderr.write(`${sanitizeLines(text)}\n`);
    if (io.env.DEBUG) say((error as Error)?.stack ?? String(error));
    if (error instanceof UsageError) {
      say(error.message);
      return 2;
    }
    if (error instanceof CliError) {
      say(error.message);
      return error.exitCode;
    }
    if ((error as Error)?.name === 'ServerConfigError') {
      say((error as Error).message);
      return 2;
    }
    if (error instanceof PlanFileError) {
      say(error.message);
      return error.exitCode;
    }
    if (error instanceof PccError || error instanceof ApplyRefused || error instanceof JournalError || error instanceof SqliteMissingError || error instanceof PccDatabaseError) {
      say(error.message);
      return 1;
    }
    if ((error as Error)?.name === 'ExitPromptError') {
      say('Cancelled.');
      return 1;
    }
    say(`Unexpected error: ${(error as Error)?.message ?? String(error)} (set DEBUG=1 for the stack trace).`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

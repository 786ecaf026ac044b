import path from 'node:path';
import {ApiTarget, apiLabel, canonicalServer} from '../apply/api-target.js';
import {DatabaseTarget} from '../apply/database-target.js';
import {databaseLabel, databaseVariable, fileIdentity, pccDatabaseFromEnv} from '../pcc/pcc-database.js';
import type {ApplyTarget, TargetHooks} from '../apply/apply-target.js';
import type {Plan} from '../plan/plan-types.js';
import {DEFAULT_API, type ClientOptions} from '../pcc/pcc-client.js';
import {sanitizeText} from '../workorders/sanitize.js';
import type {CliOptions} from './args.js';
import {CliError} from './errors.js';
import {clientOptionsFrom} from './load-inputs.js';

export type TargetChoice = {openTarget: (hooks: TargetHooks) => ApplyTarget; label: string};

/**
 * Where a saved plan is applied. A plan names the server (or database) and project it was made
 * for; applying it anywhere else takes --retarget, so a stray PCC_API_URL cannot send it elsewhere.
 */
export function chooseTarget(plan: Plan, options: CliOptions, env: NodeJS.ProcessEnv): TargetChoice {
  const planOffline = plan.api === null && !plan.pccDb;
  // The database named now (flag, PCC_DB, or PCC's own variables) counts against the plan's too.
  const namedDb = options.pccDb ?? pccDatabaseFromEnv(env);
  const elsewhere: string[] = [];
  if (options.api && plan.api && canonicalServer(options.api) !== canonicalServer(plan.api)) elsewhere.push(`server ${sanitizeText(options.api)} (the plan was made for ${sanitizeText(plan.api)})`);
  if (options.project && options.project !== plan.project && !planOffline) elsewhere.push(`project ${sanitizeText(options.project)} (the plan was made for ${sanitizeText(plan.project)})`);
  // A plan that names no database goes into one only when asked with --pcc-db: a variable
  // exported for PCC must not silently turn it away from the server it was made for (or is given).
  const variable = databaseVariable(options, env);
  if (namedDb && !plan.pccDb && variable) elsewhere.push(`target: PCC's database ${sanitizeText(namedDb)}, named by ${variable} (the plan was made for ${plan.api ? `the API at ${sanitizeText(plan.api)}` : 'no database'}; pass --pcc-db to write into that database, or unset ${variable} to apply without it)`);
  if (namedDb && plan.pccDb && fileIdentity(namedDb) !== fileIdentity(plan.pccDb)) elsewhere.push(`database ${sanitizeText(namedDb)} (the plan was made for ${sanitizeText(plan.pccDb)})`);
  if (elsewhere.length && !options.retarget) {
    throw new CliError(`This plan would go to another ${elsewhere.join(' and ')}; pass --retarget to apply it there anyway. Nothing was changed.`, 2);
  }
  const project = options.project ?? plan.project;
  if (planOffline && !options.api && !options.pccDb) {
    throw new CliError(`This plan was made from local files, so it names no server; pass --api URL --project ID (or --pcc-db PATH) to apply it.`, 2);
  }
  if (project === 'local' && planOffline && !options.project) {
    throw new CliError('This plan was made from local files; pass --project ID with the PCC project to apply it to.', 2);
  }
  const named = namedDb ?? plan.pccDb ?? null;
  const pccDb = named ? path.resolve(named) : null;
  if (pccDb) {
    const api = options.api ?? plan.api;
    return databaseTarget(pccDb, project, api ? clientOptionsFrom(options, env, {api, project}) : null, namedDb ? variable : null);
  }
  return apiTarget(clientOptionsFrom(options, env, {api: options.api ?? plan.api ?? DEFAULT_API, project}));
}

/** PCC's database; when the server is known too, the read-back also goes through its API. */
export function databaseTarget(file: string, project: string, api: ClientOptions | null, variable: string | null = null): TargetChoice {
  // The run's abort signal reaches the server checks too, so Ctrl-C does not wait for them.
  return {label: databaseLabel(file, project), openTarget: (hooks) => new DatabaseTarget(file, project, api && hooks.signal ? {...api, signal: hooks.signal} : api, variable)};
}

export function apiTarget(client: ClientOptions): TargetChoice {
  return {label: apiLabel(client.baseUrl, client.project), openTarget: (hooks) => new ApiTarget(client, hooks)};
}

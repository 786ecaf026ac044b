import type {CliOptions} from '../cli/args.js';
import {CliError} from '../cli/errors.js';

export async function runWizard(_options: CliOptions, _io: unknown, _overrides: {api?: string}): Promise<number> {
  throw new CliError('The interactive wizard is not available in this build; use --dry-run or --plan-out.');
}

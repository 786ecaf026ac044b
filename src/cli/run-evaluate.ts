import type {CliOptions} from './args.js';
import {CliError} from './errors.js';

export async function runEvaluate(_options: CliOptions, _io: {stdout: NodeJS.WritableStream}): Promise<number> {
  throw new CliError('evaluate is not available in this build.');
}

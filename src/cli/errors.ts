/** A failure the CLI reports as one sentence (or a few lines for spec problems) and exit 1. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

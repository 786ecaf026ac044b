export type PccErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'auth'
  | 'forbidden'
  | 'project-not-found'
  | 'not-found'
  | 'bad-request'
  | 'server'
  | 'bad-response'
  | 'no-assign-route'
  | 'redirect'
  | 'too-large'
  | 'unsafe-id'
  | 'aborted';

/** A failed PCC call, with one sentence a user can act on. */
export class PccError extends Error {
  constructor(
    readonly kind: PccErrorKind,
    message: string,
    readonly route: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PccError';
  }

  /** True when the request may have reached the server and done its work. */
  get outcomeUnknown(): boolean {
    return this.kind === 'timeout' || this.kind === 'unreachable' || this.kind === 'server' || this.kind === 'aborted';
  }
}

/** Refusals before anything is changed: drift, a target that cannot assign, a bad journal, a lock. */
export class ApplyRefused extends Error {}

import type {Suggester} from '../plan/build-plan.js';

/** Placeholder until the engine lands: proposes nothing. */
export const suggestTracks: Suggester = () => new Map();
